/**
 * @file keys.c  The store's keys and nonces
 *
 * Every seal is made under a key salted with the writer's session (a
 * random 64-bit value drawn at each writable open) and uses the next
 * value of the store's nonce counter, which is reserved on flash before
 * use.  So a nonce never repeats under a key: within a session the
 * counter only grows; a power cut resumes past the reservation; and a
 * restored old image, which rewinds the counter, gets a new session salt
 * and with it new keys.
 *
 *   record key    HKDF(secret, salt = session, "deskphone cdr-store v1 record")
 *   wrap key      HKDF(secret, salt = session, "deskphone cdr-store v1 epoch-wrap")
 *   personal key  HKDF(epoch key, salt = session, "deskphone cdr-store v1 personal")
 *   MAC key       dp_derive_key(secret, "cdr-store-v1 control")
 *   nonce         4 zero bytes | counter (64 bits)
 */
#include <errno.h>
#include <string.h>
#include "layout.h"

static const char info_record[]   = "deskphone cdr-store v1 record";
static const char info_wrap[]     = "deskphone cdr-store v1 epoch-wrap";
static const char info_personal[] = "deskphone cdr-store v1 personal";


static int derive(const uint8_t *ikm, uint64_t sess, const char *info,
		  uint8_t key[DP_KEY_LEN])
{
	uint8_t salt[8];

	put64(salt, sess);

	return dp_hkdf_sha256(ikm, DP_KEY_LEN, salt, sizeof(salt),
			      (const uint8_t *)info, strlen(info),
			      key, DP_KEY_LEN);
}


static int cached(struct keycache *cache, uint64_t sess, uint64_t kid,
		  const uint8_t *ikm, const char *info,
		  uint8_t key[DP_KEY_LEN])
{
	struct keycache *victim = &cache[KEYCACHE - 1];
	int err;

	for (int i = 0; i < KEYCACHE; i++) {
		if (cache[i].used && cache[i].sess == sess &&
		    cache[i].kid == kid) {
			memcpy(key, cache[i].key, DP_KEY_LEN);
			return 0;
		}
	}

	err = derive(ikm, sess, info, key);
	if (err)
		return err;

	/* most recent first; the oldest falls out */
	dp_wipe(victim->key, DP_KEY_LEN);
	memmove(&cache[1], &cache[0], (KEYCACHE - 1) * sizeof(*cache));
	cache[0].used = true;
	cache[0].sess = sess;
	cache[0].kid = kid;
	memcpy(cache[0].key, key, DP_KEY_LEN);

	return 0;
}


int keys_record(struct cdr_store *st, uint64_t sess, uint8_t key[DP_KEY_LEN])
{
	return cached(st->reckeys, sess, 0, st->secret, info_record, key);
}


int keys_wrap(struct cdr_store *st, uint64_t sess, uint8_t key[DP_KEY_LEN])
{
	return derive(st->secret, sess, info_wrap, key);
}


int keys_personal(struct cdr_store *st, const struct slot *slot,
		  uint64_t sess, uint8_t key[DP_KEY_LEN])
{
	if (slot->state != SLOT_LIVE)
		return ENOKEY;

	return cached(st->piikeys, sess, slot->kid, slot->key, info_personal,
		      key);
}


void keys_nonce(uint64_t ctr, uint8_t nonce[DP_GCM_NONCE_LEN])
{
	memset(nonce, 0, DP_GCM_NONCE_LEN);
	put64(nonce + 4, ctr);
}


int keys_mac(const struct cdr_store *st, const void *data, size_t len,
	     uint8_t *tag, size_t taglen)
{
	uint8_t mac[DP_SHA256_LEN];
	int err;

	err = dp_hmac_sha256(st->kctrl, DP_KEY_LEN, data, len, mac);
	if (!err)
		memcpy(tag, mac, taglen);

	return err;
}


bool keys_mac_ok(const struct cdr_store *st, const void *data, size_t len,
		 const uint8_t *tag, size_t taglen)
{
	uint8_t mac[DP_SHA256_LEN];
	uint8_t diff = 0;

	if (keys_mac(st, data, len, mac, taglen))
		return false;

	for (size_t i = 0; i < taglen; i++)
		diff |= (uint8_t)(mac[i] ^ tag[i]);

	return diff == 0;
}


void keys_forget(struct cdr_store *st)
{
	dp_wipe(st->reckeys, sizeof(st->reckeys));
	dp_wipe(st->piikeys, sizeof(st->piikeys));
}


int keys_next_ctr(struct cdr_store *st, uint64_t *ctr)
{
	if (st->readonly)
		return EROFS;

	if (st->next_ctr >= st->ctrl.ctr_limit) {
		uint64_t old = st->ctrl.ctr_limit;
		int err;

		st->ctrl.ctr_limit = st->next_ctr + RESERVE_CTRS;
		err = ctrl_write(st);
		if (err) {
			st->ctrl.ctr_limit = old;
			return err;
		}
	}

	*ctr = st->next_ctr++;

	return 0;
}
