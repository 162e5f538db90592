/**
 * @file crypto.h  The cryptography deskphone uses, behind one interface
 *
 * Two back-ends implement the primitives below, chosen at build time:
 * OpenSSL 3 (crypto_openssl.c, the default) and mbedTLS 2.28 (for small
 * boards).  Both give identical results for identical inputs, so data
 * written by one is read by the other.  What sits on top of the
 * primitives (device secret, sealed blobs) is shared code.
 *
 * All functions return 0 or an errno value; a failed authentication is
 * EBADMSG.  Nothing here logs, and key material is wiped after use.
 */
#ifndef DESKPHONE_CRYPTO_H
#define DESKPHONE_CRYPTO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum {
	DP_KEY_LEN       = 32,   /* AES-256, HMAC-SHA256, device secret */
	DP_GCM_NONCE_LEN = 12,
	DP_GCM_TAG_LEN   = 16,
	DP_SHA256_LEN    = 32,
};

/* Name and version of the back-end, e.g. "OpenSSL 3.0.x". */
const char *dp_crypto_backend(void);

/* Bytes from the operating system's CSPRNG. */
int dp_random(uint8_t *buf, size_t len);

int dp_sha256(const void *data, size_t len, uint8_t out[DP_SHA256_LEN]);
int dp_hmac_sha256(const uint8_t *key, size_t keylen, const void *data,
		   size_t len, uint8_t out[DP_SHA256_LEN]);

/* HKDF-SHA256 (RFC 5869): extract with `salt`, expand with `info`. */
int dp_hkdf_sha256(const uint8_t *ikm, size_t ikmlen,
		   const uint8_t *salt, size_t saltlen,
		   const uint8_t *info, size_t infolen,
		   uint8_t *out, size_t outlen);

/*
 * AES-256-GCM.  `ct` has room for `len` bytes (it may be `pt` itself).
 * A nonce must never be used twice with one key: callers own that rule.
 */
int dp_aead_seal(const uint8_t key[DP_KEY_LEN],
		 const uint8_t nonce[DP_GCM_NONCE_LEN],
		 const uint8_t *aad, size_t aadlen,
		 const uint8_t *pt, size_t len,
		 uint8_t *ct, uint8_t tag[DP_GCM_TAG_LEN]);
/* EBADMSG when the tag does not verify; `pt` is then zeroed. */
int dp_aead_open(const uint8_t key[DP_KEY_LEN],
		 const uint8_t nonce[DP_GCM_NONCE_LEN],
		 const uint8_t *aad, size_t aadlen,
		 const uint8_t *ct, size_t len,
		 const uint8_t tag[DP_GCM_TAG_LEN], uint8_t *pt);

/* Overwrite secrets in a way the compiler may not drop. */
void dp_wipe(void *p, size_t len);

/*
 * The device secret: the root of every key on the phone.  Boards name
 * where it comes from (`device_secret_file`); on the sim board it is a
 * file of exactly DP_KEY_LEN random bytes, mode 0600, made on first use
 * when `create` is true.  A file of the wrong size, or readable by group
 * or others, is refused (EINVAL, EACCES) rather than used.
 */
int dp_device_secret_load(const char *path, bool create,
			  uint8_t secret[DP_KEY_LEN]);

/* A key for one purpose: HKDF(secret, "deskphone-v1", label). */
int dp_derive_key(const uint8_t secret[DP_KEY_LEN], const char *label,
		  uint8_t key[DP_KEY_LEN]);

/*
 * Sealed blobs, for small secrets at rest (a SIP password, a key): the
 * result is "DPS1" | nonce (random) | ciphertext | tag, sealed under
 * dp_derive_key(secret, label) with the label as associated data, so a
 * blob sealed for one purpose does not open for another.  *outp comes
 * from mem_alloc(); the plaintext from dp_unseal is NUL-terminated (not
 * counted in *lenp) and should be wiped by the caller after use.
 */
int dp_seal(const uint8_t secret[DP_KEY_LEN], const char *label,
	    const uint8_t *pt, size_t len, uint8_t **outp, size_t *lenp);
int dp_unseal(const uint8_t secret[DP_KEY_LEN], const char *label,
	      const uint8_t *blob, size_t bloblen,
	      uint8_t **outp, size_t *lenp);

#endif
