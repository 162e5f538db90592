#!/bin/bash
# dpalsa against baresip's stock alsa module, on the same calls and the
# same PCMs (test/lib/alsa.sh: alsa-lib's file plugin over our test card
# with a clock, or over the null PCM, which never blocks).  Every call
# goes to a sipp UAS that echoes the audio, G.711 u-law.
#
#   instr_per_s      callgrind: instructions the whole baresip process
#                    executes per second of call, on the card with a
#                    clock (the call's codec and RTP work is the same for
#                    both; the difference is the driver)
#   driver_instr_per_s  the part spent in the driver itself: the module's
#                    own code and libasound (self cost)
#   cpu_ms_per_s     CPU time (utime+stime from /proc) per second of call;
#                    -null: on the null PCM, where a driver that relies on
#                    the device to wait spins
#   roundtrip_ms     the microphone file's tone onset to the earpiece
#                    file's, on the card's own clock (its timeline), with
#                    the default settings (10 ms periods, 3-period buffer,
#                    20-160 ms receive buffer); the echo adds nothing.
#                    -jitterbuffer1: the same with baresip's RTP jitter
#                    buffer at 1 packet instead of the template's 5
. "$(dirname "$0")/../lib/harness.sh"
. "$(dirname "$0")/../lib/alsa.sh"

CALL_S=${DP_BENCH_CALL_S:-10}
export ALSA_MIC_LEAD_MS=1500

start_kamailio 100:b100 101:b101 102:b102 103:b103 104:b104 105:b105 106:b106 \
	107:b107 >/dev/null ||
	exit 1

# call NAME...: each phone calls an echo; sets ECHO_PID_<name>
call() {
	local n
	for n in "$@"; do
		start_sipp "echo_$n" -sn uas -m 1 -rtp_echo >/dev/null || return 1
		phone_ctl "$n" dial "sip:echo@127.0.0.1:$SIPP_PORT" >/dev/null || return 1
	done
	for n in "$@"; do
		wait_event "$n" CALL_ESTABLISHED 60 || return 1
	done
}

hangup() {
	local n
	for n in "$@"; do phone_ctl "$n" hangup >/dev/null; done
}

# cpu_run NAME...: CPU ms per second of call of each phone, measured
# together over CALL_S seconds; prints "NAME value" lines.
cpu_run() {
	local n t0 t1 pid
	declare -A a
	call "$@" || return 1
	sleep 1
	for n in "$@"; do a[$n]=$(cpu_ticks "$(baresip_pid "$n")"); done
	t0=$(date +%s%N)
	sleep "$CALL_S"
	t1=$(date +%s%N)
	for n in "$@"; do
		pid=$(baresip_pid "$n")
		echo "$n $(( ($(cpu_ticks "$pid") - a[$n]) * 1000000 * 1000 / $(getconf CLK_TCK) / ((t1 - t0) / 1000) ))"
	done
	hangup "$@"
}

# roundtrip NAME: from the timeline of the phone's card and its files
roundtrip() {
	local dir v="ALSA_DIR_$1" mic ear
	dir=${!v}
	mic=$("$DP_AUDIO" onset "$dir/handset.mic.raw" 8000 -30) || return 1
	ear=$("$DP_AUDIO" onset "$dir/handset.ear.raw" 8000 -30) || return 1
	# the card's time of a file position: the last start before it
	awk -v mic="$mic" -v ear="$ear" '
		$1 == "capture" && $3 <= mic { cap = $2 + (mic - $3) * 125000 }
		$1 == "playback" && $3 <= ear { play = $2 + (ear - $3) * 125000 }
		END { printf "%.1f\n", (play - cap) / 1e6 }' "$dir/timeline"
}

# --- CPU and latency, ours then stock ------------------------------------
alsa_phone ours_null ours null 100:b100 >/dev/null || exit 1
alsa_phone ours_card ours clock 101:b101 >/dev/null || exit 1
t_wait_until 15 phone_registered ours_null && t_wait_until 15 phone_registered ours_card || exit 1
start_events ours_null
start_events ours_card
cpu_run ours_null ours_card > "$T_DIR/cpu_ours" || exit 1
rt_ours=$(roundtrip ours_card)

alsa_phone stock_card stock clock 102:b102 >/dev/null || exit 1
t_wait_until 15 phone_registered stock_card || exit 1
start_events stock_card
cpu_run stock_card > "$T_DIR/cpu_stock" || exit 1
rt_stock=$(roundtrip stock_card)

alsa_phone stock_null stock null 103:b103 >/dev/null || exit 1
t_wait_until 15 phone_registered stock_null || exit 1
start_events stock_null
cpu_run stock_null >> "$T_DIR/cpu_stock" || exit 1

# the same round trip with baresip's RTP jitter buffer at 1 packet (the
# template's jitter_buffer_delay is 5-10): how much of it is ours
sed 's/^jitter_buffer_delay .*/jitter_buffer_delay 1-10/' \
	"$DP_FIRMWARE/baresip.conf.in" > "$T_DIR/jb1.conf.in"
alsa_phone ours_jb1 ours clock 107:b107 "baresip_template $T_DIR/jb1.conf.in" \
	>/dev/null || exit 1
t_wait_until 15 phone_registered ours_jb1 || exit 1
start_events ours_jb1
call ours_jb1 && sleep 4 && hangup ours_jb1
rt_jb1=$(roundtrip ours_jb1)

cpu_of() { awk -v n="$1" '$1 == n { print $2 }' "$T_DIR/cpu_ours" "$T_DIR/cpu_stock"; }
echo "bench alsa ours cpu_ms_per_s $(cpu_of ours_card) ms"
echo "bench alsa stock-alsa cpu_ms_per_s $(cpu_of stock_card) ms"
echo "bench alsa ours-null cpu_ms_per_s $(cpu_of ours_null) ms"
echo "bench alsa stock-alsa-null cpu_ms_per_s $(cpu_of stock_null) ms"
[ -n "$rt_ours" ] && echo "bench alsa ours roundtrip_ms $rt_ours ms"
[ -n "$rt_stock" ] && echo "bench alsa stock-alsa roundtrip_ms $rt_stock ms"
[ -n "$rt_jb1" ] && echo "bench alsa ours-jitterbuffer1 roundtrip_ms $rt_jb1 ms"

# --- instructions, under callgrind -------------------------------------------
# sum_self FILE REGEX: self cost of the functions in objects matching REGEX
sum_self() {
	awk -v re="$2" '
		function obname(s,   m) {
			# "(id) name" defines an id; "(id)" refers to one
			if (match(s, /^\([0-9]+\) /)) {
				m = substr(s, 2, RSTART + RLENGTH - 4)
				ob[m] = substr(s, RLENGTH + 1)
				return ob[m]
			}
			if (match(s, /^\([0-9]+\)$/)) return ob[substr(s, 2, RLENGTH - 2)]
			return s
		}
		/^ob=/ { cur = obname(substr($0, 4)); next }
		/^cob=/ { obname(substr($0, 5)); next }
		/^calls=/ { skip = 1; next }
		/^[0-9+-]/ {
			if (skip) { skip = 0; next }
			if (cur ~ re) total += $2
			next
		}
		END { printf "%d\n", total }' "$1"
}

# callgrind_run NAME DRIVER USER:PASS OBJECT-REGEX [SETTINGS...]
callgrind_run() {
	local name=$1 driver=$2 up=$3 objects=$4 dir pid t0 t1 total self wrapper
	shift 4
	dir=$T_DIR/cg-$name
	mkdir -p "$dir"
	wrapper=$dir/baresip
	cat > "$wrapper" <<-EOF
	#!/bin/sh
	exec valgrind --tool=callgrind --callgrind-out-file=$dir/callgrind.out.%p /usr/bin/baresip "\$@"
	EOF
	chmod +x "$wrapper"
	alsa_phone "$name" "$driver" clock "$up" "baresip $wrapper" "audio_rt_priority 0" \
		"$@" >/dev/null || return 1
	t_wait_until 60 phone_registered "$name" || return 1
	start_events "$name"
	call "$name" || return 1
	pid=$(baresip_pid "$name")
	sleep 1
	callgrind_control -d "$pid" >/dev/null || return 1
	t0=$(date +%s%N)
	sleep "$CALL_S"
	callgrind_control -d "$pid" >/dev/null || return 1
	t1=$(date +%s%N)
	hangup "$name"
	total=$(sed -n 's/^summary: *//p; s/^totals: *//p' "$dir/callgrind.out.$pid.2" | head -1)
	self=$(sum_self "$dir/callgrind.out.$pid.2" "$objects")
	echo "$(( total * 1000 / ((t1 - t0) / 1000000) )) $(( self * 1000 / ((t1 - t0) / 1000000) ))" \
		> "$dir/result"
}

# (not in a subshell: the harness must see the processes it starts)
callgrind_run cg_ours ours 104:b104 '(dpalsa\.so|libasound\.so)'
callgrind_run cg_stock stock 105:b105 '(/alsa\.so|libasound\.so)'
# ours with stock's timing (20 ms periods, 4 of them): the cost per period
callgrind_run cg_ours20 ours 106:b106 '(dpalsa\.so|libasound\.so)' \
	"audio_period_ms 20" "audio_buffer_periods 4"
read -r cg_ours cg_ours_drv < "$T_DIR/cg-cg_ours/result"
read -r cg_stock cg_stock_drv < "$T_DIR/cg-cg_stock/result"
read -r cg_ours20 cg_ours20_drv < "$T_DIR/cg-cg_ours20/result"
[ -n "$cg_ours" ] && echo "bench alsa ours instr_per_s $cg_ours instr"
[ -n "$cg_stock" ] && echo "bench alsa stock-alsa instr_per_s $cg_stock instr"
[ -n "$cg_ours20" ] && echo "bench alsa ours-20ms instr_per_s $cg_ours20 instr"
[ -n "$cg_ours_drv" ] && echo "bench alsa ours driver_instr_per_s $cg_ours_drv instr"
[ -n "$cg_stock_drv" ] && echo "bench alsa stock-alsa driver_instr_per_s $cg_stock_drv instr"
[ -n "$cg_ours20_drv" ] && echo "bench alsa ours-20ms driver_instr_per_s $cg_ours20_drv instr"
[ -n "$cg_ours" ] && [ -n "$cg_stock" ] && [ -n "$rt_ours" ]
