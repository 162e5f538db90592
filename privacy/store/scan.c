/**
 * @file scan.c  Recovery: walk the ring and find exactly the committed
 *               records
 *
 * Sectors are taken in the order of their sequence numbers; within a
 * sector, records follow each other from the header on.  Whatever does
 * not open (a torn append, a flipped bit, a left-over from an older
 * round) is skipped 16 bytes at a time until the next record that does,
 * and counted once per damaged span.  Nothing that fails to verify is
 * ever handed out.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "layout.h"

struct order {
	uint64_t seq;
	uint32_t idx;
};


static int by_seq(const void *a, const void *b)
{
	const struct order *x = a, *y = b;

	return x->seq < y->seq ? -1 : x->seq > y->seq;
}


static int read_locked(struct cdr_store *st, void *buf, size_t len,
		       uint64_t off)
{
	int err;

	if (st->readonly)
		io_lock_data(st, false);
	err = io_pread(st, buf, len, off);
	if (st->readonly)
		io_unlock_data(st);

	return err;
}


struct walk {
	struct scan_result *res;
	cdr_record_h *h;
	void *arg;
	uint64_t prev_seq;
	bool any;
};


static int walk_sector(struct cdr_store *st, struct walk *w, uint32_t idx,
		       uint64_t sector_seq, const uint8_t *buf)
{
	struct cdr_store_info *info = &w->res->info;
	struct ring_sector *rs = &st->ring[idx];
	uint32_t off = SECT_HDR, last_end = SECT_HDR;
	bool damage = false;
	int stop = 0;

	rs->max_start_ms = INT64_MIN;

	while (off + UNIT <= SECTOR) {
		const uint8_t *p = buf + off;
		struct cdr_record rec;
		struct record_meta meta;
		uint64_t ctr;
		size_t len;

		if (!memcmp(p, magic_record, 4) &&
		    !record_open(st, p, SECTOR - off, idx, sector_seq, &rec,
				 &len, &ctr, true, &meta) &&
		    (!w->any || rec.seq > w->prev_seq)) {

			if (w->any && rec.seq > w->prev_seq + 1)
				info->seq_gaps += rec.seq - w->prev_seq - 1;
			w->prev_seq = rec.seq;
			w->any = true;

			if (rec.seq > w->res->max_seq)
				w->res->max_seq = rec.seq;
			if (ctr > w->res->max_ctr)
				w->res->max_ctr = ctr;
			if (!meta.is_void && rec.start_ms > rs->max_start_ms)
				rs->max_start_ms = rec.start_ms;

			if (meta.is_void) {
				/* overwritten in place: its seq only */
				info->voided++;
			}
			else if (rec.start_ms < st->ctrl.horizon_ms) {
				info->dropped++;
			}
			else {
				if (!info->records++) {
					info->first_seq = rec.seq;
					info->oldest_ms = rec.start_ms;
				}
				info->last_seq = rec.seq;
				if (rec.start_ms > info->newest_ms)
					info->newest_ms = rec.start_ms;
				if (rec.start_ms < info->oldest_ms)
					info->oldest_ms = rec.start_ms;
				if (rec.personal_erased)
					info->personal_erased++;

				st->last_off = ring_off(st, idx) + off;
				st->last_len = len;
				if (w->h && !stop)
					stop = w->h(&rec, w->arg);
			}
			dp_wipe(&rec, sizeof(rec));

			off += (uint32_t)len;
			last_end = off;
			damage = false;
			if (stop)
				return stop;
			continue;
		}

		if (!all_zero(p, UNIT)) {
			if (!damage)
				info->skipped++;
			info->damaged_bytes += UNIT;
			damage = true;
		}
		else {
			damage = false;
		}
		off += UNIT;
	}

	if (idx == w->res->head && w->res->head_valid) {
		w->res->head_fill = last_end;
		w->res->head_dirty = !all_zero(buf + last_end,
					       SECTOR - last_end);
	}

	return 0;
}


int scan(struct cdr_store *st, cdr_record_h *h, void *arg,
	 struct scan_result *res)
{
	struct cdr_store_info *info = &res->info;
	struct walk w = { res, h, arg, 0, false };
	struct order *order;
	uint8_t *buf;
	uint32_t n = 0;
	uint64_t min_seq = UINT64_MAX, max_seq = 0;
	int err = 0;

	memset(res, 0, sizeof(*res));
	info->size = st->nsectors * SECTOR;
	info->ring_sectors = st->nring;
	info->epoch_slots = NSLOTS;
	info->ctrl_copies_ok = st->ctrl_copies_ok;
	info->horizon_ms = st->ctrl.horizon_ms;
	info->nonce_reserved = st->ctrl.ctr_limit;

	for (unsigned i = 0; i < NSLOTS; i++) {
		if (st->slots[i].state == SLOT_LIVE)
			info->epoch_keys_live++;
		else if (st->slots[i].state == SLOT_DEAD)
			info->epoch_keys_destroyed++;
	}

	order = calloc(st->nring, sizeof(*order));
	buf = malloc(SECTOR);
	if (!order || !buf) {
		err = ENOMEM;
		goto out;
	}

	for (uint32_t i = 0; i < st->nring; i++) {
		uint8_t hdr[SECT_HDR];
		struct ring_sector *rs = &st->ring[i];

		err = read_locked(st, hdr, sizeof(hdr), ring_off(st, i));
		if (err)
			goto out;

		rs->valid = sector_header_ok(st, i, hdr, &rs->seq);
		rs->max_start_ms = INT64_MIN;
		if (!rs->valid) {
			rs->seq = 0;
			if (!all_zero(hdr, sizeof(hdr)))
				info->damaged_sectors++;
			continue;
		}

		order[n].seq = rs->seq;
		order[n].idx = i;
		n++;
		if (rs->seq < min_seq)
			min_seq = rs->seq;
		if (rs->seq > max_seq) {
			max_seq = rs->seq;
			res->head = i;
			res->head_valid = true;
		}
	}

	info->sectors_used = n;
	info->sector_writes = max_seq;
	info->wear_spread = n ? (uint32_t)((max_seq - min_seq) / st->nring) : 0;
	qsort(order, n, sizeof(*order), by_seq);

	for (uint32_t k = 0; k < n; k++) {
		uint32_t idx = order[k].idx;
		uint64_t seq;

		err = read_locked(st, buf, SECTOR, ring_off(st, idx));
		if (err)
			goto out;

		/* recycled by the writer while we walked: newer than us */
		if (!sector_header_ok(st, idx, buf, &seq) ||
		    seq != order[k].seq)
			continue;

		err = walk_sector(st, &w, idx, seq, buf);
		if (err)
			goto out;
	}

	if (res->head_valid && !st->ring[res->head].valid)
		res->head_valid = false;

 out:
	free(order);
	if (buf)
		dp_wipe(buf, SECTOR);
	free(buf);

	return err;
}
