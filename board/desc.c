/**
 * @file desc.c  Parse and check a board description
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <linux/input-event-codes.h>
#include <re.h>
#include "desc.h"

const char *const board_desc_keys[] = {
	"board_name", "keypad_devices", "keypad_grab", "key_map",
	"hook_switch", "hook_invert", "led_root", "led_message", "led_line",
	"led_speaker", "led_mute", "lcd_type", "lcd_device",
	"lcd_i2c_address", "lcd_cols", "lcd_rows", "lcd_dump_file", NULL
};

static const char *const led_names[BLED_COUNT] = {
	"message", "line", "speaker", "mute"
};

static const char *const lcd_names[] = {
	[LCD_NONE] = "none", [LCD_SIM] = "sim",
	[LCD_HD44780_I2C] = "hd44780-i2c", [LCD_AUXDISPLAY] = "auxdisplay",
};


const char *board_led_name(enum board_led led)
{
	return led < BLED_COUNT ? led_names[led] : "?";
}


const char *lcd_type_name(enum lcd_type t)
{
	return (unsigned)t < sizeof(lcd_names) / sizeof(lcd_names[0]) ?
		lcd_names[t] : "?";
}


static void desc_destructor(void *arg)
{
	struct board_desc *d = arg;

	mem_deref(d->name);
	for (size_t i = 0; i < d->nkeypads; i++)
		mem_deref(d->keypads[i]);
	mem_deref(d->led_root);
	for (int i = 0; i < BLED_COUNT; i++)
		mem_deref(d->leds[i]);
	mem_deref(d->lcd_device);
	mem_deref(d->lcd_dump_file);
}


struct loader {
	board_get_h *get;
	void *arg;
	char *errbuf;
	size_t errsz;
	char origin[320];
};


/* The value of `key`, or a copy of `dflt` when it is not set. */
static int get_str(struct loader *ld, const char *key, const char *dflt,
		   char **valp)
{
	int err;

	ld->origin[0] = '\0';
	err = ld->get(ld->arg, key, valp, ld->origin, sizeof(ld->origin));
	if (err == ENOENT) {
		re_snprintf(ld->origin, sizeof(ld->origin), "(default)");
		return str_dup(valp, dflt);
	}
	if (err)
		re_snprintf(ld->errbuf, ld->errsz, "%s: %s", key, ld->origin);

	return err;
}


static int bad(struct loader *ld, const char *key, const char *val,
	       const char *why)
{
	re_snprintf(ld->errbuf, ld->errsz, "%s: %s '%s': %s", ld->origin,
		    key, val, why);

	return EINVAL;
}


static int get_bool(struct loader *ld, const char *key, bool dflt, bool *v)
{
	char *s = NULL;
	int err = get_str(ld, key, dflt ? "yes" : "no", &s);

	if (err)
		return err;

	if (!str_cmp(s, "yes") || !str_cmp(s, "true") || !str_cmp(s, "1"))
		*v = true;
	else if (!str_cmp(s, "no") || !str_cmp(s, "false") ||
		 !str_cmp(s, "0") || !*s)
		*v = false;
	else
		err = bad(ld, key, s, "want yes or no");

	mem_deref(s);

	return err;
}


static int get_uint(struct loader *ld, const char *key, const char *dflt,
		    unsigned long lo, unsigned long hi, unsigned long *v)
{
	char *s = NULL, *end;
	unsigned long n;
	int err = get_str(ld, key, dflt, &s);

	if (err)
		return err;

	errno = 0;
	n = strtoul(s, &end, 0);
	if (!*s || *end || errno || n < lo || n > hi) {
		char why[64];

		re_snprintf(why, sizeof(why), "want a number from %lu to %lu",
			    lo, hi);
		err = bad(ld, key, s, why);
	}
	else {
		*v = n;
	}

	mem_deref(s);

	return err;
}


/* An optional string: empty means not there (NULL). */
static int get_opt(struct loader *ld, const char *key, char **v)
{
	char *s = NULL;
	int err = get_str(ld, key, "", &s);

	if (err)
		return err;

	if (*s)
		*v = s;
	else
		mem_deref(s);

	return 0;
}


static int load_keypads(struct loader *ld, struct board_desc *d)
{
	char *s = NULL;
	struct pl rest, item;
	int err = get_str(ld, "keypad_devices", "", &s);

	if (err)
		return err;

	pl_set_str(&rest, s);
	while (!err && rest.l) {
		const char *comma = pl_strchr(&rest, ',');

		item.p = rest.p;
		item.l = comma ? (size_t)(comma - rest.p) : rest.l;
		rest.p += item.l + (comma ? 1 : 0);
		rest.l -= item.l + (comma ? 1 : 0);

		while (item.l && (*item.p == ' ' || *item.p == '\t')) {
			++item.p;
			--item.l;
		}
		while (item.l && (item.p[item.l - 1] == ' ' ||
				  item.p[item.l - 1] == '\t'))
			--item.l;
		if (!item.l)
			continue;

		if (d->nkeypads >= BOARD_MAX_KEYPADS) {
			err = bad(ld, "keypad_devices", s,
				  "more than 4 devices");
			break;
		}
		err = pl_strdup(&d->keypads[d->nkeypads++], &item);
	}

	mem_deref(s);

	return err;
}


static int load_hook(struct loader *ld, struct board_desc *d)
{
	char *s = NULL;
	int err = get_str(ld, "hook_switch", "", &s);

	if (err)
		return err;

	if (*s && linux_code_find(s, strlen(s), &d->hook_type,
				  &d->hook_code))
		err = bad(ld, "hook_switch", s, "not a Linux switch or key"
			  " name (SW_... or KEY_...)");

	mem_deref(s);
	if (!err)
		err = get_bool(ld, "hook_invert", false, &d->hook_invert);

	return err;
}


static int load_lcd(struct loader *ld, struct board_desc *d)
{
	unsigned long v;
	char *s = NULL;
	bool found = false;
	int err = get_str(ld, "lcd_type", "none", &s);

	if (err)
		return err;

	for (size_t i = 0; i < sizeof(lcd_names) / sizeof(lcd_names[0]);
	     i++) {
		if (!str_cmp(s, lcd_names[i])) {
			d->lcd_type = (enum lcd_type)i;
			found = true;
		}
	}
	if (!found)
		err = bad(ld, "lcd_type", s,
			  "want none, sim, hd44780-i2c or auxdisplay");
	mem_deref(s);
	if (err)
		return err;

	err = get_opt(ld, "lcd_device", &d->lcd_device);
	if (!err && d->lcd_type != LCD_NONE && !d->lcd_device)
		err = bad(ld, "lcd_device", "",
			  "this lcd_type needs a device path");
	if (err)
		return err;

	err = get_uint(ld, "lcd_i2c_address", "0x27", 0x03, 0x77, &v);
	if (err)
		return err;
	d->lcd_i2c_address = (uint8_t)v;

	err = get_uint(ld, "lcd_cols", "20", 8, 40, &v);
	if (err)
		return err;
	d->lcd_cols = (unsigned)v;

	err = get_uint(ld, "lcd_rows", "4", 1, 4, &v);
	if (err)
		return err;
	d->lcd_rows = (unsigned)v;

	/* The HD44780 has 80 bytes of display memory. */
	if (d->lcd_type == LCD_HD44780_I2C && d->lcd_cols * d->lcd_rows > 80)
		return bad(ld, "lcd_cols", "",
			   "an HD44780 shows at most 80 characters");

	return get_opt(ld, "lcd_dump_file", &d->lcd_dump_file);
}


int board_desc_load(struct board_desc **descp, board_get_h *get, void *arg,
		    char *errbuf, size_t errsz)
{
	struct loader ld = { get, arg, errbuf, errsz, "" };
	struct board_desc *d;
	char *map = NULL;
	int err;

	if (!descp || !get)
		return EINVAL;

	d = mem_zalloc(sizeof(*d), desc_destructor);
	if (!d)
		return ENOMEM;

	err = get_str(&ld, "board_name", "unnamed board", &d->name);
	if (!err)
		err = load_keypads(&ld, d);
	if (!err)
		err = get_bool(&ld, "keypad_grab", true, &d->keypad_grab);
	if (!err)
		err = get_str(&ld, "key_map", "", &map);
	if (!err)
		err = keymap_parse(&d->keymap, map, ld.origin, errbuf, errsz);
	mem_deref(map);
	if (!err)
		err = load_hook(&ld, d);
	if (!err)
		err = get_opt(&ld, "led_root", &d->led_root);
	for (int i = 0; !err && i < BLED_COUNT; i++) {
		char key[32];

		re_snprintf(key, sizeof(key), "led_%s", led_names[i]);
		err = get_opt(&ld, key, &d->leds[i]);
		if (!err && d->leds[i] && strchr(d->leds[i], '/'))
			err = bad(&ld, key, d->leds[i],
				  "an LED name under led_root, not a path");
	}
	if (!err)
		err = load_lcd(&ld, d);

	if (err) {
		mem_deref(d);
		return err;
	}

	*descp = d;

	return 0;
}
