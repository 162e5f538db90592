# dpcodec: the baresip module registering G722, PCMU and PCMA
MODULES        += dpcodec
dpcodec_SRCS   := $(wildcard modules/codec/*.c)
dpcodec_LIBS   := dpaucodec

# the handlers, without the registration, against the contract
UNIT_TESTS     += codec_module
test_codec_module_SRCS := test/unit/test_codec_module.c \
			  modules/codec/g711_codec.c modules/codec/g722_codec.c
test_codec_module_LIBS := dpaucodec
test_codec_module_LDLIBS := -lrem

# tones and their signal-to-noise ratio, for the interop test
TEST_TOOLS     += dp-tone
dp-tone_SRCS   := test/tools/tone.c
dp-tone_LDLIBS := -lm

# the benchmark: ours beside spandsp, FFmpeg and librem, each coder in a
# program that links only its own library (FFmpeg's libavcodec loads
# dozens of others, one of which valgrind cannot run on every CPU)
TEST_TOOLS     += dp-codec-bench-ours dp-codec-bench-spandsp \
		  dp-codec-bench-ffmpeg dp-codec-bench-librem
dp-codec-bench-ours_SRCS      := test/bench/codec_bench.c \
		test/bench/codec_bench_ours.c test/tools/peer_codecs.c
dp-codec-bench-ours_LIBS      := dpaucodec
dp-codec-bench-spandsp_SRCS   := test/bench/codec_bench.c \
		test/bench/codec_bench_spandsp.c test/tools/peer_codecs.c \
		test/tools/peer_spandsp.c
dp-codec-bench-spandsp_LDLIBS := -lspandsp
dp-codec-bench-ffmpeg_SRCS    := test/bench/codec_bench.c \
		test/bench/codec_bench_ffmpeg.c test/tools/peer_codecs.c \
		test/tools/peer_ffmpeg.c
dp-codec-bench-ffmpeg_LDLIBS  := -lavcodec -lavutil
dp-codec-bench-librem_SRCS    := test/bench/codec_bench.c \
		test/bench/codec_bench_librem.c test/tools/peer_codecs.c \
		test/tools/peer_librem.c
dp-codec-bench-librem_LDLIBS  := -lrem -lre
# ours alone, built for other machines too (codec.sh runs it under qemu)
TEST_TOOLS     += dp-g722-frames
dp-g722-frames_SRCS := test/bench/g722_frames.c
dp-g722-frames_LIBS := dpaucodec
BENCH_SCRIPTS  += test/bench/codec.sh

# libFuzzer harness (test/fuzz/fuzz_codec.c): the handlers and the
# library against the portable build and the model, on any octets
FUZZERS        += codec
fuzz_codec_SRCS := modules/codec/g711_codec.c modules/codec/g722_codec.c \
		   test/unit/g722_model.c test/unit/g722_portable.c
fuzz_codec_LIBS := dpaucodec
fuzz_codec_LDLIBS := -lrem
# the portable build and the model are the oracles, not what is fuzzed:
# no coverage feedback from them (their comparisons would slow every run
# and fill the corpus with their own paths)
ifneq ($(FUZZ),)
$(BUILD)/obj/test/unit/g722_model.o $(BUILD)/obj/test/unit/g722_portable.o: \
	CFLAGS += -fno-sanitize=fuzzer-no-link
endif
