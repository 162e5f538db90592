/**
 * @file crypto_openssl.c  Primitives over OpenSSL 3 (the default back-end)
 */
#include <errno.h>
#include <string.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/kdf.h>
#include <openssl/opensslv.h>
#include <openssl/params.h>
#include <openssl/rand.h>
#include <re.h>
#include "crypto.h"


const char *dp_crypto_backend(void)
{
	return OpenSSL_version(OPENSSL_VERSION);
}


int dp_random(uint8_t *buf, size_t len)
{
	if (!buf && len)
		return EINVAL;

	while (len) {
		int n = len > 1 << 20 ? 1 << 20 : (int)len;

		if (RAND_bytes(buf, n) != 1)
			return EIO;
		buf += n;
		len -= (size_t)n;
	}

	return 0;
}


int dp_sha256(const void *data, size_t len, uint8_t out[DP_SHA256_LEN])
{
	unsigned int n = 0;

	if ((!data && len) || !out)
		return EINVAL;

	if (EVP_Digest(data, len, out, &n, EVP_sha256(), NULL) != 1 ||
	    n != DP_SHA256_LEN)
		return EIO;

	return 0;
}


int dp_hmac_sha256(const uint8_t *key, size_t keylen, const void *data,
		   size_t len, uint8_t out[DP_SHA256_LEN])
{
	unsigned int n = 0;

	if (!key || (!data && len) || !out || keylen > INT32_MAX)
		return EINVAL;

	if (!HMAC(EVP_sha256(), key, (int)keylen, data, len, out, &n) ||
	    n != DP_SHA256_LEN)
		return EIO;

	return 0;
}


int dp_hkdf_sha256(const uint8_t *ikm, size_t ikmlen,
		   const uint8_t *salt, size_t saltlen,
		   const uint8_t *info, size_t infolen,
		   uint8_t *out, size_t outlen)
{
	OSSL_PARAM params[5], *p = params;
	EVP_KDF_CTX *ctx;
	EVP_KDF *kdf;
	int err = 0;

	if (!ikm || !out || !outlen)
		return EINVAL;

	kdf = EVP_KDF_fetch(NULL, "HKDF", NULL);
	ctx = kdf ? EVP_KDF_CTX_new(kdf) : NULL;
	EVP_KDF_free(kdf);
	if (!ctx)
		return ENOSYS;

	*p++ = OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST,
						(char *)"SHA256", 0);
	*p++ = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_KEY,
						 (void *)ikm, ikmlen);
	if (salt && saltlen)
		*p++ = OSSL_PARAM_construct_octet_string(
			OSSL_KDF_PARAM_SALT, (void *)salt, saltlen);
	if (info && infolen)
		*p++ = OSSL_PARAM_construct_octet_string(
			OSSL_KDF_PARAM_INFO, (void *)info, infolen);
	*p = OSSL_PARAM_construct_end();

	if (EVP_KDF_derive(ctx, out, outlen, params) != 1)
		err = EIO;

	EVP_KDF_CTX_free(ctx);

	return err;
}


static int gcm(bool enc, const uint8_t key[DP_KEY_LEN],
	       const uint8_t nonce[DP_GCM_NONCE_LEN],
	       const uint8_t *aad, size_t aadlen,
	       const uint8_t *in, size_t len, uint8_t *out, uint8_t *tag)
{
	EVP_CIPHER_CTX *ctx;
	int n = 0, err = 0;

	if (!key || !nonce || (!aad && aadlen) || (!in && len) ||
	    (!out && len) || !tag || len > INT32_MAX || aadlen > INT32_MAX)
		return EINVAL;

	ctx = EVP_CIPHER_CTX_new();
	if (!ctx)
		return ENOMEM;

	if (EVP_CipherInit_ex(ctx, EVP_aes_256_gcm(), NULL, NULL, NULL,
			      enc) != 1 ||
	    EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_IVLEN,
				DP_GCM_NONCE_LEN, NULL) != 1 ||
	    EVP_CipherInit_ex(ctx, NULL, NULL, key, nonce, enc) != 1) {
		err = EIO;
		goto out;
	}

	if (aadlen && EVP_CipherUpdate(ctx, NULL, &n, aad, (int)aadlen) != 1) {
		err = EIO;
		goto out;
	}

	if (len && EVP_CipherUpdate(ctx, out, &n, in, (int)len) != 1) {
		err = EIO;
		goto out;
	}

	if (!enc && EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_TAG,
					DP_GCM_TAG_LEN, tag) != 1) {
		err = EIO;
		goto out;
	}

	if (EVP_CipherFinal_ex(ctx, out ? out + n : NULL, &n) != 1) {
		err = enc ? EIO : EBADMSG;
		goto out;
	}

	if (enc && EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_GET_TAG,
				       DP_GCM_TAG_LEN, tag) != 1)
		err = EIO;

 out:
	EVP_CIPHER_CTX_free(ctx);
	if (err && !enc && out)
		dp_wipe(out, len);

	return err;
}


int dp_aead_seal(const uint8_t key[DP_KEY_LEN],
		 const uint8_t nonce[DP_GCM_NONCE_LEN],
		 const uint8_t *aad, size_t aadlen,
		 const uint8_t *pt, size_t len,
		 uint8_t *ct, uint8_t tag[DP_GCM_TAG_LEN])
{
	return gcm(true, key, nonce, aad, aadlen, pt, len, ct, tag);
}


int dp_aead_open(const uint8_t key[DP_KEY_LEN],
		 const uint8_t nonce[DP_GCM_NONCE_LEN],
		 const uint8_t *aad, size_t aadlen,
		 const uint8_t *ct, size_t len,
		 const uint8_t tag[DP_GCM_TAG_LEN], uint8_t *pt)
{
	return gcm(false, key, nonce, aad, aadlen, ct, len, pt,
		   (uint8_t *)tag);
}


void dp_wipe(void *p, size_t len)
{
	if (p && len)
		OPENSSL_cleanse(p, len);
}


struct dp_sha256 {
	EVP_MD_CTX *md;
};


static void sha256_destructor(void *arg)
{
	struct dp_sha256 *h = arg;

	EVP_MD_CTX_free(h->md);
}


int dp_sha256_alloc(struct dp_sha256 **hp)
{
	struct dp_sha256 *h;

	if (!hp)
		return EINVAL;

	h = mem_zalloc(sizeof(*h), sha256_destructor);
	if (!h)
		return ENOMEM;

	h->md = EVP_MD_CTX_new();
	if (!h->md || EVP_DigestInit_ex(h->md, EVP_sha256(), NULL) != 1) {
		mem_deref(h);
		return ENOMEM;
	}
	*hp = h;

	return 0;
}


int dp_sha256_update(struct dp_sha256 *h, const void *data, size_t len)
{
	if (!h || (!data && len))
		return EINVAL;

	return EVP_DigestUpdate(h->md, data, len) == 1 ? 0 : EIO;
}


int dp_sha256_final(struct dp_sha256 *h, uint8_t out[DP_SHA256_LEN])
{
	unsigned int n = 0;

	if (!h || !out)
		return EINVAL;

	if (EVP_DigestFinal_ex(h->md, out, &n) != 1 || n != DP_SHA256_LEN ||
	    EVP_DigestInit_ex(h->md, EVP_sha256(), NULL) != 1)
		return EIO;

	return 0;
}


struct dp_hmac {
	EVP_MAC_CTX *ctx;
};


static void hmac_destructor(void *arg)
{
	struct dp_hmac *h = arg;

	EVP_MAC_CTX_free(h->ctx);    /* wipes the key's pads */
}


int dp_hmac_alloc(struct dp_hmac **hp, const uint8_t *key, size_t keylen)
{
	OSSL_PARAM params[2];
	struct dp_hmac *h;
	EVP_MAC *mac;

	if (!hp || !key)
		return EINVAL;

	h = mem_zalloc(sizeof(*h), hmac_destructor);
	if (!h)
		return ENOMEM;

	mac = EVP_MAC_fetch(NULL, "HMAC", NULL);
	h->ctx = mac ? EVP_MAC_CTX_new(mac) : NULL;
	EVP_MAC_free(mac);
	params[0] = OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST,
						     (char *)"SHA256", 0);
	params[1] = OSSL_PARAM_construct_end();
	if (!h->ctx || EVP_MAC_init(h->ctx, key, keylen, params) != 1) {
		mem_deref(h);
		return ENOSYS;
	}
	*hp = h;

	return 0;
}


int dp_hmac_update(struct dp_hmac *h, const void *data, size_t len)
{
	if (!h || (!data && len))
		return EINVAL;

	return EVP_MAC_update(h->ctx, data, len) == 1 ? 0 : EIO;
}


int dp_hmac_final(struct dp_hmac *h, uint8_t out[DP_SHA256_LEN])
{
	size_t n = 0;

	if (!h || !out)
		return EINVAL;

	/* a NULL key starts the next message under the same key */
	if (EVP_MAC_final(h->ctx, out, &n, DP_SHA256_LEN) != 1 ||
	    n != DP_SHA256_LEN ||
	    EVP_MAC_init(h->ctx, NULL, 0, NULL) != 1)
		return EIO;

	return 0;
}
