#!/bin/bash
# Blind transfer (REFER), our phone in both roles, through the registrar.
#  (a) phone 100 (sim board, keys) transfers its call with our phone 101
#      to our phone 102: 102 rings and answers, 101 and 102 talk (RTP
#      both ways), 100's call is over and its LCD says so;
#  (b) a stock baresip (103, driven over its UDP console) transfers its
#      call with our phone 101 to 102: our phone follows the REFER;
#  (c) 102 rejects the transfer (486): 101 keeps its call with 100,
#      whose LCD says "Transfer failed" and keeps the call;
#  (d) a REFER to a target outside our domain, or not sip:, or with a
#      '%' (`deskphone ctl transfer`): 101 refuses it (403, log line),
#      both keep the call; attended transfer (Replaces) gets 501;
#  (e) a transferor (sipp) that does not hang up after the transfer:
#      101 ends that call itself once 102 has answered;
#  (f) a transferor (sipp) that hangs up before the target answers: 101
#      goes on with the call to 102.
. "$(dirname "$0")/../lib/harness.sh"

INPUT=$DP_BUILD/test/dp-input

start_kamailio 100:secret100 101:secret101 102:secret102 103:secret103 ||
	{ t_fail kamailio "did not start"; t_done; }

# the transferee (with a UI on the sim board: its screen is checked, no
# keys pressed) and the target (no UI); both answered by ctl
mkdir -p "$(phone_dir p101)"
write_phone_config p101 "$(account_line 101 secret101)" \
	"ui_modules dpui.so" \
	"lcd_dump_file $(phone_dir p101)/screen.txt" \
	"deskphone_bin $DP_BIN"
write_phone_config p102 "$(account_line 102 secret102)"
for n in 101 102; do
	start_phone "p$n" || t_fail "start_p$n" "phone $n did not start"
	start_events "p$n"
done

# the transferor: our phone with the sim board's screen and a keypad
dir=$(phone_dir phone)
mapfile -t sim < <(sim_ui_settings phone)
write_phone_config phone "$(account_line 100 secret100)" "${sim[@]}"
start_phone phone || t_fail start "phone did not answer on its socket"
start_events phone
exec 7<>"$dir/keypad"

# a third-party transferor: stock baresip with its menu, commands by UDP
CONS_PORT=$(t_free_port)
start_far_baresip far103 "$(account_line 103 secret103 ';answermode=auto')" \
	"module_app menu.so" "module cons.so" "cons_listen 127.0.0.1:$CONS_PORT" ||
	t_fail start_far103 "stock baresip did not start"
far_cmd() { printf '%s\n' "$1" > "/dev/udp/127.0.0.1/$CONS_PORT"; }
FARLOG=$T_DIR/far103/baresip.log
# far_notified_200: the stock baresip got the final NOTIFY, sipfrag 200
far_notified_200() {
	grep -A12 'Subscription-State: terminated' "$FARLOG" | grep -q '^SIP/2.0 200 OK'
}

screen() { cat "$dir/screen.txt" 2>/dev/null; }
screen_has() { grep -qF -- "$1" "$dir/screen.txt" 2>/dev/null; }
see() { t_wait_until "$1" screen_has "$2" || { t_log "screen:"; screen | sed 's/^/#   /' >&2; return 1; }; }
# b_screen_has TEXT...: the transferee's screen shows every TEXT
b_screen_has() {
	local f=$(phone_dir p101)/screen.txt t
	for t in "$@"; do grep -qF -- "$t" "$f" 2>/dev/null || return 1; done
}
# both_say_transferred: the transferor's LCD says so, and the transferee's
# shows its call with 102
both_say_transferred() {
	screen_has "Transferred" && b_screen_has "Connected" "102" "Transferred"
}
show_screens() {
	t_log "phone screen:"; screen | sed 's/^/#   /' >&2
	t_log "p101 screen:"; sed 's/^/#   /' "$(phone_dir p101)/screen.txt" >&2
}
keys() { "$INPUT" "$@" >&7; }

# call_with NAME USER: phone NAME's call with USER (its status object)
call_with() {
	phone_ctl "$1" status | grep -o '{"id":[^{}]*}' | grep "\"peer\":\"sip:$2@"
}
num() { sed -n "s/.*\"$1\":\([0-9]*\).*/\1/p"; }
# talks NAME USER: NAME has an established call with USER and its RTP
# counters grow both ways
talks() {
	local a b
	a=$(call_with "$1" "$2") || { t_log "$1 has no call with $2"; return 1; }
	sleep 1.5
	b=$(call_with "$1" "$2") || { t_log "$1 has no call with $2"; return 1; }
	[ "$(num state <<<"$b")" = 5 ] &&
	[ "$(num rtp_rx <<<"$b")" -gt "$(num rtp_rx <<<"$a")" ] &&
	[ "$(num rtp_tx <<<"$b")" -gt "$(num rtp_tx <<<"$a")" ] ||
		{ t_log "$1 with $2: $a then $b"; return 1; }
}
no_calls() { phone_ctl "$1" status | grep -q '"calls":\[\]'; }
# event_has NAME EVENT N TEXT: NAME's Nth EVENT contains TEXT
event_has() {
	grep "\"event\":\"$2\"" "$(phone_dir "$1")/events.jsonl" |
		sed -n "${3}p" | grep -qF -- "$4"
}
all_registered() {
	phone_registered phone && phone_registered p101 && phone_registered p102
}

t_check registered t_wait_until 20 all_registered
t_check idle see 10 "|100 Registered"

# --- (a) 100 dials 101 from the keys, then transfers it to 102 ----------
keys SW_LID=0 KEY_NUMERIC_1 KEY_NUMERIC_0 KEY_NUMERIC_1 KEY_NUMERIC_POUND
t_check a_b_rings wait_event p101 CALL_INCOMING 15
t_check a_b_answers phone_ctl p101 answer
t_check a_connected see 10 "Connected"
t_check a_a_talks_to_b talks phone 101
keys KEY_FORWARD
t_check a_transfer_prompt see 5 "Transfer to:"
keys KEY_NUMERIC_1 KEY_NUMERIC_0 KEY_NUMERIC_2 KEY_NUMERIC_POUND
t_check a_target_rings wait_event p102 CALL_INCOMING 15
t_check a_refer_reached_b wait_event p101 TRANSFER 5
t_check a_target_sees_b event_has p102 CALL_INCOMING 1 '"peer":"sip:101@'
t_check a_target_answers phone_ctl p102 answer
# both screens at once: "Transferred" is a note, shown for 2.5 s
t_check a_lcds_transferred_and_b_shows_c t_wait_until 8 both_say_transferred
t_check a_transferor_closed wait_event phone CALL_CLOSED 10
t_check a_transferor_has_no_call no_calls phone
t_check a_b_left_100 t_wait_until 10 not call_with p101 100
t_check a_b_talks_to_c talks p101 102
t_check a_c_talks_to_b talks p102 101
keys SW_LID=1
t_check a_idle_again see 10 "|100 Registered"
phone_ctl p102 hangup >/dev/null
t_check a_ended wait_event p101 CALL_CLOSED 10 2

# --- (b) stock baresip transfers our phone 101 to our phone 102 ---------
t_check b_dial_103 phone_ctl p101 dial 103
t_check b_established wait_event p101 CALL_ESTABLISHED 15 3
t_check b_b_talks_to_103 talks p101 103
far_cmd "/transfer 102"
t_check b_target_rings wait_event p102 CALL_INCOMING 15 2
t_check b_target_answers phone_ctl p102 answer
t_check b_b_screen_shows_c t_wait_until 8 b_screen_has "Connected" "102" "Transferred"
t_check b_103_told_200 t_wait_until 10 far_notified_200
t_check b_103_hung_up t_wait_until 10 grep -q 'Call with sip:101@[^ ]* terminated' "$FARLOG"
t_check b_b_left_103 t_wait_until 10 not call_with p101 103
t_check b_b_talks_to_c talks p101 102
t_check b_c_talks_to_b talks p102 101
phone_ctl p102 hangup >/dev/null
t_check b_ended t_wait_until 10 no_calls p101

# --- (c) the target rejects: the call stays, "Transfer failed" ----------
see 10 "|100 Registered" >/dev/null
keys SW_LID=0 KEY_NUMERIC_1 KEY_NUMERIC_0 KEY_NUMERIC_1 KEY_NUMERIC_POUND
t_check c_b_rings wait_event p101 CALL_INCOMING 15 2
t_check c_b_answers phone_ctl p101 answer
t_check c_connected see 10 "Connected"
keys KEY_FORWARD KEY_NUMERIC_1 KEY_NUMERIC_0 KEY_NUMERIC_2 KEY_NUMERIC_POUND
t_check c_target_rings wait_event p102 CALL_INCOMING 15 3
t_check c_target_rejects phone_ctl p102 hangup
t_check c_transfer_failed_event wait_event phone TRANSFER_FAILED 10
t_check c_failed_486 event_has phone TRANSFER_FAILED 1 '"prm":"486'
t_check c_lcd_transfer_failed see 5 "Transfer failed"
t_check c_a_keeps_call talks phone 101
t_check c_b_keeps_call talks p101 100
t_check c_lcd_connected see 10 "Connected"

# --- (d) a REFER outside our domain is refused; the call stays --------
t_check d_ctl_transfer phone_ctl phone transfer sip:mallory@198.51.100.7
t_check d_refused_event wait_event phone TRANSFER_FAILED 10 2
t_check d_refused_403 event_has phone TRANSFER_FAILED 2 '"prm":"403'
t_check d_logged grep -q 'REFER from .* to .*198.51.100.7.* refused (403): the target is outside' \
	"$(phone_dir p101)/log/deskphone.log"
t_check d_no_call_placed not sh -c "grep -v '\"event\":\"TRANSFER\"' '$(phone_dir p101)/events.jsonl' | grep -q 198.51.100.7"
t_check d_a_keeps_call talks phone 101
t_check d_b_keeps_call talks p101 100
t_check d_not_a_sip_uri phone_ctl phone transfer "tel:+15555550100"
t_check d_tel_refused wait_event phone TRANSFER_FAILED 10 3
t_check d_attended_not_yet phone_ctl phone transfer \
	"sip:102@127.0.0.1:$KAM_PORT?Replaces=abc"
t_check d_attended_refused wait_event phone TRANSFER_FAILED 10 4
t_check d_refused_501 event_has phone TRANSFER_FAILED 4 '"prm":"501'
# baresip 1.0 would take this Refer-To as a printf format and crash
t_check d_format_refer phone_ctl phone transfer \
	"sip:102@127.0.0.1:$KAM_PORT?X=%s%s%s%s%s%s%n"
t_check d_format_refused wait_event phone TRANSFER_FAILED 10 5
t_check d_format_403 event_has phone TRANSFER_FAILED 5 '"prm":"403'
t_check d_format_logged grep -q "REFER from .* refused (403): a '%' in Refer-To" \
	"$(phone_dir p101)/log/deskphone.log"
t_check d_b_alive phone_ctl p101 ping
t_check d_b_still_talks talks p101 100
keys SW_LID=1
t_check d_hangup wait_event p101 CALL_CLOSED 10 4
t_check d_no_call_left t_wait_until 10 no_calls p101

# --- (e) a transferor that never hangs up (sipp): 101 ends the old call
# itself once 102 has answered ---
start_sipp referrer -sf "$DP_ROOT/test/sipp/refer_transferor.xml" -s 101 -m 1 \
	-key target "sip:102@127.0.0.1:$KAM_PORT" \
	-default_behaviors all,-abortunexp "127.0.0.1:$KAM_PORT"
t_check e_b_rings wait_event p101 CALL_INCOMING 15 3
t_check e_b_answers phone_ctl p101 answer
t_check e_target_rings wait_event p102 CALL_INCOMING 15 4
t_check e_target_sees_b event_has p102 CALL_INCOMING 4 '"peer":"sip:101@'
t_check e_target_answers phone_ctl p102 answer
t_check e_b_sent_bye wait_pid_exit "$SIPP_PID" 15
t_check e_logged grep -q 'transfer complete; ending the transferred call' \
	"$(phone_dir p101)/log/deskphone.log"
t_check e_b_talks_to_c talks p101 102
phone_ctl p102 hangup >/dev/null
t_check e_ended t_wait_until 10 no_calls p101

# --- (f) a transferor (sipp) that hangs up before the target answers:
# 101 goes on calling 102, and its screen takes that call ---
start_sipp referrer2 -sf "$DP_ROOT/test/sipp/refer_transferor.xml" -s 101 -m 1 \
	-set bye_early 1 \
	-key target "sip:102@127.0.0.1:$KAM_PORT" \
	-default_behaviors all,-abortunexp "127.0.0.1:$KAM_PORT"
t_check f_b_rings wait_event p101 CALL_INCOMING 15 4
t_check f_b_answers phone_ctl p101 answer
t_check f_target_rings wait_event p102 CALL_INCOMING 15 5
t_check f_transferor_gone wait_pid_exit "$SIPP_PID" 15
t_check f_b_left_sipp t_wait_until 10 not call_with p101 sipp
t_check f_target_answers phone_ctl p102 answer
t_check f_b_screen_shows_c t_wait_until 8 b_screen_has "Connected" "102"
t_check f_b_talks_to_c talks p101 102
t_check f_c_talks_to_b talks p102 101
phone_ctl p102 hangup >/dev/null
t_check f_ended t_wait_until 10 no_calls p101

[ "$T_FAILED" -gt 0 ] && show_screens
t_done
