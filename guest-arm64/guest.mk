# SPDX-License-Identifier: MIT
# guest-arm64/guest.mk - how the kit builds AArch64 guests (included by
# the top-level Makefile when ARCH=arm64).
#
# Guests are built with $(GUEST_ARM64_PREFIX)gcc: aarch64-linux-gnu-gcc on
# an x86_64 host (package gcc-aarch64-linux-gnu), plain gcc on an arm64
# host. With the MMU off every data access is to Device memory, where an
# unaligned access faults: hence -mstrict-align. No FP/SIMD registers are
# set up for the guest: hence -mgeneral-regs-only.
#
#   lesson 01    NAME.S  assembler at EL1, linked at 0x40000000 by flat.ld,
#                        then a flat binary (objcopy -O binary)

GUEST_ARM64_PREFIX := $(if $(filter arm64,$(HOST_ARCH)),,aarch64-linux-gnu-)
GUEST_ARM64_CC := $(GUEST_ARM64_PREFIX)gcc
GUEST_ARM64_LD := $(GUEST_ARM64_PREFIX)ld --no-dynamic-linker -nostdlib -static
GUEST_ARM64_OBJCOPY := $(GUEST_ARM64_PREFIX)objcopy
GUEST_ARM64_CFLAGS := -std=c11 -O2 -g -ffreestanding -nostdlib -fno-pic -fno-pie \
	-mstrict-align -mgeneral-regs-only -fno-stack-protector \
	-fno-asynchronous-unwind-tables -Wall -Wextra -Werror

# --- lesson 01: flat binaries -------------------------------------------
$(OUT)/guest/01-first-run/%.o: guest-arm64/01-first-run/%.S $(wildcard guest-arm64/01-first-run/*.h)
	@mkdir -p $(@D)
	$(Q)$(GUEST_ARM64_CC) -c -Iguest-arm64/01-first-run -o $@ $<

$(OUT)/guest/01-first-run/%.elf: $(OUT)/guest/01-first-run/%.o guest-arm64/flat.ld
	$(Q)$(GUEST_ARM64_LD) -T guest-arm64/flat.ld -o $@ $<

$(OUT)/guest/01-first-run/%.img: $(OUT)/guest/01-first-run/%.elf
	$(Q)$(GUEST_ARM64_OBJCOPY) -O binary $< $@

# --- lessons 02 on: C guests --------------------------------------------
#                NAME.c  C at EL1: crt0.S + vectors.S + the C file +
#                        libguest.c + guest-x86/lib/printf.c, linked by
#                        guest.ld at 0x40100000 into an ELF64 executable
#                NAME.S  assembler with its own _start (and vectors.S)
GUEST_ARM64_LIB_HEADERS := $(wildcard guest-arm64/lib/*.h common/abi/*.h)
GUEST_ARM64_CFLAGS += -Iguest-arm64/lib -Icommon/abi -DKIT_GUEST
# The same image from any checkout: no directory names in its debug info.
GUEST_ARM64_CFLAGS += -ffile-prefix-map=$(CURDIR)=.

$(OUT)/guest/lib/%.o: guest-arm64/lib/%.c $(GUEST_ARM64_LIB_HEADERS)
	@mkdir -p $(@D)
	$(Q)$(GUEST_ARM64_CC) $(GUEST_ARM64_CFLAGS) -c -o $@ $<
$(OUT)/guest/lib/%.o: guest-arm64/lib/%.S $(GUEST_ARM64_LIB_HEADERS)
	@mkdir -p $(@D)
	$(Q)$(GUEST_ARM64_CC) $(GUEST_ARM64_CFLAGS) -c -o $@ $<
# printf and friends are the same C on both architectures, kept once with
# the x86 runtime (as some guests are: see below).
$(OUT)/guest/lib/printf.o: guest-x86/lib/printf.c $(GUEST_ARM64_LIB_HEADERS)
	@mkdir -p $(@D)
	$(Q)$(GUEST_ARM64_CC) $(GUEST_ARM64_CFLAGS) -c -o $@ $<

# How a C file of the runtime or of a lesson's guests is compiled (the
# rules here, and make compdb).
GUEST_COMPILE := $(GUEST_ARM64_CC) $(GUEST_ARM64_CFLAGS)

# $(call arm64_guest_rules,LESSON,LIBS)
define arm64_guest_rules
# (Some arm64 guests are the x86 guest's C file, #included: depend on those,
# and on the headers of both.)
$(OUT)/guest/$(1)/%.c.o: guest-arm64/$(1)/%.c $$(GUEST_ARM64_LIB_HEADERS) \
		$$(wildcard guest-x86/$(1)/*.c guest-x86/$(1)/*.h guest-arm64/$(1)/*.h)
	@mkdir -p $$(@D)
	$$(Q)$$(GUEST_ARM64_CC) $$(GUEST_ARM64_CFLAGS) -Iguest-arm64/$(1) -c -o $$@ $$<
$(OUT)/guest/$(1)/%.S.o: guest-arm64/$(1)/%.S $$(GUEST_ARM64_LIB_HEADERS)
	@mkdir -p $$(@D)
	$$(Q)$$(GUEST_ARM64_CC) $$(GUEST_ARM64_CFLAGS) -c -o $$@ $$<
$(OUT)/guest/$(1)/%.c.elf: $(OUT)/guest/$(1)/%.c.o $(addprefix $(OUT)/guest/lib/,$(2)) guest-arm64/lib/guest.ld
	$$(Q)$$(GUEST_ARM64_LD) -T guest-arm64/lib/guest.ld -o $$@ \
		$(addprefix $(OUT)/guest/lib/,$(2)) $$<
$(OUT)/guest/$(1)/%.S.elf: $(OUT)/guest/$(1)/%.S.o $(OUT)/guest/lib/vectors.o guest-arm64/lib/guest.ld
	$$(Q)$$(GUEST_ARM64_LD) -T guest-arm64/lib/guest.ld -o $$@ $$< $(OUT)/guest/lib/vectors.o
$(OUT)/guest/$(1)/%.img: $(OUT)/guest/$(1)/%.c.elf
	$$(Q)cp $$< $$@
$(OUT)/guest/$(1)/%.img: $(OUT)/guest/$(1)/%.S.elf
	$$(Q)cp $$< $$@
endef

$(eval $(call arm64_guest_rules,02-c-guests,crt0.o vectors.o libguest.o printf.o))
$(eval $(call arm64_guest_rules,03-hypercalls,crt0.o vectors.o libguest.o printf.o hypercall.o hcexit.o))
$(eval $(call arm64_guest_rules,04-mmio,crt0.o vectors.o libguest.o printf.o))
$(eval $(call arm64_guest_rules,05-writeback,crt0.o vectors.o libguest.o printf.o))
$(eval $(call arm64_guest_rules,06-exits,crt0.o vectors.o libguest.o printf.o hypercall.o))
