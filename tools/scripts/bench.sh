#!/bin/bash
# `make bench`: run every benchmark script a component registered
# (BENCH_SCRIPTS in its build.mk) against one build.  Each prints lines
#   bench <group> <subject> <metric> <value> <unit>
# (anything else it prints is commentary, kept on stderr).  All figures
# also land in BUILD/bench.txt.
set -u
build=${1:?usage: bench.sh BUILD SCRIPT...}
shift
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root" || exit 2
export DP_BUILD=$build
out=$build/bench.txt
: > "$out.tmp"
status=0
for script in "$@"; do
	echo "# $script" >&2
	if ! bash "$script" > "$out.part" 2> >(sed 's/^/#   /' >&2); then
		echo "# $script failed" >&2
		status=1
	fi
	grep '^bench ' "$out.part" | tee -a "$out.tmp"
	grep -v '^bench ' "$out.part" | sed 's/^/# /' >&2
done
rm -f "$out.part"
mv "$out.tmp" "$out"
echo "# figures written to $out" >&2
exit $status
