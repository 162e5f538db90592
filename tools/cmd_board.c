/**
 * @file cmd_board.c  `deskphone board check [FILE]`: is a board
 *                    description right?  Every error names file and line.
 */
#include <stdio.h>
#include <string.h>
#include <re.h>
#include "board/desc.h"
#include "base/settings.h"
#include "cli.h"

extern const struct dp_command dp_command_board;


static void show(const struct board_desc *d)
{
	printf("board       %s\n", d->name);
	printf("lcd         %s %ux%u %s", lcd_type_name(d->lcd_type),
	       d->lcd_cols, d->lcd_rows, d->lcd_device ? d->lcd_device : "");
	if (d->lcd_type == LCD_HD44780_I2C)
		printf(" address 0x%02x", d->lcd_i2c_address);
	printf("\n");
	for (size_t i = 0; i < d->nkeypads; i++)
		printf("keypad      %s%s\n", d->keypads[i],
		       d->keypad_grab ? " (grabbed)" : "");
	printf("keymap      %zu keys\n", d->keymap.n);
	for (size_t i = 0; i < d->keymap.n; i++) {
		const char *n = linux_code_name(LINUX_EV_KEY,
						d->keymap.v[i].code);

		printf("  %-22s %s\n", n ? n : "?",
		       phone_key_name(d->keymap.v[i].key));
	}
	if (d->hook_type)
		printf("hook        %s%s\n",
		       linux_code_name(d->hook_type, d->hook_code),
		       d->hook_invert ? " (inverted)" : "");
	else
		printf("hook        none (offhook/onhook/hook keys)\n");
	for (int i = 0; i < BLED_COUNT; i++)
		printf("led %-7s %s%s%s\n", board_led_name(i),
		       d->leds[i] && d->led_root ? d->led_root : "",
		       d->leds[i] && d->led_root ? "/" : "",
		       d->leds[i] && d->led_root ? d->leds[i] : "none");
}


static int board_main(int argc, char **argv)
{
	struct cli_settings_opts opts;
	struct dp_settings *s = NULL;
	struct board_desc *d = NULL;
	char errbuf[DP_ERRBUF] = "", set[4200];
	const char *file = NULL;
	bool quiet = false;
	int i, err;

	memset(&opts, 0, sizeof(opts));
	if (argc < 2)
		return cli_missing(&dp_command_board, "check");
	if (strcmp(argv[1], "check"))
		return cli_usage(&dp_command_board);

	for (i = 2; i < argc; i++) {
		if (cli_settings_option(&opts, argc, argv, &i))
			continue;
		if (!strcmp(argv[i], "-q"))
			quiet = true;
		else if (argv[i][0] != '-' && !file)
			file = argv[i];
		else
			return cli_usage(&dp_command_board);
	}

	if (file) {
		re_snprintf(set, sizeof(set), "board_file=%s", file);
		opts.sets[opts.nsets++] = set;
	}

	if (cli_settings_load(&opts, &s))
		return DP_EXIT_USAGE;

	err = board_desc_from_settings(&d, s, errbuf, sizeof(errbuf));
	mem_deref(s);
	if (err) {
		fprintf(stderr, "deskphone board: %s\n", errbuf);
		return DP_EXIT_USAGE;
	}

	if (!quiet)
		show(d);
	mem_deref(d);

	return DP_EXIT_OK;
}


const struct dp_command dp_command_board = {
	"board",
	"check a board description",
	"deskphone board check [FILE] [-q] [--config DIR] [--local FILE]"
	" [--set k=v]\n"
	"  Load FILE (default: the configured ${board_file}) over\n"
	"  deskphone.conf as `deskphone run` would, check every key, and\n"
	"  print what the board has.  Errors name file and line; exit 2.\n",
	board_main
};
