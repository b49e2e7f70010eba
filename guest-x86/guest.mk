# SPDX-License-Identifier: MIT
# guest-x86/guest.mk - how the kit builds x86 guests (included by the
# top-level Makefile; $(OUT) is the build directory for this architecture).
#
# Every guest ends up as one image file, $(OUT)/guest/LESSON/NAME.img,
# which the Makefile embeds in the host programs (common/blob.S):
#
#   lesson 01    NAME.S  16-bit real mode, linked at 0x1000 by realmode.ld,
#                        then a flat binary (objcopy -O binary)
#   lessons 02+  NAME.c  64-bit C: crt0.S + the C file + libguest.c, linked
#                        by guest.ld into an ELF64 executable
#                NAME.S  64-bit assembler with its own _start, same ELF64
#                NAME32.S  32-bit protected-mode assembler: a flat binary
#                        linked at 0x100000

GUEST_X86_LD := ld --no-dynamic-linker -nostdlib -static
# Freestanding 64-bit code, as kernels build it: no libc, no SSE/x87
# registers (the host does not set them up), no red zone (nothing may
# live below RSP), no position independence (the image sits where linked),
# and no directory names in the debug info (the same image from any checkout).
GUEST_X86_CFLAGS := -m64 -std=c11 -O2 -g -ffreestanding -nostdlib -fno-pic -fno-pie \
	-mgeneral-regs-only -mno-red-zone -mcmodel=small -fno-stack-protector \
	-fno-asynchronous-unwind-tables -fcf-protection=none \
	-fno-tree-loop-distribute-patterns -Wall -Wextra -Werror -Iguest-x86/lib \
	-ffile-prefix-map=$(CURDIR)=. \
	-Icommon/abi -DKIT_GUEST

# How a C file of the 64-bit runtime or of a lesson's guests is compiled
# (the rules below, and make compdb).
GUEST_COMPILE := $(CC) $(GUEST_X86_CFLAGS) -Icommon/abi

# --- lesson 01: real mode ---------------------------------------------
$(OUT)/guest/01-first-run/%.o: guest-x86/01-first-run/%.S $(wildcard guest-x86/01-first-run/*.h)
	@mkdir -p $(@D)
	$(Q)$(CC) -m32 -c -Iguest-x86/01-first-run -o $@ $<

$(OUT)/guest/01-first-run/%.elf: $(OUT)/guest/01-first-run/%.o guest-x86/realmode.ld
	$(Q)$(GUEST_X86_LD) -m elf_i386 -T guest-x86/realmode.ld -o $@ $<

$(OUT)/guest/01-first-run/%.img: $(OUT)/guest/01-first-run/%.elf
	$(Q)objcopy -O binary $< $@

# --- the 64-bit runtime ------------------------------------------------
GUEST_X86_LIB_HEADERS := $(wildcard guest-x86/lib/*.h common/abi/*.h)

$(OUT)/guest/lib/%.o: guest-x86/lib/%.c $(GUEST_X86_LIB_HEADERS)
	@mkdir -p $(@D)
	$(Q)$(CC) $(GUEST_X86_CFLAGS) -Icommon/abi -c -o $@ $<
$(OUT)/guest/lib/%.o: guest-x86/lib/%.S $(GUEST_X86_LIB_HEADERS)
	@mkdir -p $(@D)
	$(Q)$(CC) $(GUEST_X86_CFLAGS) -c -o $@ $<

# $(call x86_guest_rules,LESSON,LIBS): lessons 02 on. LIBS are the runtime
# objects every C guest of the lesson links (lesson 03 adds hypercall.o).
define x86_guest_rules
$(OUT)/guest/$(1)/%.c.o: guest-x86/$(1)/%.c $$(GUEST_X86_LIB_HEADERS) $$(wildcard guest-x86/$(1)/*.h)
	@mkdir -p $$(@D)
	$$(Q)$$(CC) $$(GUEST_X86_CFLAGS) -Icommon/abi -Iguest-x86/$(1) -c -o $$@ $$<
$(OUT)/guest/$(1)/%.S.o: guest-x86/$(1)/%.S $$(GUEST_X86_LIB_HEADERS)
	@mkdir -p $$(@D)
	$$(Q)$$(CC) $$(GUEST_X86_CFLAGS) -c -o $$@ $$<
$(OUT)/guest/$(1)/%32.S.o: guest-x86/$(1)/%32.S
	@mkdir -p $$(@D)
	$$(Q)$$(CC) -m32 -Iguest-x86/lib -c -o $$@ $$<
# C guests: the runtime, then the guest.
$(OUT)/guest/$(1)/%.c.elf: $(OUT)/guest/$(1)/%.c.o $(addprefix $(OUT)/guest/lib/,$(2)) guest-x86/lib/guest.ld
	$$(Q)$$(GUEST_X86_LD) -m elf_x86_64 -T guest-x86/lib/guest.ld -o $$@ \
		$(addprefix $(OUT)/guest/lib/,$(2)) $$<
# 64-bit assembler guests bring their own _start.
$(OUT)/guest/$(1)/%.S.elf: $(OUT)/guest/$(1)/%.S.o guest-x86/lib/guest.ld
	$$(Q)$$(GUEST_X86_LD) -m elf_x86_64 -T guest-x86/lib/guest.ld -o $$@ $$<
$(OUT)/guest/$(1)/%32.img: $(OUT)/guest/$(1)/%32.S.o
	$$(Q)$$(GUEST_X86_LD) -m elf_i386 -Ttext=0x100000 -e _start --oformat binary -o $$@ $$<
$(OUT)/guest/$(1)/%.img: $(OUT)/guest/$(1)/%.c.elf
	$$(Q)cp $$< $$@
$(OUT)/guest/$(1)/%.img: $(OUT)/guest/$(1)/%.S.elf
	$$(Q)cp $$< $$@
endef

$(eval $(call x86_guest_rules,02-c-guests,crt0.o libguest.o printf.o))
$(eval $(call x86_guest_rules,03-hypercalls,crt0.o libguest.o printf.o hcexit.o))
$(eval $(call x86_guest_rules,04-mmio,crt0.o libguest.o printf.o))
$(eval $(call x86_guest_rules,06-exits,crt0.o libguest.o printf.o))
