#!/bin/bash
# `make fuzz`: run each libFuzzer harness for a set time.
#
#   tools/scripts/fuzz.sh BUILD SECONDS NAME...
#
# Each harness BUILD/fuzz/fuzz_NAME starts from the kept corpus
# test/fuzz/corpus/NAME (read only) plus what earlier runs found in
# BUILD/fuzz/corpus/NAME; new inputs are written there, crashes, leaks
# and timeouts to BUILD/fuzz/artifacts/NAME/.  With FUZZ_MERGE=1 the new
# inputs that add coverage are merged into the kept corpus afterwards.
#
# A harness may have libFuzzer options of its own, one file of words:
# test/fuzz/fuzz_NAME.options (e.g. -max_len=4096); they come last, so
# they win over the defaults here.
#
# FUZZ_JOBS harnesses (default: the number of processors) run at once,
# each on one core; the results are printed in the order given.
#
# Prints one line per harness,
#   fuzz NAME runs N execs_per_s N coverage N features N corpus N crashes N
# then `N passed, N failed`; exit status 1 when any harness found a crash.
set -u
build=${1:?usage: fuzz.sh BUILD SECONDS NAME...}
seconds=${2:?usage: fuzz.sh BUILD SECONDS NAME...}
shift 2
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root" || exit 2

# One harness; its report goes to $build/fuzz/result_NAME, its last
# line PASS or FAIL.
run_one() {
	local name=$1 bin kept work art log opts rc runs speed last cov ft corp
	local ncrash
	bin=$build/fuzz/fuzz_$name
	kept=test/fuzz/corpus/$name
	work=$build/fuzz/corpus/$name
	art=$build/fuzz/artifacts/$name
	log=$build/fuzz/fuzz_$name.log
	mkdir -p "$work" "$art"
	if [ ! -x "$bin" ] || [ ! -d "$kept" ]; then
		echo "FAIL fuzz.$name: no harness $bin or no corpus $kept"
		return
	fi
	opts=
	[ -f "test/fuzz/fuzz_$name.options" ] &&
		opts=$(cat "test/fuzz/fuzz_$name.options")
	rm -f "$art"/crash-* "$art"/leak-* "$art"/timeout-* "$art"/oom-*
	# -close_fd_mask=2: the parsers print an error per bad input;
	# libFuzzer keeps its own copy of stderr for its reports.
	"$bin" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=1024 \
		-max_len=16384 -print_final_stats=1 -close_fd_mask=2 \
		-artifact_prefix="$art/" $opts "$work" "$kept" >"$log" 2>&1
	rc=$?
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
	speed=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log")
	last=$(grep -E '^#[0-9]+' "$log" | tail -n 1)
	cov=$(echo "$last" | sed -n 's/.*cov: \([0-9]*\).*/\1/p')
	ft=$(echo "$last" | sed -n 's/.*ft: \([0-9]*\).*/\1/p')
	corp=$(echo "$last" | sed -n 's/.*corp: \([0-9]*\).*/\1/p')
	ncrash=$(find "$art" -type f | wc -l)
	echo "fuzz $name runs ${runs:-0} execs_per_s ${speed:-0}" \
	     "coverage ${cov:-0} features ${ft:-0} corpus ${corp:-0}" \
	     "crashes $ncrash seconds $seconds"
	if [ "${FUZZ_MERGE:-0}" = 1 ]; then
		"$bin" -merge=1 -close_fd_mask=2 $opts "$kept" "$work" \
			>"$build/fuzz/merge_$name.log" 2>&1 ||
			echo "# merge into $kept failed (see $build/fuzz/merge_$name.log)"
	fi
	if [ $rc -ne 0 ] || [ "$ncrash" -gt 0 ]; then
		grep -E 'ERROR|SUMMARY|==[0-9]+==' "$log" | head -n 20 |
			sed 's/^/#   /'
		echo "FAIL fuzz.$name: exit $rc, findings in $art (log $log)"
	else
		echo "PASS fuzz.$name"
	fi
}

jobs=${FUZZ_JOBS:-$(nproc 2>/dev/null || echo 1)}
mkdir -p "$build/fuzz"
for name in "$@"; do
	rm -f "$build/fuzz/result_$name"
	while [ "$(jobs -rp | wc -l)" -ge "$jobs" ]; do
		wait -n
	done
	run_one "$name" >"$build/fuzz/result_$name" 2>&1 &
done
wait

passed=0 failed=0
for name in "$@"; do
	cat "$build/fuzz/result_$name"
	if tail -n 1 "$build/fuzz/result_$name" | grep -q '^PASS'; then
		passed=$((passed + 1))
	else
		failed=$((failed + 1))
	fi
done

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
