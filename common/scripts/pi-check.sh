#!/bin/bash
# SPDX-License-Identifier: MIT
#
# pi-check.sh BUILD [5|4] - what `make pi-check [PI=5|4]` runs: the README's
# "On a Raspberry Pi" commands typed, word for word, by an ordinary user of
# a whole Debian 12 arm64 system, in an emulated Raspberry Pi.
#
#   1. a Debian 12 arm64 root with only what a Pi user has before the
#      README (git, make, sudo, ca-certificates) besides a kernel, systemd
#      and a network: built once with mmdebstrap, the arm64 programs of its
#      packages run through qemu-user-static (binfmt_misc), and kept as
#      BUILD/pi/PI/root.tar; every run starts from a new copy of it;
#   2. the committed tree, as a bare repository the user clones (HEAD: what
#      a clone would get, not the files being edited), on a virtio disk
#      made with mke2fs -d;
#   3. the machine booted in qemu-system-aarch64 with the CPU of the Pi and
#      Debian's 6.12 kernel of its page size: a Pi 5 (the default) is a
#      Cortex-A76 with the 16 KiB-page kernel, a Pi 4 a Cortex-A72 with the
#      4 KiB one; both with EL2, so /dev/kvm works inside, 4 GiB of memory,
#      and QEMU's user-mode network, through which `make deps` installs
#      from Debian's archive, as on a real Pi;
#   4. inside, as the user `student` (in the groups kvm and sudo, with sudo
#      without a password, as Raspberry Pi OS sets up its first user): the
#      commands of the README's <!-- pi-check --> block, then (instructors'
#      tree) `make lesson-05 SOLUTION=1` and `make check` with skips fatal.
#
# Everything the machine prints streams into BUILD/pi/PI/run.log, and the
# lines that matter here too; the exit status is the run's. It closes with
# the page size the machine reports, `make check`'s closing line, and the
# time of each part.
#
# Needs root: mmdebstrap, binfmt_misc (registered for the run if it is not
# already, and unregistered afterwards), and a root-owned tree for mke2fs.
#
# Environment: PI_MIRROR, PI_SECURITY_MIRROR (default: the ones this
# machine's apt uses for bookworm, else deb.debian.org); PI_TIMEOUT
# (seconds, default 21600: the run is stopped after it); PI_MEMORY (default
# 4G); PI_CPUS (default: this machine's, at most 4, as many as a Pi has).
# Before the first command the machine waits, up to NET_WAIT_S, until the
# names its apt needs resolve, and says how long that took.
set -euo pipefail

prog=pi-check
say() { echo "$prog: $*"; }
die() { echo "$prog: error: $*" >&2; exit 1; }

[ $# -ge 1 ] && [ $# -le 2 ] || { echo "usage: $0 BUILD [5|4]" >&2; exit 2; }
PI=${2:-5}
case $PI in
5) flavour=6.12-16k cpu=cortex-a76 model="Raspberry Pi 5 (Cortex-A76, 16 KiB pages)" ;;
4) flavour=6.12 cpu=cortex-a72 model="Raspberry Pi 4 (Cortex-A72, 4 KiB pages)" ;;
*) die "PI=$PI: the kit emulates a Raspberry Pi 5 (PI=5, the default) or 4 (PI=4)" ;;
esac
[ "$(uname -m)" = x86_64 ] ||
	die "make pi-check emulates a Raspberry Pi on an x86_64 machine; on an arm64 machine, run the README's commands themselves"
[ "$(id -u)" = 0 ] ||
	die "needs root: mmdebstrap builds the Pi's root, with binfmt_misc. Run: sudo make pi-check"
for tool in mmdebstrap qemu-system-aarch64 mke2fs git tar timeout flock; do
	command -v $tool >/dev/null || die "'$tool' is missing (make deps installs what the kit needs)"
done
QEMU_USER=/usr/libexec/qemu-binfmt/aarch64-binfmt-P
BINFMT_CONF=/usr/lib/binfmt.d/qemu-aarch64.conf
[ -x "$QEMU_USER" ] && [ -r "$BINFMT_CONF" ] ||
	die "qemu-user-static's arm64 interpreter is missing (make deps installs it)"
KEYRING=/usr/share/keyrings/debian-archive-keyring.gpg
[ -r $KEYRING ] || die "$KEYRING is missing (package debian-archive-keyring: make deps)"

top=$(git rev-parse --show-toplevel)
build=$(mkdir -p "$1" && cd "$1" && pwd)
dir=$build/pi/$PI
mkdir -p "$dir"
SUITE=bookworm
USER_NAME=student
TIMEOUT=${PI_TIMEOUT:-21600}
NET_WAIT_S=300
MEMORY=${PI_MEMORY:-4G}
CPUS=${PI_CPUS:-$(nproc)}
[ "$CPUS" -le 4 ] || CPUS=4

# shellcheck source=common/scripts/debian-mirrors.sh
. "$top/common/scripts/debian-mirrors.sh"
debian_mirrors PI $SUITE
times=()
part() { times+=("$1: $2"); }

# ---- the README's commands ----------------------------------------------
# The shell block between <!-- pi-check --> and <!-- /pi-check --> in the
# README, one command per line, without its comments. "<this repository>"
# is the one word that differs: here, the bare repository on the disk.
readme_commands() {
	awk '/^<!-- pi-check -->$/ { on = 1; next } /^<!-- \/pi-check -->$/ { on = 0 }
		on && !/^```/' "$top/README.md" |
		sed -e 's/[[:space:]]\{1,\}#.*$//' -e '/^[[:space:]]*$/d'
}
mapfile -t commands < <(readme_commands)
[ ${#commands[@]} -gt 0 ] || die "README.md has no <!-- pi-check --> block of commands"
if [ -d "$top/solutions" ]; then
	commands+=("make lesson-05 SOLUTION=1" "make check")
fi

# ---- 1. the Pi's root, built once -----------------------------------------
bash "$top/common/emu/fetch.sh" --machine arm64 "$build/emu-arm64" "$flavour" > "$dir/fetch.log" 2>&1 ||
	{ cat "$dir/fetch.log" >&2; die "could not find Debian's $flavour kernel"; }
kernel_package=$(cat "$build/emu-arm64/kernels/$flavour/PACKAGE")
# The kernel Debian's archive has for this flavour; a Pi runs its own
# kernel, a Debian one of the same page size stands in for it.
packages="systemd-sysv,udev,dbus,kmod,initramfs-tools,$kernel_package,sudo,git,make,ca-certificates"

# binfmt_misc, so that the root's arm64 programs run here while it is built.
registered=
unregister() {
	if [ -n "$registered" ] && [ -e /proc/sys/fs/binfmt_misc/qemu-aarch64 ]; then
		echo -1 > /proc/sys/fs/binfmt_misc/qemu-aarch64 || true
	fi
}
trap unregister EXIT
ensure_binfmt() {
	if [ ! -e /proc/sys/fs/binfmt_misc/register ]; then
		mount -t binfmt_misc binfmt_misc /proc/sys/fs/binfmt_misc ||
			die "cannot mount binfmt_misc on /proc/sys/fs/binfmt_misc"
	fi
	if [ ! -e /proc/sys/fs/binfmt_misc/qemu-aarch64 ]; then
		grep -v '^#' "$BINFMT_CONF" > /proc/sys/fs/binfmt_misc/register ||
			die "cannot register $BINFMT_CONF with binfmt_misc"
		registered=yes
		say "binfmt_misc: arm64 programs run through $QEMU_USER while the root is built"
	fi
}

# What Raspberry Pi OS's first user has, and what the machine needs to run
# the commands at boot and power off after them (mmdebstrap's hook
# arguments: $1 is the root).
customize=$(cat <<EOF
set -e
chroot "\$1" sh -c 'getent group kvm >/dev/null || groupadd --system kvm'
chroot "\$1" useradd --create-home --shell /bin/bash --groups kvm,sudo $USER_NAME
echo "$USER_NAME ALL=(ALL) NOPASSWD: ALL" > "\$1/etc/sudoers.d/010_$USER_NAME-nopasswd"
chmod 0440 "\$1/etc/sudoers.d/010_$USER_NAME-nopasswd"
echo raspberrypi > "\$1/etc/hostname"
printf '127.0.0.1\tlocalhost\n127.0.1.1\traspberrypi\n::1\tlocalhost ip6-localhost ip6-loopback\n' > "\$1/etc/hosts"
echo '/dev/vda / ext4 defaults 0 1' > "\$1/etc/fstab"
printf '[Match]\nName=en*\n\n[Network]\nDHCP=yes\n' > "\$1/etc/systemd/network/20-wired.network"
chroot "\$1" systemctl enable systemd-networkd.service systemd-networkd-wait-online.service
chroot "\$1" systemctl mask serial-getty@ttyAMA0.service getty@tty1.service
EOF
)

# Before the kernel's package: its initramfs holds only the drivers of the
# machine's disk and root file system (virtio_pci is built in). Debian's
# default, every module there is (MODULES=most), takes ten minutes each of
# the two times it is made through qemu-user.
essential=$(cat <<'EOF'
set -e
mkdir -p "$1/etc/initramfs-tools/conf.d" "$1/usr/share/initramfs-tools/modules.d"
echo MODULES=list > "$1/etc/initramfs-tools/conf.d/pi-check"
printf 'virtio_blk\next4\n' > "$1/usr/share/initramfs-tools/modules.d/pi-check"
EOF
)

tarball=$dir/root.tar
stamp="$SUITE minbase $packages $MIRROR $SECURITY $(printf %s "$essential$customize" | sha256sum | cut -c1-16)"
t0=$(now)
# One root is built at a time (binfmt_misc is shared): a second pi-check
# waits here for the first one's build, not for its run.
exec 8>"$build/pi/.build.lock"
flock 8
if [ ! -f "$tarball" ] || [ "$(cat "$dir/root.stamp" 2>/dev/null)" != "$stamp" ]; then
	ensure_binfmt
	say "building the Pi's Debian 12 arm64 root (mmdebstrap --arch=arm64; about 10 minutes)"
	rm -f "$tarball.new"
	if ! mmdebstrap --arch=arm64 --variant=minbase --mode=root --format=tar \
		--keyring=$KEYRING --include="$packages" \
		--essential-hook="$essential" --customize-hook="$customize" \
		$SUITE "$tarball.new" \
		"deb $MIRROR $SUITE main" "deb $MIRROR $SUITE-updates main" \
		"deb $SECURITY $SUITE-security main" > "$dir/mmdebstrap.log" 2>&1; then
		tail -n 30 "$dir/mmdebstrap.log" >&2
		die "mmdebstrap failed (whole log: $dir/mmdebstrap.log)"
	fi
	mv "$tarball.new" "$tarball"
	echo "$stamp" > "$dir/root.stamp"
	part "the root (mmdebstrap)" "built in $(since "$t0")"
else
	part "the root (mmdebstrap)" "cached"
fi
unregister
registered=
flock -u 8

# ---- 2. this run's disk ------------------------------------------------
t1=$(now)
root=$dir/root
rm -rf "$root"
mkdir -p "$root"
tar -C "$root" --numeric-owner -xf "$tarball"
uid=$(awk -F: -v u=$USER_NAME '$1 == u { print $3 }' "$root/etc/passwd")
gid=$(awk -F: -v u=$USER_NAME '$1 == u { print $4 }' "$root/etc/passwd")
# QEMU's user-mode network has its name server at 10.0.2.3; apt's network
# settings of this machine (a proxy, or an archive whose Release files must
# not be judged by date) go with it, a proxy on this machine's loopback
# being this machine's address there, 10.0.2.2.
echo 'nameserver 10.0.2.3' > "$root/etc/resolv.conf"
apt-config dump 2>/dev/null |
	grep -E '^Acquire::((https?|ftp)::Proxy|Check-Valid-Until|Check-Date) ' |
	sed -E 's#//(localhost|127\.0\.0\.1)([:/"])#//10.0.2.2\2#' \
	> "$root/etc/apt/apt.conf.d/00this-network" || true
git clone -q --bare --no-hardlinks "$top" "$root/srv/kvm-kit.git"
# The names the machine's apt must resolve: its proxy's, if it has one, else
# the archive's. Before the first command, the machine waits until they do
# (QEMU's name server forwards to this machine's, which can be slow to
# answer a machine that has just booted); a student's Pi has its own.
net_hosts=$(grep -oE '"[a-z]+://[^"]*"' "$root/etc/apt/apt.conf.d/00this-network" 2>/dev/null |
	grep -o '//[^"]*' || true)
[ -n "$net_hosts" ] || net_hosts="//${MIRROR#*://} //${SECURITY#*://}"
net_hosts=$(printf '%s\n' $net_hosts | sed -E 's#^//([^@/]*@)?([^:/]+).*#\2#' | sort -u | paste -sd' ')
chown -R "$uid:$gid" "$root/srv/kvm-kit.git"

# The commands, as a script the user's shell reads one line at a time: a
# `cd` stays done, as when typed. Each line is announced, timed, and its
# status compared with what it should be: 0, and 2 for a lesson on the
# untouched starter code (it builds and runs, and scores 0).
inside=$root/usr/local/lib/pi-check/commands.sh
mkdir -p "$(dirname "$inside")"
{
	echo 'mark() { echo "pi-check-inside: $*"; }'
	echo 'mark "page size $(getconf PAGESIZE) bytes; $(uname -srm); $(nproc) CPUs; $(id)"'
	echo 'mark "$(ls -l /dev/kvm 2>&1)"'
	# The network first: every name apt needs resolves (NET_WAIT_S at most).
	cat <<EOF
t=\$(date +%s)
for h in $net_hosts; do
	until getent hosts "\$h" > /dev/null; do
		if [ \$(( \$(date +%s) - t )) -ge $NET_WAIT_S ]; then
			mark "stopped: the network: \$h does not resolve after $NET_WAIT_S s (the machine's name server, 10.0.2.3, is QEMU's: it asks this host's, in /etc/resolv.conf)"
			exit 1
		fi
		sleep 2
	done
done
mark "the network: the names apt needs resolve ($net_hosts), after \$(( \$(date +%s) - t )) s"
EOF
	echo 'cd ~'
	i=0
	for c in "${commands[@]}"; do
		i=$((i + 1)) want=0
		[[ $c =~ ^make\ lesson-[0-9]+$ ]] && want=2
		printf 'mark %q\n' "[$i] \$ $c"
		echo 't=$(date +%s)'
		printf '%s\n' "${c//<this repository>//srv/kvm-kit.git}"
		echo 'st=$?'
		printf 'mark "[%d] status $st (expected %d) in $(( $(date +%%s) - t )) s"\n' $i $want
		printf '[ "$st" = %d ] || { mark "stopped: [%d] ended with status $st, not %d"; exit 1; }\n' $want $i $want
	done
	echo 'mark "every command ended as it should"'
} > "$inside"
cat > "$root/etc/systemd/system/pi-check.service" <<EOF
[Unit]
Description=The README's commands, typed by $USER_NAME
Wants=network-online.target
After=network-online.target

[Service]
Type=oneshot
User=$USER_NAME
Environment=LANG=C.UTF-8 TERM=dumb CI=true KIT_FAIL_ON_SKIP=1
ExecStart=/bin/bash /usr/local/lib/pi-check/commands.sh
ExecStopPost=+/bin/sh -c 'echo "pi-check-inside: exit status \$EXIT_STATUS"; systemctl poweroff --no-block'
StandardOutput=tty
StandardError=tty
TTYPath=/dev/ttyAMA0
TimeoutStartSec=infinity

[Install]
WantedBy=multi-user.target
EOF
mkdir -p "$root/etc/systemd/system/multi-user.target.wants"
ln -s /etc/systemd/system/pi-check.service "$root/etc/systemd/system/multi-user.target.wants/pi-check.service"
kernel=$(ls "$root"/boot/vmlinuz-* | head -n 1)
initrd=$(ls "$root"/boot/initrd.img-* | head -n 1)
cp "$kernel" "$dir/vmlinuz"
cp "$initrd" "$dir/initrd.img"
disk=$dir/disk.img
rm -f "$disk"
mke2fs -q -t ext4 -L pi-root -d "$root" -F "$disk" 32G ||
	die "mke2fs could not make the disk image from $root"
rm -rf "$root"
part "this run's disk (the root, the kit's commits)" "$(since "$t1")"

# ---- 3-4. boot, and the commands inside --------------------------------
log=$dir/run.log
say "booting an emulated $model: $CPUS CPUs, $MEMORY, $(basename "$kernel")"
say "(everything it prints: $log)"
t2=$(now)
# shellcheck disable=SC2054 # the commas belong to QEMU's options
qemu=(qemu-system-aarch64 -M virt,virtualization=on,gic-version=2 -cpu "$cpu"
	-smp "$CPUS" -m "$MEMORY" -accel tcg,thread=multi
	-nographic -no-reboot -monitor none -serial stdio
	-kernel "$dir/vmlinuz" -initrd "$dir/initrd.img"
	-append "root=/dev/vda rw console=ttyAMA0 quiet loglevel=3 systemd.show_status=false panic=-1"
	-drive "file=$disk,format=raw,if=virtio,cache=unsafe"
	-netdev user,id=net0 -device virtio-net-pci,netdev=net0,romfile=)
set +e
# (sed -u, not tr: a line reaches the log and the screen as it is printed.)
timeout --foreground -k 10 "$TIMEOUT" "${qemu[@]}" < /dev/null 2>&1 | sed -u 's/\r//g' | tee "$log" |
	{ grep --line-buffered -E '^(pi-check-inside: |deps: [a-z]|score |#####|[0-9]+ passed, )' |
		sed -u 's/^/  | /' || true; }
qemu_status=${PIPESTATUS[0]}
set -e
part "the machine, from boot to power-off" "$(since "$t2")"

boot_s=$(awk '/^pi-check-inside: page size/ { print "seen"; exit }' "$log")
status=$(sed -n 's/^pi-check-inside: exit status \([0-9]*\)$/\1/p' "$log" | tail -n 1)
page=$(sed -n 's/^pi-check-inside: page size \([0-9]*\) bytes.*/\1/p' "$log" | head -n 1)
closing=$(grep -E '^[0-9]+ passed, [0-9]+ failed, [0-9]+ skipped$' "$log" | tail -n 1 || true)

say "$model"
say "  page size inside: ${page:-not reported} bytes"
net=$(sed -n 's/^pi-check-inside: \(stopped: \)\{0,1\}\(the network: .*\)/\2/p' "$log" | head -n 1)
[ -z "$net" ] || say "  $net"
for t in "${times[@]}"; do say "  $t"; done
grep -E '^pi-check-inside: \[[0-9]+\] status ' "$log" | while read -r line; do
	n=${line#pi-check-inside: [}
	n=${n%%]*}
	say "  [$n] $(sed -n "s/^pi-check-inside: \\[$n\\] \\$ //p" "$log" | head -n 1): ${line#*] }"
done
[ -n "$boot_s" ] || say "  the commands never started (see the end of $log)"
say "  make check inside: ${closing:-no closing line}"
if [ "$qemu_status" = 124 ]; then
	say "FAILED: stopped after $TIMEOUT s (PI_TIMEOUT)"
	exit 1
fi
if [ "${status:-x}" != 0 ]; then
	tail -n 40 "$log"
	say "FAILED: the run inside ended with status ${status:-unknown} (QEMU: $qemu_status; whole log: $log)"
	exit 1
fi
[ -n "$closing" ] || [ ! -d "$top/solutions" ] || { say "FAILED: no closing line from make check"; exit 1; }
say "passed on an emulated $model"
