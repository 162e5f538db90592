#!/bin/bash
# What forgetting costs (docs/privacy.md), in one run on the build
# directory's file system:
#   shred              one day's records dropped and one day's numbers
#                      erased in a full 1 MiB store, overwriting in place
#                      (ms, bytes written, syncs) ...
#   drop-and-destroy   ... against the store's drop and key destruction
#                      alone, which overwrite nothing (the ratio is what
#                      "no byte left" costs)
#   logs               a 14-day log purged to 7 days: ours against awk
#                      keeping the lines stamped on or after the cutoff
#                      (median of 3 each)
#   export             everything of a full store and a 10 000-line log
set -u
root=$(cd "$(dirname "$0")/../.." && pwd)
build=$(cd "$root" && cd "${DP_BUILD:-build}" && pwd)
tool=$build/test/privacy-bench
lines=${DP_BENCH_LOG_LINES:-20000}
dir=$(mktemp -d "$build/bench-privacy.XXXXXX")
trap 'rm -rf "$dir"' EXIT
status=0

median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
now_ms() { echo $(( $(date +%s%N) / 1000000 )); }

if "$tool" shred "$dir" > "$dir/shred.out"; then
	sed 's/^/bench privacy-shred /' "$dir/shred.out"
else
	status=1
fi

cutoff=$(date -u -d @$((1798761600 - 7 * 86400)) +%Y-%m-%dT%H:%M:%SZ)
for round in 1 2 3; do
	rm -rf "$dir/log" "$dir/peer.log"
	"$tool" logs "$dir" "$lines" > "$dir/logs.$round" || status=1
	t0=$(now_ms)
	awk -v c="$cutoff" '$1 >= c' "$dir/peer.log" > "$dir/peer.out"
	echo $(( $(now_ms) - t0 )) > "$dir/awk.$round"
done
echo "bench privacy-logs ours ms $(cat "$dir"/logs.[123] | awk '$2 == "ms" { print $3 }' | median) ms"
grep -v ' ms ' "$dir/logs.1" | sed 's/^/bench privacy-logs /'
echo "bench privacy-logs awk ms $(cat "$dir"/awk.[123] | median) ms"
echo "bench privacy-logs awk lines_removed $(( lines - $(wc -l < "$dir/peer.out") )) n"

rm -rf "$dir/log"
if "$tool" export "$dir" > "$dir/export.out"; then
	sed 's/^/bench privacy-export /' "$dir/export.out"
else
	status=1
fi
exit $status
