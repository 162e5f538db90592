/**
 * @file sim_view.h  The client's side of the sim board's protocol
 *                   (sim.h): the phone's display and LEDs as the server's
 *                   lines describe them, for `deskphone sim`
 *
 * Bytes from the socket go in as they arrive; complete lines update the
 * view.  What the view keeps is bounded whatever the server sends: at
 * most SIM_VIEW_ROWS rows of SIM_VIEW_TEXT bytes, COLS capped at
 * SIM_VIEW_COLS, a line buffer of SIM_VIEW_LINE bytes (a longer line is
 * dropped whole, counted in `dropped`).  Lines not understood are
 * ignored; `error` lines go to the handler given.
 */
#ifndef DESKPHONE_BOARD_SIM_VIEW_H
#define DESKPHONE_BOARD_SIM_VIEW_H

#include <stdbool.h>
#include <stddef.h>

enum {
	SIM_VIEW_ROWS = 4,
	SIM_VIEW_COLS = 80,      /* the largest display the boards allow */
	SIM_VIEW_TEXT = 256,     /* a row's UTF-8 text, with the NUL */
	SIM_VIEW_LINE = 8192,
	SIM_VIEW_LEDS = 4,
};

/* Called for each `error WHY` line, with WHY. */
typedef void (sim_view_error_h)(const char *why, void *arg);

struct sim_view {
	unsigned rows, cols;                     /* from `hello` */
	char row[SIM_VIEW_ROWS][SIM_VIEW_TEXT];
	char led[SIM_VIEW_LEDS][8];              /* off, on, blink or "" */
	bool complete;        /* an `end` arrived (the caller clears it) */
	unsigned dropped;     /* lines longer than SIM_VIEW_LINE */
	sim_view_error_h *errh;
	void *arg;

	char in[SIM_VIEW_LINE];
	size_t inlen;
	bool skipping;        /* inside a line too long to keep */
};

void sim_view_init(struct sim_view *v, sim_view_error_h *errh, void *arg);
/* Bytes as read from the socket, in any pieces. */
void sim_view_feed(struct sim_view *v, const char *p, size_t n);
/* One line, without its newline (a NUL ends it). */
void sim_view_line(struct sim_view *v, const char *line);

/* The LED names of the protocol, in the order of sim_view.led. */
extern const char *const sim_view_led_names[SIM_VIEW_LEDS];

#endif
