#!/bin/bash
# `make run`: the phone in this terminal, with a registrar and two far
# ends started on 127.0.0.1, so there is somebody to call and somebody
# who calls.  Everything stops when you quit.
#
#   100  this phone (our daemon and modules)
#   101  an answering far end: picks up at once and echoes your audio
#   102  a far end that calls you when you type `ring-me`
set -u
build=${1:-build}
export DP_BUILD=$build
# the test harness knows how to start kamailio and phones on free ports
. "$(dirname "$0")/../../test/lib/harness.sh"
t_done() { :; }

echo "deskphone demo: starting a registrar and two far ends on 127.0.0.1 ..."
start_kamailio 100:demo100 101:demo101 102:demo102 || { echo "kamailio did not start"; exit 1; }
write_phone_config echo101 "$(account_line 101 demo101 ';answermode=auto')"
start_phone echo101 || { echo "far end 101 did not start"; exit 1; }
write_phone_config caller102 "$(account_line 102 demo102)"
start_phone caller102 || { echo "far end 102 did not start"; exit 1; }
write_phone_config phone "$(account_line 100 demo100)"
start_phone phone || { echo "the phone did not start"; exit 1; }
t_wait_until 15 phone_registered phone || echo "warning: the phone has not registered yet"

# Show the phone's events as they happen, in words.
"$DP_BIN" ctl --socket "$(phone_socket phone)" --events 2>/dev/null |
	sed -u -n -E 's/.*"event":"([A-Z_]+)".*"peer":"([^"]*)".*/  [phone] \1 \2/p;
		      s/.*"event":"(REGISTER_[A-Z]+)".*"prm":"([^"]*)".*/  [phone] \1 \2/p' &
T_PIDS+=($!)

cat <<'HELP'

The phone (extension 100) is registered.  Commands:
  dial 101      call the echo far end (it answers and echoes)
  ring-me       extension 102 calls you; then `answer` or `hangup`
  answer | hangup | hold | resume | mute on|off | digit 123
  status        accounts and calls, as JSON
  log           the last lines of the phone's log
  quit          stop everything
HELP

while read -r -e -p "deskphone> " cmd args; do
	case "$cmd" in
		"") ;;
		quit|exit) break ;;
		help) echo "dial N | ring-me | answer | hangup | hold | resume | mute on|off | digit KEYS | status | log | quit" ;;
		log) tail -n 20 "$(phone_dir phone)/log/deskphone.log" ;;
		ring-me) phone_ctl caller102 dial 100 ;;
		*) phone_ctl phone "$cmd" $args ;;
	esac
done
echo "stopping ..."
