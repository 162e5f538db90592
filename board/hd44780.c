/**
 * @file hd44780.c  HD44780 character LCD through a PCF8574 I2C expander
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <linux/i2c-dev.h>
#include <re.h>
#include "glyph.h"
#include "log.h"
#include "lcd.h"

/* instructions */
enum {
	HD_CLEAR         = 0x01,
	HD_ENTRY_INC     = 0x06,
	HD_DISPLAY_OFF   = 0x08,
	HD_DISPLAY_ON    = 0x0c,
	HD_FUNC_4BIT_2L  = 0x28,
	HD_FUNC_4BIT_1L  = 0x20,
	HD_SET_CGRAM     = 0x40,
	HD_SET_DDRAM     = 0x80,
};

struct hd44780 {
	int fd;
	unsigned rows, cols;
	bool fast;
	uint8_t backlight;   /* PCF_BL or 0 */
	size_t bytes;
	uint8_t buf[512];
	size_t nbuf;
};


uint8_t hd44780_addr(unsigned rows, unsigned cols, unsigned row,
		     unsigned col)
{
	/* Rows 2 and 3 continue rows 0 and 1 in display memory. */
	static const uint8_t base[4] = { 0x00, 0x40, 0x00, 0x40 };

	if (rows == 1)
		return (uint8_t)col;

	return (uint8_t)(base[row & 3] + (row >= 2 ? cols : 0) + col);
}


static void destructor(void *arg)
{
	struct hd44780 *lcd = arg;

	if (lcd->fd >= 0)
		close(lcd->fd);
}


static int bus_flush(struct hd44780 *lcd)
{
	size_t off = 0;

	while (off < lcd->nbuf) {
		ssize_t n = write(lcd->fd, lcd->buf + off, lcd->nbuf - off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			lcd->nbuf = 0;
			return errno;
		}
		off += (size_t)n;
	}

	lcd->bytes += lcd->nbuf;
	lcd->nbuf = 0;

	return 0;
}


static int nibble(struct hd44780 *lcd, uint8_t nib, uint8_t ctl)
{
	uint8_t b = (uint8_t)((nib << 4) | ctl | lcd->backlight);
	int err = 0;

	if (lcd->nbuf + 2 > sizeof(lcd->buf))
		err = bus_flush(lcd);

	lcd->buf[lcd->nbuf++] = b | PCF_E;
	lcd->buf[lcd->nbuf++] = b;

	return err;
}


static int send_byte(struct hd44780 *lcd, uint8_t v, bool data)
{
	uint8_t ctl = data ? PCF_RS : 0;

	return nibble(lcd, v >> 4, ctl) | nibble(lcd, v & 0x0f, ctl);
}


static void wait_us(const struct hd44780 *lcd, unsigned us)
{
	if (!lcd->fast)
		(void)usleep(us);
}


/* An instruction that needs its own wait (clear, the init steps). */
static int slow_step(struct hd44780 *lcd, int err, unsigned us)
{
	err |= bus_flush(lcd);
	wait_us(lcd, us);

	return err;
}


int hd44780_glyph(struct hd44780 *lcd, unsigned slot, const uint8_t bits[8])
{
	int err;

	if (!lcd || slot > 7 || !bits)
		return EINVAL;

	err = send_byte(lcd, (uint8_t)(HD_SET_CGRAM | (slot << 3)), false);
	for (int i = 0; i < 8; i++)
		err |= send_byte(lcd, bits[i] & 0x1f, true);

	return err | bus_flush(lcd);
}


static int lcd_init(struct hd44780 *lcd)
{
	int err = 0;

	/* Power-on: three times "8-bit", then "4-bit", as single nibbles
	 * (the display may be in either mode, or mid-byte, after a reset). */
	wait_us(lcd, 50000);
	err = slow_step(lcd, nibble(lcd, 0x3, 0), 4500);
	err = slow_step(lcd, err | nibble(lcd, 0x3, 0), 150);
	err = slow_step(lcd, err | nibble(lcd, 0x3, 0), 150);
	err = slow_step(lcd, err | nibble(lcd, 0x2, 0), 150);

	err |= send_byte(lcd, lcd->rows > 1 ? HD_FUNC_4BIT_2L :
			 HD_FUNC_4BIT_1L, false);
	err |= send_byte(lcd, HD_DISPLAY_OFF, false);
	err = slow_step(lcd, err | send_byte(lcd, HD_CLEAR, false), 2000);
	err |= send_byte(lcd, HD_ENTRY_INC, false);

	for (uint8_t code = 1; code <= GLYPH_COUNT; code++)
		err |= hd44780_glyph(lcd, code & 7, glyph_bitmap(code));

	err |= send_byte(lcd, HD_DISPLAY_ON, false);

	return err | bus_flush(lcd);
}


int hd44780_alloc_fd(struct hd44780 **lcdp, int fd, unsigned rows,
		     unsigned cols, bool fast)
{
	struct hd44780 *lcd;
	int err;

	if (!lcdp || fd < 0 || !rows || rows > 4 || !cols ||
	    rows * cols > 80)
		return EINVAL;

	lcd = mem_zalloc(sizeof(*lcd), destructor);
	if (!lcd) {
		close(fd);
		return ENOMEM;
	}

	lcd->fd   = fd;
	lcd->rows = rows;
	lcd->cols = cols;
	lcd->fast = fast;
	lcd->backlight = PCF_BL;

	err = lcd_init(lcd);
	if (err) {
		mem_deref(lcd);
		return err;
	}

	*lcdp = lcd;

	return 0;
}


int hd44780_open(struct hd44780 **lcdp, const char *path, uint8_t addr,
		 unsigned rows, unsigned cols, bool fast)
{
	int fd;

	if (!path)
		return EINVAL;

	fd = open(path, O_RDWR | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		fd = open(path, O_WRONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return errno;

	if (ioctl(fd, I2C_SLAVE, (unsigned long)addr) < 0) {
		int err = errno;

		/* ENOSYS: the request is unknown to an emulator (qemu-user) */
		if (err != ENOTTY && err != ENOSYS) {
			board_warn("lcd %s: address 0x%02x: %m", path, addr,
				   err);
			close(fd);
			return err;
		}
		board_info("lcd %s is not an I2C adapter; writing the bus"
			   " bytes to it as they are", path);
	}

	return hd44780_alloc_fd(lcdp, fd, rows, cols, fast);
}


int hd44780_write(unsigned row, unsigned col, const uint8_t *s, size_t n,
		  void *arg)
{
	struct hd44780 *lcd = arg;
	int err;

	if (!lcd || row >= lcd->rows || col + n > lcd->cols)
		return EINVAL;

	err = send_byte(lcd, (uint8_t)(HD_SET_DDRAM |
			hd44780_addr(lcd->rows, lcd->cols, row, col)), false);
	for (size_t i = 0; i < n; i++) {
		uint8_t c = s[i];

		if (c >= 1 && c <= GLYPH_COUNT)
			c &= 7;
		err |= send_byte(lcd, c, true);
	}

	return err | bus_flush(lcd);
}


int hd44780_backlight(struct hd44780 *lcd, bool on)
{
	if (!lcd)
		return EINVAL;

	lcd->backlight = on ? PCF_BL : 0;
	lcd->buf[lcd->nbuf++] = lcd->backlight;

	return bus_flush(lcd);
}


size_t hd44780_bytes(const struct hd44780 *lcd)
{
	return lcd ? lcd->bytes : 0;
}


static int backlight_op(void *lcd, bool on)
{
	return hd44780_backlight(lcd, on);
}


const struct lcd_ops hd44780_ops = {
	.write     = hd44780_write,
	.backlight = backlight_op,
};
