#!/bin/bash
# SPDX-License-Identifier: MIT
#
# fetch.sh [--update] CACHE [TARGET...] - fetch what the emulated arm64
# machine needs from Debian's archive into CACHE, once.
#
# TARGETs (default: 6.12 sysroot busybox):
#   6.1       Linux 6.1, cloud flavour, 4 KiB pages (no SMCCC filter)
#   6.12      Linux 6.12, arm64 flavour, 4 KiB pages
#   6.12-16k  Linux 6.12, arm64-16k flavour, 16 KiB pages (like a Raspberry Pi 5)
#   sysroot   arm64 headers and static libraries (CUnit, Capstone) for
#             linking the kit's arm64 test programs with -static
#   busybox   a static arm64 busybox (package busybox-static): its tar
#             sends the machine's files back to the host
#   all       all of the above
#
# --update    look for newer packages even if CACHE already has the target
#             (without it a target already in CACHE needs no network at all)
#
# Environment: EMU_ARM64_MIRROR (default http://deb.debian.org/debian) and
# EMU_ARM64_SECURITY_MIRROR (default http://deb.debian.org/debian-security)
# name the Debian mirrors to use.
#
# What CACHE holds afterwards:
#   CACHE/kernels/FLAVOUR/vmlinuz   the kernel, as Debian ships it (QEMU's
#                                   -kernel boots it as is)
#   CACHE/kernels/FLAVOUR/config    its build configuration (CONFIG_KVM=y ...)
#   CACHE/kernels/FLAVOUR/PACKAGE   the Debian package it came from
#   CACHE/kernels/FLAVOUR/VERSION   that package's exact version
#   CACHE/kernels/FLAVOUR/modules/  the few modules the machine needs when
#                                   the kernel has them as modules (the
#                                   virtio drivers of the 6.1 cloud kernel),
#                                   and their load order in modules/order
#   CACHE/busybox/busybox           the static arm64 busybox
#   CACHE/sysroot/usr/include, CACHE/sysroot/usr/lib/aarch64-linux-gnu
#   CACHE/apt/                      a private apt configuration and its lists
#
# apt knows only the host's architecture (amd64). Rather than
# `dpkg --add-architecture arm64`, which changes the whole system, this
# script gives apt a configuration of its own under CACHE/apt: its own
# sources list (arm64 only), its own lists, package cache and an empty
# dpkg status, all passed with -o options. The system's apt.conf.d is still
# read, so a proxy configured there keeps working. Nothing under /etc/apt
# changes and nothing gets installed: packages are downloaded with
# `apt-get download` and unpacked with dpkg-deb.
set -euo pipefail

prog=fetch.sh
# Debian's archive key, from the debian-archive-keyring package that every
# Debian system has; it verifies the arm64 indexes just as the host's.
KEYRING=/usr/share/keyrings/debian-archive-keyring.gpg
MIRROR=${EMU_ARM64_MIRROR:-http://deb.debian.org/debian}
SECURITY_MIRROR=${EMU_ARM64_SECURITY_MIRROR:-http://deb.debian.org/debian-security}
SUITE=bookworm

# The arm64 packages the sysroot is made of: the -dev packages carry the
# headers and the static libraries (.a), the others the shared libraries
# the -dev symlinks point at.
SYSROOT_PACKAGES="libcunit1-dev libcunit1 libcapstone-dev libcapstone4 libjansson-dev libjansson4"
SYSROOT_LIBDIR=usr/lib/aarch64-linux-gnu

say() { echo "$prog: $*"; }
die() { echo "$prog: error: $*" >&2; exit 1; }

usage() {
	sed -n '4,/^[^#]/s/^# \{0,1\}//p' "$0" >&2
	exit 2
}

update=0
while [ $# -gt 0 ]; do
	case $1 in
	--update) update=1; shift ;;
	-h|--help) usage ;;
	-*) echo "$prog: unknown option $1" >&2; usage ;;
	*) break ;;
	esac
done
[ $# -ge 1 ] || usage
CACHE=$1
shift
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(6.12 sysroot busybox)
if [ "${targets[*]}" = all ]; then
	targets=(6.1 6.12 6.12-16k sysroot busybox)
fi
for t in "${targets[@]}"; do
	case $t in
	6.1|6.12|6.12-16k|sysroot|busybox) ;;
	*) die "unknown target '$t' (known: 6.1 6.12 6.12-16k sysroot busybox all)" ;;
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
# Written by fetch.sh: arm64 packages of Debian 12 ($SUITE), for the
# emulated arm64 machine. Not the system's apt configuration.
deb [arch=arm64 signed-by=$KEYRING] $MIRROR $SUITE main
deb [arch=arm64 signed-by=$KEYRING] $MIRROR $SUITE-updates main
deb [arch=arm64 signed-by=$KEYRING] $SECURITY_MIRROR $SUITE-security main
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
	-o "APT::Architecture=arm64"
	-o "APT::Architectures=arm64"
	# apt run as root downloads as the user _apt, who may not be allowed
	# into CACHE; the files are checked against the signed indexes anyway.
	-o "APT::Sandbox::User=root"
)
apt_get() { apt-get "${APT_OPTS[@]}" "$@"; }
apt_cache() { apt-cache "${APT_OPTS[@]}" "$@"; }

lists_ready=0
update_lists() {
	[ $lists_ready = 1 ] && return 0
	say "reading the arm64 package lists of Debian $SUITE (private apt configuration in $APT)"
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
	deb=$(ls "$CACHE/tmp/${pkg}_"*_arm64.deb 2>/dev/null | head -n 1)
	[ -n "$deb" ] || die "apt-get download of $pkg left no .deb in $CACHE/tmp"
}

# ---- kernels ----------------------------------------------------------
# The package-name pattern of each flavour.
kernel_pattern() {
	case $1 in
	# Linux 6.1 is Debian 12's own kernel; its small cloud flavour is
	# enough (virtio, PL011 console, CONFIG_KVM=y).
	6.1) echo '^linux-image-6\.1\.0-[0-9]+-cloud-arm64-unsigned$' ;;
	# Linux 6.12 comes to Debian 12 through bookworm-security and
	# bookworm-updates; it has the SMCCC filter (Linux 6.4 and later).
	6.12) echo '^linux-image-6\.12\.[0-9]+\+deb12-arm64-unsigned$' ;;
	6.12-16k) echo '^linux-image-6\.12\.[0-9]+\+deb12-arm64-16k-unsigned$' ;;
	esac
}

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
    for arm64 (is the mirror a full Debian mirror? EMU_ARM64_MIRROR=$MIRROR)"
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
	# (Every kernel package has some virtio module, so the pattern matches.)
	dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$unpack" --wildcards ./boot \
		'./lib/modules/*/kernel/drivers/*virtio*' ||
		die "cannot unpack $deb (a damaged download? delete $CACHE/tmp and retry)"
	local image config
	image=$(ls "$unpack"/boot/vmlinu[xz]-* 2>/dev/null | head -n 1)
	config=$(ls "$unpack"/boot/config-* 2>/dev/null | head -n 1)
	[ -n "$image" ] || die "$deb has no /boot/vmlinuz-*: not a kernel package?"
	check_kernel_config "$flavour" "$config"
	# Replace the old kernel only once the new one is complete, so an
	# interrupted fetch never leaves a half-written kernel behind.
	rm -rf "$dir.new" && mkdir -p "$dir.new"
	mv "$image" "$dir.new/vmlinuz"
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
	for option in VIRTIO_PCI:virtio_pci VIRTIO_CONSOLE:virtio_console; do
		if grep -qx "CONFIG_${option%%:*}=m" "$config"; then
			wanted+=("${option#*:}")
		elif ! grep -qx "CONFIG_${option%%:*}=y" "$config"; then
			die "the $flavour kernel has no CONFIG_${option%%:*}: the machine could not send its files back"
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

# What else the machine needs must be built in (=y). Check it now rather
# than find out from a confusing boot failure.
check_kernel_config() {
	local flavour=$1 config=$2 option missing=
	[ -n "$config" ] || die "the $flavour kernel package has no /boot/config-*"
	for option in CONFIG_KVM CONFIG_DEVTMPFS CONFIG_BLK_DEV_INITRD \
		CONFIG_RD_GZIP CONFIG_SERIAL_AMBA_PL011_CONSOLE; do
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
			die "no arm64 version of $pkg in Debian $SUITE"
		download "$pkg" "$version"
		dpkg-deb -x "$deb" "$dir.new" || die "cannot unpack $deb"
		echo "$pkg $version" >>"$dir.new/VERSIONS.tmp"
		rm -f "$deb"
	done
	# The kit links its arm64 test programs statically (the initramfs has
	# no shared libraries), so the archives must be there.
	for lib in libcunit.a libcapstone.a libjansson.a; do
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
	[ -n "$version" ] && [ "$version" != "(none)" ] || die "no arm64 version of $pkg in Debian $SUITE"
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
