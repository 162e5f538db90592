/**
 * @file purge.c  Scheduled purge and erasure
 */
#include <errno.h>
#include <inttypes.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <re.h>
#include "contacts.h"
#include "priv.h"

#define DAY_S 86400LL


/* The contacts file, removed when older than `cutoff_s` (or always,
 * with INT64_MAX) and when this process may remove it: a directory
 * shipped read-only with the firmware image is not a cache. */
static int purge_contacts(const char *path, int64_t cutoff_s, uint64_t *n)
{
	struct stat st;
	size_t count = 0;

	*n = 0;
	if (!path || stat(path, &st))
		return 0;
	if ((int64_t)st.st_mtime >= cutoff_s || !priv_removable(path))
		return 0;

	(void)dp_contacts_foreach(path, NULL, NULL, &count);
	if (unlink(path))
		return errno;
	*n = count;

	return 0;
}


static void first_error(int *err, int e)
{
	if (!*err)
		*err = e;
}


int dp_privacy_purge(struct dp_privacy *p, const struct dp_clock_sample *s,
		     struct dp_purge_report *r)
{
	const struct dp_policy *pol = &p->policy;
	struct dp_log_purge how;
	char t[32];
	int64_t T;
	int err = 0;

	memset(r, 0, sizeof(*r));
	(void)dp_privacy_reload(p);

	r->clock = dp_clock_advance(&p->clock, s, pol);
	r->trusted_s = T = p->clock.trusted_s;
	first_error(&err, dp_clock_save(&p->clock, p->clock_path));

	for (int i = 0; i < DP_CLASS_COUNT; i++)
		r->cutoff_s[i] = T - (int64_t)pol->cls[i].days * DAY_S;

	if (p->state.legal_hold) {
		r->held = true;
		(void)priv_audit(p, s, "purge_held", "\"trusted_time\":\"%s\","
				 "\"clock\":\"%s\",\"erased\":0",
				 priv_iso(T, t, sizeof(t)),
				 dp_clock_verdict_name(r->clock));
		return err;
	}

	/* call records: whole ones dropped, personal parts shredded */
	r->err[DP_CLASS_CALL_RECORDS] = p->ops->shred(p->ops_arg,
		r->cutoff_s[DP_CLASS_CALL_RECORD_PERSONAL],
		r->cutoff_s[DP_CLASS_CALL_RECORDS] * 1000, &r->store);
	r->err[DP_CLASS_CALL_RECORD_PERSONAL] =
		r->err[DP_CLASS_CALL_RECORDS];
	r->removed[DP_CLASS_CALL_RECORDS] = r->store.records_dropped;
	r->removed[DP_CLASS_CALL_RECORD_PERSONAL] =
		r->store.personal_stripped;

	/* logs and traces: by age; traces while restricted; whatever
	 * names an objected party */
	memset(&how, 0, sizeof(how));
	how.cutoff_s = r->cutoff_s[DP_CLASS_SIP_TRACES_AND_LOGS];
	how.drop_traces = p->state.restricted;
	how.objections = p->state.nobjections ? &p->state : NULL;
	r->err[DP_CLASS_SIP_TRACES_AND_LOGS] =
		dp_logs_purge(p->log_dir, &how, &r->logs);
	r->removed[DP_CLASS_SIP_TRACES_AND_LOGS] = r->logs.lines_removed;

	r->err[DP_CLASS_CONTACTS_CACHE] = purge_contacts(p->contacts_file,
		r->cutoff_s[DP_CLASS_CONTACTS_CACHE],
		&r->removed[DP_CLASS_CONTACTS_CACHE]);
	r->err[DP_CLASS_RECORDINGS_VOICEMAIL] = priv_purge_dir(
		p->recordings_dir, r->cutoff_s[DP_CLASS_RECORDINGS_VOICEMAIL],
		&r->removed[DP_CLASS_RECORDINGS_VOICEMAIL]);
	r->err[DP_CLASS_PUSH_REGISTRATION] = priv_purge_dir(p->push_dir,
		r->cutoff_s[DP_CLASS_PUSH_REGISTRATION],
		&r->removed[DP_CLASS_PUSH_REGISTRATION]);

	/* the call history is a view of the call records: it needs no
	 * purge of its own, only its retention when shown */

	for (int i = 0; i < DP_CLASS_COUNT; i++)
		first_error(&err, r->err[i]);

	if (!p->state_err) {
		p->state.last_purge_s = T;
		first_error(&err, priv_state_save(p));
	}

	(void)priv_audit(p, s, "purge", "\"trusted_time\":\"%s\",\"clock\":"
			 "\"%s\",\"call_records\":%" PRIu64 ",\"personal_"
			 "fields\":%" PRIu64 ",\"epoch_keys\":%u,\"log_lines\":"
			 "%" PRIu64 ",\"sip_traces\":%" PRIu64 ",\"contacts\":"
			 "%" PRIu64 ",\"recordings\":%" PRIu64 ",\"push\":%"
			 PRIu64 ",\"errors\":%u", priv_iso(T, t, sizeof(t)),
			 dp_clock_verdict_name(r->clock),
			 r->removed[DP_CLASS_CALL_RECORDS],
			 r->removed[DP_CLASS_CALL_RECORD_PERSONAL],
			 r->store.keys_destroyed,
			 r->removed[DP_CLASS_SIP_TRACES_AND_LOGS],
			 r->logs.traces_removed,
			 r->removed[DP_CLASS_CONTACTS_CACHE],
			 r->removed[DP_CLASS_RECORDINGS_VOICEMAIL],
			 r->removed[DP_CLASS_PUSH_REGISTRATION],
			 (unsigned)(err != 0));

	return err;
}


int dp_privacy_erase(struct dp_privacy *p, const struct dp_clock_sample *s,
		     struct dp_erase_report *r)
{
	struct dp_log_purge how;
	struct dp_log_report logs;
	uint64_t n;
	int err = 0, e;

	memset(r, 0, sizeof(*r));
	(void)dp_privacy_reload(p);

	if (p->state.legal_hold) {
		(void)priv_audit(p, s, "erase_refused",
				 "\"reason\":\"legal_hold\"");
		return EPERM;
	}

	e = p->ops->erase(p->ops_arg, &r->records);
	first_error(&err, e);

	memset(&how, 0, sizeof(how));
	how.everything = true;
	e = dp_logs_purge(p->log_dir, &how, &logs);
	r->log_lines = logs.lines_removed;
	first_error(&err, e);

	e = purge_contacts(p->contacts_file, INT64_MAX, &r->contacts);
	first_error(&err, e);

	e = priv_purge_dir(p->recordings_dir, INT64_MAX, &n);
	r->files += n;
	first_error(&err, e);
	e = priv_purge_dir(p->push_dir, INT64_MAX, &n);
	r->files += n;
	first_error(&err, e);

	if (!p->state_err) {
		p->state.history_cleared_seq = 0;
		first_error(&err, priv_state_save(p));
	}

	(void)priv_audit(p, s, "erase", "\"call_records\":%" PRIu64
			 ",\"log_lines\":%" PRIu64 ",\"contacts\":%" PRIu64
			 ",\"files\":%" PRIu64 ",\"errors\":%u", r->records,
			 r->log_lines, r->contacts, r->files,
			 (unsigned)(err != 0));

	return err;
}
