#!/bin/bash
# `make bench`: run every benchmark script a component registered
# (BENCH_SCRIPTS in its build.mk) against one build.  Each prints lines
#   bench <group> <subject> <metric> <value> <unit>
# (anything else it prints is commentary, kept on stderr).  All figures
# also land in BUILD/bench.txt.
#
# One group failing loses nothing else: every script runs, a failed one
# gets a line `# FAILED: SCRIPT (exit N)` and keeps the figures it made,
# and the last lines list the groups that failed.  Exit status: 0 when
# every script succeeded, 1 when any failed (after all have run).
set -u
build=${1:?usage: bench.sh BUILD SCRIPT...}
shift
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root" || exit 2
export DP_BUILD=$build
out=$build/bench.txt
: > "$out.tmp"
failed=()
for script in "$@"; do
	echo "# $script" >&2
	bash "$script" > "$out.part" 2> >(sed 's/^/#   /' >&2)
	rc=$?
	grep '^bench ' "$out.part" | tee -a "$out.tmp"
	grep -v '^bench ' "$out.part" | sed 's/^/# /' >&2
	if [ $rc -ne 0 ]; then
		echo "# FAILED: $script (exit $rc; $(grep -c '^bench ' "$out.part") figures kept)" >&2
		failed+=("$script")
	fi
done
rm -f "$out.part"
mv "$out.tmp" "$out"
echo "# figures written to $out" >&2
if [ ${#failed[@]} -gt 0 ]; then
	echo "# ${#failed[@]} of $# groups failed: ${failed[*]}" >&2
	exit 1
fi
echo "# all $# groups ran" >&2
exit 0
