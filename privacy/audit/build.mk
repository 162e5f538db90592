# dpaudit: the append-only, hash-chained privacy audit log (minimal; the
# privacy module of issue 7 owns its policy)
LIBS               += dpaudit
dpaudit_SRCS       := $(wildcard privacy/audit/*.c)
CLI_LIBS           += dpaudit
CLI_LDLIBS         += -lcrypto

TEST_TOOLS             += dp-audit-verify
dp-audit-verify_SRCS   := test/tools/audit_verify.c
dp-audit-verify_LIBS   := dpaudit
dp-audit-verify_LDLIBS := -lcrypto
