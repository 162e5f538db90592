/**
 * @file curve_openssl.c  Ed25519, X25519 and their PEM keys over
 *                        OpenSSL 3
 *
 * Every call makes an OpenSSL key from the raw bytes and frees it
 * again: nothing OpenSSL owns outlives a call, and OpenSSL's free wipes
 * a private key.
 */
#include <errno.h>
#include <string.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <re.h>
#include "crypto.h"


static int pkey_id(enum dp_key_type type)
{
	return type == DP_KEY_ED25519 ? EVP_PKEY_ED25519 : EVP_PKEY_X25519;
}


static EVP_PKEY *pkey_private(enum dp_key_type type,
			      const uint8_t priv[DP_CURVE_KEY_LEN])
{
	return EVP_PKEY_new_raw_private_key(pkey_id(type), NULL, priv,
					    DP_CURVE_KEY_LEN);
}


static EVP_PKEY *pkey_public(enum dp_key_type type,
			     const uint8_t pub[DP_CURVE_KEY_LEN])
{
	return EVP_PKEY_new_raw_public_key(pkey_id(type), NULL, pub,
					   DP_CURVE_KEY_LEN);
}


static int raw_public(EVP_PKEY *pk, uint8_t pub[DP_CURVE_KEY_LEN])
{
	size_t n = DP_CURVE_KEY_LEN;

	return EVP_PKEY_get_raw_public_key(pk, pub, &n) == 1 &&
		n == DP_CURVE_KEY_LEN ? 0 : EIO;
}


int dp_key_generate(enum dp_key_type type, uint8_t priv[DP_CURVE_KEY_LEN],
		    uint8_t pub[DP_CURVE_KEY_LEN])
{
	int err;

	if (!priv || !pub)
		return EINVAL;

	err = dp_random(priv, DP_CURVE_KEY_LEN);
	if (!err)
		err = dp_key_public(type, priv, pub);
	if (err)
		dp_wipe(priv, DP_CURVE_KEY_LEN);

	return err;
}


int dp_key_public(enum dp_key_type type,
		  const uint8_t priv[DP_CURVE_KEY_LEN],
		  uint8_t pub[DP_CURVE_KEY_LEN])
{
	EVP_PKEY *pk;
	int err;

	if (!priv || !pub)
		return EINVAL;

	pk = pkey_private(type, priv);
	if (!pk)
		return ENOMEM;
	err = raw_public(pk, pub);
	EVP_PKEY_free(pk);

	return err;
}


static int bio_text(BIO *bio, char **pemp)
{
	char *data = NULL;
	long len = BIO_get_mem_data(bio, &data);
	char *s;

	if (len <= 0)
		return ENOMEM;

	s = mem_alloc((size_t)len + 1, NULL);
	if (!s)
		return ENOMEM;

	memcpy(s, data, (size_t)len);
	s[len] = '\0';
	*pemp = s;

	return 0;
}


static int write_pem(EVP_PKEY *pk, bool priv, char **pemp)
{
	BIO *bio;
	int ok, err;

	if (!pk)
		return ENOMEM;

	bio = BIO_new(BIO_s_mem());
	if (!bio) {
		EVP_PKEY_free(pk);
		return ENOMEM;
	}

	ok = priv ? PEM_write_bio_PrivateKey(bio, pk, NULL, NULL, 0, NULL,
					     NULL) : PEM_write_bio_PUBKEY(bio, pk);
	err = ok == 1 ? bio_text(bio, pemp) : EIO;
	BIO_free_all(bio);   /* the memory BIO clears its buffer */
	EVP_PKEY_free(pk);

	return err;
}


int dp_key_write_private(enum dp_key_type type,
			 const uint8_t priv[DP_CURVE_KEY_LEN], char **pemp)
{
	if (!priv || !pemp)
		return EINVAL;

	return write_pem(pkey_private(type, priv), true, pemp);
}


int dp_key_write_public(enum dp_key_type type,
			const uint8_t pub[DP_CURVE_KEY_LEN], char **pemp)
{
	if (!pub || !pemp)
		return EINVAL;

	return write_pem(pkey_public(type, pub), false, pemp);
}


/* One PEM key of any type OpenSSL reads; EINVAL if there is none. */
static int read_pem(EVP_PKEY **pkp, bool priv, const char *pem, size_t len)
{
	BIO *bio;

	if (!pem || len > INT32_MAX)
		return EINVAL;

	bio = BIO_new_mem_buf(pem, (int)len);
	if (!bio)
		return ENOMEM;

	*pkp = priv ? PEM_read_bio_PrivateKey(bio, NULL, NULL, NULL) :
		PEM_read_bio_PUBKEY(bio, NULL, NULL, NULL);
	BIO_free(bio);
	if (!*pkp) {
		ERR_clear_error();
		return EINVAL;
	}

	return 0;
}


int dp_key_read_private(enum dp_key_type type, const char *pem, size_t len,
			uint8_t priv[DP_CURVE_KEY_LEN])
{
	size_t n = DP_CURVE_KEY_LEN;
	EVP_PKEY *pk;
	int err;

	if (!priv)
		return EINVAL;

	err = read_pem(&pk, true, pem, len);
	if (err)
		return err;

	if (EVP_PKEY_get_id(pk) != pkey_id(type) ||
	    EVP_PKEY_get_raw_private_key(pk, priv, &n) != 1 ||
	    n != DP_CURVE_KEY_LEN) {
		dp_wipe(priv, DP_CURVE_KEY_LEN);
		err = EINVAL;
	}
	EVP_PKEY_free(pk);

	return err;
}


/*
 * An Ed25519 or X25519 SubjectPublicKeyInfo is always these 12 bytes
 * (the last algorithm byte differs) and the raw key.  Reading it
 * directly skips OpenSSL's generic decoder, which costs millions of
 * instructions per key on a phone that checks every trusted key at
 * each apply.  ENOENT: not in this form (the decoder then decides).
 */
static int read_spki_pem(enum dp_key_type type, const char *pem, size_t len,
			 uint8_t pub[DP_CURVE_KEY_LEN])
{
	static const char begin[] = "-----BEGIN PUBLIC KEY-----";
	static const char end[] = "-----END PUBLIC KEY-----";
	uint8_t spki[12] = {
		0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03,
		0x21, 0x00
	};
	const char *p = pem, *stop = pem + len;
	uint8_t der[64];
	size_t n = 0, derlen = sizeof(der);
	char b64[80];

	if (type == DP_KEY_X25519)
		spki[8] = 0x6e;

	while (p < stop && (*p == ' ' || *p == '\n' || *p == '\r'))
		++p;
	if ((size_t)(stop - p) < sizeof(begin) - 1 ||
	    memcmp(p, begin, sizeof(begin) - 1))
		return ENOENT;
	p += sizeof(begin) - 1;

	for (; p < stop && *p != '-'; p++) {
		if (*p == '\n' || *p == '\r')
			continue;
		if (n >= sizeof(b64) - 1)
			return ENOENT;
		b64[n++] = *p;
	}

	if ((size_t)(stop - p) < sizeof(end) - 1 ||
	    memcmp(p, end, sizeof(end) - 1) ||
	    base64_decode(b64, n, der, &derlen) ||
	    derlen != sizeof(spki) + DP_CURVE_KEY_LEN ||
	    memcmp(der, spki, sizeof(spki)))
		return ENOENT;

	for (p += sizeof(end) - 1; p < stop; p++) {
		if (*p != '\n' && *p != '\r' && *p != ' ')
			return ENOENT;
	}

	memcpy(pub, der + sizeof(spki), DP_CURVE_KEY_LEN);

	return 0;
}


int dp_key_read_public(enum dp_key_type type, const char *pem, size_t len,
		       uint8_t pub[DP_CURVE_KEY_LEN])
{
	EVP_PKEY *pk;
	int err;

	if (!pem || !pub)
		return EINVAL;

	err = read_spki_pem(type, pem, len, pub);
	if (err != ENOENT)
		return err;

	err = read_pem(&pk, false, pem, len);
	if (err)
		return err;

	if (EVP_PKEY_get_id(pk) != pkey_id(type) || raw_public(pk, pub))
		err = EINVAL;
	EVP_PKEY_free(pk);

	return err;
}


int dp_pem_public_check(const char *pem, size_t len)
{
	EVP_PKEY *pk;
	int err;

	err = read_pem(&pk, false, pem, len);
	if (!err)
		EVP_PKEY_free(pk);

	return err;
}


int dp_ed25519_sign(const uint8_t priv[DP_CURVE_KEY_LEN], const void *msg,
		    size_t len, uint8_t sig[DP_ED25519_SIG_LEN])
{
	size_t siglen = DP_ED25519_SIG_LEN;
	EVP_MD_CTX *ctx;
	EVP_PKEY *pk;
	int err = 0;

	if (!priv || (!msg && len) || !sig)
		return EINVAL;

	pk = pkey_private(DP_KEY_ED25519, priv);
	ctx = EVP_MD_CTX_new();
	if (!pk || !ctx)
		err = ENOMEM;
	else if (EVP_DigestSignInit(ctx, NULL, NULL, NULL, pk) != 1 ||
		 EVP_DigestSign(ctx, sig, &siglen, msg, len) != 1 ||
		 siglen != DP_ED25519_SIG_LEN)
		err = EIO;

	EVP_MD_CTX_free(ctx);
	EVP_PKEY_free(pk);

	return err;
}


int dp_ed25519_verify(const uint8_t pub[DP_CURVE_KEY_LEN], const void *msg,
		      size_t len, const uint8_t sig[DP_ED25519_SIG_LEN])
{
	EVP_MD_CTX *ctx;
	EVP_PKEY *pk;
	int err = 0;

	if (!pub || (!msg && len) || !sig)
		return EINVAL;

	pk = pkey_public(DP_KEY_ED25519, pub);
	ctx = EVP_MD_CTX_new();
	if (!pk || !ctx)
		err = ENOMEM;
	else if (EVP_DigestVerifyInit(ctx, NULL, NULL, NULL, pk) != 1)
		err = EINVAL;
	else if (EVP_DigestVerify(ctx, sig, DP_ED25519_SIG_LEN, msg,
				  len) != 1)
		err = EBADMSG;

	ERR_clear_error();
	EVP_MD_CTX_free(ctx);
	EVP_PKEY_free(pk);

	return err;
}


int dp_x25519(const uint8_t priv[DP_CURVE_KEY_LEN],
	      const uint8_t peer[DP_CURVE_KEY_LEN],
	      uint8_t shared[DP_CURVE_KEY_LEN])
{
	size_t n = DP_CURVE_KEY_LEN;
	EVP_PKEY *own, *other;
	EVP_PKEY_CTX *ctx = NULL;
	uint8_t acc = 0;
	int err = 0;

	if (!priv || !peer || !shared)
		return EINVAL;

	own = pkey_private(DP_KEY_X25519, priv);
	other = pkey_public(DP_KEY_X25519, peer);
	ctx = own ? EVP_PKEY_CTX_new(own, NULL) : NULL;
	if (!own || !other || !ctx)
		err = ENOMEM;
	else if (EVP_PKEY_derive_init(ctx) != 1 ||
		 EVP_PKEY_derive_set_peer(ctx, other) != 1)
		err = EIO;
	/* OpenSSL refuses to give an all-zero result */
	else if (EVP_PKEY_derive(ctx, shared, &n) != 1 ||
		 n != DP_CURVE_KEY_LEN)
		err = EACCES;

	ERR_clear_error();
	EVP_PKEY_CTX_free(ctx);
	EVP_PKEY_free(own);
	EVP_PKEY_free(other);
	if (err) {
		dp_wipe(shared, DP_CURVE_KEY_LEN);
		return err;
	}

	/* a low-order peer key gives all zeros: no secret at all */
	for (size_t i = 0; i < DP_CURVE_KEY_LEN; i++)
		acc |= shared[i];

	return acc ? 0 : EACCES;
}
