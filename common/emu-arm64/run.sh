#!/bin/bash
# SPDX-License-Identifier: MIT
#
# run.sh [OPTIONS] -- PROGRAM [ARG...] - run a static arm64 program inside
# an emulated arm64 Linux machine (qemu-system-aarch64, with KVM inside),
# as if it ran here: its output streams to stdout, the files it writes come
# back, and run.sh exits with its exit status.
#
# PROGRAM is a host path to a static arm64 executable; it runs as
# /bin/NAME, with ARGs unchanged, in the directory /out (also $KIT_OUT),
# with /dev/null as stdin. Options:
#   --kernel K        6.1, 6.12 or 6.12-16k (fetched into the cache by
#                     fetch.sh), or the path of an arm64 kernel image,
#                     with a / in it (default: $EMU_ARM64_KERNEL, else 6.12)
#   --cache DIR       the cache fetch.sh filled (default: $EMU_ARM64_CACHE,
#                     else build/emu-arm64 at the top of the kit)
#   --fetch           fetch the kernel first if the cache lacks it
#   --file F[:PATH]   also put file F in the machine, at /bin/NAME or PATH
#   --out DIR         where the program's files come back to (default: .):
#                     every regular file it leaves in /out, and --collect's
#   --collect PATH    also bring back the guest's file PATH
#   --env KEY=VALUE   set an environment variable for the program. NO_COLOR,
#                     KIT_FAIL_ON_SKIP and KIT_TEST_TIMEOUT are passed on
#                     from here by themselves; NO_COLOR=1 is set when this
#                     script's stdout is not a terminal.
#   --timeout S       the program's time limit (default 300)
#   --boot-timeout S  how long the kernel may take to start /init (default 60)
#   --quiet           print nothing but the program's output and errors
#   --verbose         also show the guest kernel's messages and timings
#
# Exit status: the program's, or (with a message saying what to do):
#   124 the program did not finish within --timeout (it was killed)
#   125 wrong usage, or a file to run or include is missing or unusable
#   126 the program is there but could not be started (not a static arm64
#       executable?)      127 the program was not in the machine
#   128+N the program was killed by signal N (139: SIGSEGV)
#   118 qemu-system-aarch64 is missing     119 the kernel is missing
#   120 the kernel did not start /init within --boot-timeout
#   121 the guest kernel panicked
#   122 the machine stopped, or stopped answering, before the program's
#       end was reported
#   123 QEMU failed (its message is shown)
#
# Example:
#   common/emu-arm64/run.sh --kernel 6.12-16k --collect /tmp/probe.json \
#       --out /tmp/results -- build/emu-arm64/bin/kvmprobe
set -uo pipefail

prog=emu-arm64
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
kit_top=$(cd "$here/../.." && pwd)

EXIT_TIMEOUT=124 EXIT_USAGE=125 EXIT_CANNOT_EXEC=126 EXIT_NOT_FOUND=127
EXIT_SIGNAL_BASE=128
EXIT_NO_QEMU=118 EXIT_NO_KERNEL=119 EXIT_BOOT_TIMEOUT=120 EXIT_PANIC=121
EXIT_LOST=122 EXIT_QEMU_FAILED=123

# Environment variables passed from here to the program by themselves: the
# ones the kit's grading harness reads (common/grade/grade.c).
PASS_ENV="NO_COLOR KIT_FAIL_ON_SKIP KIT_TEST_TIMEOUT"
# Names /init takes for itself (init.c).
INIT_ENV="KIT_CMD KIT_COLLECT KIT_TIMEOUT KIT_OUT"
# The kernel reads at most this many bytes of command line (arm64's
# COMMAND_LINE_SIZE). It passes /init at most 31 KEY=VALUE words besides its
# own HOME and TERM (MAX_INIT_ENVS, 32, in init/main.c); one more and it
# panics before the console is up, silently (measured).
CMDLINE_MAX=2048 INIT_ENV_MAX=31
# After the program ends, /init sends its files and powers off: time
# allowed for that, and for QEMU to exit after the last line.
FILES_GRACE_S=60 POWEROFF_GRACE_S=10
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
kernel=${EMU_ARM64_KERNEL:-6.12}
cache=${EMU_ARM64_CACHE:-$kit_top/build/emu-arm64}
fetch=0 out=. timeout_s=300 boot_timeout_s=60
files=() collect=() envs=()

need_arg() { [ $# -ge 2 ] || { error "$1 needs a value"; usage; }; }
is_seconds() { [[ $1 =~ ^[1-9][0-9]*$ ]]; }
while [ $# -gt 0 ]; do
	case $1 in
	--kernel) need_arg "$@"; kernel=$2; shift 2 ;;
	--cache) need_arg "$@"; cache=$2; shift 2 ;;
	--fetch) fetch=1; shift ;;
	--file) need_arg "$@"; files+=("$2"); shift 2 ;;
	--out) need_arg "$@"; out=$2; shift 2 ;;
	--collect) need_arg "$@"; collect+=("$2"); shift 2 ;;
	--env) need_arg "$@"; envs+=("$2"); shift 2 ;;
	--timeout) need_arg "$@"; timeout_s=$2; shift 2 ;;
	--boot-timeout) need_arg "$@"; boot_timeout_s=$2; shift 2 ;;
	--quiet) quiet=1; shift ;;
	--verbose) verbose=1; shift ;;
	-h|--help) usage ;;
	--) shift; break ;;
	*) error "unexpected '$1' (the program to run comes after --)"; usage ;;
	esac
done
[ $# -ge 1 ] || { error "no program to run (give it after --)"; usage; }
program=$1
shift
is_seconds "$timeout_s" || die $EXIT_USAGE "--timeout wants whole seconds, not '$timeout_s'"
is_seconds "$boot_timeout_s" ||
	die $EXIT_USAGE "--boot-timeout wants whole seconds, not '$boot_timeout_s'"

# ---- what is needed on the host ---------------------------------------
QEMU=qemu-system-aarch64
command -v $QEMU >/dev/null ||
	die $EXIT_NO_QEMU "$QEMU is not installed: it emulates the arm64 machine that runs the
    arm64 lessons on this computer. Install it with: sudo apt-get install qemu-system-arm"
CROSS_CC=aarch64-linux-gnu-gcc

# The kernel: a flavour in the cache, or a file.
kernel_file=
case $kernel in
*/*) kernel_file=$kernel ;;			# a path: ./vmlinuz, /boot/...
*) kernel_file=$cache/kernels/$kernel/vmlinuz ;;	# a flavour
esac
if [ ! -s "$kernel_file" ] && [ $fetch = 1 ] && [[ $kernel != */* ]]; then
	info "kernel $kernel is not in $cache yet: fetching it (once)"
	"$here/fetch.sh" "$cache" "$kernel" >&2 ||
		die $EXIT_NO_KERNEL "could not fetch kernel $kernel (fetch.sh said why above)"
fi
if [ ! -s "$kernel_file" ]; then
	if [[ $kernel == */* ]]; then
		die $EXIT_NO_KERNEL "no kernel image at $kernel"
	fi
	have=$(ls "$cache/kernels" 2>/dev/null | paste -sd' ')
	case $kernel in
	6.1|6.12|6.12-16k)
		die $EXIT_NO_KERNEL "kernel $kernel is not in $cache/kernels/ (there: ${have:-nothing}).
    Fetch it once with: $here/fetch.sh $cache $kernel" ;;
	*)
		die $EXIT_NO_KERNEL "no kernel '$kernel': give 6.1, 6.12 or 6.12-16k (fetched with
    $here/fetch.sh $cache FLAVOUR), or the path of an arm64 kernel image" ;;
	esac
fi
kernel_name=$kernel
[ -s "$(dirname "$kernel_file")/PACKAGE" ] &&
	kernel_name="$kernel ($(cat "$(dirname "$kernel_file")/PACKAGE") $(cat "$(dirname "$kernel_file")/VERSION"))"

# A program for this machine must be an arm64 ELF file, and static: the
# initramfs holds no shared libraries and no dynamic loader.
ELF_MACHINE_AARCH64=183
check_arm64_static() {
	local file=$1 magic machine
	[ -f "$file" ] || die $EXIT_USAGE "$file: no such file"
	magic=$(od -An -c -N4 "$file" | tr -d ' ')
	[ "$magic" = '177ELF' ] || return 0	# data, not a program: fine
	machine=$(od -An -tu2 -j18 -N2 "$file" | tr -d ' ')
	[ "$machine" = $ELF_MACHINE_AARCH64 ] ||
		die $EXIT_USAGE "$file is not an arm64 program (ELF machine $machine);
    build it with $CROSS_CC -static"
	if command -v readelf >/dev/null &&
		readelf -lW "$file" 2>/dev/null | grep -q 'Requesting program interpreter'; then
		die $EXIT_USAGE "$file is dynamically linked; the emulated machine has no
    shared libraries: link it with -static"
	fi
}
check_arm64_static "$program"
[ -x "$program" ] || die $EXIT_USAGE "$program is not executable (chmod +x it)"
for f in "${files[@]}"; do
	check_arm64_static "${f%%:*}"
done

# /init, built from init.c once and kept in the cache.
init=$cache/bin/init
if [ ! -x "$init" ] || [ "$here/init.c" -nt "$init" ]; then
	command -v $CROSS_CC >/dev/null ||
		die $EXIT_USAGE "$CROSS_CC is missing; it builds the machine's /init.
    Install it with: sudo apt-get install gcc-aarch64-linux-gnu"
	mkdir -p "$cache/bin" || die $EXIT_USAGE "cannot create $cache/bin"
	$CROSS_CC -std=c11 -static -O2 -s -Wall -Wextra -o "$init.tmp.$$" "$here/init.c" &&
		mv "$init.tmp.$$" "$init" ||
		die $EXIT_USAGE "cannot build $init from $here/init.c"
fi

# ---- the kernel command line ------------------------------------------
# Percent-encode a word for KIT_CMD / KIT_COLLECT (see init.c): bytes other
# than these safe ones become %XX, commas included, since they separate
# words.
percent_encode() {
	local LC_ALL=C s=$1 c i encoded=
	for ((i = 0; i < ${#s}; i++)); do
		c=${s:i:1}
		case $c in
		[A-Za-z0-9._/+=:@-]) encoded+=$c ;;
		*) encoded+=$(printf '%%%02X' "'$c") ;;
		esac
	done
	printf '%s' "$encoded"
}
join_encoded() {
	local word list='' sep=''
	for word in "$@"; do
		list+=$sep$(percent_encode "$word")
		sep=,
	done
	printf '%s' "$list"
}

kit_cmd=$(join_encoded "/bin/$(basename "$program")" "$@")
kit_collect=$(join_encoded "${collect[@]}")
# The program's stdout is the machine's console, a terminal: tell it when
# ours is not, so that it does not print colours into a log.
[ -t 1 ] || [ -n "${NO_COLOR+set}" ] || envs+=("NO_COLOR=1")
for name in $PASS_ENV; do
	[ -n "${!name+set}" ] && envs=("$name=${!name}" "${envs[@]}")
done

# "quiet loglevel=1": of the kernel's messages only emergencies (a panic,
# an Oops) reach the console, so the program's output stands alone.
# panic=-1: reboot at once on a panic, which -no-reboot turns into QEMU
# exiting, instead of hanging until the time limit.
if [ $verbose = 1 ]; then
	cmdline="console=ttyAMA0 rdinit=/init panic=-1 loglevel=7"
else
	cmdline="console=ttyAMA0 rdinit=/init panic=-1 quiet loglevel=1"
fi
cmdline+=" KIT_CMD=$kit_cmd KIT_TIMEOUT=$timeout_s"
[ -n "$kit_collect" ] && cmdline+=" KIT_COLLECT=$kit_collect"
env_count=3	# KIT_CMD, KIT_TIMEOUT and (maybe) KIT_COLLECT
for kv in "${envs[@]}"; do
	name=${kv%%=*} value=${kv#*=}
	[[ $kv == *=* && $name =~ ^[A-Za-z_][A-Za-z0-9_]*$ ]] ||
		die $EXIT_USAGE "--env wants KEY=VALUE with KEY a variable name, not '$kv'"
	[[ " $INIT_ENV " == *" $name "* ]] &&
		die $EXIT_USAGE "--env $name: that name is /init's own"
	# The kernel splits its command line at blanks, except inside double
	# quotes, which it removes; a value cannot hold a double quote itself.
	case $value in
	*'"'*|*[[:cntrl:]]*) die $EXIT_USAGE "--env $name: a value cannot hold '\"' or control characters" ;;
	*[[:blank:]]*) cmdline+=" $name=\"$value\"" ;;
	*) cmdline+=" $name=$value" ;;
	esac
	env_count=$((env_count + 1))
done
[ $env_count -le $INIT_ENV_MAX ] ||
	die $EXIT_USAGE "too many environment variables for the kernel to pass on ($env_count, at most $INIT_ENV_MAX)"
[ ${#cmdline} -lt $CMDLINE_MAX ] ||
	die $EXIT_USAGE "the kernel command line would be ${#cmdline} bytes, more than the
    kernel's $CMDLINE_MAX: shorten the arguments, or put them in a file (--file)"

# ---- the initramfs ------------------------------------------------------
mkdir -p "$out" || die $EXIT_USAGE "cannot create the output directory $out"
work=$(mktemp -d "${TMPDIR:-/tmp}/emu-arm64.XXXXXX") ||
	die $EXIT_USAGE "cannot create a temporary directory"
qemu_pid=
cleanup() {
	[ -n "$qemu_pid" ] && kill "$qemu_pid" 2>/dev/null
	rm -rf "$work"
}
trap cleanup EXIT
trap 'error "interrupted"; exit 130' INT TERM

"$here/mkinitramfs" "$work/initramfs.cpio.gz" "$init" "$program" "${files[@]}" ||
	die $EXIT_USAGE "cannot build the initramfs (mkinitramfs said why above)"

# ---- the machine --------------------------------------------------------
# virtualization=on gives the guest kernel EL2, hence KVM; gic-version=3 is
# the interrupt controller KVM's vGIC emulates; pauth-impdef=on makes
# pointer authentication ~3.5x cheaper to emulate than the architected
# algorithm (README.md, "Why these QEMU options"). -nic none: the machine
# needs no network card, and without one QEMU needs no option ROM (the
# virtio-net ROM lives in a package QEMU only recommends).
# shellcheck disable=SC2054 # the commas belong to QEMU's options
qemu_args=(
	-M virt,virtualization=on,gic-version=3 -cpu max,pauth-impdef=on
	-smp 2 -m 512M -accel tcg -nographic -no-reboot -monitor none -nic none
	-kernel "$kernel_file" -initrd "$work/initramfs.cpio.gz" -append "$cmdline"
)
if [ $verbose = 1 ]; then
	# The command line as one could paste it into a shell.
	shown=$QEMU
	for arg in "${qemu_args[@]}"; do
		[[ $arg == *[[:space:]]* ]] && shown+=" '$arg'" || shown+=" $arg"
	done
	info "$shown"
fi

# The time in microseconds, in $now (bash's EPOCHREALTIME in any locale;
# no subshell, since the console loop asks for it at every line).
get_now() { now=${EPOCHREALTIME//[!0-9]/}; now=$((10#$now)); }
seconds() { printf '%d.%02d' $(($1 / 1000000)) $(($1 % 1000000 / 10000)); }
# QEMU's peak memory so far (VmHWM), in $qemu_rss_kb. Read now and then
# while it runs: once it has exited, /proc no longer has it.
sample_qemu_rss() {
	local key value rest
	while read -r key value rest; do
		[ "$key" = VmHWM: ] && qemu_rss_kb=$value
	done 2>/dev/null </proc/$qemu_pid/status
}
RSS_SAMPLE_US=250000

mkfifo "$work/console"
get_now
started=$now
$QEMU "${qemu_args[@]}" </dev/null >"$work/console" 2>"$work/qemu.err" &
qemu_pid=$!
exec 3<"$work/console"

# ---- the console --------------------------------------------------------
# States: boot (kernel messages, hidden) -> running (the program's output,
# shown) -> files (files coming back, then the final line) -> done.
state=boot
deadline=$((started + boot_timeout_s * 1000000))
tail_buf=() final='' release='' page_size='' init_at='' end_at='' qemu_rss_kb=''
oops='' panic='' file_name='' file_size='' file_bad=0

remember() {
	tail_buf+=("$1")
	[ ${#tail_buf[@]} -le $TAIL_LINES ] || tail_buf=("${tail_buf[@]:1}")
}
# A console line that is not the program's: shown on stderr with --verbose,
# else kept for show_tail.
show_or_remember() {
	if [ $verbose = 1 ]; then
		printf '%s\n' "$1" >&2
	else
		remember "$1"
	fi
}
show_tail() {
	[ ${#tail_buf[@]} -gt 0 ] || return 0
	echo "$prog: the machine's last console lines:" >&2
	printf '    %s\n' "${tail_buf[@]}" >&2
}
# Kernel messages start with a time stamp: "[    1.234567] ...".
is_kernel_line() { [[ $1 =~ ^\[\ *[0-9]+\.[0-9]{6}\]\  ]]; }

# A file name from a marker: %XX-decoded, and only a plain name, since it
# becomes a file in --out.
percent_decode() { printf '%b' "${1//%/\\x}"; }
decode_name() {
	local name
	name=$(percent_decode "$1")
	case $name in
	''|.|..|*/*) return 1 ;;
	esac
	printf '%s' "$name"
}

file_begin() {
	file_size=${1#size=}
	file_size=${file_size%% *}
	file_name=$(decode_name "${1#* name=}") || {
		error "the machine sent a file with an unusable name: ${1#* name=}"
		file_name=
	}
	: >"$work/file.b64"
	state='file'
}
file_end() {
	state=files
	[ -n "$file_name" ] || return 0
	if base64 -d <"$work/file.b64" >"$work/file" 2>/dev/null &&
		[ "$(stat -c %s "$work/file")" = "$file_size" ]; then
		mv "$work/file" "$out/$file_name"
		[ $verbose = 1 ] && info "received $out/$file_name ($file_size bytes)"
	else
		error "$file_name arrived damaged (expected $file_size bytes); it was not written"
		file_bad=1
	fi
}

# The final line: remember when, and how big QEMU grew.
final_line() {
	final=$1
	get_now
	end_at=$now
	state='done'
	sample_qemu_rss
	deadline=$((end_at + POWEROFF_GRACE_S * 1000000))
}

handle_line() {
	local line=${1%$'\r'} before marker
	# The kernel's emergencies can come at any time.
	case $line in
	*"Kernel panic - not syncing"*) panic=${line#*Kernel panic - not syncing: } ;;
	*"Internal error: Oops"*|*"Unable to handle kernel"*|*"kernel BUG at"*) oops=$line ;;
	esac
	case $state in
	boot)
		if [[ $line == KIT-INIT-START* ]]; then
			get_now
			init_at=$now
			release=${line#*release=} release=${release%% *}
			page_size=${line#*pagesize=} page_size=${page_size%% *}
			info "Linux $release (arm64, $page_size-byte pages) booted in" \
				"$(seconds $((init_at - started))) s; running $(basename "$program")"
			state=running
			tail_buf=()	# the boot went well: its messages explain nothing
			deadline=$((init_at + (timeout_s + FILES_GRACE_S) * 1000000))
		else
			show_or_remember "$line"
		fi
		;;
	running)
		# /init's lines follow the program's output, possibly on the
		# same line if the program's last line had no newline.
		for marker in "KIT-FILE-BEGIN size=" "KIT-FILE-MISSING name=" "KIT-EXIT-STATUS: "; do
			if [[ $line == *"$marker"* ]]; then
				before=${line%%"$marker"*}
				[ -n "$before" ] && printf '%s\n' "$before"
				state=files
				handle_line "${line#"$before"}"
				return
			fi
		done
		# Kernel messages (emergencies only, unless --verbose) go
		# with run.sh's own messages, to stderr.
		if is_kernel_line "$line"; then
			printf '%s\n' "$line" >&2
		else
			printf '%s\n' "$line"
		fi
		;;
	file)
		case $line in
		"KIT-FILE-END name="*) file_end ;;
		*[!A-Za-z0-9+/=]*)
			# Not base64: a kernel message in the middle of the file.
			show_or_remember "$line"
			;;
		*) printf '%s\n' "$line" >>"$work/file.b64" ;;
		esac
		;;
	files)
		case $line in
		"KIT-FILE-BEGIN "*) file_begin "${line#KIT-FILE-BEGIN }" ;;
		"KIT-FILE-MISSING name="*)
			error "$(percent_decode "${line#*name=}") was not there to bring back (--collect)" ;;
		"KIT-EXIT-STATUS: "*) final_line "${line#KIT-EXIT-STATUS: }" ;;
		*) show_or_remember "$line" ;;
		esac
		;;
	done)
		show_or_remember "$line"
		;;
	esac
}

partial='' timed_out=0 sampled=0
while :; do
	get_now
	remaining=$((deadline - now))
	if [ $remaining -le 0 ]; then
		timed_out=1
		break
	fi
	if [ $((now - sampled)) -ge $RSS_SAMPLE_US ]; then
		sample_qemu_rss
		sampled=$now
	fi
	# Wait for a line at most until the deadline, and at most until the
	# next sample. In microseconds: "read -t 0" would only test for input.
	[ $remaining -le $RSS_SAMPLE_US ] || remaining=$RSS_SAMPLE_US
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
exec 3<&-

# ---- what happened ------------------------------------------------------
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

if [ $verbose = 1 ] && [ -n "$init_at" ]; then
	info "timings: /init started $(seconds $((init_at - started))) s after QEMU," \
		"the program ran $(seconds $(( ${end_at:-$finished} - init_at))) s," \
		"total $(seconds $((finished - started))) s${qemu_rss_kb:+, QEMU peak RSS $((qemu_rss_kb / 1024)) MiB}"
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
    (kernel $kernel_name). Is the kernel an arm64 image? Run again with
    --verbose to see the kernel's messages, or give a slower computer more
    time with --boot-timeout."
	fi
	if [ "$qemu_status" != 0 ]; then
		sed 's/^/    /' "$work/qemu.err" >&2
		die $EXIT_QEMU_FAILED "$QEMU failed (exit status $qemu_status) before the kernel started /init; its messages are above"
	fi
	die $EXIT_LOST "the machine stopped before /init started (kernel $kernel_name); run again with --verbose to see why"
fi
if [ -z "$final" ]; then
	show_tail
	if [ $timed_out = 1 ]; then
		die $EXIT_LOST "the machine stopped answering: no end of the program reported within
    --timeout ($timeout_s s) plus $FILES_GRACE_S s; it was stopped."
	fi
	[ -s "$work/qemu.err" ] && sed 's/^/    /' "$work/qemu.err" >&2
	die $EXIT_LOST "the machine stopped before the program's end was reported
    (QEMU exit status $qemu_status); run again with --verbose to see why"
fi
[ $timed_out = 1 ] && info "the machine did not power off after the program ended; it was stopped"
[ $file_bad = 0 ] || info "some files did not come back whole (see above)"

name=$(basename "$program")
case $final in
"exit "*)
	exit "${final#exit }"
	;;
"signal "*)
	set -- ${final#signal }
	error "$name was killed by signal $1 ($2)"
	exit $((EXIT_SIGNAL_BASE + $1))
	;;
"timeout "*)
	error "$name did not finish within $timeout_s s and was stopped; give it more time with --timeout S"
	exit $EXIT_TIMEOUT
	;;
"not-started ENOENT"*)
	exit $EXIT_NOT_FOUND
	;;
"not-started"*)
	exit $EXIT_CANNOT_EXEC
	;;
*)
	die $EXIT_LOST "the machine reported an end this script does not know: $final"
	;;
esac
