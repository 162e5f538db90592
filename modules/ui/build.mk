# dpui: the phone's user interface (screens, keys, calls), on the board
# layer; the call history from the call-record store (read-only, through
# the privacy library's view of it)
MODULES      += dpui
dpui_SRCS    := $(wildcard modules/ui/*.c)
dpui_LIBS    := dpboard dpbase dppolicy dpaudit dpstore dpcrypto
dpui_SHLIBS  := dpapp
dpui_LDLIBS  = $(DPCRYPTO_LDLIBS) -lcjson -lpthread

# `make run` makes the far end's prompt with sox
DEPS_PKGS    += sox

# the contacts file and T9 search, without baresip: a unit test and a
# libFuzzer harness
UNIT_TESTS          += ui_directory
test_ui_directory_SRCS := test/unit/test_ui_directory.c modules/ui/directory.c
FUZZERS             += directory
fuzz_directory_SRCS := modules/ui/directory.c

# the phone's behaviour (phone.c, render.c) without baresip: every
# screen and key, on a board without a display
UNIT_TESTS          += ui_fsm
test_ui_fsm_SRCS    := test/unit/test_ui_fsm.c modules/ui/phone.c \
	modules/ui/render.c modules/ui/directory.c modules/ui/history_mem.c
test_ui_fsm_LIBS    := dpboard dpbase dpcrypto
# recursive: DPCRYPTO_LDLIBS (privacy/crypto) is defined after this file
test_ui_fsm_LDLIBS   = $(DPCRYPTO_LDLIBS)
