# SPDX-License-Identifier: MIT
# guest-x86/guest.mk - how the kit builds x86 guests (included by the
# top-level Makefile; $(OUT) is the build directory for this architecture).
#
# Lesson 01's guests are 16-bit real-mode programs in assembler, linked
# with realmode.ld at the address the host loads them (0x1000) and turned
# into flat binaries: the bytes the CPU executes, nothing else.
#
#   guest-x86/NN-name/foo.S  ->  $(OUT)/guest/NN-name/foo.bin

GUEST_X86_AS := $(CC) -m32 -c -nostdlib -ffreestanding
GUEST_X86_LD := ld -m elf_i386 --no-dynamic-linker -nostdlib

$(OUT)/guest/01-first-run/%.o: guest-x86/01-first-run/%.S $(wildcard guest-x86/01-first-run/*.h)
	@mkdir -p $(@D)
	$(Q)$(GUEST_X86_AS) -Iguest-x86/01-first-run -o $@ $<

$(OUT)/guest/01-first-run/%.elf: $(OUT)/guest/01-first-run/%.o guest-x86/realmode.ld
	$(Q)$(GUEST_X86_LD) -T guest-x86/realmode.ld -o $@ $<

$(OUT)/guest/%.bin: $(OUT)/guest/%.elf
	$(Q)objcopy -O binary $< $@
