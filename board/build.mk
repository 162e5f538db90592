# dpboard: board descriptions, keypad/hook, LCD and LED drivers, the
# simulated board (no baresip); links with dpbase
LIBS          += dpboard
dpboard_SRCS  := $(wildcard board/*.c)

# every KEY_* and SW_* name of the kernel headers, for keymaps
$(BUILD)/gen/linux_keys.inc: /usr/include/linux/input-event-codes.h board/build.mk
	@mkdir -p $(dir $@)
	$(Q)awk '/^#define KEY_[A-Z0-9_]+[ \t]/ { if ($$2 !~ /_(MAX|CNT)$$|MIN_INTERESTING/) print "LK(" $$2 ")" } \
		/^#define SW_[A-Z0-9_]+[ \t]/ { if ($$2 !~ /_(MAX|CNT)$$/) print "LS(" $$2 ")" }' $< > $@.tmp
	$(Q)mv $@.tmp $@
$(BUILD)/obj/board/keys.o: $(BUILD)/gen/linux_keys.inc

CLI_LIBS      += dpboard

UNIT_TESTS    += board
test_board_SRCS := test/unit/test_board.c test/unit/loop_until.c
test_board_LIBS := dpboard dpbase

DEPS_PKGS     += linux-libc-dev

# dp-input: input events for the tests' FIFO keypads
TEST_TOOLS     += dp-input
dp-input_SRCS  := test/tools/input_events.c
dp-input_LIBS  := dpboard
dp-input_LDLIBS := -lre

# dp-board-bench: bus bytes per screen update (make bench)
TEST_TOOLS           += dp-board-bench
dp-board-bench_SRCS  := test/tools/board_bench.c
dp-board-bench_LIBS  := dpboard dpbase
dp-board-bench_LDLIBS := -lre
BENCH_SCRIPTS        += test/bench/board.sh

# libFuzzer harnesses (docs/build.md, "Fuzzing"): board files and keymaps
# with the HD44780 driver against its model; the input-event reader;
# the sim board's socket protocol with the `deskphone sim` client's side
FUZZERS          += board
fuzz_board_LIBS  := dpboard dpbase
FUZZERS          += input
fuzz_input_LIBS  := dpboard
FUZZERS          += sim
fuzz_sim_LIBS    := dpboard dpbase
