#!/bin/bash
# valgrind memcheck on the daemon: baresip with our modules (a build
# without sanitizers) registers, makes a call with media, takes one, and
# quits.  No memory error anywhere, no definite leak; the suppressions
# in test/valgrind/deskphone.supp cover what is not ours, each with its
# reason.
. "$(dirname "$0")/../lib/harness.sh"

# valgrind and AddressSanitizer do not mix: the plain build's modules.
PLAIN=$(cd "$DP_ROOT" && cd "${DP_MEMCHECK_BUILD:-build}" 2>/dev/null && pwd)
if [ -z "$PLAIN" ] || [ ! -f "$PLAIN/modules/dpcore.so" ]; then
	t_fail plain_build "no plain build with modules (make all); set DP_MEMCHECK_BUILD"
	t_done
fi
DP_ASAN_LIB=          # nothing preloaded into baresip here
VG_LOG=$T_DIR/valgrind
mkdir -p "$VG_LOG"
cat > "$T_DIR/baresip-memcheck" <<SH
#!/bin/sh
exec valgrind --tool=memcheck --leak-check=full --show-leak-kinds=definite \\
	--errors-for-leak-kinds=definite --track-origins=yes --num-callers=30 \\
	--suppressions="$DP_ROOT/test/valgrind/deskphone.supp" --gen-suppressions=all \\
	--log-file="$VG_LOG/memcheck.%p.log" /usr/bin/baresip "\$@"
SH
chmod +x "$T_DIR/baresip-memcheck"

start_kamailio 100:secret100 || { t_fail kamailio "did not start"; t_done; }
write_phone_config phone "$(account_line 100 secret100)" \
	"module_dir $PLAIN/modules" "baresip $T_DIR/baresip-memcheck"
DP_BIN=$PLAIN/bin/deskphone
start_phone phone || t_fail start "phone did not answer on its socket"
start_events phone
t_check under_valgrind sh -c "ls '$VG_LOG'/memcheck.*.log >/dev/null 2>&1"
t_check registered t_wait_until 60 phone_registered phone

# an outgoing call with media: sipp answers and echoes RTP
start_sipp uas -sn uas -m 1 -rtp_echo
t_check dial phone_ctl phone dial "sip:service@127.0.0.1:$SIPP_PORT"
t_check outgoing_established wait_event phone CALL_ESTABLISHED 60
t_check rtp_flows wait_event phone CALL_RTPESTAB 30
sleep 2
t_check hangup phone_ctl phone hangup
t_check outgoing_closed wait_event phone CALL_CLOSED 30

# an incoming call, answered, ended by the far end
start_sipp uac -sn uac -s 100 -m 1 -d 2000 "127.0.0.1:$KAM_PORT"
t_check incoming_rings wait_event phone CALL_INCOMING 60
t_check answer phone_ctl phone answer
t_check incoming_closed wait_event phone CALL_CLOSED 60 2
t_check control_socket_commands sh -c "'$DP_BIN' ctl --socket '$(phone_socket phone)' status | grep -q '\"registered\":true'"

t_check quit phone_ctl phone quit
t_check daemon_exits wait_pid_exit "$PHONE_PID_phone" 90

LOG=$(ls "$VG_LOG"/memcheck.*.log | head -n 1)
t_log "memcheck summary:"; grep -E 'ERROR SUMMARY|definitely lost|indirectly lost|possibly lost|suppressed:' "$LOG" | sed 's/^/#   /' >&2
t_check memcheck_finished grep -q 'ERROR SUMMARY' "$LOG"
t_check no_memory_errors grep -q 'ERROR SUMMARY: 0 errors' "$LOG"
t_check no_definite_leaks not grep -qE 'definitely lost: [1-9]' "$LOG"
if grep -q '^{' "$LOG"; then
	t_log "suppressions valgrind proposes (not ours? add with a reason):"
	sed -n '/^{/,/^}/p' "$LOG" | sed 's/^/#   /' >&2
fi

t_done
