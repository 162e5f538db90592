#!/bin/bash
# Malformed and hostile SIP straight at the phone (test/sipp/*.xml):
# unknown methods, a BYE for no call, garbage SDP, a bad Content-Length,
# an oversized header, no Via, non-SIP bytes, an oversized message over
# TCP, and an INVITE flood.  The daemon answers each as baresip 1.0
# does (docs/hardening.md has the table), stays up, keeps its
# registration, and takes a normal call afterwards.
. "$(dirname "$0")/../lib/harness.sh"

start_kamailio 100:secret100 || { t_fail kamailio "did not start"; t_done; }
write_phone_config phone "$(account_line 100 secret100)"
start_phone phone || t_fail start "phone did not answer on its socket"
start_events phone
t_check registered t_wait_until 15 phone_registered phone
TARGET=127.0.0.1:$PHONE_PORT

# --- the malformed requests, one scenario, each answer checked ---
printf 'SEQUENTIAL\n%s;\n' "$(head -c 9000 /dev/zero | tr '\0' 'A')" > "$T_DIR/oversized.csv"
start_sipp malformed -sf "$DP_ROOT/test/sipp/malformed.xml" -inf "$T_DIR/oversized.csv" \
	-s 100 -m 1 -timeout 30 "$TARGET"
t_check malformed_scenario_passes wait_pid_exit "$SIPP_PID" 40
MSGS=$(ls "$T_DIR"/malformed/*_messages.log)
for code in "200 OK" "501 Not Implemented" "481" "500"; do
	t_check "answered_${code%% *}" grep -q "^SIP/2.0 $code" "$MSGS"
done
t_check alive_after_malformed phone_ctl phone ping
t_check no_call_from_garbage_sdp sh -c "'$DP_BIN' ctl --socket '$(phone_socket phone)' status | grep -q '\"calls\":\[\]'"

# --- TCP: a 100 kB message is cut off, the connection closed ---
closed_on_oversize() {
	exec 3<>"/dev/tcp/127.0.0.1/$PHONE_PORT" || return 1
	{ printf 'OPTIONS sip:100@%s SIP/2.0\r\nX-Big: ' "$TARGET"
	  head -c 100000 /dev/zero | tr '\0' 'B'; } >&3 2>/dev/null
	# the phone resets the connection: reading ends at once
	timeout 5 cat <&3 >/dev/null 2>&1
	local rc=$?
	exec 3>&- 3<&-
	[ $rc != 124 ]
}
t_check tcp_oversized_message_closed closed_on_oversize
t_check alive_after_tcp_oversize phone_ctl phone ping

# --- an INVITE flood at 20 calls/s, 60 calls ---
start_sipp flood -sf "$DP_ROOT/test/sipp/invite_flood.xml" -s 100 \
	-r 20 -l 30 -m 60 -timeout 60 "$TARGET"
t_check flood_every_call_completed wait_pid_exit "$SIPP_PID" 70
FLOOD=$(ls "$T_DIR"/flood/*_messages.log)
t_check flood_some_ring grep -q '^SIP/2.0 180' "$FLOOD"
t_check flood_overflow_refused_486 grep -q '^SIP/2.0 486 Max Calls' "$FLOOD"
t_check flood_ringing_cancelled_487 grep -q '^SIP/2.0 487' "$FLOOD"
t_check alive_after_flood phone_ctl phone ping
t_check no_call_left_after_flood t_wait_until 10 sh -c "'$DP_BIN' ctl --socket '$(phone_socket phone)' status | grep -q '\"calls\":\[\]'"
t_check still_registered phone_registered phone

# --- and a normal call through the registrar still works ---
n_inc=$(grep -c '"event":"CALL_INCOMING"' "$(phone_dir phone)/events.jsonl")
n_est=$(grep -c '"event":"CALL_ESTABLISHED"' "$(phone_dir phone)/events.jsonl")
t_log "the flood rang $n_inc times; the rest were refused"
start_sipp after -sn uac -s 100 -m 1 -d 1000 "127.0.0.1:$KAM_PORT"
t_check normal_call_rings wait_event phone CALL_INCOMING 15 $((n_inc + 1))
t_check normal_call_answer phone_ctl phone answer
t_check normal_call_established wait_event phone CALL_ESTABLISHED 10 $((n_est + 1))
t_check normal_call_completed wait_pid_exit "$SIPP_PID" 20
t_check daemon_log_has_no_crash not grep -qiE 'segmentation|abort|assert' "$(phone_dir phone)/log/deskphone.log"

t_done
