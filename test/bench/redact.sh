#!/bin/bash
# Redaction throughput on one generated SIP trace (>= 50 MB, the same
# bytes every run: build/test/redact-gen with a fixed seed; every call
# flow has fresh names, users, numbers, hosts and addresses), in one run:
#   ours       deskphone redact (SIP-aware, keyed pseudonyms) on the file:
#              it reads it twice, a learning pass first, so that a secret
#              is also removed where it comes before the place it is
#              learned from
#   ours-pipe  the same fed through a pipe: one pass, a secret removed
#              only after that place (the figure before learning came)
#   sos-clean  sos clean 4.0 from Debian's sosreport, the tool technicians
#              use today: the trace is wrapped in a directory with an
#              sos_logs entry (4.0 refuses a plain file), --batch, a fresh
#              --map.  It is slow, so it cleans a slice of the trace
#              (SOS_SLICE_MB, default 5) and its MB/s is that slice's;
#              the commentary says so.
#   sed        a floor: four regular expressions (IPv4, user@host, SIP
#              URI users, phone numbers), no pseudonyms, no SIP structure
# Figures are wall-clock MB/s (MB = 2^20 bytes); ours and sed are the best
# of three runs.  Lines: bench redact <subject> mb_per_s N MB/s
set -u
root=$(cd "$(dirname "$0")/../.." && pwd)
build=$(cd "$root" && cd "${DP_BUILD:-build}" && pwd)
mb=${REDACT_BENCH_MB:-50}
slice_mb=${SOS_SLICE_MB:-5}

dir=$(mktemp -d "${TMPDIR:-/tmp}/dp-bench-redact.XXXXXX")
trap 'rm -rf "$dir"' EXIT

now() { date +%s%N; }
rate() { awk -v b="$1" -v ns="$2" 'BEGIN { printf "%.1f", b / 1048576 / (ns / 1e9) }'; }

"$build/test/redact-gen" --bytes $((mb * 1048576)) --seed 1 > "$dir/trace" || exit 1
size=$(stat -c %s "$dir/trace")
printf 'key for the redaction benchmark, 32+ bytes long\n' > "$dir/key"
echo "trace: $size bytes, $(wc -l < "$dir/trace") lines" >&2

best=
for run in 1 2 3; do
	t0=$(now)
	"$build/bin/deskphone" redact --no-phone --key-file "$dir/key" \
		< "$dir/trace" > "$dir/ours.out" || exit 1
	t=$(( $(now) - t0 ))
	[ -z "$best" ] || [ "$t" -lt "$best" ] && best=$t
done
ours=$(rate "$size" "$best")
echo "bench redact ours mb_per_s $ours MB/s"

best=
for run in 1 2 3; do
	t0=$(now)
	cat "$dir/trace" | "$build/bin/deskphone" redact --no-phone \
		--key-file "$dir/key" > "$dir/pipe.out" || exit 1
	t=$(( $(now) - t0 ))
	[ -z "$best" ] || [ "$t" -lt "$best" ] && best=$t
done
echo "bench redact ours-pipe mb_per_s $(rate "$size" "$best") MB/s"

# peak memory stays flat whatever the input size, learning or not
rss=$( { /usr/bin/env time -f '%M' "$build/bin/deskphone" redact --no-phone \
	--key-file "$dir/key" < "$dir/trace" > /dev/null; } 2>&1 | tail -n 1)
case "$rss" in
	''|*[!0-9]*) echo "max RSS not measured (no /usr/bin/time)" >&2 ;;
	*) echo "bench redact ours max_rss_kb $rss kB" ;;
esac
rss=$( { cat "$dir/trace" | /usr/bin/env time -f '%M' "$build/bin/deskphone" \
	redact --no-phone --key-file "$dir/key" > /dev/null; } 2>&1 | tail -n 1)
case "$rss" in
	''|*[!0-9]*) ;;
	*) echo "bench redact ours-pipe max_rss_kb $rss kB" ;;
esac

# sos clean on a slice of the same trace
mkdir -p "$dir/sos/report/sos_logs"
head -c $((slice_mb * 1048576)) "$dir/trace" > "$dir/sos/report/trace.txt"
: > "$dir/sos/report/sos_logs/sos.log"
slice=$(stat -c %s "$dir/sos/report/trace.txt")
t0=$(now)
sos clean "$dir/sos/report" --batch --map "$dir/sos/map.json" \
	--tmp-dir "$dir/sos" > "$dir/sos/out.txt" 2>&1 || {
	sed 's/^/sos clean: /' "$dir/sos/out.txt" >&2
	exit 1
}
t=$(( $(now) - t0 ))
sos=$(rate "$slice" "$t")
echo "sos clean measured on the first $slice_mb MB of the trace ($slice bytes), not all $mb MB" >&2
echo "bench redact sos-clean mb_per_s $sos MB/s"

best=
for run in 1 2 3; do
	t0=$(now)
	LC_ALL=C sed -E \
		-e 's/[0-9]{1,3}(\.[0-9]{1,3}){3}/<ip>/g' \
		-e 's/[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+/<addr>/g' \
		-e 's/(sips?:)[^@;> ]+@/\1<user>@/g' \
		-e 's/\+?[0-9][0-9 -]{6,}[0-9]/<num>/g' \
		< "$dir/trace" > "$dir/sed.out" || exit 1
	t=$(( $(now) - t0 ))
	[ -z "$best" ] || [ "$t" -lt "$best" ] && best=$t
done
sedr=$(rate "$size" "$best")
echo "bench redact sed mb_per_s $sedr MB/s"

awk -v o="$ours" -v s="$sos" 'BEGIN { printf "ours is %.1fx sos clean (goal: 20x)\n", o / s }' >&2
