/**
 * @file keys.c  Phone key names, Linux input code names, keymaps
 */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <linux/input-event-codes.h>
#include <re.h>
#include "keys.h"

static const char *const key_names[PK_COUNT] = {
	[PK_0] = "0", [PK_1] = "1", [PK_2] = "2", [PK_3] = "3",
	[PK_4] = "4", [PK_5] = "5", [PK_6] = "6", [PK_7] = "7",
	[PK_8] = "8", [PK_9] = "9", [PK_STAR] = "*", [PK_POUND] = "#",
	[PK_UP] = "up", [PK_DOWN] = "down", [PK_LEFT] = "left",
	[PK_RIGHT] = "right", [PK_OK] = "ok", [PK_BACK] = "back",
	[PK_SOFT1] = "soft1", [PK_SOFT2] = "soft2", [PK_SOFT3] = "soft3",
	[PK_SOFT4] = "soft4", [PK_MENU] = "menu", [PK_HISTORY] = "history",
	[PK_DIRECTORY] = "directory", [PK_HOLD] = "hold",
	[PK_TRANSFER] = "transfer", [PK_DND] = "dnd", [PK_REDIAL] = "redial",
	[PK_MUTE] = "mute", [PK_VOLUME_UP] = "volume_up",
	[PK_VOLUME_DOWN] = "volume_down", [PK_HEADSET] = "headset",
	[PK_SPEAKER] = "speaker", [PK_MESSAGE] = "message",
	[PK_OFFHOOK] = "offhook", [PK_ONHOOK] = "onhook", [PK_HOOK] = "hook",
};

/* Every KEY_* and SW_* name of the kernel headers we build against,
 * extracted at build time (board/build.mk). */
struct linux_code {
	const char *name;
	uint16_t type;
	uint16_t code;
};

#define LK(n) { #n, LINUX_EV_KEY, n },
#define LS(n) { #n, LINUX_EV_SW, n },
static const struct linux_code linux_codes[] = {
#include "linux_keys.inc"
};
#undef LK
#undef LS


const char *phone_key_name(enum phone_key key)
{
	if (key <= PK_NONE || key >= PK_COUNT)
		return NULL;

	return key_names[key];
}


enum phone_key phone_key_find(const char *name, size_t len)
{
	for (int k = PK_NONE + 1; k < PK_COUNT; k++) {
		if (strlen(key_names[k]) == len &&
		    0 == memcmp(key_names[k], name, len))
			return (enum phone_key)k;
	}

	return PK_NONE;
}


char phone_key_char(enum phone_key key)
{
	if (key >= PK_0 && key <= PK_9)
		return (char)('0' + (key - PK_0));
	if (key == PK_STAR)
		return '*';
	if (key == PK_POUND)
		return '#';

	return 0;
}


bool phone_key_repeats(enum phone_key key)
{
	switch (key) {

	case PK_UP:
	case PK_DOWN:
	case PK_LEFT:
	case PK_RIGHT:
	case PK_BACK:
	case PK_VOLUME_UP:
	case PK_VOLUME_DOWN:
		return true;

	default:
		return false;
	}
}


int linux_code_find(const char *name, size_t len, uint16_t *typep,
		    uint16_t *codep)
{
	size_t i;

	if (!name || !len)
		return EINVAL;

	/* A bare number is an EV_KEY code. */
	if (isdigit((unsigned char)name[0])) {
		unsigned long v = 0;

		for (i = 0; i < len; i++) {
			if (!isdigit((unsigned char)name[i]))
				return EINVAL;
			v = v * 10 + (unsigned long)(name[i] - '0');
			if (v > KEY_MAX)
				return ERANGE;
		}
		*typep = LINUX_EV_KEY;
		*codep = (uint16_t)v;
		return 0;
	}

	for (i = 0; i < sizeof(linux_codes) / sizeof(linux_codes[0]); i++) {
		const struct linux_code *lc = &linux_codes[i];

		if (strlen(lc->name) == len && 0 == memcmp(lc->name, name, len)) {
			*typep = lc->type;
			*codep = lc->code;
			return 0;
		}
	}

	return ENOENT;
}


const char *linux_code_name(uint16_t type, uint16_t code)
{
	for (size_t i = 0; i < sizeof(linux_codes) / sizeof(linux_codes[0]);
	     i++) {
		if (linux_codes[i].type == type && linux_codes[i].code == code)
			return linux_codes[i].name;
	}

	return NULL;
}


static bool is_sep(char c)
{
	return c == ',' || c == ' ' || c == '\t';
}


int keymap_parse(struct keymap *km, const char *text, const char *origin,
		 char *errbuf, size_t errsz)
{
	struct keymap out;
	const char *p = text ? text : "";

	if (!km)
		return EINVAL;

	memset(&out, 0, sizeof(out));
	if (!origin)
		origin = "key_map";

	for (;;) {
		const char *start, *eq, *end;
		enum phone_key key;
		uint16_t type, code;
		size_t nlen;
		int err;

		while (*p && is_sep(*p))
			++p;
		if (!*p)
			break;

		start = p;
		while (*p && !is_sep(*p))
			++p;
		end = p;

		eq = memchr(start, '=', (size_t)(end - start));
		if (!eq || eq == start || eq + 1 == end) {
			re_snprintf(errbuf, errsz, "%s: keymap entry '%b' is"
				    " not LINUX_KEY=phone_key", origin,
				    start, (size_t)(end - start));
			return EINVAL;
		}

		nlen = (size_t)(eq - start);
		err = linux_code_find(start, nlen, &type, &code);
		if (err) {
			re_snprintf(errbuf, errsz, "%s: '%b' is not a Linux"
				    " key name (KEY_... or a number)", origin,
				    start, nlen);
			return EINVAL;
		}
		if (type != LINUX_EV_KEY) {
			re_snprintf(errbuf, errsz, "%s: '%b' is a switch; a"
				    " switch can only be the hook_switch",
				    origin, start, nlen);
			return EINVAL;
		}

		key = phone_key_find(eq + 1, (size_t)(end - eq - 1));
		if (key == PK_NONE) {
			re_snprintf(errbuf, errsz, "%s: '%b' is not a phone"
				    " key (0-9 * # up down left right ok back"
				    " soft1-4 menu history directory hold"
				    " transfer dnd redial mute volume_up"
				    " volume_down headset speaker message"
				    " offhook onhook hook)", origin,
				    eq + 1, (size_t)(end - eq - 1));
			return EINVAL;
		}

		if (keymap_lookup(&out, code) != PK_NONE) {
			re_snprintf(errbuf, errsz, "%s: '%b' is mapped twice",
				    origin, start, nlen);
			return EINVAL;
		}

		if (out.n >= KEYMAP_MAX) {
			re_snprintf(errbuf, errsz, "%s: more than %u keymap"
				    " entries", origin, (unsigned)KEYMAP_MAX);
			return E2BIG;
		}

		out.v[out.n].code = code;
		out.v[out.n].key  = key;
		++out.n;
	}

	*km = out;

	return 0;
}


enum phone_key keymap_lookup(const struct keymap *km, uint16_t code)
{
	if (!km)
		return PK_NONE;

	for (size_t i = 0; i < km->n; i++) {
		if (km->v[i].code == code)
			return km->v[i].key;
	}

	return PK_NONE;
}
