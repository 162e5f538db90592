#!/bin/bash
# G.711 and G.722: ours beside spandsp, FFmpeg (libavcodec) and librem's
# G.711, on the same 60 s of speech, in one run.  Per 20 ms frame:
# instructions (callgrind, counting only the coding loop) and time (the
# fastest of several passes).  The speech is espeak-ng reading a text of
# ours, resampled to 16 kHz (and to 8 kHz for G.711) by sox.
#
# Then our G.722 built for ARM (arm64, and armhf with NEON; the NEON
# coders and the portable C) and run under qemu-user on the first 10 s of
# the speech, every instruction it executes counted from qemu's log
# (qemu_instr.awk).  The same count of an x86-64 build is printed beside
# callgrind's, as a check of the counter.
set -u
root=$(cd "$(dirname "$0")/../.." && pwd)
build=$(cd "$root" && cd "${DP_BUILD:-build}" && pwd)
tool=$build/test/dp-codec-bench
work=$(mktemp -d "${TMPDIR:-/tmp}/dp-bench-codec.XXXXXX")
trap 'rm -rf "$work"' EXIT

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

# instr CODEC LIB OP FILE: instructions per frame inside run_frames()
instr() {
	local out frames total
	out=$(valgrind --tool=callgrind --callgrind-out-file="$work/cg.out" \
		--toggle-collect=run_frames "$tool" "$1" "$2" "$3" "$4" 2>/dev/null) || return 1
	frames=$(echo "$out" | awk '{ print $2 }')
	total=$(awk '/^summary:/ { print $2 }' "$work/cg.out")
	echo $((total / frames))
}

# nanos CODEC LIB OP FILE: the fastest of seven passes
nanos() {
	"$tool" "$1" "$2" "$3" "$4" 7 | awk '{ print $4 }'
}

declare -A result
for codec in g722 pcmu pcma; do
	file=$work/speech8.raw
	[ $codec = g722 ] && file=$work/speech16.raw
	libs="ours spandsp ffmpeg librem"
	[ $codec = g722 ] && libs="ours spandsp ffmpeg"
	for lib in $libs; do
		for op in encode decode; do
			i=$(instr $codec $lib $op "$file") || { echo "$codec $lib $op failed" >&2; exit 1; }
			t=$(nanos $codec $lib $op "$file")
			result[$codec-$lib-$op-i]=$i
			result[$codec-$lib-$op-t]=$t
			echo "bench $codec $lib ${op}_instr_per_frame $i instr"
			echo "bench $codec $lib ${op}_ns_per_frame $t ns"
		done
	done
	# how many times fewer instructions / less time ours needs
	for lib in $libs; do
		[ $lib = ours ] && continue
		for op in encode decode; do
			for m in instr:i ns:t; do
				awk -v a="${result[$codec-$lib-$op-${m#*:}]}" \
				    -v b="${result[$codec-ours-$op-${m#*:}]}" \
				    -v what="bench $codec ours-vs-$lib ${op}_${m%:*}_ratio" \
				    'BEGIN { printf "%s %.2f x\n", what, a / (b > 0 ? b : 1) }'
			done
		done
	done
done

# --- our G.722 on ARM, under qemu-user ------------------------------------

# qcount EMULATOR BINARY OP: instructions per frame inside run_frames()
qcount() {
	local out total frames
	total=$("$1" -d in_asm,exec,nochain -D /dev/fd/3 "$2" "$3" "$work/speech10s.raw" \
		3>&1 1>"$work/frames.out" | awk -f "$root/test/bench/qemu_instr.awk") || return 1
	frames=$(awk '{ print $2 }' "$work/frames.out")
	[ -n "$frames" ] && [ "$frames" -gt 0 ] || return 1
	echo $((total / frames))
}

cross_build() {   # OUT COMPILER FLAGS...
	local out=$1 cc=$2
	shift 2
	(cd "$root" && "$cc" -std=c11 -O2 -fPIC -static -I. -I"$build/gen" "$@" -o "$out" \
		test/bench/g722_frames.c modules/codec/lib/g722.c "$build/gen/codec_tables.c")
}

head -c 320000 "$work/speech16.raw" > "$work/speech10s.raw"

# the counter on an x86-64 build, beside callgrind's figures above
if cross_build "$work/g722-x86-64" cc && command -v qemu-x86_64-static >/dev/null; then
	for op in encode decode; do
		i=$(qcount qemu-x86_64-static "$work/g722-x86-64" $op) || { echo "qemu x86-64 $op failed" >&2; exit 1; }
		echo "bench g722 ours-x86-64-by-qemu ${op}_instr_per_frame $i instr"
	done
fi
for target in "arm64 aarch64-linux-gnu-gcc qemu-aarch64-static" \
	      "armhf arm-linux-gnueabihf-gcc qemu-arm-static -mfpu=neon"; do
	set -- $target
	arch=$1 cc=$2 emu=$3
	shift 3
	command -v "$cc" >/dev/null && command -v "$emu" >/dev/null ||
		{ echo "$cc or $emu missing: run make deps" >&2; exit 1; }
	for kind in neon portable; do
		flags=("$@")
		[ $kind = portable ] && flags+=(-DDP_G722_PORTABLE)
		cross_build "$work/g722-$arch-$kind" "$cc" "${flags[@]}" ||
			{ echo "cross build $arch $kind failed" >&2; exit 1; }
		for op in encode decode; do
			i=$(qcount "$emu" "$work/g722-$arch-$kind" $op) ||
				{ echo "qemu $arch $kind $op failed" >&2; exit 1; }
			result[$arch-$kind-$op]=$i
			echo "bench g722 ours-$kind-$arch ${op}_instr_per_frame $i instr"
		done
	done
	for op in encode decode; do
		awk -v a="${result[$arch-portable-$op]}" -v b="${result[$arch-neon-$op]}" \
		    -v what="bench g722 ours-neon-vs-portable-$arch ${op}_instr_ratio" \
		    'BEGIN { printf "%s %.2f x\n", what, a / (b > 0 ? b : 1) }'
	done
done
