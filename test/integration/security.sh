#!/bin/bash
# The control socket as an attacker with access to it would use it
# (issue 15, finding 1): `cmd` passes only our own modules' commands.
# baresip's insmod (a shared object from outside the module directory,
# or the stock ctrl_tcp control port), rmmod, quit and anything unknown
# are refused, nothing new listens, the daemon keeps answering; and a
# settings value with a control character never reaches the config
# (finding 6).  docs/security.md.
. "$(dirname "$0")/../lib/harness.sh"

# A shared object whose constructor leaves a marker: proof that it ran.
EVIL_DIR=$T_DIR/x
MARKER=$T_DIR/evil-ran
mkdir -p "$EVIL_DIR"
cat > "$EVIL_DIR/evil.c" <<EOF
#include <fcntl.h>
#include <unistd.h>
__attribute__((constructor)) static void evil(void)
{
	int fd = open("$MARKER", O_WRONLY | O_CREAT, 0600);
	if (fd >= 0)
		close(fd);
}
EOF
${CC:-cc} -shared -fPIC -o "$EVIL_DIR/evil.so" "$EVIL_DIR/evil.c" ||
	t_fail evil_so "could not build the probe"
# the probe works: loaded into a program, it leaves its marker
LD_PRELOAD=$EVIL_DIR/evil.so /bin/true
t_check probe_leaves_marker [ -e "$MARKER" ]
rm -f "$MARKER"

write_phone_config sec "<sip:100@127.0.0.1:$(t_free_port)>;regint=0"
start_phone sec || t_fail start "phone did not answer on its socket"
BARESIP_PID=$(pgrep -P "$PHONE_PID_sec" -x baresip)
t_check baresip_found [ -n "$BARESIP_PID" ]

listeners() {   # the daemon's listening sockets (TCP LISTEN, every UDP one)
	"$DP_BUILD/test/dp-socklist" "$BARESIP_PID" |
		awk '($1 == "tcp" && $2 == "LISTEN") || $1 == "udp"' | sort
}
listeners > "$T_DIR/listen.before"
t_log "the daemon's listening sockets:"; sed 's/^/#   /' "$T_DIR/listen.before" >&2

# refused CHECK TEXT: `cmd TEXT` fails, with a refusal in the reply
refused() {
	local name=$1 out
	shift
	out=$(phone_ctl sec cmd "$@")
	if [ $? = 0 ]; then
		t_fail "$name" "cmd $* was accepted: $out"
		return
	fi
	case "$out" in
		*'"ok":false'*"is not one of the phone's own commands; refused"*)
			t_pass "$name" ;;
		*) t_fail "$name" "cmd $*: $out" ;;
	esac
}

UP=../../../../../../../../../../../../../../../..
refused insmod_outside_module_dir "insmod $UP$EVIL_DIR/evil"
refused insmod_absolute_path "insmod $EVIL_DIR/evil"
refused insmod_ctrl_tcp "insmod ctrl_tcp"
refused insmod_stock_ctrl_tcp "insmod $UP/usr/lib/baresip/modules/ctrl_tcp"
refused insmod_httpd "insmod $UP/usr/lib/baresip/modules/httpd"
refused rmmod "rmmod dpcore"
refused quit_command quit
refused unknown_command nosuch_command
refused prefix_of_ours dpalsa
refused longer_than_ours "dpprov_status2"
refused slash_form "/insmod ctrl_tcp"
refused control_characters $'\r\033[2Kinsmod x'

t_check evil_never_ran not test -e "$MARKER"
t_check daemon_still_answers phone_ctl sec ping
t_check refusal_logged grep -q "refused 'cmd insmod'" "$(phone_dir sec)/log/deskphone.log"
t_check refusal_log_has_no_control_characters not grep -q $'\033' "$(phone_dir sec)/log/deskphone.log"

listeners > "$T_DIR/listen.after"
t_check no_new_listener diff "$T_DIR/listen.before" "$T_DIR/listen.after"
t_check no_control_port not grep -qw 4444 "$T_DIR/listen.after"

# The only listeners: SIP on its port (UDP, TCP; TLS one above), RTP in
# its range, and libre's DNS client (two UDP sockets on ephemeral ports,
# answers to its own queries only).
SIP=$PHONE_PORT RTP_LO=$((PHONE_PORT + 2)) RTP_HI=$((PHONE_PORT + 40))
EPHEMERAL=$(awk '{ print $1 }' /proc/sys/net/ipv4/ip_local_port_range)
t_check only_sip_rtp_listen awk -v sip="$SIP" -v lo="$RTP_LO" -v hi="$RTP_HI" -v eph="$EPHEMERAL" '
	$1 == "tcp" && $3 == "127.0.0.1" && ($4 == sip || $4 == sip + 1) { next }
	$1 == "udp" && $3 == "127.0.0.1" && $4 == sip { next }
	$1 == "udp" && $4 >= lo && $4 <= hi { next }
	$1 == "udp" && ($3 == "0.0.0.0" || $3 == "::") && $4 >= eph && ++dns <= 2 { next }
	{ print "unexpected listener: " $0; bad = 1 }
	END { exit bad }' "$T_DIR/listen.after"
t_check config_names_no_network_module not grep -Eq '^module(_app|_tmp)? +(ctrl_tcp|httpd|cons|mqtt|ctrl_dbus)' \
	"$(phone_dir sec)/run/baresip/config"

# The allow-list names exactly the commands our modules register (their
# `struct cmd` tables): a new command is not refused by oversight, and
# nothing else is let through.
registered() { grep -ohE '^\s*\{ ?"dp[a-z]+_[a-z_]+"' "$DP_ROOT"/modules/*/*.c | grep -oE 'dp[a-z_]+' | sort; }
allowed() { sed -n '/our_commands\[\] = {/,/^};/p' "$DP_ROOT/modules/core/cmdline.c" | grep -oE '"dp[a-z_]+"' | tr -d '"' | sort; }
t_check allow_list_is_our_commands diff <(registered) <(allowed)
t_check allow_list_not_empty [ "$(allowed | wc -l)" -ge 20 ]

# Our own commands still pass.
t_check own_command_passes sh -c "'$DP_BIN' ctl --socket '$(phone_socket sec)' cmd dpprov_status | grep -q '\"ok\":true'"

# The socket's own quit (not baresip's) stops the daemon: whoever may use
# the socket may stop the phone (docs/security.md).
t_check socket_quit_stops_daemon phone_ctl sec quit
t_check daemon_exits wait_pid_exit "$PHONE_PID_sec" 15

# --- finding 6: a value with a control character never reaches the
# config; `deskphone run` refuses it (exit 2) and keeps the last good
# runtime directory as it was.
RUNDIR=$(phone_dir sec)/run/baresip
before=$(cat "$RUNDIR/config" "$RUNDIR/accounts" | sha256sum)
run_with() {    # run_with NAME ARGS...: `deskphone run` on phone sec's files
	local name=$1
	shift
	"$DP_BIN" run --config "$DP_FIRMWARE" --local "$(phone_dir sec)/local.conf" \
		"$@" >"$T_DIR/$name.out" 2>"$T_DIR/$name.err"
	echo $? > "$T_DIR/$name.rc"
}
err_has() { grep -qF -- "$2" "$T_DIR/$1.err" || { t_log "stderr: $(cat "$T_DIR/$1.err")"; false; }; }
run_with inj --set $'audio_ring=yes\ndptls_verify no'
t_check newline_in_set_exit_2 [ "$(cat "$T_DIR/inj.rc")" = 2 ]
t_check newline_in_set_named err_has inj "--set audio_ring: the value holds a control character (0x0a)"
run_with xy --set $'x=y\nz w' --check
t_check newline_in_any_set_exit_2 [ "$(cat "$T_DIR/xy.rc")" = 2 ]
t_check newline_in_any_set_named err_has xy "--set x: the value holds a control character (0x0a)"
printf 'audio_ring yes\003\n' > "$T_DIR/ctl.conf"
run_with ctl --local "$T_DIR/ctl.conf" --check
t_check control_in_file_exit_2 [ "$(cat "$T_DIR/ctl.rc")" = 2 ]
t_check control_in_file_named err_has ctl "$T_DIR/ctl.conf:1: the value of 'audio_ring' holds a control character (0x03)"
t_check last_good_runtime_kept [ "$before" = "$(cat "$RUNDIR/config" "$RUNDIR/accounts" | sha256sum)" ]
t_check no_injected_line not grep -q '^dptls_verify no' "$RUNDIR/config"

# A setting cannot bring in a stock module that opens a control port.
run_with tcp --set extra_modules=ctrl_tcp.so --check
t_check ctrl_tcp_module_exit_2 [ "$(cat "$T_DIR/tcp.rc")" = 2 ]
t_check ctrl_tcp_module_named err_has tcp "module ctrl_tcp.so would open a control port beside the control socket; refused"
run_with slash --set extra_modules=../../tmp/evil.so --check
t_check module_path_refused err_has slash "module name '../../tmp/evil.so' must be a plain file name"
t_check runtime_still_kept [ "$before" = "$(cat "$RUNDIR/config" "$RUNDIR/accounts" | sha256sum)" ]

t_done
