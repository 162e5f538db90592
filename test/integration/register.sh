#!/bin/bash
# The daemon registers with digest authentication; a wrong password is
# refused and the daemon keeps running; a registrar that appears late is
# found through our back-off.
. "$(dirname "$0")/../lib/harness.sh"

start_kamailio 100:secret100 101:secret101 || { t_fail kamailio "did not start"; t_done; }

write_phone_config good "$(account_line 100 secret100)"
start_phone good || t_fail start "phone did not answer on its socket"
t_check registers_with_digest_auth t_wait_until 15 phone_registered good

write_phone_config bad "$(account_line 101 wrong-password)"
start_phone bad || t_fail start_bad "phone did not answer on its socket"
start_events bad
t_check wrong_password_fails wait_event bad REGISTER_FAIL 15
t_check registrar_challenged grep -q '401 Unauthorized' "$(phone_dir bad)/log/deskphone.log"
t_check wrong_password_not_registered not phone_registered bad
t_check daemon_survives_failure phone_ctl bad ping
t_check password_not_in_log sh -c "! grep -rq 'wrong-password\|secret100' '$(phone_dir good)/log' '$(phone_dir bad)/log'"

t_check quit_stops_daemon phone_ctl good quit
t_check daemon_exits_cleanly wait_pid_exit "$PHONE_PID_good" 15

# A registrar that is down at boot: the phone keeps retrying with
# back-off and registers once it is up.
# (TCP, so that the refusal is immediate; over UDP the first attempt
# only fails after the 32 s transaction timeout.)
LATE_PORT=$(t_free_port)
write_phone_config late "<sip:100@127.0.0.1:$LATE_PORT;transport=tcp>;auth_pass=secret100;regint=60"
start_phone late || t_fail start_late "phone did not answer on its socket"
start_events late
t_check unreachable_registrar_fails wait_event late REGISTER_FAIL 20
t_check retries_with_backoff wait_event late REGISTER_FAIL 20 2
t_check daemon_survives_missing_registrar phone_ctl late ping
t_check backoff_logged grep -q 'next attempt in' "$(phone_dir late)/log/deskphone.log"

KAM_PORT_SAVED=$KAM_PORT
t_log "stopping the first registrar; starting one on the late phone's port"
t_stop_pid "$KAM_PID"
t_free_port() { echo "$LATE_PORT"; }
start_kamailio 100:secret100 || t_fail kamailio_late "did not start"
# The back-off doubles from 2 s (2, 4, 8, 16 s, less up to a quarter of
# jitter): a registrar that took long to start under load may only be
# tried again 16 s after it came up, so the wait covers that step.
t_check registers_when_registrar_appears t_wait_until 40 phone_registered late
KAM_PORT=$KAM_PORT_SAVED

t_done
