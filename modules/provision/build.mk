# dpprov: USB provisioning in the daemon: watches for the stick, applies it
# (provision/), runs the provisioned accounts with their passwords
# unsealed in memory
MODULES      += dpprov
dpprov_SRCS  := $(wildcard modules/provision/*.c)
dpprov_LIBS  := dpprovision dpcrypto dpbase
dpprov_SHLIBS := dpapp
# recursive: DPCRYPTO_LDLIBS comes from privacy/crypto/build.mk
dpprov_LDLIBS = $(DPCRYPTO_LDLIBS) -lcrypto -lcjson -lpthread
