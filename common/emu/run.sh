#!/bin/bash
# SPDX-License-Identifier: MIT
#
# run.sh [OPTIONS] -- PROGRAM [ARG...]
# run.sh [OPTIONS] --batch FILE
#
# Run static programs inside an emulated Linux machine with KVM inside
# (QEMU), as if they ran here: arm64 (qemu-system-aarch64, EL2), or x86_64
# with AMD-V (qemu-system-x86_64, SVM with nested paging). What differs
# between the machines is data: machines/MACHINE.sh.
#
# With a PROGRAM: its output streams to stdout, the files it leaves in its
# directory (/out, also $KIT_OUT) come back to --out, and run.sh exits with
# its exit status. It runs as /bin/NAME with ARGs unchanged and /dev/null
# as stdin.
#
# With --batch FILE: one boot runs every line of FILE in turn, each
# "NAME<TAB>PROGRAM<TAB>ARG<TAB>..." (a host program and its arguments).
# Run NAME works in its own directory; OUT/NAME/ gets back its files, its
# output (output.txt) and how it ended (status: "exit N", "signal N NAME",
# "timeout N" or "not-started WHY"). run.sh exits 0 if the machine ran
# them all (whatever they returned), else with the machine's status below.
#
# Options:
#   --machine M       arm64 or x86_64 (default: $EMU_MACHINE, else arm64)
#   --kernel K        one of the machine's kernels (arm64: 6.12, 6.12-16k,
#                     6.1; x86_64: 6.1), fetched into the cache by fetch.sh,
#                     or the path of a kernel image, with a / in it
#                     (default: $EMU_KERNEL, else the machine's default)
#   --cache DIR       the cache fetch.sh filled (default: $EMU_CACHE, else
#                     build/emu-MACHINE at the top of the kit)
#   --fetch           fetch what the cache lacks first (kernel, busybox)
#   --file F[:PATH]   also put file F in the machine, at /bin/NAME or PATH
#   --out DIR         where the files come back to (default: .)
#   --collect PATH    also bring back the guest's file PATH (single program)
#   --env KEY=VALUE   set an environment variable for the programs. NO_COLOR,
#                     KIT_FAIL_ON_SKIP and KIT_TEST_TIMEOUT are passed on
#                     from here by themselves; NO_COLOR=1 is set when this
#                     script's stdout is not a terminal, and
#                     KIT_EMULATED_MACHINE (the QEMU and kernel) always.
#   --timeout S       each program's time limit (default 300)
#   --boot-timeout S  how long the kernel may take to start /init (default 60)
#   --quiet           print nothing but the program's output and errors
#   --verbose         also show the guest kernel's messages and timings
#
# Exit status: the program's, or (with a message saying what to do):
#   124 the program did not finish within --timeout (it was killed)
#   125 wrong usage, or a file to run or include is missing or unusable
#   126 the program is there but could not be started (not a static
#       executable of the machine?)      127 the program was not in the machine
#   128+N the program was killed by signal N (139: SIGSEGV)
#   118 QEMU is missing     119 the kernel is missing
#   120 the kernel did not start /init within --boot-timeout
#   121 the guest kernel panicked
#   122 the machine stopped, or stopped answering, before its end was
#       reported, or its files did not come back whole
#   123 QEMU failed (its message is shown)
#
# A machine that stops answering (nothing from it for a program's time
# limit plus STALL_GRACE_S, or, between programs, for FILES_GRACE_S) is
# stopped and booted once more to run everything again: an emulated
# machine on a busy computer can stall (its kernel may say "hard LOCKUP"
# first). A second stall ends the run with 122, naming the program.
#
# Example:
#   common/emu/run.sh --kernel 6.12-16k --collect /tmp/probe.json \
#       --out /tmp/results -- build/emu-arm64/bin/kvmprobe
#   common/emu/run.sh --machine x86_64 -- build/x86_64-emu/solution/01-first-run/grade
set -uo pipefail

prog=emu
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
kit_top=$(cd "$here/../.." && pwd)

EXIT_TIMEOUT=124 EXIT_USAGE=125 EXIT_CANNOT_EXEC=126 EXIT_NOT_FOUND=127
EXIT_SIGNAL_BASE=128
EXIT_NO_QEMU=118 EXIT_NO_KERNEL=119 EXIT_BOOT_TIMEOUT=120 EXIT_PANIC=121
EXIT_LOST=122 EXIT_QEMU_FAILED=123

# Environment variables passed from here to the programs by themselves: the
# ones the kit's grading harness reads (common/grade/).
PASS_ENV="NO_COLOR KIT_FAIL_ON_SKIP KIT_TEST_TIMEOUT"
# How long the machine may be silent before it is taken to have stopped
# answering: a program's time limit plus STALL_GRACE_S while it runs (its
# limit is kept inside the machine, by /init), FILES_GRACE_S between
# programs and while /init sends the files back, and POWEROFF_GRACE_S for
# QEMU to exit after the end. BOOTS: how many times the machine is booted
# at most when it stops answering.
# (EMU_STALL_GRACE_S sets the first: selftest.sh makes it short.)
STALL_GRACE_S=${EMU_STALL_GRACE_S:-30} FILES_GRACE_S=60 POWEROFF_GRACE_S=10 BOOTS=2
# Hidden console lines kept to explain a failure (the kernel's last words).
TAIL_LINES=25

# ---- messages -----------------------------------------------------------
quiet=0 verbose=0
info() { [ $quiet = 1 ] || echo "$prog: $*" >&2; }
error() { echo "$prog: error: $*" >&2; }
die() { local status=$1; shift; error "$@"; exit "$status"; }
usage() {
	sed -n '4,/^[^#]/s/^# \{0,1\}//p' "$0" >&2
	exit $EXIT_USAGE
}

# ---- options ------------------------------------------------------------
machine=${EMU_MACHINE:-arm64} kernel=${EMU_KERNEL:-} cache=${EMU_CACHE:-}
fetch=0 out=. timeout_s=300 boot_timeout_s=60 batch=
files=() collect=() envs=()

need_arg() { [ $# -ge 2 ] || { error "$1 needs a value"; usage; }; }
is_seconds() { [[ $1 =~ ^[1-9][0-9]*$ ]]; }
while [ $# -gt 0 ]; do
	case $1 in
	--machine) need_arg "$@"; machine=$2; shift 2 ;;
	--kernel) need_arg "$@"; kernel=$2; shift 2 ;;
	--cache) need_arg "$@"; cache=$2; shift 2 ;;
	--fetch) fetch=1; shift ;;
	--file) need_arg "$@"; files+=("$2"); shift 2 ;;
	--out) need_arg "$@"; out=$2; shift 2 ;;
	--collect) need_arg "$@"; collect+=("$2"); shift 2 ;;
	--env) need_arg "$@"; envs+=("$2"); shift 2 ;;
	--timeout) need_arg "$@"; timeout_s=$2; shift 2 ;;
	--boot-timeout) need_arg "$@"; boot_timeout_s=$2; shift 2 ;;
	--batch) need_arg "$@"; batch=$2; shift 2 ;;
	--quiet) quiet=1; shift ;;
	--verbose) verbose=1; shift ;;
	-h|--help) usage ;;
	--) shift; break ;;
	*) error "unexpected '$1' (the program to run comes after --)"; usage ;;
	esac
done
if [ -n "$batch" ]; then
	[ $# -eq 0 ] || { error "--batch runs the programs its file names: no program after --"; usage; }
	[ -f "$batch" ] || die $EXIT_USAGE "--batch $batch: no such file"
else
	[ $# -ge 1 ] || { error "no program to run (give it after --)"; usage; }
fi
is_seconds "$timeout_s" || die $EXIT_USAGE "--timeout wants whole seconds, not '$timeout_s'"
is_seconds "$boot_timeout_s" ||
	die $EXIT_USAGE "--boot-timeout wants whole seconds, not '$boot_timeout_s'"

[ -f "$here/machines/$machine.sh" ] ||
	die $EXIT_USAGE "no machine '$machine' (known: $(cd "$here/machines" && ls | sed 's/\.sh$//' | paste -sd' '))"
# shellcheck source=machines/arm64.sh
. "$here/machines/$machine.sh"
prog=emu-$machine
kernel=${kernel:-$DEFAULT_KERNEL}
cache=${cache:-$kit_top/build/emu-$machine}

# ---- what is needed on the host ---------------------------------------
command -v $QEMU >/dev/null ||
	die $EXIT_NO_QEMU "$QEMU is not installed: it emulates the $MACHINE_TITLE machine that runs
    lessons on this computer. Install it with: sudo apt-get install $QEMU_PACKAGE"

# The kernel: a flavour in the cache, or a file.
case $kernel in
*/*) kernel_file=$kernel ;;			# a path: ./vmlinuz, /boot/...
*) kernel_file=$cache/kernels/$kernel/vmlinuz ;;	# a flavour
esac
kernel_dir=$(dirname "$kernel_file")
busybox=$cache/busybox/busybox
if [ $fetch = 1 ] && [[ $kernel != */* ]] && [ ! -s "$kernel_file" ]; then
	info "kernel $kernel is not in $cache yet: fetching it (once)"
	"$here/fetch.sh" --machine "$machine" "$cache" "$kernel" >&2 ||
		die $EXIT_NO_KERNEL "could not fetch kernel $kernel (fetch.sh said why above)"
fi
if [ $fetch = 1 ] && [ ! -x "$busybox" ]; then
	"$here/fetch.sh" --machine "$machine" "$cache" busybox >&2 ||
		die $EXIT_USAGE "could not fetch busybox (fetch.sh said why above)"
fi
if [ ! -s "$kernel_file" ]; then
	if [[ $kernel == */* ]]; then
		die $EXIT_NO_KERNEL "no kernel image at $kernel"
	fi
	have=$(ls "$cache/kernels" 2>/dev/null | paste -sd' ')
	case " $KERNELS " in
	*" $kernel "*)
		die $EXIT_NO_KERNEL "kernel $kernel is not in $cache/kernels/ (there: ${have:-nothing}).
    Fetch it once with: $here/fetch.sh --machine $machine $cache $kernel" ;;
	*)
		die $EXIT_NO_KERNEL "no kernel '$kernel' for the $machine machine: give one of $KERNELS
    (fetched with $here/fetch.sh --machine $machine $cache FLAVOUR), or the path of a kernel image" ;;
	esac
fi
kernel_name=$kernel
[ -s "$kernel_dir/PACKAGE" ] &&
	kernel_name="$kernel ($(cat "$kernel_dir/PACKAGE") $(cat "$kernel_dir/VERSION"))"

mkdir -p "$out" || die $EXIT_USAGE "cannot create the output directory $out"
work=$(mktemp -d "${TMPDIR:-/tmp}/emu-$machine.XXXXXX") ||
	die $EXIT_USAGE "cannot create a temporary directory"
qemu_pid=
cleanup() {
	[ -n "$qemu_pid" ] && kill "$qemu_pid" 2>/dev/null
	rm -rf "$work"
}
trap cleanup EXIT
trap 'error "interrupted"; exit 130' INT TERM

# ---- the runs -----------------------------------------------------------
# The programs see NO_COLOR=1 when our stdout is not a terminal, so that
# they print no colours into a log.
[ -t 1 ] || [ -n "${NO_COLOR+set}" ] || envs+=("NO_COLOR=1")
# And they know they run in an emulated machine, which one: a benchmark
# marks its figures as not comparable with hardware (lesson 06).
envs+=("KIT_EMULATED_MACHINE=$QEMU, Linux $kernel")
for name in $PASS_ENV; do
	[ -n "${!name+set}" ] && envs=("$name=${!name}" "${envs[@]}")
done
for kv in "${envs[@]}"; do
	[[ $kv == *=* && ${kv%%=*} =~ ^[A-Za-z_][A-Za-z0-9_]*$ ]] ||
		die $EXIT_USAGE "--env wants KEY=VALUE with KEY a variable name, not '$kv'"
done
no_newline() { [[ $1 != *$'\n'* ]] || die $EXIT_USAGE "$2 cannot hold a newline"; }

contents=() names=() nprogs=0
# add_run NAME DIR OUTPUT PROGRAM ARGS...: one block of /kit/runs (init.c).
add_run() {
	local name=$1 dir=$2 output=$3 program=$4 guest word
	shift 4
	[ -f "$program" ] || die $EXIT_USAGE "$program: no such file"
	[ -x "$program" ] || die $EXIT_USAGE "$program is not executable (chmod +x it)"
	nprogs=$((nprogs + 1))
	if [ -z "$batch" ]; then
		guest=/bin/$(basename "$program")
	else
		guest=/kit/prog/$nprogs/$(basename "$program")
	fi
	contents+=("$program:$guest")
	names+=("$name")
	{
		echo "run $name"
		echo "dir $dir"
		echo "timeout $timeout_s"
		echo "output $output"
		for word in "${envs[@]}"; do no_newline "$word" "--env"; echo "env $word"; done
		echo "arg $guest"
		for word in "$@"; do no_newline "$word" "an argument"; echo "arg $word"; done
		for word in "${collect[@]}"; do echo "collect $word"; done
		echo "end"
	} >> "$work/runs"
}
: > "$work/runs"
if [ -n "$batch" ]; then
	while IFS=$'\t' read -r -a fields || [ ${#fields[@]} -gt 0 ]; do
		[ ${#fields[@]} -gt 0 ] || continue
		[ ${#fields[@]} -ge 2 ] || die $EXIT_USAGE "$batch: a line needs NAME<TAB>PROGRAM: ${fields[*]}"
		[[ ${fields[0]} =~ ^[A-Za-z0-9._-]+$ ]] ||
			die $EXIT_USAGE "$batch: a run's NAME is letters, digits and ._- only: ${fields[0]}"
		add_run "${fields[0]}" "/out/${fields[0]}" log "${fields[@]:1}"
		fields=()
	done < "$batch"
	[ $nprogs -gt 0 ] || die $EXIT_USAGE "--batch $batch names no program"
else
	add_run "$(basename "$1")" /out console "$@"
fi
for f in "${files[@]}"; do
	case $f in
	*:/*) contents+=("$f") ;;
	*) contents+=("$f:/bin/$(basename "$f")") ;;
	esac
done

# ---- the initramfs ------------------------------------------------------
# mkinitramfs checks that every program is a static one of the machine,
# and adds /init, busybox and the kernel's modules.
"$here/mkinitramfs" --machine "$machine" --cache "$cache" --kernel-dir "$kernel_dir" \
	"$work/initramfs.cpio" \
	"$work/runs:/kit/runs" "${contents[@]}" ||
	die $EXIT_USAGE "cannot build the initramfs (mkinitramfs said why above)"
# The initramfs is loaded into the machine's memory and then unpacked in
# it: twice its size must fit, with room to run.
MEMORY_MB=2048
initramfs_mb=$(( $(stat -c %s "$work/initramfs.cpio") / 1048576 ))
[ $((initramfs_mb * 5)) -le $((MEMORY_MB * 2)) ] ||
	die $EXIT_USAGE "the programs and files come to $initramfs_mb MB, too many for the
    machine's $MEMORY_MB MB (at most $((MEMORY_MB * 2 / 5)) MB): run them in several batches"

# ---- the machine --------------------------------------------------------
# The machine's own options (QEMU_MACHINE), then what all machines share.
# -nic none: the machine needs no network card, and without one QEMU needs
# no option ROM. The virtio-serial port "kit.files" is the files' own
# channel back.
#
# "quiet loglevel=1": of the kernel's messages only emergencies (a panic,
# an Oops) reach the console, so the programs' output stands alone.
# panic=-1: reboot at once on a panic, which -no-reboot turns into QEMU
# exiting, instead of hanging until the time limit.
if [ $verbose = 1 ]; then
	cmdline="console=$CONSOLE rdinit=/init panic=-1 loglevel=7"
else
	cmdline="console=$CONSOLE rdinit=/init panic=-1 quiet loglevel=1"
fi
# shellcheck disable=SC2054 # the commas belong to QEMU's options
qemu_args=(
	"${QEMU_MACHINE[@]}"
	-m "$MEMORY_MB" -accel tcg -nographic -no-reboot -monitor none -nic none
	-device virtio-serial-pci,id=kitserial
	-chardev "file,id=kitfiles,path=$work/files.tar"
	-device virtserialport,bus=kitserial.0,chardev=kitfiles,name=kit.files
	-kernel "$kernel_file" -initrd "$work/initramfs.cpio"
)

# The time in microseconds, in $now (bash's EPOCHREALTIME, no subshell).
get_now() { now=${EPOCHREALTIME//[!0-9]/}; now=$((10#$now)); }
seconds() { printf '%d.%02d' $(($1 / 1000000)) $(($1 % 1000000 / 10000)); }

# ---- the console --------------------------------------------------------
# boot (kernel messages, hidden) -> running (the programs; a single
# program's output shown) -> done (KIT-DONE seen, the machine powers off).
# While running, the deadline moves with the programs: each may take its
# time limit (kept by /init) and STALL_GRACE_S more; `awaited` says what
# the machine owes when the deadline passes.
declare -A status_of=()

# wait_for SECONDS WHAT: the machine has SECONDS from now to send WHAT.
wait_for() {
	get_now
	deadline=$((now + $1 * 1000000)) awaited=$2
}

remember() {
	tail_buf+=("$1")
	[ ${#tail_buf[@]} -le $TAIL_LINES ] || tail_buf=("${tail_buf[@]:1}")
}
show_or_remember() { # a line that is not a program's
	if [ $verbose = 1 ]; then printf '%s\n' "$1" >&2; else remember "$1"; fi
}
show_tail() {
	[ ${#tail_buf[@]} -gt 0 ] || return 0
	echo "$prog: the machine's last console lines:" >&2
	printf '    %s\n' "${tail_buf[@]}" >&2
}
# Kernel messages start with a time stamp: "[    1.234567] ...".
is_kernel_line() { [[ $1 =~ ^\[\ *[0-9]+\.[0-9]{6}\]\  ]]; }

handle_line() {
	local line=${1%$'\r'} before marker
	case $line in
	*"Kernel panic - not syncing"*) panic=${line#*Kernel panic - not syncing: } ;;
	*"Internal error: Oops"*|*"Unable to handle kernel"*|*"kernel BUG at"*) oops=$line ;;
	*"hard LOCKUP"*|*"soft lockup"*|*"detected stalls"*|*"self-detected stall"*)
		stall_words=$line ;;
	esac
	if [ $state = boot ]; then
		# (The firmware's last words may stand before it on the line:
		# SeaBIOS ends with "Booting from ROM.." and no newline.)
		if [[ $line == *KIT-INIT-START* ]]; then
			line=KIT-INIT-START${line#*KIT-INIT-START}
			get_now
			init_at=$now
			release=${line#*release=} release=${release%% *}
			page_size=${line#*pagesize=} page_size=${page_size%% *}
			what=$(basename "${contents[0]%%:*}")
			[ -z "$batch" ] || what="$nprogs programs"
			info "Linux $release ($MACHINE_TITLE, $page_size-byte pages) booted in" \
				"$(seconds $((init_at - started))) s; running $what"
			state=running
			tail_buf=()	# the boot went well: its messages explain nothing
			wait_for $FILES_GRACE_S "the first program's start"
		else
			show_or_remember "$line"
		fi
		return
	fi
	if [ $state = done ]; then
		show_or_remember "$line"	# the kernel powering off
		return
	fi
	# /init's lines may follow a program's output on the same line, if
	# the program's last line had no newline.
	for marker in KIT-RUN-START KIT-RUN-END KIT-FILES-SENT KIT-FILES-NONE KIT-DONE; do
		if [[ $line == *"$marker"* && $line != "$marker"* ]]; then
			before=${line%%"$marker"*}
			handle_line "$before"
			handle_line "${line#"$before"}"
			return
		fi
	done
	case $line in
	"KIT-RUN-START "*)
		current=${line#KIT-RUN-START }
		wait_for $((timeout_s + STALL_GRACE_S)) "the end of $current (its limit, --timeout $timeout_s s, plus $STALL_GRACE_S s)"
		;;
	"KIT-RUN-END "*)
		set -- ${line#KIT-RUN-END }
		local name=$1
		shift
		status_of[$name]="$*"
		current=''
		wait_for $FILES_GRACE_S "the next program's start, or the files, after $name"
		[ -z "$batch" ] || [ $quiet = 1 ] || [ $verbose = 0 ] || info "$name: $*"
		;;
	"KIT-FILES-SENT bytes="*) files_bytes=${line#KIT-FILES-SENT bytes=} ;;
	"KIT-FILES-NONE "*) files_none=${line#KIT-FILES-NONE } ;;
	KIT-DONE)
		done_seen=1
		get_now
		end_at=$now
		state=done
		wait_for $POWEROFF_GRACE_S "the machine's power-off"
		;;
	*)
		if [ -n "$current" ] && [ -z "$batch" ] && ! is_kernel_line "$line"; then
			printf '%s\n' "$line"	# the program's own output
		elif is_kernel_line "$line"; then
			# Kernel messages (emergencies only, unless --verbose) go
			# with run.sh's own messages, to stderr.
			printf '%s\n' "$line" >&2
		elif [[ $line == "init: "* ]]; then
			printf '%s\n' "$line" >&2
		elif [ -n "$line" ]; then
			show_or_remember "$line"
		fi
		;;
	esac
}

# boot_machine N: boot the machine (the Nth time) and follow its console
# to the end; sets timed_out, qemu_status and the console's findings.
boot_machine() {
	local boot=$1 arg shown chunk remaining wait_s partial=''
	local args=("${qemu_args[@]}" -append "$cmdline kit.boot=$boot")
	if [ $verbose = 1 ]; then
		shown=$QEMU
		for arg in "${args[@]}"; do
			[[ $arg == *[[:space:]]* ]] && shown+=" '$arg'" || shown+=" $arg"
		done
		info "$shown"
	fi
	state=boot tail_buf=() release='' page_size='' init_at='' end_at='' oops='' panic=''
	files_bytes='' files_none='' done_seen=0 current='' stall_words='' timed_out=0
	status_of=()
	rm -f "$work/console" "$work/files.tar"
	mkfifo "$work/console"
	get_now
	started=$now
	deadline=$((started + boot_timeout_s * 1000000)) awaited="/init's start"
	$QEMU "${args[@]}" </dev/null >"$work/console" 2>"$work/qemu.err" &
	qemu_pid=$!
	exec 3<"$work/console"
	follow_console
	exec 3<&-
	qemu_status=
	if [ $timed_out = 1 ]; then
		kill "$qemu_pid" 2>/dev/null
		wait "$qemu_pid" 2>/dev/null
	else
		wait "$qemu_pid"
		qemu_status=$?
	fi
	qemu_pid=
	get_now
	finished=$now
}

follow_console() {
	while :; do
		get_now
		remaining=$((deadline - now))
		if [ $remaining -le 0 ]; then
			timed_out=1
			break
		fi
		printf -v wait_s '%d.%06d' $((remaining / 1000000)) $((remaining % 1000000))
		if IFS= read -r -t "$wait_s" chunk <&3; then
			handle_line "$partial$chunk"
			partial=
		elif [ $? -gt 128 ]; then
			partial+=$chunk	# the time ran out in the middle of a line
		else
			[ -n "$partial$chunk" ] && handle_line "$partial$chunk"
			break	# end of the console: QEMU has exited
		fi
	done
}

# A machine that stops answering after /init started is booted once more
# (BOOTS in all); a panic or a boot that fails is not: they are the
# kernel's, and say so.
boot=1
while :; do
	boot_machine $boot
	[ $timed_out = 1 ] && [ -n "$init_at" ] && [ $done_seen = 0 ] && [ -z "$panic" ] || break
	stalled="the machine stopped answering: nothing came from it in time for $awaited${stall_words:+;
    its kernel said: $stall_words}"
	[ $boot -lt $BOOTS ] || break
	show_tail
	boot=$((boot + 1))
	again=
	[ -n "$batch" ] || again=";
    what the program printed so far comes again, from its start"
	error "$stalled.
    It was stopped, and is booted again to run everything once more (boot $boot of $BOOTS)$again."
done

# ---- what happened ------------------------------------------------------
if [ $verbose = 1 ] && [ -n "$init_at" ]; then
	info "timings: /init started $(seconds $((init_at - started))) s after QEMU," \
		"the programs ran $(seconds $(( ${end_at:-$finished} - init_at))) s," \
		"total $(seconds $((finished - started))) s"
fi
if [ -n "$oops" ] && [ -z "$panic" ]; then
	error "the guest kernel reported an error: $oops
    (a bug in the kernel, which may have stopped the program; run again with
    --verbose to see all of it)"
fi
if [ -n "$panic" ]; then
	show_tail
	die $EXIT_PANIC "the guest kernel panicked: $panic
    Kernel: $kernel_name.
    If it happens at every run, try another kernel (--kernel 6.1, 6.12 or
    6.12-16k) or fetch this one again: $here/fetch.sh --update $cache $kernel"
fi
if [ -z "$init_at" ]; then
	show_tail
	if [ $timed_out = 1 ]; then
		die $EXIT_BOOT_TIMEOUT "the machine did not start /init within $boot_timeout_s s
    (kernel $kernel_name). Is the kernel an image for this machine? Run again with
    --verbose to see the kernel's messages, or give a slower computer more
    time with --boot-timeout."
	fi
	if [ "$qemu_status" != 0 ]; then
		sed 's/^/    /' "$work/qemu.err" >&2
		die $EXIT_QEMU_FAILED "$QEMU failed (exit status $qemu_status) before the kernel started /init; its messages are above"
	fi
	die $EXIT_LOST "the machine stopped before /init started (kernel $kernel_name); run again with --verbose to see why"
fi
if [ $done_seen = 0 ]; then
	show_tail
	if [ $timed_out = 1 ]; then
		die $EXIT_LOST "$stalled.
    It was stopped; it stopped answering on each of $BOOTS boots. If a program
    can hang the machine's kernel or its /init, fix the program; else give
    the computer less to do at once, and run again."
	fi
	[ -s "$work/qemu.err" ] && sed 's/^/    /' "$work/qemu.err" >&2
	die $EXIT_LOST "the machine stopped before its end was reported
    (QEMU exit status $qemu_status); run again with --verbose to see why"
fi
[ $timed_out = 1 ] && info "the machine did not power off after the programs ended; it was stopped"

# The files: one tar archive, whole or not at all.
if [ -n "$files_none" ]; then
	die $EXIT_LOST "the machine could not send its files back: $files_none"
fi
size=$(stat -c %s "$work/files.tar" 2>/dev/null || echo 0)
if [ "$size" != "$files_bytes" ]; then
	die $EXIT_LOST "the machine's files did not come back whole ($size of ${files_bytes:-?} bytes)"
fi
tar -x -f "$work/files.tar" -C "$out" --no-same-owner ||
	die $EXIT_LOST "the machine's files could not be unpacked into $out"

# How each run ended.
code_of() { # status line -> exit status, with a message for the user
	case $1 in
	"exit "*) echo "${1#exit }" ;;
	"signal "*) set -- ${1#signal }; echo $((EXIT_SIGNAL_BASE + $1)) ;;
	"timeout "*) echo $EXIT_TIMEOUT ;;
	"not-started ENOENT"*) echo $EXIT_NOT_FOUND ;;
	"not-started"*) echo $EXIT_CANNOT_EXEC ;;
	*) echo $EXIT_LOST ;;
	esac
}
if [ -n "$batch" ]; then
	for name in "${names[@]}"; do
		[ -n "${status_of[$name]:-}" ] ||
			die $EXIT_LOST "the machine did not report how run $name ended"
		echo "${status_of[$name]}" > "$out/$name/status"
	done
	exit 0
fi
name=${names[0]}
final=${status_of[$name]:-}
[ -n "$final" ] || die $EXIT_LOST "the machine did not report how $name ended"
case $final in
"signal "*)
	set -- ${final#signal }
	error "$name was killed by signal $1 ($2)" ;;
"timeout "*)
	error "$name did not finish within $timeout_s s and was stopped; give it more time with --timeout S" ;;
"exit "*|"not-started"*) ;;
*) die $EXIT_LOST "the machine reported an end this script does not know: $final" ;;
esac
exit "$(code_of "$final")"
