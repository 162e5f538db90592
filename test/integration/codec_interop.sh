#!/bin/bash
# Our codecs on the wire.  Our daemon (dpcodec.so instead of the stock
# g711/g722 modules) calls, and is called by, stock baresip far ends
# (Debian's spandsp-based g722.so and librem-based g711.so) and sipp
# peers that echo RTP, once per codec.  Each side sends a test tone from
# a WAV file (stock aufile) and records what it decodes (stock sndfile).
# The tone that arrives is compared with the one sent: its SNR must come
# within $MARGIN_DB of what the same codec achieves offline on the same
# file (our encoder and decoder through `deskphone codec`).  G.722's
# tones include one at 5 kHz, which only a wideband path carries.
. "$(dirname "$0")/../lib/harness.sh"

# Loss of a packet or a jitter-buffer jump damages a block or two, and
# the median over ~60 blocks ignores those; the margin covers the far
# end's own (spandsp) coder, which is not bit-exact with ours.
MARGIN_DB=3
TONE=$DP_BUILD/test/dp-tone
SECONDS_OF_AUDIO=3

declare -A CODEC_NAME=([g722]=G722/16000/1 [pcmu]=PCMU [pcma]=PCMA)
declare -A CODEC_PT=([g722]=9 [pcmu]=0 [pcma]=8)
declare -A CODEC_RTPMAP=([g722]=G722/8000 [pcmu]=PCMU/8000 [pcma]=PCMA/8000)
declare -A CODEC_RATE=([g722]=16000 [pcmu]=8000 [pcma]=8000)
# our side's tones and the far end's, per sample rate
declare -A OUR_TONES=([16000]="1000 5000" [8000]="1000")
declare -A FAR_TONES=([16000]="700 6000" [8000]="700")
declare -A FAR_USER=([g722]=201 [pcmu]=202 [pcma]=203)

start_kamailio 100:secret100 201:secret201 202:secret202 203:secret203 ||
	{ t_fail kamailio "did not start"; t_done; }

# --- test signals and what the codecs do with them offline -------------
mkdir -p "$T_DIR/wav"
for rate in 16000 8000; do
	# shellcheck disable=SC2086
	"$TONE" wav "$T_DIR/wav/ours$rate.wav" "$rate" 30 7000 ${OUR_TONES[$rate]}
	# shellcheck disable=SC2086
	"$TONE" wav "$T_DIR/wav/far$rate.wav" "$rate" 30 7000 ${FAR_TONES[$rate]}
done
declare -A OFFLINE
for c in g722 pcmu pcma; do
	rate=${CODEC_RATE[$c]}
	for who in ours far; do
		tail -c +45 "$T_DIR/wav/$who$rate.wav" |
			"$DP_BIN" codec "$c" encode | "$DP_BIN" codec "$c" decode \
			> "$T_DIR/wav/$who-$c.raw"
		tones=OUR_TONES; [ $who = far ] && tones=FAR_TONES
		eval "t=\${$tones[$rate]}"
		# shellcheck disable=SC2086,SC2154
		OFFLINE[$who-$c]=$(RATE=$rate "$TONE" snr "$T_DIR/wav/$who-$c.raw" $t |
			awk '{ print $2 }')
		t_log "offline $c, $who tone: SNR ${OFFLINE[$who-$c]} dB"
	done
done

# --- the phones ---------------------------------------------------------
# ours: every codec, ours only; answers by itself; tone from src.wav
ours_dir=$(phone_dir ours)
write_phone_config ours "$(account_line 100 secret100 ';answermode=auto')" \
	"codec_modules dpcodec.so" \
	"audio_modules aubridge.so,aufile.so" \
	"audio_source aufile,$ours_dir/src.wav" \
	"extra_modules sndfile.so"
cp "$T_DIR/wav/ours16000.wav" "$ours_dir/src.wav"
# sndfile writes into the daemon's working directory
pushd "$ours_dir" >/dev/null && start_phone ours; popd >/dev/null || exit 1
t_check ours_registered t_wait_until 15 phone_registered ours
start_events ours
t_check ours_loaded_dpcodec grep -q 'dpcodec' "$ours_dir/run/baresip/config"
t_check ours_has_no_stock_codec not grep -qE '^module[[:space:]]+(g722|g711)\.so' \
	"$ours_dir/run/baresip/config"

# far ends: stock codecs only, one account each limited to one codec
for c in g722 pcmu pcma; do
	name=far_$c
	dir=$(phone_dir $name)
	rate=${CODEC_RATE[$c]}
	write_phone_config $name \
		"$(account_line "${FAR_USER[$c]}" "secret${FAR_USER[$c]}" \
			";answermode=auto;audio_codecs=${CODEC_NAME[$c]}")" \
		"codec_modules g722.so,g711.so" \
		"audio_modules aubridge.so,aufile.so" \
		"audio_source aufile,$T_DIR/wav/far$rate.wav" \
		"extra_modules sndfile.so"
	pushd "$dir" >/dev/null && start_phone $name; popd >/dev/null || exit 1
	start_events $name
done
for c in g722 pcmu pcma; do
	t_check "far_${c}_registered" t_wait_until 15 phone_registered far_$c
done

# take_recording DIR NAME: the decoded-audio file of the call that just
# ended, renamed NAME.wav
take_recording() {
	local f
	t_wait_until 5 sh -c "ls '$1'/dump-*-dec.wav >/dev/null 2>&1" || return 1
	sleep 0.3
	for f in "$1"/dump-*-dec.wav; do mv "$f" "$1/$2.wav"; done
	rm -f "$1"/dump-*-enc.wav
}

# check_audio CODEC FILE WHO-SENT LABEL: the tone in FILE against offline
check_audio() {
	local c=$1 file=$2 who=$3 label=$4 rate tones out snr amp2 off
	rate=${CODEC_RATE[$c]}
	if [ "$who" = ours ]; then tones=${OUR_TONES[$rate]}; else tones=${FAR_TONES[$rate]}; fi
	# shellcheck disable=SC2086
	out=$("$TONE" snr "$file" $tones) || { t_fail "$label" "no tone in $file: $out"; return; }
	snr=$(echo "$out" | awk '{ print $2 }')
	off=${OFFLINE[$who-$c]}
	t_log "$label: $out (offline $off dB)"
	echo "snr $label $snr dB offline $off dB" >> "$T_DIR/snr.txt"
	t_check "$label" awk -v a="$snr" -v b="$off" -v m=$MARGIN_DB 'BEGIN { exit !(a >= b - m) }'
	if [ "$c" = g722 ]; then
		amp2=$(echo "$out" | awk '{ print $6 }')
		# the 5/6 kHz tone arrives at (nearly) full level: wideband
		t_check "${label}_wideband" awk -v a="$amp2" 'BEGIN { exit !(a > 5000) }'
	fi
}

n_est=0
n_est_far=0
# call_far CODEC DIRECTION: one call between ours and the stock far end
call_far() {
	local c=$1 dir=$2 name=far_$1 fdir
	fdir=$(phone_dir $name)
	cp "$T_DIR/wav/ours${CODEC_RATE[$c]}.wav" "$ours_dir/src.wav"
	n_est=$((n_est + 1))
	if [ "$dir" = out ]; then
		t_check "${c}_out_dial" phone_ctl ours dial "sip:${FAR_USER[$c]}@127.0.0.1:$KAM_PORT"
	else
		t_check "${c}_in_dial" phone_ctl $name dial "sip:100@127.0.0.1:$KAM_PORT"
	fi
	t_check "${c}_${dir}_established" wait_event ours CALL_ESTABLISHED 15 $n_est
	sleep $SECONDS_OF_AUDIO
	phone_ctl ours hangup >/dev/null
	t_check "${c}_${dir}_closed" wait_event ours CALL_CLOSED 10 $n_est
	t_check "${c}_${dir}_recorded_ours" take_recording "$ours_dir" "$c-$dir-ours"
	t_check "${c}_${dir}_recorded_far" take_recording "$fdir" "$c-$dir-far"
	check_audio "$c" "$fdir/$c-$dir-far.wav" ours "${c}_${dir}_ours_to_stock_snr"
	check_audio "$c" "$ours_dir/$c-$dir-ours.wav" far "${c}_${dir}_stock_to_ours_snr"
}

for c in g722 pcmu pcma; do
	call_far $c out
	call_far $c in
done

# the codec each call used, from our daemon's log
t_check log_shows_our_g722 grep -q 'G722' "$ours_dir/log/deskphone.log"

# --- sipp peers echoing RTP: ours hears its own tone back --------------
# sipp_sdp CODEC: the SDP body for a scenario
sipp_sdp() {
	cat <<SDP
      v=0
      o=user1 53655765 2353687637 IN IP[local_ip_type] [local_ip]
      s=-
      c=IN IP[media_ip_type] [media_ip]
      t=0 0
      m=audio [media_port] RTP/AVP ${CODEC_PT[$1]}
      a=rtpmap:${CODEC_PT[$1]} ${CODEC_RTPMAP[$1]}
SDP
}

write_uas() {
	cat > "$T_DIR/uas-$1.xml" <<XML
<?xml version="1.0" encoding="ISO-8859-1" ?>
<scenario name="answer with $1 and echo">
  <recv request="INVITE" crlf="true"/>
  <send><![CDATA[
      SIP/2.0 200 OK
      [last_Via:]
      [last_From:]
      [last_To:];tag=[pid]SIPpTag01[call_number]
      [last_Call-ID:]
      [last_CSeq:]
      Contact: <sip:[local_ip]:[local_port];transport=[transport]>
      Content-Type: application/sdp
      Content-Length: [len]

$(sipp_sdp "$1")
    ]]></send>
  <recv request="ACK" rtd="true" crlf="true"/>
  <recv request="BYE"/>
  <send><![CDATA[
      SIP/2.0 200 OK
      [last_Via:]
      [last_From:]
      [last_To:]
      [last_Call-ID:]
      [last_CSeq:]
      Content-Length: 0

    ]]></send>
</scenario>
XML
}

write_uac() {
	cat > "$T_DIR/uac-$1.xml" <<XML
<?xml version="1.0" encoding="ISO-8859-1" ?>
<scenario name="offer $1 only and echo">
  <send retrans="500"><![CDATA[
      INVITE sip:[service]@[remote_ip]:[remote_port] SIP/2.0
      Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
      From: sipp <sip:sipp@[local_ip]:[local_port]>;tag=[pid]SIPpTag00[call_number]
      To: <sip:[service]@[remote_ip]:[remote_port]>
      Call-ID: [call_id]
      CSeq: 1 INVITE
      Contact: sip:sipp@[local_ip]:[local_port]
      Max-Forwards: 70
      Content-Type: application/sdp
      Content-Length: [len]

$(sipp_sdp "$1")
    ]]></send>
  <recv response="100" optional="true"/>
  <recv response="180" optional="true"/>
  <recv response="200" rtd="true"/>
  <send><![CDATA[
      ACK sip:[service]@[remote_ip]:[remote_port] SIP/2.0
      Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
      From: sipp <sip:sipp@[local_ip]:[local_port]>;tag=[pid]SIPpTag00[call_number]
      To: <sip:[service]@[remote_ip]:[remote_port]>[peer_tag_param]
      Call-ID: [call_id]
      CSeq: 1 ACK
      Contact: sip:sipp@[local_ip]:[local_port]
      Max-Forwards: 70
      Content-Length: 0

    ]]></send>
  <pause milliseconds="$((SECONDS_OF_AUDIO * 1000 + 1000))"/>
  <send retrans="500"><![CDATA[
      BYE sip:[service]@[remote_ip]:[remote_port] SIP/2.0
      Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
      From: sipp <sip:sipp@[local_ip]:[local_port]>;tag=[pid]SIPpTag00[call_number]
      To: <sip:[service]@[remote_ip]:[remote_port]>[peer_tag_param]
      Call-ID: [call_id]
      CSeq: 2 BYE
      Contact: sip:sipp@[local_ip]:[local_port]
      Max-Forwards: 70
      Content-Length: 0

    ]]></send>
  <recv response="200" crlf="true"/>
</scenario>
XML
}

for c in g722 pcmu pcma; do
	write_uas $c
	write_uac $c
	cp "$T_DIR/wav/ours${CODEC_RATE[$c]}.wav" "$ours_dir/src.wav"

	# ours calls sipp, which answers with this codec only
	start_sipp "uas_$c" -sf "$T_DIR/uas-$c.xml" -m 1 -rtp_echo
	n_est=$((n_est + 1))
	t_check "${c}_sipp_out_dial" phone_ctl ours dial "sip:echo@127.0.0.1:$SIPP_PORT"
	t_check "${c}_sipp_out_established" wait_event ours CALL_ESTABLISHED 15 $n_est
	sleep $SECONDS_OF_AUDIO
	phone_ctl ours hangup >/dev/null
	t_check "${c}_sipp_out_closed" wait_event ours CALL_CLOSED 10 $n_est
	t_check "${c}_sipp_out_complete" wait_pid_exit "$SIPP_PID" 15
	t_check "${c}_sipp_out_recorded" take_recording "$ours_dir" "$c-sipp-out"
	check_audio "$c" "$ours_dir/$c-sipp-out.wav" ours "${c}_sipp_out_echo_snr"

	# sipp calls ours through the registrar, offering this codec only
	start_sipp "uac_$c" -sf "$T_DIR/uac-$c.xml" -s 100 -m 1 -rtp_echo \
		"127.0.0.1:$KAM_PORT"
	n_est=$((n_est + 1))
	t_check "${c}_sipp_in_established" wait_event ours CALL_ESTABLISHED 15 $n_est
	t_check "${c}_sipp_in_complete" wait_pid_exit "$SIPP_PID" $((SECONDS_OF_AUDIO + 15))
	t_check "${c}_sipp_in_closed" wait_event ours CALL_CLOSED 10 $n_est
	t_check "${c}_sipp_in_recorded" take_recording "$ours_dir" "$c-sipp-in"
	check_audio "$c" "$ours_dir/$c-sipp-in.wav" ours "${c}_sipp_in_echo_snr"
done

[ -f "$T_DIR/snr.txt" ] && sed 's/^/# /' "$T_DIR/snr.txt" >&2
t_done
