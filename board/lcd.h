/**
 * @file lcd.h  Character LCD drivers: HD44780 on a PCF8574 I2C backpack,
 *              the kernel's auxdisplay (charlcd) device, and a model of
 *              the HD44780 that decodes what the driver sends
 *
 * Both drivers write screen runs (screen_write_h) at a row and column;
 * cells 1-8 are our glyphs, shown from character RAM slot (code & 7).
 *
 * HD44780 over I2C: the PCF8574's pins are P0 RS, P1 RW, P2 E,
 * P3 backlight, P4-P7 D4-D7 (the common backpack wiring).  Every nibble
 * is two bytes, E high then E low; the display latches on the falling
 * edge.  The path is opened as a plain file descriptor and I2C_SLAVE is
 * set on it; on something that is not an I2C adapter (a file or FIFO in
 * the tests) the ioctl fails with ENOTTY and is skipped.
 *
 * auxdisplay: /dev/lcd of the kernel's charlcd driver, driven with its
 * escape sequences: ESC[LI reinit, ESC[LD display on, ESC[Lc/ESC[Lb
 * cursor and blink off, ESC[L+/ESC[L- backlight, ESC[Lx<col>y<row>;
 * move, ESC[LG<slot><16 hex digits>; define a character.  The byte for
 * glyph 8 is 0 (8 would be a backspace to charlcd).
 */
#ifndef DESKPHONE_BOARD_LCD_H
#define DESKPHONE_BOARD_LCD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "desc.h"

struct hd44780;
struct auxdisplay;

/*
 * What the board (board.c) needs of a display; each driver exports one
 * table, its functions taking the driver's object.  `write` is
 * screen_write_h; the others may be NULL (the display has no backlight,
 * writes at once, shows no LEDs).
 */
struct lcd_ops {
	int  (*write)(unsigned row, unsigned col, const uint8_t *s, size_t n,
		      void *lcd);
	int  (*backlight)(void *lcd, bool on);
	void (*flush)(void *lcd);
	void (*led)(void *lcd, enum board_led led, enum led_state st);
};

extern const struct lcd_ops hd44780_ops;
extern const struct lcd_ops auxdisplay_ops;

/* PCF8574 pins */
enum {
	PCF_RS = 0x01,
	PCF_RW = 0x02,
	PCF_E  = 0x04,
	PCF_BL = 0x08,
};

/* Display memory address of a row/column for a geometry. */
uint8_t hd44780_addr(unsigned rows, unsigned cols, unsigned row,
		     unsigned col);

/*
 * Open `path` (/dev/i2c-N) for the device at `addr`, run the power-on
 * initialisation (with the datasheet's waits unless `fast`), load the
 * glyphs and switch the backlight on.  hd44780_alloc_fd takes an open
 * file descriptor instead (and closes it when released).
 */
int hd44780_open(struct hd44780 **lcdp, const char *path, uint8_t addr,
		 unsigned rows, unsigned cols, bool fast);
int hd44780_alloc_fd(struct hd44780 **lcdp, int fd, unsigned rows,
		     unsigned cols, bool fast);
int hd44780_write(unsigned row, unsigned col, const uint8_t *s, size_t n,
		  void *lcd);
int hd44780_backlight(struct hd44780 *lcd, bool on);
int hd44780_glyph(struct hd44780 *lcd, unsigned slot, const uint8_t bits[8]);
/* Bytes written to the bus so far (for the benchmarks and tests). */
size_t hd44780_bytes(const struct hd44780 *lcd);

int auxdisplay_open(struct auxdisplay **lcdp, const char *path,
		    unsigned rows, unsigned cols);
int auxdisplay_alloc_fd(struct auxdisplay **lcdp, int fd, unsigned rows,
			unsigned cols);
int auxdisplay_write(unsigned row, unsigned col, const uint8_t *s, size_t n,
		     void *lcd);
int auxdisplay_backlight(struct auxdisplay *lcd, bool on);

/*
 * A model of the HD44780 behind a PCF8574, fed the bytes sent on the bus:
 * it follows the E line, the 8-bit to 4-bit switch of the power-on
 * sequence, instructions (clear, home, entry mode, display control,
 * function set, CGRAM and DDRAM addresses) and data, in both memories.
 */
struct hd44780_model {
	unsigned rows, cols;
	uint8_t ddram[128];
	uint8_t cgram[64];
	uint8_t ac;
	bool cgram_mode;
	bool four_bit;
	bool have_high;      /* first nibble of a 4-bit transfer received */
	uint8_t high;
	bool two_lines;
	bool display_on;
	bool backlight;
	bool increment;
	uint8_t last;        /* the previous bus byte */
	unsigned instructions;
	unsigned data_writes;
	unsigned bad_bytes;  /* transfers with RW set */
};

void hd44780_model_init(struct hd44780_model *m, unsigned rows,
			unsigned cols);
void hd44780_model_feed(struct hd44780_model *m, const uint8_t *bus,
			size_t n);
/* The cells of a row as the screen holds them (glyphs as codes 1-8). */
void hd44780_model_row(const struct hd44780_model *m, unsigned row,
		       uint8_t *cells);

#endif
