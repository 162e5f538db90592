/**
 * @file log.h  Where the board layer's messages go
 *
 * The daemon routes them into baresip's log; tests and the command line
 * leave the default (stderr) or silence them.  board_log_set(NULL)
 * restores the default.
 */
#ifndef DESKPHONE_BOARD_LOG_H
#define DESKPHONE_BOARD_LOG_H

#include <stdbool.h>

typedef void (board_log_h)(bool error, const char *msg);

void board_log_set(board_log_h *h);
void board_info(const char *fmt, ...);
void board_warn(const char *fmt, ...);

#endif
