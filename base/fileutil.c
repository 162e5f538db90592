/**
 * @file fileutil.c  File helpers that keep the last good state on disk
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <re.h>
#include "fileutil.h"


int dp_mkdir_p(const char *path, mode_t mode)
{
	char buf[4096];
	size_t len;

	if (!path || !*path)
		return EINVAL;

	len = strlen(path);
	if (len >= sizeof(buf))
		return ENAMETOOLONG;

	memcpy(buf, path, len + 1);

	for (char *p = buf + 1; ; ++p) {
		char c = *p;

		if (c != '/' && c != '\0')
			continue;

		*p = '\0';
		if (mkdir(buf, mode) < 0 && errno != EEXIST)
			return errno;
		*p = c;

		if (c == '\0')
			break;
	}

	return 0;
}


int dp_sync_dir(const char *dir)
{
	int fd, err = 0;

	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return errno;

	if (fsync(fd) < 0)
		err = errno;

	close(fd);

	return err;
}


int dp_sync_parent_dir(const char *path)
{
	char dir[4096];
	const char *slash = strrchr(path, '/');

	if (!slash) {
		strcpy(dir, ".");
	}
	else {
		size_t n = (size_t)(slash - path);

		if (n == 0)
			n = 1;
		if (n >= sizeof(dir))
			return ENAMETOOLONG;
		memcpy(dir, path, n);
		dir[n] = '\0';
	}

	return dp_sync_dir(dir);
}


int dp_write_atomic(const char *path, const void *data, size_t len,
		    mode_t mode)
{
	char tmp[4096];
	const uint8_t *p = data;
	int fd, err = 0;

	if (!path || (!data && len))
		return EINVAL;

	if (re_snprintf(tmp, sizeof(tmp), "%s.tmp.%d", path, (int)getpid())
	    < 0)
		return ENAMETOOLONG;

	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
	if (fd < 0)
		return errno;

	while (len) {
		ssize_t n = write(fd, p, len);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			err = errno;
			break;
		}

		p   += n;
		len -= (size_t)n;
	}

	if (!err && fchmod(fd, mode) < 0)
		err = errno;
	if (!err && fsync(fd) < 0)
		err = errno;
	if (close(fd) < 0 && !err)
		err = errno;
	if (!err && rename(tmp, path) < 0)
		err = errno;

	if (err) {
		(void)unlink(tmp);
		return err;
	}

	return dp_sync_parent_dir(path);
}


int dp_read_fd(int fd, size_t max, char **bufp, size_t *lenp)
{
	size_t off = 0;
	char *buf;
	int err = 0;

	if (fd < 0 || !bufp)
		return EINVAL;

	buf = mem_alloc(max + 2, NULL);
	if (!buf)
		return ENOMEM;

	/* Read one byte more than allowed, whatever fstat says: files
	 * grow, and /proc or a FUSE stick may report no size at all. */
	while (off < max + 1) {
		ssize_t n = read(fd, buf + off, max + 1 - off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			err = errno;
			break;
		}
		if (n == 0)
			break;
		off += (size_t)n;
	}

	if (!err && off > max)
		err = EFBIG;
	if (err) {
		mem_deref(buf);
		return err;
	}

	buf[off] = '\0';
	*bufp = buf;
	if (lenp)
		*lenp = off;

	return 0;
}


int dp_read_file(const char *path, size_t max, char **bufp, size_t *lenp)
{
	int fd, err;

	if (!path || !bufp)
		return EINVAL;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return errno;

	err = dp_read_fd(fd, max, bufp, lenp);
	close(fd);

	return err;
}
