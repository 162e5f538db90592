/**
 * @file board.h  The board layer: one description, its drivers, one API
 *
 * A board is built from its description (desc.h): the keypad and hook
 * switch (input.h), the character LCD (lcd.h) or the simulated board
 * (sim.h), and the LEDs (leds.h).  The user interface draws on the
 * board's screen, calls board_flush() to send what changed, sets LEDs,
 * and receives phone keys.  No baresip in here: it runs on libre's main
 * loop, so the same code serves the daemon, the tests and the CLI.
 *
 * With lcd_dump_file set, every flush that changed something also
 * writes the screen and the LED states as text to that file (atomically:
 * a reader never sees half a screen).  That is the headless board the
 * tests read.
 */
#ifndef DESKPHONE_BOARD_BOARD_H
#define DESKPHONE_BOARD_BOARD_H

#include "desc.h"
#include "glyph.h"
#include "input.h"
#include "keys.h"
#include "lcd.h"
#include "leds.h"
#include "log.h"
#include "screen.h"
#include "sim.h"

struct board;
struct mbuf;

int  board_alloc(struct board **bp, const struct board_desc *desc,
		 keypad_h *kh, void *arg);
const struct board_desc *board_desc(const struct board *b);
struct screen *board_screen(struct board *b);
/* Send the screen's changes to the display (and the dump file). */
int  board_flush(struct board *b);
void board_led(struct board *b, enum board_led led, enum led_state st);
enum led_state board_led_state(const struct board *b, enum board_led led);
void board_backlight(struct board *b, bool on);
/* Cells sent to the display since start (what "redraw" costs). */
size_t board_cells_sent(const struct board *b);
struct keypad *board_keypad(const struct board *b);

/* The screen as text, a box the display's size, then the LED states. */
int  board_dump(const struct board *b, struct mbuf *mb);

#endif
