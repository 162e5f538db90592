/**
 * @file hd44780_model.c  What an HD44780 behind a PCF8574 would show,
 *                        rebuilt from the bytes written to the bus
 */
#include <string.h>
#include "lcd.h"


void hd44780_model_init(struct hd44780_model *m, unsigned rows,
			unsigned cols)
{
	memset(m, 0, sizeof(*m));
	m->rows = rows;
	m->cols = cols;
	m->increment = true;
	/* power-on state: 8-bit interface, display off, DDRAM undefined;
	 * fill it with something the tests would notice */
	memset(m->ddram, '~', sizeof(m->ddram));
}


static void advance(struct hd44780_model *m)
{
	if (m->cgram_mode) {
		m->ac = (uint8_t)((m->ac + (m->increment ? 1 : -1)) & 0x3f);
		return;
	}

	m->ac = (uint8_t)(m->ac + (m->increment ? 1 : -1));
	if (m->two_lines) {
		if (m->ac == 0x28)
			m->ac = 0x40;
		else if (m->ac == 0x68)
			m->ac = 0x00;
	}
	m->ac &= 0x7f;
}


static void instruction(struct hd44780_model *m, uint8_t v)
{
	++m->instructions;

	if (v & 0x80) {
		m->ac = v & 0x7f;
		m->cgram_mode = false;
	}
	else if (v & 0x40) {
		m->ac = v & 0x3f;
		m->cgram_mode = true;
	}
	else if (v & 0x20) {
		m->four_bit  = !(v & 0x10);
		m->two_lines = (v & 0x08) != 0;
	}
	else if (v & 0x10) {
		/* cursor or display shift: the driver never uses it */
	}
	else if (v & 0x08) {
		m->display_on = (v & 0x04) != 0;
	}
	else if (v & 0x04) {
		m->increment = (v & 0x02) != 0;
	}
	else if (v & 0x02) {
		m->ac = 0;
		m->cgram_mode = false;
	}
	else if (v & 0x01) {
		memset(m->ddram, ' ', sizeof(m->ddram));
		m->ac = 0;
		m->cgram_mode = false;
		m->increment = true;
	}
}


static void data(struct hd44780_model *m, uint8_t v)
{
	++m->data_writes;

	if (m->cgram_mode)
		m->cgram[m->ac & 0x3f] = v & 0x1f;
	else
		m->ddram[m->ac & 0x7f] = v;

	advance(m);
}


/* One E pulse: D7-D4 of the byte that was on the bus while E was high. */
static void latch(struct hd44780_model *m, uint8_t bus)
{
	uint8_t nib = bus >> 4;
	bool rs = bus & PCF_RS;
	uint8_t v;

	if (bus & PCF_RW) {
		++m->bad_bytes;
		return;
	}

	if (!m->four_bit) {
		/* 8-bit mode with D3-D0 not wired: they read as 0 */
		v = (uint8_t)(nib << 4);
		if (rs)
			data(m, v);
		else
			instruction(m, v);
		m->have_high = false;
		return;
	}

	if (!m->have_high) {
		m->high = nib;
		m->have_high = true;
		return;
	}

	m->have_high = false;
	v = (uint8_t)((m->high << 4) | nib);
	if (rs)
		data(m, v);
	else
		instruction(m, v);
}


void hd44780_model_feed(struct hd44780_model *m, const uint8_t *bus,
			size_t n)
{
	for (size_t i = 0; i < n; i++) {
		uint8_t b = bus[i];

		if ((m->last & PCF_E) && !(b & PCF_E))
			latch(m, m->last);

		m->backlight = (b & PCF_BL) != 0;
		m->last = b;
	}
}


void hd44780_model_row(const struct hd44780_model *m, unsigned row,
		       uint8_t *cells)
{
	for (unsigned c = 0; c < m->cols; c++) {
		uint8_t v = m->ddram[hd44780_addr(m->rows, m->cols, row, c) &
				     0x7f];

		/* character codes 0-15 show CGRAM slots 0-7 */
		if (v < 16)
			v = (v & 7) ? (v & 7) : 8;
		cells[c] = v;
	}
}
