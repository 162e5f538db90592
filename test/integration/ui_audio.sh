#!/bin/bash
# The user interface and the audio module together, as shipped: one ring
# (the UI's, on the ringer route; the audio module's own ringer switched
# off), the hook and the speaker key moving the call between routes.
. "$(dirname "$0")/../lib/harness.sh"
. "$(dirname "$0")/../lib/alsa.sh"

INPUT=$DP_BUILD/test/dp-input

start_kamailio 100:secret100 101:secret101 || { t_fail kamailio "did not start"; t_done; }
write_phone_config far101 "$(account_line 101 secret101)"
start_phone far101 || t_fail start_far101 "far end 101 did not start"

dir=$(phone_dir phone)
mkdir -p "$dir"
mkfifo "$dir/keypad"
mkdir -p "$T_DIR/alsa-phone"
"$DP_AUDIO" tone "$T_DIR/alsa-phone/speaker.mic.raw" 8000 1000 -12 120 0
alsa_phone phone ours null 100:secret100 \
	"ui_modules dpui.so" \
	"keypad_devices $dir/keypad" \
	"hook_switch SW_LID" \
	"lcd_dump_file $dir/screen.txt" ||
	t_fail start "phone did not answer on its socket"
adir=$ALSA_DIR_phone
start_events phone
exec 7<>"$dir/keypad"
keys() { "$INPUT" "$@" >&7; }
screen_has() { grep -qF -- "$1" "$dir/screen.txt" 2>/dev/null; }
size_of() { stat -c %s "$1" 2>/dev/null || echo 0; }
grows() { local a; a=$(size_of "$1"); sleep 0.5; [ "$(size_of "$1")" -gt "$a" ]; }
still() { local a; a=$(size_of "$1"); sleep 0.5; [ "$(size_of "$1")" -eq "$a" ]; }
route_is() { phone_ctl phone cmd dpalsa_route | grep -q "route $1"; }

t_check registered t_wait_until 20 phone_registered phone
t_check ui_took_the_ringer sh -c "'$DP_BIN' ctl --socket '$(phone_socket phone)' cmd dpalsa_ring | grep -q 'ring off'"

# an incoming call rings once: the UI's ring tone on the ringer PCM, and
# the audio module's own ringer stays silent
t_check far_dials phone_ctl far101 dial 100
t_check incoming wait_event phone CALL_INCOMING 15
t_check ringer_plays t_wait_until 5 grows "$adir/ringer.raw"
module_ringer_silent() { alsa_status phone | grep -q '"ringing":false'; }
t_check one_ringer module_ringer_silent

# lifting the handset answers on the handset route; the ring stops
keys SW_LID=0
t_check answered_by_hook wait_event phone CALL_ESTABLISHED 10
t_check on_handset t_wait_until 5 route_is handset
t_check ring_stopped t_wait_until 5 still "$adir/ringer.raw"
t_check handset_earpiece_plays t_wait_until 5 grows "$adir/handset.ear.raw"

# the speaker key moves the call to the speaker; the call goes on
keys KEY_F11
t_check on_speaker t_wait_until 5 route_is speaker
t_check speaker_plays t_wait_until 5 grows "$adir/speaker.ear.raw"
t_check call_still_up sh -c "'$DP_BIN' ctl --socket '$(phone_socket phone)' status | grep -q '\"state\":5'"

keys KEY_F11 SW_LID=1
t_check hung_up wait_event phone CALL_CLOSED 10

t_done
