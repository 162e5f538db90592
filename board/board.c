/**
 * @file board.c  Build a board from its description and drive it
 *
 * The display is whichever driver the description names, behind its
 * lcd_ops table (lcd.h): board.c knows the drivers only where it opens
 * one.
 */
#include <errno.h>
#include <re.h>
#include "base/fileutil.h"
#include "board.h"

struct board {
	const struct board_desc *desc;
	struct screen *scr;
	struct keypad *keypad;
	const struct lcd_ops *lcd_ops;
	void *lcd;              /* the driver's object */
	struct leds *leds;
	enum led_state led[BLED_COUNT];
	bool dump_pending;
	size_t cells_sent;
	keypad_h *kh;
	void *arg;
};


static void board_destructor(void *arg)
{
	struct board *b = arg;

	mem_deref(b->keypad);
	mem_deref(b->lcd);
	mem_deref(b->leds);
	mem_deref(b->scr);
	mem_deref((void *)b->desc);
}


static void key_handler(enum phone_key key, enum key_action act, void *arg)
{
	struct board *b = arg;

	b->kh(key, act, b->arg);
}


static int none_write(unsigned row, unsigned col, const uint8_t *s,
		      size_t n, void *lcd)
{
	(void)row;
	(void)col;
	(void)s;
	(void)n;
	(void)lcd;

	return 0;
}


static const struct lcd_ops no_lcd = { .write = none_write };


static int open_lcd(struct board *b)
{
	const struct board_desc *d = b->desc;
	struct sim *sim = NULL;
	struct hd44780 *hd = NULL;
	struct auxdisplay *aux = NULL;
	int err;

	b->lcd_ops = &no_lcd;

	switch (d->lcd_type) {

	case LCD_NONE:
		return 0;

	case LCD_SIM:
		err = sim_alloc(&sim, d->lcd_device, d->lcd_rows,
				d->lcd_cols, key_handler, b);
		b->lcd = sim;
		b->lcd_ops = &sim_lcd_ops;
		return err;

	case LCD_HD44780_I2C:
		err = hd44780_open(&hd, d->lcd_device, d->lcd_i2c_address,
				   d->lcd_rows, d->lcd_cols, false);
		b->lcd = hd;
		b->lcd_ops = &hd44780_ops;
		return err;

	case LCD_AUXDISPLAY:
		err = auxdisplay_open(&aux, d->lcd_device, d->lcd_rows,
				      d->lcd_cols);
		b->lcd = aux;
		b->lcd_ops = &auxdisplay_ops;
		return err;
	}

	return EINVAL;
}


int board_alloc(struct board **bp, const struct board_desc *desc,
		keypad_h *kh, void *arg)
{
	struct board *b;
	int err;

	if (!bp || !desc || !kh)
		return EINVAL;

	b = mem_zalloc(sizeof(*b), board_destructor);
	if (!b)
		return ENOMEM;

	b->desc = mem_ref((void *)desc);
	b->kh   = kh;
	b->arg  = arg;

	err = screen_alloc(&b->scr, desc->lcd_rows, desc->lcd_cols);
	if (err)
		goto out;

	err = open_lcd(b);
	if (err) {
		board_warn("lcd %s (%s): %m", desc->lcd_device,
			   lcd_type_name(desc->lcd_type), err);
		goto out;
	}

	err = leds_alloc(&b->leds, desc);
	if (!err)
		err = keypad_alloc(&b->keypad, desc, key_handler, b);
	if (err)
		goto out;

	for (int i = 0; i < BLED_COUNT; i++)
		(void)leds_set(b->leds, i, LED_OFF);
	b->dump_pending = true;

 out:
	if (err)
		mem_deref(b);
	else
		*bp = b;

	return err;
}


const struct board_desc *board_desc(const struct board *b)
{
	return b ? b->desc : NULL;
}


struct screen *board_screen(struct board *b)
{
	return b ? b->scr : NULL;
}


struct keypad *board_keypad(const struct board *b)
{
	return b ? b->keypad : NULL;
}


int board_dump(const struct board *b, struct mbuf *mb)
{
	unsigned rows, cols;
	int err = 0;

	if (!b || !mb)
		return EINVAL;

	rows = screen_rows(b->scr);
	cols = screen_cols(b->scr);

	err |= mbuf_write_u8(mb, '+');
	for (unsigned c = 0; c < cols; c++)
		err |= mbuf_write_u8(mb, '-');
	err |= mbuf_write_str(mb, "+\n");
	for (unsigned r = 0; r < rows; r++) {
		err |= mbuf_write_u8(mb, '|');
		err |= sim_row_utf8(mb, screen_row(b->scr, r), cols);
		err |= mbuf_write_str(mb, "|\n");
	}
	err |= mbuf_write_u8(mb, '+');
	for (unsigned c = 0; c < cols; c++)
		err |= mbuf_write_u8(mb, '-');
	err |= mbuf_write_str(mb, "+\n");
	for (int i = 0; i < BLED_COUNT; i++)
		err |= mbuf_printf(mb, "%sled %s %s", i ? " " : "",
				   board_led_name(i),
				   led_state_name(b->led[i]));
	err |= mbuf_write_u8(mb, '\n');

	return err;
}


static void write_dump(struct board *b)
{
	struct mbuf *mb;
	int err;

	b->dump_pending = false;
	if (!b->desc->lcd_dump_file)
		return;

	mb = mbuf_alloc(512);
	if (!mb)
		return;

	err = board_dump(b, mb);
	if (!err)
		err = dp_write_atomic(b->desc->lcd_dump_file, mb->buf, mb->end,
				      0640);
	if (err)
		board_warn("screen dump %s: %m", b->desc->lcd_dump_file, err);

	mem_deref(mb);
}


int board_flush(struct board *b)
{
	size_t cells = 0;
	int err;

	if (!b)
		return EINVAL;

	if (!screen_dirty(b->scr) && !b->dump_pending)
		return 0;

	err = screen_flush(b->scr, b->lcd_ops->write, b->lcd, &cells);
	b->cells_sent += cells;
	if (b->lcd_ops->flush)
		b->lcd_ops->flush(b->lcd);
	if (err) {
		/* the display lost it: redraw all of it next time */
		screen_invalidate(b->scr);
		board_warn("lcd write: %m", err);
	}

	if (cells || b->dump_pending)
		write_dump(b);

	return err;
}


void board_led(struct board *b, enum board_led led, enum led_state st)
{
	if (!b || led >= BLED_COUNT || b->led[led] == st)
		return;

	b->led[led] = st;
	(void)leds_set(b->leds, led, st);
	if (b->lcd_ops->led)
		b->lcd_ops->led(b->lcd, led, st);
	b->dump_pending = true;
}


enum led_state board_led_state(const struct board *b, enum board_led led)
{
	return b && led < BLED_COUNT ? b->led[led] : LED_OFF;
}


void board_backlight(struct board *b, bool on)
{
	if (b && b->lcd_ops->backlight)
		(void)b->lcd_ops->backlight(b->lcd, on);
}


size_t board_cells_sent(const struct board *b)
{
	return b ? b->cells_sent : 0;
}
