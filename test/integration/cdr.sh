#!/bin/bash
# Call detail records from a running phone: calls of every kind (answered
# both ways, auto-answered included; missed; rejected by the far end and
# here; busy; failed; cancelled), each kind at least DP_CDR_CALLS times,
# through the registrar against sipp far ends.  Every call gets exactly
# one record with the right result and final status; the command line
# reads them while the daemon runs; a call still up at shutdown is
# recorded too; nothing personal reaches the log.
. "$(dirname "$0")/../lib/harness.sh"

SC=$DP_ROOT/test/integration/cdr
N=${DP_CDR_CALLS:-20}
HALF=$(( (N + 1) / 2 ))
closed=0
incoming=0

start_kamailio 100:secret100 101:secret101 || { t_fail kamailio "did not start"; t_done; }
write_phone_config phone "$(account_line 100 secret100)"
# a second line that answers by itself: baresip raises no CALL_INCOMING
account_line 101 secret101 ';answermode=auto' >> "$(phone_dir phone)/accounts"
echo >> "$(phone_dir phone)/accounts"
start_phone phone || t_fail start "phone did not answer on its socket"
t_check registered t_wait_until 15 phone_registered phone
start_events phone

cdr_cli() {
	"$DP_BIN" cdr --config "$DP_FIRMWARE" --local "$(phone_dir phone)/local.conf" "$@"
}

# dial_and_close USER COUNT [ESTABLISHED|RINGING]: COUNT calls to the sipp
# far end; with a state given, the phone hangs up once the call got there
dial_and_close() {
	local user=$1 count=$2 state=${3:-} i n=0
	for i in $(seq 1 "$count"); do
		phone_ctl phone dial "sip:$user@127.0.0.1:$SIPP_PORT" >/dev/null || return 1
		if [ -n "$state" ]; then
			n=$((n + 1))
			eval "seen_$state=\$((\${seen_$state:-0} + 1))"
			wait_event phone "CALL_$state" 15 "$(eval echo \$seen_$state)" || return 1
			phone_ctl phone hangup >/dev/null || return 1
		fi
		closed=$((closed + 1))
		wait_event phone CALL_CLOSED 15 "$closed" || return 1
	done
}

# reject_scenario CODE REASON: a far end answering every call so
reject_scenario() {
	local f=$T_DIR/uas_reject_$1.xml
	sed -e "s/@CODE@/$1/" -e "s/@REASON@/$2/" "$SC/uas_reject.xml" > "$f"
	echo "$f"
}

# --- outgoing, turned down by the far end ---
start_sipp busy -sf "$(reject_scenario 486 "Busy Here")" -m "$N"
t_check busy_calls dial_and_close busy "$N"
t_check busy_far_end_done wait_pid_exit "$SIPP_PID" 15

start_sipp decline -sf "$(reject_scenario 603 Decline)" -m "$HALF"
t_check declined_calls dial_and_close decline "$HALF"
t_check decline_far_end_done wait_pid_exit "$SIPP_PID" 15

start_sipp notfound -sf "$(reject_scenario 404 "Not Found")" -m "$HALF"
t_check not_found_calls dial_and_close nobody "$HALF"
t_check not_found_far_end_done wait_pid_exit "$SIPP_PID" 15

start_sipp servererror -sf "$(reject_scenario 500 "Server Internal Error")" -m "$HALF"
t_check server_error_calls dial_and_close broken "$HALF"
t_check server_error_far_end_done wait_pid_exit "$SIPP_PID" 15

# --- outgoing, hung up here while ringing, and answered ---
start_sipp ring -sf "$SC/uas_ring.xml" -m "$N"
t_check cancelled_calls dial_and_close ringing "$N" RINGING
t_check ring_far_end_done wait_pid_exit "$SIPP_PID" 15

start_sipp answer -sn uas -m "$HALF"
t_check answered_outgoing_calls dial_and_close answer "$HALF" ESTABLISHED
t_check answer_far_end_done wait_pid_exit "$SIPP_PID" 15

# --- incoming: answered by the phone itself, missed, rejected here ---
start_sipp autocaller -sn uac -s 101 -m "$HALF" -l 1 -d 200 "127.0.0.1:$KAM_PORT"
t_check auto_answered_caller_done wait_pid_exit "$SIPP_PID" 60
closed=$((closed + HALF))
t_check auto_answered_closed wait_event phone CALL_CLOSED 15 "$closed"

start_sipp missedcaller -sf "$SC/uac_cancel.xml" -s 100 -m "$N" -l 1 "127.0.0.1:$KAM_PORT"
t_check missed_caller_done wait_pid_exit "$SIPP_PID" 60
closed=$((closed + N))
incoming=$((incoming + N))
t_check missed_closed wait_event phone CALL_CLOSED 15 "$closed"

reject_incoming() {
	local i
	for i in $(seq 1 "$HALF"); do
		incoming=$((incoming + 1))
		wait_event phone CALL_INCOMING 15 "$incoming" || return 1
		phone_ctl phone hangup >/dev/null || return 1
		closed=$((closed + 1))
		wait_event phone CALL_CLOSED 15 "$closed" || return 1
	done
}
start_sipp rejectedcaller -sf "$SC/uac_rejected.xml" -s 100 -m "$HALF" -l 1 "127.0.0.1:$KAM_PORT"
t_check rejected_incoming_calls reject_incoming
t_check rejected_caller_done wait_pid_exit "$SIPP_PID" 30

# --- what the store holds, read while the daemon runs ---
total=$((3 * N + 6 * HALF))
csv=$T_DIR/cdr.csv
t_check cli_export_while_running sh -c "'$DP_BIN' cdr --config '$DP_FIRMWARE' --local '$(phone_dir phone)/local.conf' export --format csv | tr -d '\\r' > '$csv'"
t_check cli_verify_while_running cdr_cli verify
t_check one_record_per_call [ "$(tail -n +2 "$csv" | wc -l)" = "$total" ]

# count DIRECTION RESULT STATUS: records with these fields
count() { tail -n +2 "$csv" | awk -F, -v d="$1" -v r="$2" -v s="$3" '$6 == d && $7 == r && $8 == s' | wc -l; }
expect() { local got; got=$(count "$1" "$2" "$3"); [ "$got" = "$4" ] || { t_log "$1 $2 $3: $got records, not $4"; return 1; }; }
t_check busy_records expect out busy 486 "$N"
t_check declined_records expect out rejected 603 "$HALF"
t_check not_found_records expect out failed 404 "$HALF"
t_check server_error_records expect out failed 500 "$HALF"
t_check cancelled_records expect out cancelled 487 "$N"
t_check answered_outgoing_records expect out answered 200 "$HALF"
t_check auto_answered_records expect in answered 200 "$HALF"
t_check missed_records expect in missed 487 "$N"
t_check rejected_incoming_records expect in rejected 486 "$HALF"
# answered calls carry a codec and talk time; the auto-answered ones came in on line 101
t_check answered_have_codec sh -c "tail -n +2 '$csv' | awk -F, '\$7 == \"answered\" && (\$9 == \"\" || \$3 == \"\") { bad++ } END { exit bad }'"
t_check auto_answered_on_its_line sh -c "[ \$(tail -n +2 '$csv' | awk -F, '\$6 == \"in\" && \$7 == \"answered\" && \$11 ~ /^sip:101@/' | wc -l) = $HALF ]"
t_check remote_numbers_recorded sh -c "[ \$(tail -n +2 '$csv' | awk -F, '\$7 == \"busy\" && \$12 ~ /^sip:busy@/' | wc -l) = $N ]"
t_check display_names_recorded sh -c "[ \$(tail -n +2 '$csv' | awk -F, '\$7 == \"missed\" && \$13 == \"Missed Caller\"' | wc -l) = $N ]"
t_check json_export sh -c "'$DP_BIN' cdr --config '$DP_FIRMWARE' --local '$(phone_dir phone)/local.conf' export | grep -c '\"seq\":' | grep -qx $total"

# --- a call still up when the daemon stops is recorded as it stands ---
start_sipp last -sn uas -m 1
phone_ctl phone dial "sip:last@127.0.0.1:$SIPP_PORT" >/dev/null
t_check last_call_established wait_event phone CALL_ESTABLISHED 15 $((2 * HALF + 1))
sleep 1
t_stop_pid "$PHONE_PID_phone"
t_check shutdown_record sh -c "'$DP_BIN' cdr --config '$DP_FIRMWARE' --local '$(phone_dir phone)/local.conf' export --format csv | tail -n +2 | awk -F, '\$12 ~ /^sip:last@/ && \$7 == \"answered\"' | grep -q ."
t_check verify_after_stop cdr_cli verify
t_check count_after_stop sh -c "[ \$('$DP_BIN' cdr --config '$DP_FIRMWARE' --local '$(phone_dir phone)/local.conf' list | wc -l) = $((total + 1)) ]"

# --- the records are sealed; the log names no party ---
t_check store_holds_no_plaintext not grep -q -a -e 'Missed Caller' -e 'sip:busy' "$(phone_dir phone)/state/cdr.ring"
t_check module_logged sh -c "grep -q 'dpcdr: call records in' '$(phone_dir phone)/log/deskphone.log'"
t_check module_logs_no_party sh -c "! grep 'dpcdr' '$(phone_dir phone)/log/deskphone.log' | grep -q -i -e 'sip:' -e 'caller'"

# --- a store the phone cannot read: the phone works on, the store stays ---
write_phone_config other "$(account_line 100 secret100)"
mkdir -p "$(phone_dir other)/state"
chmod 700 "$(phone_dir other)/state"
head -c 262144 /dev/urandom > "$(phone_dir other)/state/cdr.ring"
cp "$(phone_dir other)/state/cdr.ring" "$T_DIR/garbage.copy"
start_phone other || t_fail other_start "a phone with an unreadable store did not start"
t_check unreadable_store_reported grep -q 'dpcdr: call records will not be kept' "$(phone_dir other)/log/deskphone.log"
t_check unreadable_store_untouched cmp -s "$(phone_dir other)/state/cdr.ring" "$T_DIR/garbage.copy"
t_check cli_refuses_unreadable_store not sh -c "'$DP_BIN' cdr --config '$DP_FIRMWARE' --local '$(phone_dir other)/local.conf' list"

t_done
