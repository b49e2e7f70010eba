#!/bin/bash
# SPDX-License-Identifier: MIT
#
# validate.sh WORKFLOW - is the release's grading workflow (grade.yml) one
# GitHub Actions can run, and the one the kit means? yamllint (with
# yamllint.yml), then its keys through yq (jq's language over YAML): a
# trigger on push, every job with runs-on and steps, every step with uses
# or run, and what grading needs: checkout@v4, make deps, the udev rule
# for /dev/kvm, make grade with KIT_FAIL_ON_SKIP=1, a job summary, and
# upload-artifact@v4 of build/results.json. One line per check ("ok" or
# "FAIL"); exit 1 if any failed.
set -uo pipefail
wf=${1:?usage: validate.sh WORKFLOW}
here=$(cd "$(dirname "$0")" && pwd)
failed=0

check() { # what command...
	local what=$1
	shift
	if "$@" > /dev/null 2>&1; then echo "ok   $what"; else echo "FAIL $what"; failed=1; fi
}
# jq filters on the workflow as JSON. (yq reads YAML 1.1, where a key "on"
# is the boolean true: the trigger is .on or .["true"].)
q() { yq -e "$1" "$wf"; }

for tool in yamllint yq; do
	command -v "$tool" > /dev/null || { echo "FAIL $tool is missing: run make deps"; exit 1; }
done
if yamllint --strict -c "$here/yamllint.yml" "$wf" > /tmp/yamllint.$$ 2>&1; then
	echo "ok   yamllint --strict: no error, no warning"
else
	echo "FAIL yamllint --strict:"; sed 's/^/    /' /tmp/yamllint.$$; failed=1
fi
rm -f /tmp/yamllint.$$
check "it has a name" q '.name | type == "string"'
check "on: push (the trigger)" q '(.on // .["true"]) | (type == "object" and has("push")) or . == "push" or (type == "array" and index("push"))'
check "jobs: at least one" q '.jobs | type == "object" and length > 0'
check "every job has runs-on and steps" q '.jobs | all(.[]; has("runs-on") and (.steps | type == "array" and length > 0))'
check "every step has uses or run (not both)" q '[.jobs[].steps[]] | all(.[]; (has("uses") or has("run")) and (has("uses") and has("run") | not))'
check "it checks out the repository (actions/checkout@v4)" q '[.jobs[].steps[].uses // empty] | index("actions/checkout@v4")'
check "it installs the kit's packages (make deps)" q '[.jobs[].steps[].run // empty] | any(test("make deps"))'
check "it opens /dev/kvm to all (the udev rule, reloaded, triggered)" q '[.jobs[].steps[].run // empty] | any(test("99-kvm4all.rules") and test("udevadm control --reload-rules") and test("udevadm trigger --name-match=kvm"))'
check "make grade runs with KIT_FAIL_ON_SKIP=1" q '[.jobs[].steps[] | select((.run // "") | test("^make grade"))] | length == 1 and (.[0].env.KIT_FAIL_ON_SKIP | tostring) == "1"'
check "a job summary from results.json, even when grading fails" q '[.jobs[].steps[] | select((.run // "") | test("GITHUB_STEP_SUMMARY") and test("build/results.json"))] | length == 1 and .[0].if == "always()"'
check "results.json uploaded (actions/upload-artifact@v4), even when grading fails" q '[.jobs[].steps[] | select(.uses == "actions/upload-artifact@v4")] | length == 1 and .[0].with.path == "build/results.json" and .[0].if == "always()"'
exit $failed
