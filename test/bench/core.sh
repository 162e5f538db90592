#!/bin/bash
# The daemon's own footprint: resident memory once registered and idle,
# and the time from start to registered, for our daemon (stock baresip
# plus dpcore, through `deskphone run`) beside stock baresip alone on the
# same config, in the same run.
. "$(dirname "$0")/../lib/harness.sh"

rss_kb() { awk '/^VmRSS/ { print $2 }' "/proc/$1/status"; }
baresip_pid_of() { pgrep -P "$1" -x baresip; }

start_kamailio 100:bench100 101:bench101 >/dev/null || exit 1

# ours
write_phone_config ours "$(account_line 100 bench100)"
t0=$(date +%s%N)
start_phone ours >/dev/null || exit 1
t_wait_until 20 phone_registered ours || exit 1
t1=$(date +%s%N)
sleep 2
pid=$(baresip_pid_of "$PHONE_PID_ours")
echo "bench core ours idle_rss_kb $(rss_kb "$pid") kB"
echo "bench core ours start_to_registered_ms $(( (t1 - t0) / 1000000 )) ms"

# stock: the same rendered config without our modules (stock codecs)
dir=$(phone_dir stock)
write_phone_config stock "$(account_line 101 bench101)"
"$DP_BIN" run --config "$DP_FIRMWARE" --local "$dir/local.conf" --set app_modules= --set codec_modules=g722.so,g711.so --print-config \
	> "$T_DIR/stock.config" || exit 1
mkdir -p "$dir/cfg"
cp "$T_DIR/stock.config" "$dir/cfg/config"
cp "$dir/accounts" "$dir/cfg/accounts"
mkdir -p "$dir/run/modules"
for m in $(awk '$1 == "module" || $1 == "module_app" { print $2 }' "$dir/cfg/config"); do
	ln -sf "/usr/lib/baresip/modules/$m" "$dir/run/modules/$m"
done
t0=$(date +%s%N)
t_bg "$dir/baresip.log" /usr/bin/baresip -f "$dir/cfg"
spid=$T_LAST_PID
t_wait_until 20 grep -q '200 OK' "$dir/baresip.log" || exit 1
t1=$(date +%s%N)
sleep 2
echo "bench core stock-baresip idle_rss_kb $(rss_kb "$spid") kB"
echo "bench core stock-baresip start_to_registered_ms $(( (t1 - t0) / 1000000 )) ms"
