#!/bin/bash
# Calls through the registrar: the phone calls a sipp UAS and hangs up;
# a sipp UAC calls the phone, which answers; our module sees the call
# events in order, each exactly once.
. "$(dirname "$0")/../lib/harness.sh"

start_kamailio 100:secret100 || { t_fail kamailio "did not start"; t_done; }
write_phone_config phone "$(account_line 100 secret100)"
start_phone phone || t_fail start "phone did not answer on its socket"
t_check registered t_wait_until 15 phone_registered phone
start_events phone

# --- outgoing: the phone calls a sipp UAS (180, 200, waits for BYE) ---
start_sipp uas -sn uas -m 1
t_check dial phone_ctl phone dial "sip:service@127.0.0.1:$SIPP_PORT"
t_check outgoing_established wait_event phone CALL_ESTABLISHED 15
t_check status_shows_call sh -c "$DP_BIN ctl --socket $(phone_socket phone) status | grep -q '\"dir\":\"out\"'"
sleep 1
t_check hangup phone_ctl phone hangup
t_check outgoing_closed wait_event phone CALL_CLOSED 10
t_check sipp_uas_saw_complete_call wait_pid_exit "$SIPP_PID" 15
t_check outgoing_event_order events_in_order phone \
	CALL_LOCAL_SDP CALL_RINGING CALL_REMOTE_SDP CALL_ESTABLISHED CALL_CLOSED
t_check no_call_left sh -c "$DP_BIN ctl --socket $(phone_socket phone) status | grep -q '\"calls\":\[\]'"

# --- incoming: a sipp UAC calls 100 through the registrar; we answer ---
: > "$(phone_dir phone)/events.jsonl.mark"
start_sipp uac -sn uac -s 100 -m 1 -d 2000 "127.0.0.1:$KAM_PORT"
t_check incoming_rings wait_event phone CALL_INCOMING 15
t_check answer phone_ctl phone answer
t_check incoming_established wait_event phone CALL_ESTABLISHED 10 2
t_check sipp_uac_completed wait_pid_exit "$SIPP_PID" 20
t_check incoming_closed_by_peer wait_event phone CALL_CLOSED 10 2
t_check incoming_event_order events_in_order phone \
	CALL_ESTABLISHED CALL_CLOSED CALL_INCOMING CALL_ESTABLISHED CALL_CLOSED
t_check one_incoming_event sh -c "[ \$(grep -c '\"event\":\"CALL_INCOMING\"' '$(phone_dir phone)/events.jsonl') = 1 ]"

# --- a call nobody answers is rejected by hangup ---
start_sipp uac2 -sn uac -s 100 -m 1 -d 1000 "127.0.0.1:$KAM_PORT"
t_check second_incoming_rings wait_event phone CALL_INCOMING 15 2
t_check reject phone_ctl phone hangup
t_check rejected_closed wait_event phone CALL_CLOSED 10 3
wait_pid_exit "$SIPP_PID" 15 >/dev/null 2>&1 || true
t_check commands_without_call_fail not phone_ctl phone hangup

t_done
