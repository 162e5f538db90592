/**
 * @file epoch.c  Epoch keys: one random key per time epoch, destroyable
 *
 * Personal fields are sealed under the key of the epoch the call started
 * in.  The keys are random (not derived), so once the key is overwritten
 * nothing can bring those fields back.  They live in 128 slots of 128
 * bytes, kept twice (halves A and B, sectors 2..5 and 6..9); each key is
 * wrapped (AES-256-GCM) under a key derived from the device secret.
 *
 *   0 "DPEK" live / "DPEX" destroyed | 4 slot u32 | 8 epoch start i64 |
 *   16 epoch end i64 | 24 key id u64 | 32 session u64 | 40 counter u64 |
 *   48 wrapped key (32) | 80 tag (16) | 96..128 zero
 *
 * A destroyed slot (tombstone) keeps the epoch, an HMAC over bytes 0..32
 * at 80, and zeros where the key was.  Both halves are written in turn,
 * A then B, each synced; when they disagree after a power cut a tombstone
 * wins (a destroy that returned stays done), else a live key is copied
 * to the other half.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "layout.h"

const uint8_t magic_key_live[4] = { 'D', 'P', 'E', 'K' };
const uint8_t magic_key_dead[4] = { 'D', 'P', 'E', 'X' };

enum { SLOT_AAD = 48, SLOT_WRAPPED = 48, SLOT_TAG = 80, DEAD_MACLEN = 32 };


static uint64_t slot_off(unsigned half, unsigned idx)
{
	return sector_off(KEY_FIRST + half * KEY_HALF_SECTORS +
			  idx / SLOTS_PER_SECTOR) +
		(uint64_t)(idx % SLOTS_PER_SECTOR) * SLOT_SIZE;
}


static void encode_dead(const struct cdr_store *st, unsigned idx,
			const struct slot *s, uint8_t out[SLOT_SIZE])
{
	memset(out, 0, SLOT_SIZE);
	memcpy(out, magic_key_dead, 4);
	put32(out + 4, idx);
	put64(out + 8, (uint64_t)s->start_s);
	put64(out + 16, (uint64_t)s->end_s);
	put64(out + 24, s->kid);
	(void)keys_mac(st, out, DEAD_MACLEN, out + SLOT_TAG, TAG);
}


static int encode_live(struct cdr_store *st, unsigned idx,
		       const struct slot *s, uint64_t sess,
		       uint8_t out[SLOT_SIZE])
{
	uint8_t wrap[DP_KEY_LEN], nonce[DP_GCM_NONCE_LEN];
	int err;

	memset(out, 0, SLOT_SIZE);
	memcpy(out, magic_key_live, 4);
	put32(out + 4, idx);
	put64(out + 8, (uint64_t)s->start_s);
	put64(out + 16, (uint64_t)s->end_s);
	put64(out + 24, s->kid);
	put64(out + 32, sess);
	put64(out + 40, s->ctr);

	err = keys_wrap(st, sess, wrap);
	keys_nonce(s->ctr, nonce);
	if (!err)
		err = dp_aead_seal(wrap, nonce, out, SLOT_AAD, s->key,
				   DP_KEY_LEN, out + SLOT_WRAPPED,
				   out + SLOT_TAG);
	dp_wipe(wrap, sizeof(wrap));

	return err;
}


static void decode(struct cdr_store *st, unsigned idx,
		   const uint8_t in[SLOT_SIZE], struct slot *s)
{
	memset(s, 0, sizeof(*s));

	if (all_zero(in, SLOT_SIZE)) {
		s->state = SLOT_EMPTY;
		return;
	}

	s->state = SLOT_GARBAGE;
	if (get32(in + 4) != idx)
		return;

	s->start_s = (int64_t)get64(in + 8);
	s->end_s   = (int64_t)get64(in + 16);
	s->kid     = get64(in + 24);

	if (!memcmp(in, magic_key_dead, 4)) {
		if (keys_mac_ok(st, in, DEAD_MACLEN, in + SLOT_TAG, TAG))
			s->state = SLOT_DEAD;
	}
	else if (!memcmp(in, magic_key_live, 4)) {
		uint8_t wrap[DP_KEY_LEN], nonce[DP_GCM_NONCE_LEN];
		uint64_t sess = get64(in + 32);

		s->ctr = get64(in + 40);
		keys_nonce(s->ctr, nonce);
		if (!keys_wrap(st, sess, wrap) &&
		    !dp_aead_open(wrap, nonce, in, SLOT_AAD,
				  in + SLOT_WRAPPED, DP_KEY_LEN,
				  in + SLOT_TAG, s->key))
			s->state = SLOT_LIVE;
		dp_wipe(wrap, sizeof(wrap));
	}

	if (s->state == SLOT_GARBAGE)
		dp_wipe(s->key, sizeof(s->key));
}


static int write_slot(struct cdr_store *st, unsigned half, unsigned idx,
		      const uint8_t buf[SLOT_SIZE])
{
	int err = io_patch(st, buf, SLOT_SIZE, slot_off(half, idx));

	return err ? err : io_sync(st);
}


/* Read both halves and settle each slot; a writer mends the halves. */
int epoch_load(struct cdr_store *st, bool repair)
{
	const size_t half = KEY_HALF_SECTORS * SECTOR;
	bool mended = false;
	uint8_t *raw;
	int err;

	raw = malloc(2 * half);
	if (!raw)
		return ENOMEM;

	err = io_pread(st, raw, 2 * half, sector_off(KEY_FIRST));
	if (err)
		goto out;

	for (unsigned idx = 0; idx < NSLOTS && !err; idx++) {
		const uint8_t *in[2] = { raw + idx * SLOT_SIZE,
					 raw + half + idx * SLOT_SIZE };
		struct slot s[2], *m = &st->slots[idx];
		int good = -1;

		decode(st, idx, in[0], &s[0]);
		decode(st, idx, in[1], &s[1]);

		if (s[0].state == SLOT_DEAD || s[1].state == SLOT_DEAD)
			good = s[0].state == SLOT_DEAD ? 0 : 1;
		else if (s[0].state == SLOT_LIVE)
			good = 0;
		else if (s[1].state == SLOT_LIVE)
			good = 1;

		dp_wipe(m, sizeof(*m));
		if (good < 0) {
			m->state = s[0].state == SLOT_EMPTY &&
				s[1].state == SLOT_EMPTY ?
				SLOT_EMPTY : SLOT_GARBAGE;
		}
		else {
			*m = s[good];
		}

		if (repair && good >= 0 &&
		    memcmp(in[0], in[1], SLOT_SIZE)) {
			uint8_t fix[SLOT_SIZE];

			if (m->state == SLOT_DEAD)
				encode_dead(st, idx, m, fix);
			else
				memcpy(fix, in[good], SLOT_SIZE);

			for (unsigned h = 0; h < 2 && !err; h++) {
				if (memcmp(in[h], fix, SLOT_SIZE))
					err = io_patch(st, fix, SLOT_SIZE,
						       slot_off(h, idx));
			}
			mended = true;
		}

		dp_wipe(s, sizeof(s));
	}

	if (!err && mended)
		err = io_sync(st);

 out:
	dp_wipe(raw, 2 * half);
	free(raw);

	return err;
}


const struct slot *epoch_find(const struct cdr_store *st, uint64_t kid)
{
	if (!kid)
		return NULL;

	for (unsigned i = 0; i < NSLOTS; i++) {
		const struct slot *s = &st->slots[i];

		if ((s->state == SLOT_LIVE || s->state == SLOT_DEAD) &&
		    s->kid == kid)
			return s;
	}

	return NULL;
}


uint64_t epoch_max_ctr(const struct cdr_store *st)
{
	uint64_t max = 0;

	for (unsigned i = 0; i < NSLOTS; i++) {
		if (st->slots[i].state == SLOT_LIVE && st->slots[i].ctr > max)
			max = st->slots[i].ctr;
	}

	return max;
}


/* Tombstone the slot in both halves, A then B, each synced. */
static int destroy(struct cdr_store *st, unsigned idx)
{
	struct slot *s = &st->slots[idx];
	uint8_t buf[SLOT_SIZE];
	int err;

	encode_dead(st, idx, s, buf);
	err = write_slot(st, 0, idx, buf);
	if (!err)
		err = write_slot(st, 1, idx, buf);
	if (err)
		return err;

	dp_wipe(s->key, sizeof(s->key));
	s->state = SLOT_DEAD;
	keys_forget(st);

	return 0;
}


int epoch_destroy_before(struct cdr_store *st, int64_t t_s, unsigned *n)
{
	unsigned count = 0;
	int err = 0;

	for (unsigned i = 0; i < NSLOTS && !err; i++) {
		if (st->slots[i].state == SLOT_LIVE &&
		    st->slots[i].end_s <= t_s) {
			err = destroy(st, i);
			if (!err)
				count++;
		}
	}

	if (n)
		*n = count;

	return err;
}


static int64_t floor_div(int64_t a, int64_t b)
{
	int64_t q = a / b;

	return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}


/* Which slot a new key goes to: a free one, else the longest-dead one,
 * else the oldest live epoch gives way (its personal fields go early). */
static int pick_slot(struct cdr_store *st, unsigned *idxp)
{
	int dead = -1, live = -1;

	for (unsigned i = 0; i < NSLOTS; i++) {
		const struct slot *s = &st->slots[i];

		switch (s->state) {

		case SLOT_EMPTY:
		case SLOT_GARBAGE:
			*idxp = i;
			return 0;

		case SLOT_DEAD:
			if (dead < 0 || s->end_s < st->slots[dead].end_s)
				dead = (int)i;
			break;

		case SLOT_LIVE:
			if (live < 0 || s->end_s < st->slots[live].end_s)
				live = (int)i;
			break;
		}
	}

	if (dead >= 0) {
		*idxp = (unsigned)dead;
		return 0;
	}

	*idxp = (unsigned)live;

	return destroy(st, (unsigned)live);
}


static bool kid_taken(const struct cdr_store *st, uint64_t kid)
{
	return !kid || epoch_find(st, kid) != NULL;
}


int epoch_key_for(struct cdr_store *st, int64_t t_s, struct slot **slotp)
{
	struct slot fresh, *s;
	uint8_t buf[SLOT_SIZE];
	unsigned idx;
	int err;

	for (unsigned i = 0; i < NSLOTS; i++) {
		s = &st->slots[i];
		if (s->state == SLOT_LIVE && s->start_s <= t_s &&
		    t_s < s->end_s) {
			*slotp = s;
			return 0;
		}
	}

	memset(&fresh, 0, sizeof(fresh));
	fresh.state = SLOT_LIVE;
	fresh.start_s = floor_div(t_s, st->epoch_s) * st->epoch_s;
	fresh.end_s = fresh.start_s + st->epoch_s;

	do {
		err = dp_random((uint8_t *)&fresh.kid, sizeof(fresh.kid));
	} while (!err && kid_taken(st, fresh.kid));
	if (!err)
		err = dp_random(fresh.key, sizeof(fresh.key));
	if (!err)
		err = pick_slot(st, &idx);
	if (!err)
		err = keys_next_ctr(st, &fresh.ctr);
	if (!err)
		err = encode_live(st, idx, &fresh, st->sess, buf);
	if (!err)
		err = write_slot(st, 0, idx, buf);
	if (!err)
		err = write_slot(st, 1, idx, buf);

	if (!err) {
		st->slots[idx] = fresh;
		*slotp = &st->slots[idx];
	}
	dp_wipe(&fresh, sizeof(fresh));
	dp_wipe(buf, sizeof(buf));

	return err;
}
