# shellcheck shell=bash
# ALSA devices without a sound card, for dpalsa's tests and benchmark.
# Source after harness.sh.
#
# alsa_config DIR CARD writes DIR/asound.conf: the system's ALSA config
# plus, for each voice route R (handset, headset, speaker), a PCM dp_R
# that plays into DIR/R.ear.raw and records from DIR/R.mic.raw through
# alsa-lib's file plugin, and dp_ringer playing into DIR/ringer.raw.
# CARD is what the file plugins sit on:
#   clock  dp-clockpcm.so, our test card with a clock (makes the
#          player wait like a real card; can underrun and overrun; its
#          starts are logged in DIR/timeline)
#   null   alsa-lib's null PCM (never makes anyone wait)
# With CARD clock, the headset is a card of its own that is plugged in
# while DIR/headset.present exists.
#
# alsa_phone_settings DIR prints the setting lines that point a phone's
# audio routes at these PCMs.

DP_AUDIO=$DP_BUILD/test/dp-audio

alsa_config() {
	local dir=$1 card=$2 r slave
	{
		echo "</usr/share/alsa/alsa.conf>"
		echo "pcm_type.dpclock { lib \"$DP_BUILD/test/dp-clockpcm.so\" }"
		echo "pcm.dp_card { type dpclock timeline \"$dir/timeline\" }"
		echo "pcm.dp_usb { type dpclock present \"$dir/headset.present\" }"
		for r in handset headset speaker; do
			slave=null
			[ "$card" = clock ] && slave=dp_card
			[ "$card" = clock ] && [ $r = headset ] && slave=dp_usb
			cat <<-EOF
			pcm.dp_$r {
			  type asym
			  playback.pcm { type file slave.pcm $slave file "$dir/$r.ear.raw" format raw perm 0600 }
			  capture.pcm { type file slave.pcm $slave file "/dev/null" infile "$dir/$r.mic.raw" format raw }
			}
			EOF
		done
		slave=null
		[ "$card" = clock ] && slave=dp_card
		echo "pcm.dp_ringer { type file slave.pcm $slave file \"$dir/ringer.raw\" format raw perm 0600 }"
	} > "$dir/asound.conf"
	: > "$dir/headset.present"
}

alsa_phone_settings() {
	local r
	echo "audio_modules dpalsa.so"
	echo "audio_source dpalsa,voice"
	echo "audio_player dpalsa,voice"
	echo "audio_alert dpalsa,ringer"
	for r in handset headset speaker ringer; do
		echo "audio_route_${r}_pcm dp_$r"
	done
}

# alsa_phone NAME DRIVER CARD USER:PASS [SETTINGS...]: a phone on the
# handset route of its own ALSA config on CARD (clock or null), its
# microphone a 1000 Hz tone.  DRIVER ours: dpalsa; stock: baresip's alsa
# module on the same PCMs.  ALSA_DIR_<NAME> is where its files are.
alsa_phone() {
	local name=$1 driver=$2 card=$3 up=$4 adir
	shift 4
	adir=$T_DIR/alsa-$name
	mkdir -p "$adir"
	alsa_config "$adir" "$card"
	"$DP_AUDIO" tone "$adir/handset.mic.raw" 8000 1000 -12 120 "${ALSA_MIC_LEAD_MS:-0}"
	eval "ALSA_DIR_$name=\$adir"
	if [ "$driver" = ours ]; then
		mapfile -t ALSA_SETTINGS < <(alsa_phone_settings)
	else
		ALSA_SETTINGS=("audio_modules alsa.so" "audio_source alsa,dp_handset"
			"audio_player alsa,dp_handset" "audio_alert alsa,dp_ringer")
	fi
	write_phone_config "$name" "$(account_line "${up%%:*}" "${up#*:}" ';audio_codecs=PCMU')" \
		"${ALSA_SETTINGS[@]}" "$@"
	ALSA_CONFIG_PATH=$adir/asound.conf start_phone "$name"
}

# cpu_ticks PID: user + system CPU time of a process, in clock ticks.
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }

# alsa_status NAME: the phone's /dpalsa_status JSON, unwrapped.
alsa_status() {
	phone_ctl "$1" cmd dpalsa_status | sed -e 's/^{"ok":true,"output":"//' \
		-e 's/\\n"}$//' -e 's/\\"/"/g'
}

# baresip_pid NAME: the baresip process of phone NAME (the only child of
# its `deskphone run`; under valgrind it is not called baresip).
baresip_pid() {
	local v="PHONE_PID_$1"
	pgrep -P "${!v}" | head -1
}

# analyze FILE RATE FREQ [FROM [TO]]: sets A_level A_snr A_worst A_gaps
# A_active A_first A_duration from dp-audio's line.
analyze() {
	local line
	line=$("$DP_AUDIO" analyze "$@") || return 1
	t_log "analyze $(basename "$1") $3 Hz ${4:-} ${5:-}: $line"
	A_duration=$(sed -n 's/.*duration_s=\([-0-9.]*\).*/\1/p' <<<"$line")
	A_active=$(sed -n 's/.*active_s=\([-0-9.]*\).*/\1/p' <<<"$line")
	A_first=$(sed -n 's/.*first_ms=\([-0-9]*\).*/\1/p' <<<"$line")
	A_level=$(sed -n 's/.*level_dbfs=\([-0-9.]*\).*/\1/p' <<<"$line")
	A_snr=$(sed -n 's/.*snr_db=\([-0-9.]*\).*/\1/p' <<<"$line")
	A_worst=$(sed -n 's/.*worst_db=\([-0-9.]*\).*/\1/p' <<<"$line")
	A_gaps=$(sed -n 's/.*gaps=\([0-9]*\).*/\1/p' <<<"$line")
}

# ge A B: A >= B, as decimals.
ge() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a + 0 >= b + 0) }'; }
# near A B TOL: |A - B| <= TOL.
near() { awk -v a="$1" -v b="$2" -v t="$3" 'BEGIN { d = a - b; if (d < 0) d = -d; exit !(d <= t) }'; }

# tone_ok FILE FREQ FROM TO LEVEL: FREQ at LEVEL dBFS (within 3 dB), SNR
# at least 25 dB, no gap, active through the range.
tone_ok() {
	analyze "$1" 8000 "$2" "$3" "${4:-}" || return 1
	ge "$A_snr" 25 && near "$A_level" "$5" 3 && [ "$A_gaps" = 0 ] &&
		ge "$A_active" 0.5
}

# tone_now FILE FREQ LEVEL: tone_ok over the last 1.5 s of a file that is
# being written (its last 0.2 s may still be in a buffer).  This machine
# may stall every process for 20 ms and more now and then (measured on
# the shared 2-core machine: twice in 10 s, real-time threads included);
# such a stall is an xrun, recovered, but it leaves a gap.  So a window
# with a gap is measured once more, over the next 1.5 s: a gap that
# comes back is ours.
tone_now() {
	tone_ok "$1" "$2" -1.7 -0.2 "$3" && return 0
	t_log "a glitch in $(basename "$1"); measuring the next 1.5 s"
	sleep 1.6
	tone_ok "$1" "$2" -1.7 -0.2 "$3"
}

# files_open_by PID PATTERN: the PID has a file open whose path matches.
files_open_by() {
	ls -l "/proc/$1/fd" 2>/dev/null | grep -q -- "$2"
}

# file_grows FILE: its size increases within a second.
file_grows() {
	local a b
	a=$(stat -c %s "$1" 2>/dev/null || echo 0)
	sleep 1
	b=$(stat -c %s "$1" 2>/dev/null || echo 0)
	[ "$b" -gt "$a" ]
}
