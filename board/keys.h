/**
 * @file keys.h  Phone keys, Linux key names, and keymaps between them
 *
 * A phone key is what the user interface acts on ("1", "hold", "up");
 * a keymap says which Linux input code (KEY_* or SW_*) is which phone key.
 * Keymap text: entries `LINUX_NAME=phone_key`, separated by commas and/or
 * blanks, e.g. `KEY_NUMERIC_1=1, KEY_UP=up KEY_F1=soft1`.  A Linux name
 * may also be written as a number (`KEY_0x2a` is not valid; `42` is).
 */
#ifndef DESKPHONE_BOARD_KEYS_H
#define DESKPHONE_BOARD_KEYS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum phone_key {
	PK_NONE = 0,
	PK_0, PK_1, PK_2, PK_3, PK_4, PK_5, PK_6, PK_7, PK_8, PK_9,
	PK_STAR, PK_POUND,
	PK_UP, PK_DOWN, PK_LEFT, PK_RIGHT, PK_OK, PK_BACK,
	PK_SOFT1, PK_SOFT2, PK_SOFT3, PK_SOFT4,
	PK_MENU, PK_HISTORY, PK_DIRECTORY,
	PK_HOLD, PK_TRANSFER, PK_DND, PK_REDIAL, PK_MUTE,
	PK_VOLUME_UP, PK_VOLUME_DOWN,
	PK_HEADSET, PK_SPEAKER, PK_MESSAGE,
	PK_OFFHOOK,   /* handset lifted */
	PK_ONHOOK,    /* handset put down */
	PK_HOOK,      /* toggles the hook (a key where no switch exists) */
	PK_COUNT
};

enum key_action {
	KEY_PRESS,
	KEY_REPEAT,   /* held down: the device's auto-repeat */
	KEY_RELEASE
};

/* "1", "*", "hold", "volume_up" ...; NULL for PK_NONE and out of range. */
const char    *phone_key_name(enum phone_key key);
enum phone_key phone_key_find(const char *name, size_t len);
/* The digit or symbol of a dial key ('0'..'9', '*', '#'), else 0. */
char           phone_key_char(enum phone_key key);
/* Keys that act again while held (navigation, volume, back). */
bool           phone_key_repeats(enum phone_key key);

/* Linux input codes by name: "KEY_NUMERIC_1", "SW_LID", or a number. */
enum { LINUX_EV_KEY = 0x01, LINUX_EV_SW = 0x05 };
int         linux_code_find(const char *name, size_t len, uint16_t *typep,
			    uint16_t *codep);
const char *linux_code_name(uint16_t type, uint16_t code);

enum { KEYMAP_MAX = 160 };

struct keymap_entry {
	uint16_t code;          /* an EV_KEY code */
	enum phone_key key;
};

struct keymap {
	struct keymap_entry v[KEYMAP_MAX];
	size_t n;
};

/*
 * Parse keymap text into `km` (replacing what it held).  On error, `km`
 * is left as it was and `errbuf` says "ORIGIN: what is wrong" with the
 * offending entry; `origin` is where the text comes from ("file:line").
 * A Linux key mapped twice is an error; two keys for one phone key are fine.
 */
int  keymap_parse(struct keymap *km, const char *text, const char *origin,
		  char *errbuf, size_t errsz);
enum phone_key keymap_lookup(const struct keymap *km, uint16_t code);

#endif
