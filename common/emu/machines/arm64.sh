# SPDX-License-Identifier: MIT
# shellcheck shell=bash disable=SC2034
#
# machines/arm64.sh - the emulated arm64 machine, as data: what fetch.sh,
# mkinitramfs, run.sh and selftest.sh need to know of it. Sourced by them;
# nothing here runs anything.

MACHINE_TITLE="arm64"
DEB_ARCH=arm64			# Debian's name of the architecture
ELF_MACHINE=183			# EM_AARCH64: what its programs must be
# What builds /init and the programs: the cross compiler on another host.
if [ "$(uname -m)" = aarch64 ]; then
	MACHINE_CC=gcc MACHINE_CC_PACKAGE=gcc MACHINE_STRIP=strip
else
	MACHINE_CC=aarch64-linux-gnu-gcc MACHINE_CC_PACKAGE=gcc-aarch64-linux-gnu
	MACHINE_STRIP=aarch64-linux-gnu-strip	# binutils-aarch64-linux-gnu, with the compiler
fi

QEMU=qemu-system-aarch64 QEMU_PACKAGE=qemu-system-arm
# virtualization=on gives the guest kernel EL2, hence KVM; gic-version=3 is
# the interrupt controller KVM's vGIC emulates; pauth-impdef=on makes
# pointer authentication ~3.5x cheaper to emulate than the architected
# algorithm (README.md, "Why these QEMU options").
# shellcheck disable=SC2054 # the commas belong to QEMU's options
QEMU_MACHINE=(-M virt,virtualization=on,gic-version=3 -cpu max,pauth-impdef=on -smp 2)
CONSOLE=ttyAMA0			# the PL011 UART of QEMU's virt board

KERNELS="6.12 6.12-16k 6.1" DEFAULT_KERNEL=6.12
# The Debian package of each kernel flavour, as an anchored regex.
kernel_pattern() {
	case $1 in
	# Linux 6.1 is Debian 12's own kernel; its small cloud flavour is
	# enough (PL011 console, CONFIG_KVM=y).
	6.1) echo '^linux-image-6\.1\.0-[0-9]+-cloud-arm64-unsigned$' ;;
	# Linux 6.12 comes to Debian 12 through bookworm-security and
	# bookworm-updates; it has the SMCCC filter (Linux 6.4 and later).
	6.12) echo '^linux-image-6\.12\.[0-9]+\+deb12-arm64-unsigned$' ;;
	6.12-16k) echo '^linux-image-6\.12\.[0-9]+\+deb12-arm64-16k-unsigned$' ;;
	esac
}
# Options the machine needs built in (=y), and drivers that may be built in
# or modules (CONFIG_NAME:module, kept with what they depend on).
KERNEL_BUILTIN="CONFIG_KVM CONFIG_DEVTMPFS CONFIG_BLK_DEV_INITRD CONFIG_SERIAL_AMBA_PL011_CONSOLE"
KERNEL_DRIVERS="VIRTIO_PCI:virtio_pci VIRTIO_CONSOLE:virtio_console"
# Where in the package those modules live (tar patterns).
KERNEL_MODULE_PATHS="./lib/modules/*/kernel/drivers/*virtio*"
# The image QEMU boots: Debian's arm64 vmlinuz is already an uncompressed
# Image, booted as it is.
KERNEL_IMAGE=as-is

# For cross builds: arm64 headers and static libraries (the -dev packages
# carry the .a files, the others the shared libraries their links name).
SYSROOT_PACKAGES="libcunit1-dev libcunit1 libcapstone-dev libcapstone4 libjansson-dev libjansson4"
SYSROOT_LIBDIR=usr/lib/aarch64-linux-gnu
SYSROOT_STATIC_LIBS="libcunit.a libcapstone.a libjansson.a"
