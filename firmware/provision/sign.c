/**
 * @file sign.c  Ed25519 signing keys, signatures and key ids (OpenSSL)
 *
 * Keys are stored as PEM (PKCS#8 for the private key, SubjectPublicKeyInfo
 * for the public one), so `openssl pkey` reads them too.  A key id is the
 * first 8 bytes of SHA-256 over the raw 32-byte public key, in hex.
 *
 * mbedTLS 2.28, the other back-end of privacy/crypto, has no Ed25519; the
 * phone side only needs prov_verify() and prov_key_load_public(), which a
 * board built with mbedTLS would take from a small verify-only Ed25519
 * (libsodium or Monocypher) rather than change the stick's format.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <re.h>
#include "privacy/crypto/crypto.h"
#include "prov_int.h"

struct prov_key {
	EVP_PKEY *pkey;
	char id[17];
};


static void key_destructor(void *arg)
{
	struct prov_key *k = arg;

	EVP_PKEY_free(k->pkey);
}


static int key_wrap(struct prov_key **kp, EVP_PKEY *pkey)
{
	uint8_t raw[32], digest[DP_SHA256_LEN];
	size_t rawlen = sizeof(raw);
	struct prov_key *k;

	if (EVP_PKEY_get_id(pkey) != EVP_PKEY_ED25519 ||
	    1 != EVP_PKEY_get_raw_public_key(pkey, raw, &rawlen) ||
	    rawlen != sizeof(raw)) {
		EVP_PKEY_free(pkey);
		return EINVAL;
	}

	k = mem_zalloc(sizeof(*k), key_destructor);
	if (!k) {
		EVP_PKEY_free(pkey);
		return ENOMEM;
	}

	k->pkey = pkey;
	(void)dp_sha256(raw, sizeof(raw), digest);
	re_snprintf(k->id, sizeof(k->id), "%w", digest, (size_t)8);
	*kp = k;

	return 0;
}


int prov_key_generate(struct prov_key **kp)
{
	EVP_PKEY *pkey;

	if (!kp)
		return EINVAL;

	pkey = EVP_PKEY_Q_keygen(NULL, NULL, "ED25519");
	if (!pkey)
		return ENOMEM;

	return key_wrap(kp, pkey);
}


const char *prov_key_id(const struct prov_key *k)
{
	return k ? k->id : "";
}


static int write_new(const char *path, mode_t mode, const char *data,
		     size_t len)
{
	int fd, err = 0;

	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
	if (fd < 0)
		return errno;

	if (write(fd, data, len) != (ssize_t)len)
		err = errno ? errno : EIO;
	if (!err && fsync(fd) < 0)
		err = errno;
	if (close(fd) < 0 && !err)
		err = errno;
	if (err)
		(void)unlink(path);

	return err;
}


static int bio_text(BIO *bio, char **textp)
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
	*textp = s;

	return 0;
}


int prov_key_public_pem(const struct prov_key *k, char **pemp)
{
	BIO *bio;
	int err;

	if (!k || !pemp)
		return EINVAL;

	bio = BIO_new(BIO_s_mem());
	if (!bio)
		return ENOMEM;

	err = 1 == PEM_write_bio_PUBKEY(bio, k->pkey) ?
		bio_text(bio, pemp) : EINVAL;
	BIO_free(bio);

	return err;
}


int prov_key_save(const struct prov_key *k, const char *prefix)
{
	char keypath[4096], pubpath[4096], *priv = NULL, *pub = NULL;
	BIO *bio;
	int err;

	if (!k || !prefix)
		return EINVAL;

	if (re_snprintf(keypath, sizeof(keypath), "%s.key", prefix) < 0 ||
	    re_snprintf(pubpath, sizeof(pubpath), "%s.pub", prefix) < 0)
		return ENAMETOOLONG;

	if (0 == access(keypath, F_OK) || 0 == access(pubpath, F_OK))
		return EEXIST;

	bio = BIO_new(BIO_s_mem());
	if (!bio)
		return ENOMEM;

	err = 1 == PEM_write_bio_PrivateKey(bio, k->pkey, NULL, NULL, 0,
					    NULL, NULL) ?
		bio_text(bio, &priv) : EINVAL;
	BIO_free(bio);
	if (!err)
		err = prov_key_public_pem(k, &pub);

	if (!err)
		err = write_new(keypath, 0600, priv, strlen(priv));
	if (!err) {
		err = write_new(pubpath, 0644, pub, strlen(pub));
		if (err)
			(void)unlink(keypath);
	}

	if (priv)
		dp_wipe(priv, strlen(priv));
	mem_deref(priv);
	mem_deref(pub);

	return err;
}


int prov_key_load_private(struct prov_key **kp, const char *path)
{
	EVP_PKEY *pkey;
	struct stat st;
	BIO *bio;

	if (!kp || !path)
		return EINVAL;

	if (stat(path, &st) < 0)
		return errno;
	if (!S_ISREG(st.st_mode) || st.st_size > PROV_MAX_PUBKEY)
		return EINVAL;

	bio = BIO_new_file(path, "r");
	if (!bio)
		return errno ? errno : EIO;

	pkey = PEM_read_bio_PrivateKey(bio, NULL, NULL, NULL);
	BIO_free(bio);
	if (!pkey) {
		ERR_clear_error();
		return EINVAL;
	}

	return key_wrap(kp, pkey);
}


/*
 * An Ed25519 SubjectPublicKeyInfo is always these 12 bytes and the raw
 * key.  Reading it directly skips OpenSSL's generic decoder, which costs
 * millions of instructions per key on a phone that checks every trusted
 * key at each apply.
 */
static const uint8_t ed25519_spki[12] = {
	0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00
};


static int load_raw_pem(struct prov_key **kp, const char *pem, size_t len)
{
	static const char begin[] = "-----BEGIN PUBLIC KEY-----";
	static const char end[] = "-----END PUBLIC KEY-----";
	char b64[80];
	uint8_t der[64];
	size_t n = 0, derlen = sizeof(der);
	const char *p = pem, *stop = pem + len;
	EVP_PKEY *pkey;

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
	    base64_decode(b64, n, der, &derlen) || derlen != 44 ||
	    memcmp(der, ed25519_spki, sizeof(ed25519_spki)))
		return ENOENT;

	for (p += sizeof(end) - 1; p < stop; p++) {
		if (*p != '\n' && *p != '\r' && *p != ' ')
			return ENOENT;
	}

	pkey = EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, NULL, der + 12,
					   32);
	if (!pkey) {
		ERR_clear_error();
		return ENOENT;
	}

	return key_wrap(kp, pkey);
}


/* A PEM public key of any type OpenSSL reads; EINVAL if it is none. */
static int read_pem_pubkey(EVP_PKEY **pkeyp, const char *pem, size_t len)
{
	BIO *bio = BIO_new_mem_buf(pem, (int)len);

	if (!bio)
		return ENOMEM;

	*pkeyp = PEM_read_bio_PUBKEY(bio, NULL, NULL, NULL);
	BIO_free(bio);
	if (!*pkeyp) {
		ERR_clear_error();
		return EINVAL;
	}

	return 0;
}


int prov_key_load_public(struct prov_key **kp, const char *pem, size_t len)
{
	EVP_PKEY *pkey;
	int err;

	if (!kp || !pem || len > PROV_MAX_PUBKEY)
		return EINVAL;

	err = load_raw_pem(kp, pem, len);
	if (err != ENOENT)
		return err;

	err = read_pem_pubkey(&pkey, pem, len);
	if (err)
		return err;

	return key_wrap(kp, pkey);
}


int prov_pubkey_check(const char *pem, size_t len)
{
	EVP_PKEY *pkey;
	int err;

	if (!pem || len > PROV_MAX_PUBKEY || memchr(pem, '\0', len))
		return EINVAL;

	err = read_pem_pubkey(&pkey, pem, len);
	if (err)
		return err;

	EVP_PKEY_free(pkey);

	return 0;
}


int prov_sign(const struct prov_key *k, const void *msg, size_t len,
	      uint8_t sig[PROV_SIG_LEN])
{
	size_t siglen = PROV_SIG_LEN;
	EVP_MD_CTX *ctx;
	int err = 0;

	if (!k || !msg || !sig)
		return EINVAL;

	ctx = EVP_MD_CTX_new();
	if (!ctx)
		return ENOMEM;

	if (1 != EVP_DigestSignInit(ctx, NULL, NULL, NULL, k->pkey) ||
	    1 != EVP_DigestSign(ctx, sig, &siglen, msg, len) ||
	    siglen != PROV_SIG_LEN)
		err = EINVAL;

	EVP_MD_CTX_free(ctx);

	return err;
}


int prov_verify(const struct prov_key *k, const void *msg, size_t len,
		const uint8_t sig[PROV_SIG_LEN])
{
	EVP_MD_CTX *ctx;
	int err, rc;

	if (!k || !msg || !sig)
		return EINVAL;

	ctx = EVP_MD_CTX_new();
	if (!ctx)
		return ENOMEM;

	if (1 != EVP_DigestVerifyInit(ctx, NULL, NULL, NULL, k->pkey)) {
		EVP_MD_CTX_free(ctx);
		return EINVAL;
	}

	rc = EVP_DigestVerify(ctx, sig, PROV_SIG_LEN, msg, len);
	err = rc == 1 ? 0 : EBADMSG;
	ERR_clear_error();
	EVP_MD_CTX_free(ctx);

	return err;
}
