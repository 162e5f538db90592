/**
 * @file seal.c  X25519 + HKDF-SHA256 + AES-256-GCM, chunked, over
 *               privacy/crypto
 */
#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <re.h>
#include "privacy/crypto/crypto.h"
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
};


/* --- keys ------------------------------------------------------------------ */

int dp_seal_keygen(const char *prefix)
{
	uint8_t priv[DP_CURVE_KEY_LEN], pub[DP_CURVE_KEY_LEN];
	int err;

	err = dp_key_generate(DP_KEY_X25519, priv, pub);
	if (!err)
		err = dp_key_save(DP_KEY_X25519, priv, prefix);
	dp_wipe(priv, sizeof(priv));

	return err;
}


/* An X25519 key from a PEM file; EINVAL if it holds none. */
static int read_key(const char *path, bool priv, uint8_t key[DP_CURVE_KEY_LEN])
{
	return dp_key_load(DP_KEY_X25519, priv, path, key) ? EINVAL : 0;
}


/* The AES key from our private key and the peer's public key. */
static int derive(const uint8_t own[DP_CURVE_KEY_LEN],
		  const uint8_t peer[DP_CURVE_KEY_LEN],
		  const uint8_t eph_pub[32], const uint8_t sup_pub[32],
		  const uint8_t salt[SALTLEN], uint8_t key[KEYLEN])
{
	uint8_t shared[DP_CURVE_KEY_LEN], info[sizeof(info_label) - 1 + 64];
	int err;

	err = dp_x25519(own, peer, shared);
	if (err)
		return err == EACCES ? EACCES : EIO;

	memcpy(info, info_label, sizeof(info_label) - 1);
	memcpy(info + sizeof(info_label) - 1, eph_pub, 32);
	memcpy(info + sizeof(info_label) - 1 + 32, sup_pub, 32);

	err = dp_hkdf_sha256(shared, sizeof(shared), salt, SALTLEN, info,
			     sizeof(info), key, KEYLEN) ? EIO : 0;
	dp_wipe(shared, sizeof(shared));

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
	size_t n = s->len;

	chunk_params(s->header, s->chunk, last, nonce, aad);
	if (dp_aead_seal(s->key, nonce, aad, sizeof(aad), s->buf, n, s->out,
			 s->out + n))
		return EIO;

	s->chunk++;
	s->len = 0;

	return write_all(s->fd, s->out, n + DP_SEAL_TAG);
}


static void sealer_destructor(void *arg)
{
	struct dp_sealer *s = arg;

	dp_wipe(s->key, sizeof(s->key));
	dp_wipe(s->buf, sizeof(s->buf));
}


int dp_sealer_open(struct dp_sealer **sp, const char *pub_path, int out_fd)
{
	uint8_t sup_pub[DP_CURVE_KEY_LEN], eph[DP_CURVE_KEY_LEN];
	uint8_t eph_pub[DP_CURVE_KEY_LEN];
	struct dp_sealer *s;
	int err;

	if (read_key(pub_path, false, sup_pub))
		return EINVAL;

	s = mem_zalloc(sizeof(*s), sealer_destructor);
	if (!s)
		return ENOMEM;
	s->fd = out_fd;

	memcpy(s->header, magic, sizeof(magic));
	s->header[8] = 1;
	err = dp_key_generate(DP_KEY_X25519, eph, eph_pub) ||
		dp_random(s->header + 44, SALTLEN) ? EIO : 0;
	if (!err) {
		memcpy(s->header + 12, eph_pub, 32);
		err = derive(eph, sup_pub, eph_pub, sup_pub, s->header + 44,
			     s->key);
	}
	dp_wipe(eph, sizeof(eph));    /* the ephemeral key is gone */
	if (!err)
		err = write_all(out_fd, s->header, sizeof(s->header));

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

	dp_wipe(u->key, sizeof(u->key));
	dp_wipe(u->buf, sizeof(u->buf));
}


int dp_unsealer_open(struct dp_unsealer **up, int in_fd, const char *key_path)
{
	uint8_t own[DP_CURVE_KEY_LEN], own_pub[DP_CURVE_KEY_LEN];
	struct dp_unsealer *u;
	int err = 0;

	if (read_key(key_path, true, own))
		return EINVAL;

	u = mem_zalloc(sizeof(*u), unsealer_destructor);
	if (!u) {
		dp_wipe(own, sizeof(own));
		return ENOMEM;
	}
	u->fd = in_fd;

	if (read_full(in_fd, u->header, sizeof(u->header), &err) !=
	    sizeof(u->header) || memcmp(u->header, magic, sizeof(magic)) ||
	    u->header[8] != 1) {
		err = err ? err : EBADMSG;
		goto out;
	}

	err = dp_key_public(DP_KEY_X25519, own, own_pub) ? EIO : 0;
	if (!err)
		err = derive(own, u->header + 12, u->header + 12, own_pub,
			     u->header + 44, u->key);

 out:
	dp_wipe(own, sizeof(own));
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
	int err = 0;
	bool last;

	got = read_full(u->fd, u->in, sizeof(u->in), &err);
	if (err)
		return err;
	if (got < DP_SEAL_TAG)
		return EACCES;       /* cut short */

	last = got < sizeof(u->in);
	ct = got - DP_SEAL_TAG;
	chunk_params(u->header, u->chunk, last, nonce, aad);

	if (dp_aead_open(u->key, nonce, aad, sizeof(aad), u->in, ct,
			 u->in + ct, u->buf))
		return EACCES;

	/* nothing may follow the last chunk */
	if (last && read_full(u->fd, &extra, 1, &err))
		return EACCES;

	u->chunk++;
	u->done = last;
	u->pos = 0;
	u->len = ct;

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
