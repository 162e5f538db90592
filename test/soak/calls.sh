#!/bin/bash
# Soak: many calls through kamailio, each with media, against the plain
# (sanitizer-free) build.  sipp calls the phone, which answers by itself
# (;answermode=auto) and sends RTP; sipp echoes it back (-rtp_echo).
#
# First SOAK_CONCURRENT_CALLS calls, SOAK_CONCURRENT at a time: they are
# "the first calls", and the daemon's RSS after them is the baseline
# (so the heap's high-water mark of many calls at once is in it); then
# SOAK_CALLS calls one after the other; then RSS again.
#
#   SOAK_CONCURRENT        calls at once            (default 20)
#   SOAK_CONCURRENT_CALLS  calls in that phase      (default 100)
#   SOAK_CALLS             sequential calls         (default 1000)
#   SOAK_HOLD_MS           how long a sequential call lasts (default 500)
#
# Checks: every call completes (sipp), exactly one CALL_ESTABLISHED, one
# CALL_RTPESTAB (media came back) and one CALL_CLOSED per call, CLOSED
# events for distinct call ids, RSS at the end within 5 % of the
# baseline, no error or warning in the daemon's log.  Prints
# `soak calls <metric> <value> <unit>` lines beside the PASS/FAIL lines.
. "$(dirname "$0")/../lib/harness.sh"

CALLS=${SOAK_CALLS:-1000}
CONC=${SOAK_CONCURRENT:-20}
CONC_CALLS=${SOAK_CONCURRENT_CALLS:-100}
HOLD=${SOAK_HOLD_MS:-500}
TOTAL=$((CALLS + CONC_CALLS))

PLAIN=$(cd "$DP_ROOT" && cd "${DP_SOAK_BUILD:-build}" 2>/dev/null && pwd)
if [ -z "$PLAIN" ] || [ ! -f "$PLAIN/modules/dpcore.so" ]; then
	t_fail plain_build "no plain build with modules (make all); set DP_SOAK_BUILD"
	t_done
fi
DP_ASAN_LIB=          # RSS of an ASan process says nothing
DP_BIN=$PLAIN/bin/deskphone

# The microphone: a WAV file (8 kHz mono, 60 s of silence) read by the
# stock aufile module, which every call opens for itself.  (aubridge has
# one device a name: calls at once would share, and some send nothing.)
wav() {
	local bytes=$((8000 * 2 * 60)) le
	le() { printf '\\x%02x\\x%02x\\x%02x\\x%02x' $(($1 & 255)) $(($1 >> 8 & 255)) \
		$(($1 >> 16 & 255)) $(($1 >> 24 & 255)); }
	printf "RIFF$(le $((bytes + 36)))WAVEfmt $(le 16)\x01\x00\x01\x00$(le 8000)$(le 16000)\x02\x00\x10\x00data$(le $bytes)"
	head -c "$bytes" /dev/zero
}
wav > "$T_DIR/mic.wav"

start_kamailio 100:secret100 || { t_fail kamailio "did not start"; t_done; }
write_phone_config phone "$(account_line 100 secret100 ';answermode=auto')" \
	"module_dir $PLAIN/modules" "max_calls $((CONC + 4))" \
	"audio_modules aubridge.so,aufile.so" "audio_source aufile,$T_DIR/mic.wav"
# an RTP/RTCP port pair per call, and a spare
echo "rtp_ports $((PHONE_PORT + 2))-$((PHONE_PORT + 2 + 2 * (CONC + 4)))" \
	>> "$(phone_dir phone)/local.conf"
start_phone phone || { t_fail start "phone did not answer on its socket"; t_done; }
start_events phone
t_check registered t_wait_until 15 phone_registered phone
BARESIP_PID=$(pgrep -P "$PHONE_PID_phone" -x baresip)
EVENTS=$(phone_dir phone)/events.jsonl

rss_kb() { awk '/^VmRSS:/ { print $2 }' "/proc/$BARESIP_PID/status"; }

# run_calls NAME CALLS LIMIT RATE HOLD_MS: sipp calls through kamailio,
# at most LIMIT at once, RATE new calls a second.
run_calls() {
	local name=$1 n=$2 limit=$3 rate=$4 hold=$5 rc
	start_sipp "$name" -sf "$DP_ROOT/test/sipp/uac_media.xml" -s 100 \
		-m "$n" -l "$limit" -r "$rate" -d "$hold" -rtp_echo \
		-default_behaviors all,-abortunexp \
		-timeout $((n * 2 + 60)) "127.0.0.1:$KAM_PORT"
	wait_pid_exit "$SIPP_PID" $((n * 2 + 90))
	rc=$?
	[ $rc = 124 ] && t_stop_pid "$SIPP_PID"
	if [ $rc != 0 ]; then
		t_log "sipp $name exited $rc"
		cat "$T_DIR/$name"/*_errors.log 2>/dev/null | head -n 40 | sed 's/^/#   /' >&2
	fi
	return $rc
}
ok_calls() { # the sipp summary's count of successful calls
	grep 'Successful call' "$T_DIR/$1/sipp.out" | tail -n 1 |
		awk -F'|' '{ gsub(/ /, "", $3); n = $3 } END { print n + 0 }'
}

start=$SECONDS
# CONC new calls a second, each held 1.5 s: CONC at once
t_check "concurrent_${CONC_CALLS}_calls_${CONC}_at_once" \
	run_calls concurrent "$CONC_CALLS" "$CONC" "$CONC" 1500
peak=$(sed -n 's/.*Peak was \([0-9]*\) calls.*/\1/p' "$T_DIR/concurrent/sipp.out" | sort -n | tail -n 1)
t_check "peak_${CONC}_calls_at_once" [ "${peak:-0}" -ge "$CONC" ]
t_wait_until 20 sh -c "[ \$(grep -c '\"event\":\"CALL_CLOSED\"' '$EVENTS') -ge $CONC_CALLS ]"
sleep 1
RSS_BASE=$(rss_kb)
t_check "sequential_${CALLS}_calls" run_calls sequential "$CALLS" 1 50 "$HOLD"
t_wait_until 20 sh -c "[ \$(grep -c '\"event\":\"CALL_CLOSED\"' '$EVENTS') -ge $TOTAL ]"
sleep 1
RSS_END=$(rss_kb)
elapsed=$((SECONDS - start))

t_check all_calls_successful [ $(( $(ok_calls sequential) + $(ok_calls concurrent) )) = "$TOTAL" ]
n_est=$(grep -c '"event":"CALL_ESTABLISHED"' "$EVENTS")
n_closed=$(grep -c '"event":"CALL_CLOSED"' "$EVENTS")
n_ids=$(grep '"event":"CALL_CLOSED"' "$EVENTS" | grep -o '"call_id":"[^"]*"' | sort -u | wc -l)
n_rtp=$(grep -c '"event":"CALL_RTPESTAB"' "$EVENTS")
t_check one_established_event_per_call [ "$n_est" = "$TOTAL" ]
t_check one_closed_event_per_call [ "$n_closed" = "$TOTAL" ]
t_check closed_events_distinct_calls [ "$n_ids" = "$TOTAL" ]
t_check media_in_every_call [ "$n_rtp" = "$TOTAL" ]
n_cdr=$("$DP_BIN" cdr --config "$DP_FIRMWARE" --local "$(phone_dir phone)/local.conf" list | wc -l)
t_check one_cdr_per_call [ "$n_cdr" = "$TOTAL" ]
t_check cdr_store_verifies "$DP_BIN" cdr --config "$DP_FIRMWARE" --local "$(phone_dir phone)/local.conf" verify
t_check no_call_left sh -c "'$DP_BIN' ctl --socket '$(phone_socket phone)' status | grep -q '\"calls\":\[\]'"
t_check still_registered phone_registered phone

echo "soak calls total $TOTAL calls"
echo "soak calls elapsed $elapsed s"
echo "soak calls peak_at_once ${peak:-0} calls"
echo "soak calls rss_after_first_${CONC_CALLS} $RSS_BASE kB"
echo "soak calls rss_end $RSS_END kB"
echo "soak calls rss_growth $(awk -v a="$RSS_BASE" -v b="$RSS_END" 'BEGIN { printf "%.2f", (b - a) * 100 / a }') %"
t_check rss_within_5_percent awk -v a="$RSS_BASE" -v b="$RSS_END" 'BEGIN { exit !(b <= a * 1.05) }'

LOG=$(phone_dir phone)/log/deskphone.log
grep -inE 'error|warning|fail|abort|segfault' "$LOG" > "$T_DIR/log-problems.txt"
[ -s "$T_DIR/log-problems.txt" ] && { t_log "daemon log problems:"; head -n 20 "$T_DIR/log-problems.txt" | sed 's/^/#   /' >&2; }
t_check no_error_in_log [ ! -s "$T_DIR/log-problems.txt" ]

t_done
