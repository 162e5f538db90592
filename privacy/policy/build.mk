# dppolicy: the privacy policy, the trusted clock, the person's requests,
# purge, export, erase (docs/privacy.md); no baresip
LIBS             += dppolicy
dppolicy_SRCS    := $(wildcard privacy/policy/*.c)
CLI_LIBS         += dppolicy dpaudit dpstore dpcrypto dpbase
CLI_LDLIBS       += -lcjson

# The clock's floor: no true time is earlier than the commit it is built
# from (docs/privacy.md "A wrong clock").
DP_CLOCK_FLOOR   := $(shell git log -1 --format=%ct 2>/dev/null)
ifneq ($(DP_CLOCK_FLOOR),)
$(BUILD)/obj/privacy/policy/policy.o: CPPFLAGS += -DDP_CLOCK_FLOOR=$(DP_CLOCK_FLOOR)
endif

UNIT_TESTS          += privacy
test_privacy_SRCS   := test/unit/test_privacy.c test/unit/store_fixture.c
test_privacy_LIBS   := dppolicy dpaudit dpstore dpcrypto dpbase
test_privacy_LDLIBS := $(DPCRYPTO_LDLIBS) -lcjson

# `make bench`: what forgetting costs
TEST_TOOLS          += privacy-bench
privacy-bench_SRCS  := test/tools/privacy_bench.c test/tools/bench_util.c \
		       test/unit/store_fixture.c
privacy-bench_LIBS  := dppolicy dpaudit dpstore dpcrypto dpbase
privacy-bench_LDLIBS := $(DPCRYPTO_LDLIBS) -lcjson -lre
BENCH_SCRIPTS       += test/bench/privacy.sh

# a libFuzzer harness of the log purge and the audit check (docs/build.md)
FUZZERS               += privacylog
fuzz_privacylog_LIBS  := dppolicy dpaudit dpstore dpcrypto dpbase
fuzz_privacylog_LDLIBS = $(DPCRYPTO_LDLIBS) -lcjson
