#!/bin/bash
# The call-record store against SQLCipher and SQLite, in one run on one
# file system (the build directory's, on disk: /proc/self/io write_bytes
# counts nothing on tmpfs).  Every subject commits and syncs each record.
#   records_per_s             appends (inserts) per second
#   bytes_written_per_record  write_bytes of the process over the run / N
#   open_full_ms              open a store of as many records as ours
#                             holds when full (1 MiB), page cache dropped
#   peak_rss_kb               the process's high-water resident memory
set -u
root=$(cd "$(dirname "$0")/../.." && pwd)
build=$(cd "$root" && cd "${DP_BUILD:-build}" && pwd)
n=${DP_BENCH_CDR_N:-1000}
dir=$(mktemp -d "$build/bench-cdr.XXXXXX")
trap 'rm -rf "$dir"' EXIT

echo "file system: $(stat -f -c %T "$dir") ($(df --output=source "$dir" | tail -1)), $n records per subject" >&2

# run SUBJECT CMD...: CMD prints `metric value unit` lines
run() {
	local subject=$1 out
	shift
	if ! out=$("$@"); then
		echo "$subject: $* failed" >&2
		return 1
	fi
	printf '%s\n' "$out" | sed "s/^/bench cdr $subject /"
}

status=0
ours=$(run ours "$build/test/cdr-tool" bench "$dir" "$n") || status=1
printf '%s\n' "$ours"
full=$(printf '%s\n' "$ours" | awk '$4 == "full_store_records" { print $5 }')
full=${full:-5000}
run ours-mbedtls "$build/test/cdr-tool-mbedtls" bench "$dir" "$n" || status=1
run sqlcipher-wal "$build/test/cdr-bench-sqlcipher" "$dir" "$n" wal "$full" || status=1
run sqlcipher-journal "$build/test/cdr-bench-sqlcipher" "$dir" "$n" journal "$full" || status=1
run sqlite-wal "$build/test/cdr-bench-sqlite" "$dir" "$n" wal "$full" || status=1
exit $status
