# dpcdr: one sealed call detail record per call (docs/cdr-store.md); the
# privacy rules for new records and the store's writer side of purges,
# corrections and erasure (docs/privacy.md)
MODULES       += dpcdr
dpcdr_SRCS    := $(wildcard modules/cdr/*.c)
dpcdr_LIBS    := dppolicy dpaudit dpstore dpcrypto dpbase
dpcdr_SHLIBS  := dpapp
dpcdr_LDLIBS  = $(DPCRYPTO_LDLIBS) -lcjson   # (set later, by privacy/crypto)

UNIT_TESTS             += cdr_classify
test_cdr_classify_SRCS := test/unit/test_cdr_classify.c modules/cdr/classify.c
test_cdr_classify_LIBS := dpstore
