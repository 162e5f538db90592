/**
 * @file crypto_mbedtls.c  Primitives over mbedTLS 2.28 (for small boards)
 *
 * Random bytes come from a CTR_DRBG that is seeded from the kernel and
 * thrown away after each call: no generator state outlives a call, so
 * a forked child never repeats its parent's output and there is nothing
 * global to reset.
 */
#include <errno.h>
#include <string.h>
#include <sys/random.h>
#include <mbedtls/ctr_drbg.h>
#include <mbedtls/gcm.h>
#include <mbedtls/hkdf.h>
#include <mbedtls/md.h>
#include <mbedtls/platform_util.h>
#include <mbedtls/sha256.h>
#include <mbedtls/version.h>
#include "crypto.h"


const char *dp_crypto_backend(void)
{
	return MBEDTLS_VERSION_STRING_FULL;
}


static int kernel_entropy(void *arg, unsigned char *buf, size_t len)
{
	(void)arg;

	while (len) {
		ssize_t n = getrandom(buf, len, 0);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return MBEDTLS_ERR_CTR_DRBG_ENTROPY_SOURCE_FAILED;
		}
		buf += n;
		len -= (size_t)n;
	}

	return 0;
}


int dp_random(uint8_t *buf, size_t len)
{
	static const unsigned char pers[] = "deskphone dp_random";
	mbedtls_ctr_drbg_context drbg;
	int err = 0;

	if (!buf && len)
		return EINVAL;

	mbedtls_ctr_drbg_init(&drbg);
	if (mbedtls_ctr_drbg_seed(&drbg, kernel_entropy, NULL, pers,
				  sizeof(pers) - 1)) {
		err = EIO;
		goto out;
	}

	while (len) {
		size_t n = len > MBEDTLS_CTR_DRBG_MAX_REQUEST ?
			MBEDTLS_CTR_DRBG_MAX_REQUEST : len;

		if (mbedtls_ctr_drbg_random(&drbg, buf, n)) {
			err = EIO;
			break;
		}
		buf += n;
		len -= n;
	}

 out:
	mbedtls_ctr_drbg_free(&drbg);

	return err;
}


int dp_sha256(const void *data, size_t len, uint8_t out[DP_SHA256_LEN])
{
	if ((!data && len) || !out)
		return EINVAL;

	return mbedtls_sha256_ret(data, len, out, 0) ? EIO : 0;
}


int dp_hmac_sha256(const uint8_t *key, size_t keylen, const void *data,
		   size_t len, uint8_t out[DP_SHA256_LEN])
{
	const mbedtls_md_info_t *md;

	if (!key || (!data && len) || !out)
		return EINVAL;

	md = mbedtls_md_info_from_type(MBEDTLS_MD_SHA256);
	if (!md)
		return ENOSYS;

	return mbedtls_md_hmac(md, key, keylen, data, len, out) ? EIO : 0;
}


int dp_hkdf_sha256(const uint8_t *ikm, size_t ikmlen,
		   const uint8_t *salt, size_t saltlen,
		   const uint8_t *info, size_t infolen,
		   uint8_t *out, size_t outlen)
{
	const mbedtls_md_info_t *md;

	if (!ikm || !out || !outlen)
		return EINVAL;

	md = mbedtls_md_info_from_type(MBEDTLS_MD_SHA256);
	if (!md)
		return ENOSYS;

	if (mbedtls_hkdf(md, salt && saltlen ? salt : NULL,
			 salt ? saltlen : 0, ikm, ikmlen,
			 info && infolen ? info : NULL, info ? infolen : 0,
			 out, outlen))
		return EIO;

	return 0;
}


int dp_aead_seal(const uint8_t key[DP_KEY_LEN],
		 const uint8_t nonce[DP_GCM_NONCE_LEN],
		 const uint8_t *aad, size_t aadlen,
		 const uint8_t *pt, size_t len,
		 uint8_t *ct, uint8_t tag[DP_GCM_TAG_LEN])
{
	mbedtls_gcm_context gcm;
	int err = 0;

	if (!key || !nonce || (!aad && aadlen) || (!pt && len) ||
	    (!ct && len) || !tag)
		return EINVAL;

	mbedtls_gcm_init(&gcm);
	if (mbedtls_gcm_setkey(&gcm, MBEDTLS_CIPHER_ID_AES, key,
			       DP_KEY_LEN * 8) ||
	    mbedtls_gcm_crypt_and_tag(&gcm, MBEDTLS_GCM_ENCRYPT, len,
				      nonce, DP_GCM_NONCE_LEN, aad, aadlen,
				      pt, ct, DP_GCM_TAG_LEN, tag))
		err = EIO;
	mbedtls_gcm_free(&gcm);

	return err;
}


int dp_aead_open(const uint8_t key[DP_KEY_LEN],
		 const uint8_t nonce[DP_GCM_NONCE_LEN],
		 const uint8_t *aad, size_t aadlen,
		 const uint8_t *ct, size_t len,
		 const uint8_t tag[DP_GCM_TAG_LEN], uint8_t *pt)
{
	mbedtls_gcm_context gcm;
	int err = 0, r;

	if (!key || !nonce || (!aad && aadlen) || (!ct && len) ||
	    (!pt && len) || !tag)
		return EINVAL;

	mbedtls_gcm_init(&gcm);
	r = mbedtls_gcm_setkey(&gcm, MBEDTLS_CIPHER_ID_AES, key,
			       DP_KEY_LEN * 8);
	if (!r)
		r = mbedtls_gcm_auth_decrypt(&gcm, len, nonce,
					     DP_GCM_NONCE_LEN, aad, aadlen,
					     tag, DP_GCM_TAG_LEN, ct, pt);
	if (r == MBEDTLS_ERR_GCM_AUTH_FAILED)
		err = EBADMSG;
	else if (r)
		err = EIO;
	mbedtls_gcm_free(&gcm);

	if (err && pt)
		dp_wipe(pt, len);

	return err;
}


void dp_wipe(void *p, size_t len)
{
	if (p && len)
		mbedtls_platform_zeroize(p, len);
}
