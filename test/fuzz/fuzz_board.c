/**
 * @file fuzz_board.c  Board description files and keymaps (board/desc.c,
 *                     board/keys.c), and the HD44780 driver against its
 *                     bus model (board/hd44780.c, hd44780_model.c)
 *
 * The input is used three ways:
 *
 * - as a board file: loaded through the settings parser (a memfd stands
 *   in for the file) and turned into a board description.  A description
 *   that loads must be one the drivers can use: limits kept, device lists
 *   trimmed, LED names without '/', a keymap whose text form parses back
 *   to the same map;
 * - as keymap text: a keymap that fails to parse is left as it was;
 * - as a script of screen writes (a geometry byte, then row, column,
 *   length and text, again and again) sent through the HD44780 driver to
 *   a memfd; the bus bytes fed to the model must show exactly the screen
 *   the writes made.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include <linux/input-event-codes.h>
#include <re.h>
#include "board/desc.h"
#include "board/glyph.h"
#include "board/lcd.h"
#include "board/log.h"
#include "base/settings.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(c) do { if (!(c)) __builtin_trap(); } while (0)


static void quiet(bool error, const char *msg)
{
	(void)error;
	(void)msg;
}


/* The map as keymap text, the way a board file would write it. */
static void keymap_text(const struct keymap *km, struct mbuf *mb)
{
	for (size_t i = 0; i < km->n; i++) {
		const char *lname = linux_code_name(LINUX_EV_KEY,
						    km->v[i].code);

		if (lname)
			CHECK(0 == mbuf_printf(mb, "%s=%s, ", lname,
					       phone_key_name(km->v[i].key)));
		else
			CHECK(0 == mbuf_printf(mb, "%u=%s ", km->v[i].code,
					       phone_key_name(km->v[i].key)));
	}
	CHECK(0 == mbuf_write_u8(mb, '\0'));
}


static void check_keymap(const struct keymap *km)
{
	struct keymap again;
	struct mbuf *mb = mbuf_alloc(512);
	char err[256];

	CHECK(mb);
	CHECK(km->n <= KEYMAP_MAX);
	for (size_t i = 0; i < km->n; i++) {
		CHECK(km->v[i].key > PK_NONE && km->v[i].key < PK_COUNT);
		CHECK(km->v[i].code <= KEY_MAX);
		for (size_t j = 0; j < i; j++)
			CHECK(km->v[j].code != km->v[i].code);
	}

	keymap_text(km, mb);
	memset(&again, 0xa5, sizeof(again));
	CHECK(0 == keymap_parse(&again, (char *)mb->buf, "again", err,
				sizeof(err)));
	CHECK(again.n == km->n);
	for (size_t i = 0; i < km->n; i++)
		CHECK(again.v[i].code == km->v[i].code &&
		      again.v[i].key == km->v[i].key);

	mem_deref(mb);
}


static bool trimmed(const char *s)
{
	size_t n = strlen(s);

	return n && !strchr(s, ',') && s[0] != ' ' && s[0] != '\t' &&
		s[n - 1] != ' ' && s[n - 1] != '\t';
}


static void board_file(const char *text, size_t len)
{
	struct dp_settings *s = NULL;
	struct board_desc *d = NULL;
	char err[DP_ERRBUF], path[64];
	int fd = memfd_create("fuzz-board", MFD_CLOEXEC);

	if (fd < 0)
		return;
	if (write(fd, text, len) != (ssize_t)len || dp_settings_alloc(&s))
		goto out;
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);

	if (dp_settings_load(s, path, err, sizeof(err)))
		goto out;
	err[0] = '\0';
	if (board_desc_from_settings(&d, s, err, sizeof(err))) {
		CHECK(d == NULL && err[0]);
		goto out;
	}

	CHECK(d->name);
	CHECK(d->nkeypads <= BOARD_MAX_KEYPADS);
	for (size_t i = 0; i < d->nkeypads; i++)
		CHECK(trimmed(d->keypads[i]));
	for (int i = 0; i < BLED_COUNT; i++)
		CHECK(!d->leds[i] || (d->leds[i][0] &&
				      !strchr(d->leds[i], '/')));
	CHECK(d->hook_type == 0 || d->hook_type == LINUX_EV_KEY ||
	      d->hook_type == LINUX_EV_SW);
	CHECK(d->lcd_type <= LCD_AUXDISPLAY);
	CHECK(d->lcd_type == LCD_NONE || d->lcd_device);
	CHECK(d->lcd_cols >= 8 && d->lcd_cols <= 40);
	CHECK(d->lcd_rows >= 1 && d->lcd_rows <= 4);
	CHECK(d->lcd_i2c_address >= 0x03 && d->lcd_i2c_address <= 0x77);
	CHECK(d->lcd_type != LCD_HD44780_I2C ||
	      d->lcd_cols * d->lcd_rows <= 80);
	check_keymap(&d->keymap);

 out:
	mem_deref(d);
	mem_deref(s);
	close(fd);
}


static void keymap_alone(const char *text)
{
	static const char *const before_text = "KEY_1=1 KEY_UP=up 30=hold";
	struct keymap km, before;
	char err[256];

	CHECK(0 == keymap_parse(&before, before_text, "before", err,
				sizeof(err)));
	km = before;
	if (keymap_parse(&km, text, "fuzz", err, sizeof(err))) {
		CHECK(0 == memcmp(&km, &before, sizeof(km)));
		return;
	}

	check_keymap(&km);
}


/* What a cell shows once it went through the driver and the model. */
static uint8_t shown(uint8_t c)
{
	if (c >= 1 && c <= GLYPH_COUNT)
		c &= 7;
	if (c < 16)
		c = (c & 7) ? (c & 7) : 8;

	return c;
}


static void lcd_script(const uint8_t *p, size_t n)
{
	static const uint8_t geometry[][2] = {
		{ 4, 20 }, { 2, 16 }, { 2, 40 }, { 1, 8 }, { 1, 80 },
		{ 4, 16 }, { 3, 20 }, { 2, 20 },
	};
	uint8_t expect[4][80], cells[80], bus[8192];
	struct hd44780_model m;
	struct hd44780 *lcd = NULL;
	unsigned rows, cols;
	ssize_t got;
	off_t at = 0;
	int fd;

	if (!n)
		return;
	rows = geometry[p[0] % 8][0];
	cols = geometry[p[0] % 8][1];
	p++;
	n--;

	fd = memfd_create("fuzz-lcd", MFD_CLOEXEC);
	if (fd < 0)
		return;
	/* the driver owns the descriptor from here */
	CHECK(0 == hd44780_alloc_fd(&lcd, fd, rows, cols, true));
	hd44780_model_init(&m, rows, cols);
	memset(expect, ' ', sizeof(expect));

	while (n >= 3) {
		unsigned row = p[0] % 5, col = p[1] % 82;
		size_t len = p[2] % 84;
		int err;

		p += 3;
		n -= 3;
		if (len > n)
			len = n;

		err = hd44780_write(row, col, p, len, lcd);
		if (row >= rows || col + len > cols) {
			CHECK(err == EINVAL);
		}
		else {
			CHECK(err == 0);
			for (size_t i = 0; i < len; i++)
				expect[row][col + i] = shown(p[i]);
		}
		p += len;
		n -= len;
	}

	/* what went on the bus, through the model */
	while ((got = pread(fd, bus, sizeof(bus), at)) > 0) {
		hd44780_model_feed(&m, bus, (size_t)got);
		at += got;
	}
	CHECK((size_t)at == hd44780_bytes(lcd));
	CHECK(m.bad_bytes == 0 && m.display_on && m.backlight &&
	      m.four_bit && m.have_high == false);
	for (unsigned r = 0; r < rows; r++) {
		hd44780_model_row(&m, r, cells);
		CHECK(0 == memcmp(cells, expect[r], cols));
	}

	mem_deref(lcd);
}


int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1);

	if (!text)
		return 0;
	board_log_set(quiet);

	memcpy(text, data, size);
	text[size] = '\0';

	board_file(text, size);
	keymap_alone(text);     /* as a C string: a NUL ends it */
	lcd_script(data, size);

	free(text);

	return 0;
}
