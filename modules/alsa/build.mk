# dpalsa: our ALSA audio source and player, with routes (modules/alsa)
MODULES        += dpalsa
dpalsa_SRCS    := $(wildcard modules/alsa/*.c)
dpalsa_LIBS    := dpbase
dpalsa_SHLIBS  := dpapp
dpalsa_LDLIBS  := -lasound -lpthread -lm

# the engine without baresip, for its unit tests
DPALSA_IO_SRCS := $(addprefix modules/alsa/,pcm.c clock.c stream.c gain.c cmdparse.c \
		  routes.c volfile.c mixer.c)

UNIT_TESTS     += dpalsa
test_dpalsa_SRCS := test/unit/test_dpalsa.c $(DPALSA_IO_SRCS)
test_dpalsa_LIBS := dpbase
test_dpalsa_LDLIBS := -lasound -lpthread -lm

# a sound card with a clock, for tests: an alsa-lib plugin (ioplug)
TEST_TOOLS     += dp-clockpcm.so
dp-clockpcm.so_SRCS := test/tools/clockpcm.c
dp-clockpcm.so_LDLIBS := -shared -lasound

DEPS_PKGS      += libasound2-dev

# test tones and their analysis (level, SNR, gaps, onset)
TEST_TOOLS     += dp-audio
dp-audio_SRCS  := test/tools/audiotool.c
dp-audio_LDLIBS := -lm

BENCH_SCRIPTS  += test/bench/alsa.sh

# libFuzzer harness: the volume file and the commands' parameters
FUZZERS          += dpalsa
fuzz_dpalsa_SRCS := modules/alsa/volfile.c modules/alsa/routes.c \
		    modules/alsa/cmdparse.c
fuzz_dpalsa_LIBS := dpbase
fuzz_dpalsa_LDLIBS := -lasound
