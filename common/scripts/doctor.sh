#!/bin/bash
# SPDX-License-Identifier: MIT
# doctor.sh - what `make doctor` prints: what this machine offers the kit.
set -uo pipefail

say() { printf '  %-22s %s\n' "$1" "$2"; }

echo "The KVM hypervisor kit: this machine"
say "architecture" "$(uname -m) (kit ARCH=$(uname -m | sed 's/^aarch64$/arm64/'))"
say "kernel" "$(uname -r)"
say "page size" "$(getconf PAGESIZE) bytes"
dev=${KIT_KVM_DEVICE:-/dev/kvm}
emulated="the lessons still run in an emulated machine, slower: make lesson-NN EMU=1"
[ "$(uname -m)" = x86_64 ] &&
	emulated="the x86 lessons still run in an emulated x86_64 machine with AMD-V (QEMU), slower: make lesson-NN EMU=1; the arm64 ones with ARCH=arm64"
if [ ! -e "$dev" ]; then
	say "$dev" "MISSING: KVM is not available (module not loaded, virtualization off, or no nested virtualization)"
	say "" "$emulated"
elif [ -r "$dev" ] && [ -w "$dev" ]; then
	say "$dev" "present, and you can open it ($(stat -c '%U:%G %A' "$dev"))"
else
	say "$dev" "present but NOT accessible to you ($(stat -c '%U:%G %A' "$dev")): sudo usermod -aG $(stat -c %G "$dev") \$USER, then log in again"
	say "" "until then, $emulated"
fi
if [ -d /sys/module/kvm_pvm ]; then
	say "KVM back end" "kvm_pvm (a software back end: some exits differ from VT-x/AMD-V)"
elif [ -d /sys/module/kvm_intel ]; then
	say "KVM back end" "kvm_intel (VT-x)"
elif [ -d /sys/module/kvm_amd ]; then
	say "KVM back end" "kvm_amd (AMD-V)"
elif [ -d /sys/module/kvm ]; then
	say "KVM back end" "kvm"
fi
say "compiler" "$(gcc --version 2>/dev/null | head -n1 || echo missing)"
say "capstone" "$(pkg-config --modversion capstone 2>/dev/null || echo 'missing: diagnoses show raw bytes (make deps)')"
say "CUnit" "$( [ -f /usr/include/CUnit/CUnit.h ] && echo present || echo 'missing (make deps)')"
say "pandoc" "$(pandoc --version 2>/dev/null | head -n1 || echo 'missing (make deps)')"
missing=$(bash "$(dirname "$0")/deps.sh" missing 2>/dev/null | tr '\n' ' ')
say "packages" "${missing:+missing: $missing(run make deps)}${missing:-all installed}"
