# dpbundle: debug bundles (ustar, sealing to a support key, manifest,
# configuration without secrets); no baresip
LIBS               += dpbundle
dpbundle_SRCS      := $(wildcard privacy/bundle/*.c)
CLI_LIBS           += dpbundle
CLI_LDLIBS         += -lcrypto -lcjson

UNIT_TESTS         += bundle
test_bundle_SRCS   := test/unit/test_bundle.c
test_bundle_LIBS   := dpbundle dpaudit dpcrypto dpfw
test_bundle_LDLIBS := -lcrypto -lcjson

# libFuzzer harness: bundles as a technician opens them (plain, sealed to
# a fixed support key, forged), extracted into a directory; and bundles
# our writer makes from the input, which must verify
FUZZERS            += bundle
fuzz_bundle_LIBS   := dpbundle dpredact dpcrypto dpfw
fuzz_bundle_LDLIBS := -lcrypto -lcjson
