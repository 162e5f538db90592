/**
 * @file desc.h  A board description: what the hardware has and where
 *
 * Read from the layered settings (board file over deskphone.conf, see
 * docs/board-and-ui.md) through a lookup function, so the command line
 * (dp_settings) and the daemon (baresip's config) share one parser.
 * Every error names where the offending value came from.
 */
#ifndef DESKPHONE_BOARD_DESC_H
#define DESKPHONE_BOARD_DESC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "keys.h"

enum { BOARD_MAX_KEYPADS = 4 };

enum board_led {
	BLED_MESSAGE = 0,   /* message waiting (MWI) */
	BLED_LINE,          /* a call: on, ringing/held: blinking */
	BLED_SPEAKER,
	BLED_MUTE,
	BLED_COUNT
};

enum led_state { LED_OFF = 0, LED_ON, LED_BLINK };

enum lcd_type {
	LCD_NONE = 0,
	LCD_SIM,            /* the terminal, over a UNIX socket */
	LCD_HD44780_I2C,    /* HD44780 behind a PCF8574 on /dev/i2c-N */
	LCD_AUXDISPLAY,     /* the kernel's charlcd: /dev/lcd */
};

struct board_desc {
	char *name;
	char *keypads[BOARD_MAX_KEYPADS];     /* input device paths */
	size_t nkeypads;
	bool keypad_grab;
	struct keymap keymap;
	/* hook switch: an EV_SW switch or an EV_KEY key; type 0 = none.
	 * Value 1 (switch closed, key down) means on hook, unless invert. */
	uint16_t hook_type;
	uint16_t hook_code;
	bool hook_invert;
	char *led_root;                       /* e.g. /sys/class/leds */
	char *leds[BLED_COUNT];                /* names under led_root */
	enum lcd_type lcd_type;
	char *lcd_device;
	uint8_t lcd_i2c_address;
	unsigned lcd_cols;
	unsigned lcd_rows;
	char *lcd_dump_file;                  /* screen as text, if set */
};

/*
 * Look `key` up.  Returns 0 with the expanded value in *valp (mem_alloc,
 * the caller releases it) and where it was set in `origin`; ENOENT when
 * the key is not set; another errno with `origin` holding the reason.
 */
typedef int (board_get_h)(void *arg, const char *key, char **valp,
			  char *origin, size_t osz);

/* Keys a board description may set; NULL-terminated. */
extern const char *const board_desc_keys[];

int  board_desc_load(struct board_desc **descp, board_get_h *get, void *arg,
		     char *errbuf, size_t errsz);

/* The same, from deskphone's settings files (base/settings.h). */
struct dp_settings;
int  board_desc_from_settings(struct board_desc **descp,
			      const struct dp_settings *s,
			      char *errbuf, size_t errsz);

const char *board_led_name(enum board_led led);
const char *lcd_type_name(enum lcd_type t);

#endif
