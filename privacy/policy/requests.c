/**
 * @file requests.c  A person's requests: restrict, object, correct; the
 *                   legal hold; the history mark; refusals
 */
#include <errno.h>
#include <inttypes.h>
#include <string.h>
#include <re.h>
#include "contacts.h"
#include "priv.h"


static int writable_state(struct dp_privacy *p)
{
	(void)dp_privacy_reload(p);

	/* an unreadable state file is kept for a look, never replaced by
	 * one that forgot what it said */
	return p->state_err ? EBADMSG : 0;
}


int dp_privacy_restrict(struct dp_privacy *p, bool on,
			const struct dp_clock_sample *s)
{
	struct dp_log_purge how;
	struct dp_log_report logs;
	int err = writable_state(p);

	if (err)
		return err;

	p->state.restricted = on;
	p->state.restricted_since_s = on ? dp_privacy_now(p, s) : 0;
	err = priv_state_save(p);
	if (err)
		return err;

	/* while restricted, no SIP trace is kept: those in the log go now
	 * (the daemon stops tracing) */
	memset(&logs, 0, sizeof(logs));
	if (on) {
		memset(&how, 0, sizeof(how));
		how.cutoff_s = INT64_MIN;
		how.drop_traces = true;
		err = dp_logs_purge(p->log_dir, &how, &logs);
	}

	(void)priv_audit(p, s, "restrict", "\"on\":%s,\"sip_traces\":%"
			 PRIu64, on ? "true" : "false", logs.traces_removed);

	return err;
}


int dp_privacy_hold(struct dp_privacy *p, bool on, const char *reason,
		    const struct dp_clock_sample *s)
{
	int err = writable_state(p);

	if (err)
		return err;

	p->state.legal_hold = on;
	p->state.hold_since_s = on ? dp_privacy_now(p, s) : 0;
	str_ncpy(p->state.hold_reason, on && reason ? reason : "",
		 sizeof(p->state.hold_reason));
	err = priv_state_save(p);
	if (!err)
		(void)priv_audit(p, s, "legal_hold", "\"on\":%s",
				 on ? "true" : "false");

	return err;
}


struct strip {
	const struct dp_privacy_state *one;
	uint64_t seqs[256];
	size_t n;
};


static int find_party(const struct cdr_record *rec, void *arg)
{
	struct strip *x = arg;

	if (!rec->personal_erased &&
	    !dp_privacy_keep_personal(x->one, rec->remote_uri) &&
	    x->n < sizeof(x->seqs) / sizeof(x->seqs[0]))
		x->seqs[x->n++] = rec->seq;

	return 0;
}


/* The stored calls with a newly objected party lose their personal
 * fields too. */
static int strip_party(struct dp_privacy *p, const char *value,
		       uint64_t *n)
{
	struct dp_privacy_state one;
	struct cdr_store_params prm = { .path = p->store, .secret = p->secret,
					.readonly = true };
	struct dp_record_fix fix = { .strip_personal = true };
	struct cdr_store *st = NULL;
	struct strip x;
	int err;

	*n = 0;
	if (!p->store)
		return 0;

	memset(&one, 0, sizeof(one));
	one.nobjections = 1;
	str_ncpy(one.objections[0], value, sizeof(one.objections[0]));
	memset(&x, 0, sizeof(x));
	x.one = &one;

	err = cdr_store_open(&st, &prm);
	if (err == ENOENT)
		return 0;
	if (!err)
		err = cdr_store_foreach(st, find_party, &x, NULL);
	cdr_store_close(st);

	for (size_t i = 0; !err && i < x.n; i++) {
		err = p->ops->correct(p->ops_arg, x.seqs[i], &fix, NULL);
		if (!err)
			(*n)++;
	}

	return err;
}


int dp_privacy_object(struct dp_privacy *p, bool add, const char *value,
		      const struct dp_clock_sample *s)
{
	char norm[DP_OBJECTION_LEN];
	struct dp_privacy_state *st = &p->state;
	struct dp_log_purge how;
	struct dp_log_report logs;
	uint64_t records = 0;
	size_t i;
	int err;

	err = dp_objection_normalise(value, norm, sizeof(norm));
	if (err)
		return err;
	err = writable_state(p);
	if (err)
		return err;

	for (i = 0; i < st->nobjections; i++) {
		if (!strcmp(st->objections[i], norm))
			break;
	}

	if (add) {
		if (i < st->nobjections)
			return EEXIST;
		if (st->nobjections >= DP_OBJECTIONS_MAX)
			return ENOSPC;
		str_ncpy(st->objections[st->nobjections++], norm,
			 DP_OBJECTION_LEN);
	}
	else {
		if (i >= st->nobjections)
			return ENOENT;
		memmove(st->objections[i], st->objections[i + 1],
			(st->nobjections - i - 1) * DP_OBJECTION_LEN);
		st->nobjections--;
	}

	err = priv_state_save(p);
	if (err)
		return err;

	memset(&logs, 0, sizeof(logs));
	if (add) {
		/* nothing about the party is kept from now on, and what
		 * was kept goes now */
		memset(&how, 0, sizeof(how));
		how.cutoff_s = INT64_MIN;
		how.objections = st;
		err = dp_logs_purge(p->log_dir, &how, &logs);
		if (!err)
			err = strip_party(p, norm, &records);
	}

	(void)priv_audit(p, s, add ? "object_add" : "object_remove",
			 "\"entries\":%zu,\"call_records\":%" PRIu64
			 ",\"log_lines\":%" PRIu64, st->nobjections, records,
			 logs.lines_removed);

	return err;
}


int dp_privacy_history_clear(struct dp_privacy *p,
			     const struct dp_clock_sample *s)
{
	struct cdr_store_params prm = { .path = p->store, .secret = p->secret,
					.readonly = true };
	struct cdr_store *st = NULL;
	struct cdr_store_info info;
	uint64_t last = 0;
	int err = writable_state(p);

	if (err)
		return err;

	if (p->store) {
		err = cdr_store_open(&st, &prm);
		if (!err)
			err = cdr_store_info(st, &info);
		if (!err)
			last = info.last_seq;
		cdr_store_close(st);
		if (err == ENOENT)
			err = 0;
		if (err)
			return err;
	}

	p->state.history_cleared_seq = last;
	err = priv_state_save(p);
	if (!err)
		(void)priv_audit(p, s, "history_clear", "\"up_to_record\":%"
				 PRIu64, last);

	return err;
}


int dp_privacy_correct_record(struct dp_privacy *p, uint64_t seq,
			      const struct dp_record_fix *fix,
			      const struct dp_clock_sample *s,
			      uint64_t *now_seq)
{
	const char *action = fix->delete_record ? "delete" :
		fix->strip_personal ? "strip" : "fix";
	int err;

	(void)dp_privacy_reload(p);
	if (p->state.legal_hold) {
		(void)priv_audit(p, s, "correct_refused", "\"what\":\"record\","
				 "\"reason\":\"legal_hold\"");
		return EPERM;
	}

	err = p->ops->correct(p->ops_arg, seq, fix, now_seq);
	if (!err && !p->state_err)
		err = priv_state_save(p);    /* what is shown changed */
	(void)priv_audit(p, s, err ? "correct_failed" : "correct",
			 "\"what\":\"record\",\"action\":\"%s\",\"record\":%"
			 PRIu64, action, seq);

	return err;
}


int dp_privacy_correct_contact(struct dp_privacy *p, const char *name,
			       const char *new_name, const char *new_uri,
			       const struct dp_clock_sample *s)
{
	unsigned n = 0;
	int err;

	(void)dp_privacy_reload(p);
	if (p->state.legal_hold) {
		(void)priv_audit(p, s, "correct_refused", "\"what\":"
				 "\"contact\",\"reason\":\"legal_hold\"");
		return EPERM;
	}
	if (!p->contacts_file)
		return ENOENT;

	err = dp_contacts_correct(p->contacts_file, name, new_name, new_uri,
				  &n);
	if (!err && !p->state_err)
		err = priv_state_save(p);
	(void)priv_audit(p, s, err ? "correct_failed" : "correct",
			 "\"what\":\"contact\",\"action\":\"%s\",\"count\":%u",
			 new_name || new_uri ? "fix" : "delete", n);

	return err;
}


int dp_privacy_screen_logs(struct dp_privacy *p,
			   const struct dp_clock_sample *s)
{
	struct dp_log_purge how;
	struct dp_log_report logs;
	int err;

	(void)dp_privacy_reload(p);
	if (!p->state.nobjections)
		return 0;

	memset(&how, 0, sizeof(how));
	how.cutoff_s = INT64_MIN;
	how.objections = &p->state;
	err = dp_logs_purge(p->log_dir, &how, &logs);
	if (logs.lines_removed)
		(void)priv_audit(p, s, "object_screen", "\"log_lines\":%"
				 PRIu64, logs.lines_removed);

	return err;
}


int dp_privacy_refused(struct dp_privacy *p, const char *what,
		       const struct dp_clock_sample *s)
{
	char w[48];

	/* `what` is ours, a word: keep it one */
	str_ncpy(w, what ? what : "?", sizeof(w));
	for (char *c = w; *c; c++) {
		if (!((*c >= 'a' && *c <= 'z') || *c == '_'))
			*c = '_';
	}

	return priv_audit(p, s, "access_refused", "\"what\":\"%s\","
			  "\"reason\":\"restricted\"", w);
}
