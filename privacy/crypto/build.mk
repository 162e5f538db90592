# dpcrypto: AEAD, HKDF, hashes, the device secret, sealed blobs.
# CRYPTO=openssl (default) or CRYPTO=mbedtls picks the back-end.
LIBS           += dpcrypto
dpcrypto_SRCS  := privacy/crypto/devsecret.c privacy/crypto/seal.c \
		  privacy/crypto/crypto_$(CRYPTO).c
ifeq ($(CRYPTO),mbedtls)
DPCRYPTO_LDLIBS := -lmbedcrypto
else
DPCRYPTO_LDLIBS := -lcrypto
endif

UNIT_TESTS       += crypto
test_crypto_SRCS := test/unit/test_crypto.c
test_crypto_LIBS := dpcrypto dpfw
test_crypto_LDLIBS := $(DPCRYPTO_LDLIBS)
