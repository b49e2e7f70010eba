#!/bin/bash
# SPDX-License-Identifier: MIT
#
# check.sh OUT BUILD ARCH LESSON... - what `make check` runs after building
# everything with -Werror:
#   1. the core's unit tests, and the core is a layer (layers.sh);
#   2. the harness's self-test: a suite that crashes, hangs, exits and
#      skips on purpose must be reported exactly so;
#   3. honest skips: with /dev/kvm out of reach, KVM checks SKIP with the
#      reason and the fix, and fail when KIT_FAIL_ON_SKIP=1;
#   4. every lesson's graded checks: full marks on solutions/, and every
#      graded check failing on the untouched starter code in lessons/; the
#      instructor's hidden checks too (hidden/, --hidden), and their
#      visibility in results.json; and what make says of a lesson it
#      cannot build (none such; an x86 lesson on an arm64 machine);
#   5. plausible mistakes (solutions/*/mistakes.txt) caught by their checks;
#   6. kvmrun, the guest runner, on guests that work and guests that do not;
#   7. the solutions' checks and kvmrun built with ASan and UBSan;
#   8. on an x86_64 host, the arm64 lessons in the emulated arm64 machine
#      (solutions, starters, mistakes, each TODO alone; 4 KiB and 16 KiB
#      pages, Linux 6.1),
#      one boot per kernel for all of its programs;
#   9. the documentation site, and every TODO's section in its lesson text;
#  10. compile_commands.json (make compdb): every entry compiles;
#  11. on an x86_64 host, the emulated machine itself (selftest.sh): every
#      way a run can end is reported with its own status and message;
#  12. on an x86_64 host, the x86 lessons once more in the emulated x86_64
#      machine whose KVM is kvm_amd (AMD-V, as on a laptop): solutions,
#      starters, kvmrun, the mistakes and each TODO alone.
#  13. lesson 05's decoder against Capstone, and a64dec;
#  14. lesson 06's report (make bench's): results.json and its chart;
#  15. every fuzz corpus replayed, and each target around mistaken code;
#  16. a short soak: VMs made and destroyed, a long run, 100 kvmrun at once;
#  17. the student repository (make release, in BUILD/release): it builds
#      and grades without solutions/ (starters 0, solutions copied in full
#      marks), holds no line of a reference file, its workflow validates,
#      and each HINTS level compiles to the same code;
#  18. the Gradescope autograder (make gradescope): its zip unpacked in a
#      stand-in for /autograder, setup.sh, and run_autograder on three
#      submissions (the starters: 0; the solutions: full marks; a lesson
#      that does not compile: 0 there, with the compiler's messages).
#
# Stages 8, 11 and 12 run in the background from the start (emulated
# machines), beside the others; what they fetch is fetched first. Each stage writes its results as rows of a TSV file of its own;
# the kit's assertions read programs' JSON (jq) and TSV, and the human
# reports only where the report itself is what is checked. The summary
# shows each stage's rows and time; its last line is the total.
set -uo pipefail
out=$1 build=$2 arch=$3
shift 3
lessons=("$@")

logs=$build/check
mkdir -p "$logs"
rm -f "$logs"/stage-*
t_start=${EPOCHREALTIME/[.,]/}

# ---- the self-test vocabulary ---------------------------------------------
# A step that is not a grading program records its own result in the
# stage's TSV ($summary). As in the grader, KIT_FAIL_ON_SKIP=1 turns what
# was skipped into failures.
record() { # name passed failed skipped
	local failed=$3 skipped=$4
	if [ "${KIT_FAIL_ON_SKIP:-0}" = 1 ]; then
		failed=$((failed + skipped)) skipped=0
	fi
	printf '%s\t%s\t%s\t%s\t0\t0\n' "$1" "$2" "$failed" "$skipped" >> "$summary"
}
st_pass=0 st_fail=0 st_skip=0
held() { st_pass=$((st_pass + 1)); }
broke() { st_fail=$((st_fail + 1)); echo "  SELF-TEST FAILED: $*"; }
expect_line() { # file regex what
	if grep -Eq -- "$2" "$1"; then held; else broke "$3 (no line matching /$2/ in $1)"; fi
}
expect_json() { # file jq-filter what (the filter must yield true)
	if jq -e "$2" "$1" >/dev/null 2>&1; then held; else broke "$3 (jq '$2' on $1 is not true)"; fi
}
expect_status() { # actual expected what
	if [ "$1" = "$2" ]; then held; else broke "$3 (exit status $1, expected $2)"; fi
}
# A run in an emulated machine: its status file says "exit N".
expect_run_status() { # run-directory expected what
	local st
	st=$(cat "$1/status" 2>/dev/null)
	expect_status "${st#exit }" "$2" "$3"
}
# A case that cannot run here is reported with its reason and counted as
# skipped (a failure when KIT_FAIL_ON_SKIP=1), never lost in silence.
skip_case() { # assertions reason
	st_skip=$((st_skip + $1))
	echo "  SKIP ($1 assertions): $2"
}
begin_checks() { st_pass=0 st_fail=0 st_skip=0; }
# The cases that need root (a user outside the kvm group, a /dev without
# kvm) run as root: as make check's own user if that is root, else through
# sudo without a password (as make deps installs; a Raspberry Pi OS user
# has it). as_root_why says why neither can be.
as_root=() as_root_why=
if [ "$(id -u)" != 0 ]; then
	if command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
		as_root=(sudo -n)
	else
		as_root_why="not running as root, and sudo asks for a password (run make check as root, or with sudo that does not ask, to include it)"
	fi
fi
# A /dev with the usual nodes but kvm, in a mount namespace of its own, for
# the rest of the command line: bash -c "$without_kvm" bash COMMAND...
# shellcheck disable=SC2016
without_kvm='d=$(mktemp -d) && mount -t tmpfs none "$d" &&
	cp -a /dev/null /dev/zero /dev/random /dev/urandom /dev/full "$d"/ &&
	mkdir "$d/shm" && mount --bind "$d" /dev && mount -t tmpfs none /dev/shm &&
	[ ! -e /dev/kvm ] && exec "$@"'
# A program run as root here runs as make check's own user again, with its
# groups: ${as_user[@]} PROGRAM (nothing to add when that user is root).
as_user=()
[ "$(id -u)" = 0 ] || as_user=(setpriv --reuid="$(id -u)" --regid="$(id -g)" --init-groups)
end_checks() { # name
	local skipped=
	[ "$st_skip" = 0 ] || skipped=", $st_skip skipped"
	echo "  $1: $st_pass assertions held, $st_fail failed$skipped"
	record "$1" "$st_pass" "$st_fail" "$st_skip"
}

# ---- stages ---------------------------------------------------------------
# stage N TITLE FUNCTION: run FUNCTION with its rows in stage-N.tsv and its
# output in stage-N.out (and on the terminal when run in the foreground).
stage() {
	local n=$1 title=$2 fn=$3 t0
	t0=${EPOCHREALTIME/[.,]/}
	summary=$logs/stage-$n.tsv
	: > "$summary"
	echo "$title" > "$logs/stage-$n.title"
	{
		echo "##### $n. $title"
		"$fn"
		echo
	} > "$logs/stage-$n.out" 2>&1
	echo $(( (${EPOCHREALTIME/[.,]/} - t0) / 1000 )) > "$logs/stage-$n.time"
}

stage_core() {
	"$out/tests/core-tests" --label "core unit tests" --summary "$summary"
	CC=${CC:-gcc} bash common/scripts/layers.sh "$out" > "$logs/layers.txt" 2>&1
	cat "$logs/layers.txt"
	local counts
	counts=$(tail -n 1 "$logs/layers.txt")
	if [[ $counts =~ ^([0-9]+)\ passed,\ ([0-9]+)\ failed$ ]]; then
		record "the core is a layer (includes, calls, sources)" "${BASH_REMATCH[1]}" \
			"${BASH_REMATCH[2]}" 0
	else
		record "the core is a layer (layers.sh did not finish)" 0 1 0
	fi
}

stage_harness() {
	local log=$logs/harness-demo.txt json=$logs/harness-demo.json log2
	begin_checks
	(unset KIT_FAIL_ON_SKIP; "$out/tests/harness-demo" --json "$json") > "$log" 2>&1
	expect_status $? 1 "the demo suite has failures, so its exit status is 1"
	# The report itself is what is checked here: its lines are the product.
	expect_line "$log" '^  PASS +1/1 +passes:' "a passing test is PASS"
	expect_line "$log" '^  FAIL +0/1 +fails:' "a failing test is FAIL"
	expect_line "$log" 'the answer: expected 0x2a \(42\), got 0x29 \(41\)' "expected vs actual is shown"
	expect_line "$log" 'hint: this hint is shown under a failure' "the hint is shown"
	expect_line "$log" '^  CRASH +0/1 +segfaults:' "a segfault is CRASH"
	expect_line "$log" 'killed by signal 11 \(SIGSEGV' "the signal is named"
	expect_line "$log" '\| about to dereference NULL' "a crashed test's output is kept"
	expect_line "$log" '^  TIMEOUT +0/1 +loops:' "an endless loop is TIMEOUT"
	expect_line "$log" '^  FAIL +0/1 +exits:.*' "exit(0) inside a test is not a pass"
	expect_line "$log" 'ended early with exit status 0' "an early exit is explained"
	expect_line "$log" '^  SKIP +0/1 +skips:' "a skip is SKIP"
	expect_line "$log" '^  PASS +1/1 +passes_last:' "tests after a crash and a hang still run"
	expect_line "$log" '^score harness-demo: 2/7$' "the score line"
	expect_line "$log" '^2 passed, 4 failed, 1 skipped$' "the closing line"
	expect_json "$json" '.score == 2' "results.json has the score"
	expect_json "$json" '(.tests | length) == 7 and all(.tests[]; has("name") and has("score") and has("max_score") and has("status") and has("output"))' \
		"results.json is valid JSON in Gradescope's schema"
	expect_json "$json" '.tests | any(.name == "segfaults: a test that dereferences NULL" and .score == 0 and .max_score == 1 and .status == "failed")' \
		"results.json has each test"
	log2=$logs/harness-demo-strict.txt
	KIT_FAIL_ON_SKIP=1 "$out/tests/harness-demo" > "$log2" 2>&1
	expect_status $? 1 "strict run exit status"
	expect_line "$log2" '^2 passed, 5 failed, 0 skipped$' "KIT_FAIL_ON_SKIP=1 turns the skip into a failure"
	sed -n '/^  \(PASS\|FAIL\|CRASH\|TIMEOUT\|SKIP\)/p' "$log"
	end_checks "harness self-test"
}

stage_skips() {
	local grade=$out/solution/${lessons[0]}/grade ntests log why err
	begin_checks
	ntests=$("$grade" --list | wc -l)
	log=$logs/skip-nodevice.txt
	(unset KIT_FAIL_ON_SKIP; KIT_KVM_DEVICE=/nonexistent/kvm "$grade") > "$log" 2>&1
	expect_status $? 0 "skips alone do not fail a run"
	expect_line "$log" "^0 passed, 0 failed, $ntests skipped\$" "every KVM check skips without a device"
	expect_line "$log" 'needs /dev/kvm: cannot open /nonexistent/kvm: ENOENT. KVM is not available' \
		"the skip says why and what to check"
	KIT_FAIL_ON_SKIP=1 KIT_KVM_DEVICE=/nonexistent/kvm "$grade" > "$logs/skip-nodevice-strict.txt" 2>&1
	expect_status $? 1 "with KIT_FAIL_ON_SKIP=1 the run fails"
	expect_line "$logs/skip-nodevice-strict.txt" "^0 passed, $ntests failed, 0 skipped\$" \
		"with KIT_FAIL_ON_SKIP=1 every skip is a failure"
	# A user outside the kvm group: the real permission error, when we can
	# become such a user (root with setpriv, and a device nobody can open).
	why=$as_root_why
	local nobody=(setpriv --reuid=65534 --regid=65534 --clear-groups)
	if [ -n "$why" ]; then
		:
	elif ! command -v setpriv >/dev/null; then
		why="setpriv is missing (package util-linux: make deps)"
	elif [ ! -e /dev/kvm ]; then
		why="there is no /dev/kvm whose permission could be refused"
	elif "${as_root[@]}" "${nobody[@]}" test -r /dev/kvm -a -w /dev/kvm; then
		why="/dev/kvm is open to every user here ($(stat -c %A /dev/kvm)), so no user is refused"
	fi
	if [ -z "$why" ]; then
		log=$logs/skip-noperm.txt
		(unset KIT_FAIL_ON_SKIP; "${as_root[@]}" env -u KIT_FAIL_ON_SKIP "${nobody[@]}" \
			"$grade") > "$log" 2>&1
		expect_status $? 0 "as a user outside the kvm group, skips do not fail"
		expect_line "$log" "^0 passed, 0 failed, $ntests skipped\$" "as nobody, every KVM check skips"
		expect_line "$log" 'EACCES \(permission denied\). Add your user to the group' \
			"the permission skip gives the kvm-group fix"
		"${as_root[@]}" env KIT_FAIL_ON_SKIP=1 "${nobody[@]}" \
			"$grade" > "$logs/skip-noperm-strict.txt" 2>&1
		expect_status $? 1 "as nobody with KIT_FAIL_ON_SKIP=1 the run fails"
		echo "  (also checked as user nobody, outside the kvm group)"
	else
		skip_case 4 "the user-outside-the-kvm-group case: $why"
	fi
	# The device hidden in a mount namespace (an empty /dev), as in some
	# containers. unshare -m makes every mount private first, which needs
	# "/" to be a mount point (in a plain chroot it is not).
	why=$as_root_why
	if [ -n "$why" ]; then
		:
	elif ! command -v unshare >/dev/null; then
		why="unshare is missing (package util-linux: make deps)"
	elif ! err=$("${as_root[@]}" unshare -m true 2>&1); then
		why="unshare -m fails here: ${err:-no message} (in a chroot, bind-mount its root onto itself first)"
	fi
	if [ -z "$why" ]; then
		log=$logs/skip-hidden.txt
		# shellcheck disable=SC2016
		(unset KIT_FAIL_ON_SKIP; "${as_root[@]}" env -u KIT_FAIL_ON_SKIP unshare -m \
			sh -c 'mount -t tmpfs none /dev && exec "$@"' sh "${as_user[@]}" "$grade") > "$log" 2>&1
		expect_status $? 0 "with /dev/kvm hidden, skips do not fail"
		expect_line "$log" "^0 passed, 0 failed, $ntests skipped\$" "with /dev/kvm hidden, every KVM check skips"
		expect_line "$log" 'cannot open /dev/kvm: ENOENT. KVM is not available' \
			"the hidden-device skip says why"
		echo "  (also checked with /dev/kvm hidden in a mount namespace)"
	else
		skip_case 3 "the /dev/kvm-hidden-in-a-mount-namespace case: $why"
	fi
	# Not a skip: without /dev/kvm, make grade ARCH=arm64 grades the arm64
	# lessons in the emulated arm64 machine (QEMU emulates the CPU; the host
	# needs no KVM), and says so. Here on the starters: every check runs
	# and fails, none is skipped.
	# (On an arm64 host ARCH=arm64 is this machine's own, graded above.)
	if [ "$arch" = arm64 ]; then
		echo "  (an arm64 host: no emulated arm64 machine to grade in without /dev/kvm; its own grading is above)"
	elif [ -n "$why" ]; then
		skip_case 4 "make grade ARCH=arm64 with /dev/kvm hidden: $why"
	elif [ -z "${EMU_ARCH:-}" ]; then
		skip_case 4 "make grade ARCH=arm64 with /dev/kvm hidden: the arm64 lessons are not built here"
	else
		log=$logs/grade-arm64-nokvm.txt
		(unset KIT_FAIL_ON_SKIP; "${as_root[@]}" env -u KIT_FAIL_ON_SKIP PATH="$PATH" \
			unshare -m --propagation private bash -c "$without_kvm" bash \
			"${as_user[@]}" make --no-print-directory grade ARCH=arm64) > "$log" 2>&1
		expect_status $? 2 "make grade ARCH=arm64 with /dev/kvm hidden runs, and the starters fail (make: 2)"
		expect_line "$log" '^grade: arm64 lessons graded in the emulated arm64 machine' \
			"... in the emulated arm64 machine, and it says so"
		expect_line "$log" '^0 passed, [1-9][0-9]* failed, 0 skipped$' "... every check ran: none skipped"
		expect_json "$build/results.json" '.score == 0 and (.tests | length) > 0 and (.output | test("emulated arm64 machine"))' \
			"... and results.json says where it graded"
		grep -E '^grade:|^total|passed, .* failed' "$log" | sed 's/^/  /'
	fi
	end_checks "honest skips"
}

# With --hidden, the instructor's hidden checks (hidden/LESSON/, not in a
# release) run too: full marks on the solution, and each failing on the
# starter at a TODO, as the lesson's own must.
stage_lessons() {
	local lesson hidden_run=() json nhidden
	[ -d hidden ] && hidden_run=(--hidden)
	for lesson in "${lessons[@]}"; do
		"$out/solution/$lesson/grade" "${hidden_run[@]}" --label "reference solution" \
			--summary "$summary" --json "$logs/$lesson-solution.json" \
			> "$logs/$lesson-solution.txt"
		cat "$logs/$lesson-solution.txt"
		echo
		"$out/student/$lesson/grade" "${hidden_run[@]}" --label "untouched starter" \
			--expect-zero --summary "$summary" > "$logs/$lesson-starter.txt"
		grep -E '^  [A-Z]+ +[a-z0-9_]+ \(hidden\):' "$logs/$lesson-starter.txt"
		tail -n 2 "$logs/$lesson-starter.txt"
		echo
	done
	# What make says of a lesson it cannot build here: one that does not
	# exist, and an x86 lesson on an arm64 machine such as a Pi (make reads
	# HOST_ARCH from uname -m; given here, it stands for an arm64 one).
	begin_checks
	make -s --no-print-directory lesson-99 > "$logs/make-lesson-99.txt" 2>&1
	expect_status $? 2 "make lesson-99 stops (make: 2)"
	expect_line "$logs/make-lesson-99.txt" '^no lesson 99 \(lessons: 01-' "make lesson-99 names the lessons there are"
	make -s --no-print-directory HOST_ARCH=arm64 ARCH=x86_64 lesson-02 > "$logs/make-x86-on-arm64.txt" 2>&1
	expect_status $? 2 "make lesson-02 ARCH=x86_64 on an arm64 machine stops (make: 2)"
	expect_line "$logs/make-x86-on-arm64.txt" "ARCH=x86_64 on this arm64 machine: the x86 lessons' guests are x86 code.*make lesson-NN, without ARCH" \
		"make lesson-02 ARCH=x86_64 on an arm64 machine says why, and what to type instead"
	end_checks "make on a lesson it cannot build here"
	[ ${#hidden_run[@]} = 0 ] && { echo "  (no hidden/ in this tree: no hidden checks)"; return; }
	# What Gradescope reads: the hidden checks "after_published", the rest
	# and the total "visible"; without --hidden, no hidden check at all.
	begin_checks
	for lesson in "${lessons[@]}"; do
		json=$logs/$lesson-solution.json
		nhidden=$(ls hidden/"$lesson"/checks_hidden.c hidden/"$lesson"/checks_hidden_"$arch".c \
			2>/dev/null | wc -l)
		if [ "$nhidden" = 0 ]; then
			broke "$lesson has no hidden check in hidden/$lesson/ (at least one a lesson)"
			continue
		fi
		expect_json "$json" '.visibility == "visible"' \
			"$lesson: results.json's own visibility is visible"
		expect_json "$json" '[.tests[] | select(.visibility == "after_published")] | length > 0' \
			"$lesson: results.json holds the hidden checks, after_published"
		expect_json "$json" 'all(.tests[]; .visibility == "visible" or .visibility == "after_published")' \
			"$lesson: every test has a visibility, one of the two"
		expect_json "$json" '[.tests[] | select(.visibility == "after_published")] | all(.score == .max_score and .max_score > 0)' \
			"$lesson: the solution earns every hidden check's points"
		[ "$("$out/solution/$lesson/grade" --list | grep -c '(hidden)$')" = 0 ]
		expect_status $? 0 "$lesson: without --hidden, grade --list shows no hidden check"
		[ "$("$out/solution/$lesson/grade" --hidden --list | grep -c '(hidden)$')" = \
		  "$(jq '[.tests[] | select(.visibility == "after_published")] | length' "$json")" ]
		expect_status $? 0 "$lesson: grade --hidden --list shows each hidden check run"
	done
	end_checks "hidden checks: in results.json after_published, the total visible"
}

stage_mistakes() {
	bash common/scripts/mistakes.sh "$out" "$arch" "$summary" "${lessons[@]}"
	echo
	bash common/scripts/todo-alone.sh "$out" "$arch" "$summary" "${lessons[@]}" |
		grep -v '^  PASS'
}

# kvmrun on arm64, from runs of it that left, each in a directory of its
# own, its output (output.txt), its exit status (status: "exit N") and its
# --json file (k.json), as the emulated machine brings them back (stage 8)
# and as stage 6 runs them on an arm64 host.
expect_kvmrun_hc_arm64() { # run-directory hvc|doorbell label
	local d=$1 how=$2 label=$3 exit=KVM_EXIT_HYPERCALL transport='hvc \(SMCCC filter\)'
	[ "$how" = doorbell ] && exit=KVM_EXIT_MMIO transport='MMIO doorbell'
	expect_run_status "$d" 42 "kvmrun on arm64$label: the guest's exit code"
	expect_line "$d/output.txt" "^transport: $transport" "kvmrun on arm64$label: the guest used the $how"
	expect_json "$d/k.json" '.hypercalls | any(.name == "MIX5" and .args == ["0x1", "0x100000005", "0xffffffffffffffff", "0x8000000000000000", "0x123456789abcdef0"] and .result == "0x1f16b0dd88cab6dc" and .exit == "'"$exit"'")' \
		"kvmrun on arm64$label: MIX5 through the $how, its arguments whole"
}
expect_kvmrun_arm64() { # flat-run seed-run
	expect_run_status "$1" 0 "kvmrun on arm64: a flat binary that powers off"
	expect_line "$1/output.txt" '^Hello, KVM! This line came from an AArch64 guest' "its output"
	# The seed's guest: every store reported, the post-indexed one emulated.
	expect_run_status "$2" 0 "kvmrun --devices --no-strict: the seed's guest runs to its end"
	expect_line "$2/output.txt" '^unclaimed MMIO write of 8 bytes at 0x5000 .*pc 0x40100004$' "its first store"
	expect_line "$2/output.txt" '^unclaimed MMIO write of 8 bytes at 0x5008 ' "its second"
	expect_line "$2/output.txt" '^emulated: str xzr, \[x2\], #8 at pc 0x4010000c \(address 0x5000\)$' \
		"the post-indexed store, emulated from its instruction (--trace)"
	expect_line "$2/output.txt" '^kvmrun: 1 loads and stores emulated from their instructions, 0 refused$' \
		"and counted"
}
# A run of a program on this host, left as the emulated machine leaves one.
run_here() { # run-directory program argument...
	local d=$1
	shift
	rm -rf "$d" && mkdir -p "$d"
	(cd "$d" && "$@") > "$d/output.txt" 2>&1
	echo "exit $?" > "$d/status"
}

stage_kvmrun() {
	local kvmrun=$out/kvmrun guests=$out/guest j=$logs/kvmrun.json log
	begin_checks
	if [ "$arch" = arm64 ]; then
		# This host's own kernel: hvc with the SMCCC filter from Linux 6.4.
		local d=$logs/kvmrun-arm64 how=doorbell k g
		k=$(uname -r) g=$(realpath "$guests")
		[[ $k =~ ^([0-9]+)\.([0-9]+) ]] &&
			(( BASH_REMATCH[1] > 6 || (BASH_REMATCH[1] == 6 && BASH_REMATCH[2] >= 4) )) && how=hvc
		kvmrun=$(realpath "$kvmrun")
		run_here "$d/hc" "$kvmrun" --trace --json k.json "$g/03-hypercalls/hypercalls.img"
		run_here "$d/flat" "$kvmrun" --json k.json "$g/01-first-run/hello.img"
		run_here "$d/seed" "$kvmrun" --devices --no-strict --trace "$g/05-writeback/seed.img"
		expect_kvmrun_hc_arm64 "$d/hc" "$how" " (Linux $k)"
		expect_kvmrun_arm64 "$d/flat" "$d/seed"
		log=$logs/kvmrun-wild.txt
		"$kvmrun" --json "$j.wild" "$guests/02-c-guests/wild_pointer.img" > "$log" 2>&1
		expect_status $? 70 "a crashing guest: status 70"
		expect_json "$j.wild" '.end == "failed" and (.error | startswith("unexpected exit KVM_EXIT_MMIO (6): write to guest physical "))' \
			"the diagnosis names the exit and the address"
		expect_line "$log" '^  instruction at pc ' "the diagnosis shows the instruction at the PC"
		stage_kvmrun_common
		end_checks "kvmrun runs any guest"
		return
	fi
	log=$logs/kvmrun-hello.txt
	"$kvmrun" --json "$j.hello" "$guests/01-first-run/hello.img" > "$log" 2>&1
	expect_status $? 0 "a flat real-mode binary that halts: status 0"
	expect_line "$log" '^Hello, KVM! This line came from a real-mode guest' "its serial output"
	expect_json "$j.hello" '.end == "halt" and .exits == 71 and .format == "flat"' \
		"it halted after 71 exits (one per byte, and the hlt)"
	log=$logs/kvmrun-hypercalls.txt
	"$kvmrun" --trace --json "$j.hc" "$guests/03-hypercalls/hypercalls.img" > "$log" 2>&1
	expect_status $? 42 "an ELF guest's KIT_HC_EXIT code is the status"
	expect_json "$j.hc" '.hypercalls | any(.name == "MIX5" and .args == ["0x1", "0x100000005", "0xffffffffffffffff", "0x8000000000000000", "0x123456789abcdef0"] and .result == "0x1f16b0dd88cab6dc")' \
		"MIX5 arrives with its five arguments whole, and its result"
	expect_line "$log" '^\[exit 1\] KVM_EXIT_IO \(2\): out to port 0xe0' "--trace shows each exit"
	expect_line "$log" '^mix5: ok ' "the guest's own check passes"
	"$kvmrun" --no-sync-regs "$guests/03-hypercalls/hypercalls.img" > "$logs/kvmrun-nosync.txt" 2>&1
	expect_status $? 42 "--no-sync-regs works too"
	log=$logs/kvmrun-wild.txt
	"$kvmrun" --json "$j.wild" "$guests/02-c-guests/wild_pointer.img" > "$log" 2>&1
	expect_status $? 70 "a crashing guest: status 70"
	expect_json "$j.wild" '.end == "failed" and (.error | startswith("unexpected exit KVM_EXIT_MMIO (6): write to guest physical 0x20000000, 8 bytes"))' \
		"the diagnosis names the exit and the address"
	expect_line "$log" '^  instruction at pc ' "the diagnosis shows the instruction at the PC"
	stage_kvmrun_common
	log=$logs/kvmrun-devices.txt
	"$kvmrun" --devices "$guests/04-mmio/devices.img" > "$log" 2>&1
	expect_status $? 0 "--devices: lesson 04's devices guest runs to its end"
	expect_line "$log" '^devices: all ok$' "every device answers it as it checks"
	expect_line "$log" '^kvmrun: the MMIO bus: [0-9]+ exits, 0 accesses no device took$' \
		"the bus's summary"
	log=$logs/kvmrun-unclaimed.txt
	"$kvmrun" --devices "$guests/04-mmio/unclaimed.img" > "$log" 2>&1
	expect_status $? 70 "--devices: an access no device takes fails the run (strict)"
	expect_line "$log" 'unclaimed MMIO read of 1 bytes at 0x[0-9a-f]+3000 \(no device there\)' \
		"and names it"
	"$kvmrun" --devices --no-strict "$guests/04-mmio/unclaimed.img" > "$log" 2>&1
	expect_status $? 0 "--no-strict: such accesses read all ones and the guest goes on"
	expect_line "$log" '^kvmrun: the MMIO bus: [0-9]+ exits, 7 accesses no device took$' \
		"all 7 counted"
	end_checks "kvmrun runs any guest"
}

# What kvmrun does the same on either architecture: the watchdog, images it
# refuses, its usage errors.
stage_kvmrun_common() {
	"$kvmrun" --timeout 200 --json "$j.spin" "$guests/01-first-run/spin.img" > "$logs/kvmrun-spin.txt" 2>&1
	expect_status $? 71 "a guest that never exits: the watchdog, status 71"
	log=$logs/kvmrun-bad.txt
	printf '\177ELF\002\001\001' > "$logs/truncated.elf"	# 7 bytes of an ELF header
	"$kvmrun" "$logs/truncated.elf" > "$log" 2>&1
	expect_status $? 66 "a malformed ELF: status 66"
	expect_line "$log" 'ELF: the image is 7 bytes, smaller than an ELF header' "it says what is wrong"
	"$kvmrun" /nonexistent/guest > "$log" 2>&1
	expect_status $? 66 "a missing file: status 66"
	"$kvmrun" /tmp > "$log" 2>&1
	expect_status $? 66 "a directory: status 66"
	expect_line "$log" 'is not a regular file' "a directory is refused as such"
	"$kvmrun" --timeout -1 "$guests/01-first-run/hello.img" > "$log" 2>&1
	expect_status $? 64 "a negative --timeout is a usage error"
	"$kvmrun" --no-strict "$guests/01-first-run/hello.img" > "$log" 2>&1
	expect_status $? 64 "--no-strict without --devices is a usage error"
}

stage_sanitize() {
	KIT_CHECK_SUMMARY=$summary bash common/scripts/sanitize.sh "${out}-sanitize" "$build" \
		"${lessons[@]}" > "$logs/sanitize.txt" 2>&1
	grep -E '^(score|kvmrun with)|FAIL|CRASH|TIMEOUT' "$logs/sanitize.txt" | sed 's/^/  /'
}

# The graders of a batch that ran in an emulated machine: each one's rows
# (prefixed) into the stage's TSV, and the lines of its report that count.
batch_results() { # batch-file out-directory row-prefix label
	local name
	while IFS=$'\t' read -r name _; do
		case $name in kvmrun-*|hostile|soak) continue ;; esac
		if [ -f "$2/$name/summary.tsv" ]; then
			sed "s/^/$3: /" "$2/$name/summary.tsv" >> "$summary"
		else
			record "$3: $name ($4) reported nothing" 0 1 0
		fi
		echo "== $name ($4): $(cat "$2/$name/status" 2>/dev/null)"
		grep -E '^(score|[0-9]+ passed)|^  (FAIL|CRASH|TIMEOUT|SKIP)|^  PASS +[a-z0-9_]+ \(hidden\):' \
			"$2/$name/output.txt" 2>/dev/null
	done < "$1"
}

# The arm64 lessons, one boot of the emulated machine per kernel.
stage_arm64() {
	local a64=$build/arm64 emu=$logs/arm64 lesson kernel b name
	if [ -z "${EMU_ARCH:-}" ]; then
		echo "  (not on an x86_64 host: the arm64 lessons run natively there)"
		return
	fi
	rm -rf "$emu" && mkdir -p "$emu"
	# The hidden checks too, where this tree has them (stage 4 says why).
	local hidden_arg=
	[ -d hidden ] && hidden_arg=$'\t--hidden'
	# run_batch KERNEL BATCH-FILE [run.sh options]: every line of BATCH in
	# one boot; each run's files come back to $emu/KERNEL/NAME/.
	run_batch() {
		local kernel=$1 batch=$2
		shift 2
		# (KIT_FAIL_ON_SKIP is passed on: graders inside fail on a skip
		# as they would here.)
		common/emu/run.sh --cache "$build/emu-arm64" --kernel "$kernel" --fetch \
			--out "$emu/$kernel" "$@" --batch "$batch"
	}
	b=$emu/6.12.batch
	{
		printf 'core\t%s\t--label\tcore unit tests (arm64, Linux 6.12)\t--summary\tsummary.tsv\n' \
			"$a64/tests/core-tests"
		for lesson in $EMU_LESSONS; do
			printf '%s\t%s%s\t--label\treference solution (arm64, Linux 6.12)\t--summary\tsummary.tsv\t--json\tresults.json\n' \
				"$lesson" "$a64/solution/$lesson/grade" "$hidden_arg"
			printf '%s-starter\t%s%s\t--expect-zero\t--label\tuntouched starter (arm64, Linux 6.12)\t--summary\tsummary.tsv\n' \
				"$lesson" "$a64/student/$lesson/grade" "$hidden_arg"
		done
		printf 'kvmrun-hvc\t%s\t--trace\t--json\tk.json\t/bin/hypercalls.img\n' "$a64/kvmrun"
		printf 'kvmrun-flat\t%s\t--json\tk.json\t/bin/hello.img\n' "$a64/kvmrun"
		printf 'kvmrun-seed\t%s\t--devices\t--no-strict\t--trace\t/bin/seed.img\n' "$a64/kvmrun"
		printf 'hostile\t%s\ttop\tedges\ttoctou\trefused-loop\n' "$a64/hostile"
		printf 'soak\t%s\t--cycles\t300\t--exits\t30000\n' "$a64/tests/soak"
	} > "$b"
	run_batch 6.12 "$b" --file "$a64/guest/03-hypercalls/hypercalls.img:/bin/hypercalls.img" \
		--file "$a64/guest/01-first-run/hello.img:/bin/hello.img" \
		--file "$a64/guest/05-writeback/seed.img:/bin/seed.img" ||
		record "arm64: the emulated machine (Linux 6.12) failed; its message is above" 0 1 0
	# Other kernels: 16 KiB pages (a Raspberry Pi 5's), and Linux 6.1 (no
	# SMCCC filter: lesson 03's guests fall back to the doorbell).
	for kernel in 6.12-16k 6.1; do
		b=$emu/$kernel.batch
		: > "$b"
		for lesson in $EMU_LESSONS; do
			printf '%s\t%s%s\t--label\treference solution (arm64, Linux %s)\t--summary\tsummary.tsv\n' \
				"$lesson" "$a64/solution/$lesson/grade" "$hidden_arg" "$kernel" >> "$b"
		done
		[ $kernel = 6.1 ] &&
			printf 'kvmrun-doorbell\t%s\t--trace\t--json\tk.json\t/bin/hypercalls.img\n' "$a64/kvmrun" >> "$b"
		run_batch "$kernel" "$b" --file "$a64/guest/03-hypercalls/hypercalls.img:/bin/hypercalls.img" ||
			record "arm64: the emulated machine (Linux $kernel) failed; its message is above" 0 1 0
	done
	# Each grader's rows, and what it printed.
	for kernel in 6.12 6.12-16k 6.1; do
		batch_results "$emu/$kernel.batch" "$emu/$kernel" "arm64" "arm64, Linux $kernel"
	done
	# The hidden checks' results.json on arm64, as stage 4 checks it here.
	if [ -n "$hidden_arg" ]; then
		begin_checks
		for lesson in $EMU_LESSONS; do
			expect_json "$emu/6.12/$lesson/results.json" '.visibility == "visible" and ([.tests[] | select(.visibility == "after_published")] | length > 0 and all(.score == .max_score))' \
				"arm64: $lesson's results.json holds its hidden checks, after_published and passed; the total visible"
		done
		end_checks "arm64: hidden checks in results.json"
	fi
	# kvmrun, built for arm64: hypercalls through hvc and the doorbell, and
	# a flat binary.
	begin_checks
	expect_kvmrun_hc_arm64 "$emu/6.12/kvmrun-hvc" hvc ""
	# (On Linux 6.1 the guest falls back to the doorbell.)
	expect_kvmrun_hc_arm64 "$emu/6.1/kvmrun-doorbell" doorbell ", Linux 6.1"
	expect_kvmrun_arm64 "$emu/6.12/kvmrun-flat" "$emu/6.12/kvmrun-seed"
	end_checks "arm64: kvmrun runs arm64 guests (hvc, doorbell, the seed's stores)"
	# Hostile guests against lessons 04-05 (solutions/hostile), and the
	# core's soak, on arm64.
	begin_checks
	expect_run_status "$emu/6.12/hostile" 0 "hostile on arm64: every scenario as its model says"
	for scenario in top edges toctou refused-loop; do
		expect_line "$emu/6.12/hostile/output.txt" "^ok $scenario: " "hostile $scenario on arm64"
	done
	expect_run_status "$emu/6.12/soak" 0 "the soak on arm64: every count exact, nothing left behind"
	expect_line "$emu/6.12/soak/output.txt" '^soak: 300 cycles .* fds ([0-9]+) -> \1, mappings ([0-9]+) -> \2' \
		"the soak on arm64: fds and mappings the same after 300 VMs"
	grep -E '^(ok|FAIL|skip) |^soak: ' "$emu/6.12/hostile/output.txt" "$emu/6.12/soak/output.txt" |
		sed 's/^[^:]*output.txt:/  /'
	end_checks "arm64: hostile guests (lessons 04-05) and the soak"
	# The mistakes, all in one more boot.
	make -s --no-print-directory ARCH=arm64 mistakes-run SUMMARY="$summary" \
		> "$emu/mistakes.txt" 2>&1
	grep -E '^  (FAIL|SKIP)|passed|^emu-[a-z0-9_]+: error: ' "$emu/mistakes.txt"
}

stage_docs() {
	if bash docs/build.sh "$build/docs" "${lessons[@]}" > "$logs/docs.txt" 2>&1; then
		record "docs: site builds, links and TODO sections resolve" 1 0 0
		tail -n 3 "$logs/docs.txt"
	else
		record "docs: site builds, links and TODO sections resolve" 0 1 0
		cat "$logs/docs.txt"
	fi
	# The sample outputs in the lesson texts, against real runs of their
	# commands (which find everything already built).
	bash common/scripts/samples.sh "$logs/samples" "${lessons[@]}" > "$logs/samples.txt" 2>&1
	record "docs: each sample output in a lesson text is what its command prints" \
		"$(grep -c '^ok ' "$logs/samples.txt")" "$(grep -c '^FAIL' "$logs/samples.txt")" 0
	grep -v '^ok ' "$logs/samples.txt"
}

# Lesson 05's decoder, pure code: against Capstone over the edges of
# every field and a million random words, and as a64dec prints it.
stage_decoder() {
	local log=$logs/decoder-diff.txt a64dec=$out/a64dec j=$logs/a64dec.json
	begin_checks
	"$out/decoder_diff" 1000000 > "$log" 2>&1
	expect_status $? 0 "decoder-diff: no word where the decoder and Capstone differ"
	expect_line "$log" '^decoder-diff: 1164864 words .* 0 mismatches$' "all 1164864 words compared"
	grep -E 'MISMATCH|decoder-diff:' "$log" | head -n 21
	"$a64dec" f800845f > "$j.seed" 2>&1
	expect_status $? 0 "a64dec WORD"
	expect_line "$j.seed" '^\{"insn":"0xf800845f","ok":true,"op":"store","size":8,"signed":false,"dest_bits":64,"pair":false,"rt":31,"rt2":null,"rn":2,"mode":"post","offset":8,"text":"str xzr, \[x2\], #8"\}$' \
		"the seed's post-indexed store, in the fixed format"
	printf 'a9ff0be1\n0xb865d883\nc85f7c20\n3d800000\nf8008421\n69410440\n' | "$a64dec" - > "$j" 2>&1
	expect_status $? 0 "a64dec - (words on stdin)"
	expect_line "$j" '"insn":"0xa9ff0be1","ok":true,"op":"load","size":8,.*"pair":true,"rt":1,"rt2":2,"rn":31,"mode":"pre","offset":-16,"text":"ldp x1, x2, \[sp, #-16\]!"' \
		"a pre-indexed pair on SP"
	expect_line "$j" '"mode":"register","offset":0,"rm":5,"extend":"sxtw","shift":2,"text":"ldr w3, \[x4, w5, sxtw #2\]"' \
		"a register offset, extended and shifted"
	expect_line "$j" '"insn":"0xc85f7c20","ok":false,"reason":"an exclusive' "an exclusive refused, with its reason"
	expect_line "$j" '"insn":"0x3d800000","ok":false,"reason":"a SIMD' "a SIMD store refused"
	expect_line "$j" '"insn":"0xf8008421","ok":false,"reason":"writeback with Rn == Rt' \
		"writeback onto the base register refused"
	expect_line "$j" '"insn":"0x69410440","ok":true,"op":"load","size":4,"signed":true,"dest_bits":64,"pair":true' \
		"LDPSW: a pair of sign-extended words"
	"$a64dec" 12345678x > "$log" 2>&1
	expect_status $? 64 "a word that is not hex: status 64"
	end_checks "lesson 05's A64 decoder: decoder-diff and a64dec"
}

stage_bench() {
	local prog=$out/solution/06-exits/lesson dir=$logs/bench log=$logs/bench.txt
	begin_checks
	mkdir -p "$dir"
	rm -f "$dir"/*
	# Quick batches of a few rows: the report, not the figures, is checked.
	local rows=pio,mmio,cpuid,coalesced,sum_ram,sum_mmio
	[ "$arch" = arm64 ] && rows=mmio,nisv,psci_version,coalesced,sum_ram,sum_mmio
	"$prog" --quick --rows "$rows" \
		--json "$dir/results.json" --svg "$dir/exits.svg" > "$log" 2>&1
	expect_status $? 0 "lesson 06's program, six rows with the reference harness"
	expect_line "$log" '^KVM: ' "its header names the KVM back end"
	expect_line "$log" "^the seed's question: a checksum: .* a word behind MMIO, .* in RAM: [0-9]+x slower" \
		"and answers the seed's question with a factor"
	expect_json "$dir/results.json" '(.rows | length) == 6 and all(.rows[]; (.kind | type) == "string" and .N > 0 and .batches == 3 and .min <= .median and .median <= .p90 and .p90 <= .p99 and .p99 <= .max and (.unit | test("^ns/(exit|word)$")))' \
		"results.json: every row with N, batches, min <= median <= p90 <= p99 <= max, a unit"
	expect_json "$dir/results.json" '(.kernel | startswith("Linux ")) and (.kvm | length) > 0 and (.cpu | length) > 0' \
		"results.json: the kernel, the CPU, the KVM back end"
	rsvg-convert -o "$dir/exits.png" "$dir/exits.svg" > "$dir/render.txt" 2>&1
	expect_status $? 0 "the chart renders (rsvg-convert)"
	[ "$(od -An -tu1 -j16 -N4 "$dir/exits.png" 2>/dev/null | tr -s ' ')" = " 0 0 3 192" ]
	expect_status $? 0 "as a picture 960 pixels wide"
	[ "$(grep -c '<rect x=' "$dir/exits.svg")" = 6 ] && [ "$(grep -c '<title>' "$dir/exits.svg")" = 6 ]
	expect_status $? 0 "with a labelled bar for each of the six rows"
	end_checks "lesson 06's report: results.json, the chart"
}

# Every fuzz target's committed corpus, replayed under ASan and UBSan
# (make fuzz fuzzes; fuzz/README.md). And no model is blind: each target,
# built around a mistaken copy of what it fuzzes, must stop on the same
# corpus with its own message (or a sanitizer's).
stage_fuzz() {
	local log=$logs/fuzz.txt bad=$logs/fuzz-mistake t
	begin_checks
	for t in $FUZZ_ALL; do
		"$build/fuzz/$t" -artifact_prefix="$logs/fuzz-$t-" fuzz/corpus/"$t"/* > "$log" 2>&1
		expect_status $? 0 "fuzz/corpus/$t replays with no crash: the code agrees with the model"
		echo "  $t: $(grep -c '^Executed ' "$log") inputs replayed"
	done
	mistaken() { # TARGET SOURCE WHAT FROM TO [REGEX]
		local what="fuzz/$1.c, built around $2 with $3"
		perl -pe 'BEGIN { ($f, $t) = splice @ARGV, 0, 2 } s/\Q$f\E/$t/' "$4" "$5" "$2" \
			> "$bad.c" && ! cmp -s "$bad.c" "$2" &&
			make -s --no-print-directory fuzz-with FUZZ_TARGET="$1" SRC="$2" WITH="$bad.c" \
				FUZZ_OUT="$bad" > "$log" 2>&1 || { broke "building $what"; return; }
		"$bad" -artifact_prefix="$logs/fuzz-mistake-" fuzz/corpus/"$1"/* > "$log" 2>&1
		if [ $? -ne 0 ] && grep -Eq "${6:-^fuzz/$1\.c:}" "$log"; then
			held
			echo "  caught: $what: $(grep -Em1 "${6:-^fuzz/$1\.c:}" "$log" | cut -c1-110)"
		else
			broke "the corpus of $what should stop on it"
		fi
	}
	mistaken elf common/elf.c "no check that a segment's bytes are in the file" \
		'if (!in_file(p->p_offset, p->p_filesz, size))' 'if (0)' 'AddressSanitizer|^fuzz/elf\.c:'
	mistaken elf common/elf.c "the overlap check skipping the segment just before" \
		'for (j = 0; j < i; j++) {' 'for (j = 0; j + 1 < i; j++) {'
	mistaken hypercall solutions/03-hypercalls/hypercall.c "WRITE's length unbounded" \
		'if (len > KIT_HC_MAX_WRITE)' 'if (0)'
	mistaken hypercall solutions/03-hypercalls/hypercall.c "FILL reading its seed from guest memory again" \
		'buf[i] = (uint8_t)(args.seed + i);' 'buf[i] = (uint8_t)(shared->seed + i);' \
		'runtime error|^fuzz/hypercall\.c:'
	mistaken bus solutions/04-mmio/bus.c "an access that ends on a device's last byte not found" \
		'last_byte(addr, len) <= last_byte(d->base, d->len)' 'last_byte(addr, len) < last_byte(d->base, d->len)'
	mistaken bus solutions/04-mmio/bus.c "an overlap on a device's last byte allowed" \
		'if (dev->base <= last_byte(o->base, o->len) &&' 'if (dev->base < last_byte(o->base, o->len) &&'
	mistaken emulator solutions/05-writeback/emulate_arm64.c "a load into XZR written to X(31), which is SP_EL0" \
		'return n == 31 ? 0 : arm64_set_reg' 'return arm64_set_reg'
	mistaken emulator solutions/05-writeback/emulate_arm64.c "a W load not clearing the top half" \
		'if (d.dest_bits == 32)' 'if (0)'
	mistaken kvmrun solutions/kvmrun/options.c "a --timeout one past its limit" \
		'ms > MAX_TIMEOUT_MS)' 'ms > MAX_TIMEOUT_MS + 1)'
	mistaken kvmrun solutions/kvmrun/options.c "an empty image read as one" \
		'if (len == 0 || (unsigned long)len > MAX_IMAGE) {' 'if ((unsigned long)len > MAX_IMAGE) {'
	end_checks "fuzz: every corpus replayed, and each model catches mistaken code"
}

# The core's VM lifecycle and run loop, many times over, and kvmrun on
# hostile guests many at once (make soak's, with smaller counts).
stage_soak() {
	SOAK_CYCLES=2000 SOAK_EXITS=200000 SOAK_PROCS=100 KIT_CHECK_SUMMARY=$summary \
		bash common/scripts/soak.sh "$build" "$out" > "$logs/soak.txt" 2>&1
	grep -E '^soak|FAIL' "$logs/soak.txt" | sed 's/^/  /'
}

# The student repository (make release) in $build/release: it builds and
# grades every lesson without solutions/, the starters score zero and the
# solutions copied in full marks, no line of a reference file is in it,
# its workflow validates, and every HINTS level compiles to the same code.
stage_release() {
	local rel=$build/release solved=$build/release-solved log=$logs/release f l h n lines found o a b objcopy
	local arch_lessons
	begin_checks
	mkdir -p "$log"
	rm -rf "$solved" "$build/release-sections" "$build/release-none"
	bash common/scripts/release.sh "$rel" full > "$log/release.txt" 2>&1
	expect_status $? 0 "make release DEST=$rel writes the student repository"
	expect_line "$log/release.txt" '^release: .* is a git repository with one commit' "the release is a git repository with one commit"
	[ -d "$rel/solutions" ] && broke "the release has a solutions/ directory" || held
	# The emulated machines' downloads: the kit's own (shared, never deleted).
	mkdir -p "$rel/build"
	for a in arm64 x86_64; do
		[ -e "$build/emu-$a" ] && [ ! -e "$rel/build/emu-$a" ] && ln -s "$(realpath "$build/emu-$a")" "$rel/build/emu-$a"
	done

	# A student's first command, and what a release refuses.
	(cd "$rel" && make -s lesson-01) > "$log/lesson-01.txt" 2>&1
	expect_status $? 2 "make lesson-01 in the release builds and runs it (the starter fails its checks)"
	expect_line "$log/lesson-01.txt" '^score 01-first-run: 0/[0-9]+$' "make lesson-01 in the release grades the starter: 0"
	expect_line "$log/lesson-01.txt" 'TODOs left in your files' "make lesson-01 in the release lists the TODOs left"
	(cd "$rel" && make -s lesson-01 SOLUTION=1) > "$log/solution.txt" 2>&1
	expect_status $? 2 "SOLUTION=1 in the release stops"
	expect_line "$log/solution.txt" 'no reference solution' "SOLUTION=1 in the release says there is no reference solution"
	for t in fuzz mutants sanitize decoder-diff; do
		(cd "$rel" && make -s "$t") > "$log/$t.txt" 2>&1
		expect_status $? 2 "make $t in the release stops"
		expect_line "$log/$t.txt" "make $t: instructors' tree only" "make $t in the release says: instructors' tree only"
	done
	(cd "$rel" && make -s help) > "$log/help.txt" 2>&1
	grep -Eq 'make (fuzz|mutants|sanitize|samples|fresh-check|release)' "$log/help.txt" &&
		broke "make help in the release names an instructors' target" || held
	(cd "$rel" && make -s docs) > "$log/docs.txt" 2>&1
	expect_status $? 0 "make docs in the release: every page renders, every local link resolves"

	# Grading: the untouched starters score 0 in every lesson (make check
	# is make grade there), the solutions copied in full marks.
	n=$(wc -w <<< "${lessons[*]}")
	(cd "$rel" && make -s check) > "$log/grade-starters.txt" 2>&1
	expect_status $? 2 "make check in the release grades the starters (and fails)"
	expect_json "$rel/build/results.json" ".score == 0 and .max_score > 0 and ([.tests[].tags[0]] | unique | length) == $n" \
		"the starters in the release score 0 in each of the $n lessons"
	cp -a "$rel" "$solved" && rm -rf "$solved/build/x86_64" "$solved/build/arm64" "$solved/build/grade" "$solved/build/results.json"
	for l in "${lessons[@]}"; do
		for f in $(cat "$solved/lessons/$l/student-files"); do cp "solutions/$l/$f" "$solved/lessons/$l/$f"; done
	done
	(cd "$solved" && make -s grade) > "$log/grade-solutions.txt" 2>&1
	expect_status $? 0 "make grade in the release, with the solutions copied in, passes"
	expect_json "$solved/build/results.json" ".score == .max_score and .max_score > 0 and all(.tests[]; .status == \"passed\") and ([.tests[].tags[0]] | unique | length) == $n" \
		"the solutions copied into the release score full marks in each of the $n lessons"
	bash common/release/job-summary.sh "$rel/.github/workflows/grade.yml" "$solved/build/results.json" "$log/job-summary.md" 2>&1
	expect_status $? 0 "the workflow's summary step runs on a results.json"
	expect_line "$log/job-summary.md" '^\| \*\*total\*\* \| \| \| \*\*([0-9]+) / \1\*\* \|$' "the job summary's table ends with the total: full marks"
	expect_line "$log/job-summary.md" '^\| 01-first-run \| [0-9]+ \| 0 \| ([0-9]+) / \1 \|$' "the job summary has a row per lesson"
	sed 's/^/    /' "$log/job-summary.md"

	# No line of a reference file in the release.
	bash common/release/solution-lines.sh > "$log/lines.tsv"
	lines=$(wc -l < "$log/lines.tsv") found=0
	while IFS=$'\t' read -r f line; do
		if grep -rlF --exclude-dir=.git --exclude-dir=build -- "$line" "$rel" > "$log/found.txt"; then
			found=$((found + 1))
			broke "a line of $f is in the release: $(tr '\n' ' ' < "$log/found.txt")"
		fi
	done < "$log/lines.tsv"
	[ "$found" = 0 ] && [ "$lines" -gt 0 ] && held
	echo "  grep -rF for $lines lines, one of each reference file: $found found in the release"

	# Its grading workflow.
	bash common/release/validate.sh "$rel/.github/workflows/grade.yml" > "$log/validate.txt" 2>&1
	expect_status $? 0 "the release's workflow validates (yamllint, its keys)"
	grep -v '^ok' "$log/validate.txt"
	cmp -s common/release/grade.yml "$rel/.github/workflows/grade.yml" && held ||
		broke "the release's workflow is not common/release/grade.yml"

	# Every HINTS level compiles, on each architecture this host builds (on
	# x86_64 arm64 too, cross-built), to the same code (the objects of the
	# student's files, without debug information).
	(cd "$rel" && make -s -j2 all) > "$log/all-full.txt" 2>&1
	expect_status $? 0 "make all in the release ($arch)"
	local built=("build/$arch/student") cross_all=true
	if [ -n "${EMU_ARCH:-}" ]; then
		(cd "$rel" && make -s -j2 ARCH="$EMU_ARCH" all) > "$log/all-$EMU_ARCH.txt" 2>&1
		expect_status $? 0 "make ARCH=$EMU_ARCH all in the release ($EMU_ARCH, cross-built)"
		built+=("build/$EMU_ARCH/student") cross_all="make -s -j2 ARCH=$EMU_ARCH all"
	fi
	for h in sections none; do
		bash common/scripts/release.sh "$build/release-$h" "$h" > "$log/release-$h.txt" 2>&1
		expect_status $? 0 "make release HINTS=$h"
		mkdir -p "$build/release-$h/build" && [ ! -e "$build/emu-arm64" ] ||
			ln -sfn "$(realpath "$build/emu-arm64")" "$build/release-$h/build/emu-arm64"
		(cd "$build/release-$h" && make -s -j2 all && $cross_all) > "$log/all-$h.txt" 2>&1
		expect_status $? 0 "the release at HINTS=$h compiles (${built[*]})"
		n=0 found=0
		for o in $(cd "$rel" && find "${built[@]}" -name '*.o'); do
			objcopy=objcopy
			[[ $o == build/arm64/* ]] && [ "$arch" != arm64 ] && objcopy=aarch64-linux-gnu-objcopy
			a=$log/a.o b=$log/b.o
			$objcopy --strip-debug "$rel/$o" "$a" && $objcopy --strip-debug "$build/release-$h/$o" "$b" &&
				cmp -s "$a" "$b" || { found=$((found + 1)); echo "  differs at HINTS=$h: $o"; }
			n=$((n + 1))
		done
		[ "$found" = 0 ] && [ "$n" -gt 0 ] && held || broke "HINTS=$h compiles to other code than HINTS=full ($found of $n objects)"
		echo "  HINTS=$h: $(grep -o '[0-9]* TODO comments in [0-9]* starter files' "$log/release-$h.txt"); $((n - found)) of $n student objects the same as at HINTS=full"
	done

	# One arm64 lesson graded in the emulated machine, in the release.
	if [ -n "${EMU_ARCH:-}" ] || [ "$arch" = arm64 ]; then
		(cd "$solved" && make -s lesson-01 ARCH=arm64) > "$log/arm64-lesson-01.txt" 2>&1
		expect_status $? 0 "make lesson-01 ARCH=arm64 in the release, with the solution copied in, passes"
		expect_line "$log/arm64-lesson-01.txt" '^score 01-first-run: ([0-9]+)/\1$' "arm64 lesson 01 in the release: full marks"
	fi
	end_checks "the student repository (make release): builds, grades, holds no solution"
}

stage_compdb() {
	local log=$logs/compdb.txt db=compile_commands.json bad
	begin_checks
	make -s --no-print-directory compdb > "$log" 2>&1
	expect_status $? 0 "make compdb succeeds"
	expect_json "$db" 'length > 0 and all(.[]; has("directory") and has("file") and has("command"))' \
		"every entry has a directory, a file and a command"
	expect_json "$db" '([.[].file] | length) == ([.[].file] | unique | length)' "each file appears once"
	expect_json "$db" 'all(.[]; .file | test("^solutions/[0-9]") | not)' \
		"no reference solution is in it: go to definition finds the student's own file"
	expect_json "$db" '[.[] | select(.file | test("03-hypercalls/regs_'"$arch"'.c$"))] | length == 1' \
		"hc_read_call's file (lesson 03) is there once, the student's"
	# Every command compiles its file (syntax only), as an editor runs it.
	bad=$(jq -r '.[] | "\(.command) -fsyntax-only"' "$db" | while read -r cmd; do
		eval "$cmd" > /dev/null 2>&1 || echo "$cmd"
	done)
	if [ -z "$bad" ]; then held; else broke "these entries do not compile: $bad"; fi
	echo "  compdb: $(jq length "$db") files"
	end_checks "compile_commands.json: complete, the student's files, every entry compiles"
}

stage_emulator() {
	if [ -z "${EMU_ARCH:-}" ]; then
		echo "  (not on an x86_64 host: no emulated machine)"
		return
	fi
	bash common/emu/selftest.sh --cache "$build/emu-arm64" 6.12 > "$logs/selftest.txt" 2>&1
	grep -v '^PASS' "$logs/selftest.txt" | sed 's/^/  /'
	local counts
	counts=$(tail -n 1 "$logs/selftest.txt")
	if [[ $counts =~ ^selftest:\ ([0-9]+)\ passed,\ ([0-9]+)\ failed$ ]]; then
		record "the emulated machine reports every way a run ends" "${BASH_REMATCH[1]}" \
			"${BASH_REMATCH[2]}" 0
	else
		record "the emulated machine's self-test did not finish" 0 1 0
	fi
}

# The x86 lessons on AMD-V: the emulated x86_64 machine, where KVM is
# kvm_amd, as on a laptop. One boot for the checks and kvmrun, one for the
# mistakes. A check that holds on one back end and not the other has found
# an assumption; it must hold on both.
stage_amd() {
	local x86=$build/x86_64-emu emu=$logs/amd b lesson name
	if [ -z "${AMD_EMU:-}" ]; then
		echo "  (not on an x86_64 host)"
		return
	fi
	rm -rf "$emu" && mkdir -p "$emu"
	local hidden_arg=
	[ -d hidden ] && hidden_arg=$'\t--hidden'
	b=$emu/runs.batch
	{
		printf 'core\t%s\t--label\tcore unit tests (x86_64, AMD-V)\t--summary\tsummary.tsv\n' \
			"$x86/tests/core-tests"
		for lesson in "${lessons[@]}"; do
			printf '%s\t%s%s\t--label\treference solution (x86_64, AMD-V)\t--summary\tsummary.tsv\n' \
				"$lesson" "$x86/solution/$lesson/grade" "$hidden_arg"
			printf '%s-starter\t%s%s\t--expect-zero\t--label\tuntouched starter (x86_64, AMD-V)\t--summary\tsummary.tsv\n' \
				"$lesson" "$x86/student/$lesson/grade" "$hidden_arg"
		done
		printf 'kvmrun-hello\t%s\t--json\tk.json\t/bin/hello.img\n' "$x86/kvmrun"
		printf 'kvmrun-hc\t%s\t--json\tk.json\t/bin/hypercalls.img\n' "$x86/kvmrun"
		printf 'kvmrun-nosync\t%s\t--no-sync-regs\t--json\tk.json\t/bin/hypercalls.img\n' "$x86/kvmrun"
		printf 'kvmrun-wild\t%s\t--json\tk.json\t/bin/wild_pointer.img\n' "$x86/kvmrun"
		printf 'kvmrun-spin\t%s\t--timeout\t200\t--json\tk.json\t/bin/spin.img\n' "$x86/kvmrun"
		printf 'kvmrun-vmcall\t%s\t--json\tk.json\t/bin/vmcall.img\n' "$x86/kvmrun"
	} > "$b"
	common/emu/run.sh --machine x86_64 --cache "$build/emu-x86_64" --fetch --out "$emu" \
		--file "$x86/guest/01-first-run/hello.img:/bin/hello.img" \
		--file "$x86/guest/01-first-run/spin.img:/bin/spin.img" \
		--file "$x86/guest/02-c-guests/wild_pointer.img:/bin/wild_pointer.img" \
		--file "$x86/guest/03-hypercalls/hypercalls.img:/bin/hypercalls.img" \
		--file "$x86/guest/03-hypercalls/vmcall.img:/bin/vmcall.img" --batch "$b" ||
		record "x86_64 on AMD-V: the emulated machine failed; its message is above" 0 1 0
	batch_results "$b" "$emu" "AMD-V" "x86_64, AMD-V"
	# kvmrun, with the same expectations as here (stage 6).
	begin_checks
	expect_run_status "$emu/kvmrun-hello" 0 "kvmrun on AMD-V: a flat real-mode binary that halts"
	expect_json "$emu/kvmrun-hello/k.json" '.end == "halt" and .exits == 71' \
		"kvmrun on AMD-V: it halted after 71 exits"
	expect_line "$emu/kvmrun-hello/output.txt" '^Hello, KVM! This line came from a real-mode guest' \
		"kvmrun on AMD-V: its serial output"
	expect_run_status "$emu/kvmrun-hc" 42 "kvmrun on AMD-V: an ELF guest's KIT_HC_EXIT code"
	expect_json "$emu/kvmrun-hc/k.json" '.hypercalls | any(.name == "MIX5" and .args == ["0x1", "0x100000005", "0xffffffffffffffff", "0x8000000000000000", "0x123456789abcdef0"] and .result == "0x1f16b0dd88cab6dc")' \
		"kvmrun on AMD-V: MIX5 with its five arguments whole"
	expect_run_status "$emu/kvmrun-nosync" 42 "kvmrun on AMD-V: --no-sync-regs"
	expect_run_status "$emu/kvmrun-wild" 70 "kvmrun on AMD-V: a crashing guest"
	expect_json "$emu/kvmrun-wild/k.json" '.error | startswith("unexpected exit KVM_EXIT_MMIO (6): write to guest physical 0x20000000, 8 bytes")' \
		"kvmrun on AMD-V: the diagnosis names the exit and the address"
	expect_run_status "$emu/kvmrun-spin" 71 "kvmrun on AMD-V: the watchdog stops a guest that never exits"
	# What real AMD hardware does with vmcall: -KVM_ENOSYS in RAX, no exit.
	expect_run_status "$emu/kvmrun-vmcall" 0 "kvmrun on AMD-V: the vmcall guest goes on and exits"
	expect_line "$emu/kvmrun-vmcall/output.txt" '^vmcall returned -1000$' \
		"kvmrun on AMD-V: vmcall returns -1000 (-KVM_ENOSYS) with no exit to userspace"
	end_checks "AMD-V: kvmrun runs any guest"
	make -s --no-print-directory EMU=1 mistakes-run SUMMARY="$summary" > "$emu/mistakes.txt" 2>&1
	grep -E '^  (FAIL|SKIP)|passed|^emu-[a-z0-9_]+: error: ' "$emu/mistakes.txt"
	# A student without /dev/kvm: with it hidden (a mount namespace whose
	# /dev has the usual nodes but kvm), make lesson-01 EMU=1 still grades.
	begin_checks
	local why=$as_root_why log=$emu/lesson-01-nokvm.txt err
	if [ -n "$why" ]; then
		:
	elif ! err=$("${as_root[@]}" unshare -m true 2>&1); then
		why="unshare -m fails here: ${err:-no message}"
	fi
	if [ -z "$why" ]; then
		(unset KIT_FAIL_ON_SKIP; "${as_root[@]}" env -u KIT_FAIL_ON_SKIP PATH="$PATH" \
			unshare -m --propagation private bash -c "$without_kvm" bash \
			"${as_user[@]}" make --no-print-directory lesson-01 EMU=1 SOLUTION=1) > "$log" 2>&1
		expect_status $? 0 "with /dev/kvm hidden, make lesson-01 EMU=1 SOLUTION=1 succeeds"
		expect_line "$log" '^score 01-first-run: ([0-9]+)/\1$' \
			"with /dev/kvm hidden, lesson 01 is graded in the emulated machine: full marks"
		expect_line "$log" 'x86_64 with AMD-V, 4096-byte pages\) booted' "... in the AMD-V machine"
	else
		skip_case 3 "make lesson-01 EMU=1 with /dev/kvm hidden: $why"
	fi
	end_checks "AMD-V: a student without /dev/kvm grades in the emulated machine"
}

stage_gradescope() {
	local gs=$logs/gradescope zip=$logs/gradescope/zip/autograder.zip r
	rm -rf "$gs" && mkdir -p "$gs"
	begin_checks
	make -s --no-print-directory gradescope GRADE_ARCHES="$arch" GRADESCOPE_OUT="$gs/zip" \
		> "$gs/zip.txt" 2>&1
	expect_status $? 0 "make gradescope builds $zip"
	cat "$gs/zip.txt"
	unzip -Z1 "$zip" > "$gs/zip-list.txt" 2>&1
	for f in setup.sh run_autograder autograder.conf kit/Makefile kit/common/scripts/grade-all.sh \
		kit/hidden/README.md; do
		grep -qx -- "$f" "$gs/zip-list.txt"
		expect_status $? 0 "the zip has $f"
	done
	# The kit inside is the student release with hidden/: no solution.
	! grep -q '^kit/solutions/' "$gs/zip-list.txt"
	expect_status $? 0 "the zip's kit has no solutions/ (it is make release's, with hidden/)"
	# A stand-in for Gradescope's /autograder: the zip in source/, setup.sh
	# run there (the packages are here; no emulated machine: this host
	# has /dev/kvm).
	r=$(realpath "$gs")/root
	mkdir -p "$r/source" && unzip -q "$zip" -d "$r/source"
	(cd "$r/source" && AUTOGRADER_ROOT=$r AUTOGRADER_SKIP_DEPS=1 AUTOGRADER_EMU=0 bash setup.sh) \
		> "$gs/setup.txt" 2>&1
	expect_status $? 0 "setup.sh builds the kit (its log: $gs/setup.txt)"
	# submit NAME: run_autograder on $r/submission; its results in NAME.json.
	submit() {
		AUTOGRADER_ROOT=$r bash "$r/source/run_autograder" > "$gs/$1.txt" 2>&1
		expect_status $? 0 "$1: run_autograder ends well (its log: $gs/$1.txt)"
		cp "$r/results/results.json" "$gs/$1.json" 2>/dev/null
		expect_json "$gs/$1.json" '(.score | type) == "number" and (.execution_time | type) == "number" and .visibility == "visible" and .stdout_visibility == "hidden" and (.output | type) == "string" and (.tests | length) > 0' \
			"$1: results.json in Gradescope's schema (score, execution_time, output, visibility)"
		expect_json "$gs/$1.json" 'all(.tests[]; (.name | type) == "string" and (.score | type) == "number" and (.max_score | type) == "number" and (.status == "passed" or .status == "failed") and (.output | type) == "string")' \
			"$1: each test has a name, score, max_score, status and output"
		expect_json "$gs/$1.json" 'all(.tests[]; .visibility == "visible" or .visibility == "after_published")' \
			"$1: every test has a visibility"
		expect_json "$gs/$1.json" '[.tests[] | select(.visibility == "after_published") | .name] | length > 0 and all(test("^[0-9][0-9]-[a-z-]+: [a-z0-9_]+: "))' \
			"$1: the hidden checks are there, after_published, named with their lesson"
		expect_json "$gs/$1.json" '.score == ([.tests[].score] | add)' "$1: the score is the tests' sum"
		expect_line "$gs/$1.json" "$arch on this machine's KVM" "$1: the output says how $arch was run"
	}
	# (a) The untouched starters, as a whole repository: 0.
	rm -rf "$r/submission" && mkdir -p "$r/submission" && cp -r lessons "$r/submission/"
	submit starters
	expect_json "$gs/starters.json" '.score == 0 and all(.tests[]; .status == "failed")' \
		"starters: score 0, every test failed"
	# (b) The reference files, uploaded one by one by name: full marks.
	rm -rf "$r/submission" && mkdir -p "$r/submission" && cp solutions/[0-9][0-9]-*/*.c "$r/submission/"
	submit solutions
	expect_json "$gs/solutions.json" '.score > 0 and .score == ([.tests[].max_score] | add) and all(.tests[]; .status == "passed")' \
		"solutions: full marks, every test passed"
	expect_json "$gs/solutions.json" '[.tests[] | select(.visibility == "after_published")] | all(.score == .max_score and .max_score > 0)' \
		"solutions: every hidden check's points"
	expect_json "$gs/solutions.json" "[.tests[].name | split(\": \")[0]] | unique == $(printf '%s\n' "${lessons[@]}" | jq -R . | jq -sc .)" \
		"solutions: every lesson graded"
	# (c) A repository in a top directory, the solutions in it, lesson 03's
	# hypercall.c broken, and a checks.c and a Makefile of the student's
	# (never used).
	rm -rf "$r/submission" && mkdir -p "$r/submission/repo-main" && cp -r lessons "$r/submission/repo-main/"
	for d in solutions/[0-9][0-9]-*/; do cp "$d"*.c "$r/submission/repo-main/lessons/$(basename "$d")/"; done
	echo 'int broken( {' >> "$r/submission/repo-main/lessons/03-hypercalls/hypercall.c"
	echo 'this is not C' > "$r/submission/repo-main/lessons/01-first-run/checks.c"
	printf 'grade:\n\techo 999\n' > "$r/submission/repo-main/Makefile"
	submit broken
	expect_json "$gs/broken.json" '[.tests[] | select(.name | startswith("03-hypercalls: "))] | length > 0 and all(.score == 0 and .status == "failed" and (.output | test("hypercall\\.c:[0-9]+:[0-9]+: error: ")))' \
		"broken: lesson 03 scores 0, each test with the compiler's message"
	expect_json "$gs/broken.json" '[.tests[] | select(.name | startswith("03-hypercalls: ") | not)] | length > 0 and all(.status == "passed")' \
		"broken: the other lessons graded as usual (the student's checks.c and Makefile unused)"
	jq -e --slurpfile s "$gs/solutions.json" '.score == $s[0].score - ([$s[0].tests[] | select(.name | startswith("03-hypercalls: ")) | .max_score] | add)' \
		"$gs/broken.json" > /dev/null
	expect_status $? 0 "broken: the total is the solutions' less lesson 03's points"
	expect_line "$gs/broken.json" '03-hypercalls +0/[0-9]+' "broken: the output's table has lesson 03 at 0"
	end_checks "Gradescope: the autograder's zip, setup.sh, and three submissions"
	for r in starters solutions broken; do
		jq -r --arg r "$r" '"  \($r): score \(.score), \(.tests | length) tests, \(.execution_time) s"' \
			"$gs/$r.json" 2>/dev/null
	done
}

# ---- the run ------------------------------------------------------------
# What the emulated machines need, fetched once before they start.
if [ -n "${EMU_ARCH:-}" ]; then
	bash common/emu/fetch.sh --machine arm64 "$build/emu-arm64" 6.12 6.12-16k 6.1 busybox > "$logs/fetch.txt" 2>&1 ||
		{ cat "$logs/fetch.txt"; echo "check: could not fetch what the emulated arm64 machine needs"; }
fi
if [ -n "${AMD_EMU:-}" ]; then
	bash common/emu/fetch.sh --machine x86_64 "$build/emu-x86_64" 6.1 busybox >> "$logs/fetch.txt" 2>&1 ||
		{ cat "$logs/fetch.txt"; echo "check: could not fetch what the emulated x86_64 machine needs"; }
fi

# The emulator's stage goes on beside the others; the rest run one after
# another (each already uses both processors where it can).
stage 8 "the arm64 lessons, in the emulated arm64 machine" stage_arm64 &
arm64_pid=$!
stage 11 "the emulated arm64 machine itself (selftest.sh, Linux 6.12)" stage_emulator &
emulator_pid=$!
stage 12 "the x86 lessons on AMD-V, in the emulated x86_64 machine (kvm_amd)" stage_amd &
amd_pid=$!
while IFS='|' read -r -u 3 n fn title; do
	stage "$n" "$title" "$fn"
	cat "$logs/stage-$n.out"
done 3<<'STAGES'
1|stage_core|core unit tests, and the core is a layer
2|stage_harness|the grading harness isolates each test
3|stage_skips|honest skips when /dev/kvm cannot be opened
4|stage_lessons|lessons: solutions score full marks, starters score zero
5|stage_mistakes|plausible mistakes are caught
6|stage_kvmrun|kvmrun runs any guest
7|stage_sanitize|the sanitizers (ASan + UBSan): solutions and hostile guests
9|stage_docs|documentation
10|stage_compdb|compile_commands.json for editors (make compdb)
13|stage_decoder|lesson 05's A64 decoder against Capstone (decoder-diff), and a64dec
14|stage_bench|lesson 06's report (make bench's): results.json and a chart that renders
15|stage_fuzz|fuzz targets: every corpus replayed (ASan, UBSan), and no model is blind
16|stage_soak|the soak: VMs made and destroyed, a long run, hostile guests at once
17|stage_release|the student repository (make release): builds, grades, holds no solution
18|stage_gradescope|the Gradescope autograder: its zip, setup.sh and three submissions
STAGES
wait "$arm64_pid" "$emulator_pid" "$amd_pid"
cat "$logs/stage-8.out" "$logs/stage-11.out" "$logs/stage-12.out"

echo "##### summary ($arch)"
for n in $(seq 1 18); do
	[ -f "$logs/stage-$n.tsv" ] || continue
	ms=$(cat "$logs/stage-$n.time")
	printf '  %2s. %s: %d.%d s\n' "$n" "$(cat "$logs/stage-$n.title")" $((ms / 1000)) $((ms % 1000 / 100))
	awk -F'\t' '{ printf "    %-56s %3d passed %3d failed %3d skipped\n", $1, $2, $3, $4 }' \
		"$logs/stage-$n.tsv"
done
total_ms=$(( (${EPOCHREALTIME/[.,]/} - t_start) / 1000 ))
cat "$logs"/stage-*.tsv > "$logs/summary.tsv"
echo "  (all stages: $((total_ms / 1000)).$((total_ms % 1000 / 100)) s wall)"
awk -F'\t' '{ p += $2; f += $3; s += $4 }
	    END { printf "%d passed, %d failed, %d skipped\n", p, f, s; exit (f > 0) }' \
	"$logs/summary.tsv"
