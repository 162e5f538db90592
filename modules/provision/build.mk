# dpprov: USB provisioning in the daemon: watches for the stick, applies it
# (firmware/provision), runs the provisioned accounts with their passwords
# unsealed in memory
MODULES      += dpprov
dpprov_SRCS  := $(wildcard modules/provision/*.c)
dpprov_LIBS  := dpprovision dpcrypto dpfw
dpprov_SHLIBS := dpapp
# recursive: DPCRYPTO_LDLIBS (privacy/crypto) is defined after this file
dpprov_LDLIBS = $(DPCRYPTO_LDLIBS) -lcrypto -lcjson -lpthread
