/**
 * @file shred.c  Forgetting for good: records and personal parts
 *                overwritten in place, and a whole store wiped
 *
 * Destroying an epoch key makes the personal parts it sealed unreadable
 * to anyone who did not keep a copy of the key; overwriting the sealed
 * bytes as well leaves nothing to decrypt, whoever kept what.  Each
 * record is overwritten by one sector write, synced before the next: the
 * other records of the sector are written back byte for byte, so a
 * power cut during that write can cost the one record being overwritten
 * (its torn remains do not open) and nothing else.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "layout.h"


/* Overwrite the record at `off` (length `len`) in sector `idx`, whose
 * contents are in `buf`, with its resealed form, and write the sector. */
static int replace(struct cdr_store *st, uint32_t idx, uint8_t *buf,
		   uint32_t off, size_t len, const struct cdr_record *rec,
		   enum reseal how, uint64_t kid)
{
	uint8_t out[REC_MAX];
	size_t newlen = 0;
	int err;

	err = record_reseal(st, rec, how, kid, idx, st->ring[idx].seq, out,
			    &newlen);
	if (!err && newlen > len)
		err = EFBIG;
	if (err) {
		dp_wipe(out, sizeof(out));
		return err;
	}

	memset(buf + off, 0, len);
	memcpy(buf + off, out, newlen);
	dp_wipe(out, sizeof(out));

	io_lock_data(st, true);
	err = io_write(st, buf, SECTOR, ring_off(st, idx));
	if (!err)
		err = io_sync(st);
	if (!err && st->head_valid && idx == st->head)
		memcpy(st->head_buf, buf, SECTOR);
	io_unlock_data(st);

	return err;
}


static bool epoch_gone(const struct cdr_store *st, uint64_t kid)
{
	const struct slot *s = epoch_find(st, kid);

	return !s || s->state != SLOT_LIVE;
}


/* Every record of one sector that must go or lose its personal part. */
static int shred_sector(struct cdr_store *st, uint32_t idx, uint8_t *buf,
			struct cdr_shred_counts *c)
{
	uint32_t off = SECT_HDR;
	int err;

	err = io_pread(st, buf, SECTOR, ring_off(st, idx));
	if (err)
		return err;

	while (off + UNIT <= SECTOR) {
		struct cdr_record rec;
		struct record_meta meta;
		uint64_t ctr;
		size_t len;

		if (memcmp(buf + off, magic_record, 4) ||
		    record_open(st, buf + off, SECTOR - off, idx,
				st->ring[idx].seq, &rec, &len, &ctr, false,
				&meta)) {
			off += UNIT;
			continue;
		}

		if (meta.is_void) {
			/* nothing left to forget */
		}
		else if (rec.start_ms < st->ctrl.horizon_ms) {
			err = replace(st, idx, buf, off, len, &rec,
				      RESEAL_VOID, 0);
			if (!err)
				c->records_voided++;
		}
		else if (meta.has_personal && epoch_gone(st, meta.kid)) {
			err = replace(st, idx, buf, off, len, &rec,
				      RESEAL_STRIPPED, meta.kid);
			if (!err)
				c->personal_stripped++;
		}
		dp_wipe(&rec, sizeof(rec));
		if (err)
			return err;

		off += (uint32_t)len;
	}

	return 0;
}


static unsigned live_keys(const struct cdr_store *st)
{
	unsigned n = 0;

	for (unsigned i = 0; i < NSLOTS; i++)
		n += st->slots[i].state == SLOT_LIVE;

	return n;
}


int cdr_store_shred(struct cdr_store *st, int64_t personal_before_s,
		    int64_t drop_before_ms, struct cdr_shred_counts *c)
{
	struct cdr_shred_counts dummy;
	struct cdr_store_info before, after;
	unsigned live;
	uint8_t *buf;
	int err = 0;

	if (!c)
		c = &dummy;
	memset(c, 0, sizeof(*c));
	if (!st)
		return EINVAL;
	if (st->readonly)
		return EROFS;

	live = live_keys(st);
	err = cdr_store_info(st, &before);
	if (err)
		return err;

	if (drop_before_ms > st->ctrl.horizon_ms) {
		uint32_t had = 0, has = 0;

		for (uint32_t i = 0; i < st->nring; i++)
			had += st->ring[i].valid;
		err = cdr_store_drop_before(st, drop_before_ms);
		for (uint32_t i = 0; i < st->nring; i++)
			has += st->ring[i].valid;
		c->sectors_zeroed = had - has;
		if (err)
			return err;
	}

	io_lock_data(st, true);
	err = epoch_destroy_before(st, personal_before_s, NULL);
	io_unlock_data(st);
	/* the drop destroys keys too */
	c->keys_destroyed = live - live_keys(st);
	if (err)
		return err;

	buf = io_alloc(SECTOR);
	if (!buf)
		return ENOMEM;

	for (uint32_t i = 0; i < st->nring && !err; i++) {
		if (st->ring[i].valid)
			err = shred_sector(st, i, buf, c);
	}

	dp_wipe(buf, SECTOR);
	free(buf);

	if (!err)
		err = cdr_store_info(st, &after);
	if (!err && before.records > after.records)
		c->records_dropped = before.records - after.records;

	return err;
}


int cdr_store_rewrite(struct cdr_store *st, uint64_t seq,
		      const struct cdr_record *rec)
{
	struct cdr_record cur, next;
	struct record_meta meta;
	uint64_t ctr;
	uint32_t idx, off;
	size_t len;
	uint8_t *buf;
	enum reseal how;
	int err;

	if (!st)
		return EINVAL;
	if (st->readonly)
		return EROFS;

	/* leaves st->last_off at the record */
	err = cdr_store_find(st, seq, NULL);
	if (err)
		return err;

	idx = (uint32_t)(st->last_off / SECTOR - RING_FIRST);
	off = (uint32_t)(st->last_off % SECTOR);

	buf = io_alloc(SECTOR);
	if (!buf)
		return ENOMEM;

	err = io_pread(st, buf, SECTOR, ring_off(st, idx));
	if (!err && record_open(st, buf + off, SECTOR - off, idx,
				st->ring[idx].seq, &cur, &len, &ctr, false,
				&meta))
		err = EIO;     /* it opened a moment ago */
	if (err)
		goto out;

	if (!rec) {
		how = RESEAL_VOID;
		next = cur;
	}
	else {
		next = *rec;
		next.seq = seq;
		how = next.local_uri[0] || next.remote_uri[0] ||
			next.remote_name[0] ? RESEAL_FULL : RESEAL_STRIPPED;
		if (how == RESEAL_FULL && record_len(&next) > len)
			err = EFBIG;
	}

	if (!err)
		err = replace(st, idx, buf, off, len, &next, how, meta.kid);

 out:
	dp_wipe(&cur, sizeof(cur));
	dp_wipe(&next, sizeof(next));
	dp_wipe(buf, SECTOR);
	free(buf);

	return err;
}


int cdr_store_wipe(const char *path)
{
	struct flock fl;
	struct stat s;
	uint8_t *zeros;
	uint64_t size = 0;
	int fd, err = 0;

	if (!path || !*path)
		return EINVAL;

	fd = open(path, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return errno;

	/* the writer's lock: never under a running writer */
	memset(&fl, 0, sizeof(fl));
	fl.l_type = F_WRLCK;
	fl.l_whence = SEEK_SET;
	fl.l_len = 1;
	if (fcntl(fd, F_OFD_SETLK, &fl)) {
		err = errno == EAGAIN || errno == EACCES ? EBUSY : errno;
		close(fd);
		return err;
	}

	if (fstat(fd, &s)) {
		err = errno;
	}
	else if (S_ISREG(s.st_mode)) {
		size = (uint64_t)s.st_size;
	}
	else if (S_ISBLK(s.st_mode)) {
		off_t end = lseek(fd, 0, SEEK_END);

		if (end < 0)
			err = errno;
		size = end < 0 ? 0 : (uint64_t)end;
	}
	else {
		err = EINVAL;
	}

	zeros = err ? NULL : calloc(1, 16 * SECTOR);
	if (!err && !zeros)
		err = ENOMEM;

	for (uint64_t o = 0; !err && o < size; ) {
		size_t n = size - o < 16 * SECTOR ? (size_t)(size - o) :
			16 * SECTOR;
		ssize_t w = pwrite(fd, zeros, n, (off_t)o);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			err = w < 0 ? errno : EIO;
		else
			o += (uint64_t)w;
	}

	if (!err && fdatasync(fd))
		err = errno;

	free(zeros);
	close(fd);

	return err;
}
