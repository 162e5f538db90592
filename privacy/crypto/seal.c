/**
 * @file seal.c  Sealed blobs: small secrets at rest under the device key
 *
 * Blob layout: "DPS1" | nonce (12) | ciphertext | tag (16).  Nonces are
 * random: each label has a key of its own and seals few blobs, far below
 * the 2^32 limit NIST SP 800-38D sets for random 96-bit nonces.
 */
#include <errno.h>
#include <string.h>
#include <re.h>
#include "crypto.h"

static const uint8_t blob_magic[4] = { 'D', 'P', 'S', '1' };

enum {
	BLOB_OVERHEAD = sizeof(blob_magic) + DP_GCM_NONCE_LEN +
			DP_GCM_TAG_LEN,
	BLOB_MAX = 1 << 20,
};


int dp_seal(const uint8_t secret[DP_KEY_LEN], const char *label,
	    const uint8_t *pt, size_t len, uint8_t **outp, size_t *lenp)
{
	uint8_t key[DP_KEY_LEN], *blob, *nonce;
	int err;

	if (!secret || !label || (!pt && len) || !outp || !lenp ||
	    len > BLOB_MAX)
		return EINVAL;

	blob = mem_alloc(len + BLOB_OVERHEAD, NULL);
	if (!blob)
		return ENOMEM;

	memcpy(blob, blob_magic, sizeof(blob_magic));
	nonce = blob + sizeof(blob_magic);

	err = dp_derive_key(secret, label, key);
	if (!err)
		err = dp_random(nonce, DP_GCM_NONCE_LEN);
	if (!err)
		err = dp_aead_seal(key, nonce, (const uint8_t *)label,
				   strlen(label), pt, len,
				   nonce + DP_GCM_NONCE_LEN,
				   nonce + DP_GCM_NONCE_LEN + len);
	dp_wipe(key, sizeof(key));

	if (err) {
		mem_deref(blob);
		return err;
	}

	*outp = blob;
	*lenp = len + BLOB_OVERHEAD;

	return 0;
}


int dp_unseal(const uint8_t secret[DP_KEY_LEN], const char *label,
	      const uint8_t *blob, size_t bloblen,
	      uint8_t **outp, size_t *lenp)
{
	uint8_t key[DP_KEY_LEN], *pt;
	const uint8_t *nonce;
	size_t len;
	int err;

	if (!secret || !label || !blob || !outp)
		return EINVAL;

	if (bloblen < BLOB_OVERHEAD ||
	    memcmp(blob, blob_magic, sizeof(blob_magic)))
		return EBADMSG;

	len = bloblen - BLOB_OVERHEAD;
	nonce = blob + sizeof(blob_magic);

	pt = mem_zalloc(len + 1, NULL);
	if (!pt)
		return ENOMEM;

	err = dp_derive_key(secret, label, key);
	if (!err)
		err = dp_aead_open(key, nonce, (const uint8_t *)label,
				   strlen(label), nonce + DP_GCM_NONCE_LEN,
				   len, nonce + DP_GCM_NONCE_LEN + len, pt);
	dp_wipe(key, sizeof(key));

	if (err) {
		dp_wipe(pt, len + 1);
		mem_deref(pt);
		return err;
	}

	*outp = pt;
	if (lenp)
		*lenp = len;

	return 0;
}
