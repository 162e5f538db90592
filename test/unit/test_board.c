/**
 * @file test_board.c  The board layer: descriptions, keymaps, input
 *                     events, the HD44780 and auxdisplay drivers, LEDs,
 *                     the screen diff and the simulated board's socket
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>
#include <linux/input.h>
#include <re.h>
#include "board/board.h"
#include "base/fileutil.h"
#include "base/settings.h"
#include "dptest.h"
#include "loop_until.h"


static const char *tmp_path(const char *name)
{
	static char path[8][4096];
	static int n;
	char *p = path[n++ % 8];

	snprintf(p, 4096, "%s/%s", dptest_tmpdir(), name);

	return p;
}


static const char *write_tmp(const char *name, const char *text)
{
	const char *p = tmp_path(name);
	FILE *f = fopen(p, "w");

	DP_ASSERT(f != NULL);
	fputs(text, f);
	fclose(f);

	return p;
}


static void quiet_log(bool error, const char *msg)
{
	(void)error;
	(void)msg;
}


/* --- the main loop, for the drivers ------------------------------------ */

static void loop_start(void)
{
	DP_ASSERT_OK(libre_init());
	board_log_set(quiet_log);
}


/* --- keymaps --------------------------------------------------------- */

DP_TEST(keymap_parses_names_numbers_and_separators)
{
	struct keymap km;
	char err[256] = "";

	DP_ASSERT_OK(keymap_parse(&km, "KEY_NUMERIC_1=1, KEY_UP=up\tKEY_F1="
				  "soft1 , 42=hold KEY_PICKUP_PHONE=offhook",
				  "b.conf:3", err, sizeof(err)));
	DP_ASSERT_EQ(km.n, 5);
	DP_ASSERT_EQ(keymap_lookup(&km, KEY_NUMERIC_1), PK_1);
	DP_ASSERT_EQ(keymap_lookup(&km, KEY_UP), PK_UP);
	DP_ASSERT_EQ(keymap_lookup(&km, KEY_F1), PK_SOFT1);
	DP_ASSERT_EQ(keymap_lookup(&km, 42), PK_HOLD);
	DP_ASSERT_EQ(keymap_lookup(&km, KEY_PICKUP_PHONE), PK_OFFHOOK);
	DP_ASSERT_EQ(keymap_lookup(&km, KEY_A), PK_NONE);
	DP_ASSERT_STREQ(linux_code_name(LINUX_EV_SW, SW_LID), "SW_LID");
	DP_ASSERT_STREQ(phone_key_name(PK_VOLUME_UP), "volume_up");
	DP_ASSERT_EQ(phone_key_char(PK_POUND), '#');
}


DP_TEST(keymap_errors_name_the_entry_and_keep_the_old_map)
{
	struct keymap km;
	char err[512] = "";

	DP_ASSERT_OK(keymap_parse(&km, "KEY_1=1", "x", err, sizeof(err)));

	DP_ASSERT_EQ(keymap_parse(&km, "KEY_1=1 KEY_NOPE=2", "b.conf:7",
				  err, sizeof(err)), EINVAL);
	DP_ASSERT_MSG(strstr(err, "b.conf:7: 'KEY_NOPE' is not a Linux key")
		      != NULL, "got: %s", err);

	DP_ASSERT_EQ(keymap_parse(&km, "KEY_1=one", "b.conf:7", err,
				  sizeof(err)), EINVAL);
	DP_ASSERT_MSG(strstr(err, "'one' is not a phone key") != NULL,
		      "got: %s", err);

	DP_ASSERT_EQ(keymap_parse(&km, "KEY_1=1,KEY_1=2", "b.conf:7", err,
				  sizeof(err)), EINVAL);
	DP_ASSERT_MSG(strstr(err, "'KEY_1' is mapped twice") != NULL,
		      "got: %s", err);

	DP_ASSERT_EQ(keymap_parse(&km, "KEY_1", "b.conf:7", err,
				  sizeof(err)), EINVAL);
	DP_ASSERT_EQ(keymap_parse(&km, "SW_LID=hook", "b.conf:7", err,
				  sizeof(err)), EINVAL);
	DP_ASSERT_MSG(strstr(err, "switch") != NULL, "got: %s", err);

	/* the last good map is still there */
	DP_ASSERT_EQ(km.n, 1);
	DP_ASSERT_EQ(keymap_lookup(&km, KEY_1), PK_1);
}


/* --- board descriptions ------------------------------------------------ */

/* A file of the repository: test data lives in ROOT/test/data. */
static const char *repo_path(const char *rel)
{
	static char path[2][4096];
	static int n;
	char *p = path[n++ % 2];
	const char *data = dptest_datadir();
	size_t len = strlen(data);

	if (len >= 10 && !strcmp(data + len - 10, "/test/data"))
		snprintf(p, 4096, "%.*s/%s", (int)(len - 10), data, rel);
	else
		snprintf(p, 4096, "%s", rel);

	return p;
}

static int load_board(struct board_desc **dp, const char *board_file,
		      const char *local, char *err, size_t errsz)
{
	struct dp_settings *s = NULL;
	char path[4096];
	int e;

	DP_ASSERT_OK(dp_settings_alloc(&s));
	snprintf(path, sizeof(path), "%s",
		 repo_path("firmware/etc/deskphone/deskphone.conf"));
	DP_ASSERT_OK(dp_settings_load(s, path, err, errsz));
	DP_ASSERT_OK(dp_settings_set(s, "run_dir", "/run/x", "test"));
	e = dp_settings_load(s, board_file, err, errsz);
	if (!e && local)
		e = dp_settings_load(s, local, err, errsz);
	if (!e)
		e = board_desc_from_settings(dp, s, err, errsz);
	mem_deref(s);

	return e;
}


static const char *shipped_board(const char *name)
{
	static char path[4096];

	snprintf(path, sizeof(path), "%s/%s.conf",
		 repo_path("firmware/etc/deskphone/boards"), name);

	return path;
}


DP_TEST(board_shipped_descriptions_load)
{
	struct board_desc *d = NULL;
	char err[512] = "";

	DP_ASSERT_OK(load_board(&d, shipped_board("sim"), NULL, err,
				sizeof(err)));
	DP_ASSERT_EQ(d->lcd_type, LCD_SIM);
	DP_ASSERT_STREQ(d->lcd_device, "/run/x/sim.sock");
	DP_ASSERT_EQ(d->lcd_cols, 20);
	DP_ASSERT_EQ(d->lcd_rows, 4);
	DP_ASSERT_EQ(d->nkeypads, 0);
	DP_ASSERT_EQ(keymap_lookup(&d->keymap, KEY_SPACE), PK_HOOK);
	d = mem_deref(d);

	DP_ASSERT_OK(load_board(&d, shipped_board("generic-i2c"), NULL, err,
				sizeof(err)));
	DP_ASSERT_EQ(d->lcd_type, LCD_HD44780_I2C);
	DP_ASSERT_STREQ(d->lcd_device, "/dev/i2c-1");
	DP_ASSERT_EQ(d->lcd_i2c_address, 0x27);
	DP_ASSERT_EQ(d->nkeypads, 2);
	DP_ASSERT_STREQ(d->keypads[1],
			"/dev/input/by-path/platform-gpio-keys-event");
	DP_ASSERT_EQ(d->hook_type, EV_SW);
	DP_ASSERT_EQ(d->hook_code, SW_LID);
	DP_ASSERT_STREQ(d->leds[BLED_MESSAGE], "deskphone:red:message");
	DP_ASSERT_EQ(keymap_lookup(&d->keymap, KEY_NUMERIC_POUND), PK_POUND);
	d = mem_deref(d);

	DP_ASSERT_OK(load_board(&d, shipped_board("auxdisplay"), NULL, err,
				sizeof(err)));
	DP_ASSERT_EQ(d->lcd_type, LCD_AUXDISPLAY);
	DP_ASSERT_STREQ(d->lcd_device, "/dev/lcd");
	DP_ASSERT_EQ(d->lcd_cols, 16);
	DP_ASSERT_EQ(d->lcd_rows, 2);
	DP_ASSERT_EQ(d->hook_type, EV_KEY);
	DP_ASSERT_EQ(d->hook_code, KEY_HANGUP_PHONE);
	mem_deref(d);
}


DP_TEST(board_errors_name_file_and_line)
{
	struct board_desc *d = NULL;
	char err[512] = "", want[4200];
	const char *bad;

	bad = write_tmp("bad1.conf", "lcd_type sim\n"
			"# comment\nkey_map KEY_1=1 KEY_BOGUS=2\n");
	DP_ASSERT_EQ(load_board(&d, shipped_board("sim"), bad, err,
				sizeof(err)), EINVAL);
	snprintf(want, sizeof(want), "%s:3: 'KEY_BOGUS' is not a Linux key",
		 bad);
	DP_ASSERT_MSG(strstr(err, want) != NULL, "got: %s", err);

	bad = write_tmp("bad2.conf", "\nlcd_type vga\n");
	DP_ASSERT_EQ(load_board(&d, shipped_board("sim"), bad, err,
				sizeof(err)), EINVAL);
	snprintf(want, sizeof(want), "%s:2: lcd_type 'vga'", bad);
	DP_ASSERT_MSG(strstr(err, want) != NULL, "got: %s", err);

	bad = write_tmp("bad3.conf", "lcd_type hd44780-i2c\nlcd_device /x\n"
			"lcd_cols 40\n");
	DP_ASSERT_EQ(load_board(&d, shipped_board("sim"), bad, err,
				sizeof(err)), EINVAL);
	DP_ASSERT_MSG(strstr(err, "at most 80 characters") != NULL,
		      "got: %s", err);

	bad = write_tmp("bad4.conf", "hook_switch SW_NOPE\n");
	DP_ASSERT_EQ(load_board(&d, shipped_board("sim"), bad, err,
				sizeof(err)), EINVAL);
	snprintf(want, sizeof(want), "%s:1: hook_switch 'SW_NOPE'", bad);
	DP_ASSERT_MSG(strstr(err, want) != NULL, "got: %s", err);

	bad = write_tmp("bad5.conf", "led_line /sys/class/leds/x\n");
	DP_ASSERT_EQ(load_board(&d, shipped_board("sim"), bad, err,
				sizeof(err)), EINVAL);
	DP_ASSERT_MSG(strstr(err, "not a path") != NULL, "got: %s", err);
	DP_ASSERT(d == NULL);
}


/* --- decoding input events ----------------------------------------------- */

DP_TEST(keypad_decode_keys_repeat_and_hook)
{
	struct board_desc d;
	enum key_action act;
	char err[256];

	memset(&d, 0, sizeof(d));
	DP_ASSERT_OK(keymap_parse(&d.keymap, "KEY_1=1 KEY_UP=up KEY_F1=hold",
				  "t", err, sizeof(err)));
	d.hook_type = EV_SW;
	d.hook_code = SW_LID;

	DP_ASSERT_EQ(keypad_decode(&d, EV_KEY, KEY_1, 1, &act), PK_1);
	DP_ASSERT_EQ(act, KEY_PRESS);
	DP_ASSERT_EQ(keypad_decode(&d, EV_KEY, KEY_1, 0, &act), PK_1);
	DP_ASSERT_EQ(act, KEY_RELEASE);
	/* digits do not repeat; navigation does */
	DP_ASSERT_EQ(keypad_decode(&d, EV_KEY, KEY_1, 2, &act), PK_NONE);
	DP_ASSERT_EQ(keypad_decode(&d, EV_KEY, KEY_UP, 2, &act), PK_UP);
	DP_ASSERT_EQ(act, KEY_REPEAT);
	DP_ASSERT_EQ(keypad_decode(&d, EV_KEY, KEY_2, 1, &act), PK_NONE);
	DP_ASSERT_EQ(keypad_decode(&d, EV_MSC, 4, 1, &act), PK_NONE);

	/* switch closed: handset resting */
	DP_ASSERT_EQ(keypad_decode(&d, EV_SW, SW_LID, 1, &act), PK_ONHOOK);
	DP_ASSERT_EQ(keypad_decode(&d, EV_SW, SW_LID, 0, &act), PK_OFFHOOK);
	d.hook_invert = true;
	DP_ASSERT_EQ(keypad_decode(&d, EV_SW, SW_LID, 1, &act), PK_OFFHOOK);

	/* a key as the hook */
	d.hook_type = EV_KEY;
	d.hook_code = KEY_HANGUP_PHONE;
	d.hook_invert = false;
	DP_ASSERT_EQ(keypad_decode(&d, EV_KEY, KEY_HANGUP_PHONE, 1, &act),
		     PK_ONHOOK);
	DP_ASSERT_EQ(keypad_decode(&d, EV_KEY, KEY_HANGUP_PHONE, 0, &act),
		     PK_OFFHOOK);
	DP_ASSERT_EQ(keypad_decode(&d, EV_KEY, KEY_HANGUP_PHONE, 2, &act),
		     PK_NONE);
}


struct key_log {
	enum phone_key keys[64];
	enum key_action acts[64];
	size_t n;
	size_t want;
};


static void log_key(enum phone_key key, enum key_action act, void *arg)
{
	struct key_log *kl = arg;

	if (kl->n < 64) {
		kl->keys[kl->n] = key;
		kl->acts[kl->n] = act;
		++kl->n;
	}
}


static bool have_keys(void *arg)
{
	struct key_log *kl = arg;

	return kl->n >= kl->want;
}


static void write_event(int fd, uint16_t type, uint16_t code, int32_t value)
{
	struct input_event ev;

	memset(&ev, 0, sizeof(ev));
	ev.type  = type;
	ev.code  = code;
	ev.value = value;
	DP_ASSERT_EQ(write(fd, &ev, sizeof(ev)), sizeof(ev));
}


static bool keypad_present(void *arg)
{
	return input_dev_present(keypad_dev(arg, 0));
}


static bool keypad_gone(void *arg)
{
	return !input_dev_present(keypad_dev(arg, 0));
}


DP_TEST(keypad_reads_a_fifo_like_a_device_and_reopens_it)
{
	struct board_desc *d;
	struct keypad *kp = NULL;
	struct key_log kl;
	const char *fifo = tmp_path("event0");
	const uint8_t *bytes;
	struct input_event split;
	char err[256];
	int wfd;

	loop_start();
	memset(&kl, 0, sizeof(kl));
	kl.want = 5;
	DP_ASSERT_OK(mkfifo(fifo, 0600));

	d = mem_zalloc(sizeof(*d), NULL);
	d->keypads[0] = (char *)fifo;
	d->nkeypads = 1;
	d->keypad_grab = true;
	d->hook_type = EV_SW;
	d->hook_code = SW_LID;
	DP_ASSERT_OK(keymap_parse(&d->keymap, "KEY_5=5 KEY_VOLUMEUP=volume_up",
				  "t", err, sizeof(err)));

	DP_ASSERT_OK(keypad_alloc(&kp, d, log_key, &kl));
	DP_ASSERT(input_dev_present(keypad_dev(kp, 0)));

	wfd = open(fifo, O_WRONLY);
	DP_ASSERT(wfd >= 0);
	write_event(wfd, EV_KEY, KEY_5, 1);
	write_event(wfd, EV_SYN, SYN_REPORT, 0);
	write_event(wfd, EV_KEY, KEY_5, 0);
	write_event(wfd, EV_KEY, KEY_VOLUMEUP, 1);
	write_event(wfd, EV_KEY, KEY_VOLUMEUP, 2);
	write_event(wfd, EV_KEY, KEY_A, 1);
	/* one record in two writes: the reader must put it together */
	memset(&split, 0, sizeof(split));
	split.type = EV_SW;
	split.code = SW_LID;
	split.value = 0;
	bytes = (const uint8_t *)&split;
	DP_ASSERT_EQ(write(wfd, bytes, 10), 10);
	DP_ASSERT(!run_until(have_keys, &kl, 100));
	DP_ASSERT_EQ(write(wfd, bytes + 10, sizeof(split) - 10),
		     sizeof(split) - 10);
	DP_ASSERT(run_until(have_keys, &kl, 2000));

	DP_ASSERT_EQ(kl.n, 5);
	DP_ASSERT_EQ(kl.keys[0], PK_5);
	DP_ASSERT_EQ(kl.acts[0], KEY_PRESS);
	DP_ASSERT_EQ(kl.keys[1], PK_5);
	DP_ASSERT_EQ(kl.acts[1], KEY_RELEASE);
	DP_ASSERT_EQ(kl.keys[2], PK_VOLUME_UP);
	DP_ASSERT_EQ(kl.keys[3], PK_VOLUME_UP);
	DP_ASSERT_EQ(kl.acts[3], KEY_REPEAT);
	DP_ASSERT_EQ(kl.keys[4], PK_OFFHOOK);

	/* unplug: the writer goes and the node disappears */
	close(wfd);
	DP_ASSERT_OK(unlink(fifo) ? errno : 0);
	DP_ASSERT(run_until(keypad_gone, kp, 2000));
	DP_ASSERT(!run_until(keypad_present, kp, 3 * INPUT_REOPEN_MS));

	/* plugged in again */
	DP_ASSERT_OK(mkfifo(fifo, 0600));
	DP_ASSERT(run_until(keypad_present, kp, 3000));
	DP_ASSERT_EQ(input_dev_reopens(keypad_dev(kp, 0)), 1);
	wfd = open(fifo, O_WRONLY);
	DP_ASSERT(wfd >= 0);
	kl.want = 6;
	write_event(wfd, EV_KEY, KEY_5, 1);
	DP_ASSERT(run_until(have_keys, &kl, 2000));
	DP_ASSERT_EQ(kl.keys[5], PK_5);
	close(wfd);

	mem_deref(kp);
	d->keypads[0] = NULL;
	mem_deref(d);
	libre_close();
}


/* --- the screen diff ------------------------------------------------------- */

struct write_log {
	char text[1024];
	size_t cells;
};


static int log_write(unsigned row, unsigned col, const uint8_t *s, size_t n,
		     void *arg)
{
	struct write_log *wl = arg;
	size_t len = strlen(wl->text);

	snprintf(wl->text + len, sizeof(wl->text) - len, "[%u,%u:%.*s]", row,
		 col, (int)n, (const char *)s);
	wl->cells += n;

	return 0;
}


DP_TEST(screen_sends_only_what_changed)
{
	struct screen *scr = NULL;
	struct write_log wl;

	DP_ASSERT_OK(screen_alloc(&scr, 2, 16));

	memset(&wl, 0, sizeof(wl));
	screen_line(scr, 0, "Hello %s", "world");
	DP_ASSERT(screen_dirty(scr));
	DP_ASSERT_OK(screen_flush(scr, log_write, &wl, NULL));
	/* first flush: every row, whole */
	DP_ASSERT_STREQ(wl.text, "[0,0:Hello world     ][1,0:                ]");
	DP_ASSERT(!screen_dirty(scr));

	memset(&wl, 0, sizeof(wl));
	DP_ASSERT_OK(screen_flush(scr, log_write, &wl, NULL));
	DP_ASSERT_STREQ(wl.text, "");

	/* two changes close together are one run; far apart, two */
	memset(&wl, 0, sizeof(wl));
	screen_put(scr, 0, 0, "J");
	screen_put(scr, 0, 2, "L");
	screen_put(scr, 0, 15, "!");
	screen_cell(scr, 1, 3, GLYPH_CALL);
	DP_ASSERT_OK(screen_flush(scr, log_write, &wl, NULL));
	DP_ASSERT_STREQ(wl.text, "[0,0:JeL][0,15:!][1,3:\x04]");
	DP_ASSERT_EQ(wl.cells, 5);

	/* clipping, UTF-8 as one '?', right alignment */
	screen_line(scr, 1, "Z\xc3\xbcrich and far beyond the edge");
	DP_ASSERT_MEMEQ(screen_row(scr, 1), "Z?rich and far b", 16);
	screen_clear(scr);
	screen_right(scr, 0, "12:30");
	DP_ASSERT_MEMEQ(screen_row(scr, 0), "           12:30", 16);

	mem_deref(scr);
}


/* --- HD44780: driver bytes through the model ------------------------------ */

static void model_from_file(struct hd44780_model *m, const char *path,
			    unsigned rows, unsigned cols)
{
	char *buf = NULL;
	size_t len = 0;

	DP_ASSERT_OK(dp_read_file(path, 1 << 20, &buf, &len));
	hd44780_model_init(m, rows, cols);
	hd44780_model_feed(m, (const uint8_t *)buf, len);
	mem_deref(buf);
}


static void check_model_matches(const struct hd44780_model *m,
				const struct screen *scr)
{
	uint8_t cells[40];

	for (unsigned r = 0; r < screen_rows(scr); r++) {
		hd44780_model_row(m, r, cells);
		DP_ASSERT_MSG(!memcmp(cells, screen_row(scr, r),
				      screen_cols(scr)),
			      "row %u: model '%.*s' screen '%.*s'", r,
			      (int)screen_cols(scr), cells,
			      (int)screen_cols(scr),
			      (const char *)screen_row(scr, r));
	}
}


DP_TEST(hd44780_round_trip_through_the_model)
{
	static const unsigned geometry[][2] = { {4, 20}, {2, 16}, {4, 16},
						{1, 8} };

	for (size_t g = 0; g < 4; g++) {
		unsigned rows = geometry[g][0], cols = geometry[g][1];
		const char *path = tmp_path("i2c-bus");
		struct hd44780 *lcd = NULL;
		struct hd44780_model m;
		struct screen *scr = NULL;
		int fd;

		fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
		DP_ASSERT(fd >= 0);
		DP_ASSERT_OK(hd44780_alloc_fd(&lcd, fd, rows, cols, true));
		DP_ASSERT_OK(screen_alloc(&scr, rows, cols));

		screen_line(scr, 0, "Line one is long enough to clip");
		if (rows > 1)
			screen_line(scr, 1, "%c 00:42 Alice", GLYPH_CALL);
		if (rows > 2)
			screen_line(scr, 2, "row three");
		if (rows > 3)
			screen_line(scr, 3, "Hist Dir DND %c", GLYPH_OUT);
		DP_ASSERT_OK(screen_flush(scr, hd44780_write, lcd, NULL));

		model_from_file(&m, path, rows, cols);
		DP_ASSERT(m.four_bit);
		DP_ASSERT_EQ(m.two_lines, rows > 1);
		DP_ASSERT(m.display_on);
		DP_ASSERT(m.backlight);
		DP_ASSERT_EQ(m.bad_bytes, 0);
		check_model_matches(&m, scr);

		/* every glyph is in character RAM */
		for (uint8_t code = 1; code <= GLYPH_COUNT; code++)
			DP_ASSERT_MEMEQ(&m.cgram[(code & 7) * 8],
					glyph_bitmap(code), 8);

		/* an update sends only the changed cells, and lands right */
		{
			size_t before = hd44780_bytes(lcd);

			screen_put(scr, rows > 1 ? 1 : 0, 5, "3");
			DP_ASSERT_OK(screen_flush(scr, hd44780_write, lcd,
						  NULL));
			/* one address instruction + one character, 4 bytes
			 * each (two nibbles, E high and low) */
			DP_ASSERT_EQ(hd44780_bytes(lcd) - before, 8);
		}
		DP_ASSERT_OK(hd44780_backlight(lcd, false));

		model_from_file(&m, path, rows, cols);
		check_model_matches(&m, scr);
		DP_ASSERT(!m.backlight);

		mem_deref(scr);
		mem_deref(lcd);
	}
}


DP_TEST(hd44780_addresses_per_geometry)
{
	DP_ASSERT_EQ(hd44780_addr(4, 20, 0, 0), 0x00);
	DP_ASSERT_EQ(hd44780_addr(4, 20, 1, 0), 0x40);
	DP_ASSERT_EQ(hd44780_addr(4, 20, 2, 0), 0x14);
	DP_ASSERT_EQ(hd44780_addr(4, 20, 3, 19), 0x54 + 19);
	DP_ASSERT_EQ(hd44780_addr(4, 16, 2, 0), 0x10);
	DP_ASSERT_EQ(hd44780_addr(4, 16, 3, 0), 0x50);
	DP_ASSERT_EQ(hd44780_addr(2, 16, 1, 3), 0x43);
	DP_ASSERT_EQ(hd44780_addr(1, 8, 0, 7), 7);
}


DP_TEST(hd44780_open_tolerates_a_file_that_is_not_i2c)
{
	const char *path = tmp_path("not-i2c");
	struct hd44780 *lcd = NULL;
	struct hd44780_model m;
	int fd = open(path, O_WRONLY | O_CREAT, 0600);

	board_log_set(quiet_log);
	DP_ASSERT(fd >= 0);
	close(fd);
	DP_ASSERT_OK(hd44780_open(&lcd, path, 0x27, 2, 16, true));
	DP_ASSERT(hd44780_bytes(lcd) > 0);
	mem_deref(lcd);
	model_from_file(&m, path, 2, 16);
	DP_ASSERT(m.display_on);
	DP_ASSERT_EQ(hd44780_open(&lcd, tmp_path("nonexistent/x"), 0x27, 2,
				  16, true), ENOENT);
}


/* --- auxdisplay: decode the kernel's charlcd escapes ----------------------- */

struct charlcd {
	unsigned rows, cols, x, y;
	uint8_t cells[4][40];
	uint8_t cgram[8][8];
	bool display_on, backlight, cursor, blink;
	unsigned unknown;
};


static unsigned hexval(char c)
{
	return (unsigned)(c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10);
}


/* What a charlcd-driven display shows after `buf`: our own reading of
 * the documented escapes, enough for what the driver sends. */
static void charlcd_feed(struct charlcd *l, const char *buf, size_t len)
{
	size_t i = 0;

	while (i < len) {
		char c = buf[i];

		if (c == '\f') {
			memset(l->cells, ' ', sizeof(l->cells));
			l->x = l->y = 0;
			++i;
			continue;
		}
		if (c != '\x1b') {
			if (l->y < l->rows && l->x < l->cols)
				l->cells[l->y][l->x] = (uint8_t)c;
			++l->x;
			++i;
			continue;
		}
		/* ESC [ L <cmd> ... */
		if (i + 3 >= len + 0 || buf[i + 1] != '[' || buf[i + 2] != 'L') {
			++l->unknown;
			++i;
			continue;
		}
		c = buf[i + 3];
		i += 4;
		switch (c) {

		case 'D': l->display_on = true; break;
		case 'd': l->display_on = false; break;
		case 'C': l->cursor = true; break;
		case 'c': l->cursor = false; break;
		case 'B': l->blink = true; break;
		case 'b': l->blink = false; break;
		case '+': l->backlight = true; break;
		case '-': l->backlight = false; break;
		case 'I':
			memset(l->cells, ' ', sizeof(l->cells));
			l->x = l->y = 0;
			break;

		case 'x': {
			unsigned x = 0, y = 0;

			while (buf[i] >= '0' && buf[i] <= '9')
				x = x * 10 + (unsigned)(buf[i++] - '0');
			if (buf[i] == 'y')
				++i;
			while (buf[i] >= '0' && buf[i] <= '9')
				y = y * 10 + (unsigned)(buf[i++] - '0');
			if (buf[i] == ';')
				++i;
			l->x = x;
			l->y = y;
			break;
		}

		case 'G': {
			unsigned slot = (unsigned)(buf[i++] - '0');

			for (int r = 0; r < 8 && buf[i] != ';'; r++, i += 2)
				l->cgram[slot & 7][r] = (uint8_t)
					(hexval(buf[i]) << 4 | hexval(buf[i + 1]));
			if (buf[i] == ';')
				++i;
			break;
		}

		default:
			++l->unknown;
		}
	}
}


DP_TEST(auxdisplay_escapes_draw_the_screen)
{
	const char *path = tmp_path("lcd");
	struct auxdisplay *lcd = NULL;
	struct screen *scr = NULL;
	struct charlcd l;
	char *buf = NULL;
	size_t len = 0;

	memset(&l, 0, sizeof(l));
	memset(l.cells, '~', sizeof(l.cells));
	l.rows = 2;
	l.cols = 16;

	DP_ASSERT_OK(auxdisplay_open(&lcd, path, 2, 16) == ENOENT ? 0 : 1);
	DP_ASSERT(close(open(path, O_WRONLY | O_CREAT, 0600)) == 0);
	DP_ASSERT_OK(auxdisplay_open(&lcd, path, 2, 16));
	DP_ASSERT_OK(screen_alloc(&scr, 2, 16));
	screen_line(scr, 0, "100 %c  12:05", GLYPH_REGISTERED);
	screen_line(scr, 1, "%c2 new messages", GLYPH_OUT);
	DP_ASSERT_OK(screen_flush(scr, auxdisplay_write, lcd, NULL));
	screen_put(scr, 0, 12, "6");
	DP_ASSERT_OK(screen_flush(scr, auxdisplay_write, lcd, NULL));
	DP_ASSERT_OK(auxdisplay_backlight(lcd, false));
	mem_deref(lcd);

	DP_ASSERT_OK(dp_read_file(path, 65536, &buf, &len));
	charlcd_feed(&l, buf, len);
	/* the driver moved to 12,0 for the one changed cell */
	DP_ASSERT(memmem(buf, len, "\x1b[Lx12y0;6", 10) != NULL);
	mem_deref(buf);

	DP_ASSERT_EQ(l.unknown, 0);
	DP_ASSERT(l.display_on);
	DP_ASSERT(!l.cursor);
	DP_ASSERT(!l.blink);
	DP_ASSERT(!l.backlight);
	for (unsigned r = 0; r < 2; r++) {
		uint8_t want[16];

		memcpy(want, screen_row(scr, r), 16);
		/* glyph 8 is sent as byte 0, slot 0 */
		for (int c = 0; c < 16; c++)
			if (want[c] == 8)
				want[c] = 0;
		DP_ASSERT_MEMEQ(l.cells[r], want, 16);
	}
	for (uint8_t code = 1; code <= GLYPH_COUNT; code++)
		DP_ASSERT_MEMEQ(l.cgram[code & 7], glyph_bitmap(code), 8);

	mem_deref(scr);
}


/* --- LEDs in sysfs ------------------------------------------------------- */

static void read_attr(const char *dir, const char *attr, char *out,
		      size_t sz)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, attr);
	f = fopen(path, "r");
	DP_ASSERT_MSG(f != NULL, "%s", path);
	out[0] = '\0';
	if (!fgets(out, (int)sz, f))
		out[0] = '\0';
	fclose(f);
}


DP_TEST(leds_write_brightness_and_trigger)
{
	struct board_desc d;
	struct leds *l = NULL;
	char root[4096], dir[4200], v[32];

	board_log_set(quiet_log);
	memset(&d, 0, sizeof(d));
	snprintf(root, sizeof(root), "%s/leds", dptest_tmpdir());
	snprintf(dir, sizeof(dir), "%s/phone:line", root);
	DP_ASSERT_OK(dp_mkdir_p(dir, 0700));
	write_tmp("leds/phone:line/brightness", "0\n");
	write_tmp("leds/phone:line/max_brightness", "255\n");
	write_tmp("leds/phone:line/trigger", "[none] timer\n");
	d.led_root = root;
	d.leds[BLED_LINE] = "phone:line";
	d.leds[BLED_MUTE] = "phone:absent";

	DP_ASSERT_OK(leds_alloc(&l, &d));
	DP_ASSERT_OK(leds_set(l, BLED_LINE, LED_ON));
	read_attr(dir, "brightness", v, sizeof(v));
	DP_ASSERT_STREQ(v, "255");
	read_attr(dir, "trigger", v, sizeof(v));
	DP_ASSERT_STREQ(v, "none");

	DP_ASSERT_OK(leds_set(l, BLED_LINE, LED_BLINK));
	read_attr(dir, "trigger", v, sizeof(v));
	DP_ASSERT_STREQ(v, "timer");

	DP_ASSERT_OK(leds_set(l, BLED_LINE, LED_OFF));
	read_attr(dir, "brightness", v, sizeof(v));
	DP_ASSERT_STREQ(v, "0");

	/* not wired on this board: nothing to do */
	DP_ASSERT_OK(leds_set(l, BLED_SPEAKER, LED_ON));
	/* named but missing: an error, logged once */
	DP_ASSERT_EQ(leds_set(l, BLED_MUTE, LED_ON), ENOENT);
	mem_deref(l);
}


/* --- the simulated board --------------------------------------------------- */

struct sim_peer {
	int fd;
	char buf[8192];
	size_t len;
};


static bool peer_has(void *arg)
{
	struct sim_peer *p = arg;
	ssize_t n = recv(p->fd, p->buf + p->len, sizeof(p->buf) - 1 - p->len,
			 MSG_DONTWAIT);

	if (n > 0) {
		p->len += (size_t)n;
		p->buf[p->len] = '\0';
	}

	return p->len && p->buf[p->len - 1] == '\n' &&
		strstr(p->buf, "end\n") != NULL;
}


static bool two_keys(void *arg)
{
	return ((struct key_log *)arg)->n >= 2;
}


DP_TEST(sim_serves_screen_leds_and_takes_keys)
{
	struct board_desc *d = mem_zalloc(sizeof(*d), NULL);
	struct board *b = NULL;
	struct key_log kl;
	struct sim_peer p;
	struct sockaddr_un sun;
	struct mbuf *mb;
	char *dump = NULL;
	size_t dlen;

	loop_start();
	memset(&kl, 0, sizeof(kl));
	memset(&p, 0, sizeof(p));
	d->lcd_type = LCD_SIM;
	d->lcd_rows = 2;
	d->lcd_cols = 10;
	d->lcd_device = (char *)tmp_path("sim.sock");
	d->lcd_dump_file = (char *)tmp_path("screen.txt");

	DP_ASSERT_OK(board_alloc(&b, d, log_key, &kl));
	screen_line(board_screen(b), 0, "Hi %c", GLYPH_MESSAGE);
	board_led(b, BLED_LINE, LED_BLINK);
	DP_ASSERT_OK(board_flush(b));

	p.fd = socket(AF_UNIX, SOCK_STREAM, 0);
	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	strcpy(sun.sun_path, d->lcd_device);
	DP_ASSERT_OK(connect(p.fd, (struct sockaddr *)&sun, sizeof(sun)) ?
		     errno : 0);
	DP_ASSERT(run_until(peer_has, &p, 2000));
	DP_ASSERT_MSG(strstr(p.buf, "hello deskphone-sim 1 2 10\n"
			     "row 0 Hi \u2709      \nrow 1           \n"
			     "led message off\nled line blink\n") != NULL,
		      "got: %s", p.buf);

	/* changes go out as they happen */
	p.len = 0;
	screen_put(board_screen(b), 1, 0, "x");
	DP_ASSERT_OK(board_flush(b));
	DP_ASSERT(send(p.fd, "key 7\nscreen\n", 13, 0) == 13);
	DP_ASSERT(run_until(peer_has, &p, 2000));
	DP_ASSERT_MSG(!strncmp(p.buf, "row 1 x         \n", 17), "got: %s",
		      p.buf);
	DP_ASSERT(run_until(two_keys, &kl, 2000));
	DP_ASSERT_EQ(kl.keys[0], PK_7);
	DP_ASSERT_EQ(kl.acts[0], KEY_PRESS);
	DP_ASSERT_EQ(kl.acts[1], KEY_RELEASE);

	p.len = 0;
	DP_ASSERT(send(p.fd, "key nope\nscreen\n", 16, 0) == 16);
	DP_ASSERT(run_until(peer_has, &p, 2000));
	DP_ASSERT_MSG(strstr(p.buf, "error no such phone key 'nope'") != NULL,
		      "got: %s", p.buf);

	/* a long line not understood still gets its error line, the
	 * line quoted in part (found by fuzz_sim: it used to get none) */
	{
		char line[300];

		memcpy(line, "key ", 4);
		memset(line + 4, 'x', 280);
		memcpy(line + 284, "\nscreen\n", 9);
		p.len = 0;
		DP_ASSERT(send(p.fd, line, 293, 0) == 293);
		DP_ASSERT(run_until(peer_has, &p, 2000));
		DP_ASSERT_MSG(strstr(p.buf, "error no such phone key 'xxxxxxxx"
				     "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
				     "xxxxxxxxxxxxxxxxxxxx...'\n") != NULL,
			      "got: %s", p.buf);
	}

	/* the headless dump */
	DP_ASSERT_OK(dp_read_file(d->lcd_dump_file, 4096, &dump, &dlen));
	DP_ASSERT_STREQ(dump, "+----------+\n|Hi \u2709      |\n|x         |\n"
			"+----------+\nled message off led line blink "
			"led speaker off led mute off\n");
	mem_deref(dump);

	mb = mbuf_alloc(256);
	DP_ASSERT_OK(board_dump(b, mb));
	mem_deref(mb);

	close(p.fd);
	mem_deref(b);
	d->lcd_device = NULL;
	d->lcd_dump_file = NULL;
	mem_deref(d);
	libre_close();
}
