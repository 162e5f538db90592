# dpcrypto: every cryptographic operation of ours (crypto.h): AEAD, HKDF,
# hashes and HMAC (one-shot and streaming), Ed25519, X25519 and their PEM
# keys, random bytes, the one wipe, the device secret and sealed blobs.
# One back-end, OpenSSL 3 (crypto.h says why mbedTLS was dropped).  Link
# it with $(DPCRYPTO_LDLIBS).
ifdef CRYPTO
$(error CRYPTO=$(CRYPTO): there is one crypto back-end, OpenSSL (privacy/crypto/crypto.h says why))
endif
DPCRYPTO_LDLIBS := -lcrypto

LIBS          += dpcrypto
dpcrypto_SRCS := privacy/crypto/devsecret.c privacy/crypto/seal.c \
		 privacy/crypto/keyfile.c \
		 privacy/crypto/crypto_openssl.c privacy/crypto/curve_openssl.c

UNIT_TESTS       += crypto
test_crypto_SRCS := test/unit/test_crypto.c
test_crypto_LIBS := dpcrypto dpbase
test_crypto_LDLIBS := $(DPCRYPTO_LDLIBS)
