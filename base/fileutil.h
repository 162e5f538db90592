/**
 * @file fileutil.h  File helpers that keep the last good state on disk
 */
#ifndef DESKPHONE_FILEUTIL_H
#define DESKPHONE_FILEUTIL_H

#include <stddef.h>
#include <sys/types.h>

/* mkdir -p; every directory it creates gets `mode`. */
int dp_mkdir_p(const char *path, mode_t mode);

/*
 * Replace `path` with `len` bytes of `data`, or leave it as it was: the
 * data goes to a temporary file beside it, is synced, renamed over the
 * old file, and the directory is synced.
 */
int dp_write_atomic(const char *path, const void *data, size_t len,
		    mode_t mode);

/* fsync a directory, or the one holding `path`, so that names created
 * or renamed in it are durable. */
int dp_sync_dir(const char *dir);
int dp_sync_parent_dir(const char *path);

/* Read a whole file, or what is left of an open one, (at most `max`
 * bytes) into a NUL-terminated buffer from mem_alloc(); EFBIG when there
 * is more, whatever the file's size claims. */
int dp_read_file(const char *path, size_t max, char **bufp, size_t *lenp);
int dp_read_fd(int fd, size_t max, char **bufp, size_t *lenp);

#endif
