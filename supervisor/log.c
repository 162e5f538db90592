/**
 * @file log.c  The daemon's log: ${log_dir}/deskphone.log, capped at
 *              log_max_bytes (one older file, .1, is kept)
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "log.h"


int logger_open(struct logger *lg)
{
	struct stat st;

	lg->fd = open(lg->path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC,
		      0600);
	if (lg->fd < 0)
		return errno;

	lg->size = 0 == fstat(lg->fd, &st) ? (uint64_t)st.st_size : 0;
	lg->at_line_start = true;

	return 0;
}


/*
 * The privacy purge rewrites the log without its expired lines and
 * renames the result over it: a log replaced (or removed) under us is
 * opened again, so no line goes to a file nobody sees.
 */
static void logger_follow(struct logger *lg)
{
	struct stat a, b;

	if (lg->fd >= 0 && !fstat(lg->fd, &b) && !stat(lg->path, &a) &&
	    a.st_ino == b.st_ino && a.st_dev == b.st_dev)
		return;

	if (lg->fd >= 0)
		close(lg->fd);
	if (logger_open(lg))
		lg->fd = -1;
}


static void logger_rotate(struct logger *lg)
{
	close(lg->fd);
	(void)rename(lg->path, lg->old);
	if (logger_open(lg))
		lg->fd = -1;
}


static void logger_put(struct logger *lg, const char *buf, size_t len)
{
	if (lg->fd >= 0 && write(lg->fd, buf, len) == (ssize_t)len)
		lg->size += len;

	if (lg->echo) {
		ssize_t w = write(STDOUT_FILENO, buf, len);
		(void)w;
	}
}


/* The time for a line's stamp: the wall clock, or in tests the
 * simulated one the privacy rules use (privacy_test_clock). */
static time_t logger_time(struct logger *lg)
{
	struct stat st;
	char buf[64];
	FILE *f;

	if (!lg->test_clock)
		return time(NULL);

	if (!stat(lg->test_clock, &st) &&
	    (st.st_mtim.tv_sec != lg->test_mtime.tv_sec ||
	     st.st_mtim.tv_nsec != lg->test_mtime.tv_nsec)) {
		f = fopen(lg->test_clock, "r");
		if (f && fgets(buf, sizeof(buf), f))
			lg->test_now = (time_t)strtoll(buf, NULL, 10);
		if (f)
			fclose(f);
		lg->test_mtime = st.st_mtim;
	}

	return lg->test_now ? lg->test_now : time(NULL);
}


/* Copy baresip's output, a line at a time, dropping colour codes. */
void logger_write(struct logger *lg, const char *buf, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		char c = buf[i];

		if (lg->esc) {
			if (c >= '@' && c <= '~' && c != '[')
				lg->esc = 0;
			continue;
		}
		if (c == '\x1b') {
			lg->esc = 1;
			continue;
		}
		if (c == '\r')
			continue;

		if (lg->at_line_start) {
			char stamp[40];
			time_t now = logger_time(lg);
			struct tm tm;

			logger_follow(lg);
			if (lg->size >= lg->max)
				logger_rotate(lg);

			gmtime_r(&now, &tm);
			strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%SZ ",
				 &tm);
			logger_put(lg, stamp, strlen(stamp));
			lg->at_line_start = false;
		}

		logger_put(lg, &c, 1);
		if (c == '\n')
			lg->at_line_start = true;
	}
}


void logger_close(struct logger *lg)
{
	if (lg->fd >= 0)
		close(lg->fd);
	lg->fd = -1;
}
