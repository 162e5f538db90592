/**
 * @file screen.c  Wanted and shown cells, and the diff between them
 */
#include <errno.h>
#include <string.h>
#include <re.h>
#include "screen.h"

enum { JOIN_GAP = 4 };

struct screen {
	unsigned rows;
	unsigned cols;
	uint8_t *want;
	uint8_t *shown;
	bool *valid;      /* per row: shown matches the display */
};


static void screen_destructor(void *arg)
{
	struct screen *scr = arg;

	mem_deref(scr->want);
	mem_deref(scr->shown);
	mem_deref(scr->valid);
}


int screen_alloc(struct screen **scrp, unsigned rows, unsigned cols)
{
	struct screen *scr;

	if (!scrp || !rows || !cols || rows > 16 || cols > 80)
		return EINVAL;

	scr = mem_zalloc(sizeof(*scr), screen_destructor);
	if (!scr)
		return ENOMEM;

	scr->rows  = rows;
	scr->cols  = cols;
	scr->want  = mem_alloc(rows * cols, NULL);
	scr->shown = mem_alloc(rows * cols, NULL);
	scr->valid = mem_zalloc(rows * sizeof(bool), NULL);
	if (!scr->want || !scr->shown || !scr->valid) {
		mem_deref(scr);
		return ENOMEM;
	}

	memset(scr->want, ' ', rows * cols);
	memset(scr->shown, ' ', rows * cols);
	*scrp = scr;

	return 0;
}


unsigned screen_rows(const struct screen *scr)
{
	return scr ? scr->rows : 0;
}


unsigned screen_cols(const struct screen *scr)
{
	return scr ? scr->cols : 0;
}


void screen_clear(struct screen *scr)
{
	if (scr)
		memset(scr->want, ' ', scr->rows * scr->cols);
}


static uint8_t cell_of(uint8_t c)
{
	if ((c >= 0x20 && c < 0x7f) || (c >= 1 && c <= 8))
		return c;

	return '?';
}


void screen_cell(struct screen *scr, unsigned row, unsigned col, uint8_t c)
{
	if (!scr || row >= scr->rows || col >= scr->cols)
		return;

	scr->want[row * scr->cols + col] = cell_of(c);
}


void screen_put(struct screen *scr, unsigned row, unsigned col,
		const char *text)
{
	const uint8_t *p = (const uint8_t *)text;

	if (!scr || !text || row >= scr->rows)
		return;

	for (; *p && col < scr->cols; ++p) {
		/* one '?' for a whole UTF-8 sequence */
		if (*p >= 0x80 && *p < 0xc0)
			continue;
		scr->want[row * scr->cols + col++] = cell_of(*p);
	}
}


void screen_vline(struct screen *scr, unsigned row, const char *fmt,
		  va_list ap)
{
	char buf[128];

	if (!scr || row >= scr->rows)
		return;

	(void)re_vsnprintf(buf, sizeof(buf), fmt, ap);
	memset(&scr->want[row * scr->cols], ' ', scr->cols);
	screen_put(scr, row, 0, buf);
}


void screen_line(struct screen *scr, unsigned row, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	screen_vline(scr, row, fmt, ap);
	va_end(ap);
}


void screen_right(struct screen *scr, unsigned row, const char *text)
{
	size_t n = 0;

	if (!scr || !text)
		return;

	for (const uint8_t *p = (const uint8_t *)text; *p; ++p)
		if (*p < 0x80 || *p >= 0xc0)
			++n;

	screen_put(scr, row, n >= scr->cols ? 0 : scr->cols - (unsigned)n,
		   text);
}


const uint8_t *screen_row(const struct screen *scr, unsigned row)
{
	if (!scr || row >= scr->rows)
		return NULL;

	return &scr->want[row * scr->cols];
}


static bool cell_changed(const struct screen *scr, unsigned row, unsigned c)
{
	size_t i = row * scr->cols + c;

	return !scr->valid[row] || scr->want[i] != scr->shown[i];
}


int screen_flush(struct screen *scr, screen_write_h *wh, void *arg,
		 size_t *cellsp)
{
	size_t cells = 0;
	int err = 0;

	if (!scr || !wh)
		return EINVAL;

	for (unsigned r = 0; r < scr->rows && !err; r++) {
		unsigned c = 0;

		while (c < scr->cols && !err) {
			unsigned start, end, gap;

			if (!cell_changed(scr, r, c)) {
				++c;
				continue;
			}

			/* extend over changes, and over short unchanged gaps */
			start = c;
			end = c + 1;
			gap = 0;
			for (c = end; c < scr->cols; c++) {
				if (cell_changed(scr, r, c)) {
					end = c + 1;
					gap = 0;
				}
				else if (++gap >= JOIN_GAP) {
					break;
				}
			}

			err = wh(r, start, &scr->want[r * scr->cols + start],
				 end - start, arg);
			if (!err) {
				memcpy(&scr->shown[r * scr->cols + start],
				       &scr->want[r * scr->cols + start],
				       end - start);
				cells += end - start;
			}
			c = end;
		}

		if (!err)
			scr->valid[r] = true;
	}

	if (cellsp)
		*cellsp = cells;

	return err;
}


void screen_invalidate(struct screen *scr)
{
	if (scr)
		memset(scr->valid, 0, scr->rows * sizeof(bool));
}


bool screen_dirty(const struct screen *scr)
{
	if (!scr)
		return false;

	for (unsigned r = 0; r < scr->rows; r++) {
		if (!scr->valid[r] ||
		    memcmp(&scr->want[r * scr->cols],
			   &scr->shown[r * scr->cols], scr->cols))
			return true;
	}

	return false;
}
