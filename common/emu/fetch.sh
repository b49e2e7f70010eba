#!/bin/bash
# SPDX-License-Identifier: MIT
#
# fetch.sh [--machine M] [--update] CACHE [TARGET...] - fetch what an
# emulated machine needs from Debian's archive into CACHE, once. M is
# arm64 (the default) or x86_64 (with AMD-V); machines/M.sh describes it.
#
# TARGETs (default: the machine's default kernel, its sysroot, busybox):
#   KERNEL    one of the machine's kernels: for arm64 6.12 (4 KiB pages),
#             6.12-16k (16 KiB pages, like a Raspberry Pi 5) or 6.1 (Debian
#             12's own, cloud flavour: no SMCCC filter); for x86_64, 6.1
#   sysroot   (arm64 on another host) arm64 headers and static libraries
#             (CUnit, Capstone, Jansson) for linking the kit's programs
#             with -static
#   busybox   a static busybox of the machine (package busybox-static):
#             its tar sends the machine's files back to the host
#   all       all of the above
#
# --update    look for newer packages even if CACHE already has the target
#             (without it a target already in CACHE needs no network at all)
#
# Environment: EMU_MIRROR (default http://deb.debian.org/debian) and
# EMU_SECURITY_MIRROR (default http://deb.debian.org/debian-security)
# name the Debian mirrors to use.
#
# What CACHE holds afterwards:
#   CACHE/kernels/FLAVOUR/vmlinuz   the kernel QEMU boots (Debian's arm64
#                                   Image as it is; for x86_64 the
#                                   uncompressed ELF inside the bzImage)
#   CACHE/kernels/FLAVOUR/config    its build configuration (CONFIG_KVM ...)
#   CACHE/kernels/FLAVOUR/PACKAGE   the Debian package it came from
#   CACHE/kernels/FLAVOUR/VERSION   that package's exact version
#   CACHE/kernels/FLAVOUR/modules/  the few modules the machine needs when
#                                   the kernel has them as modules (virtio,
#                                   and on x86_64 kvm_amd), and their load
#                                   order in modules/order
#   CACHE/busybox/busybox           the static busybox
#   CACHE/sysroot/usr/include, CACHE/sysroot/usr/lib/aarch64-linux-gnu
#   CACHE/apt/                      a private apt configuration and its lists
#
# apt knows only the host's architecture. Rather than `dpkg
# --add-architecture`, which changes the whole system, this script gives
# apt a configuration of its own under CACHE/apt: its own sources list (the
# machine's architecture only), its own lists, package cache and an empty
# dpkg status, all passed with -o options. The system's apt.conf.d is still
# read, so a proxy configured there keeps working. Nothing under /etc/apt
# changes and nothing gets installed: packages are downloaded with
# `apt-get download` and unpacked with dpkg-deb.
set -euo pipefail

prog=fetch.sh
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# Debian's archive key, from the debian-archive-keyring package that every
# Debian system has; it verifies the machine's indexes just as the host's.
KEYRING=/usr/share/keyrings/debian-archive-keyring.gpg
MIRROR=${EMU_MIRROR:-http://deb.debian.org/debian}
SECURITY_MIRROR=${EMU_SECURITY_MIRROR:-http://deb.debian.org/debian-security}
SUITE=bookworm

say() { echo "$prog: $*"; }
die() { echo "$prog: error: $*" >&2; exit 1; }

usage() {
	sed -n '4,/^[^#]/s/^# \{0,1\}//p' "$0" >&2
	exit 2
}

update=0 machine=arm64
while [ $# -gt 0 ]; do
	case $1 in
	--update) update=1; shift ;;
	--machine) machine=${2:-}; shift 2 || usage ;;
	-h|--help) usage ;;
	-*) echo "$prog: unknown option $1" >&2; usage ;;
	*) break ;;
	esac
done
[ $# -ge 1 ] || usage
[ -f "$here/machines/$machine.sh" ] ||
	die "no machine '$machine' (known: $(cd "$here/machines" && ls | sed 's/\.sh$//' | paste -sd' '))"
# shellcheck source=machines/arm64.sh
. "$here/machines/$machine.sh"
CACHE=$1
shift
targets=("$@")
extras="busybox${SYSROOT_PACKAGES:+ sysroot}"
# shellcheck disable=SC2206
[ ${#targets[@]} -gt 0 ] || targets=($DEFAULT_KERNEL $extras)
# shellcheck disable=SC2206
[ "${targets[*]}" != all ] || targets=($KERNELS $extras)
for t in "${targets[@]}"; do
	case " $KERNELS $extras " in
	*" $t "*) ;;
	*) die "unknown target '$t' for the $machine machine (known: $KERNELS $extras all)" ;;
	esac
done

for tool in apt-get apt-cache dpkg-deb tar flock readelf tsort; do
	command -v $tool >/dev/null ||
		die "'$tool' is missing: this script needs a Debian or Ubuntu host (apt, dpkg, tar, util-linux, binutils)"
done
[ -r "$KEYRING" ] ||
	die "$KEYRING is missing: install it with 'apt-get install debian-archive-keyring'"

mkdir -p "$CACHE" || die "cannot create $CACHE"
CACHE=$(cd "$CACHE" && pwd)
APT=$CACHE/apt

# Two fetches at once (make -j) would download the same files twice and
# race on apt's lists: the second waits for the first.
exec 9>"$CACHE/.fetch.lock"
flock 9

# ---- the private apt configuration ------------------------------------
mkdir -p "$APT/etc/sources.list.d" "$APT/etc/preferences.d" \
	"$APT/state/lists/partial" "$APT/cache/archives/partial" "$CACHE/tmp"
cat >"$APT/etc/sources.list" <<EOF
# Written by fetch.sh: $DEB_ARCH packages of Debian 12 ($SUITE), for the
# emulated $machine machine. Not the system's apt configuration.
deb [arch=$DEB_ARCH signed-by=$KEYRING] $MIRROR $SUITE main
deb [arch=$DEB_ARCH signed-by=$KEYRING] $MIRROR $SUITE-updates main
deb [arch=$DEB_ARCH signed-by=$KEYRING] $SECURITY_MIRROR $SUITE-security main
EOF
# No package is installed in this configuration's eyes.
: >"$APT/state/status"
APT_OPTS=(
	-o "Dir::Etc::SourceList=$APT/etc/sources.list"
	-o "Dir::Etc::SourceParts=$APT/etc/sources.list.d"
	-o "Dir::Etc::Preferences=$APT/etc/preferences"
	-o "Dir::Etc::PreferencesParts=$APT/etc/preferences.d"
	-o "Dir::State=$APT/state"
	-o "Dir::State::status=$APT/state/status"
	-o "Dir::Cache=$APT/cache"
	-o "APT::Architecture=$DEB_ARCH"
	-o "APT::Architectures=$DEB_ARCH"
	# apt run as root downloads as the user _apt, who may not be allowed
	# into CACHE; the files are checked against the signed indexes anyway.
	-o "APT::Sandbox::User=root"
)
apt_get() { apt-get "${APT_OPTS[@]}" "$@"; }
apt_cache() { apt-cache "${APT_OPTS[@]}" "$@"; }

lists_ready=0
update_lists() {
	[ $lists_ready = 1 ] && return 0
	say "reading the $DEB_ARCH package lists of Debian $SUITE (private apt configuration in $APT)"
	# --error-on=any: a list that failed to download is an error, not a
	# warning followed by stale results.
	if ! apt_get -q --error-on=any update >"$CACHE/tmp/apt-update.log" 2>&1; then
		# apt's errors (E:) say which address failed and why.
		grep '^E:' "$CACHE/tmp/apt-update.log" | sed 's/^/    /' >&2
		die "apt-get update failed: cannot read Debian's package lists from $MIRROR
    and $SECURITY_MIRROR (see apt's messages above). Check the network
    connection (and a proxy, if you need one), then run this again."
	fi
	lists_ready=1
}

# The newest package whose name matches the extended regular expression
# $1 (anchored), on stdout. Names carry the kernel's version and ABI
# number (linux-image-6.1.0-56-..., linux-image-6.12.117+deb12-...), so
# sorting them by version finds the newest.
newest_package() {
	apt_cache search --names-only "$1" | cut -d' ' -f1 | sort -V | tail -n 1
}

# The version apt would take of package $1 (the highest one available).
candidate_version() {
	apt_cache policy "$1" | sed -n 's/^ *Candidate: //p'
}

# Download package $1 at version $2 into $CACHE/tmp; sets $deb to the file.
download() {
	local pkg=$1 version=$2
	say "downloading $pkg $version"
	rm -f "$CACHE/tmp/${pkg}_"*.deb	# left over from an interrupted run
	if ! (cd "$CACHE/tmp" && apt_get -q download "$pkg=$version") \
		>"$CACHE/tmp/apt-download.log" 2>&1; then
		grep '^E:' "$CACHE/tmp/apt-download.log" | sed 's/^/    /' >&2
		die "could not download $pkg $version (see apt's messages above);
    check the network, or run '$0 --update $CACHE ...' if the archive has
    moved on to a newer version."
	fi
	# apt-get names the file PKG_VERSION_ARCH.deb, with ':' written %3a.
	deb=$(ls "$CACHE/tmp/${pkg}_"*_"$DEB_ARCH".deb 2>/dev/null | head -n 1)
	[ -n "$deb" ] || die "apt-get download of $pkg left no .deb in $CACHE/tmp"
}

# ---- kernels ----------------------------------------------------------
# (kernel_pattern FLAVOUR, the package-name pattern, is the machine's.)

fetch_kernel() {
	local flavour=$1 dir=$CACHE/kernels/$1 pkg version deb='' unpack
	# FORMAT 2: the kernel comes with the modules the machine needs.
	if [ $update = 0 ] && [ -s "$dir/vmlinuz" ] && [ "$(cat "$dir/FORMAT" 2>/dev/null)" = 2 ]; then
		say "kernel $flavour: have $(cat "$dir/PACKAGE") $(cat "$dir/VERSION") (--update looks for a newer one)"
		return 0
	fi
	update_lists
	pkg=$(newest_package "$(kernel_pattern "$flavour")")
	[ -n "$pkg" ] || die "no package matching $(kernel_pattern "$flavour") in Debian $SUITE
    for $DEB_ARCH (is the mirror a full Debian mirror? EMU_MIRROR=$MIRROR)"
	version=$(candidate_version "$pkg")
	[ -n "$version" ] && [ "$version" != "(none)" ] ||
		die "apt lists $pkg but has no version of it to download"
	if [ -s "$dir/vmlinuz" ] && [ "$(cat "$dir/FORMAT" 2>/dev/null)" = 2 ] &&
		[ "$(cat "$dir/PACKAGE" 2>/dev/null)" = "$pkg" ] &&
		[ "$(cat "$dir/VERSION" 2>/dev/null)" = "$version" ]; then
		say "kernel $flavour: $pkg $version is the newest, already here"
		return 0
	fi
	download "$pkg" "$version"
	# Only /boot (the kernel and its config) and the virtio drivers are
	# unpacked: the machine needs no other module.
	unpack=$CACHE/tmp/unpack-$flavour
	rm -rf "$unpack" && mkdir -p "$unpack"
	say "unpacking the kernel from $(basename "$deb")"
	# (Every kernel package has some module under each pattern.)
	# shellcheck disable=SC2086 # the patterns are words
	dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$unpack" --wildcards ./boot \
		$KERNEL_MODULE_PATHS ||
		die "cannot unpack $deb (a damaged download? delete $CACHE/tmp and retry)"
	local image config
	image=$(ls "$unpack"/boot/vmlinu[xz]-* 2>/dev/null | head -n 1)
	config=$(ls "$unpack"/boot/config-* 2>/dev/null | head -n 1)
	[ -n "$image" ] || die "$deb has no /boot/vmlinuz-*: not a kernel package?"
	check_kernel_config "$flavour" "$config"
	# Replace the old kernel only once the new one is complete, so an
	# interrupted fetch never leaves a half-written kernel behind.
	rm -rf "$dir.new" && mkdir -p "$dir.new"
	if [ "$KERNEL_IMAGE" = vmlinux ]; then
		extract_vmlinux "$image" "$dir.new/vmlinuz"
	else
		mv "$image" "$dir.new/vmlinuz"
	fi
	mv "$config" "$dir.new/config"
	keep_modules "$flavour" "$dir.new/config" "$unpack" "$dir.new/modules"
	echo "$pkg" >"$dir.new/PACKAGE"
	echo "$version" >"$dir.new/VERSION"
	echo 2 >"$dir.new/FORMAT"
	basename "$image" | sed 's/^vmlinu[xz]-//' >"$dir.new/RELEASE"
	rm -rf "$dir" && mv "$dir.new" "$dir"
	rm -rf "$unpack" "$deb"
	say "kernel $flavour: $dir/vmlinuz ($pkg $version)"
}

# The machine's files come back over a virtio-serial port: the kernel must
# have the virtio PCI transport and the virtio console, built in (=y, as
# in 6.12) or as modules (=m, as in the 6.1 cloud kernel). Modules are
# kept, with those they depend on, and their load order is worked out
# from each module's own "depends=" field (the package has no modules.dep:
# depmod writes it when the package is installed, and it never is here).
keep_modules() { # flavour config unpack-dir modules-dir
	local flavour=$1 config=$2 unpack=$3 to=$4 option wanted=() file name dep
	for option in $KERNEL_DRIVERS; do
		if grep -qx "CONFIG_${option%%:*}=m" "$config"; then
			wanted+=("${option#*:}")
		elif ! grep -qx "CONFIG_${option%%:*}=y" "$config"; then
			die "the $flavour kernel has no CONFIG_${option%%:*}: the machine cannot work without it"
		fi
	done
	[ ${#wanted[@]} -gt 0 ] || return 0
	mkdir -p "$to"
	local -A seen=()
	local edges=$CACHE/tmp/module-edges
	: > "$edges"
	while [ ${#wanted[@]} -gt 0 ]; do
		name=${wanted[0]}
		wanted=("${wanted[@]:1}")
		[ -z "${seen[$name]:-}" ] || continue
		seen[$name]=1
		file=$(find "$unpack/lib/modules" -name "$name.ko" -o -name "${name//_/-}.ko" | head -n 1)
		[ -n "$file" ] || die "the $flavour kernel package has no module $name.ko"
		cp "$file" "$to/$name.ko"
		echo "$name $name" >> "$edges"
		for dep in $(readelf -p .modinfo "$file" | sed -n 's/.*depends=//p' | tr ',' ' '); do
			echo "$dep $name" >> "$edges"
			wanted+=("$dep")
		done
	done
	tsort "$edges" | sed 's/$/.ko/' > "$to/order" ||
		die "the modules of the $flavour kernel depend on one another in a circle"
	say "kernel $flavour: modules $(paste -sd' ' "$to/order")"
}

# A bzImage holds the kernel as one compressed stream after its setup code;
# the uncompressed ELF image (vmlinux) is that stream, decompressed. Find
# it by its format's magic bytes, as the kernel's scripts/extract-vmlinux
# does. (Debian's amd64 kernels are xz-compressed, CONFIG_KERNEL_XZ.)
extract_vmlinux() { # bzImage vmlinux
	local offset
	offset=$(LC_ALL=C grep -obUaP '\xfd7zXZ\x00' "$1" | head -n 1 | cut -d: -f1)
	[ -n "$offset" ] || die "$1 holds no xz-compressed kernel (not a Debian amd64 bzImage?)"
	# (xz stops at the end of the stream: what follows it is not read, so
	# tail may die of SIGPIPE, which must not count as a failure.)
	xz -dc --single-stream < <(tail -c +$((offset + 1)) "$1") > "$2" 2>/dev/null ||
		die "cannot decompress the kernel in $1 (is xz-utils installed?)"
	[ "$(od -An -c -N4 "$2" | tr -d ' ')" = '177ELF' ] ||
		die "what $1 holds is not an ELF kernel image"
}

# What else the machine needs must be built in (=y). Check it now rather
# than find out from a confusing boot failure.
check_kernel_config() {
	local flavour=$1 config=$2 option missing=
	[ -n "$config" ] || die "the $flavour kernel package has no /boot/config-*"
	for option in $KERNEL_BUILTIN; do
		grep -qx "$option=y" "$config" || missing="$missing $option"
	done
	[ -z "$missing" ] || die "the $flavour kernel lacks built-in$missing;
    the emulated machine cannot use it (no modules are loaded)"
}

# ---- sysroot ----------------------------------------------------------
fetch_sysroot() {
	local dir=$CACHE/sysroot pkg version deb=''
	# (A sysroot fetched before a package joined the list is fetched again.)
	if [ $update = 0 ] && [ -s "$dir/VERSIONS" ] &&
		[ "$(cut -d' ' -f1 "$dir/VERSIONS" | paste -sd' ')" = "$SYSROOT_PACKAGES" ]; then
		say "sysroot: have $(paste -sd' ' "$dir/VERSIONS")"
		return 0
	fi
	update_lists
	rm -rf "$dir.new" && mkdir -p "$dir.new"
	for pkg in $SYSROOT_PACKAGES; do
		version=$(candidate_version "$pkg")
		[ -n "$version" ] && [ "$version" != "(none)" ] ||
			die "no $DEB_ARCH version of $pkg in Debian $SUITE"
		download "$pkg" "$version"
		dpkg-deb -x "$deb" "$dir.new" || die "cannot unpack $deb"
		echo "$pkg $version" >>"$dir.new/VERSIONS.tmp"
		rm -f "$deb"
	done
	# The kit links its arm64 test programs statically (the initramfs has
	# no shared libraries), so the archives must be there.
	for lib in $SYSROOT_STATIC_LIBS; do
		[ -f "$dir.new/$SYSROOT_LIBDIR/$lib" ] ||
			die "$lib is not in $SYSROOT_PACKAGES; the arm64 test programs cannot be linked statically"
	done
	mv "$dir.new/VERSIONS.tmp" "$dir.new/VERSIONS"
	rm -rf "$dir" && mv "$dir.new" "$dir"
	say "sysroot: $dir (compile with -isystem $dir/usr/include," \
		"link with -L$dir/$SYSROOT_LIBDIR -static)"
}

# ---- busybox ----------------------------------------------------------
fetch_busybox() {
	local dir=$CACHE/busybox pkg=busybox-static version deb=''
	if [ $update = 0 ] && [ -x "$dir/busybox" ]; then
		say "busybox: have $(cat "$dir/VERSION")"
		return 0
	fi
	update_lists
	version=$(candidate_version $pkg)
	[ -n "$version" ] && [ "$version" != "(none)" ] || die "no $DEB_ARCH version of $pkg in Debian $SUITE"
	download $pkg "$version"
	rm -rf "$dir.new" "$CACHE/tmp/unpack-busybox" && mkdir -p "$dir.new"
	dpkg-deb -x "$deb" "$CACHE/tmp/unpack-busybox" || die "cannot unpack $deb"
	mv "$CACHE/tmp/unpack-busybox/bin/busybox" "$dir.new/busybox" ||
		die "$deb has no /bin/busybox"
	echo "$pkg $version" > "$dir.new/VERSION"
	rm -rf "$dir" "$CACHE/tmp/unpack-busybox" "$deb" && mv "$dir.new" "$dir"
	say "busybox: $dir/busybox ($pkg $version)"
}

for t in "${targets[@]}"; do
	case $t in
	sysroot) fetch_sysroot ;;
	busybox) fetch_busybox ;;
	*) fetch_kernel "$t" ;;
	esac
done
