# dpprivacy: the privacy policy at work in the daemon (docs/privacy.md)
MODULES           += dpprivacy
dpprivacy_SRCS    := $(wildcard modules/privacy/*.c)
dpprivacy_LIBS    := dppolicy dpaudit dpstore dpcrypto dpbase
dpprivacy_SHLIBS  := dpapp
dpprivacy_LDLIBS  = $(DPCRYPTO_LDLIBS) -lcjson
