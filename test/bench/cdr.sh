#!/bin/bash
# The call-record store against SQLCipher and SQLite, in one run on one
# file system (the build directory's, on disk: /proc/self/io write_bytes
# counts nothing on tmpfs).  Every subject commits and syncs each record.
#   records_per_s             appends (inserts) per second, median of 3
#   bytes_written_per_record  write_bytes of the process over the run / N
#   open_full_ms              open a store of as many records as ours
#                             holds when full (1 MiB), page cache dropped
#   peak_rss_kb               the process's high-water resident memory
set -u
root=$(cd "$(dirname "$0")/../.." && pwd)
build=$(cd "$root" && cd "${DP_BUILD:-build}" && pwd)
n=${DP_BENCH_CDR_N:-500}
dir=$(mktemp -d "$build/bench-cdr.XXXXXX")
trap 'rm -rf "$dir"' EXIT

echo "file system: $(stat -f -c %T "$dir") ($(df --output=source "$dir" | tail -1)), $n records per subject" >&2

# run SUBJECT ROUND CMD...: CMD prints `metric value unit` lines
run() {
	local subject=$1 round=$2
	shift 2
	if ! "$@" > "$dir/$subject.$round"; then
		echo "$subject: $* failed" >&2
		return 1
	fi
}

# The machine is shared and noisy: every subject runs in each of three
# interleaved rounds; records_per_s is the median of the three, the other
# figures come from the first round.
status=0
full=5000
for round in 1 2 3; do
	run ours $round "$build/test/cdr-tool" bench "$dir" "$n" || status=1
	[ $round = 1 ] && full=$(awk '$1 == "full_store_records" { print $2 }' "$dir/ours.1")
	run sqlcipher-wal $round "$build/test/cdr-bench-sqlcipher" "$dir" "$n" wal "${full:-5000}" || status=1
	run sqlcipher-journal $round "$build/test/cdr-bench-sqlcipher" "$dir" "$n" journal "${full:-5000}" || status=1
	run sqlite-wal $round "$build/test/cdr-bench-sqlite" "$dir" "$n" wal "${full:-5000}" || status=1
done

for subject in ours sqlcipher-wal sqlcipher-journal sqlite-wal; do
	[ -s "$dir/$subject.1" ] || continue
	median=$(cat "$dir/$subject".[123] 2>/dev/null |
		awk '$1 == "records_per_s" { print $2 }' | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }')
	echo "bench cdr $subject records_per_s $median rec/s"
	grep -v '^records_per_s ' "$dir/$subject.1" | sed "s/^/bench cdr $subject /"
done
exit $status
