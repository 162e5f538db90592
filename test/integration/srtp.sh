#!/bin/bash
# SRTP with SDES keys: the phone, with srtp_mandatory yes, calls a stock
# baresip far end that offers SRTP; the SDP on the wire is RTP/SAVP with
# a=crypto and both ends switch SRTP on.  The mandatory phone refuses a
# plain-RTP offer (488) and cannot call a far end without SRTP.
. "$(dirname "$0")/../lib/harness.sh"

start_kamailio 100:secret100 201:secret201 202:secret202 ||
	{ t_fail kamailio "did not start"; t_done; }

write_phone_config phone "$(account_line 100 secret100)" \
	"srtp_mandatory yes"
start_phone phone || t_fail start "phone did not answer on its socket"
start_events phone
LOG=$(phone_dir phone)/log/deskphone.log
t_check registered t_wait_until 15 phone_registered phone
t_check policy_applied grep -q 'dpsrtp: sip:100@127.0.0.1:[0-9]*: SRTP is mandatory' "$LOG"

# far end 201: stock baresip, SRTP offered (not required), answers itself
start_far_baresip far "$(account_line 201 secret201 ';mediaenc=srtp;answermode=auto')" ||
	t_fail far_start "stock baresip did not start"
t_check far_registered t_wait_until 15 grep -q '201@127.0.0.1.*200 OK' "$T_DIR/far/baresip.log"

t_check dial_far phone_ctl phone dial "sip:201@127.0.0.1:$KAM_PORT"
t_check srtp_call_established wait_event phone CALL_ESTABLISHED 15
t_check rtp_flows wait_event phone CALL_RTPESTAB 10
# The far end's SIP trace holds our offer and its answer.  (Not the
# phone's: with sip_trace the SDES keys would land in its log.)
FARLOG=$T_DIR/far/baresip.log
t_check offer_and_answer_are_savp sh -c "[ \$(grep -cE '^m=audio [0-9]+ RTP/SAVP ' '$FARLOG') -ge 2 ]"
t_check sdes_keys_exchanged sh -c "[ \$(grep -cE '^a=crypto:[0-9]+ AES_CM_128_HMAC_SHA1_(80|32) inline:' '$FARLOG') -ge 2 ]"
t_check no_plain_rtp_offered not grep -qE '^m=audio [0-9]+ RTP/AVP ' "$FARLOG"
t_check phone_srtp_on grep -q 'srtp: audio: SRTP is Enabled' "$LOG"
t_check far_srtp_on grep -q 'srtp: audio: SRTP is Enabled' "$FARLOG"
t_check phone_decrypts_all not grep -q 'srtp: failed to' "$LOG"
t_check no_keys_in_phone_log not grep -q 'inline:' "$LOG"
t_check hangup phone_ctl phone hangup
t_check closed wait_event phone CALL_CLOSED 10

# a plain-RTP offer (sipp's UAC sends RTP/AVP) is refused
start_sipp plain -sn uac -s 100 -m 1 -d 1000 "127.0.0.1:$KAM_PORT"
wait_pid_exit "$SIPP_PID" 20 >/dev/null 2>&1
t_check plain_offer_refused_488 grep -q '^SIP/2.0 488' "$T_DIR"/plain/*_messages.log
t_check plain_offer_not_established sh -c "[ \$(grep -c '\"event\":\"CALL_ESTABLISHED\"' '$(phone_dir phone)/events.jsonl') = 1 ]"

# a far end without SRTP (202): the mandatory phone's call fails
start_far_baresip plainfar "$(account_line 202 secret202 ';answermode=auto')" ||
	t_fail plainfar_start "stock baresip did not start"
t_check plainfar_registered t_wait_until 15 grep -q '202@127.0.0.1.*200 OK' "$T_DIR/plainfar/baresip.log"
t_check dial_plain_far phone_ctl phone dial "sip:202@127.0.0.1:$KAM_PORT"
t_check call_to_plain_far_closed wait_event phone CALL_CLOSED 15 2
t_check call_to_plain_far_never_established sh -c "[ \$(grep -c '\"event\":\"CALL_ESTABLISHED\"' '$(phone_dir phone)/events.jsonl') = 1 ]"
t_check phone_still_registered phone_registered phone

t_done
