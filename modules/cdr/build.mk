# dpcdr: one sealed call detail record per call (docs/cdr-store.md)
MODULES       += dpcdr
dpcdr_SRCS    := $(wildcard modules/cdr/*.c)
dpcdr_LIBS    := dpstore dpcrypto dpfw
dpcdr_LDLIBS  = $(DPCRYPTO_LDLIBS)   # (set later, by privacy/crypto)

UNIT_TESTS             += cdr_classify
test_cdr_classify_SRCS := test/unit/test_cdr_classify.c modules/cdr/classify.c
test_cdr_classify_LIBS := dpstore
