#!/bin/bash
# dpalsa through real calls, without a sound card: alsa-lib's file plugin
# plays each route's "microphone" file into the call and records the
# "earpiece" into a file, over our test card with a clock
# (test/lib/alsa.sh).  The far end is stock baresip: aufile sends a 600 Hz
# tone, sndfile records what it hears.  Each route's microphone has a
# tone of its own (handset 1000 Hz, speaker 1400 Hz, headset 700 Hz), so
# the far end's recording shows which route is live.
#
# Checked: both directions (tone, level, SNR, no gaps); route switches
# mid-call with the old device closed; an underrun and an overrun
# recovered; the headset unplugged mid-call (the call falls back to the
# handset and goes on) and plugged back in (the call returns to it);
# volume per route, kept across a restart; ringing on the ringer route
# while an incoming call waits; a call that starts on a device that
# cannot be opened; no device left open after the calls.
. "$(dirname "$0")/../lib/harness.sh"
. "$(dirname "$0")/../lib/alsa.sh"

ADIR=$T_DIR/alsa
mkdir -p "$ADIR"
alsa_config "$ADIR" clock
"$DP_AUDIO" tone "$ADIR/handset.mic.raw" 8000 1000 -12 60
"$DP_AUDIO" tone "$ADIR/speaker.mic.raw" 8000 1400 -12 60
"$DP_AUDIO" tone "$ADIR/headset.mic.raw" 8000 700 -12 60
"$DP_AUDIO" tone "$T_DIR/far.wav" 8000 600 -12 120

start_kamailio 100:secret100 200:secret200 || { t_fail kamailio "did not start"; t_done; }

# the far end: stock modules only
write_phone_config far "$(account_line 200 secret200 ';audio_codecs=PCMU;answermode=auto')" \
	"audio_modules aufile.so,aubridge.so" \
	"audio_source aufile,$T_DIR/far.wav" \
	"audio_player aubridge,far" \
	"extra_modules sndfile.so"
FAR_DIR=$(phone_dir far)
cd "$FAR_DIR" || exit 1          # sndfile records into the cwd
start_phone far || t_fail far_start "far end did not start"
cd "$DP_ROOT" || exit 1

# The far end's aufile sends with up to ~5 ms of scheduling jitter; with
# baresip's default 20 ms receive buffer and 20 ms packets that empties
# the buffer now and then at the start of a call (the core then inserts
# 10 ms of silence, whatever the driver).  40 ms keeps this test about us.
mapfile -t SETTINGS < <(alsa_phone_settings)
write_phone_config phone "$(account_line 100 secret100 ';audio_codecs=PCMU')" \
	"${SETTINGS[@]}" "audio_test_hooks yes" "audio_rx_buffer_ms 40-160"
export ALSA_CONFIG_PATH=$ADIR/asound.conf
start_phone phone || t_fail start "phone did not answer on its socket"
t_check registered t_wait_until 15 phone_registered phone
t_check far_registered t_wait_until 15 phone_registered far
start_events phone
BPID=$(baresip_pid phone)

status_has() { alsa_status phone | grep -q -- "$1"; }
far_dec() { ls -t "$FAR_DIR"/dump-*-dec.wav 2>/dev/null | head -1; }
# what the far end heard over the last 1.5 s
far_hears() { tone_now "$(far_dec)" "$1" -12; }
# what the phone played into a route's earpiece over the last 1.5 s
ear_gets() { tone_now "$ADIR/$1.ear.raw" 600 "${2:--12}"; }
no_call_closed() { ! grep -q '"event":"CALL_CLOSED"' "$(phone_dir phone)/events.jsonl"; }
xruns() { alsa_status phone | grep -o '"xruns":[0-9]*' | cut -d: -f2 | tr '\n' ' '; }
# every stream has had an xrun more than in $XRUNS_BEFORE (the machine
# may have caused some of its own before)
each_stream_one_more_xrun() {
	local before=($XRUNS_BEFORE) now i
	now=($(xruns))
	[ "${#now[@]}" = 2 ] || return 1
	for i in 0 1; do [ "${now[$i]}" -gt "${before[$i]}" ] || return 1; done
}
ringer_rang() { analyze "$ADIR/ringer.raw" 8000 440 && ge "$A_active" 0.5; }
volume_is() {
	phone_ctl phone cmd dpalsa_volume "$1" | grep -q "volume $1 $2"
}

# --- 1: an outgoing call on the handset -------------------------------------
t_check dial phone_ctl phone dial 200
t_check established wait_event phone CALL_ESTABLISHED 15
sleep 3
t_check handset_earpiece_hears_far_end ear_gets handset
t_check far_end_hears_handset_mic far_hears 1000
t_check negotiated_values_logged grep -q "dpalsa: handset capture (voice) 'dp_handset': 8000 Hz, 1 ch, period 80 frames (10.0 ms), buffer 240 frames (30.0 ms), paced by the device" "$(phone_dir phone)/log/deskphone.log"

# --- 2: to the speaker, mid-call --------------------------------------------
t_check route_speaker phone_ctl phone cmd dpalsa_route speaker
sleep 2.5
t_check speaker_earpiece_hears_far_end ear_gets speaker
t_check far_end_hears_speaker_mic far_hears 1400
t_check handset_closed not files_open_by "$BPID" "$ADIR/handset"
t_check handset_earpiece_silent not file_grows "$ADIR/handset.ear.raw"

# --- 3: an underrun and an overrun (the audio thread stalls 100 ms) ---------
XRUNS_BEFORE=$(xruns)
t_check stall phone_ctl phone cmd dpalsa_fault stall 100
t_check xruns_counted t_wait_until 5 each_stream_one_more_xrun
sleep 2
t_check audio_after_xrun ear_gets speaker
t_check far_end_after_xrun far_hears 1400
t_check xruns_logged grep -Eq "speaker playback 'dp_speaker': underrun, recovered \([0-9]+ so far\)" "$(phone_dir phone)/log/deskphone.log"

# --- 4: the headset ---------------------------------------------------------
t_check route_headset phone_ctl phone cmd dpalsa_route headset
sleep 2.5
t_check headset_earpiece_hears_far_end ear_gets headset
t_check far_end_hears_headset_mic far_hears 700

# --- 5: the headset is pulled out: the call goes on, on the handset --------
rm -f "$ADIR/headset.present"
t_check unplug_reported wait_event phone AUDIO_ERROR 5
t_check fallback_to_handset t_wait_until 5 status_has '"route":"handset","selected":"headset"'
t_check headset_listed_lost status_has '"lost":\["dp_headset"\]'
sleep 2.5
t_check fallback_earpiece_hears_far_end ear_gets handset
t_check far_end_hears_handset_again far_hears 1000
t_check call_survived_unplug no_call_closed
t_check unplug_logged grep -Eq "headset (capture|playback) \(voice\) 'dp_headset' failed: No such device" "$(phone_dir phone)/log/deskphone.log"

# --- 6: plugged back in: the call returns to the headset --------------------
: > "$ADIR/headset.present"
t_check back_on_headset t_wait_until 5 status_has '"route":"headset","selected":"headset"'
t_check nothing_lost status_has '"lost":\[\]'
sleep 2.5
t_check headset_again_hears_far_end ear_gets headset
t_check far_end_hears_headset_again far_hears 700

# --- 7: volume of the headset route, in the middle of the call --------------
t_check volume_down phone_ctl phone cmd dpalsa_volume 50
sleep 2.5
t_check volume_minus_12_db ear_gets headset -24

t_check hangup phone_ctl phone hangup
t_check closed wait_event phone CALL_CLOSED 10
t_check one_call_closed sh -c "[ \$(grep -c '\"event\":\"CALL_CLOSED\"' '$(phone_dir phone)/events.jsonl') = 1 ]"
t_check streams_gone t_wait_until 5 status_has '"streams":\[\]'
t_check no_device_open not files_open_by "$BPID" "$ADIR/"
t_check volume_saved t_wait_until 5 grep -qx 'headset 50' "$(phone_dir phone)/state/audio-volume.conf"

# --- 8: ringing, and a call that starts on a device that is not there -------
rm -f "$ADIR/headset.present"
t_check incoming phone_ctl far dial 100
t_check rings wait_event phone CALL_INCOMING 15
t_check ringing t_wait_until 5 status_has '"ringing":true'
t_check ringer_plays t_wait_until 5 ringer_rang
t_check answer phone_ctl phone answer
t_check incoming_established wait_event phone CALL_ESTABLISHED 10 2
t_check ringing_stopped t_wait_until 5 status_has '"ringing":false'
t_check ringer_closed t_wait_until 5 not files_open_by "$BPID" "$ADIR/ringer"
sleep 3
t_check missing_headset_falls_back_to_handset status_has '"route":"handset","selected":"headset"'
t_check missing_headset_call_has_audio ear_gets handset
t_check far_end_hears_fallback far_hears 1000
t_check hangup_incoming phone_ctl phone hangup
t_check incoming_closed wait_event phone CALL_CLOSED 10 2
t_check nothing_open_at_end t_wait_until 5 not files_open_by "$BPID" "$ADIR/"

# --- 9: the volume survives a restart -----------------------------------------
phone_ctl phone quit >/dev/null
wait_pid_exit "$PHONE_PID_phone" 15 >/dev/null 2>&1
start_phone phone || t_fail restart "phone did not come back"
t_check volume_kept_across_restart volume_is headset 50

# --- 10: the commands refuse what they do not know --------------------------
t_check volume_down_step sh -c "$DP_BIN ctl --socket $(phone_socket phone) cmd dpalsa_volume speaker down | grep -q 'volume speaker 90'"
t_check volume_up_capped sh -c "$DP_BIN ctl --socket $(phone_socket phone) cmd dpalsa_volume speaker up | grep -q 'volume speaker 100'"
t_check volume_over_100_refused not phone_ctl phone cmd dpalsa_volume handset 101
t_check unknown_route_refused not phone_ctl phone cmd dpalsa_route loudspeaker
t_check ringer_not_a_voice_route not phone_ctl phone cmd dpalsa_route ringer
t_check route_shown sh -c "$DP_BIN ctl --socket $(phone_socket phone) cmd dpalsa_route | grep -q 'route headset\|route handset'"

t_done
