#!/bin/bash
# The phone's user interface end to end, through the real daemon: key
# events from a keypad (a FIFO read exactly like /dev/input/eventN) go in,
# SIP goes out through the registrar to stock-baresip far ends, and the
# screen (the sim board's headless dump) and the LEDs (sysfs-style files)
# are checked at each step.  Then: a keypad unplug and replug.
. "$(dirname "$0")/../lib/harness.sh"

INPUT=$DP_BUILD/test/dp-input

start_kamailio 100:secret100 101:secret101 102:secret102 ||
	{ t_fail kamailio "did not start"; t_done; }

# far ends: stock baresip with dpcore, answered by the test
write_phone_config far101 "$(account_line 101 secret101)"
start_phone far101 || t_fail start_far101 "far end 101 did not start"
write_phone_config far102 "$(account_line 102 secret102)"
start_phone far102 || t_fail start_far102 "far end 102 did not start"
start_events far101
start_events far102

# the phone under test: sim board, a FIFO keypad, LEDs in a directory
dir=$(phone_dir phone)
mkdir -p "$dir"
for led in message line speaker mute; do
	mkdir -p "$dir/leds/$led"
	echo 0 > "$dir/leds/$led/brightness"
	echo "[none] timer" > "$dir/leds/$led/trigger"
done
printf 'Echo Service <101>\nFront Desk <102>\n' > "$dir/contacts"
mapfile -t sim < <(sim_ui_settings phone)
write_phone_config phone "$(account_line 100 secret100)" "${sim[@]}" \
	"contacts_file $dir/contacts" \
	"ui_dial_timeout_s 3" \
	"provision_watch_dir $dir/usb" \
	"bundle_usb_dir $dir/usb"
mkdir -p "$dir/usb"
start_phone phone || t_fail start "phone did not answer on its socket"
start_events phone
# hold the keypad open as its writer, like a device that stays plugged in
# (after starting the processes, so that none of them inherits it)
exec 7<>"$dir/keypad"

screen() { cat "$dir/screen.txt" 2>/dev/null; }
screen_has() { grep -qF -- "$1" "$dir/screen.txt" 2>/dev/null; }
# see SECONDS TEXT: the screen shows TEXT within SECONDS
see() { t_wait_until "$1" screen_has "$2" || { t_log "screen:"; screen | sed 's/^/#   /' >&2; return 1; }; }
keys() { "$INPUT" "$@" >&7; }
led() { tr -d '\n' < "$dir/leds/$1/$2"; }
led_is() { [ "$(led "$1" brightness)" = "$2" ] && [ "$(led "$1" trigger)" = "$3" ]; }

# --- idle ---
t_check idle_registered see 20 "|100 Registered"
t_check idle_softkeys see 2 "|Hist Dir  DND  Menu"
t_check idle_leds_off sh -c "grep -q 'led message off led line off led speaker off led mute off' '$dir/screen.txt'"
t_check idle_led_files_off led_is line 0 none

# --- dialing: lift the handset, type 101, send with # ---
keys SW_LID=0
t_check offhook_dialing see 5 "|Dial:"
keys KEY_NUMERIC_1 KEY_NUMERIC_0 KEY_NUMERIC_1
t_check dialing_digits see 5 "|101_"
keys KEY_NUMERIC_2 KEY_BACKSPACE
t_check dialing_edit see 5 "|101_ "
keys KEY_NUMERIC_POUND
t_check far_end_rings wait_event far101 CALL_INCOMING 15
t_check ringing_screen see 10 "|Ringing..."
t_check ringing_peer see 2 "↗ Echo Service"

# --- connected, with a running timer ---
t_check far_answers phone_ctl far101 answer
t_check connected see 10 "Connected"
t_check connected_timer see 10 "00:02|"
t_check line_led_on t_wait_until 5 led_is line 1 none

# --- hold and resume (our own state: baresip 1.0 has no hold event) ---
keys KEY_PAUSE
t_check held see 5 "On hold"
t_check held_softkey see 2 "|Resm Xfer Mute  End"
t_check held_line_led_blinks t_wait_until 5 led_is line 1 timer
keys KEY_PAUSE
t_check resumed see 5 "Connected"
t_check resumed_line_led t_wait_until 5 led_is line 1 none

# --- mute ---
keys KEY_MICMUTE
t_check muted see 5 "Muted"
t_check mute_led_on t_wait_until 5 led_is mute 1 none
keys KEY_MICMUTE
t_check mute_led_off t_wait_until 5 led_is mute 0 none

# --- hang up: back to idle, the call in the history ---
keys SW_LID=1
t_check far_end_closed wait_event far101 CALL_CLOSED 10
t_check idle_again see 10 "|100 Registered"
t_check line_led_off t_wait_until 5 led_is line 0 none
keys KEY_LIST
t_check history_screen see 5 "|History"
t_check history_has_placed_call see 5 "|>↗Echo Service"
keys KEY_BACKSPACE
t_check history_back_to_idle see 5 "|100 Registered"

# --- redial from idle goes out on the speaker ---
keys KEY_AGAIN
t_check redial_rings wait_event far101 CALL_INCOMING 15 2
t_check redial_speaker_led t_wait_until 5 led_is speaker 1 none
keys KEY_F11
t_check speaker_key_ends_call wait_event far101 CALL_CLOSED 10 2
t_check speaker_led_off t_wait_until 5 led_is speaker 0 none

# --- incoming: answered by lifting the handset ---
see 10 "|100 Registered" >/dev/null
phone_ctl far102 dial 100 >/dev/null
t_check incoming_screen see 15 "|Incoming call"
t_check incoming_caller see 2 "↙ Front Desk"
t_check incoming_line_led_blinks t_wait_until 5 led_is line 1 timer
keys SW_LID=0
t_check answered_by_hook see 10 "Connected"
t_check caller_established wait_event far102 CALL_ESTABLISHED 10
phone_ctl far102 hangup >/dev/null
t_check call_ended_screen see 10 "|Call ended"
keys SW_LID=1
t_check idle_after_incoming see 10 "|100 Registered"

# --- DND: a call is turned away with 486 and counted as missed ---
keys KEY_F9
t_check dnd_on see 5 "DND"
phone_ctl far102 dial 100 >/dev/null
t_check dnd_rejects wait_event far102 CALL_CLOSED 15 2
t_check dnd_486 sh -c "grep '\"event\":\"CALL_CLOSED\"' '$(phone_dir far102)/events.jsonl' | tail -1 | grep -q 486"
t_check missed_counted see 5 "1 missed"
keys KEY_F9

# --- the directory: T9 search, dial from it ---
keys KEY_ADDRESSBOOK
t_check directory see 5 "|Directory"
keys KEY_NUMERIC_3 KEY_NUMERIC_7
t_check directory_t9 see 5 "|>Front Desk"
t_check directory_t9_filters not screen_has "Echo Service"
keys KEY_BACKSPACE KEY_BACKSPACE KEY_BACKSPACE
t_check directory_closed see 5 "|100 Registered"

# --- menu: privacy, clear history with confirmation ---
keys KEY_MENU KEY_DOWN KEY_ENTER
t_check privacy_screen see 5 "|Stored on phone:"
t_check privacy_counts see 2 "4 calls, 2 contacts"
keys KEY_BACKSPACE KEY_DOWN KEY_ENTER
t_check clear_confirm see 5 "|Clear history?"
keys KEY_ENTER
t_check cleared see 5 "History cleared"
keys KEY_BACKSPACE KEY_LIST
t_check history_empty see 5 "|No calls"
keys KEY_BACKSPACE
t_check no_password_on_screen not grep -q secret100 "$dir/screen.txt"

# --- the history comes from the call-record store: a restart keeps it ---
t_check history_from_store grep -q "call history: the call-record store" "$dir/log/deskphone.log"

# --- the privacy page: what is stored, per class, scrolled ---
keys KEY_MENU KEY_DOWN KEY_ENTER
t_check privacy_page see 5 "|Stored on phone:"
t_check privacy_retention see 2 "|Calls kept 30 days"
keys KEY_DOWN KEY_DOWN KEY_DOWN
t_check privacy_page_scrolls see 5 "|Log: "
t_check privacy_page_no_audio see 5 "|No audio recorded"
keys KEY_BACKSPACE

# --- restrict from the menu: the display shows nothing stored ---
keys KEY_DOWN KEY_DOWN KEY_ENTER
t_check restrict_from_menu see 5 "|>Restrict: on"
keys KEY_BACKSPACE KEY_LIST
t_check history_restricted see 5 "|Restricted:"
t_check history_refusal_audited t_wait_until 5 grep -q '"event":"access_refused","what":"history_display"' "$dir/state/audit.jsonl"
# a debug bundle is refused while restricted
keys KEY_BACKSPACE KEY_MENU KEY_DOWN KEY_DOWN KEY_DOWN KEY_DOWN KEY_DOWN KEY_DOWN KEY_ENTER
t_check bundle_page see 5 "|Debug bundle"
t_check bundle_refused_restricted see 60 "|processing is"
keys KEY_BACKSPACE KEY_UP KEY_UP KEY_UP KEY_ENTER
t_check restrict_off_from_menu see 5 "|>Restrict: off"

# --- a debug bundle to the USB directory, made without blocking the phone ---
keys KEY_DOWN KEY_DOWN KEY_DOWN KEY_ENTER
t_check bundle_saved see 60 "|Bundle saved"
t_check bundle_on_usb sh -c "ls '$dir/usb'/deskphone-bundle-*.tar | grep -q ."
t_check bundle_verifies sh -c "'$DP_BIN' bundle verify \$(ls '$dir/usb'/deskphone-bundle-*.tar | head -1)"
t_check bundle_name_on_screen see 2 "|deskphone-bundle-"

# --- provisioning from USB: no stick there, refused with the reason ---
keys KEY_BACKSPACE KEY_UP KEY_ENTER
t_check provision_page see 5 "|Provisioning"
t_check provision_refused see 20 "|Refused:"
t_check provision_reason see 2 "|no deskphone-provis"

# --- erase from the menu, with a confirmation ---
keys KEY_BACKSPACE KEY_UP KEY_ENTER
t_check erase_confirm see 5 "|Erase my data?"
keys KEY_ENTER
t_check erased_note see 10 "Data erased"
keys KEY_BACKSPACE KEY_LIST
t_check history_empty_after_erase see 10 "|No calls"
t_check erase_audited grep -q '"event":"erase"' "$dir/state/audit.jsonl"
keys KEY_BACKSPACE

# --- restricted from the command line: the privacy module pushes the
# change to the UI (an event through the application core, nothing
# polled), and the list on the LCD follows without a key ---
keys KEY_LIST
t_check list_before_cli_restrict see 5 "|No calls"
"$DP_BIN" ctl --socket "$(phone_socket phone)" cmd dpprivacy_restrict on > /dev/null
t_check list_restricted_from_cli see 10 "|Restricted:"
"$DP_BIN" ctl --socket "$(phone_socket phone)" cmd dpprivacy_restrict off > /dev/null
t_check list_back_from_cli see 10 "|No calls"
keys KEY_BACKSPACE

# --- the keypad is unplugged and comes back ---
exec 7>&-
rm -f "$dir/keypad"
t_check unplug_noticed t_wait_until 10 grep -q "keypad closed; waiting" "$dir/log/deskphone.log"
mkfifo "$dir/keypad"
exec 7<>"$dir/keypad"
t_check replug_noticed t_wait_until 10 grep -q "keypad is back" "$dir/log/deskphone.log"
keys KEY_LIST
t_check keys_after_replug see 5 "|History"

# --- the screen through the control socket, and the sim socket ---
t_check screen_command sh -c "'$DP_BIN' ctl --socket '$(phone_socket phone)' cmd dpui_screen | grep -q History"
t_check sim_socket_keys_and_screen sh -c "'$DP_BIN' sim --socket '$dir/run/sim.sock' --key back --screen | grep -q '│100 Registered'"

t_done
