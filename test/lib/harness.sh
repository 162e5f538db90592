# shellcheck shell=bash
# The integration-test harness.  A test script sources this file, starts
# what it needs with the start_* functions, checks with t_check/t_pass/
# t_fail, and ends with t_done.  Every process it started is stopped on
# exit, whatever happened; on a failure the logs are shown.
#
# Everything listens on 127.0.0.1 on ports picked free at run time, so
# several tests (or checkouts) can run at once.
#
# Environment:
#   DP_BUILD   the build to test (default build/san), relative to the repo
#   DP_KEEP=1  keep the test's directory for a look afterwards

set -u
set -o pipefail

DP_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
DP_BUILD=$(cd "$DP_ROOT" && cd "${DP_BUILD:-build/san}" && pwd)
DP_BIN=$DP_BUILD/bin/deskphone
DP_TESTUTIL=$DP_BUILD/test/dp-testutil
DP_FIRMWARE=$DP_ROOT/firmware/etc/deskphone

T_NAME=$(basename "$0" .sh)
T_DIR=$(mktemp -d "${TMPDIR:-/tmp}/dp-$T_NAME.XXXXXX")
T_PASSED=0
T_FAILED=0
T_PIDS=()
T_LOGS=()

# Sanitizer builds: our modules are instrumented but /usr/bin/baresip is
# not, so the runtime has to be preloaded into it.  Reports go to files
# that t_done checks: a sanitizer finding fails the test.
if nm -D "$DP_BIN" 2>/dev/null | grep -c __asan_init >/dev/null; then
	DP_ASAN_LIB=$(${CC:-cc} -print-file-name=libasan.so)
	export ASAN_OPTIONS="detect_leaks=0:log_path=$T_DIR/asan:abort_on_error=0"
	export UBSAN_OPTIONS="print_stacktrace=1:log_path=$T_DIR/ubsan"
else
	DP_ASAN_LIB=
fi

t_log() { printf '# %s\n' "$*" >&2; }

t_pass() { T_PASSED=$((T_PASSED + 1)); printf 'PASS %s.%s\n' "$T_NAME" "$1"; }

t_fail() {
	T_FAILED=$((T_FAILED + 1))
	printf 'FAIL %s.%s: %s\n' "$T_NAME" "$1" "${2:-}"
}

# t_check NAME CMD...: pass when CMD succeeds.
t_check() {
	local name=$1; shift
	if "$@" >&2; then t_pass "$name"; else t_fail "$name" "$*"; fi
}

t_free_port() { "$DP_TESTUTIL" freeport; }

# t_wait_until SECONDS CMD...: poll CMD every 0.1 s until it succeeds.
t_wait_until() {
	local deadline=$((SECONDS + $1)); shift
	until "$@"; do
		[ "$SECONDS" -ge "$deadline" ] && return 1
		sleep 0.1
	done
}

# t_bg LOGFILE CMD...: start CMD in the background, remember it.
t_bg() {
	local log=$1; shift
	"$@" >"$log" 2>&1 &
	T_PIDS+=($!)
	T_LOGS+=("$log")
	T_LAST_PID=$!
}

t_stop_pid() {
	local pid=$1 i
	kill -TERM "$pid" 2>/dev/null || return 0
	for i in $(seq 1 100); do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	kill -KILL "$pid" 2>/dev/null || true
	wait "$pid" 2>/dev/null || true
}

t_cleanup() {
	local pid i alive
	trap - EXIT INT TERM HUP
	# Stop everything at once, newest first, then give it time to go.
	for ((i = ${#T_PIDS[@]} - 1; i >= 0; i--)); do
		kill -TERM "${T_PIDS[$i]}" 2>/dev/null
	done
	for i in $(seq 1 150); do
		alive=0
		for pid in "${T_PIDS[@]}"; do
			kill -0 "$pid" 2>/dev/null && alive=1
		done
		[ $alive = 0 ] && break
		sleep 0.1
	done
	for pid in "${T_PIDS[@]}"; do
		kill -KILL "$pid" 2>/dev/null
		wait "$pid" 2>/dev/null
	done
	if [ "${DP_KEEP:-0}" = 1 ]; then
		t_log "kept $T_DIR"
	else
		rm -rf "$T_DIR"
	fi
}
trap t_cleanup EXIT
trap 'exit 130' INT TERM HUP

t_sanitizer_check() {
	local f found=0
	for f in "$T_DIR"/asan.* "$T_DIR"/ubsan.*; do
		[ -e "$f" ] || continue
		found=1
		t_log "sanitizer report $f:"
		sed 's/^/#   /' "$f" >&2
	done
	if [ $found = 1 ]; then
		t_fail sanitizers "AddressSanitizer/UBSan reported errors"
	else
		t_pass sanitizers
	fi
}

# t_done: report sanitizer findings, show logs on failure, exit status.
t_done() {
	local log
	[ -n "$DP_ASAN_LIB" ] && t_sanitizer_check
	if [ "$T_FAILED" -gt 0 ]; then
		for log in "${T_LOGS[@]}"; do
			[ -s "$log" ] || continue
			t_log "---- last lines of $log"
			tail -n 40 "$log" | sed 's/^/#   /' >&2
		done
	fi
	[ "$T_FAILED" -eq 0 ]
	exit $?
}

# --- kamailio: a registrar with digest authentication -------------------

# start_kamailio USER:PASS...  sets KAM_PORT.  Calls to a user registered
# here are routed to the registered contact; calls to any other host are
# relayed there (a sipp peer, for example).
#
# With KAM_TLS="NAME..." (certificates made by t_make_pki: server,
# expired, wronghost), it also listens for SIP over TLS, one port per
# certificate, in KAM_TLS_PORT_<NAME>.  KAM_DEBUG=3 makes its log verbose
# (what the auth module computes, for the redactor's tests).
start_kamailio() {
	local dir=$T_DIR/kamailio users="" up tls_listen="" name port defs=()
	mkdir -p "$dir"
	KAM_PORT=$(t_free_port)
	for up in "$@"; do
		users="$users	\$sht(users=>${up%%:*}) = \"${up#*:}\";
"
	done
	if [ -n "${KAM_TLS:-}" ]; then
		defs=(-A WITH_TLS)
		printf '[client:default]\nverify_certificate = no\nrequire_certificate = no\n' \
			> "$dir/tls.cfg"
		for name in $KAM_TLS; do
			port=$(t_free_port)
			eval "KAM_TLS_PORT_$name=$port"
			tls_listen="${tls_listen}listen=tls:127.0.0.1:$port
"
			printf '[server:127.0.0.1:%s]\nmethod = TLSv1.2+\nverify_certificate = no\nrequire_certificate = no\nprivate_key = %s\ncertificate = %s\n\n' \
				"$port" "$PKI_DIR/$name.key" "$PKI_DIR/$name.crt" >> "$dir/tls.cfg"
		done
		# kamailio wants a default server domain as well
		printf '[server:default]\nmethod = TLSv1.2+\nprivate_key = %s\ncertificate = %s\n' \
			"$PKI_DIR/server.key" "$PKI_DIR/server.crt" >> "$dir/tls.cfg"
	fi
	sed -e "s/@PORT@/$KAM_PORT/g" -e "s|@RUNDIR@|$dir|g" \
	    -e "s/^debug=2$/debug=${KAM_DEBUG:-2}/" \
	    "$DP_ROOT/test/lib/kamailio.cfg.in" > "$dir/kamailio.cfg.tmp"
	awk -v users="$users" -v tls="$tls_listen" '{
		if ($0 ~ /@USERS@/) printf "%s", users;
		else if ($0 ~ /@TLS_LISTEN@/) printf "%s", tls;
		else print }' \
	    "$dir/kamailio.cfg.tmp" > "$dir/kamailio.cfg"
	kamailio -c "${defs[@]}" -f "$dir/kamailio.cfg" >"$dir/check.log" 2>&1 || {
		t_log "kamailio config check failed:"; sed 's/^/#   /' "$dir/check.log" >&2
		return 1
	}
	t_bg "$dir/kamailio.log" kamailio -DD -E "${defs[@]}" -f "$dir/kamailio.cfg" \
		-Y "$dir" -P "$dir/kamailio.pid" -m 32 -M 8
	KAM_PID=$T_LAST_PID
	t_wait_until 20 "$DP_TESTUTIL" udp-bound "$KAM_PORT" || return 1
	for name in ${KAM_TLS:-}; do
		eval "port=\$KAM_TLS_PORT_$name"
		t_wait_until 20 "$DP_TESTUTIL" tcp-bound "$port" || return 1
	done
}

# t_make_pki: a test CA and server certificates in PKI_DIR (see
# test/lib/make-pki.sh), made afresh for this run.
t_make_pki() {
	PKI_DIR=$T_DIR/pki
	"$DP_ROOT/test/lib/make-pki.sh" "$PKI_DIR"
}

# --- sipp peers ---------------------------------------------------------

# start_sipp NAME ARGS...: sipp on a free port (SIPP_PORT) in the
# background, with its logs in $T_DIR/NAME.
start_sipp() {
	local name=$1; shift
	local dir=$T_DIR/$name
	mkdir -p "$dir"
	SIPP_PORT=$(t_free_port)
	SIPP_MEDIA_PORT=$(t_free_port)
	( cd "$dir" && exec sipp -i 127.0.0.1 -p "$SIPP_PORT" -mp "$SIPP_MEDIA_PORT" \
		-nostdin -trace_err -trace_msg "$@" ) >"$dir/sipp.out" 2>&1 &
	T_PIDS+=($!)
	T_LOGS+=("$dir/sipp.out")
	T_LAST_PID=$!
	SIPP_PID=$!
	t_wait_until 10 "$DP_TESTUTIL" udp-bound "$SIPP_PORT"
}

# wait_pid_exit PID SECONDS: wait for a process of ours to finish;
# its exit status is returned.
wait_pid_exit() {
	local pid=$1 deadline=$((SECONDS + $2))
	while kill -0 "$pid" 2>/dev/null; do
		[ "$SECONDS" -ge "$deadline" ] && return 124
		sleep 0.1
	done
	wait "$pid"
}

# --- the phone ------------------------------------------------------------

# phone_dir NAME: where phone NAME keeps everything.
phone_dir() { echo "$T_DIR/$1"; }
phone_socket() { echo "$T_DIR/$1/run/ctrl.sock"; }

# write_phone_config NAME ACCOUNT-LINE [SETTING-LINES...]: the settings
# the tests layer over the shipped firmware defaults.
write_phone_config() {
	local name=$1 account=$2 dir line
	shift 2
	dir=$(phone_dir "$name")
	mkdir -p "$dir"
	PHONE_PORT=$(t_free_port)
	{
		echo "state_dir $dir/state"
		echo "run_dir $dir/run"
		echo "log_dir $dir/log"
		echo "module_dir $DP_BUILD/modules"
		echo "accounts_file $dir/accounts"
		echo "sip_listen 127.0.0.1:$PHONE_PORT"
		echo "net_interface 127.0.0.1"
		echo "rtp_ports $((PHONE_PORT + 2))-$((PHONE_PORT + 40))"
		# a null audio device until the ALSA module is ours
		echo "audio_modules aubridge.so"
		echo "audio_source aubridge,$name"
		echo "audio_player aubridge,$name"
		echo "audio_alert aubridge,${name}-alert"
		echo "reg_retry_min_s 1"
		echo "reg_retry_max_s 4"
		# no user interface unless a test asks for it (ui_modules dpui.so)
		echo "ui_modules"
		for line in "$@"; do echo "$line"; done
	} > "$dir/local.conf"
	printf '%s\n' "$account" > "$dir/accounts"
	chmod 600 "$dir/accounts"
}

# sim_ui_settings NAME: setting lines (one a line) for phone NAME with the
# user interface on the sim board: keys from the FIFO $(phone_dir NAME)/
# keypad (made here; hold it open as a writer), SW_LID as the hook switch,
# LEDs under leds/, the screen dumped to screen.txt.
sim_ui_settings() {
	local dir
	dir=$(phone_dir "$1")
	mkdir -p "$dir"
	[ -p "$dir/keypad" ] || mkfifo "$dir/keypad"
	printf '%s\n' "ui_modules dpui.so" "keypad_devices $dir/keypad" \
		"hook_switch SW_LID" "led_root $dir/leds" \
		"lcd_dump_file $dir/screen.txt" "deskphone_bin $DP_BIN"
}

# start_phone NAME [ARGS...]: start a phone configured with
# write_phone_config (ARGS go to `deskphone run`, e.g. --set key=value)
# and wait until its control socket answers.  With DP_RUN_AS=USER set,
# the daemon runs as that user (and its groups), without any privilege.
start_phone() {
	local name=$1 dir as=()
	shift
	dir=$(phone_dir "$name")
	[ -n "${DP_RUN_AS:-}" ] &&
		as=(setpriv --reuid="$DP_RUN_AS" --regid="$DP_RUN_AS" --init-groups \
		    --inh-caps=-all --bounding-set=-all --no-new-privs)
	if [ -n "$DP_ASAN_LIB" ]; then
		t_bg "$dir/run.out" "${as[@]}" env LD_PRELOAD="$DP_ASAN_LIB" \
			"$DP_BIN" run --config "$DP_FIRMWARE" --local "$dir/local.conf" "$@"
	else
		t_bg "$dir/run.out" "${as[@]}" "$DP_BIN" run --config "$DP_FIRMWARE" \
			--local "$dir/local.conf" "$@"
	fi
	eval "PHONE_PID_$name=$T_LAST_PID"
	T_LOGS+=("$dir/log/deskphone.log")
	"$DP_BIN" ctl --socket "$(phone_socket "$name")" --wait 20 ping >/dev/null
}

# phone_ctl NAME COMMAND...: one control command; its JSON reply on stdout.
phone_ctl() {
	local name=$1; shift
	"$DP_BIN" ctl --socket "$(phone_socket "$name")" "$@"
}

# start_events NAME: record phone NAME's event stream into
# $(phone_dir NAME)/events.jsonl.
start_events() {
	local name=$1 dir
	dir=$(phone_dir "$name")
	t_bg "$dir/events.jsonl" "$DP_BIN" ctl --socket "$(phone_socket "$name")" --events
	# the subscription is in place once the stream reader is connected
	sleep 0.3
}

# wait_event NAME EVENT [SECONDS] [NTH]: wait until EVENT was seen NTH times.
wait_event() {
	local file n
	file=$(phone_dir "$1")/events.jsonl
	n=${4:-1}
	t_wait_until "${3:-15}" sh -c "[ \$(grep -c '\"event\":\"$2\"' '$file') -ge $n ]"
}

# event_names NAME: the event names seen so far, one a line, in order.
event_names() {
	grep -o '"event":"[A-Z_]*"' "$(phone_dir "$1")/events.jsonl" | cut -d'"' -f4
}

# events_in_order NAME EVENT...: the events appear in this order (others
# may come between them), each sequence number one more than the last.
events_in_order() {
	local name=$1 file want got
	shift
	file=$(phone_dir "$name")/events.jsonl
	want=$(printf '%s\n' "$@")
	got=$(event_names "$name" | awk -v want="$want" '
		BEGIN { n = split(want, w, "\n"); i = 1 }
		i <= n && $0 == w[i] { print; i++ }')
	if [ "$got" != "$want" ]; then
		t_log "events seen: $(event_names "$name" | tr '\n' ' ')"
		return 1
	fi
	grep -o '"seq":[0-9]*' "$file" | cut -d: -f2 | awk '
		NR > 1 && $1 != prev + 1 { bad = 1 } { prev = $1 } END { exit bad }'
}

# phone_registered NAME: the phone's account says it is registered.
phone_registered() { phone_ctl "$1" status 2>/dev/null | grep -q '"registered":true'; }

# account_line USER PASSWORD [PARAMS]: an account for the test registrar,
# with calls routed through it.
account_line() {
	printf '<sip:%s@127.0.0.1:%s>;auth_pass=%s;regint=60;outbound="sip:127.0.0.1:%s;lr"%s' \
		"$1" "$KAM_PORT" "$2" "$KAM_PORT" "${3:-}"
}

# not CMD...: succeeds when CMD fails (for t_check).
not() { ! "$@"; }

# --- a stock baresip far end ------------------------------------------------

# start_far_baresip NAME ACCOUNT-LINE [CONFIG-LINES...]: Debian's baresip
# with stock modules only (g711, aubridge, srtp, account), its own config
# in $T_DIR/NAME, SIP trace in $T_DIR/NAME/baresip.log (with
# FAR_BARESIP_VERBOSE=1 its -v debug output too).  Add
# ;answermode=auto to the account for a far end that answers by itself.
start_far_baresip() {
	local name=$1 account=$2 dir port line
	shift 2
	dir=$T_DIR/$name
	mkdir -p "$dir"
	port=$(t_free_port)
	{
		echo "poll_method epoll"
		echo "sip_listen 127.0.0.1:$port"
		echo "net_interface 127.0.0.1"
		echo "rtp_ports $((port + 2))-$((port + 40))"
		echo "audio_player aubridge,$name"
		echo "audio_source aubridge,$name"
		echo "audio_alert aubridge,$name-alert"
		echo "module_path /usr/lib/baresip/modules"
		echo "module g711.so"
		echo "module aubridge.so"
		echo "module srtp.so"
		echo "module account.so"
		for line in "$@"; do echo "$line"; done
	} > "$dir/config"
	printf '%s\n' "$account" > "$dir/accounts"
	t_bg "$dir/baresip.log" /usr/bin/baresip -s ${FAR_BARESIP_VERBOSE:+-v} -f "$dir"
	FAR_PID=$T_LAST_PID
	t_wait_until 10 "$DP_TESTUTIL" udp-bound "$port"
}
