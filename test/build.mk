# The test suite's own helpers
TEST_TOOLS        += dp-testutil
dp-testutil_SRCS  := test/tools/testutil.c

BENCH_SCRIPTS     += test/bench/core.sh
