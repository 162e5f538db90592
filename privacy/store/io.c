/**
 * @file io.c  Whole reads and writes, syncs and the two advisory locks
 *
 * A writer writes whole 4 KiB sectors and, where the file system allows,
 * with O_DIRECT: a synced append then costs the device one 4 KiB block,
 * whatever size of page-cache folio the kernel would have dirtied.  Reads
 * go through the page cache (which direct writes keep coherent).
 *
 * Locks are open-file-description locks on two bytes of the store:
 * byte 0 is held by the one writer for as long as it has the store open;
 * byte 1 is taken around every write (exclusive) and every sector read
 * (shared), so a reader never sees a record half written.  Neither side
 * waits for the data lock longer than a second: a stuck reader must not
 * stall the daemon, and a reader that proceeds regardless can at worst
 * count a record in flight as damaged; it never returns one.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "layout.h"


bool all_zero(const uint8_t *p, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		if (p[i])
			return false;
	}

	return true;
}


int io_pread(struct cdr_store *st, void *buf, size_t len, uint64_t off)
{
	uint8_t *p = buf;

	while (len) {
		ssize_t n = pread(st->fd, p, len, (off_t)off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return errno;
		if (n == 0) {
			/* past the end of a short file reads as erased */
			memset(p, 0, len);
			return 0;
		}
		p += n;
		off += (uint64_t)n;
		len -= (size_t)n;
	}

	return 0;
}


void *io_alloc(size_t len)
{
	void *p = NULL;

	if (posix_memalign(&p, SECTOR, len))
		return NULL;
	memset(p, 0, len);

	return p;
}


int io_write(struct cdr_store *st, const void *buf, size_t len,
	     uint64_t off)
{
	const uint8_t *p = buf;

	if (off % SECTOR || len % SECTOR || (uintptr_t)buf % SECTOR)
		return EINVAL;

	if (st->write_hook)
		st->write_hook(off, buf, len, st->hook_arg);

	while (len) {
		ssize_t n = pwrite(st->wfd, p, len, (off_t)off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return n < 0 ? errno : EIO;
		p += n;
		off += (uint64_t)n;
		len -= (size_t)n;
	}

	return 0;
}


int io_patch(struct cdr_store *st, const void *data, size_t len,
	     uint64_t off)
{
	uint64_t base = off - off % SECTOR;
	int err;

	if (off - base + len > SECTOR)
		return EINVAL;

	err = io_pread(st, st->scratch, SECTOR, base);
	if (err)
		return err;

	memcpy(st->scratch + (off - base), data, len);

	return io_write(st, st->scratch, SECTOR, base);
}


int io_sync(struct cdr_store *st)
{
	if (fdatasync(st->wfd))
		return errno;

	if (st->write_hook)
		st->write_hook(0, NULL, 0, st->hook_arg);

	return 0;
}


static int setlk(int fd, short type, off_t start)
{
	struct flock fl;

	memset(&fl, 0, sizeof(fl));
	fl.l_type = type;
	fl.l_whence = SEEK_SET;
	fl.l_start = start;
	fl.l_len = 1;

	return fcntl(fd, F_OFD_SETLK, &fl) ? errno : 0;
}


int io_lock_writer(struct cdr_store *st)
{
	int err = setlk(st->fd, F_WRLCK, 0);

	return err == EAGAIN || err == EACCES ? EBUSY : err;
}


void io_lock_data(struct cdr_store *st, bool exclusive)
{
	const struct timespec pause = { 0, 1000000 };

	for (int i = 0; i < 1000; i++) {
		int err = setlk(st->fd, exclusive ? F_WRLCK : F_RDLCK, 1);

		if (err != EAGAIN && err != EACCES)
			return;
		nanosleep(&pause, NULL);
	}
}


void io_unlock_data(struct cdr_store *st)
{
	(void)setlk(st->fd, F_UNLCK, 1);
}
