/**
 * @file stick.c  Reading a stick without trusting it, and writing the
 *                phone's result file back onto it
 *
 * Every file is opened relative to the deskphone-provisioning folder,
 * one path component at a time, refusing symbolic links at every step,
 * so nothing on the stick can make the phone read outside that folder.
 * Sizes are capped while reading, not taken from the file system.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <re.h>
#include "base/fileutil.h"
#include "prov_int.h"


int prov_fault(const struct prov_io *io, const char *op, const char *path)
{
	return io && io->fault ? io->fault(op, path, io->arg) : 0;
}


/* O_NOFOLLOW with O_DIRECTORY says ENOTDIR for a link: tell them apart */
static bool is_link(int dirfd, const char *name)
{
	struct stat st;

	return 0 == fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) &&
		S_ISLNK(st.st_mode);
}


int prov_stick_open(struct prov_stick *st, const char *root,
		    const struct prov_io *io)
{
	int rootfd, err;

	st->dirfd = -1;
	st->io = io;
	st->root_missing = true;

	err = prov_fault(io, "read", root);
	if (err)
		return err;

	rootfd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (rootfd < 0)
		return errno;
	st->root_missing = false;

	st->dirfd = openat(rootfd, PROV_FOLDER, O_RDONLY | O_DIRECTORY |
			   O_NOFOLLOW | O_CLOEXEC);
	err = st->dirfd < 0 ? errno : 0;
	if (err == ENOTDIR && is_link(rootfd, PROV_FOLDER))
		err = ELOOP;
	close(rootfd);

	return err;
}


void prov_stick_close(struct prov_stick *st)
{
	if (st && st->dirfd >= 0) {
		close(st->dirfd);
		st->dirfd = -1;
	}
}


static int open_path(int dirfd, const char *rel)
{
	char buf[130], *save = NULL, *part, *next;
	int fd = dirfd, err = 0;

	str_ncpy(buf, rel, sizeof(buf));
	part = strtok_r(buf, "/", &save);

	while (part) {
		int nfd;

		next = strtok_r(NULL, "/", &save);
		nfd = openat(fd, part, next ?
			     O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC :
			     O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY |
			     O_CLOEXEC);
		err = nfd < 0 ? errno : 0;
		if (err == ENOTDIR && next && is_link(fd, part))
			err = ELOOP;
		if (fd != dirfd)
			close(fd);
		if (err) {
			errno = err;
			return -1;
		}

		fd = nfd;
		part = next;
	}

	return fd;
}


int prov_stick_read(struct prov_stick *st, const char *rel, size_t max,
		    char **bufp, size_t *lenp)
{
	struct stat st_;
	int fd, err;

	if (!st || st->dirfd < 0 || !bufp)
		return EINVAL;

	if (!pv_stick_path(rel))
		return EPERM;

	err = prov_fault(st->io, "read", rel);
	if (err)
		return err;

	fd = open_path(st->dirfd, rel);
	if (fd < 0)
		return errno;

	if (fstat(fd, &st_) < 0) {
		err = errno;
		close(fd);
		return err;
	}

	if (S_ISDIR(st_.st_mode) || !S_ISREG(st_.st_mode)) {
		close(fd);
		return EISDIR;
	}

	if ((uint64_t)st_.st_size > max) {
		close(fd);
		return EFBIG;
	}

	err = dp_read_fd(fd, max, bufp, lenp);
	close(fd);

	return err;
}


void prov_stick_why(char *buf, size_t sz, const char *rel, int err,
		    size_t max)
{
	switch (err) {

	case ENOENT:
		re_snprintf(buf, sz, "%s: missing", rel);
		break;

	case ELOOP:
		re_snprintf(buf, sz, "%s: a symbolic link (refused)", rel);
		break;

	case EFBIG:
		re_snprintf(buf, sz, "%s: larger than %zu bytes", rel, max);
		break;

	case EISDIR:
	case ENOTDIR:
		re_snprintf(buf, sz, "%s: not a regular file", rel);
		break;

	case EPERM:
		re_snprintf(buf, sz, "%s: not a path this stick may hold"
			    " (relative, plain names, no ..)", rel);
		break;

	case EACCES:
		re_snprintf(buf, sz, "%s: cannot be read (permission denied)",
			    rel);
		break;

	default:
		re_snprintf(buf, sz, "%s: cannot be read (%m); was the stick"
			    " pulled out?", rel, err);
		break;
	}
}


static int write_all(int fd, const char *data, size_t len, bool at_start)
{
	size_t off = 0;

	while (off < len) {
		ssize_t n = at_start ? pwrite(fd, data + off, len - off,
					      (off_t)off) :
			write(fd, data + off, len - off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return n < 0 ? errno : EIO;
		off += (size_t)n;
	}

	return 0;
}


int prov_stick_write_result(struct prov_stick *st, const char *id,
			    const char *json, bool in_place)
{
	char name[96], tmp[100], padded[PROV_RESULT_SIZE];
	size_t len;
	int resfd, fd, err;

	if (!st || st->dirfd < 0 || !pv_phone_id(id) || !json)
		return EINVAL;

	/* Padding to a fixed size lets the final result overwrite the
	 * first one in place, without needing free space. */
	len = strlen(json);
	if (len >= sizeof(padded))
		return EOVERFLOW;
	memset(padded, ' ', sizeof(padded));
	memcpy(padded, json, len);
	padded[sizeof(padded) - 1] = '\n';

	err = prov_fault(st->io, "result", id);
	if (err)
		return err;

	if (mkdirat(st->dirfd, "results", 0755) < 0 && errno != EEXIST)
		return errno;

	resfd = openat(st->dirfd, "results", O_RDONLY | O_DIRECTORY |
		       O_NOFOLLOW | O_CLOEXEC);
	if (resfd < 0)
		return errno;

	re_snprintf(name, sizeof(name), "%s.json", id);

	if (in_place) {
		struct stat fst;

		fd = openat(resfd, name, O_WRONLY | O_NOFOLLOW | O_CLOEXEC);
		err = fd < 0 ? errno : 0;
		/* only the file this job made: not a link planted since */
		if (!err && (fstat(fd, &fst) < 0 || !S_ISREG(fst.st_mode) ||
			     fst.st_nlink != 1)) {
			close(fd);
			err = EPERM;
		}
		if (!err) {
			err = write_all(fd, padded, sizeof(padded), true);
			if (!err && fsync(fd) < 0)
				err = errno;
			if (close(fd) < 0 && !err)
				err = errno;
		}
		close(resfd);
		return err;
	}

	re_snprintf(tmp, sizeof(tmp), ".%s.tmp", name);
	(void)unlinkat(resfd, tmp, 0);
	fd = openat(resfd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW |
		    O_CLOEXEC, 0644);
	err = fd < 0 ? errno : 0;
	if (!err) {
		err = write_all(fd, padded, sizeof(padded), false);
		if (!err && fsync(fd) < 0)
			err = errno;
		if (close(fd) < 0 && !err)
			err = errno;
		if (!err && renameat(resfd, tmp, resfd, name) < 0)
			err = errno;
		if (err)
			(void)unlinkat(resfd, tmp, 0);
		else if (fsync(resfd) < 0)
			err = errno;
	}

	close(resfd);

	return err;
}
