/**
 * @file trust_prompt.c  "Trust this stick?": the provisioning module's
 *                       question and the answer, between it and the phone
 *
 * The provisioning module refuses to pin a new key unless a person at
 * the phone says yes (docs/provisioning.md#trust).  Its state says
 * asking, with the key id and the site; the application core pushes that
 * here (trust_prompt_report(), a DPAPP_PROV_JOB event), and this file
 * tells the phone (phone_trust_ask), which shows the question over
 * whatever screen is up, except a call, and decides what the keys say
 * (phone.c).  The answer comes back here (trust_prompt_answer) and goes
 * to the module with dpapp_prov_trust(): yes for the key shown only, or
 * no with the key that said it.  No answer within the module's timeout,
 * or the stick taken out, is a no as well; the module decides that
 * (phone_trust_gone).  After a yes, the apply is followed to its end
 * (phone_trust_progress).
 */
#include <string.h>
#include "modules/app/app.h"
#include "ui.h"

struct trust_prompt {
	struct ui *ui;
	uint64_t job;          /* the apply a yes started */
};


static void follow(struct trust_prompt *tp,
		   const struct dpapp_prov_report *r)
{
	bool ended = r->state == DPAPP_PROV_APPLIED ||
		r->state == DPAPP_PROV_UNCHANGED ||
		r->state == DPAPP_PROV_REFUSED;
	char first[32];

	if (r->job < tp->job || !ended) {
		phone_trust_progress(tp->ui->phone, false, r->step, NULL);
		return;
	}

	if (r->state == DPAPP_PROV_APPLIED)
		re_snprintf(first, sizeof(first), "Provisioned v%llu",
			    (unsigned long long)r->version);
	else
		str_ncpy(first, r->state == DPAPP_PROV_UNCHANGED ?
			 "Unchanged" : "Refused:", sizeof(first));
	phone_trust_progress(tp->ui->phone, true, first, r->reason);
}


void trust_prompt_report(struct trust_prompt *tp,
			 const struct dpapp_prov_report *r)
{
	bool asking = r->state == DPAPP_PROV_ASKING && r->key_id;
	struct phone *p;

	if (!tp)
		return;
	p = tp->ui->phone;

	switch (p->trust) {

	case TRUST_NONE:
	case TRUST_RESULT:
		if (!asking)
			break;
		info("dpui: asking whether to trust provisioning key %s\n",
		     r->key_id);
		phone_trust_ask(p, r->key_id, r->site);
		break;

	case TRUST_ASKING:
		/* answered by the module itself: time up, stick taken out */
		if (!asking) {
			phone_trust_gone(p);
			break;
		}
		/* another stick asks now: the phone shows its key (a yes
		 * names the key shown, so an old picture can never pin a
		 * new key) */
		phone_trust_ask(p, r->key_id, r->site);
		break;

	case TRUST_FOLLOWING:
		follow(tp, r);
		break;
	}
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
	char word[24] = "";
	uint64_t job = 0;
	int err;

	if (!yes)
		key_word(what, word, sizeof(word));

	/* the news of the apply a yes starts comes while it starts: the
	 * phone is following already, and takes any job's news until
	 * this one's number is known */
	tp->job = 0;
	err = dpapp_prov_trust(yes, yes ? what : NULL, word, &job);
	if (err)
		return ENOENT;   /* the question was gone already */
	if (yes)
		tp->job = job;

	return 0;
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
