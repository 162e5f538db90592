/**
 * @file render.c  Drawing each mode on the board's screen
 *
 * Screens are laid out for four rows; a two-row display shows the first
 * two, which carry what matters in every mode.  Nothing here reads an
 * account's password: only the address of record (user@host) and the
 * peer's user part and display name are shown.
 */
#include <string.h>
#include <time.h>
#include "ui.h"

enum { ROWS = 4 };


uint32_t ui_call_seconds(const struct ui *ui)
{
	if (!ui->established || !ui->call_start_ms)
		return 0;

	return (uint32_t)((tmr_jiffies() - ui->call_start_ms) / 1000);
}


static void fmt_duration(char *buf, size_t sz, uint32_t s)
{
	if (s >= 3600)
		re_snprintf(buf, sz, "%u:%02u:%02u", s / 3600, s / 60 % 60,
			    s % 60);
	else
		re_snprintf(buf, sz, "%02u:%02u", s / 60, s % 60);
}


/* Our extension: the user part of the account's address of record. */
static void own_number(char *buf, size_t sz)
{
	struct ua *ua = ui_ua();
	const char *aor = ua ? ua_aor(ua) : NULL;
	struct pl user;

	if (aor && 0 == re_regex(aor, strlen(aor), "sip[s]*:[^@]+@", NULL,
				 &user))
		(void)pl_strcpy(&user, buf, sz);
	else
		str_ncpy(buf, aor ? aor : "No account", sz);
}


static const char *peer_label(const struct ui *ui)
{
	return ui->peer_name[0] ? ui->peer_name : ui->peer;
}


static void draw_idle(struct ui *ui, struct screen *scr)
{
	char me[32], when[32], status[64] = "";
	const char *reg;
	time_t now = time(NULL);
	struct tm tm;

	own_number(me, sizeof(me));
	if (!ui_ua())
		reg = "";
	else if (ui->registered)
		reg = "Registered";
	else if (ui->reg_tried)
		reg = "Not registered";
	else
		reg = "Registering";
	screen_line(scr, 0, "%s %s", me, reg);

	localtime_r(&now, &tm);
	strftime(when, sizeof(when), "%a %d %b", &tm);
	screen_line(scr, 1, "%s", when);
	strftime(when, sizeof(when), "%H:%M", &tm);
	screen_right(scr, 1, when);

	if (ui->missed_new)
		re_snprintf(status + strlen(status),
			    sizeof(status) - strlen(status), "%u missed  ",
			    ui->missed_new);
	if (ui->mwi)
		re_snprintf(status + strlen(status),
			    sizeof(status) - strlen(status), "%c%d new  ",
			    GLYPH_MESSAGE, ui->mwi_new);
	if (ui->dnd)
		re_snprintf(status + strlen(status),
			    sizeof(status) - strlen(status), "DND");
	screen_line(scr, 2, "%s", status);
	screen_line(scr, 3, "Hist Dir  DND  Menu");
}


static void draw_number_entry(struct ui *ui, struct screen *scr,
			      const char *title)
{
	unsigned cols = screen_cols(scr);
	size_t n = strlen(ui->number);
	const char *shown = ui->number;

	/* the end of a long number, and room for the cursor */
	if (n + 1 > cols)
		shown += n + 1 - cols;

	screen_line(scr, 0, "%s", title);
	screen_line(scr, 1, "%s_", shown);
	screen_line(scr, 2, "");
}


static void draw_call(struct ui *ui, struct screen *scr)
{
	char dur[16], flags[48] = "";

	fmt_duration(dur, sizeof(dur), ui_call_seconds(ui));
	if (ui->held)
		screen_line(scr, 0, "%c On hold", GLYPH_HOLD);
	else
		screen_line(scr, 0, "%c Connected", GLYPH_CALL);
	screen_right(scr, 0, dur);

	screen_line(scr, 1, "%c %s", ui->call_out ? GLYPH_OUT : GLYPH_IN,
		    peer_label(ui));

	if (ui->peer_name[0])
		re_snprintf(flags, sizeof(flags), "%s ", ui->peer);
	if (ui->muted)
		re_snprintf(flags + strlen(flags),
			    sizeof(flags) - strlen(flags), "Muted ");
	re_snprintf(flags + strlen(flags), sizeof(flags) - strlen(flags),
		    "%s", ui->headset ? "Headset" : ui->speaker ? "Speaker" :
		    "");
	screen_line(scr, 2, "%s", flags);
	screen_line(scr, 3, "%s Xfer Mute  End",
		    ui->held ? "Resm" : "Hold");
}


static void draw_history(struct ui *ui, struct screen *scr)
{
	size_t n = ui->hist->ops->count(ui->hist);
	size_t first = ui->sel > 0 ? ui->sel - 1 : 0;

	screen_line(scr, 0, "History");
	if (ui->hist->ops->restricted(ui->hist)) {
		/* processing restricted: nothing stored is shown */
		screen_line(scr, 1, "Restricted:");
		screen_line(scr, 2, "calls not shown");
		screen_line(scr, 3, "");
		return;
	}
	if (!n) {
		screen_line(scr, 1, "No calls");
		screen_line(scr, 2, "");
		screen_line(scr, 3, "");
		return;
	}
	screen_right(scr, 0, "");
	{
		char pos[16];

		re_snprintf(pos, sizeof(pos), "%zu/%zu", ui->sel + 1, n);
		screen_right(scr, 0, pos);
	}

	if (first + 3 > n)
		first = n > 3 ? n - 3 : 0;

	for (unsigned r = 1; r < ROWS; r++) {
		struct history_entry e;
		size_t i = first + r - 1;
		char when[8] = "";
		struct tm tm;
		uint8_t mark;

		if (ui->hist->ops->get(ui->hist, i, &e)) {
			screen_line(scr, r, "");
			continue;
		}

		mark = e.kind == HIST_PLACED ? GLYPH_OUT :
			e.kind == HIST_RECEIVED ? GLYPH_IN : '!';
		/* a caller without a display name: the directory's, as it
		 * is now (a corrected contact shows corrected) */
		if (!e.name[0] && e.number[0] &&
		    directory_name_for(ui->dir, e.number))
			str_ncpy(e.name, directory_name_for(ui->dir, e.number),
				 sizeof(e.name));
		localtime_r(&e.start, &tm);
		strftime(when, sizeof(when), "%H:%M", &tm);
		screen_line(scr, r, "%c%c%s", i == ui->sel ? '>' : ' ', mark,
			    e.name[0] ? e.name : e.number);
		screen_right(scr, r, when);
	}
}


static void draw_directory(struct ui *ui, struct screen *scr)
{
	size_t n = directory_count(ui->dir, ui->t9);
	size_t first = ui->sel > 0 ? ui->sel - 1 : 0;

	screen_line(scr, 0, "Directory %s", ui->t9);
	if (!n) {
		screen_line(scr, 1, ui->t9[0] ? "No match" : "No contacts");
		screen_line(scr, 2, "");
		screen_line(scr, 3, "");
		return;
	}

	if (first + 3 > n)
		first = n > 3 ? n - 3 : 0;

	for (unsigned r = 1; r < ROWS; r++) {
		const struct contact *c = directory_find(ui->dir, ui->t9,
							 first + r - 1);

		if (!c)
			screen_line(scr, r, "");
		else
			screen_line(scr, r, "%c%s",
				    first + r - 1 == ui->sel ? '>' : ' ',
				    c->name);
	}
}


/* The menu, in phone.c's order; three entries at a time. */
static void draw_menu(struct ui *ui, struct screen *scr)
{
	const char *items[] = {
		"Network status", "Privacy", "Clear history",
		ui->restricted ? "Restrict: on" : "Restrict: off",
		"Erase my data", "Provision from USB", "Debug bundle to USB",
		ui->dnd ? "Do not disturb: on" : "Do not disturb: off",
	};
	const size_t n = sizeof(items) / sizeof(items[0]);
	size_t first = ui->sel > 0 ? ui->sel - 1 : 0;

	if (first + 3 > n)
		first = n - 3;

	screen_line(scr, 0, "Menu");
	for (unsigned r = 1; r < ROWS; r++) {
		size_t i = first + r - 1;

		screen_line(scr, r, "%c%s", i == ui->sel ? '>' : ' ', items[i]);
	}
	if (first > 0)
		screen_right(scr, 0, (char[]){ GLYPH_UP, 0 });
	else if (first + 3 < n)
		screen_right(scr, 0, (char[]){ GLYPH_DOWN, 0 });
}


static void draw_status(struct ui *ui, struct screen *scr)
{
	struct ua *ua = ui_ua();
	const char *aor = ua ? ua_aor(ua) : NULL;
	struct sa laddr;
	char addr[64] = "?";

	sa_init(&laddr, AF_INET);
	if (0 == net_default_source_addr_get(AF_INET, &laddr))
		re_snprintf(addr, sizeof(addr), "%j", &laddr);

	screen_line(scr, 0, "IP %s", addr);
	/* the address of record: sip:user@host, never a credential */
	screen_line(scr, 1, "%s", aor ? aor + (strncmp(aor, "sip:", 4) ? 0 :
					       4) : "No account");
	if (ui->registered)
		screen_line(scr, 2, "Registered");
	else if (ui->reg_tried)
		screen_line(scr, 2, "Failed: %s", ui->reg_reason);
	else
		screen_line(scr, 2, "Registering");
	screen_line(scr, 3, "Back");
}


/* What is stored, per class (privacy.c fetched it); up/down scroll. */
static void draw_privacy(struct ui *ui, struct screen *scr)
{
	size_t first = ui->sel;

	if (ui->privacy_n > 3 && first + 3 > ui->privacy_n)
		first = ui->privacy_n - 3;
	if (ui->privacy_n <= 3)
		first = 0;

	screen_line(scr, 0, "Stored on phone:");
	for (unsigned r = 1; r < ROWS; r++) {
		size_t i = first + r - 1;

		screen_line(scr, r, "%s", i < ui->privacy_n ?
			    ui->privacy_lines[i] : "");
	}
	if (first + 3 < ui->privacy_n)
		screen_right(scr, 3, (char[]){ GLYPH_DOWN, 0 });
}


/* Provisioning or a bundle: what it is doing, then how it ended. */
static void draw_job(struct ui *ui, struct screen *scr)
{
	screen_line(scr, 0, "%s%s", ui->job_title, ui->job_done ? "" :
		    "...");
	screen_line(scr, 1, "%s", ui->job_lines[0]);
	screen_line(scr, 2, "%s", ui->job_lines[1]);
	screen_line(scr, 3, "%s", ui->job_done ? (ui->job_lines[2][0] ?
						   ui->job_lines[2] : "Back") :
		    ui->job_lines[2]);
}


void render(struct ui *ui)
{
	struct screen *scr = board_screen(ui->board);
	char dur[16];

	switch (ui->mode) {

	case MODE_IDLE:
		draw_idle(ui, scr);
		break;

	case MODE_DIALING:
		draw_number_entry(ui, scr, ui->speaker ? "Dial (speaker):" :
				  "Dial:");
		screen_line(scr, 3, "Send Del");
		break;

	case MODE_CALLING:
		screen_line(scr, 0, "%s", !strcmp(ui->note, "Ringing") ?
			    "Ringing..." : "Calling...");
		screen_line(scr, 1, "%c %s", GLYPH_OUT, peer_label(ui));
		screen_line(scr, 2, "");
		screen_line(scr, 3, "                 End");
		break;

	case MODE_INCOMING:
		screen_line(scr, 0, "Incoming call");
		screen_line(scr, 1, "%c %s", GLYPH_IN, peer_label(ui));
		screen_line(scr, 2, "%s", ui->peer_name[0] ? ui->peer : "");
		screen_line(scr, 3, "Answer       Reject");
		break;

	case MODE_CALL:
		draw_call(ui, scr);
		break;

	case MODE_TRANSFER:
		draw_number_entry(ui, scr, "Transfer to:");
		screen_line(scr, 3, "Send          Cancel");
		break;

	case MODE_ENDED:
		fmt_duration(dur, sizeof(dur), ui->last_duration_s);
		screen_line(scr, 0, "Call ended");
		screen_line(scr, 1, "%s", peer_label(ui));
		screen_line(scr, 2, "%s", dur);
		screen_line(scr, 3, "Hang up or dial");
		break;

	case MODE_HISTORY:
		draw_history(ui, scr);
		break;

	case MODE_DIRECTORY:
		draw_directory(ui, scr);
		break;

	case MODE_MENU:
		draw_menu(ui, scr);
		break;

	case MODE_STATUS:
		draw_status(ui, scr);
		break;

	case MODE_PRIVACY:
		draw_privacy(ui, scr);
		break;

	case MODE_CLEAR:
		screen_line(scr, 0, "Clear history?");
		screen_line(scr, 1, "%zu calls",
			    ui->hist->ops->count(ui->hist));
		screen_line(scr, 2, "");
		screen_line(scr, 3, "Yes            No");
		break;

	case MODE_ERASE:
		screen_line(scr, 0, "Erase my data?");
		screen_line(scr, 1, "Calls, logs, traces,");
		screen_line(scr, 2, "contacts: for good");
		screen_line(scr, 3, "Yes            No");
		break;

	case MODE_PROVISION:
	case MODE_BUNDLE:
		draw_job(ui, scr);
		break;
	}

	/* a short message replaces the bottom row for a while
	 * (not on the call screens' own "Ringing" state) */
	if (ui->note[0] && strcmp(ui->note, "Ringing"))
		screen_line(scr, screen_rows(scr) - 1, "%s", ui->note);

	/* "Trust this stick?" goes over everything but a call */
	(void)trust_prompt_draw(ui->trust, scr);
}
