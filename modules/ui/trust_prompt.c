/**
 * @file trust_prompt.c  "Trust this stick?": a stick asks a phone that
 *                       trusts no provisioning key yet to pin its key
 *
 * The provisioning module refuses to pin a new key unless a person at
 * the phone says yes (docs/provisioning.md#trust).  Its status says
 * asking, with the key id and the site; the application core pushes
 * that to this file (trust_prompt_report(), a DPAPP_PROV_JOB event),
 * which then shows the question over whatever screen is up, except a
 * call:
 *
 *   Trust this stick?
 *   Site: Acme HQ
 *   Key 3f9a21c05e6b7d8a
 *   Trust         Refuse
 *
 * OK or the Trust soft key answers yes for the key shown only
 * (dpapp_prov_trust); any other key answers no (the hook, speaker and headset keys
 * then do what they always do).  No answer within the module's timeout,
 * or the stick taken out, is a no as well; the module decides that.
 * After a yes, the prompt follows the apply to its end and shows how it
 * ended until a key is pressed.
 */
#include <string.h>
#include "modules/app/app.h"
#include "ui.h"

enum tp_state {
	TP_NONE = 0,
	TP_ASKING,       /* the question is up */
	TP_FOLLOWING,    /* yes was said: applying */
	TP_RESULT,       /* how it ended, until a key */
};

struct trust_prompt {
	struct ui *ui;
	enum tp_state state;
	char key_id[17];
	char site[65];
	uint64_t job;          /* the apply a yes started */
	char lines[2][64];     /* following or the result */
};


/* A call takes the screen and the keys; the question waits (and runs
 * out of time if nobody comes back to it). */
static bool shown(const struct trust_prompt *tp)
{
	switch (tp->ui->mode) {

	case MODE_INCOMING:
	case MODE_CALLING:
	case MODE_CALL:
	case MODE_TRANSFER:
		return false;

	default:
		return tp->state != TP_NONE;
	}
}


static void follow(struct trust_prompt *tp,
		   const struct dpapp_prov_report *r)
{
	bool ended = r->state == DPAPP_PROV_APPLIED ||
		r->state == DPAPP_PROV_UNCHANGED ||
		r->state == DPAPP_PROV_REFUSED;

	if (r->job < tp->job || !ended) {
		str_ncpy(tp->lines[0], r->step ? r->step : "",
			 sizeof(tp->lines[0]));
		tp->lines[1][0] = '\0';
		return;
	}

	tp->state = TP_RESULT;
	if (r->state == DPAPP_PROV_APPLIED)
		re_snprintf(tp->lines[0], sizeof(tp->lines[0]),
			    "Provisioned v%llu", (unsigned long long)r->version);
	else
		str_ncpy(tp->lines[0], r->state == DPAPP_PROV_UNCHANGED ?
			 "Unchanged" : "Refused:", sizeof(tp->lines[0]));
	str_ncpy(tp->lines[1], r->reason ? r->reason : "",
		 sizeof(tp->lines[1]));
}


void trust_prompt_report(struct trust_prompt *tp,
			 const struct dpapp_prov_report *r)
{
	enum tp_state before;
	bool asking = r->state == DPAPP_PROV_ASKING && r->key_id;

	if (!tp)
		return;
	before = tp->state;

	switch (tp->state) {

	case TP_NONE:
	case TP_RESULT:
		if (!asking)
			break;
		tp->state = TP_ASKING;
		str_ncpy(tp->key_id, r->key_id, sizeof(tp->key_id));
		str_ncpy(tp->site, r->site ? r->site : "", sizeof(tp->site));
		info("dpui: asking whether to trust provisioning key %s\n",
		     tp->key_id);
		break;

	case TP_ASKING:
		/* answered by the module itself: time up, stick taken out */
		if (!asking) {
			tp->state = TP_NONE;
			ui_note(tp->ui, "Stick refused");
			break;
		}
		/* another stick asks now: show its key (a yes names the key
		 * shown, so an old picture can never pin a new key) */
		if (strcmp(r->key_id, tp->key_id)) {
			str_ncpy(tp->key_id, r->key_id, sizeof(tp->key_id));
			str_ncpy(tp->site, r->site ? r->site : "",
				 sizeof(tp->site));
			ui_update(tp->ui);
		}
		break;

	case TP_FOLLOWING:
		follow(tp, r);
		break;
	}

	if (before != tp->state || tp->state == TP_FOLLOWING)
		ui_update(tp->ui);
}


/* The key pressed, as the module takes it for the result file: a few
 * lower-case letters, digits and '_' ("back", "soft4", "key" for '#'). */
static void key_word(enum phone_key key, char *word, size_t sz)
{
	const char *name = phone_key_name(key);
	size_t n = 0;

	for (; name && *name && n + 1 < sz; name++) {
		if ((*name >= 'a' && *name <= 'z') ||
		    (*name >= '0' && *name <= '9') || *name == '_')
			word[n++] = *name;
	}
	word[n] = '\0';

	if (!n)
		str_ncpy(word, "key", sz);
}


static void answer(struct trust_prompt *tp, enum phone_key key)
{
	char word[24] = "";
	bool yes = key == PK_OK || key == PK_SOFT1;
	uint64_t job = 0;
	int err;

	if (!yes)
		key_word(key, word, sizeof(word));

	/* the news of the apply the answer starts comes while it starts:
	 * the state says what to make of it */
	tp->job = 0;
	tp->state = yes && tp->ui->mode != MODE_PROVISION ? TP_FOLLOWING :
		TP_NONE;
	str_ncpy(tp->lines[0], "reading the stick", sizeof(tp->lines[0]));
	tp->lines[1][0] = '\0';

	err = dpapp_prov_trust(yes, tp->key_id, word, &job);
	if (err || !yes) {
		/* no, or the question was gone already (time up) */
		tp->state = TP_NONE;
		ui_note(tp->ui, "Stick refused");
		return;
	}

	/* the menu's provisioning page follows the apply itself */
	if (tp->state == TP_FOLLOWING)
		tp->job = job;
}


bool trust_prompt_key(struct trust_prompt *tp, enum phone_key key)
{
	/* the hook, speaker and headset keys answer and still take or
	 * leave the line */
	bool line_key = key == PK_OFFHOOK || key == PK_ONHOOK ||
		key == PK_HOOK || key == PK_SPEAKER || key == PK_HEADSET;

	if (!tp || !shown(tp))
		return false;

	switch (tp->state) {

	case TP_ASKING:
		answer(tp, key);
		break;

	case TP_RESULT:
		tp->state = TP_NONE;
		break;

	default:
		break;      /* following: the apply goes on */
	}

	return !line_key;
}


bool trust_prompt_draw(const struct trust_prompt *tp, struct screen *scr)
{
	bool wide = screen_cols(scr) >= 20;
	char short_id[9];

	str_ncpy(short_id, tp ? tp->key_id : "", sizeof(short_id));

	if (!tp || !shown(tp))
		return false;

	if (tp->state != TP_ASKING) {
		screen_line(scr, 0, "%s", tp->state == TP_FOLLOWING ?
			    "Provisioning..." : "Provisioning");
		screen_line(scr, 1, "%s", tp->lines[0]);
		screen_line(scr, 2, "%s", tp->lines[1]);
		screen_line(scr, 3, "%s", tp->state == TP_RESULT ? "OK" : "");
		return true;
	}

	if (screen_rows(scr) < 4) {
		/* what matters on two rows: whose key, and for which site */
		screen_line(scr, 0, "Trust key %s?", short_id);
		screen_line(scr, 1, "%s", tp->site);
		return true;
	}

	screen_line(scr, 0, "Trust this stick?");
	screen_line(scr, 1, "Site: %s", tp->site);
	/* the whole id where it fits: the installer compares it with the
	 * one `deskphone provision keygen` printed */
	screen_line(scr, 2, "Key %s", wide ? tp->key_id : short_id);
	screen_line(scr, 3, "Trust         Refuse");

	return true;
}


int trust_prompt_alloc(struct trust_prompt **tpp, struct ui *ui)
{
	struct trust_prompt *tp;

	tp = mem_zalloc(sizeof(*tp), NULL);
	if (!tp)
		return ENOMEM;

	tp->ui = ui;
	*tpp = tp;

	return 0;
}
