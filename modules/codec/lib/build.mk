# dpaucodec: our G.711 and G.722 (no baresip, no allocation)
HOSTCC ?= cc
LIBS          += dpaucodec
dpaucodec_SRCS  := $(filter-out modules/codec/lib/tables_gen.c,\
		   $(wildcard modules/codec/lib/*.c)) $(BUILD)/gen/codec_tables.c

# The G.711 and G.722 tables are computed on the build machine.
$(BUILD)/gen/tables-gen: modules/codec/lib/tables_gen.c
	@mkdir -p $(dir $@)
	@echo "  HOSTCC  $@"
	$(Q)$(HOSTCC) -O2 -o $@ $<

$(BUILD)/gen/codec_tables.c: $(BUILD)/gen/tables-gen
	$(Q)$< > $@.tmp && mv $@.tmp $@

CLI_LIBS      += dpaucodec

# Debian packages: FFmpeg and spandsp are test oracles and benchmark
# peers; espeak-ng and sox make the benchmark's speech; the cross
# compilers and qemu-user run the NEON code's tests (codec_neon)
DEPS_PKGS     += libavcodec-dev libspandsp-dev espeak-ng sox \
		 gcc-aarch64-linux-gnu libc6-dev-arm64-cross \
		 gcc-arm-linux-gnueabihf libc6-dev-armhf-cross qemu-user-static

UNIT_TESTS    += g722 g711
test_g722_SRCS   := test/unit/test_g722.c test/unit/g722_model.c test/unit/g722_portable.c \
		    test/tools/peer_codecs.c test/tools/peer_ffmpeg.c test/tools/speechlike.c
test_g722_LIBS   := dpaucodec
test_g722_LDLIBS := -lavcodec -lavutil
test_g711_SRCS   := test/unit/test_g711.c
test_g711_LIBS   := dpaucodec
