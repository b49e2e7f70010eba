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
#      graded check failing on the untouched starter code in lessons/;
#   5. plausible mistakes (solutions/*/mistakes.txt) caught by their checks;
#   6. kvmrun, the guest runner, on guests that work and guests that do not;
#   7. the solutions' checks and kvmrun built with ASan and UBSan;
#   8. on an x86_64 host, the arm64 lessons in the emulated arm64 machine
#      (solutions, starters, mistakes; 4 KiB and 16 KiB pages, Linux 6.1);
#   9. the documentation site, and every TODO's section in its lesson text;
#  10. compile_commands.json (make compdb): every entry compiles.
# Each step adds a line to a summary; the last line is the total.
set -uo pipefail
out=$1 build=$2 arch=$3
shift 3
lessons=("$@")

summary=$build/check/summary.tsv
logs=$build/check
mkdir -p "$logs"
: > "$summary"

# A step that is not a grading program records its own result here. As in
# the grader, KIT_FAIL_ON_SKIP=1 turns what was skipped into failures.
record() { # name passed failed skipped
	local failed=$3 skipped=$4
	if [ "${KIT_FAIL_ON_SKIP:-0}" = 1 ]; then
		failed=$((failed + skipped)) skipped=0
	fi
	printf '%s\t%s\t%s\t%s\t0\t0\n' "$1" "$2" "$failed" "$skipped" >> "$summary"
}

# Self-test assertions: count them, say what failed.
st_pass=0 st_fail=0 st_skip=0
expect_line() { # file regex what
	if grep -Eq -- "$2" "$1"; then
		st_pass=$((st_pass + 1))
	else
		st_fail=$((st_fail + 1))
		echo "  SELF-TEST FAILED: $3 (no line matching /$2/ in $1)"
	fi
}
expect_json() { # file jq-filter what (the filter must yield true)
	if jq -e "$2" "$1" >/dev/null 2>&1; then
		st_pass=$((st_pass + 1))
	else
		st_fail=$((st_fail + 1))
		echo "  SELF-TEST FAILED: $3 (jq '$2' on $1 is not true)"
	fi
}
# A case that cannot run here is reported with its reason and counted as
# skipped (a failure when KIT_FAIL_ON_SKIP=1), never lost in silence.
skip_case() { # assertions reason
	st_skip=$((st_skip + $1))
	echo "  SKIP ($1 assertions): $2"
}
expect_status() { # actual expected what
	if [ "$1" = "$2" ]; then
		st_pass=$((st_pass + 1))
	else
		st_fail=$((st_fail + 1))
		echo "  SELF-TEST FAILED: $3 (exit status $1, expected $2)"
	fi
}

echo "##### 1. core unit tests, and the core is a layer"
"$out/tests/core-tests" --label "core unit tests" --summary "$summary"
CC=${CC:-gcc} bash common/scripts/layers.sh "$out" > "$logs/layers.txt" 2>&1
cat "$logs/layers.txt"
layers=$(tail -n 1 "$logs/layers.txt")
[[ $layers =~ ^([0-9]+)\ passed,\ ([0-9]+)\ failed$ ]] || layers="0 passed, 1 failed"
[[ $layers =~ ^([0-9]+)\ passed,\ ([0-9]+)\ failed$ ]]
record "the core is a layer (includes, calls, sources)" "${BASH_REMATCH[1]}" "${BASH_REMATCH[2]}" 0
echo

echo "##### 2. the grading harness isolates each test"
log=$logs/harness-demo.txt
(unset KIT_FAIL_ON_SKIP; "$out/tests/harness-demo" --json "$logs/harness-demo.json") > "$log" 2>&1
expect_status $? 1 "the demo suite has failures, so its exit status is 1"
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
expect_json "$logs/harness-demo.json" '.score == 2' "results.json has the score"
expect_json "$logs/harness-demo.json" '(.tests | length) == 7 and all(.tests[]; has("name") and has("score") and has("max_score") and has("status") and has("output"))' \
	"results.json is valid JSON in Gradescope's schema"
expect_json "$logs/harness-demo.json" '.tests | any(.name == "segfaults: a test that dereferences NULL" and .score == 0 and .max_score == 1 and .status == "failed")' \
	"results.json has each test"
log2=$logs/harness-demo-strict.txt
KIT_FAIL_ON_SKIP=1 "$out/tests/harness-demo" > "$log2" 2>&1
expect_status $? 1 "strict run exit status"
expect_line "$log2" '^2 passed, 5 failed, 0 skipped$' "KIT_FAIL_ON_SKIP=1 turns the skip into a failure"
sed -n '/^  \(PASS\|FAIL\|CRASH\|TIMEOUT\|SKIP\)/p' "$log"
echo "  harness self-test: $st_pass assertions held, $st_fail failed"
record "harness self-test" "$st_pass" "$st_fail" 0
echo

echo "##### 3. honest skips when /dev/kvm cannot be opened"
st_pass=0 st_fail=0 st_skip=0
first=${lessons[0]}
grade=$out/solution/$first/grade
ntests=$("$grade" --list | wc -l)
log=$logs/skip-nodevice.txt
(unset KIT_FAIL_ON_SKIP; KIT_KVM_DEVICE=/nonexistent/kvm "$grade") > "$log" 2>&1
expect_status $? 0 "skips alone do not fail a run"
expect_line "$log" "^0 passed, 0 failed, $ntests skipped\$" "every KVM check skips without a device"
expect_line "$log" 'needs /dev/kvm: cannot open /nonexistent/kvm: ENOENT. KVM is not available' \
	"the skip says why and what to check"
log=$logs/skip-nodevice-strict.txt
KIT_FAIL_ON_SKIP=1 KIT_KVM_DEVICE=/nonexistent/kvm "$grade" > "$log" 2>&1
expect_status $? 1 "with KIT_FAIL_ON_SKIP=1 the run fails"
expect_line "$log" "^0 passed, $ntests failed, 0 skipped\$" "with KIT_FAIL_ON_SKIP=1 every skip is a failure"
# A user outside the kvm group: the real permission error, when we can
# become such a user (root with setpriv, and a device nobody can open).
noperm_why=
if [ "$(id -u)" != 0 ]; then
	noperm_why="not running as root, so it cannot become a user outside the kvm group (run make check as root to include it)"
elif ! command -v setpriv >/dev/null; then
	noperm_why="setpriv is missing (package util-linux: make deps)"
elif [ ! -e /dev/kvm ]; then
	noperm_why="there is no /dev/kvm whose permission could be refused"
elif setpriv --reuid=65534 --regid=65534 --clear-groups test -r /dev/kvm -a -w /dev/kvm; then
	noperm_why="/dev/kvm is open to every user here ($(stat -c %A /dev/kvm)), so no user is refused"
fi
if [ -z "$noperm_why" ]; then
	log=$logs/skip-noperm.txt
	(unset KIT_FAIL_ON_SKIP; setpriv --reuid=65534 --regid=65534 --clear-groups \
		"$grade") > "$log" 2>&1
	expect_status $? 0 "as a user outside the kvm group, skips do not fail"
	expect_line "$log" "^0 passed, 0 failed, $ntests skipped\$" "as nobody, every KVM check skips"
	expect_line "$log" 'EACCES \(permission denied\). Add your user to the group' \
		"the permission skip gives the kvm-group fix"
	KIT_FAIL_ON_SKIP=1 setpriv --reuid=65534 --regid=65534 --clear-groups \
		"$grade" > "$logs/skip-noperm-strict.txt" 2>&1
	expect_status $? 1 "as nobody with KIT_FAIL_ON_SKIP=1 the run fails"
	echo "  (also checked as user nobody, outside the kvm group)"
else
	skip_case 4 "the user-outside-the-kvm-group case: $noperm_why"
fi
# The device hidden in a mount namespace (an empty /dev), as in some
# containers. unshare -m makes every mount private first, which needs "/"
# to be a mount point (in a plain chroot it is not).
hidden_why=
if [ "$(id -u)" != 0 ]; then
	hidden_why="not running as root, so it cannot make a mount namespace"
elif ! command -v unshare >/dev/null; then
	hidden_why="unshare is missing (package util-linux: make deps)"
elif ! hidden_err=$(unshare -m true 2>&1); then
	hidden_why="unshare -m fails here: ${hidden_err:-no message} (in a chroot, bind-mount its root onto itself first)"
fi
if [ -z "$hidden_why" ]; then
	log=$logs/skip-hidden.txt
	(unset KIT_FAIL_ON_SKIP; unshare -m sh -c 'mount -t tmpfs none /dev && exec "$0"' \
		"$grade") > "$log" 2>&1
	expect_status $? 0 "with /dev/kvm hidden, skips do not fail"
	expect_line "$log" "^0 passed, 0 failed, $ntests skipped\$" "with /dev/kvm hidden, every KVM check skips"
	expect_line "$log" 'cannot open /dev/kvm: ENOENT. KVM is not available' \
		"the hidden-device skip says why"
	echo "  (also checked with /dev/kvm hidden in a mount namespace)"
else
	skip_case 3 "the /dev/kvm-hidden-in-a-mount-namespace case: $hidden_why"
fi
sed -n '1,3p' "$log"
echo "  skip self-test: $st_pass assertions held, $st_fail failed, $st_skip skipped"
record "honest skips" "$st_pass" "$st_fail" "$st_skip"
echo

echo "##### 4. lessons: solutions score full marks, starters score zero"
for lesson in "${lessons[@]}"; do
	log=$logs/$lesson-solution.txt
	"$out/solution/$lesson/grade" --label "reference solution" --summary "$summary" \
		--json "$logs/$lesson-solution.json" | tee "$log"
	echo
	"$out/student/$lesson/grade" --label "untouched starter" --expect-zero \
		--summary "$summary" | tee "$logs/$lesson-starter.txt"
	echo
done

echo "##### 5. plausible mistakes are caught"
bash common/scripts/mistakes.sh "$out" "$arch" "$summary" "${lessons[@]}"
echo

echo "##### 6. kvmrun runs any guest"
st_pass=0 st_fail=0
kvmrun=$out/kvmrun
guests=$out/guest
log=$logs/kvmrun-hello.txt
"$kvmrun" "$guests/01-first-run/hello.img" > "$log" 2>&1
expect_status $? 0 "a flat real-mode binary that halts: status 0"
expect_line "$log" '^Hello, KVM! This line came from a real-mode guest' "its serial output"
expect_line "$log" 'the guest halted after 71 exits' "the summary"
log=$logs/kvmrun-hypercalls.txt
"$kvmrun" --trace "$guests/03-hypercalls/hypercalls.img" > "$log" 2>&1
expect_status $? 42 "an ELF guest's KIT_HC_EXIT code is the status"
expect_line "$log" 'hypercall MIX5\(0x1, 0x100000005, 0xffffffffffffffff, 0x8000000000000000, 0x123456789abcdef0\)' 	"--trace shows each hypercall's arguments"
expect_line "$log" '^\[exit 1\] KVM_EXIT_IO \(2\): out to port 0xe0' "--trace shows each exit"
expect_line "$log" '^mix5: ok ' "the guest's own check passes"
log=$logs/kvmrun-nosync.txt
"$kvmrun" --no-sync-regs "$guests/03-hypercalls/hypercalls.img" > "$log" 2>&1
expect_status $? 42 "--no-sync-regs works too"
log=$logs/kvmrun-wild.txt
"$kvmrun" "$guests/02-c-guests/wild_pointer.img" > "$log" 2>&1
expect_status $? 70 "a crashing guest: status 70"
expect_line "$log" 'unexpected exit KVM_EXIT_MMIO \(6\): write to guest physical 0x20000000, 8 bytes' 	"the diagnosis names the exit and the address"
expect_line "$log" '^  instruction at pc ' "the diagnosis shows the instruction at the PC"
log=$logs/kvmrun-spin.txt
"$kvmrun" --timeout 200 "$guests/01-first-run/spin.img" > "$log" 2>&1
expect_status $? 71 "a guest that never exits: the watchdog, status 71"
log=$logs/kvmrun-bad.txt
printf 'ELF' > "$logs/truncated.elf"
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
echo "  kvmrun: $st_pass assertions held, $st_fail failed"
record "kvmrun runs any guest" "$st_pass" "$st_fail" 0
echo

echo "##### 7. the sanitizers (ASan + UBSan): solutions and hostile guests"
KIT_CHECK_SUMMARY=$summary bash common/scripts/sanitize.sh "${out}-sanitize" "$build" \
	"${lessons[@]}" > "$logs/sanitize.txt" 2>&1
grep -E '^(score|kvmrun with)|FAIL|CRASH|TIMEOUT' "$logs/sanitize.txt" | sed 's/^/  /'
echo

echo "##### 8. the arm64 lessons, in the emulated arm64 machine"
if [ -n "${EMU_ARCH:-}" ]; then
	a64=$build/arm64
	emu_logs=$logs/arm64
	mkdir -p "$emu_logs"
	started=$(date +%s)
	runs=0
	# Each run in the machine writes its own summary file, which comes
	# back into $emu_logs (the machine's /out is new at every boot).
	# (Callers count the run first: emu often runs in a pipeline, that is
	# in a subshell, where a count would be lost.)
	emu() { # kernel program args...
		local kernel=$1
		shift
		common/emu-arm64/run.sh --cache "$build/emu-arm64" --kernel "$kernel" --fetch \
			--quiet --out "$emu_logs" -- "$@" --summary "summary-$runs.tsv"
	}
	rm -f "$emu_logs"/summary-*.tsv
	runs=$((runs + 1))
	emu 6.12 "$a64/tests/core-tests" --label "core unit tests (arm64, Linux 6.12)" |
		tail -n 2
	for lesson in $EMU_LESSONS; do
		runs=$((runs + 1))
		emu 6.12 "$a64/solution/$lesson/grade" \
			--label "reference solution (arm64, Linux 6.12)" | tee "$emu_logs/$lesson.txt"
		runs=$((runs + 1))
		emu 6.12 "$a64/student/$lesson/grade" --expect-zero \
			--label "untouched starter (arm64, Linux 6.12)" > "$emu_logs/$lesson-starter.txt"
		tail -n 2 "$emu_logs/$lesson-starter.txt"
	done
	# Other kernels: 16 KiB pages (a Raspberry Pi 5's), and Linux 6.1
	# (no SMCCC filter: lesson 03's guests fall back to the doorbell).
	for kernel in 6.12-16k 6.1; do
		for lesson in $EMU_LESSONS; do
			echo "== $lesson: reference solution (arm64, Linux $kernel) =="
			runs=$((runs + 1))
			emu "$kernel" "$a64/solution/$lesson/grade" \
				--label "reference solution (arm64, Linux $kernel)" |
				grep -E '^(score|[0-9]+ passed)|FAIL|CRASH|TIMEOUT|SKIP'
		done
	done
	for ((i = 1; i <= runs; i++)); do
		if [ -f "$emu_logs/summary-$i.tsv" ]; then
			sed 's/^/arm64: /' "$emu_logs/summary-$i.tsv" >> "$summary"
		else
			record "arm64: run $i in the emulated machine reported nothing" 0 1 0
		fi
	done
	# kvmrun, built for arm64, on arm64 images: hypercalls, a flat binary.
	st_pass=0 st_fail=0
	log=$emu_logs/kvmrun.txt
	common/emu-arm64/run.sh --cache "$build/emu-arm64" --kernel 6.12 --quiet \
		--file "$a64/guest/03-hypercalls/hypercalls.img:/bin/hypercalls.img" \
		--out "$emu_logs" -- "$a64/kvmrun" --trace /bin/hypercalls.img > "$log" 2>&1
	expect_status $? 42 "kvmrun on arm64: the guest's exit code"
	expect_line "$log" 'hypercall MIX5\(0x1, 0x100000005, 0xffffffffffffffff, 0x8000000000000000, 0x123456789abcdef0\) = 0x1f16b0dd88cab6dc   \(KVM_EXIT_HYPERCALL\)' \
		"kvmrun on arm64: MIX5 through hvc, its arguments whole"
	expect_line "$log" '^transport: hvc \(SMCCC filter\)' "the guest used hvc"
	log=$emu_logs/kvmrun-doorbell.txt
	common/emu-arm64/run.sh --cache "$build/emu-arm64" --kernel 6.1 --quiet \
		--file "$a64/guest/03-hypercalls/hypercalls.img:/bin/hypercalls.img" \
		--out "$emu_logs" -- "$a64/kvmrun" --trace /bin/hypercalls.img > "$log" 2>&1
	expect_status $? 42 "kvmrun on arm64, Linux 6.1: the guest's exit code"
	expect_line "$log" '^transport: MMIO doorbell' "on Linux 6.1 the guest falls back to the doorbell"
	expect_line "$log" 'hypercall MIX5\(.*\) = 0x1f16b0dd88cab6dc   \(KVM_EXIT_MMIO\)' \
		"kvmrun on arm64, Linux 6.1: MIX5 through the doorbell"
	log=$emu_logs/kvmrun-flat.txt
	common/emu-arm64/run.sh --cache "$build/emu-arm64" --kernel 6.12 --quiet \
		--file "$a64/guest/01-first-run/hello.img:/bin/hello.img" \
		--out "$emu_logs" -- "$a64/kvmrun" /bin/hello.img > "$log" 2>&1
	expect_status $? 0 "kvmrun on arm64: a flat binary that powers off"
	expect_line "$log" '^Hello, KVM! This line came from an AArch64 guest' "its output"
	echo "  kvmrun (arm64): $st_pass assertions held, $st_fail failed"
	record "arm64: kvmrun runs arm64 guests (hvc and doorbell)" "$st_pass" "$st_fail" 0

	# The mistakes, each in the machine (one boot each).
	make -s --no-print-directory ARCH=arm64 mistakes-run SUMMARY="$summary" \
		> "$emu_logs/mistakes.txt" 2>&1
	grep -E '^  (FAIL|SKIP)|passed' "$emu_logs/mistakes.txt"
	echo "  (the arm64 part took $(( $(date +%s) - started )) s)"
else
	echo "  (not on an x86_64 host: the arm64 lessons run natively there)"
fi
echo

echo "##### 9. documentation"
if bash docs/build.sh "$build/docs" "${lessons[@]}" > "$logs/docs.txt" 2>&1; then
	record "docs: site builds, links and TODO sections resolve" 1 0 0
	tail -n 3 "$logs/docs.txt"
else
	record "docs: site builds, links and TODO sections resolve" 0 1 0
	cat "$logs/docs.txt"
fi
echo

echo "##### 10. compile_commands.json for editors (make compdb)"
st_pass=0 st_fail=0 st_skip=0
log=$logs/compdb.txt
make -s --no-print-directory compdb > "$log" 2>&1
expect_status $? 0 "make compdb succeeds"
db=compile_commands.json
expect_json "$db" 'length > 0 and all(.[]; has("directory") and has("file") and has("command"))' \
	"every entry has a directory, a file and a command"
expect_json "$db" '([.[].file] | length) == ([.[].file] | unique | length)' "each file appears once"
expect_json "$db" 'all(.[]; .file | test("^solutions/[0-9]") | not)' \
	"no reference solution is in it: go to definition finds the student's own file"
expect_json "$db" '[.[] | select(.file | endswith("/hc_read_call.c") or test("03-hypercalls/regs_'"$arch"'.c$"))] | length == 1' \
	"hc_read_call's file (lesson 03) is there once, the student's"
# Every command compiles its file (syntax only), as an editor would run it.
bad=$(jq -r '.[] | "\(.command) -fsyntax-only"' "$db" | while read -r cmd; do
	eval "$cmd" > /dev/null 2>&1 || echo "$cmd"
done)
if [ -z "$bad" ]; then
	st_pass=$((st_pass + 1))
else
	st_fail=$((st_fail + 1))
	echo "  SELF-TEST FAILED: these entries do not compile:"
	printf '%s\n' "$bad" | sed 's/^/    /'
fi
echo "  compdb: $(jq length "$db") files; $st_pass assertions held, $st_fail failed"
record "compile_commands.json: complete, the student's files, every entry compiles" \
	"$st_pass" "$st_fail" 0
echo

echo "##### summary ($arch)"
awk -F'\t' '{ printf "  %-58s %3d passed %3d failed %3d skipped\n", $1, $2, $3, $4;
	      p += $2; f += $3; s += $4 }
	    END { printf "%d passed, %d failed, %d skipped\n", p, f, s;
		  exit (f > 0) }' "$summary"
