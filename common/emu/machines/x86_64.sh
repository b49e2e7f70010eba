# SPDX-License-Identifier: MIT
# shellcheck shell=bash disable=SC2034
#
# machines/x86_64.sh - the emulated x86_64 machine with AMD-V, as data (see
# arm64.sh). QEMU's TCG emulates AMD's SVM with nested paging well enough
# for Debian's own kernel to run kvm_amd inside, so /dev/kvm there behaves
# as on an AMD laptop. (QEMU 7.2's TCG has no VMX: kvm_intel refuses to
# load, "no hardware support".)

MACHINE_TITLE="x86_64 with AMD-V"
DEB_ARCH=amd64
ELF_MACHINE=62			# EM_X86_64
MACHINE_CC=gcc MACHINE_CC_PACKAGE=gcc MACHINE_STRIP=strip

QEMU=qemu-system-x86_64 QEMU_PACKAGE=qemu-system-x86
# +svm,+npt: AMD-V with nested paging for the guest kernel's kvm_amd. TCG
# lacks nrip-save; KVM copes. One vCPU: the kit's guests use one.
QEMU_MACHINE=(-cpu qemu64,+svm,+npt -smp 1)
CONSOLE=ttyS0			# the PC's first serial port

KERNELS="6.1" DEFAULT_KERNEL=6.1
kernel_pattern() {
	case $1 in
	# Debian 12's own kernel, the flavour laptops run.
	6.1) echo '^linux-image-6\.1\.0-[0-9]+-amd64-unsigned$' ;;
	esac
}
KERNEL_BUILTIN="CONFIG_DEVTMPFS CONFIG_BLK_DEV_INITRD CONFIG_SERIAL_8250_CONSOLE CONFIG_PVH"
# KVM itself is a module here: kvm_amd brings kvm, ccp and irqbypass.
KERNEL_DRIVERS="VIRTIO_PCI:virtio_pci VIRTIO_CONSOLE:virtio_console KVM_AMD:kvm_amd"
KERNEL_MODULE_PATHS="./lib/modules/*/kernel/drivers/*virtio* ./lib/modules/*/kernel/arch/x86/kvm/* ./lib/modules/*/kernel/drivers/crypto/ccp/* ./lib/modules/*/kernel/virt/lib/*"
# Debian ships a compressed bzImage; QEMU boots the uncompressed ELF inside
# it (through its PVH entry point, CONFIG_PVH) in about a third of the time
# (2.2 s against 6.0-6.4 s to /init).
KERNEL_IMAGE=vmlinux

# Programs for this machine are built here with -static (no sysroot).
SYSROOT_PACKAGES=""
