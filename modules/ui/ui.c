/**
 * @file ui.c  dpui: the phone's user interface, a baresip module
 *
 * Loaded as a module_app after dpcore.  It builds the board from the
 * description `deskphone run` wrote into baresip's config (keys
 * `dpui_<board key>`, see docs/board-and-ui.md), draws the screens and
 * drives the calls through baresip's UA API.
 *
 * Commands (baresip long commands, also through `deskphone ctl cmd`):
 *   dpui_key NAME [NAME...]   press phone keys, as the keypad would
 *   dpui_screen               the screen and LED states as text
 *
 * The privacy and provisioning modules' news comes through the
 * application core (events.c).
 *
 * Config keys besides the board's:
 *   contacts_file        the directory (`Name <uri>` a line)
 *   dpui_dial_timeout_s  dial this long after the last digit (5)
 *   dpui_history_max     call history entries shown (50)
 *   cdr_store_path, device_secret_file   the call-record store the
 *                        history comes from (read-only); without them
 *                        the history is kept in memory
 *   dpui_deskphone_bin, dpui_settings_args, dpui_bundle_dir   what the
 *                        menu's "Debug bundle to USB" runs, and where to
 */
#include <string.h>
#include "base/fileutil.h"
#include "ui.h"

static struct ui *the_ui;


/*
 * The board keys come from baresip's config file, read here line by line:
 * libre's conf_get() stops a value at the first blank, and board values
 * (a keymap, a board name) have blanks in them.
 */
static int conf_getter(void *arg, const char *key, char **valp,
		       char *origin, size_t osz)
{
	const char *text = arg;
	char name[64];
	size_t nlen;
	unsigned lineno = 0;

	nlen = (size_t)re_snprintf(name, sizeof(name), "dpui_%s", key);

	for (const char *p = text; p && *p; ) {
		const char *eol = strchr(p, '\n');
		const char *end = eol ? eol : p + strlen(p);

		++lineno;
		if ((size_t)(end - p) > nlen && !strncmp(p, name, nlen) &&
		    (p[nlen] == ' ' || p[nlen] == '\t')) {
			const char *v = p + nlen;

			while (v < end && (*v == ' ' || *v == '\t'))
				++v;
			while (end > v && (end[-1] == ' ' || end[-1] == '\t' ||
					   end[-1] == '\r'))
				--end;
			re_snprintf(origin, osz, "baresip config:%u (%s)",
				    lineno, name);
			return re_sdprintf(valp, "%b", v, (size_t)(end - v));
		}
		p = eol ? eol + 1 : NULL;
	}

	return ENOENT;
}


static int read_config(char **textp)
{
	char dir[512], path[600];
	size_t len;
	int err;

	err = conf_path_get(dir, sizeof(dir));
	if (err)
		return err;

	re_snprintf(path, sizeof(path), "%s/config", dir);

	return dp_read_file(path, 1 << 20, textp, &len);
}


static void board_log(bool error, const char *msg)
{
	if (error)
		warning("dpui: %s\n", msg);
	else
		info("dpui: %s\n", msg);
}


static void tick(void *arg)
{
	struct ui *ui = arg;

	/* clock on the idle screen, timer on the call screen */
	tmr_start(&ui->tick_tmr, 1000 - (uint32_t)(tmr_jiffies() % 1000),
		  tick, ui);
	phone_account(ui->phone, ui_ua() ? ua_aor(ui_ua()) : NULL);
	phone_tick(ui->phone);
}


static int cmd_key(struct re_printf *pf, void *arg)
{
	const struct cmd_arg *carg = arg;
	struct pl rest, word;
	int n = 0;

	if (!the_ui)
		return re_hprintf(pf, "dpui: not running\n");

	pl_set_str(&rest, carg->prm ? carg->prm : "");
	while (0 == re_regex(rest.p, rest.l, "[^ ]+", &word)) {
		enum phone_key key = phone_key_find(word.p, word.l);

		if (key == PK_NONE)
			return re_hprintf(pf, "dpui: no phone key '%r'\n",
					  &word);
		ui_key(key, KEY_PRESS, the_ui);
		ui_key(key, KEY_RELEASE, the_ui);
		++n;
		rest.l -= (size_t)(word.p + word.l - rest.p);
		rest.p = word.p + word.l;
	}

	return re_hprintf(pf, "dpui: %d keys\n", n);
}


static int cmd_screen(struct re_printf *pf, void *arg)
{
	struct mbuf *mb;
	int err;
	(void)arg;

	if (!the_ui)
		return re_hprintf(pf, "dpui: not running\n");

	mb = mbuf_alloc(512);
	if (!mb)
		return ENOMEM;

	err = board_dump(the_ui->board, mb);
	if (!err)
		err = re_hprintf(pf, "%b", mb->buf, mb->end);
	mem_deref(mb);

	return err;
}


static const struct cmd ui_cmds[] = {
	{ "dpui_key",    0, CMD_PRM, "Press phone keys (dpui_key 1 0 1 ok)",
	  cmd_key },
	{ "dpui_screen", 0, 0,       "The phone's screen as text",
	  cmd_screen },
};


static void ui_destructor(void *arg)
{
	struct ui *ui = arg;

	ui_timers_cancel(ui);
	tmr_cancel(&ui->tick_tmr);
	job_close(ui);
	mem_deref(ui->trust);
	audio_ring_stop(ui);
	mem_deref(ui->phone);
	mem_deref(ui->board);
	mem_deref(ui->hist);
	mem_deref(ui->dir);
}


static void read_alert_device(struct ui *ui)
{
	char alert[128] = "";
	char *comma;

	(void)conf_get_str(conf_cur(), "audio_alert", alert, sizeof(alert));
	comma = strchr(alert, ',');
	if (comma)
		*comma++ = '\0';
	str_ncpy(ui->alert_mod, alert, sizeof(ui->alert_mod));
	str_ncpy(ui->alert_dev, comma ? comma : "", sizeof(ui->alert_dev));
}


static void history_changed(void *arg)
{
	struct ui *ui = arg;

	if (ui->phone)
		phone_history_changed(ui->phone);
}


/* The history from the call-record store when there is one, else in
 * memory (and said in the log). */
static int history_open(struct ui *ui, uint32_t max)
{
	char store[512] = "", secret[512] = "";
	int err;

	(void)conf_get_str(conf_cur(), "cdr_store_path", store, sizeof(store));
	(void)conf_get_str(conf_cur(), "device_secret_file", secret,
			   sizeof(secret));
	if (store[0] && secret[0]) {
		err = history_cdr_alloc(&ui->hist, max, store, secret,
					history_changed, ui);
		if (!err)
			return 0;
		warning("dpui: call history from %s: %m; kept in memory"
			" instead\n", store, err);
	}

	return history_mem_alloc(&ui->hist, max);
}


static int module_init(void)
{
	struct board_desc *desc = NULL;
	char errbuf[512] = "", contacts[512] = "";
	char *config = NULL;
	uint32_t timeout_s = 5, hist_max = 50;
	struct ui *ui;
	int err;

	board_log_set(board_log);

	err = read_config(&config);
	if (err) {
		warning("dpui: cannot read baresip's config: %m\n", err);
		return err;
	}
	err = board_desc_load(&desc, conf_getter, config, errbuf,
			      sizeof(errbuf));
	config = mem_deref(config);
	if (err) {
		warning("dpui: board description: %s\n", errbuf);
		return err;
	}

	ui = mem_zalloc(sizeof(*ui), ui_destructor);
	if (!ui) {
		mem_deref(desc);
		return ENOMEM;
	}

	for (int t = 0; t < PT_COUNT; t++)
		tmr_init(&ui->tmr[t].tmr);
	tmr_init(&ui->tick_tmr);
	tmr_init(&ui->job_tmr);
	ui->bundle_fd = -1;

	(void)conf_get_u32(conf_cur(), "dpui_dial_timeout_s", &timeout_s);
	(void)conf_get_u32(conf_cur(), "dpui_history_max", &hist_max);
	(void)conf_get_str(conf_cur(), "contacts_file", contacts,
			   sizeof(contacts));
	str_ncpy(ui->contacts_file, contacts, sizeof(ui->contacts_file));
	str_ncpy(ui->deskphone_bin, "/usr/bin/deskphone",
		 sizeof(ui->deskphone_bin));
	(void)conf_get_str(conf_cur(), "dpui_deskphone_bin",
			   ui->deskphone_bin, sizeof(ui->deskphone_bin));
	(void)conf_get_str(conf_cur(), "dpui_settings_args",
			   ui->settings_args, sizeof(ui->settings_args));
	(void)conf_get_str(conf_cur(), "dpui_bundle_dir", ui->bundle_dir,
			   sizeof(ui->bundle_dir));
	read_alert_device(ui);

	err = board_alloc(&ui->board, desc, ui_key, ui);
	mem_deref(desc);
	if (!err)
		err = history_open(ui, hist_max ? hist_max : 1);
	if (!err)
		err = directory_load(&ui->dir, contacts);
	if (!err)
		err = phone_alloc(&ui->phone, ui->board, ui->hist, ui->dir,
				  (timeout_s ? timeout_s : 1) * 1000,
				  &ui_phone_ops, ui);
	if (!err)
		err = trust_prompt_alloc(&ui->trust, ui);
	if (!err)
		err = uag_event_register(ui_event, ui);
	if (!err)
		err = cmd_register(baresip_commands(), ui_cmds,
				   sizeof(ui_cmds) / sizeof(ui_cmds[0]));
	if (!err)
		err = ui_events_listen(ui);
	if (err) {
		warning("dpui: init: %m\n", err);
		cmd_unregister(baresip_commands(), ui_cmds);
		uag_event_unregister(ui_event);
		mem_deref(ui);
		board_log_set(NULL);
		return err;
	}

	the_ui = ui;
	privacy_changed(ui);      /* restricted? (the history reads itself) */
	audio_take_ringer(ui);
	tick(ui);
	info("dpui: %s, %s %ux%u, %zu contacts, call history: %s\n",
	     board_desc(ui->board)->name,
	     lcd_type_name(board_desc(ui->board)->lcd_type),
	     board_desc(ui->board)->lcd_cols, board_desc(ui->board)->lcd_rows,
	     ui->dir->n, ui->hist->ops->name);

	return 0;
}


static int module_close(void)
{
	cmd_unregister(baresip_commands(), ui_cmds);
	uag_event_unregister(ui_event);
	ui_events_unlisten(the_ui);
	the_ui = mem_deref(the_ui);
	board_log_set(NULL);

	return 0;
}


const struct mod_export exports = {
	"dpui",
	"application",
	module_init,
	module_close
};
