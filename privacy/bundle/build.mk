# dpbundle: debug bundles (ustar, sealing to a support key, manifest,
# configuration without secrets); no baresip
LIBS               += dpbundle
dpbundle_SRCS      := $(wildcard privacy/bundle/*.c)
CLI_LIBS           += dpbundle
CLI_LDLIBS         += -lcrypto -lcjson

UNIT_TESTS         += bundle
test_bundle_SRCS   := test/unit/test_bundle.c
test_bundle_LIBS   := dpbundle dpaudit
test_bundle_LDLIBS := -lcrypto -lcjson
