/**
 * @file ctrl.c  The control block, kept twice (sectors 0 and 1)
 *
 * It holds what must survive a power cut and cannot be read back from
 * the records: how far nonce counters are reserved, the lowest sequence
 * number to hand out, and the drop horizon.  Writes alternate between
 * the copies and each carries a generation number and an HMAC, so a torn
 * write damages one copy at most and the other one still reads.
 *
 *   0 "DPCDRCB1" | 8 version u32 | 12 sectors u32 | 16 generation u64 |
 *   24 counter reserved-until u64 | 32 sequence floor u64 |
 *   40 horizon (ms) i64 | 48 store id (16) | 64 copy u32 | 68..96 zero |
 *   96 HMAC-SHA256 of bytes 0..96
 */
#include <errno.h>
#include <string.h>
#include "layout.h"

const uint8_t magic_ctrl[8] = { 'D', 'P', 'C', 'D', 'R', 'C', 'B', '1' };

enum { CTRL_VERSION = 1, CTRL_FIELDS = 96 };


static void encode(const struct cdr_store *st, uint32_t copy,
		   uint8_t out[CTRL_LEN])
{
	memset(out, 0, CTRL_LEN);
	memcpy(out, magic_ctrl, sizeof(magic_ctrl));
	put32(out + 8, CTRL_VERSION);
	put32(out + 12, (uint32_t)st->nsectors);
	put64(out + 16, st->ctrl.generation);
	put64(out + 24, st->ctrl.ctr_limit);
	put64(out + 32, st->ctrl.seq_floor);
	put64(out + 40, (uint64_t)st->ctrl.horizon_ms);
	memcpy(out + 48, st->ctrl.store_id, 16);
	put32(out + 64, copy);
	(void)keys_mac(st, out, CTRL_FIELDS, out + CTRL_FIELDS,
		       CTRL_LEN - CTRL_FIELDS);
}


static bool decode(const struct cdr_store *st, uint32_t copy,
		   const uint8_t in[CTRL_LEN], struct ctrl *c)
{
	if (memcmp(in, magic_ctrl, sizeof(magic_ctrl)) ||
	    get32(in + 8) != CTRL_VERSION ||
	    get32(in + 12) != (uint32_t)st->nsectors ||
	    get32(in + 64) != copy ||
	    !keys_mac_ok(st, in, CTRL_FIELDS, in + CTRL_FIELDS,
			 CTRL_LEN - CTRL_FIELDS))
		return false;

	c->generation = get64(in + 16);
	c->ctr_limit  = get64(in + 24);
	c->seq_floor  = get64(in + 32);
	c->horizon_ms = (int64_t)get64(in + 40);
	memcpy(c->store_id, in + 48, 16);

	return true;
}


int ctrl_load(struct cdr_store *st, bool *found)
{
	uint8_t buf[CTRL_LEN];
	struct ctrl c;
	int err;

	*found = false;
	st->ctrl_copies_ok = 0;

	for (uint32_t copy = 0; copy < CTRL_SECTORS; copy++) {
		err = io_pread(st, buf, sizeof(buf), sector_off(copy));
		if (err)
			return err;

		if (!decode(st, copy, buf, &c))
			continue;

		st->ctrl_copies_ok++;
		if (!*found || c.generation > st->ctrl.generation)
			st->ctrl = c;
		*found = true;
	}

	return 0;
}


int ctrl_write(struct cdr_store *st)
{
	uint8_t *buf = st->scratch;
	uint64_t gen = st->ctrl.generation + 1;
	uint32_t copy = (uint32_t)(gen % CTRL_SECTORS);
	int err;

	/* On failure the generation stays, so the retry goes to the same
	 * (already damaged) copy and the other good one is spared. */
	st->ctrl.generation = gen;
	memset(buf, 0, SECTOR);
	encode(st, copy, buf);

	err = io_write(st, buf, SECTOR, sector_off(copy));
	if (!err)
		err = io_sync(st);
	if (err)
		st->ctrl.generation = gen - 1;

	return err;
}
