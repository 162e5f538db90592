# dpprovision: the signed provisioning stick (installer side) and applying
# it on the phone (docs/provisioning.md).  Used by `deskphone provision`
# and by the dpprov module.
LIBS               += dpprovision
dpprovision_SRCS   := $(wildcard firmware/provision/*.c)
CLI_LIBS           += dpprovision dpcrypto
CLI_LDLIBS         += -lcrypto -lcjson

UNIT_TESTS         += provision
test_provision_SRCS := test/unit/test_provision.c
test_provision_LIBS := dpprovision dpcrypto dpfw
test_provision_LDLIBS := -lcrypto -lcjson

DEPS_PKGS          += libcjson-dev libssl-dev

# signs a stick a test edited (test/integration/provision.sh)
TEST_TOOLS         += dp-prov-resign
dp-prov-resign_SRCS := test/tools/prov_resign.c
dp-prov-resign_LIBS := dpprovision dpcrypto dpfw
dp-prov-resign_LDLIBS := -lre -lcrypto -lcjson -lpthread -lm
