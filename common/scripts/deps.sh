#!/bin/bash
# SPDX-License-Identifier: MIT
#
# deps.sh - the Debian/Ubuntu packages the kit needs, and their installation.
#
#   deps.sh list      print the package names
#   deps.sh missing   print the ones not installed (exit 1 if any)
#   deps.sh install   install the missing ones with apt-get (as root or sudo)
#   deps.sh ensure    silent if all are there; else install when that can
#                     be done without a password, or print the command
#
# `make deps` runs `install`; `make check` and `make lesson-NN` run `ensure`.
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)

# Debian 12's clang-14 (14.0.6) has its runtimes in a package of their
# own; Ubuntu 22.04's (14.0.0) still has them in libclang-common-14-dev.
clang_runtimes() {
	local id= version=
	# shellcheck disable=SC1091
	[ -r /etc/os-release ] && { . /etc/os-release; id=${ID:-} version=${VERSION_ID:-}; }
	case $id:$version in
	ubuntu:22.04|ubuntu:20.04) echo libclang-common-14-dev ;;
	*) echo libclang-rt-14-dev ;;
	esac
}

packages() {
	# Every package the kit uses directly is named here, even one that
	# something else already depends on or recommends: `make deps` installs
	# with --no-install-recommends, so nothing arrives by recommendation.
	#
	# Host compiler and tools, and the libraries of the core and the grader.
	echo gcc make binutils libc6-dev pkg-config
	echo libcunit1-dev      # the grading harness is built on CUnit
	echo libjansson-dev     # ... and writes results.json with Jansson
	echo libcapstone-dev    # disassembles the instruction at the guest's PC
	echo pandoc             # make docs: the lessons as a website
	echo jq                 # reads and checks results.json in the kit's self-tests
	echo util-linux         # setpriv and unshare, for the kit's skip self-tests
	echo debian-archive-keyring  # verifies Debian's archive (arm64 fetch, fresh-check)
	# What only the instructors' tree uses (a student repository, made by
	# make release, has no solutions/ and none of these targets).
	if [ -d "$top/solutions" ]; then
		echo debootstrap        # make fresh-check: a brand-new Debian 12 root
		# make bench: its chart is checked by drawing it (rsvg-convert), with a
		# font for its labels (the renderer only recommends one).
		echo librsvg2-bin fonts-dejavu-core
		# The fuzz targets: clang, and its runtimes of libFuzzer and the
		# sanitizers (only recommended by clang-14).
		echo clang-14 "$(clang_runtimes)"
		# make release's grading workflow, checked by make check: its YAML and
		# its keys (yq reads YAML with jq's language).
		echo yamllint yq
		echo zip unzip          # make gradescope: the autograder's zip, and its self-test
		if [ "$(uname -m)" = x86_64 ]; then
			# make pi-check: an emulated Raspberry Pi's Debian 12, made by
			# mmdebstrap with arm64 programs run through qemu-user-static
			# (arch-test tells whether that works), put on a disk image with
			# mke2fs -d (e2fsprogs).
			echo mmdebstrap qemu-user-static arch-test e2fsprogs
		fi
	fi
	if [ "$(uname -m)" = x86_64 ]; then
		# The arm64 lessons, on an x86_64 host: a cross compiler with its
		# C library (only recommended by the compiler), and an emulated
		# arm64 machine to run them in (common/emu/; it has no
		# network card, so QEMU's option ROMs in ipxe-qemu are not needed).
		echo gcc-aarch64-linux-gnu libc6-dev-arm64-cross qemu-system-arm
		echo libarchive-tools   # bsdtar: writes the machine's initramfs (cpio newc)
		# The x86 lessons on AMD-V semantics: an emulated x86_64 machine
		# whose kernel runs kvm_amd (common/emu/machines/x86_64.sh); xz
		# unpacks its kernel from Debian's bzImage.
		echo qemu-system-x86 xz-utils
	fi
}

missing() {
	local p status
	for p in $(packages); do
		status=$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null || true)
		[ "$status" = installed ] || echo "$p"
	done
}

have_apt() { command -v apt-get >/dev/null && command -v dpkg-query >/dev/null; }

# How to run a command as root here: nothing, sudo -n, or impossible.
as_root() {
	if [ "$(id -u)" = 0 ]; then
		"$@"
	elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
		sudo -n "$@"
	else
		return 126
	fi
}

install_missing() {
	local todo
	todo=$(missing | tr '\n' ' ')
	if [ -z "${todo// /}" ]; then
		echo "deps: everything the kit needs is installed"
		return 0
	fi
	echo "deps: installing: $todo"
	export DEBIAN_FRONTEND=noninteractive
	echo "deps: + apt-get update"
	if ! as_root apt-get update -q >/dev/null; then
		explain "$todo"
		return 1
	fi
	echo "deps: + apt-get install -y --no-install-recommends $todo"
	# shellcheck disable=SC2086
	as_root apt-get install -y -q --no-install-recommends $todo
	echo "deps: done"
}

explain() {
	echo "The kit needs these packages, which are not installed: $1" >&2
	echo "Install them with:" >&2
	echo "    sudo apt-get update && sudo apt-get install -y $1" >&2
	echo "or run:  sudo make deps" >&2
}

not_debian() {
	echo "deps: this is not a Debian/Ubuntu system (no apt-get/dpkg-query)." >&2
	echo "Install the equivalents of: $(packages | sed 's/#.*//' | tr '\n' ' ')" >&2
	echo "(a C compiler, make, pkg-config, CUnit, Capstone, pandoc)." >&2
}

case "${1:-ensure}" in
list)
	packages | sed 's/ *#.*//' | tr ' ' '\n' | sed '/^$/d'
	;;
missing)
	have_apt || { not_debian; exit 1; }
	m=$(missing)
	[ -z "$m" ] || { echo "$m"; exit 1; }
	;;
install)
	have_apt || { not_debian; exit 1; }
	install_missing
	;;
ensure)
	if ! have_apt; then
		# Not Debian: trust the user, but say what is missing if we can tell.
		for c in gcc make pkg-config; do
			command -v "$c" >/dev/null || { not_debian; exit 1; }
		done
		exit 0
	fi
	todo=$(missing | tr '\n' ' ')
	[ -z "${todo// /}" ] && exit 0
	if as_root true 2>/dev/null; then
		install_missing
	else
		explain "$todo"
		exit 1
	fi
	;;
*)
	echo "usage: $0 list|missing|install|ensure" >&2
	exit 2
	;;
esac
