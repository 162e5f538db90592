/**
 * @file seal.c  X25519 + HKDF-SHA256 + AES-256-GCM, chunked
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <openssl/evp.h>
#include <openssl/kdf.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <re.h>
#include "seal.h"

enum { KEYLEN = 32, SALTLEN = 16, NONCELEN = 12 };

static const char magic[8] = { 'D', 'P', 'B', 'U', 'N', 'D', 'L', 'E' };
static const char info_label[] = "deskphone bundle v1";

struct dp_sealer {
	int fd;
	uint8_t header[DP_SEAL_HEADER];
	uint8_t key[KEYLEN];
	uint64_t chunk;
	size_t len;
	uint8_t buf[DP_SEAL_CHUNK];
	uint8_t out[DP_SEAL_CHUNK + DP_SEAL_TAG];
	EVP_CIPHER_CTX *cipher;
};

struct dp_unsealer {
	int fd;
	uint8_t header[DP_SEAL_HEADER];
	uint8_t key[KEYLEN];
	uint64_t chunk;
	bool done;          /* the last chunk was read */
	size_t pos, len;    /* plaintext waiting in buf */
	uint8_t buf[DP_SEAL_CHUNK];
	uint8_t in[DP_SEAL_CHUNK + DP_SEAL_TAG];
	EVP_CIPHER_CTX *cipher;
};


/* --- keys ------------------------------------------------------------------ */

static int write_pem(const char *path, EVP_PKEY *pk, bool priv)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC,
		      priv ? 0600 : 0644);
	FILE *f;
	int ok;

	if (fd < 0)
		return errno;
	f = fdopen(fd, "w");
	if (!f) {
		close(fd);
		return ENOMEM;
	}
	ok = priv ? PEM_write_PrivateKey(f, pk, NULL, NULL, 0, NULL, NULL) :
		PEM_write_PUBKEY(f, pk);
	if (fclose(f) || !ok) {
		unlink(path);
		return EIO;
	}

	return 0;
}


int dp_seal_keygen(const char *prefix)
{
	char kpath[4096], ppath[4096];
	EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_id(EVP_PKEY_X25519, NULL);
	EVP_PKEY *pk = NULL;
	int err = 0;

	snprintf(kpath, sizeof(kpath), "%s.key", prefix);
	snprintf(ppath, sizeof(ppath), "%s.pub", prefix);

	if (!ctx || EVP_PKEY_keygen_init(ctx) <= 0 ||
	    EVP_PKEY_keygen(ctx, &pk) <= 0) {
		err = EIO;
		goto out;
	}
	if (0 == access(kpath, F_OK) || 0 == access(ppath, F_OK)) {
		err = EEXIST;
		goto out;
	}

	err = write_pem(kpath, pk, true);
	if (!err) {
		err = write_pem(ppath, pk, false);
		if (err)
			unlink(kpath);
	}

 out:
	EVP_PKEY_free(pk);
	EVP_PKEY_CTX_free(ctx);

	return err;
}


static EVP_PKEY *read_key(const char *path, bool priv)
{
	FILE *f = fopen(path, "r");
	EVP_PKEY *pk;

	if (!f)
		return NULL;
	pk = priv ? PEM_read_PrivateKey(f, NULL, NULL, NULL) :
		PEM_read_PUBKEY(f, NULL, NULL, NULL);
	fclose(f);

	if (pk && EVP_PKEY_get_id(pk) != EVP_PKEY_X25519) {
		EVP_PKEY_free(pk);
		pk = NULL;
	}

	return pk;
}


/* The AES key from our private key and the peer's public key. */
static int derive(EVP_PKEY *own, EVP_PKEY *peer, const uint8_t eph_pub[32],
		  const uint8_t sup_pub[32], const uint8_t salt[SALTLEN],
		  uint8_t key[KEYLEN])
{
	uint8_t shared[64], info[sizeof(info_label) - 1 + 64], acc = 0;
	size_t slen = sizeof(shared), klen = KEYLEN;
	EVP_PKEY_CTX *d = EVP_PKEY_CTX_new(own, NULL), *h = NULL;
	int err = EIO;

	if (!d || EVP_PKEY_derive_init(d) <= 0 ||
	    EVP_PKEY_derive_set_peer(d, peer) <= 0 ||
	    EVP_PKEY_derive(d, shared, &slen) <= 0 || slen != 32)
		goto out;

	/* a low-order peer key gives all zeros: no secret at all */
	for (size_t i = 0; i < slen; i++)
		acc |= shared[i];
	if (!acc) {
		err = EACCES;
		goto out;
	}

	memcpy(info, info_label, sizeof(info_label) - 1);
	memcpy(info + sizeof(info_label) - 1, eph_pub, 32);
	memcpy(info + sizeof(info_label) - 1 + 32, sup_pub, 32);

	h = EVP_PKEY_CTX_new_id(EVP_PKEY_HKDF, NULL);
	if (!h || EVP_PKEY_derive_init(h) <= 0 ||
	    EVP_PKEY_CTX_set_hkdf_md(h, EVP_sha256()) <= 0 ||
	    EVP_PKEY_CTX_set1_hkdf_salt(h, salt, SALTLEN) <= 0 ||
	    EVP_PKEY_CTX_set1_hkdf_key(h, shared, (int)slen) <= 0 ||
	    EVP_PKEY_CTX_add1_hkdf_info(h, info, (int)sizeof(info)) <= 0 ||
	    EVP_PKEY_derive(h, key, &klen) <= 0 || klen != KEYLEN)
		goto out;

	err = 0;

 out:
	OPENSSL_cleanse(shared, sizeof(shared));
	EVP_PKEY_CTX_free(d);
	EVP_PKEY_CTX_free(h);

	return err;
}


/* --- chunks -------------------------------------------------------------- */

static void chunk_params(const uint8_t header[DP_SEAL_HEADER], uint64_t n,
			 bool last, uint8_t nonce[NONCELEN],
			 uint8_t aad[DP_SEAL_HEADER + 9])
{
	memset(nonce, 0, NONCELEN);
	memcpy(aad, header, DP_SEAL_HEADER);
	for (int i = 0; i < 8; i++) {
		nonce[4 + i] = (uint8_t)(n >> (56 - 8 * i));
		aad[DP_SEAL_HEADER + i] = nonce[4 + i];
	}
	aad[DP_SEAL_HEADER + 8] = last ? 1 : 0;
}


static int write_all(int fd, const uint8_t *p, size_t n)
{
	while (n) {
		ssize_t w = write(fd, p, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return w < 0 ? errno : EIO;
		p += w;
		n -= (size_t)w;
	}

	return 0;
}


static int seal_chunk(struct dp_sealer *s, bool last)
{
	uint8_t nonce[NONCELEN], aad[DP_SEAL_HEADER + 9];
	int l1 = 0, l2 = 0;

	chunk_params(s->header, s->chunk, last, nonce, aad);
	if (EVP_EncryptInit_ex(s->cipher, EVP_aes_256_gcm(), NULL, NULL,
			       NULL) != 1 ||
	    EVP_CIPHER_CTX_ctrl(s->cipher, EVP_CTRL_GCM_SET_IVLEN, NONCELEN,
				NULL) != 1 ||
	    EVP_EncryptInit_ex(s->cipher, NULL, NULL, s->key, nonce) != 1 ||
	    EVP_EncryptUpdate(s->cipher, NULL, &l1, aad, sizeof(aad)) != 1 ||
	    EVP_EncryptUpdate(s->cipher, s->out, &l1, s->buf,
			      (int)s->len) != 1 ||
	    EVP_EncryptFinal_ex(s->cipher, s->out + l1, &l2) != 1 ||
	    EVP_CIPHER_CTX_ctrl(s->cipher, EVP_CTRL_GCM_GET_TAG, DP_SEAL_TAG,
				s->out + l1 + l2) != 1)
		return EIO;

	s->chunk++;
	s->len = 0;

	return write_all(s->fd, s->out, (size_t)(l1 + l2) + DP_SEAL_TAG);
}


static void sealer_destructor(void *arg)
{
	struct dp_sealer *s = arg;

	EVP_CIPHER_CTX_free(s->cipher);
	OPENSSL_cleanse(s->key, sizeof(s->key));
	OPENSSL_cleanse(s->buf, sizeof(s->buf));
}


int dp_sealer_open(struct dp_sealer **sp, const char *pub_path, int out_fd)
{
	EVP_PKEY_CTX *kctx = NULL;
	EVP_PKEY *sup = read_key(pub_path, false), *eph = NULL;
	uint8_t sup_pub[32], eph_pub[32];
	size_t l1 = 32, l2 = 32;
	struct dp_sealer *s;
	int err = EIO;

	if (!sup)
		return EINVAL;

	s = mem_zalloc(sizeof(*s), sealer_destructor);
	if (!s) {
		EVP_PKEY_free(sup);
		return ENOMEM;
	}
	s->fd = out_fd;
	s->cipher = EVP_CIPHER_CTX_new();

	kctx = EVP_PKEY_CTX_new_id(EVP_PKEY_X25519, NULL);
	if (!s->cipher || !kctx || EVP_PKEY_keygen_init(kctx) <= 0 ||
	    EVP_PKEY_keygen(kctx, &eph) <= 0 ||
	    EVP_PKEY_get_raw_public_key(sup, sup_pub, &l1) <= 0 ||
	    EVP_PKEY_get_raw_public_key(eph, eph_pub, &l2) <= 0)
		goto out;

	memcpy(s->header, magic, sizeof(magic));
	s->header[8] = 1;
	memcpy(s->header + 12, eph_pub, 32);
	if (RAND_bytes(s->header + 44, SALTLEN) != 1)
		goto out;

	err = derive(eph, sup, eph_pub, sup_pub, s->header + 44, s->key);
	if (!err)
		err = write_all(out_fd, s->header, sizeof(s->header));

 out:
	EVP_PKEY_free(sup);
	EVP_PKEY_free(eph);    /* the ephemeral key is gone after this */
	EVP_PKEY_CTX_free(kctx);
	if (err)
		mem_deref(s);
	else
		*sp = s;

	return err;
}


int dp_sealer_write(struct dp_sealer *s, const void *p, size_t n)
{
	const uint8_t *b = p;

	while (n) {
		size_t k = sizeof(s->buf) - s->len;

		if (k > n)
			k = n;
		memcpy(s->buf + s->len, b, k);
		s->len += k;
		b += k;
		n -= k;
		if (s->len == sizeof(s->buf)) {
			int err = seal_chunk(s, false);

			if (err)
				return err;
		}
	}

	return 0;
}


int dp_sealer_close(struct dp_sealer *s)
{
	return seal_chunk(s, true);
}


/* --- unsealing ------------------------------------------------------------ */

static size_t read_full(int fd, uint8_t *p, size_t n, int *err)
{
	size_t got = 0;

	while (got < n) {
		ssize_t k = read(fd, p + got, n - got);

		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0) {
			*err = errno;
			break;
		}
		if (k == 0)
			break;
		got += (size_t)k;
	}

	return got;
}


bool dp_seal_is_sealed(int fd)
{
	uint8_t m[sizeof(magic)];
	ssize_t k = pread(fd, m, sizeof(m), 0);

	return k == (ssize_t)sizeof(m) && 0 == memcmp(m, magic, sizeof(m));
}


static void unsealer_destructor(void *arg)
{
	struct dp_unsealer *u = arg;

	EVP_CIPHER_CTX_free(u->cipher);
	OPENSSL_cleanse(u->key, sizeof(u->key));
	OPENSSL_cleanse(u->buf, sizeof(u->buf));
}


int dp_unsealer_open(struct dp_unsealer **up, int in_fd, const char *key_path)
{
	EVP_PKEY *own = read_key(key_path, true), *eph = NULL;
	uint8_t own_pub[32];
	size_t l = 32;
	struct dp_unsealer *u;
	int err = 0;

	if (!own)
		return EINVAL;

	u = mem_zalloc(sizeof(*u), unsealer_destructor);
	if (!u) {
		EVP_PKEY_free(own);
		return ENOMEM;
	}
	u->fd = in_fd;
	u->cipher = EVP_CIPHER_CTX_new();

	if (read_full(in_fd, u->header, sizeof(u->header), &err) !=
	    sizeof(u->header) || memcmp(u->header, magic, sizeof(magic)) ||
	    u->header[8] != 1) {
		err = err ? err : EBADMSG;
		goto out;
	}

	eph = EVP_PKEY_new_raw_public_key(EVP_PKEY_X25519, NULL,
					  u->header + 12, 32);
	if (!u->cipher || !eph ||
	    EVP_PKEY_get_raw_public_key(own, own_pub, &l) <= 0) {
		err = EIO;
		goto out;
	}

	err = derive(own, eph, u->header + 12, own_pub, u->header + 44,
		     u->key);

 out:
	EVP_PKEY_free(own);
	EVP_PKEY_free(eph);
	if (err)
		mem_deref(u);
	else
		*up = u;

	return err;
}


static int open_chunk(struct dp_unsealer *u)
{
	uint8_t nonce[NONCELEN], aad[DP_SEAL_HEADER + 9], extra;
	size_t got, ct;
	int err = 0, l1 = 0, l2 = 0;
	bool last;

	got = read_full(u->fd, u->in, sizeof(u->in), &err);
	if (err)
		return err;
	if (got < DP_SEAL_TAG)
		return EACCES;       /* cut short */

	last = got < sizeof(u->in);
	ct = got - DP_SEAL_TAG;
	chunk_params(u->header, u->chunk, last, nonce, aad);

	if (EVP_DecryptInit_ex(u->cipher, EVP_aes_256_gcm(), NULL, NULL,
			       NULL) != 1 ||
	    EVP_CIPHER_CTX_ctrl(u->cipher, EVP_CTRL_GCM_SET_IVLEN, NONCELEN,
				NULL) != 1 ||
	    EVP_DecryptInit_ex(u->cipher, NULL, NULL, u->key, nonce) != 1 ||
	    EVP_DecryptUpdate(u->cipher, NULL, &l1, aad, sizeof(aad)) != 1 ||
	    EVP_DecryptUpdate(u->cipher, u->buf, &l1, u->in, (int)ct) != 1 ||
	    EVP_CIPHER_CTX_ctrl(u->cipher, EVP_CTRL_GCM_SET_TAG, DP_SEAL_TAG,
				u->in + ct) != 1 ||
	    EVP_DecryptFinal_ex(u->cipher, u->buf + l1, &l2) != 1) {
		OPENSSL_cleanse(u->buf, sizeof(u->buf));
		return EACCES;
	}

	/* nothing may follow the last chunk */
	if (last && read_full(u->fd, &extra, 1, &err))
		return EACCES;

	u->chunk++;
	u->done = last;
	u->pos = 0;
	u->len = (size_t)(l1 + l2);

	return err;
}


int dp_unsealer_read(struct dp_unsealer *u, uint8_t *buf, size_t n,
		     size_t *got)
{
	*got = 0;

	while (*got < n) {
		size_t k;

		if (u->pos == u->len) {
			int err;

			if (u->done)
				return 0;
			err = open_chunk(u);
			if (err)
				return err;
			continue;
		}

		k = u->len - u->pos;
		if (k > n - *got)
			k = n - *got;
		memcpy(buf + *got, u->buf + u->pos, k);
		u->pos += k;
		*got += k;
	}

	return 0;
}
