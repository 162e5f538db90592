# dpredact: the SIP-aware redactor with keyed pseudonyms (no baresip)
LIBS             += dpredact
dpredact_SRCS    := $(wildcard privacy/redact/*.c)
CLI_LIBS         += dpredact
CLI_LDLIBS       += -lcrypto

UNIT_TESTS         += redact
test_redact_SRCS   := test/unit/test_redact.c test/tools/sipgen.c
test_redact_LIBS   := dpredact dpcrypto
test_redact_LDLIBS := -lcrypto

# a deterministic SIP trace of any size (property tests, benchmark)
TEST_TOOLS         += redact-gen
redact-gen_SRCS    := test/tools/redact_gen.c test/tools/sipgen.c
redact-gen_LDLIBS  := -lre

BENCH_SCRIPTS      += test/bench/redact.sh
DEPS_PKGS          += sosreport

# libFuzzer harness: any text, fed whole and in pieces, with planted
# identities that must not come out; seeds: the traces of test/data/redact
FUZZERS            += redact
fuzz_redact_LIBS   := dpredact dpcrypto
fuzz_redact_LDLIBS := -lcrypto
