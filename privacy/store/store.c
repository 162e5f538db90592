/**
 * @file store.c  Opening, appending, dropping: the store's public face
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <re.h>
#include "layout.h"


static void destructor(void *arg)
{
	struct cdr_store *st = arg;

	if (st->wfd >= 0 && st->wfd != st->fd)
		close(st->wfd);
	if (st->fd >= 0)
		close(st->fd);   /* releases the locks */
	if (st->head_buf)
		dp_wipe(st->head_buf, SECTOR);
	free(st->head_buf);
	free(st->scratch);
	keys_forget(st);
	dp_wipe(st->secret, sizeof(st->secret));
	dp_wipe(st->kctrl, sizeof(st->kctrl));
	dp_wipe(st->slots, sizeof(st->slots));
	mem_deref(st->ring);
}


static int file_size(int fd, uint64_t *sizep)
{
	struct stat s;
	off_t end;

	*sizep = 0;
	if (fstat(fd, &s))
		return errno;

	if (S_ISREG(s.st_mode)) {
		*sizep = (uint64_t)s.st_size;
		return 0;
	}

	if (!S_ISBLK(s.st_mode))
		return EINVAL;

	end = lseek(fd, 0, SEEK_END);
	if (end < 0)
		return errno;
	*sizep = (uint64_t)end;

	return 0;
}


/* Whether any byte in [from, to) is not zero. */
static int holds_data(struct cdr_store *st, uint64_t from, uint64_t to,
		      bool *data)
{
	uint8_t *buf = malloc(16 * SECTOR);
	int err = 0;

	*data = false;
	if (!buf)
		return ENOMEM;

	for (uint64_t off = from; off < to && !*data; off += 16 * SECTOR) {
		size_t n = to - off < 16 * SECTOR ?
			(size_t)(to - off) : 16 * SECTOR;

		err = io_pread(st, buf, n, off);
		if (err)
			break;
		*data = !all_zero(buf, n);
	}

	free(buf);

	return err;
}


static int zero_fill(struct cdr_store *st, uint64_t from, uint64_t to)
{
	uint8_t *zeros = io_alloc(16 * SECTOR);
	int err = 0;

	if (!zeros)
		return ENOMEM;

	for (uint64_t off = from - from % SECTOR; off < to && !err;
	     off += 16 * SECTOR) {
		size_t n = to - off < 16 * SECTOR ?
			(size_t)(to - off) : 16 * SECTOR;

		err = io_write(st, zeros, n, off);
	}

	free(zeros);

	return err ? err : io_sync(st);
}


static int format(struct cdr_store *st, uint64_t have)
{
	int err;

	/* Every block is written for real now: appends then overwrite in
	 * place, and their syncs cost no file-system metadata. */
	if (have < st->nsectors * SECTOR) {
		err = zero_fill(st, have, st->nsectors * SECTOR);
		if (err)
			return err;
	}

	memset(&st->ctrl, 0, sizeof(st->ctrl));
	st->ctrl.seq_floor = 1;
	st->ctrl.horizon_ms = INT64_MIN;
	err = dp_random(st->ctrl.store_id, sizeof(st->ctrl.store_id));

	return err ? err : ctrl_write(st);
}


/* The store's size: its own when it exists, else the one asked for. */
static int geometry(struct cdr_store *st, const struct cdr_store_params *prm,
		    uint64_t *have)
{
	uint64_t size = 0, want = prm->size ? prm->size : DEFAULT_SIZE;
	bool data = false;
	int err;

	err = file_size(st->fd, &size);
	if (err)
		return err;

	*have = size;
	if (!st->readonly && size < want) {
		/* new, or its creation was cut short (only zeros so far);
		 * a smaller store that holds data keeps its size */
		err = holds_data(st, 0, size, &data);
		if (err)
			return err;
		if (data && size < MIN_SIZE)
			return EINVAL;
		if (!data)
			size = want;
	}

	if (size < MIN_SIZE)
		return EINVAL;
	if (size > MAX_SIZE)
		size = MAX_SIZE;

	st->nsectors = size / SECTOR;
	st->nring = (uint32_t)(st->nsectors - RING_FIRST);

	return 0;
}


/* Writers: settle the control block, the keys and the head sector, and
 * reserve nonce counters for this session. */
static int recover(struct cdr_store *st, uint64_t have)
{
	struct scan_result res;
	bool found, data;
	uint64_t ctr;
	int err;

	err = ctrl_load(st, &found);
	if (err)
		return err;

	if (!found) {
		err = holds_data(st, sector_off(KEY_FIRST),
				 st->nsectors * SECTOR, &data);
		if (err)
			return err;
		if (!data) {
			err = format(st, have);
			if (err)
				return err;
			found = true;
		}
	}

	err = epoch_load(st, true);
	if (err)
		return err;

	err = scan(st, NULL, NULL, &res);
	if (err)
		return err;

	if (!found) {
		/* data, but neither copy of the control block verifies:
		 * another device's store, or one of ours with both copies
		 * damaged (the records tell which) */
		if (!res.info.sectors_used && !res.info.epoch_keys_live &&
		    !res.info.epoch_keys_destroyed)
			return EBADMSG;
		memset(&st->ctrl, 0, sizeof(st->ctrl));
		st->ctrl.horizon_ms = INT64_MIN;
		st->ctrl.seq_floor = res.max_seq + 1;
	}

	st->next_seq = res.max_seq + 1;
	if (st->ctrl.seq_floor > st->next_seq)
		st->next_seq = st->ctrl.seq_floor;

	ctr = st->ctrl.ctr_limit;
	if (res.max_ctr + 1 > ctr)
		ctr = res.max_ctr + 1;
	if (epoch_max_ctr(st) + 1 > ctr)
		ctr = epoch_max_ctr(st) + 1;
	st->next_ctr = ctr;

	st->max_sector_seq = res.info.sector_writes;
	st->head_valid = res.head_valid;
	st->head = res.head_valid ? res.head : st->nring - 1;
	st->head_fill = res.head_fill < SECT_HDR ? SECT_HDR : res.head_fill;

	/* the sector being filled, kept in memory: appends rewrite it */
	if (st->head_valid) {
		err = io_pread(st, st->head_buf, SECTOR, ring_off(st, st->head));
		if (err)
			return err;
	}

	/* a torn append leaves bytes after the last good record: clear
	 * them so the next append starts on clean ground */
	if (res.head_valid && res.head_dirty) {
		memset(st->head_buf + st->head_fill, 0, SECTOR - st->head_fill);
		err = io_write(st, st->head_buf, SECTOR,
			       ring_off(st, st->head));
		if (!err)
			err = io_sync(st);
		if (err)
			return err;
	}

	do {
		err = dp_random((uint8_t *)&st->sess, sizeof(st->sess));
	} while (!err && !st->sess);
	if (err)
		return err;

	/* reserve now, so the first append costs one write only */
	st->ctrl.ctr_limit = st->next_ctr + RESERVE_CTRS;

	return ctrl_write(st);
}


/* Readers: what the writer has on flash right now. */
static int reload(struct cdr_store *st)
{
	bool found;
	int err;

	io_lock_data(st, false);
	err = ctrl_load(st, &found);
	if (!err && !found) {
		memset(&st->ctrl, 0, sizeof(st->ctrl));
		st->ctrl.horizon_ms = INT64_MIN;
	}
	if (!err)
		err = epoch_load(st, false);
	io_unlock_data(st);
	st->slots_fresh = false;

	return err;
}


/* Readers, when neither control copy verifies: zeros (a creation cut
 * short) or records of this device are a store; anything else is not. */
static int readable(struct cdr_store *st)
{
	struct scan_result res;
	bool data;
	int err;

	err = holds_data(st, sector_off(KEY_FIRST), st->nsectors * SECTOR,
			 &data);
	if (err || !data)
		return err;

	err = scan(st, NULL, NULL, &res);
	if (err)
		return err;

	return res.info.sectors_used || res.info.epoch_keys_live ||
		res.info.epoch_keys_destroyed ? 0 : EBADMSG;
}


int cdr_store_open(struct cdr_store **stp,
		   const struct cdr_store_params *prm)
{
	struct cdr_store *st;
	uint64_t have = 0;
	int err;

	if (!stp || !prm || !prm->path || !*prm->path || !prm->secret)
		return EINVAL;

	st = mem_zalloc(sizeof(*st), destructor);
	if (!st)
		return ENOMEM;

	st->fd = -1;
	st->wfd = -1;
	st->readonly = prm->readonly;
	st->epoch_s = prm->epoch_s ? prm->epoch_s : DEFAULT_EPOCH;
	st->write_hook = prm->write_hook;
	st->hook_arg = prm->hook_arg;
	memcpy(st->secret, prm->secret, DP_KEY_LEN);

	err = dp_derive_key(st->secret, "cdr-store-v1 control", st->kctrl);
	if (err)
		goto out;

	st->fd = prm->readonly ?
		open(prm->path, O_RDONLY | O_CLOEXEC) :
		open(prm->path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (st->fd < 0) {
		err = errno;
		goto out;
	}

	st->head_buf = io_alloc(SECTOR);
	st->scratch = io_alloc(SECTOR);
	if (!st->head_buf || !st->scratch) {
		err = ENOMEM;
		goto out;
	}

	if (!st->readonly) {
		err = io_lock_writer(st);
		if (err)
			goto out;

		st->wfd = open(prm->path, O_WRONLY | O_DIRECT | O_CLOEXEC);
		if (st->wfd < 0 && errno == EINVAL)
			st->wfd = st->fd;   /* no direct I/O here (tmpfs) */
		if (st->wfd < 0) {
			err = errno;
			goto out;
		}
	}

	err = geometry(st, prm, &have);
	if (err)
		goto out;

	st->ring = mem_zalloc(st->nring * sizeof(*st->ring), NULL);
	if (!st->ring) {
		err = ENOMEM;
		goto out;
	}

	if (st->readonly) {
		err = reload(st);
		if (!err && !st->ctrl_copies_ok)
			err = readable(st);
	}
	else {
		io_lock_data(st, true);
		err = recover(st, have);
		io_unlock_data(st);
	}

 out:
	if (err)
		mem_deref(st);
	else
		*stp = st;

	return err;
}


void cdr_store_close(struct cdr_store *st)
{
	mem_deref(st);
}


static bool record_sane(const struct cdr_record *rec)
{
	return (rec->dir == CDR_DIR_INCOMING ||
		rec->dir == CDR_DIR_OUTGOING) &&
		rec->result >= CDR_ANSWERED && rec->result <= CDR_CANCELLED;
}


int cdr_store_append(struct cdr_store *st, struct cdr_record *rec)
{
	uint8_t *buf = st ? st->head_buf : NULL;
	uint32_t idx, off;
	uint64_t sector_seq;
	size_t len;
	bool fresh;
	int err;

	if (!st || !rec || !record_sane(rec))
		return EINVAL;
	if (st->readonly)
		return EROFS;

	io_lock_data(st, true);

	rec->seq = st->next_seq++;
	len = record_len(rec);

	fresh = !st->head_valid || st->head_fill + len > SECTOR;
	if (fresh) {
		idx = (st->head + 1) % st->nring;
		sector_seq = ++st->max_sector_seq;
		off = SECT_HDR;
		memset(buf, 0, SECTOR);
		sector_header(st, idx, sector_seq, buf);
	}
	else {
		idx = st->head;
		sector_seq = st->ring[idx].seq;
		off = st->head_fill;
	}

	err = record_seal(st, rec, idx, sector_seq, buf + off, &len);
	if (err) {
		memset(buf + off, 0, SECTOR - off);
		/* the buffer no longer mirrors the head sector */
		if (fresh)
			st->head_valid = false;
		goto out;
	}

	err = io_write(st, buf, SECTOR, ring_off(st, idx));
	if (!err)
		err = io_sync(st);

	if (fresh) {
		st->ring[idx].valid = true;
		st->ring[idx].seq = sector_seq;
		st->ring[idx].max_start_ms = INT64_MIN;
		st->head = idx;
	}

	/* After a failed write the sector's state on flash is unknown:
	 * the next record starts a sector of its own. */
	st->head_valid = !err;
	st->head_fill = off + (uint32_t)len;
	if (!err && rec->start_ms > st->ring[idx].max_start_ms)
		st->ring[idx].max_start_ms = rec->start_ms;

 out:
	io_unlock_data(st);

	return err;
}


int cdr_store_foreach(struct cdr_store *st, cdr_record_h *h, void *arg,
		      struct cdr_store_info *info)
{
	struct scan_result res;
	int err;

	if (!st)
		return EINVAL;

	if (st->readonly) {
		err = reload(st);
		if (err)
			return err;
	}

	err = scan(st, h, arg, &res);
	if (info)
		*info = res.info;

	return err;
}


int cdr_store_info(struct cdr_store *st, struct cdr_store_info *info)
{
	return cdr_store_foreach(st, NULL, NULL, info);
}


struct find {
	uint64_t seq;
	struct cdr_record *rec;
};


static int find_seq(const struct cdr_record *rec, void *arg)
{
	struct find *f = arg;

	if (rec->seq != f->seq)
		return 0;
	if (f->rec)
		*f->rec = *rec;

	return 1;
}


int cdr_store_find(struct cdr_store *st, uint64_t seq,
		   struct cdr_record *rec)
{
	struct find f = { .seq = seq, .rec = rec };
	int err = cdr_store_foreach(st, find_seq, &f, NULL);

	if (err == 1)
		return 0;

	return err ? err : ENOENT;
}


int cdr_store_destroy_epoch_keys_before(struct cdr_store *st, int64_t t_s,
					 unsigned *ndestroyed)
{
	int err;

	if (!st)
		return EINVAL;
	if (st->readonly)
		return EROFS;

	io_lock_data(st, true);
	err = epoch_destroy_before(st, t_s, ndestroyed);
	io_unlock_data(st);

	return err;
}


static int64_t ms_to_s_floor(int64_t ms)
{
	return ms / 1000 - (ms % 1000 < 0);
}


int cdr_store_drop_before(struct cdr_store *st, int64_t t_ms)
{
	bool zeroed = false;
	int err = 0;

	if (!st)
		return EINVAL;
	if (st->readonly)
		return EROFS;

	io_lock_data(st, true);

	if (t_ms > st->ctrl.horizon_ms) {
		int64_t old = st->ctrl.horizon_ms;

		st->ctrl.horizon_ms = t_ms;
		st->ctrl.seq_floor = st->next_seq;
		err = ctrl_write(st);
		if (err) {
			st->ctrl.horizon_ms = old;
			goto out;
		}
	}

	err = epoch_destroy_before(st, ms_to_s_floor(t_ms), NULL);

	for (uint32_t i = 0; i < st->nring && !err; i++) {
		struct ring_sector *rs = &st->ring[i];

		if (!rs->valid || rs->max_start_ms >= t_ms)
			continue;

		memset(st->scratch, 0, SECTOR);
		err = io_write(st, st->scratch, SECTOR, ring_off(st, i));
		rs->valid = false;
		if (i == st->head)
			st->head_valid = false;
		zeroed = true;
	}

	if (!err && zeroed)
		err = io_sync(st);

 out:
	io_unlock_data(st);

	return err;
}


void cdr_store_last_location(const struct cdr_store *st, uint64_t *off,
			     size_t *len)
{
	if (off)
		*off = st ? st->last_off : 0;
	if (len)
		*len = st ? st->last_len : 0;
}
