# dpaudit: the privacy audit log: append-only, hash-chained, each record
# authenticated with a key from the device secret, with an anchor that
# shows truncation (audit.h, docs/privacy.md)
LIBS               += dpaudit
dpaudit_SRCS       := $(wildcard privacy/audit/*.c)
CLI_LIBS           += dpaudit
CLI_LDLIBS         += -lcrypto

TEST_TOOLS             += dp-audit-verify
dp-audit-verify_SRCS   := test/tools/audit_verify.c
dp-audit-verify_LIBS   := dpaudit dpcrypto dpbase
dp-audit-verify_LDLIBS := -lcrypto -lre
