#!/bin/bash
# No busy loop: the daemon's CPU time during a 10 s call on a device that
# never blocks (alsa-lib's null PCM, under the file plugin) stays at the
# level of the same call on a device with a clock (our test card).  Both
# phones call a sipp UAS that echoes the audio, at the same time, so that
# whatever else the machine does weighs on both alike.  The measured
# figures go to the log; `make bench` reports them (test/bench/alsa.sh).
. "$(dirname "$0")/../lib/harness.sh"
. "$(dirname "$0")/../lib/alsa.sh"

CALL_S=10

start_kamailio 100:secret100 101:secret101 || { t_fail kamailio "did not start"; t_done; }
alsa_phone nb ours null 100:secret100 || t_fail start_nb "phone on the null PCM did not start"
alsa_phone ref ours clock 101:secret101 || t_fail start_ref "phone on the clocked card did not start"
t_check registered t_wait_until 15 phone_registered nb
t_check ref_registered t_wait_until 15 phone_registered ref
start_events nb
start_events ref

start_sipp echo_nb -sn uas -m 1 -rtp_echo
PORT_NB=$SIPP_PORT
start_sipp echo_ref -sn uas -m 1 -rtp_echo
PORT_REF=$SIPP_PORT

t_check dial_nb phone_ctl nb dial "sip:echo@127.0.0.1:$PORT_NB"
t_check dial_ref phone_ctl ref dial "sip:echo@127.0.0.1:$PORT_REF"
t_check established_nb wait_event nb CALL_ESTABLISHED 15
t_check established_ref wait_event ref CALL_ESTABLISHED 15
sleep 1

PID_NB=$(baresip_pid nb)
PID_REF=$(baresip_pid ref)
EAR_NB=$ALSA_DIR_nb/handset.ear.raw
a_nb=$(cpu_ticks "$PID_NB"); a_ref=$(cpu_ticks "$PID_REF")
bytes0=$(stat -c %s "$EAR_NB")
t0=$(date +%s%N)
sleep $CALL_S
b_nb=$(cpu_ticks "$PID_NB"); b_ref=$(cpu_ticks "$PID_REF")
bytes1=$(stat -c %s "$EAR_NB")
t1=$(date +%s%N)

nb=$((b_nb - a_nb)) ref=$((b_ref - a_ref))
wall_ms=$(( (t1 - t0) / 1000000 ))
played_ms=$(( (bytes1 - bytes0) / 16 ))
t_log "CPU over ${wall_ms} ms: null PCM ${nb} ticks, clocked card ${ref} ticks (1 tick = 1/$(getconf CLK_TCK) s); null PCM took ${played_ms} ms of audio"

paced_by() { alsa_status "$1" | grep -q "\"paced_by\":\"$2\""; }
t_check paced_by_our_clock paced_by nb clock
t_check paced_by_the_card paced_by ref device
# a generous bound: three times the reference, plus 0.2 s
t_check cpu_at_blocking_level [ "$nb" -le $((3 * ref + 20)) ]
# the null PCM swallows anything: it got real time's worth, not more
t_check null_pcm_got_real_time_audio [ "$played_ms" -le $((wall_ms + 100)) ]
t_check null_pcm_got_all_audio [ "$played_ms" -ge $((wall_ms * 9 / 10)) ]

t_check hangup_nb phone_ctl nb hangup
t_check hangup_ref phone_ctl ref hangup
# the call really carried audio both ways (its quality is audio.sh's job)
echo_heard() {
	analyze "$EAR_NB" 8000 1000 1 -1 && near "$A_level" -12 3 &&
		ge "$A_active" $((CALL_S * 8 / 10)) && ge "$A_snr" 15
}
t_check echo_heard echo_heard
t_done
