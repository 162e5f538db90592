#!/bin/bash
# G.711 and G.722: ours beside spandsp, FFmpeg (libavcodec) and librem's
# G.711, on the same 60 s of speech, in one run.  Per 20 ms frame:
# instructions (callgrind, counting only the coding loop) and time (the
# fastest of several passes).  The speech is espeak-ng reading a text of
# ours, resampled to 16 kHz (and to 8 kHz for G.711) by sox.
#
# Each library's coder runs in a program of its own that links only that
# library (dp-codec-bench-LIB), so one library's loading cannot stop
# another's count.  Where callgrind cannot run a program (FFmpeg's
# libavcodec loads libhwy, whose constructor executes RDTSCP, which
# valgrind 3.19 does not know on some x86-64 CPUs), its instructions are
# counted under qemu-user instead, on the first 10 s of the speech, the
# way the ARM figures below are counted (the two counters agree on
# x86-64: see "ours-x86-64-by-qemu").
#
# Then our G.722 built for ARM (arm64, and armhf with NEON; the NEON
# coders and the portable C) and run under qemu-user on the first 10 s of
# the speech, every instruction it executes counted from qemu's log
# (qemu_instr.awk).  The same count of an x86-64 build is printed beside
# callgrind's, as a check of the counter.
#
# A measurement that fails says so on stderr and the others still run;
# the script then exits 1 (bench.sh reports the group as failed, with
# every figure that was made).
set -u
root=$(cd "$(dirname "$0")/../.." && pwd)
build=$(cd "$root" && cd "${DP_BUILD:-build}" && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/dp-bench-codec.XXXXXX")
trap 'rm -rf "$work"' EXIT
failed=0
# fail WHAT: one measurement failed; the rest go on
fail() {
	echo "FAILED: $*" >&2
	failed=1
}

text="A desk phone spends its day on short calls. Good morning, this is the
front desk; your visitor has arrived and is waiting by the lifts. Could you
please call the plumber back about Thursday? The meeting moved to room four,
after lunch. Numbers are read slowly: zero one two three four five six seven
eight nine. Wideband audio makes the letters s and f easy to tell apart,
which narrowband telephony never could. The quick brown fox jumps over the
lazy dog while the kettle whistles in the kitchen."

espeak-ng -s 150 -w "$work/tts.wav" "$text" 2>/dev/null || { echo "espeak-ng failed" >&2; exit 1; }
# repeat the reading to fill exactly 60 s, at 16 kHz and at 8 kHz
sox "$work/tts.wav" -r 16000 -c 1 -b 16 -e signed "$work/once.wav" 2>/dev/null
sox "$work/once.wav" "$work/long.wav" repeat 30 2>/dev/null
sox "$work/long.wav" -t raw "$work/speech16.raw" trim 0 60 2>/dev/null
sox "$work/long.wav" -r 8000 -t raw "$work/speech8.raw" trim 0 60 2>/dev/null
echo "speech: espeak-ng, 60 s, $(stat -c %s "$work/speech16.raw") bytes at 16 kHz" >&2

# qcount EMULATOR FILE PROGRAM ARGS...: instructions per frame inside
# run_frames() of PROGRAM ARGS... FILE, from qemu's log
qcount() {
	local emu=$1 file=$2 total frames
	shift 2
	total=$("$emu" -d in_asm,exec,nochain -D /dev/fd/3 "$@" "$file" \
		3>&1 1>"$work/frames.out" | awk -f "$root/test/bench/qemu_instr.awk") || return 1
	frames=$(awk '{ print $2 }' "$work/frames.out")
	[ -n "$frames" ] && [ "$frames" -gt 0 ] || return 1
	echo $((total / frames))
}

# instr CODEC LIB OP FILE FILE10S: instructions per frame inside
# run_frames(), by callgrind, or by qemu on FILE10S where callgrind
# cannot run the program
instr() {
	local tool=$build/test/dp-codec-bench-$2 out frames total
	out=$(valgrind --tool=callgrind --callgrind-out-file="$work/cg.out" \
		--toggle-collect=run_frames "$tool" "$1" "$3" "$4" 2>"$work/cg.err")
	frames=$(echo "$out" | awk '$1 == "frames" { print $2 }')
	if [ -n "$frames" ] && [ "$frames" -gt 0 ]; then
		total=$(awk '/^summary:/ { print $2 }' "$work/cg.out")
		echo $((total / frames))
		return
	fi
	echo "callgrind cannot run dp-codec-bench-$2 here ($(grep -m1 -o \
		'unhandled instruction bytes.*\|Illegal opcode.*' "$work/cg.err")):" \
		"counting $2 $1 $3 under qemu-x86_64, on the first 10 s" >&2
	command -v qemu-x86_64-static >/dev/null || return 1
	qcount qemu-x86_64-static "$5" "$tool" "$1" "$3"
}

# nanos CODEC LIB OP FILE: the fastest of seven passes
nanos() {
	"$build/test/dp-codec-bench-$2" "$1" "$3" "$4" 7 | awk '{ print $4 }'
}

# ratio CODEC LIB OP METRIC A B: how many times fewer ours needs
ratio() {
	[ -n "$5" ] && [ -n "$6" ] || return 0
	awk -v a="$5" -v b="$6" -v what="bench $1 ours-vs-$2 ${3}_${4}_ratio" \
	    'BEGIN { printf "%s %.2f x\n", what, a / (b > 0 ? b : 1) }'
}

head -c 320000 "$work/speech16.raw" > "$work/speech10s.raw"
head -c 160000 "$work/speech8.raw" > "$work/speech10s-8k.raw"

declare -A result
for codec in g722 pcmu pcma; do
	file=$work/speech8.raw file10=$work/speech10s-8k.raw
	[ $codec = g722 ] && file=$work/speech16.raw file10=$work/speech10s.raw
	libs="ours spandsp ffmpeg librem"
	[ $codec = g722 ] && libs="ours spandsp ffmpeg"
	for lib in $libs; do
		for op in encode decode; do
			if i=$(instr $codec $lib $op "$file" "$file10"); then
				result[$codec-$lib-$op-i]=$i
				echo "bench $codec $lib ${op}_instr_per_frame $i instr"
			else
				fail "$codec $lib $op: no instruction count"
			fi
			if t=$(nanos $codec $lib $op "$file") && [ -n "$t" ]; then
				result[$codec-$lib-$op-t]=$t
				echo "bench $codec $lib ${op}_ns_per_frame $t ns"
			else
				fail "$codec $lib $op: no time"
			fi
		done
	done
	for lib in $libs; do
		[ $lib = ours ] && continue
		for op in encode decode; do
			for m in instr:i ns:t; do
				ratio $codec $lib $op ${m%:*} \
				      "${result[$codec-$lib-$op-${m#*:}]:-}" \
				      "${result[$codec-ours-$op-${m#*:}]:-}"
			done
		done
	done
done

# --- our G.722 on ARM, under qemu-user ------------------------------------

cross_build() {   # OUT COMPILER FLAGS...
	local out=$1 cc=$2
	shift 2
	(cd "$root" && "$cc" -std=c11 -O2 -fPIC -static -I. -I"$build/gen" "$@" -o "$out" \
		test/bench/g722_frames.c modules/codec/lib/g722.c "$build/gen/codec_tables.c")
}

# the counter on an x86-64 build, beside callgrind's figures above
if cross_build "$work/g722-x86-64" cc && command -v qemu-x86_64-static >/dev/null; then
	for op in encode decode; do
		if i=$(qcount qemu-x86_64-static "$work/speech10s.raw" "$work/g722-x86-64" $op); then
			echo "bench g722 ours-x86-64-by-qemu ${op}_instr_per_frame $i instr"
		else
			fail "qemu x86-64 $op"
		fi
	done
fi
for target in "arm64 aarch64-linux-gnu-gcc qemu-aarch64-static" \
	      "armhf arm-linux-gnueabihf-gcc qemu-arm-static -mfpu=neon"; do
	set -- $target
	arch=$1 cc=$2 emu=$3
	shift 3
	if ! command -v "$cc" >/dev/null || ! command -v "$emu" >/dev/null; then
		fail "$arch: $cc or $emu missing: run make deps"
		continue
	fi
	for kind in neon portable; do
		flags=("$@")
		[ $kind = portable ] && flags+=(-DDP_G722_PORTABLE)
		if ! cross_build "$work/g722-$arch-$kind" "$cc" "${flags[@]}"; then
			fail "cross build $arch $kind"
			continue
		fi
		for op in encode decode; do
			if i=$(qcount "$emu" "$work/speech10s.raw" "$work/g722-$arch-$kind" $op); then
				result[$arch-$kind-$op]=$i
				echo "bench g722 ours-$kind-$arch ${op}_instr_per_frame $i instr"
			else
				fail "qemu $arch $kind $op"
			fi
		done
	done
	for op in encode decode; do
		a=${result[$arch-portable-$op]:-} b=${result[$arch-neon-$op]:-}
		[ -n "$a" ] && [ -n "$b" ] || continue
		awk -v a="$a" -v b="$b" \
		    -v what="bench g722 ours-neon-vs-portable-$arch ${op}_instr_ratio" \
		    'BEGIN { printf "%s %.2f x\n", what, a / (b > 0 ? b : 1) }'
	done
done
exit $failed
