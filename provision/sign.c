/**
 * @file sign.c  Ed25519 signing keys, signatures and key ids
 *
 * Keys are stored as PEM (PKCS#8 for the private key, SubjectPublicKeyInfo
 * for the public one), so `openssl pkey` reads them too.  A key id is the
 * first 8 bytes of SHA-256 over the raw 32-byte public key, in hex.  The
 * cryptography is privacy/crypto's.
 */
#include <errno.h>
#include <string.h>
#include <re.h>
#include "privacy/crypto/crypto.h"
#include "prov_int.h"

struct prov_key {
	uint8_t pub[DP_CURVE_KEY_LEN];
	uint8_t priv[DP_CURVE_KEY_LEN];
	bool has_priv;
	char id[17];
};


static void key_destructor(void *arg)
{
	struct prov_key *k = arg;

	dp_wipe(k->priv, sizeof(k->priv));
}


/* A key object for `pub` (and `priv`, if given: then wiped). */
static int key_new(struct prov_key **kp, const uint8_t pub[DP_CURVE_KEY_LEN],
		   uint8_t *priv)
{
	uint8_t digest[DP_SHA256_LEN];
	struct prov_key *k;

	k = mem_zalloc(sizeof(*k), key_destructor);
	if (!k) {
		if (priv)
			dp_wipe(priv, DP_CURVE_KEY_LEN);
		return ENOMEM;
	}

	memcpy(k->pub, pub, sizeof(k->pub));
	if (priv) {
		memcpy(k->priv, priv, sizeof(k->priv));
		dp_wipe(priv, DP_CURVE_KEY_LEN);
		k->has_priv = true;
	}
	(void)dp_sha256(k->pub, sizeof(k->pub), digest);
	re_snprintf(k->id, sizeof(k->id), "%w", digest, (size_t)8);
	*kp = k;

	return 0;
}


int prov_key_generate(struct prov_key **kp)
{
	uint8_t priv[DP_CURVE_KEY_LEN], pub[DP_CURVE_KEY_LEN];
	int err;

	if (!kp)
		return EINVAL;

	err = dp_key_generate(DP_KEY_ED25519, priv, pub);
	if (err)
		return err;

	return key_new(kp, pub, priv);
}


const char *prov_key_id(const struct prov_key *k)
{
	return k ? k->id : "";
}


int prov_key_public_pem(const struct prov_key *k, char **pemp)
{
	if (!k || !pemp)
		return EINVAL;

	return dp_key_write_public(DP_KEY_ED25519, k->pub, pemp);
}


int prov_key_save(const struct prov_key *k, const char *prefix)
{
	if (!k || !prefix || !k->has_priv)
		return EINVAL;

	return dp_key_save(DP_KEY_ED25519, k->priv, prefix);
}


int prov_key_load_private(struct prov_key **kp, const char *path)
{
	uint8_t priv[DP_CURVE_KEY_LEN], pub[DP_CURVE_KEY_LEN];
	int err;

	if (!kp || !path)
		return EINVAL;

	err = dp_key_load(DP_KEY_ED25519, true, path, priv);
	if (!err)
		err = dp_key_public(DP_KEY_ED25519, priv, pub);
	if (err) {
		dp_wipe(priv, sizeof(priv));
		return err;
	}

	return key_new(kp, pub, priv);
}


int prov_key_load_public(struct prov_key **kp, const char *pem, size_t len)
{
	uint8_t pub[DP_CURVE_KEY_LEN];
	int err;

	if (!kp || !pem || len > PROV_MAX_PUBKEY)
		return EINVAL;

	err = dp_key_read_public(DP_KEY_ED25519, pem, len, pub);
	if (err)
		return err;

	return key_new(kp, pub, NULL);
}


int prov_pubkey_check(const char *pem, size_t len)
{
	if (!pem || len > PROV_MAX_PUBKEY || memchr(pem, '\0', len))
		return EINVAL;

	return dp_pem_public_check(pem, len);
}


int prov_sign(const struct prov_key *k, const void *msg, size_t len,
	      uint8_t sig[PROV_SIG_LEN])
{
	if (!k || !msg || !sig || !k->has_priv)
		return EINVAL;

	return dp_ed25519_sign(k->priv, msg, len, sig) ? EINVAL : 0;
}


int prov_verify(const struct prov_key *k, const void *msg, size_t len,
		const uint8_t sig[PROV_SIG_LEN])
{
	if (!k || !msg || !sig)
		return EINVAL;

	return dp_ed25519_verify(k->pub, msg, len, sig);
}
