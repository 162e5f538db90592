# shellcheck shell=bash
# Helpers for tests of the phone's image under qemu: the integration
# harness (test/lib/harness.sh: free ports, sipp, checks, clean-up) plus
# the image unpacked into the test's directory and its programs run there
# through test/arm/chroot-run.  The host side (sipp, free ports) runs
# natively from DP_BUILD.
#
# Environment:
#   DP_ARM_ARCH   armhf or arm64
#   DP_ARM_IMAGE  the image (make firmware), without .tar.gz

. "$(dirname "${BASH_SOURCE[0]}")/../lib/harness.sh"

ARM_ARCH=${DP_ARM_ARCH:?DP_ARM_ARCH: armhf or arm64}
ARM_IMAGE=${DP_ARM_IMAGE:?DP_ARM_IMAGE: the image, without .tar.gz}.tar.gz
ARM_ROOT=$T_DIR/root
ARM_RUN=$DP_ROOT/test/arm/chroot-run

# arm_unpack_image: the image, as shipped, into $ARM_ROOT.  /dev comes
# from the build machine at run time, as devtmpfs would on the board.
arm_unpack_image() {
	mkdir -p "$ARM_ROOT" &&
	tar -C "$ARM_ROOT" --exclude='./dev/*' -xzf "$ARM_IMAGE"
}

# arm_run PROGRAM [ARGS...]: one program of the image, as the daemon's user.
arm_run() { "$ARM_RUN" "$ARM_ROOT" "$@"; }

# arm_ctl COMMAND...: the image's CLI sends one control command.
arm_ctl() { arm_run /usr/bin/deskphone ctl --timeout 30 "$@"; }

# arm_write_config ACCOUNT-LINE [SETTING-LINES...]: the phone's local
# settings where provisioning puts them (${state_dir}/deskphone.local.conf),
# so that `deskphone run` starts exactly as the systemd unit starts it.
# Its audio routes are ALSA PCMs of the image's /etc/asound.conf, as a
# board's would be: alsa-lib's file plugin over its null PCM, the
# handset's earpiece into /var/lib/deskphone/handset.ear.raw, silence from
# the microphones.  Sets PHONE_PORT.
arm_write_config() {
	local account=$1 line r state=$ARM_ROOT/var/lib/deskphone
	shift
	PHONE_PORT=$(t_free_port)
	{
		echo "sip_listen 127.0.0.1:$PHONE_PORT"
		echo "net_interface 127.0.0.1"
		echo "rtp_ports $((PHONE_PORT + 2))-$((PHONE_PORT + 40))"
		echo "accounts_file /var/lib/deskphone/accounts"
		for r in handset headset speaker ringer; do
			echo "audio_route_${r}_pcm dp_$r"
		done
		for line in "$@"; do echo "$line"; done
	} > "$state/deskphone.local.conf"
	for r in handset headset speaker; do
		cat <<-EOF
		pcm.dp_$r {
		  type asym
		  playback.pcm { type file slave.pcm null file "/var/lib/deskphone/$r.ear.raw" format raw perm 0600 }
		  capture.pcm { type file slave.pcm null file "/dev/null" infile "/dev/zero" format raw }
		}
		EOF
	done > "$ARM_ROOT/etc/asound.conf"
	echo 'pcm.dp_ringer { type file slave.pcm null file "/var/lib/deskphone/ringer.raw" format raw perm 0600 }' \
		>> "$ARM_ROOT/etc/asound.conf"
	printf '%s\n' "$account" > "$state/accounts"
	chmod 600 "$state/accounts"
	chown --reference="$state" "$state/deskphone.local.conf" "$state/accounts"
	# what systemd's RuntimeDirectory= makes before the daemon starts
	install -d -m 0750 "$ARM_ROOT/run/deskphone"
	chown --reference="$state" "$ARM_ROOT/run/deskphone"
	mkdir -p "$(phone_dir arm)"
}

# arm_start_phone: `deskphone run` in the image; waits for its control
# socket.  Sets ARM_PHONE_PID (the emulated `deskphone run`).
arm_start_phone() {
	t_bg "$(phone_dir arm)/run.out" "$ARM_RUN" "$ARM_ROOT" /usr/bin/deskphone run
	ARM_PHONE_PID=$T_LAST_PID
	T_LOGS+=("$ARM_ROOT/var/log/deskphone/deskphone.log")
	# emulated start-up is slow: up to a minute
	arm_run /usr/bin/deskphone ctl --wait 60 --timeout 30 ping >/dev/null
}

# arm_start_events: the image's CLI records the event stream into
# $(phone_dir arm)/events.jsonl (read by wait_event, events_in_order).
arm_start_events() {
	t_bg "$(phone_dir arm)/events.jsonl" "$ARM_RUN" "$ARM_ROOT" /usr/bin/deskphone ctl --events
	t_wait_until 30 arm_ctl ping >/dev/null
	sleep 1
}

# arm_baresip_pid: the host's process id of the emulated baresip.
arm_baresip_pid() { pgrep -P "$ARM_PHONE_PID" | head -n 1; }

# rss_kb PID: resident memory of a process (for qemu-user: the guest's
# memory and qemu's own).
rss_kb() { awk '/^VmRSS/ { print $2 }' "/proc/$1/status"; }
