#!/bin/bash
# The phone's image for real, emulated: the daemon starts from the image
# (`deskphone run` as the systemd unit runs it, as the deskphone user, in
# a chroot, with the shipped modules and settings; only the network, the
# account and the ALSA devices are the test's), calls a sipp UAS on
# 127.0.0.1 and hangs up; the image's CLI sees the call's events in order,
# and the call's audio went out through our ALSA module; then the image's
# CLI reads the call's record back (DP_ARM_CDR=no, from make test-arm
# ARM_TEST_CDR=no, leaves that out).
. "$(dirname "$0")/lib.sh"

arm_unpack_image || { t_fail image "could not unpack $ARM_IMAGE"; t_done; }
t_check runs_arm_programs sh -c "$ARM_RUN '$ARM_ROOT' /usr/bin/deskphone version | grep -q '^deskphone '"

# a local account without a registrar: the call goes straight to sipp
arm_write_config '<sip:100@127.0.0.1>;regint=0'
arm_start_phone || t_fail start "the daemon in the image did not answer on its socket"
t_check status arm_ctl status
arm_start_events

# --- a call out to a sipp UAS (180, 200, waits for BYE) ---
start_sipp uas -sn uas -m 1
far="sip:service@127.0.0.1:$SIPP_PORT"
t_check dial arm_ctl dial "$far"
t_check established wait_event arm CALL_ESTABLISHED 60
t_check status_shows_call sh -c "$ARM_RUN '$ARM_ROOT' /usr/bin/deskphone ctl status | grep -q '\"dir\":\"out\"'"
uid=$(awk -F: '$1 == "deskphone" { print $3 }' "$ARM_ROOT/etc/passwd")
runs_as() { [ -n "$1" ] && [ "$(awk '/^Uid:/ { print $2 }' "/proc/$1/status")" = "$2" ]; }
t_check baresip_runs_as_deskphone runs_as "$(arm_baresip_pid)" "$uid"
sleep 1
t_check hangup arm_ctl hangup
t_check closed wait_event arm CALL_CLOSED 30
t_check sipp_saw_complete_call wait_pid_exit "$SIPP_PID" 30
t_check event_order events_in_order arm \
	CALL_LOCAL_SDP CALL_RINGING CALL_REMOTE_SDP CALL_ESTABLISHED CALL_CLOSED
# the earpiece of whichever voice route the call used got its audio
played() { [ "$(cat "$ARM_ROOT"/var/lib/deskphone/*.ear.raw 2>/dev/null | wc -c)" -gt 0 ]; }
t_check audio_played_through_dpalsa played

# --- the call's record, read back by the image's CLI ---
if [ "${DP_ARM_CDR:-yes}" = yes ]; then
	if arm_run /usr/bin/deskphone help 2>&1 | grep -qE '^ +cdr '; then
		t_pass cli_has_cdr_command
		cdr_lists_call() { arm_run /usr/bin/deskphone cdr list 2>&1 | grep -qF "service@127.0.0.1:$SIPP_PORT"; }
		t_check cdr_lists_call t_wait_until 30 cdr_lists_call
	else
		t_fail cli_has_cdr_command "the image's 'deskphone help' lists no 'cdr' command: the CDR store (issue 6) is not in this build"
	fi
fi

t_done
