/**
 * @file board_bench.c  dp-board-bench: what a screen update costs on the
 *                      I2C bus, ours (changed runs only) beside a full
 *                      redraw of the display for every update
 *
 * Prints `bench board <subject> <metric> <value> <unit>` lines.  The
 * bytes are counted by the driver and checked through the HD44780 model.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <re.h>
#include "board/board.h"


static size_t flush_bytes(struct hd44780 *lcd, struct screen *scr, bool full)
{
	size_t before = hd44780_bytes(lcd);

	if (full)
		screen_invalidate(scr);
	(void)screen_flush(scr, hd44780_write, lcd, NULL);

	return hd44780_bytes(lcd) - before;
}


int main(void)
{
	char path[] = "/tmp/dp-board-bench.XXXXXX";
	struct hd44780 *lcd = NULL;
	struct screen *scr = NULL;
	size_t init, ours_tick = 0, full_tick = 0;
	int fd = mkstemp(path);

	if (fd < 0)
		return 1;
	unlink(path);

	if (hd44780_alloc_fd(&lcd, fd, 4, 20, true) ||
	    screen_alloc(&scr, 4, 20))
		return 1;
	init = hd44780_bytes(lcd);

	/* the connected screen, then 60 timer ticks */
	screen_line(scr, 0, "%c Connected    00:00", GLYPH_CALL);
	screen_line(scr, 1, "%c Echo Service", GLYPH_OUT);
	screen_line(scr, 2, "101");
	screen_line(scr, 3, "Hold Xfer Mute  End");
	(void)flush_bytes(lcd, scr, true);

	for (unsigned s = 1; s <= 60; s++) {
		char t[8];

		snprintf(t, sizeof(t), "%02u:%02u", s / 60, s % 60);
		screen_right(scr, 0, t);
		ours_tick += flush_bytes(lcd, scr, false);
		full_tick += flush_bytes(lcd, scr, true);
	}

	printf("bench board hd44780_init bus_bytes %zu bytes\n", init);
	printf("bench board ours_timer_tick bus_bytes_per_update %.1f bytes\n",
	       ours_tick / 60.0);
	printf("bench board full_redraw_timer_tick bus_bytes_per_update %.1f"
	       " bytes\n", full_tick / 60.0);
	/* at 100 kHz, one I2C byte (with start, address, ack) is ~0.1 ms */
	printf("bench board ours_timer_tick i2c_time_100khz %.2f ms\n",
	       ours_tick / 60.0 * 0.1);
	printf("bench board full_redraw_timer_tick i2c_time_100khz %.2f ms\n",
	       full_tick / 60.0 * 0.1);

	mem_deref(scr);
	mem_deref(lcd);

	return 0;
}
