#!/bin/bash
# `make run`: the phone in this terminal, on the simulated board, with a
# registrar and two far ends started on 127.0.0.1 (nothing to set up):
#
#   100  this phone: our daemon with the user interface (dpui) on the sim
#        board; `deskphone sim` draws its display and sends your keys
#   101  a far end that answers at once and plays a prompt
#   102  a far end that calls you when you press `!`, and answers by
#        itself (transfer 101 to it: `t`, then `102#`)
#
# Everything stops when you quit (q).
set -u
build=${1:-build}
export DP_BUILD=$build
# the test harness knows how to start kamailio and phones on free ports
. "$(dirname "$0")/../../test/lib/harness.sh"
t_done() { :; }

echo "deskphone demo: starting a registrar and two far ends on 127.0.0.1 ..."
start_kamailio 100:demo100 101:demo101 102:demo102 || { echo "kamailio did not start"; exit 1; }

# The prompt 101 plays: a little tune, made here (no file shipped).
prompt=$T_DIR/prompt.wav
sox -q -n -r 16000 -c 1 -b 16 "$T_DIR/tune.wav" synth 0.25 sine 523 : \
	synth 0.25 sine 659 : synth 0.25 sine 784 : synth 0.5 sine 1047 : \
	synth 0.75 sine 0 vol 0 && sox -q "$T_DIR/tune.wav" "$prompt" repeat 29 ||
	{ echo "sox could not make the prompt"; exit 1; }

write_phone_config echo101 "$(account_line 101 demo101 ';answermode=auto')" \
	"audio_modules aubridge.so,aufile.so" "audio_source aufile,$prompt"
start_phone echo101 || { echo "far end 101 did not start"; exit 1; }
write_phone_config caller102 "$(account_line 102 demo102 ';answermode=auto')"
start_phone caller102 || { echo "far end 102 did not start"; exit 1; }

# The phone: with a sound card you can talk; without one it is silent.
audio=()
if aplay -l 2>/dev/null | grep -q '^card'; then
	audio=("audio_modules alsa.so" "audio_source alsa,default" \
	       "audio_player alsa,default" "audio_alert alsa,default")
	sound="the sound card (alsa default)"
else
	sound="no sound card found: calls are silent"
fi
pdir=$(phone_dir phone)
mkdir -p "$pdir"
printf 'Echo Service <101>\nFront Desk <102>\n' > "$pdir/contacts"
write_phone_config phone "$(account_line 100 demo100 ';display_name="Demo Phone"')" \
	"ui_modules dpui.so" "contacts_file $pdir/contacts" \
	"lcd_dump_file $pdir/screen.txt" "${audio[@]}"
start_phone phone || { echo "the phone did not start"; exit 1; }
t_wait_until 15 phone_registered phone || echo "warning: the phone has not registered yet"

echo "audio: $sound"
sleep 1
"$DP_BIN" sim --socket "$pdir/run/sim.sock" \
	--title "extension 100 (101 answers with a tune, ! makes 102 call you)" \
	--legend "!  extension 102 calls you (then space to answer)" \
	--on-key "!=$DP_BIN ctl --socket $(phone_socket caller102) dial 100"
echo "stopping ..."
