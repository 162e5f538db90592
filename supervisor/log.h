/**
 * @file log.h  The daemon's log: baresip's output, a line at a time,
 *              time-stamped, without colour codes, capped
 */
#ifndef DESKPHONE_SUPERVISOR_LOG_H
#define DESKPHONE_SUPERVISOR_LOG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

struct logger {
	const char *test_clock;   /* stamps from a simulated clock */
	time_t test_now;
	struct timespec test_mtime;
	char path[4096];
	char old[4096];
	int fd;
	uint64_t size;
	uint64_t max;
	bool echo;
	bool at_line_start;
	int esc;          /* inside an ANSI escape sequence */
};

/* Opens lg->path for appending (the other fields set by the caller);
 * 0 or an errno value. */
int  logger_open(struct logger *lg);
void logger_write(struct logger *lg, const char *buf, size_t len);
void logger_close(struct logger *lg);

#endif
