#!/bin/bash
# The codec library on ARM: dpaucodec with its NEON G.722 and the unit
# tests test_g722 and test_g711, cross-built statically for arm64 and for
# armhf with NEON (Debian's cross compilers), run under qemu-user.  Each
# test_g722 checks its NEON build and the portable C against the ITU-T
# Appendix II sequences, the model and FFmpeg; FFmpeg's inputs and
# results are recorded by the native test_g722 first and replayed there
# (there is no libavcodec for ARM here).  The tools come from `make deps`;
# without them this test fails.
. "$(dirname "$0")/../lib/harness.sh"

D=$T_DIR
tables=$DP_BUILD/gen/codec_tables.c
cflags=(-std=c11 -O2 -static -D_GNU_SOURCE -Wall -Wextra -Werror -Wshadow
	-Wstrict-prototypes -Wmissing-prototypes -I"$DP_ROOT" -I"$DP_BUILD/gen")
lib=(modules/codec/lib/g711.c modules/codec/lib/g722.c "$tables")
g722_test=(test/unit/test_g722.c test/unit/dptest.c test/unit/g722_model.c
	   test/unit/g722_portable.c test/tools/speechlike.c)
g711_test=(test/unit/test_g711.c test/unit/dptest.c)

missing=0
for tool in aarch64-linux-gnu-gcc arm-linux-gnueabihf-gcc \
	    qemu-aarch64-static qemu-arm-static; do
	if command -v "$tool" >/dev/null; then
		t_pass "have_$tool"
	else
		t_fail "have_$tool" "not installed: run make deps"
		missing=1
	fi
done
[ "$missing" = 0 ] || t_done

t_check ffmpeg_recorded env DP_TEST_DATA="$DP_ROOT/test/data" \
	DP_G722_FFMPEG_RECORD="$D" "$DP_BUILD/test/test_g722" \
	encoder_matches_ffmpeg_on_speech decoder_matches_ffmpeg_on_all_signals_and_noise

# ARCH COMPILER FLAGS QEMU
cross() {
	local arch=$1 cc=$2 flags=$3 qemu=$4 out=$D/$1 t
	mkdir -p "$out"
	# the compiler targets NEON, so g722.c must pick g722_neon.h (the
	# test built_coders_are_the_platforms checks that it did)
	t_check "${arch}_targets_neon" sh -c "$cc $flags -dM -E - < /dev/null | grep -q '__ARM_NEON '"
	t_check "${arch}_build_test_g722" sh -c "cd '$DP_ROOT' && $cc ${cflags[*]} $flags \
		-DDP_G722_FFMPEG_REPLAY -o '$out/test_g722' ${g722_test[*]} ${lib[*]} -lm"
	t_check "${arch}_build_test_g711" sh -c "cd '$DP_ROOT' && $cc ${cflags[*]} $flags \
		-o '$out/test_g711' ${g711_test[*]} ${lib[*]}"
	for t in test_g722 test_g711; do
		env DP_TEST_DATA="$DP_ROOT/test/data" DP_G722_FFMPEG_DIR="$D" \
			"$qemu" "$out/$t" > "$out/$t.log" 2>&1
		t_check "${arch}_${t}" sh -c "tail -n 1 '$out/$t.log' | grep -q ' 0 failed' &&
			! grep -q '^FAIL' '$out/$t.log'"
		grep '^FAIL' "$out/$t.log" | sed "s/^/# $arch: /" >&2
	done
	t_check "${arch}_g722_all_tests_ran" sh -c "[ \$(grep -c '^PASS' '$out/test_g722.log') -ge 15 ]"
}

cross arm64 aarch64-linux-gnu-gcc "" qemu-aarch64-static
cross armhf arm-linux-gnueabihf-gcc "-mfpu=neon" qemu-arm-static

t_done
