# dpcrypto: AEAD, HKDF, hashes, device secret and sealed blobs.
#
# Both back-ends are built every time, so tests and benchmarks use both in
# one run:  dpcrypto_openssl (-lcrypto) and dpcrypto_mbedtls (-lmbedcrypto).
# `dpcrypto` is the one CRYPTO=openssl (default) or CRYPTO=mbedtls picks for
# what ships; link it with $(DPCRYPTO_LDLIBS), assigned with `=` (a build.mk
# read before this one sees it empty at `:=` time).
DPCRYPTO_COMMON := privacy/crypto/devsecret.c privacy/crypto/seal.c
DPCRYPTO_openssl_LDLIBS := -lcrypto
DPCRYPTO_mbedtls_LDLIBS := -lmbedcrypto

ifeq ($(filter $(CRYPTO),openssl mbedtls),)
$(error CRYPTO must be openssl or mbedtls, not '$(CRYPTO)')
endif

LIBS                  += dpcrypto_openssl dpcrypto_mbedtls dpcrypto
dpcrypto_openssl_SRCS := $(DPCRYPTO_COMMON) privacy/crypto/crypto_openssl.c
dpcrypto_mbedtls_SRCS := $(DPCRYPTO_COMMON) privacy/crypto/crypto_mbedtls.c
dpcrypto_SRCS         := $(dpcrypto_$(CRYPTO)_SRCS)
DPCRYPTO_LDLIBS       := $(DPCRYPTO_$(CRYPTO)_LDLIBS)

# one unit-test program per back-end, same tests
UNIT_TESTS                 += crypto crypto_mbedtls
test_crypto_SRCS           := test/unit/test_crypto.c
test_crypto_LIBS           := dpcrypto_openssl dpfw
test_crypto_LDLIBS         := $(DPCRYPTO_openssl_LDLIBS)
test_crypto_mbedtls_SRCS   := test/unit/test_crypto.c
test_crypto_mbedtls_LIBS   := dpcrypto_mbedtls dpfw
test_crypto_mbedtls_LDLIBS := $(DPCRYPTO_mbedtls_LDLIBS)
