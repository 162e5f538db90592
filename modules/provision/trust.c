/**
 * @file trust.c  A stick asks to be trusted on first use: a person at the
 *                phone answers
 *
 * A phone that trusts no key yet refuses such a stick and says that a
 * person must confirm its key (provision/trust.c).  Here the
 * question stays open: the status says `asking`, with the key id and the
 * site, and the UI shows them.  `dpprov_trust yes KEYID` applies the same
 * stick again with that key confirmed (only that key, only that
 * manifest); `dpprov_trust no`, the time running out
 * (provision_trust_timeout_s) or the stick taken out refuse it, and the
 * refusal goes onto the stick's result file like any other.  While the
 * question is open no other job starts.
 */
#include <string.h>
#include "base/json.h"
#include "dpprov.h"

enum { CHECK_MS = 250 };


static bool same_file(const struct stat *a, const struct stat *b)
{
	return a->st_dev == b->st_dev && a->st_ino == b->st_ino &&
		a->st_size == b->st_size &&
		a->st_mtim.tv_sec == b->st_mtim.tv_sec &&
		a->st_mtim.tv_nsec == b->st_mtim.tv_nsec;
}


static int manifest_stat(const char *root, struct stat *st)
{
	char path[700];

	re_snprintf(path, sizeof(path), "%s/%s/manifest.json", root,
		    PROV_FOLDER);

	return lstat(path, st) < 0 ? errno : 0;
}


static void ask_end(struct dpprov *p)
{
	p->ask.active = false;
	tmr_cancel(&p->ask.tmr);
}


/* The stick went away while asking: nothing to apply, nothing to write
 * a result onto. */
static void stick_gone(struct dpprov *p)
{
	struct prov_outcome *o = &p->last;

	warning("dpprov: key %s not trusted: the stick was taken out before"
		" anyone answered\n", p->ask.key_id);
	ask_end(p);

	o->result = PROV_REFUSED;
	o->trust_asked = false;
	re_snprintf(o->reason, sizeof(o->reason), "the stick asks to be"
		    " trusted on first use (key %s); not confirmed at the"
		    " phone: the stick was taken out", p->ask.key_id);
	o->result_written = false;
	str_ncpy(o->result_note, "the stick was taken out",
		 sizeof(o->result_note));
	p->state = DPPROV_FINISHED;
	p->step_what = prov_result_name(o->result);
	warning("dpprov: provisioning refused: %s\n", o->reason);
	dpprov_changed(p);
}


static void ask_tick(void *arg)
{
	struct dpprov *p = arg;
	struct stat st;
	char why[64];

	if (!p->ask.active || p->shutting_down)
		return;

	if (manifest_stat(p->ask.root, &st) ||
	    !same_file(&st, &p->ask.manifest)) {
		stick_gone(p);
		return;
	}

	if (tmr_jiffies() >= p->ask.deadline) {
		re_snprintf(why, sizeof(why), "nobody answered within %u s",
			    p->set.trust_timeout_s);
		(void)dpprov_ask_answer(p, false, NULL, why);
		return;
	}

	tmr_start(&p->ask.tmr, CHECK_MS, ask_tick, p);
}


void dpprov_ask_start(struct dpprov *p, const struct dpprov_job *job)
{
	struct dpprov_ask *ask = &p->ask;

	str_ncpy(ask->root, job->root, sizeof(ask->root));
	str_ncpy(ask->key_id, job->out.key_id, sizeof(ask->key_id));
	str_ncpy(ask->site, job->out.site, sizeof(ask->site));
	str_ncpy(ask->manifest_sha256, job->out.manifest_sha256,
		 sizeof(ask->manifest_sha256));

	if (manifest_stat(ask->root, &ask->manifest)) {
		/* gone already: as if it was taken out while asking */
		ask->active = true;
		stick_gone(p);
		return;
	}

	ask->active = true;
	ask->deadline = tmr_jiffies() + (uint64_t)p->set.trust_timeout_s * 1000;
	p->state = DPPROV_ASKING;
	p->step_what = "waiting for a person at the phone to trust the"
		" stick's key";

	info("dpprov: the stick asks to be trusted on first use: key %s,"
	     " site \"%s\"; asking at the phone (%u s)\n", ask->key_id,
	     ask->site, p->set.trust_timeout_s);

	tmr_start(&ask->tmr, CHECK_MS, ask_tick, p);
}


int dpprov_ask_answer(struct dpprov *p, bool yes, const char *key_id,
		      const char *why)
{
	struct prov_trust_answer ans;
	char root[sizeof(p->ask.root)];
	int err;

	if (!p->ask.active)
		return ENOENT;

	/* a yes is for the key the person saw, nothing else */
	if (yes && (!key_id || strcmp(key_id, p->ask.key_id)))
		return EINVAL;

	memset(&ans, 0, sizeof(ans));
	if (yes) {
		ans.confirm = PROV_CONFIRM_YES;
		str_ncpy(ans.key_id, p->ask.key_id, sizeof(ans.key_id));
		str_ncpy(ans.manifest_sha256, p->ask.manifest_sha256,
			 sizeof(ans.manifest_sha256));
		info("dpprov: key %s (site \"%s\") confirmed at the phone\n",
		     p->ask.key_id, p->ask.site);
	}
	else {
		ans.confirm = PROV_CONFIRM_NO;
		str_ncpy(ans.why, why && *why ? why : "refused",
			 sizeof(ans.why));
		warning("dpprov: key %s (site \"%s\") not trusted: %s\n",
			p->ask.key_id, p->ask.site, ans.why);
	}

	str_ncpy(root, p->ask.root, sizeof(root));
	ask_end(p);

	/* the same stick again, with the answer: applied and pinned, or
	 * refused with the refusal on the stick */
	err = dpprov_job_answer(p, root, &ans);
	if (err) {
		p->state = DPPROV_FINISHED;
		p->last.result = PROV_REFUSED;
		p->last.trust_asked = false;
		re_snprintf(p->last.reason, sizeof(p->last.reason),
			    "cannot start applying the stick (%m)", err);
		warning("dpprov: provisioning refused: %s\n", p->last.reason);
		dpprov_changed(p);
	}

	return 0;
}


void dpprov_ask_close(struct dpprov *p)
{
	ask_end(p);
}


/* The question, for the status: after its other members. */
int dpprov_ask_status(struct re_printf *pf, const struct dpprov *p)
{
	uint64_t now = tmr_jiffies();

	if (!p->ask.active)
		return 0;

	return re_hprintf(pf, "\"trust_key_id\":\"%s\",\"trust_site\":%H,"
			  "\"trust_seconds_left\":%llu,",
			  p->ask.key_id, dp_json_str, p->ask.site,
			  (unsigned long long)(p->ask.deadline > now ?
					       (p->ask.deadline - now + 999) /
					       1000 : 0));
}
