# dpprovision: the signed provisioning stick (installer side) and applying
# it on the phone (docs/provisioning.md).  Used by `deskphone provision`
# and by the dpprov module.
LIBS               += dpprovision
dpprovision_SRCS   := $(wildcard provision/*.c)
CLI_LIBS           += dpprovision dpcrypto
CLI_LDLIBS         += -lcrypto -lcjson

UNIT_TESTS         += provision
test_provision_SRCS := test/unit/test_provision.c
test_provision_LIBS := dpprovision dppolicy dpaudit dpstore dpcrypto dpbase
# recursive: DPCRYPTO_LDLIBS comes from privacy/crypto/build.mk
test_provision_LDLIBS = $(DPCRYPTO_LDLIBS) -lcrypto -lcjson

DEPS_PKGS          += libcjson-dev libssl-dev

# signs a stick a test edited (test/integration/provision.sh)
TEST_TOOLS         += dp-prov-resign
dp-prov-resign_SRCS := test/tools/prov_resign.c
dp-prov-resign_LIBS := dpprovision dpcrypto dpbase
dp-prov-resign_LDLIBS = $(DPCRYPTO_LDLIBS) -lre -lcrypto -lcjson -lpthread -lm

# the udev rule that mounts the stick, the mount point, the directory of
# keys trusted at the factory.
INSTALL_HOOKS      += install-provision
.PHONY: install-provision
install-provision:
	install -d $(DESTDIR)/lib/udev/rules.d $(DESTDIR)/media/deskphone-usb \
		$(DESTDIR)$(SYSCONFDIR)/deskphone/trusted-keys
	install -m 0644 firmware/udev/90-deskphone-usb.rules \
		$(DESTDIR)/lib/udev/rules.d/90-deskphone-usb.rules

BENCH_SCRIPTS      += test/bench/provision.sh
DEPS_PKGS          += time

# libFuzzer harness: every file on a stick (site, phones, CSV, manifest,
# signature), stick paths against a stick with links, ${local_conf}'s
# block, single field values; seeds from a stick made from the examples
FUZZERS               += provision
fuzz_provision_LIBS   := dpprovision dpcrypto dpbase
fuzz_provision_LDLIBS  = $(DPCRYPTO_LDLIBS) -lcrypto -lcjson
