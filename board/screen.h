/**
 * @file screen.h  The character screen the UI draws on, and the diff
 *                 that sends only what changed to the display
 *
 * Cells hold printable ASCII (0x20-0x7e) or a glyph code 1-8 (glyph.h).
 * Drawing changes the wanted picture only; screen_flush() hands each
 * changed run of cells to the display driver and remembers it as shown.
 */
#ifndef DESKPHONE_BOARD_SCREEN_H
#define DESKPHONE_BOARD_SCREEN_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct screen;

/* Write `n` cells at row/col.  Returns 0 or an errno. */
typedef int (screen_write_h)(unsigned row, unsigned col, const uint8_t *s,
			     size_t n, void *arg);

int  screen_alloc(struct screen **scrp, unsigned rows, unsigned cols);
unsigned screen_rows(const struct screen *scr);
unsigned screen_cols(const struct screen *scr);

void screen_clear(struct screen *scr);
/* Text at row/col, clipped to the row.  UTF-8 sequences show as '?'. */
void screen_put(struct screen *scr, unsigned row, unsigned col,
		const char *text);
/* A whole row: the text, then blanks to the end. */
void screen_line(struct screen *scr, unsigned row, const char *fmt, ...);
void screen_vline(struct screen *scr, unsigned row, const char *fmt,
		  va_list ap);
/* Text right-aligned in the row (its right end at the last column). */
void screen_right(struct screen *scr, unsigned row, const char *text);
void screen_cell(struct screen *scr, unsigned row, unsigned col, uint8_t c);

/* The wanted cells of a row (cols bytes, not NUL-terminated). */
const uint8_t *screen_row(const struct screen *scr, unsigned row);

/*
 * Send every changed run to `wh` (runs closer than 4 cells are joined:
 * moving the cursor costs about as much).  `*cellsp`, if given, gets the
 * number of cells sent.  On a write error the rest stays pending.
 */
int  screen_flush(struct screen *scr, screen_write_h *wh, void *arg,
		  size_t *cellsp);
/* Forget what is shown: the next flush redraws everything. */
void screen_invalidate(struct screen *scr);
bool screen_dirty(const struct screen *scr);

#endif
