#!/bin/bash
# Least privilege: the daemon runs as its own unprivileged user, keeps
# what it writes to itself (even under a careless umask), exposes only
# SIP and RTP on the network, and its control socket only to whom the
# socket file's mode allows.
. "$(dirname "$0")/../lib/harness.sh"

# The phone's own user, as firmware/systemd/deskphone.sysusers makes it.
# CI runs as root on a fresh machine: create it there.
if ! id deskphone >/dev/null 2>&1; then
	useradd --system --user-group --no-create-home --home-dir /var/lib/deskphone \
		--shell /usr/sbin/nologin deskphone 2>/dev/null || id deskphone >/dev/null ||
		{ t_fail user "cannot create the deskphone user (run as root)"; t_done; }
fi
DP_UID=$(id -u deskphone)

# What the daemon needs, where the deskphone user can read it (the
# checkout may sit under a private home directory).
chmod 1777 "$T_DIR"
mkdir -p "$T_DIR/ship/bin" "$T_DIR/ship/modules"
cp "$DP_BIN" "$T_DIR/ship/bin/"
cp "$DP_BUILD"/modules/*.so "$T_DIR/ship/modules/"
cp -R "$DP_FIRMWARE" "$T_DIR/ship/etc"
chmod -R a+rX "$T_DIR/ship"
DP_BIN=$T_DIR/ship/bin/deskphone
DP_FIRMWARE=$T_DIR/ship/etc

start_kamailio 100:secret100 101:secret101 || { t_fail kamailio "did not start"; t_done; }

# like systemd's RuntimeDirectory: made for the daemon, traversable, so
# that only the socket's own mode decides who may connect
new_phone() {
	local name=$1 dir
	shift
	write_phone_config "$name" "$@" "module_dir $T_DIR/ship/modules"
	dir=$(phone_dir "$name")
	mkdir -p "$dir/run"
	chmod 0711 "$dir/run"
	chown -R deskphone:deskphone "$dir"
	chmod 0700 "$dir"
	chmod 0711 "$dir"
}

umask 022
new_phone phone "$(account_line 100 secret100)"
DP_RUN_AS=deskphone start_phone phone || t_fail start "phone did not answer on its socket"
start_events phone
t_check registered t_wait_until 15 phone_registered phone

BARESIP_PID=$(pgrep -P "$PHONE_PID_phone" -x baresip)
t_check baresip_found [ -n "$BARESIP_PID" ]
uids() { awk '/^Uid:/ { print $2, $3, $4, $5 }' "/proc/$1/status"; }
t_check supervisor_runs_as_deskphone [ "$(uids "$PHONE_PID_phone")" = "$DP_UID $DP_UID $DP_UID $DP_UID" ]
t_check daemon_runs_as_deskphone [ "$(uids "$BARESIP_PID")" = "$DP_UID $DP_UID $DP_UID $DP_UID" ]
t_check daemon_has_no_capabilities grep -q '^CapEff:[[:space:]]*0*$' "/proc/$BARESIP_PID/status"

# --- a call, so that RTP sockets exist while we look ---
start_sipp uas -sn uas -m 1 -d 4000
t_check dial phone_ctl phone dial "sip:service@127.0.0.1:$SIPP_PORT"
t_check established wait_event phone CALL_ESTABLISHED 15

SOCKS=$T_DIR/sockets.txt
"$DP_BUILD/test/dp-socklist" "$BARESIP_PID" > "$SOCKS"
t_log "the daemon's sockets during a call:"; sed 's/^/#   /' "$SOCKS" >&2
SIP=$PHONE_PORT
RTP_LO=$((PHONE_PORT + 2)) RTP_HI=$((PHONE_PORT + 40))
CTRL=$(phone_socket phone)
# Allowed: TCP listeners on the SIP port and the TLS port (SIP + 1); UDP
# on the SIP port or in the RTP range; outgoing TCP only to the
# registrar; the control socket and unnamed UNIX sockets (its clients);
# and libre's DNS client, one IPv4 and one IPv6 socket on ephemeral
# ports (it takes only answers to its own queries).  baresip 1.0 binds
# RTP to the wildcard address whatever net_interface says; SIP sockets
# are on the configured address.
EPHEMERAL=$(awk '{ print $1 }' /proc/sys/net/ipv4/ip_local_port_range)
check_sockets() {
	awk -v sip="$SIP" -v lo="$RTP_LO" -v hi="$RTP_HI" -v ctrl="$CTRL" \
	    -v kam="$KAM_PORT" -v eph="$EPHEMERAL" '
		$1 == "tcp" && $2 == "LISTEN" && $3 == "127.0.0.1" &&
			($4 == sip || $4 == sip + 1) { next }
		$1 == "tcp" && $2 != "LISTEN" && $6 == kam { next }
		$1 == "udp" && $3 == "127.0.0.1" && $4 == sip { next }
		$1 == "udp" && $4 >= lo && $4 <= hi { next }
		$1 == "udp" && ($3 == "0.0.0.0" || $3 == "::") && $4 >= eph &&
			++dns <= 2 { next }
		$1 == "unix" && ($3 == ctrl || $3 == "(unnamed)") { next }
		{ print "unexpected socket: " $0; bad = 1 }
		END { exit bad }' "$SOCKS" >&2
}
t_check only_sip_rtp_dns_and_ctrl_sockets check_sockets
t_check has_rtp_socket awk -v lo="$RTP_LO" -v hi="$RTP_HI" '$1 == "udp" && $4 >= lo && $4 <= hi { f = 1 } END { exit !f }' "$SOCKS"
t_check has_ctrl_socket grep -qx "unix - $CTRL" "$SOCKS"

t_check hangup phone_ctl phone hangup
t_check closed wait_event phone CALL_CLOSED 10
wait_pid_exit "$SIPP_PID" 10 >/dev/null 2>&1 || true

# --- what the daemon wrote is its own, and private ---
DIR=$(phone_dir phone)
t_check state_dir_0700 [ "$(stat -c %a "$DIR/state" 2>/dev/null || echo none)" = 700 ]
t_check log_dir_0700 [ "$(stat -c %a "$DIR/log")" = 700 ]
t_check config_0600 [ "$(stat -c %a "$DIR/run/baresip/config")" = 600 ]
t_check accounts_copy_0600 [ "$(stat -c %a "$DIR/run/baresip/accounts")" = 600 ]
t_check log_0600 [ "$(stat -c %a "$DIR/log/deskphone.log")" = 600 ]
t_check daemon_files_owned_by_deskphone not sh -c "find '$DIR/run' '$DIR/log' ! -path '$DIR/run' ! -user deskphone | grep ."
found=$(find "$DIR/run" "$DIR/log" "$DIR/state" -mindepth 1 ! -type s ! -type l -perm /077 2>/dev/null)
[ -n "$found" ] && t_log "readable by others: $found"
t_check nothing_group_or_other_accessible [ -z "$found" ]
t_check ctrl_socket_mode_0660 [ "$(stat -c '%a %U' "$CTRL")" = "660 deskphone" ]

# --- the control socket: its file mode is the access control ---
setpriv --reuid=nobody --regid=nogroup --clear-groups \
	"$DP_BIN" ctl --socket "$CTRL" ping >"$T_DIR/nobody.out" 2>&1
t_check other_user_refused [ $? != 0 ]
t_check refused_by_permissions grep -q 'Permission denied' "$T_DIR/nobody.out"
t_check owner_allowed sh -c "setpriv --reuid=deskphone --regid=deskphone --init-groups '$DP_BIN' ctl --socket '$CTRL' ping | grep -q '\"ok\":true'"

# --- sip_transports udp: no TCP listener at all; and a state
# directory left open to others is made private before the start ---
new_phone udponly "$(account_line 101 secret101)" "sip_transports udp"
mkdir -p "$(phone_dir udponly)/state"
chown deskphone:deskphone "$(phone_dir udponly)/state"
chmod 0755 "$(phone_dir udponly)/state"
DP_RUN_AS=deskphone start_phone udponly || t_fail start_udponly "phone did not answer"
t_check udponly_registered t_wait_until 15 phone_registered udponly
"$DP_BUILD/test/dp-socklist" "$(pgrep -P "$PHONE_PID_udponly" -x baresip)" > "$T_DIR/udponly.txt"
t_check udponly_no_tcp_listener not grep -q '^tcp LISTEN' "$T_DIR/udponly.txt"
t_check udponly_has_udp grep -q "^udp - 127.0.0.1 $PHONE_PORT\$" "$T_DIR/udponly.txt"
t_check open_state_dir_tightened [ "$(stat -c %a "$(phone_dir udponly)/state")" = 700 ]
t_check tightening_noted grep -q 'state was open to others (mode 755); now 0700' "$(phone_dir udponly)/run.out"

t_done
