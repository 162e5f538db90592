/**
 * @file render.c  Drawing each mode on the board's screen
 *
 * Everything drawn comes from struct phone (phone.h).
 * Screens are laid out for four rows; a two-row display shows the first
 * two, which carry what matters in every mode.  Nothing here reads an
 * account's password: only the address of record (user@host) and the
 * peer's user part and display name are shown.
 */
#include <string.h>
#include <time.h>
#include <re.h>
#include "phone.h"

enum { ROWS = 4 };


static void fmt_duration(char *buf, size_t sz, uint32_t s)
{
	if (s >= 3600)
		re_snprintf(buf, sz, "%u:%02u:%02u", s / 3600, s / 60 % 60,
			    s % 60);
	else
		re_snprintf(buf, sz, "%02u:%02u", s / 60, s % 60);
}


/* Our extension: the user part of the account's address of record. */
static void own_number(const struct phone *p, char *buf, size_t sz)
{
	phone_user_part(buf, sz, p->account ? p->aor : "No account");
}


static const char *peer_label(const struct phone *p)
{
	return p->peer_name[0] ? p->peer_name : p->peer;
}


static void draw_idle(struct phone *p, struct screen *scr)
{
	char me[32], when[32], status[64] = "";
	const char *reg;
	time_t now = p->ops->wall(p->arg);
	struct tm tm;

	own_number(p, me, sizeof(me));
	if (!p->account)
		reg = "";
	else if (p->registered)
		reg = "Registered";
	else if (p->reg_tried)
		reg = "Not registered";
	else
		reg = "Registering";
	screen_line(scr, 0, "%s %s", me, reg);

	localtime_r(&now, &tm);
	strftime(when, sizeof(when), "%a %d %b", &tm);
	screen_line(scr, 1, "%s", when);
	strftime(when, sizeof(when), "%H:%M", &tm);
	screen_right(scr, 1, when);

	if (p->missed_new)
		re_snprintf(status + strlen(status),
			    sizeof(status) - strlen(status), "%u missed  ",
			    p->missed_new);
	if (p->mwi)
		re_snprintf(status + strlen(status),
			    sizeof(status) - strlen(status), "%c%d new  ",
			    GLYPH_MESSAGE, p->mwi_new);
	if (p->dnd)
		re_snprintf(status + strlen(status),
			    sizeof(status) - strlen(status), "DND");
	screen_line(scr, 2, "%s", status);
	screen_line(scr, 3, "Hist Dir  DND  Menu");
}


static void draw_number_entry(struct phone *p, struct screen *scr,
			      const char *title)
{
	unsigned cols = screen_cols(scr);
	size_t n = strlen(p->number);
	const char *shown = p->number;

	/* the end of a long number, and room for the cursor */
	if (n + 1 > cols)
		shown += n + 1 - cols;

	screen_line(scr, 0, "%s", title);
	screen_line(scr, 1, "%s_", shown);
	screen_line(scr, 2, "");
}


static void draw_call(struct phone *p, struct screen *scr)
{
	char dur[16], flags[48] = "";

	fmt_duration(dur, sizeof(dur), phone_call_seconds(p));
	if (p->held)
		screen_line(scr, 0, "%c On hold", GLYPH_HOLD);
	else
		screen_line(scr, 0, "%c Connected", GLYPH_CALL);
	screen_right(scr, 0, dur);

	screen_line(scr, 1, "%c %s", p->call_out ? GLYPH_OUT : GLYPH_IN,
		    peer_label(p));

	if (p->peer_name[0])
		re_snprintf(flags, sizeof(flags), "%s ", p->peer);
	if (p->muted)
		re_snprintf(flags + strlen(flags),
			    sizeof(flags) - strlen(flags), "Muted ");
	re_snprintf(flags + strlen(flags), sizeof(flags) - strlen(flags),
		    "%s", p->headset ? "Headset" : p->speaker ? "Speaker" :
		    "");
	screen_line(scr, 2, "%s", flags);
	screen_line(scr, 3, "%s Xfer Mute  End",
		    p->held ? "Resm" : "Hold");
}


static void draw_history(struct phone *p, struct screen *scr)
{
	size_t n = p->hist->ops->count(p->hist);
	size_t first = p->sel > 0 ? p->sel - 1 : 0;

	screen_line(scr, 0, "History");
	if (p->hist->ops->restricted(p->hist)) {
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

		re_snprintf(pos, sizeof(pos), "%zu/%zu", p->sel + 1, n);
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

		if (p->hist->ops->get(p->hist, i, &e)) {
			screen_line(scr, r, "");
			continue;
		}

		mark = e.kind == HIST_PLACED ? GLYPH_OUT :
			e.kind == HIST_RECEIVED ? GLYPH_IN : '!';
		/* a caller without a display name: the directory's, as it
		 * is now (a corrected contact shows corrected) */
		if (!e.name[0] && e.number[0] &&
		    directory_name_for(p->dir, e.number))
			str_ncpy(e.name, directory_name_for(p->dir, e.number),
				 sizeof(e.name));
		localtime_r(&e.start, &tm);
		strftime(when, sizeof(when), "%H:%M", &tm);
		screen_line(scr, r, "%c%c%s", i == p->sel ? '>' : ' ', mark,
			    e.name[0] ? e.name : e.number);
		screen_right(scr, r, when);
	}
}


static void draw_directory(struct phone *p, struct screen *scr)
{
	size_t n = directory_count(p->dir, p->t9);
	size_t first = p->sel > 0 ? p->sel - 1 : 0;

	screen_line(scr, 0, "Directory %s", p->t9);
	if (!n) {
		screen_line(scr, 1, p->t9[0] ? "No match" : "No contacts");
		screen_line(scr, 2, "");
		screen_line(scr, 3, "");
		return;
	}

	if (first + 3 > n)
		first = n > 3 ? n - 3 : 0;

	for (unsigned r = 1; r < ROWS; r++) {
		const struct contact *c = directory_find(p->dir, p->t9,
							 first + r - 1);

		if (!c)
			screen_line(scr, r, "");
		else
			screen_line(scr, r, "%c%s",
				    first + r - 1 == p->sel ? '>' : ' ',
				    c->name);
	}
}


/* The menu, in phone.h's order; three entries at a time. */
static void draw_menu(struct phone *p, struct screen *scr)
{
	const char *items[] = {
		"Network status", "Privacy", "Clear history",
		p->restricted ? "Restrict: on" : "Restrict: off",
		"Erase my data", "Provision from USB", "Debug bundle to USB",
		p->dnd ? "Do not disturb: on" : "Do not disturb: off",
	};
	const size_t n = sizeof(items) / sizeof(items[0]);
	size_t first = p->sel > 0 ? p->sel - 1 : 0;

	if (first + 3 > n)
		first = n - 3;

	screen_line(scr, 0, "Menu");
	for (unsigned r = 1; r < ROWS; r++) {
		size_t i = first + r - 1;

		screen_line(scr, r, "%c%s", i == p->sel ? '>' : ' ', items[i]);
	}
	if (first > 0)
		screen_right(scr, 0, (char[]){ GLYPH_UP, 0 });
	else if (first + 3 < n)
		screen_right(scr, 0, (char[]){ GLYPH_DOWN, 0 });
}


static void draw_status(struct phone *p, struct screen *scr)
{
	const char *aor = p->account ? p->aor : NULL;

	screen_line(scr, 0, "IP %s", p->ip);
	/* the address of record: sip:user@host, never a credential */
	screen_line(scr, 1, "%s", aor ? aor + (strncmp(aor, "sip:", 4) ? 0 :
					       4) : "No account");
	if (p->registered)
		screen_line(scr, 2, "Registered");
	else if (p->reg_tried)
		screen_line(scr, 2, "Failed: %s", p->reg_reason);
	else
		screen_line(scr, 2, "Registering");
	screen_line(scr, 3, "Back");
}


/* What is stored, per class (privacy.c fetched it); up/down scroll. */
static void draw_privacy(struct phone *p, struct screen *scr)
{
	size_t first = p->sel;

	if (p->privacy_n > 3 && first + 3 > p->privacy_n)
		first = p->privacy_n - 3;
	if (p->privacy_n <= 3)
		first = 0;

	screen_line(scr, 0, "Stored on phone:");
	for (unsigned r = 1; r < ROWS; r++) {
		size_t i = first + r - 1;

		screen_line(scr, r, "%s", i < p->privacy_n ?
			    p->privacy_lines[i] : "");
	}
	if (first + 3 < p->privacy_n)
		screen_right(scr, 3, (char[]){ GLYPH_DOWN, 0 });
}


/* Provisioning or a bundle: what it is doing, then how it ended. */
static void draw_job(struct phone *p, struct screen *scr)
{
	screen_line(scr, 0, "%s%s", p->job_title, p->job_done ? "" :
		    "...");
	screen_line(scr, 1, "%s", p->job_lines[0]);
	screen_line(scr, 2, "%s", p->job_lines[1]);
	screen_line(scr, 3, "%s", p->job_done ? (p->job_lines[2][0] ?
						   p->job_lines[2] : "Back") :
		    p->job_lines[2]);
}


/* "Trust this stick?", or the apply a yes started: over the screen. */
static void draw_trust(const struct phone *p, struct screen *scr)
{
	char short_id[9];

	if (p->trust != TRUST_ASKING) {
		screen_line(scr, 0, "%s", p->trust == TRUST_FOLLOWING ?
			    "Provisioning..." : "Provisioning");
		screen_line(scr, 1, "%s", p->trust_lines[0]);
		screen_line(scr, 2, "%s", p->trust_lines[1]);
		screen_line(scr, 3, "%s", p->trust == TRUST_RESULT ? "OK" : "");
		return;
	}

	str_ncpy(short_id, p->trust_key_id, sizeof(short_id));
	if (screen_rows(scr) < 4) {
		/* what matters on two rows: whose key, and for which site */
		screen_line(scr, 0, "Trust key %s?", short_id);
		screen_line(scr, 1, "%s", p->trust_site);
		return;
	}

	screen_line(scr, 0, "Trust this stick?");
	screen_line(scr, 1, "Site: %s", p->trust_site);
	/* the whole id where it fits: the installer compares it with the
	 * one `deskphone provision keygen` printed */
	screen_line(scr, 2, "Key %s", screen_cols(scr) >= 20 ?
		    p->trust_key_id : short_id);
	screen_line(scr, 3, "Trust         Refuse");
}


void phone_render(struct phone *p)
{
	struct screen *scr = board_screen(p->board);
	char dur[16];

	switch (p->mode) {

	case MODE_IDLE:
		draw_idle(p, scr);
		break;

	case MODE_DIALING:
		draw_number_entry(p, scr, p->speaker ? "Dial (speaker):" :
				  "Dial:");
		screen_line(scr, 3, "Send Del");
		break;

	case MODE_CALLING:
		screen_line(scr, 0, "%s", !strcmp(p->note, "Ringing") ?
			    "Ringing..." : "Calling...");
		screen_line(scr, 1, "%c %s", GLYPH_OUT, peer_label(p));
		screen_line(scr, 2, "");
		screen_line(scr, 3, "                 End");
		break;

	case MODE_INCOMING:
		screen_line(scr, 0, "Incoming call");
		screen_line(scr, 1, "%c %s", GLYPH_IN, peer_label(p));
		screen_line(scr, 2, "%s", p->peer_name[0] ? p->peer : "");
		screen_line(scr, 3, "Answer       Reject");
		break;

	case MODE_CALL:
		draw_call(p, scr);
		break;

	case MODE_TRANSFER:
		draw_number_entry(p, scr, "Transfer to:");
		screen_line(scr, 3, "Send          Cancel");
		break;

	case MODE_ENDED:
		fmt_duration(dur, sizeof(dur), p->last_duration_s);
		screen_line(scr, 0, "Call ended");
		screen_line(scr, 1, "%s", peer_label(p));
		screen_line(scr, 2, "%s", dur);
		screen_line(scr, 3, "Hang up or dial");
		break;

	case MODE_HISTORY:
		draw_history(p, scr);
		break;

	case MODE_DIRECTORY:
		draw_directory(p, scr);
		break;

	case MODE_MENU:
		draw_menu(p, scr);
		break;

	case MODE_STATUS:
		draw_status(p, scr);
		break;

	case MODE_PRIVACY:
		draw_privacy(p, scr);
		break;

	case MODE_CLEAR:
		screen_line(scr, 0, "Clear history?");
		screen_line(scr, 1, "%zu calls",
			    p->hist->ops->count(p->hist));
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
		draw_job(p, scr);
		break;
	}

	/* a short message replaces the bottom row for a while
	 * (not on the call screens' own "Ringing" state) */
	if (p->note[0] && strcmp(p->note, "Ringing"))
		screen_line(scr, screen_rows(scr) - 1, "%s", p->note);

	if (phone_trust_shown(p))
		draw_trust(p, scr);
}
