/**
 * @file trust_prompt.c  "Trust this stick?": the provisioning module's
 *                       question and the answer, between it and the phone
 *
 * The provisioning module refuses to pin a new key unless a person at
 * the phone says yes (docs/provisioning.md#trust).  Its status says
 * `asking`, with the key id and the site; this file polls the status
 * (once a second, as the provisioning docs suggest for noticing a stick)
 * and tells the phone (phone_trust_ask), which shows the question over
 * whatever screen is up, except a call, and decides what the keys say
 * (phone.c).  The answer comes back here (trust_prompt_answer):
 * `dpprov_trust yes KEYID` (only the key shown) or `dpprov_trust no KEY`.
 * No answer within the module's timeout, or the stick taken out, is a
 * no as well; the module decides that (phone_trust_gone).  After a yes,
 * the apply is followed to its end (phone_trust_progress).
 */
#include <string.h>
#include "ui.h"

enum { POLL_MS = 1000, FOLLOW_MS = 250 };

struct trust_prompt {
	struct ui *ui;
	struct tmr tmr;
	uint64_t seq;          /* the status' seq when yes was said */
};


static bool finished(const char *state)
{
	return !strcmp(state, "applied") || !strcmp(state, "unchanged") ||
		!strcmp(state, "refused");
}


static void follow(struct trust_prompt *tp, const char *status)
{
	char state[24] = "", msg[64] = "", reason[64] = "", first[32];
	uint64_t seq = 0, version = 0;

	(void)ui_json_str(status, "state", state, sizeof(state));
	(void)ui_json_num(status, "seq", &seq);
	(void)ui_json_str(status, "message", msg, sizeof(msg));
	(void)ui_json_str(status, "reason", reason, sizeof(reason));
	(void)ui_json_num(status, "version", &version);

	if (seq < tp->seq || !finished(state)) {
		phone_trust_progress(tp->ui->phone, false, msg, NULL);
		return;
	}

	if (!strcmp(state, "applied"))
		re_snprintf(first, sizeof(first), "Provisioned v%llu",
			    (unsigned long long)version);
	else
		str_ncpy(first, !strcmp(state, "unchanged") ? "Unchanged" :
			 "Refused:", sizeof(first));
	phone_trust_progress(tp->ui->phone, true, first, reason);
}


static void poll_status(void *arg)
{
	struct trust_prompt *tp = arg;
	struct phone *p = tp->ui->phone;
	char state[24] = "", key_id[17] = "", site[65] = "";
	char *out = NULL;

	tmr_start(&tp->tmr, p->trust == TRUST_FOLLOWING ? FOLLOW_MS : POLL_MS,
		  poll_status, tp);

	/* no provisioning module: nothing to ask about */
	if (ui_command("dpprov_status", &out)) {
		mem_deref(out);
		return;
	}
	(void)ui_json_str(out, "state", state, sizeof(state));

	switch (p->trust) {

	case TRUST_NONE:
	case TRUST_RESULT:
		if (strcmp(state, "asking") ||
		    !ui_json_str(out, "trust_key_id", key_id, sizeof(key_id)))
			break;
		(void)ui_json_str(out, "trust_site", site, sizeof(site));
		info("dpui: asking whether to trust provisioning key %s\n",
		     key_id);
		phone_trust_ask(p, key_id, site);
		break;

	case TRUST_ASKING:
		/* answered by the module itself: time up, stick taken out */
		if (strcmp(state, "asking")) {
			phone_trust_gone(p);
			break;
		}
		/* another stick asks now: the phone shows its key (a yes
		 * names the key shown, so an old picture can never pin a
		 * new key) */
		if (ui_json_str(out, "trust_key_id", key_id, sizeof(key_id))) {
			(void)ui_json_str(out, "trust_site", site,
					  sizeof(site));
			phone_trust_ask(p, key_id, site);
		}
		break;

	case TRUST_FOLLOWING:
		follow(tp, out);
		break;
	}

	mem_deref(out);
}


/* The key that said no, as the module takes it for the result file: a
 * few lower-case letters, digits and '_' ("back", "soft4", "key" for
 * '#'). */
static void key_word(const char *name, char *word, size_t sz)
{
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


int trust_prompt_answer(struct trust_prompt *tp, bool yes, const char *what)
{
	char cmd[80], word[24], *out = NULL;
	uint64_t seq = 0;

	if (yes) {
		re_snprintf(cmd, sizeof(cmd), "dpprov_trust yes %s", what);
	}
	else {
		key_word(what, word, sizeof(word));
		re_snprintf(cmd, sizeof(cmd), "dpprov_trust no %s", word);
	}
	if (ui_command(cmd, &out) || !ui_json_true(out, "ok")) {
		/* the question was gone already (time up) */
		mem_deref(out);
		return ENOENT;
	}
	(void)ui_json_num(out, "seq", &seq);
	mem_deref(out);

	if (yes) {
		tp->seq = seq;
		tmr_start(&tp->tmr, FOLLOW_MS, poll_status, tp);
	}

	return 0;
}


static void destructor(void *arg)
{
	struct trust_prompt *tp = arg;

	tmr_cancel(&tp->tmr);
}


int trust_prompt_alloc(struct trust_prompt **tpp, struct ui *ui)
{
	struct trust_prompt *tp;

	tp = mem_zalloc(sizeof(*tp), destructor);
	if (!tp)
		return ENOMEM;

	tp->ui = ui;
	tmr_init(&tp->tmr);
	tmr_start(&tp->tmr, POLL_MS, poll_status, tp);
	*tpp = tp;

	return 0;
}
