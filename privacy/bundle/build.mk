# dpbundle: debug bundles (ustar, sealing to a support key, manifest,
# configuration without secrets); no baresip
LIBS               += dpbundle
dpbundle_SRCS      := $(wildcard privacy/bundle/*.c)
CLI_LIBS           += dpbundle
CLI_LDLIBS         += -lcrypto -lcjson

UNIT_TESTS         += bundle
test_bundle_SRCS   := test/unit/test_bundle.c
test_bundle_LIBS   := dpbundle dpaudit dpredact dpcrypto dpbase
test_bundle_LDLIBS := -lcrypto -lcjson

# the phone's identities the bundle is redacted and checked with
# (tools/phone_identity.c), a provisioned phone's sealed accounts included
UNIT_TESTS                 += phone_identity
test_phone_identity_SRCS   := test/unit/test_phone_identity.c \
			      tools/phone_identity.c tools/cli_settings.c
test_phone_identity_LIBS   := dpprovision dpbundle dpredact dpcrypto dpbase
test_phone_identity_LDLIBS  = $(DPCRYPTO_LDLIBS) -lcrypto -lcjson

# libFuzzer harness: bundles as a technician opens them (plain, sealed to
# a fixed support key, forged), extracted into a directory; and bundles
# our writer makes from the input, which must verify
FUZZERS            += bundle
fuzz_bundle_LIBS   := dpbundle dpredact dpcrypto dpbase
fuzz_bundle_LDLIBS := -lcrypto -lcjson
