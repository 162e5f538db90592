/**
 * @file log.c  The board layer's log messages
 */
#include <stdarg.h>
#include <stdio.h>
#include <re.h>
#include "log.h"

static board_log_h *log_handler;


void board_log_set(board_log_h *h)
{
	log_handler = h;
}


static void board_vlog(bool error, const char *fmt, va_list ap)
{
	char msg[512];

	(void)re_vsnprintf(msg, sizeof(msg), fmt, ap);

	if (log_handler)
		log_handler(error, msg);
	else
		fprintf(stderr, "board: %s\n", msg);
}


void board_info(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	board_vlog(false, fmt, ap);
	va_end(ap);
}


void board_warn(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	board_vlog(true, fmt, ap);
	va_end(ap);
}
