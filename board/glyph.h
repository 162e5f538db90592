/**
 * @file glyph.h  The eight custom characters the UI uses
 *
 * Screen cells 1-8 are these glyphs.  Character LCDs get them as 5x8
 * bitmaps loaded into their character RAM (slot = code & 7); the
 * terminal shows the UTF-8 character of the same meaning.
 */
#ifndef DESKPHONE_BOARD_GLYPH_H
#define DESKPHONE_BOARD_GLYPH_H

#include <stdint.h>

enum glyph {
	GLYPH_REGISTERED = 1,  /* a tick: the account is registered */
	GLYPH_UP,              /* more above */
	GLYPH_DOWN,            /* more below */
	GLYPH_CALL,            /* a handset: in a call */
	GLYPH_MESSAGE,         /* an envelope: voicemail waiting */
	GLYPH_HOLD,            /* two bars: on hold */
	GLYPH_IN,              /* arrow in: a received call */
	GLYPH_OUT,             /* arrow out: a placed call */
	GLYPH_COUNT = 8
};

/* 8 rows of 5 pixels (bit 4 leftmost) for glyph code 1-8. */
const uint8_t *glyph_bitmap(uint8_t code);
/* The glyph's UTF-8 text for the terminal, or NULL if not a glyph. */
const char    *glyph_utf8(uint8_t code);

#endif
