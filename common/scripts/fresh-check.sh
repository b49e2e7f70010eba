#!/bin/bash
# SPDX-License-Identifier: MIT
#
# fresh-check.sh BUILD - what `make fresh-check` runs: the README's two
# commands on a brand-new Debian 12, as a new user would type them.
#
#   1. a bare Debian 12 root (debootstrap --variant=minbase, plus only git,
#      make and ca-certificates: what a user has before the README), built
#      once and kept as BUILD/fresh/root.tar; every run starts from a new
#      copy of it, so nothing installed by an earlier run is left;
#   2. the committed tree cloned into it with its own git (HEAD: what a
#      clone would get, not the files being edited);
#   3. `make deps`, then `make check` with skips fatal (KIT_FAIL_ON_SKIP=1),
#      in a chroot with /dev, /proc and /sys bound in, so /dev/kvm works.
#
# It prints the closing line of the run inside and the time of each part;
# its exit status is that run's. The whole run lives in a mount namespace
# of its own: every mount it makes is gone when it ends, whatever happens.
# Needs root (debootstrap and chroot).
#
# Environment: FRESH_MIRROR, FRESH_SECURITY_MIRROR (default: the ones this
# machine's apt uses for bookworm, else deb.debian.org).
set -euo pipefail

prog=fresh-check
say() { echo "$prog: $*"; }
die() { echo "$prog: error: $*" >&2; exit 1; }

[ $# -eq 1 ] || { echo "usage: $0 BUILD" >&2; exit 2; }
[ "$(id -u)" = 0 ] ||
	die "needs root: it builds a Debian root with debootstrap and runs the kit in it with chroot. Run: sudo make fresh-check"
for tool in debootstrap chroot unshare git tar; do
	command -v $tool >/dev/null ||
		die "'$tool' is missing (make deps installs what the kit needs)"
done
KEYRING=/usr/share/keyrings/debian-archive-keyring.gpg
[ -r $KEYRING ] || die "$KEYRING is missing (package debian-archive-keyring: make deps)"

top=$(git rev-parse --show-toplevel)
mkdir -p "$1/fresh"
dir=$(cd "$1/fresh" && pwd)
SUITE=bookworm

# shellcheck source=common/scripts/debian-mirrors.sh
. "$top/common/scripts/debian-mirrors.sh"
debian_mirrors FRESH $SUITE

# ---- 1. the bare root, built once ---------------------------------------
tarball=$dir/root.tar
stamp="$SUITE minbase git,make,ca-certificates $MIRROR $SECURITY"
t0=$(now)
if [ ! -f "$tarball" ] || [ "$(cat "$dir/root.stamp" 2>/dev/null)" != "$stamp" ]; then
	say "building a bare Debian 12 root (debootstrap --variant=minbase $SUITE $MIRROR)"
	new=$dir/bootstrap
	rm -rf "$new"
	if ! debootstrap --variant=minbase --include=git,make,ca-certificates \
		--keyring=$KEYRING $SUITE "$new" "$MIRROR" > "$dir/debootstrap.log" 2>&1; then
		tail -n 20 "$dir/debootstrap.log" >&2
		die "debootstrap failed (whole log: $dir/debootstrap.log)"
	fi
	# What Debian's installer writes: the release, its updates and its
	# security suite.
	cat > "$new/etc/apt/sources.list" <<-EOF
	deb $MIRROR $SUITE main
	deb $MIRROR $SUITE-updates main
	deb $SECURITY $SUITE-security main
	EOF
	chroot "$new" apt-get clean
	tar -C "$new" --numeric-owner -cf "$tarball.new" .
	mv "$tarball.new" "$tarball"
	echo "$stamp" > "$dir/root.stamp"
	rm -rf "$new"
	t_root="built in $(since "$t0")"
else
	t_root="cached ($tarball)"
fi

t1=$(now)
root=$dir/root
rm -rf "$root"
mkdir -p "$root"
tar -C "$root" --numeric-owner -xf "$tarball"
# The machine's name servers, and its apt network settings (a proxy, or an
# archive whose Release files must not be judged by date), as any machine
# on this network would be set up.
cp /etc/resolv.conf "$root/etc/resolv.conf"
apt-config dump 2>/dev/null |
	grep -E '^Acquire::((https?|ftp)::Proxy|Check-Valid-Until|Check-Date) ' \
	> "$root/etc/apt/apt.conf.d/00this-network" || true
say "bare root: $t_root; a new copy of it in $(since "$t1")"

# ---- 2-3. clone, make deps, make check, inside -----------------------
log=$dir/run.log
inside() { # label show-regex command: run a shell command in the root;
	# all its output goes to the log, the lines matching show-regex here too
	local label=$1 show=$2 start status
	shift 2
	start=$(now)
	say "$label ..."
	# shellcheck disable=SC2016
	unshare -m --propagation private bash -c '
		set -e
		root=$1 src=$2
		shift 2
		mount --bind "$root" "$root"   # "/" inside is a mount point
		mount --rbind /dev "$root/dev"
		mount -t proc proc "$root/proc"
		mount --rbind /sys "$root/sys"
		mkdir -p "$root/src"
		mount --bind -o ro "$src" "$root/src"
		exec chroot "$root" /usr/bin/env -i HOME=/root TERM=dumb LANG=C.UTF-8 \
			PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
			CI=true KIT_FAIL_ON_SKIP=1 /bin/bash -c "$1"
	' fresh "$root" "$top" "$1" 2>&1 | tee -a "$log" |
		{ grep --line-buffered -E "$show" | sed -u 's/^/  | /' || true; }
	status=${PIPESTATUS[0]}
	say "$label: status $status, $(since "$start")"
	return "$status"
}
: > "$log"
status=0
inside "clone the committed tree" '^fatal' 'git clone -q --no-hardlinks /src /root/kit' || status=$?
[ $status = 0 ] && { inside "make deps" '^deps: [a-z]' 'cd /root/kit && make deps' || status=$?; }
[ $status = 0 ] && { inside "make check (KIT_FAIL_ON_SKIP=1)" '^#####' \
	'cd /root/kit && make check' || status=$?; }
if [ $status != 0 ]; then
	tail -n 40 "$log"
	echo "$prog: FAILED with status $status (whole log: $log)"
	exit $status
fi
closing=$(grep -E '^[0-9]+ passed, [0-9]+ failed, [0-9]+ skipped$' "$log" | tail -n 1)
say "in a brand-new Debian 12 root: ${closing:-no closing line (see $log)}"
say "total $(since "$t0") (log: $log)"
[ -n "$closing" ]
