# dpstore: the encrypted call-record ring (docs/cdr-store.md).  It calls
# dpcrypto only through crypto.h, so one build of it serves both back-ends.
LIBS         += dpstore
dpstore_SRCS := $(wildcard privacy/store/*.c)

# unit tests, once per crypto back-end
UNIT_TESTS               += store store_mbedtls
test_store_SRCS          := test/unit/test_store.c test/unit/store_fixture.c
test_store_LIBS          := dpstore dpcrypto_openssl dpfw
test_store_LDLIBS        := $(DPCRYPTO_openssl_LDLIBS)
test_store_mbedtls_SRCS  := $(test_store_SRCS)
test_store_mbedtls_LIBS  := dpstore dpcrypto_mbedtls dpfw
test_store_mbedtls_LDLIBS := $(DPCRYPTO_mbedtls_LDLIBS)
