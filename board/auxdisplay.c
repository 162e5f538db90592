/**
 * @file auxdisplay.c  The kernel's character LCD device (/dev/lcd)
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include <re.h>
#include "glyph.h"
#include "lcd.h"

struct auxdisplay {
	int fd;
	unsigned rows, cols;
};


static void destructor(void *arg)
{
	struct auxdisplay *lcd = arg;

	if (lcd->fd >= 0)
		close(lcd->fd);
}


static int put(struct auxdisplay *lcd, const void *buf, size_t len)
{
	const uint8_t *p = buf;

	while (len) {
		ssize_t n = write(lcd->fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return errno;
		p += n;
		len -= (size_t)n;
	}

	return 0;
}


static int define_glyph(struct auxdisplay *lcd, unsigned slot,
			const uint8_t bits[8])
{
	char esc[32];
	int n;

	n = re_snprintf(esc, sizeof(esc), "\x1b[LG%u%02x%02x%02x%02x%02x"
			"%02x%02x%02x;", slot, bits[0], bits[1], bits[2],
			bits[3], bits[4], bits[5], bits[6], bits[7]);

	return n < 0 ? EINVAL : put(lcd, esc, (size_t)n);
}


int auxdisplay_alloc_fd(struct auxdisplay **lcdp, int fd, unsigned rows,
			unsigned cols)
{
	static const char init[] = "\x1b[LI\x1b[LD\x1b[Lc\x1b[Lb\x1b[L+\f";
	struct auxdisplay *lcd;
	int err;

	if (!lcdp || fd < 0 || !rows || !cols)
		return EINVAL;

	lcd = mem_zalloc(sizeof(*lcd), destructor);
	if (!lcd) {
		close(fd);
		return ENOMEM;
	}

	lcd->fd   = fd;
	lcd->rows = rows;
	lcd->cols = cols;

	err = put(lcd, init, sizeof(init) - 1);
	for (uint8_t code = 1; !err && code <= GLYPH_COUNT; code++)
		err = define_glyph(lcd, code & 7, glyph_bitmap(code));

	if (err) {
		mem_deref(lcd);
		return err;
	}

	*lcdp = lcd;

	return 0;
}


int auxdisplay_open(struct auxdisplay **lcdp, const char *path,
		    unsigned rows, unsigned cols)
{
	int fd;

	if (!path)
		return EINVAL;

	fd = open(path, O_WRONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return errno;

	return auxdisplay_alloc_fd(lcdp, fd, rows, cols);
}


int auxdisplay_write(unsigned row, unsigned col, const uint8_t *s, size_t n,
		     void *arg)
{
	struct auxdisplay *lcd = arg;
	uint8_t buf[128];
	int len;

	if (!lcd || row >= lcd->rows || col + n > lcd->cols || n > 80)
		return EINVAL;

	len = re_snprintf((char *)buf, sizeof(buf), "\x1b[Lx%uy%u;", col,
			  row);
	if (len < 0)
		return EINVAL;

	for (size_t i = 0; i < n; i++) {
		uint8_t c = s[i];

		/* glyph 8 lives in slot 0; byte 8 would be a backspace */
		if (c >= 1 && c <= GLYPH_COUNT)
			c &= 7;
		buf[len++] = c;
	}

	return put(lcd, buf, (size_t)len);
}


int auxdisplay_backlight(struct auxdisplay *lcd, bool on)
{
	if (!lcd)
		return EINVAL;

	return put(lcd, on ? "\x1b[L+" : "\x1b[L-", 4);
}


static int backlight_op(void *lcd, bool on)
{
	return auxdisplay_backlight(lcd, on);
}


const struct lcd_ops auxdisplay_ops = {
	.write     = auxdisplay_write,
	.backlight = backlight_op,
};
