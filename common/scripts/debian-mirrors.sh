# SPDX-License-Identifier: MIT
#
# debian-mirrors.sh - sourced by fresh-check.sh and pi-check.sh, which
# build Debian 12 roots: the mirrors for them, and their timing helpers.
#
# debian_mirrors PREFIX SUITE: MIRROR and SECURITY, the archive and its
# security suite, from $PREFIX_MIRROR and $PREFIX_SECURITY_MIRROR if they
# are set, else the ones this machine's apt already uses for SUITE (so
# the root reaches Debian the way this machine does), else Debian's own.
debian_mirrors() {
	local from
	from=${1}_MIRROR MIRROR=${!from:-$(apt_uri "$2/main")}
	MIRROR=${MIRROR:-http://deb.debian.org/debian}
	from=${1}_SECURITY_MIRROR SECURITY=${!from:-$(apt_uri "$2-security/main")}
	SECURITY=${SECURITY:-http://deb.debian.org/debian-security}
}
apt_uri() { # suite/component: the mirror this machine's apt uses for it
	apt-cache policy 2>/dev/null | awk -v want="$1" '$3 == want { print $2; exit }'
}

# t=$(now) ... since "$t": the seconds since, as "N s".
now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.0f s", b - a }'; }
