#!/bin/bash
# `make soak`: run every soak script a component registered
# (SOAK_SCRIPTS in its build.mk) against one build.  A soak script is an
# integration test that takes long (it sources test/lib/harness.sh and
# prints PASS/FAIL lines); figures it prints as `soak ...` lines are
# collected in BUILD/soak.txt.  Last line: `N passed, N failed`.
set -u
build=${1:?usage: soak.sh BUILD SCRIPT...}
shift
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root" || exit 2
export DP_BUILD=$build DP_SOAK_BUILD=$build
logs=$build/soak-logs
mkdir -p "$logs"
: > "$build/soak.txt"
passed=0 failed=0
for script in "$@"; do
	name=$(basename "$script" .sh)
	log=$logs/$name.log
	echo "# $script"
	start=$SECONDS
	timeout -k 10 "${DP_SOAK_TIMEOUT:-3600}" bash "$script" >"$log" 2>&1
	rc=$?
	grep -E '^(PASS|FAIL) ' "$log"
	grep '^soak ' "$log" | tee -a "$build/soak.txt"
	np=$(grep -c '^PASS ' "$log")
	nf=$(grep -c '^FAIL ' "$log")
	if [ $rc -ne 0 ] && [ "$nf" -eq 0 ]; then
		echo "FAIL $name: exit status $rc without a FAIL line (see $log)"
		nf=1
	fi
	[ "$nf" -gt 0 ] && grep -v -E '^(PASS|FAIL|soak) ' "$log" | tail -n 40 | sed 's/^/#   /'
	echo "# $name: $np passed, $nf failed in $((SECONDS - start)) s"
	passed=$((passed + np))
	failed=$((failed + nf))
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
