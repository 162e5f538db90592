/**
 * @file crypto.h  The cryptography deskphone uses, behind one interface
 *
 * Every cryptographic operation of ours goes through this header: no
 * other file includes a crypto library's header (`make test` checks it,
 * test/integration/crypto_boundary.sh).  One back-end implements the
 * primitives: OpenSSL 3 (crypto_openssl.c).  What sits on top of them
 * (device secret, sealed blobs) is back-end-free code.
 *
 * There was a second back-end, mbedTLS 2.28, meant to let a small board
 * ship without OpenSSL.  It was dropped: it could never do that, because
 * OpenSSL ships on the phone anyway (Debian's libre, which baresip and
 * all our modules run on, links libssl and libcrypto, and SIP over TLS
 * is OpenSSL's), and mbedTLS 2.28 has no Ed25519 at all (provisioning
 * signatures) nor a reader for X25519 keys (bundle sealing), so half of
 * this interface would have had to come from OpenSSL in such a build
 * too.  Another back-end must implement everything below and pass
 * test_crypto's known answers.
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

/*
 * Overwrite secrets in a way the compiler may not drop: the one way
 * secrets are wiped (a plain memset before a free may be removed).
 */
void dp_wipe(void *p, size_t len);

/*
 * Streaming SHA-256: update any number of times, final gives the digest
 * and starts the next message.  A mem object (mem_deref frees it).
 */
struct dp_sha256;
int dp_sha256_alloc(struct dp_sha256 **hp);
int dp_sha256_update(struct dp_sha256 *h, const void *data, size_t len);
int dp_sha256_final(struct dp_sha256 *h, uint8_t out[DP_SHA256_LEN]);

/*
 * Keyed HMAC-SHA256, streaming: the key is taken once (its pads are
 * computed once, so many short messages cost little); final gives the
 * MAC and starts the next message under the same key.  A mem object
 * (mem_deref frees it and wipes the key's state).
 */
struct dp_hmac;
int dp_hmac_alloc(struct dp_hmac **hp, const uint8_t *key, size_t keylen);
int dp_hmac_update(struct dp_hmac *h, const void *data, size_t len);
int dp_hmac_final(struct dp_hmac *h, uint8_t out[DP_SHA256_LEN]);

/*
 * Ed25519 (RFC 8032) signatures and X25519 (RFC 7748) key agreement.
 * Keys are raw 32-byte strings; a private key is the RFC's 32-byte seed
 * (Ed25519) or scalar (X25519).  Callers wipe private keys with dp_wipe.
 */
enum {
	DP_CURVE_KEY_LEN   = 32,
	DP_ED25519_SIG_LEN = 64,
};

enum dp_key_type { DP_KEY_ED25519, DP_KEY_X25519 };

/* A new key pair from the CSPRNG. */
int dp_key_generate(enum dp_key_type type, uint8_t priv[DP_CURVE_KEY_LEN],
		    uint8_t pub[DP_CURVE_KEY_LEN]);
/* The public key of a private one. */
int dp_key_public(enum dp_key_type type,
		  const uint8_t priv[DP_CURVE_KEY_LEN],
		  uint8_t pub[DP_CURVE_KEY_LEN]);

/*
 * Keys as PEM text, the files `openssl pkey` reads and writes: PKCS#8
 * for a private key, SubjectPublicKeyInfo for a public one.  *pemp
 * comes from mem_alloc() (NUL-terminated; wipe a private one).  Reading
 * gives EINVAL for anything but one key of `type` (dp_pem_public_check:
 * of any type the back-end knows).
 */
int dp_key_write_private(enum dp_key_type type,
			 const uint8_t priv[DP_CURVE_KEY_LEN], char **pemp);
int dp_key_write_public(enum dp_key_type type,
			const uint8_t pub[DP_CURVE_KEY_LEN], char **pemp);
int dp_key_read_private(enum dp_key_type type, const char *pem, size_t len,
			uint8_t priv[DP_CURVE_KEY_LEN]);
int dp_key_read_public(enum dp_key_type type, const char *pem, size_t len,
		       uint8_t pub[DP_CURVE_KEY_LEN]);
int dp_pem_public_check(const char *pem, size_t len);

/*
 * Key files: PREFIX.key (PKCS#8, 0600) and PREFIX.pub (0644), both
 * synced; EEXIST if either exists, and neither is left on failure.
 * dp_key_load reads one (a regular file of at most 16 KiB: EINVAL
 * otherwise, as for anything but one key of `type`).
 */
int dp_key_save(enum dp_key_type type, const uint8_t priv[DP_CURVE_KEY_LEN],
		const char *prefix);
int dp_key_load(enum dp_key_type type, bool priv, const char *path,
		uint8_t key[DP_CURVE_KEY_LEN]);

int dp_ed25519_sign(const uint8_t priv[DP_CURVE_KEY_LEN], const void *msg,
		    size_t len, uint8_t sig[DP_ED25519_SIG_LEN]);
/* EBADMSG when the signature does not verify. */
int dp_ed25519_verify(const uint8_t pub[DP_CURVE_KEY_LEN], const void *msg,
		      size_t len, const uint8_t sig[DP_ED25519_SIG_LEN]);

/*
 * X25519(priv, peer): the shared secret.  EACCES when there is none
 * (a low-order peer key gives all zeros).
 */
int dp_x25519(const uint8_t priv[DP_CURVE_KEY_LEN],
	      const uint8_t peer[DP_CURVE_KEY_LEN],
	      uint8_t shared[DP_CURVE_KEY_LEN]);

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
