#!/bin/bash
# The daemon's memory on the phone's architecture, EMULATED: the image's
# daemon in a chroot under qemu-user (test/arm/lib.sh), idle and in a call
# to a sipp UAS, beside Debian's baresip alone on the same configuration
# from the same image.  Resident memory of an emulated process is the
# guest's plus qemu's own (its translation cache above all): compare ours
# with stock here, not with the native figures of test/bench/core.sh.
DP_BUILD=build	# the host side (free ports) is native
. "$(dirname "$0")/../arm/lib.sh"

arch=$ARM_ARCH-qemu
arm_unpack_image || exit 1
arm_write_config '<sip:100@127.0.0.1>;regint=0'
arm_start_phone || exit 1
sleep 3
pid=$(arm_baresip_pid)
echo "bench arm $arch:ours idle_rss_kb $(rss_kb "$pid") kB"
echo "bench arm $arch:deskphone-run idle_rss_kb $(rss_kb "$ARM_PHONE_PID") kB"

arm_start_events
start_sipp uas -sn uas -m 1
arm_ctl dial "sip:service@127.0.0.1:$SIPP_PORT" >/dev/null || exit 1
wait_event arm CALL_ESTABLISHED 60 || exit 1
sleep 3
echo "bench arm $arch:ours in_call_rss_kb $(rss_kb "$pid") kB"
arm_ctl hangup >/dev/null
wait_event arm CALL_CLOSED 30 || exit 1
arm_ctl quit >/dev/null 2>&1
wait_pid_exit "$ARM_PHONE_PID" 30 >/dev/null 2>&1

# stock: the same rendered config with Debian's modules in place of ours
# (its G.722/G.711 and ALSA driver on the same PCMs, no module_app, no UI)
stock=/var/lib/deskphone/stock
mkdir -p "$ARM_ROOT$stock/modules"
arm_run /usr/bin/deskphone run --set "run_dir=$stock" --set app_modules= --set ui_modules= \
	--set srtp_app_modules= --set sip_modules= --set codec_modules=g722.so,g711.so \
	--set audio_modules=alsa.so --set audio_source=alsa,dp_handset \
	--set audio_player=alsa,dp_handset --set audio_alert=alsa,dp_ringer \
	--print-config > "$ARM_ROOT$stock/config" || exit 1
cp -p "$ARM_ROOT/var/lib/deskphone/accounts" "$ARM_ROOT$stock/accounts"
for m in $(awk '$1 == "module" || $1 == "module_app" { print $2 }' "$ARM_ROOT$stock/config"); do
	[ -e "$ARM_ROOT/usr/lib/baresip/modules/$m" ] || { echo "stock config names $m, not a Debian module" >&2; exit 1; }
	ln -sf "/usr/lib/baresip/modules/$m" "$ARM_ROOT$stock/modules/$m"
done
chown -R --reference="$ARM_ROOT/var/lib/deskphone" "$ARM_ROOT$stock"
t_bg "$T_DIR/stock.log" "$ARM_RUN" "$ARM_ROOT" /usr/bin/baresip -f "$stock"
spid=$T_LAST_PID
t_wait_until 60 grep -q 'baresip is ready' "$T_DIR/stock.log" || exit 1
sleep 3
echo "bench arm $arch:stock-baresip idle_rss_kb $(rss_kb "$spid") kB"
