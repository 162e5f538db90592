/**
 * @file commands.c  dpprivacy: the person's requests as baresip commands,
 *                   for `deskphone privacy` and tests (through the
 *                   control socket); the UI calls the same functions
 *                   through the application core (requests.c)
 *
 *   dpprivacy_status [brief]         what is held per class, counts only
 *   dpprivacy_purge                  purge now
 *   dpprivacy_erase                  erase everything personal
 *   dpprivacy_restrict on|off
 *   dpprivacy_hold on|off [REASON]   legal hold
 *   dpprivacy_object add|remove NUMBER-OR-URI
 *   dpprivacy_history_clear          the LCD's call list starts afresh
 *   dpprivacy_correct JSON           {"record":N,"delete":true} |
 *                                    {"record":N,"remote_name":"..",
 *                                     "remote_uri":".."} |
 *                                    {"contact":"Name","delete":true} |
 *                                    {"contact":"Name","name":"..",
 *                                     "uri":".."}
 *   dpprivacy_view                   what the LCD's history may show
 *   dpprivacy_refused WHAT           a display refused (audited, at most
 *                                    once a minute per kind)
 *
 * Each answers one JSON object, {"ok":true,...} or {"ok":false,
 * "errno":N,"error":"..."}.  The control socket is local; the answers
 * carry counts, never stored data.
 */
#include <errno.h>
#include <inttypes.h>
#include <string.h>
#include <cjson/cJSON.h>
#include "privacy.h"


static int fail(struct re_printf *pf, int err)
{
	return re_hprintf(pf, "{\"ok\":false,\"errno\":%d,\"error\":\"%m\"}",
			  err, err);
}


/* {"ok":true}, after a change the listeners heard of already */
static int answer(struct re_printf *pf, int err)
{
	return err ? fail(pf, err) : re_hprintf(pf, "{\"ok\":true}");
}


static int done(struct re_printf *pf, int err)
{
	if (!err)
		pm_changed();

	return answer(pf, err);
}


static int sample(struct re_printf *pf, struct dp_clock_sample *s)
{
	int err = pm_sample(s);

	if (err)
		(void)fail(pf, err);

	return err;
}


static int cmd_status(struct re_printf *pf, void *arg)
{
	const struct cmd_arg *carg = arg;
	struct dp_clock_sample s;
	struct mbuf *mb;
	int err;

	if (sample(pf, &s))
		return 0;
	mb = mbuf_alloc(2048);
	if (!mb)
		return fail(pf, ENOMEM);
	err = dp_privacy_status(pm.p, &s, carg->prm &&
				!strcmp(carg->prm, "brief"), mb);
	if (!err)
		err = re_hprintf(pf, "%b", mb->buf, mb->end);
	else
		err = fail(pf, err);
	mem_deref(mb);

	return err;
}


static int cmd_purge(struct re_printf *pf, void *arg)
{
	struct dp_purge_report r;
	char t[32];
	int err;

	(void)arg;
	err = pm_purge(&r);
	if (err)
		return fail(pf, err);

	(void)dp_iso_time(r.trusted_s, t, sizeof(t));

	return re_hprintf(pf, "{\"ok\":true,\"held\":%s,\"trusted_time\":"
			  "\"%s\",\"clock\":\"%s\",\"call_records\":%" PRIu64
			  ",\"personal_fields\":%" PRIu64 ",\"log_lines\":%"
			  PRIu64 ",\"contacts\":%" PRIu64 ",\"recordings\":%"
			  PRIu64 ",\"push\":%" PRIu64 "}",
			  r.held ? "true" : "false", t,
			  dp_clock_verdict_name(r.clock),
			  r.removed[DP_CLASS_CALL_RECORDS],
			  r.removed[DP_CLASS_CALL_RECORD_PERSONAL],
			  r.removed[DP_CLASS_SIP_TRACES_AND_LOGS],
			  r.removed[DP_CLASS_CONTACTS_CACHE],
			  r.removed[DP_CLASS_RECORDINGS_VOICEMAIL],
			  r.removed[DP_CLASS_PUSH_REGISTRATION]);
}


static int cmd_erase(struct re_printf *pf, void *arg)
{
	struct dp_erase_report r;
	int err;

	(void)arg;
	err = pm_erase(&r);
	if (err)
		return fail(pf, err);

	return re_hprintf(pf, "{\"ok\":true,\"call_records\":%" PRIu64
			  ",\"log_lines\":%" PRIu64 ",\"contacts\":%" PRIu64
			  ",\"files\":%" PRIu64 "}", r.records, r.log_lines,
			  r.contacts, r.files);
}


/* "on" / "off" at the start of the parameter; the rest in *rest */
static int on_off(const char *prm, bool *on, const char **rest)
{
	if (!prm)
		return EINVAL;
	if (!strncmp(prm, "on", 2) && (!prm[2] || prm[2] == ' '))
		*on = true;
	else if (!strncmp(prm, "off", 3) && (!prm[3] || prm[3] == ' '))
		*on = false;
	else
		return EINVAL;
	if (rest) {
		*rest = prm + (*on ? 2 : 3);
		while (**rest == ' ')
			(*rest)++;
	}

	return 0;
}


static int cmd_restrict(struct re_printf *pf, void *arg)
{
	const struct cmd_arg *carg = arg;
	bool on;

	if (on_off(carg->prm, &on, NULL))
		return fail(pf, EINVAL);

	return answer(pf, pm_restrict(on));
}


static int cmd_hold(struct re_printf *pf, void *arg)
{
	const struct cmd_arg *carg = arg;
	struct dp_clock_sample s;
	const char *reason = NULL;
	bool on;

	if (on_off(carg->prm, &on, &reason))
		return fail(pf, EINVAL);
	if (sample(pf, &s))
		return 0;

	return done(pf, dp_privacy_hold(pm.p, on, reason, &s));
}


static int cmd_object(struct re_printf *pf, void *arg)
{
	const struct cmd_arg *carg = arg;
	struct dp_clock_sample s;
	const char *prm = carg->prm ? carg->prm : "";
	bool add;

	if (!strncmp(prm, "add ", 4))
		add = true;
	else if (!strncmp(prm, "remove ", 7))
		add = false;
	else
		return fail(pf, EINVAL);
	if (sample(pf, &s))
		return 0;

	return done(pf, dp_privacy_object(pm.p, add, prm + (add ? 4 : 7),
					  &s));
}


static int cmd_history_clear(struct re_printf *pf, void *arg)
{
	(void)arg;

	return answer(pf, pm_history_clear());
}


static const char *str_of(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItem(o, key);

	return cJSON_IsString(v) ? v->valuestring : NULL;
}


static int cmd_correct(struct re_printf *pf, void *arg)
{
	const struct cmd_arg *carg = arg;
	struct dp_clock_sample s;
	const cJSON *rec;
	cJSON *o;
	int err;

	o = carg->prm ? cJSON_Parse(carg->prm) : NULL;
	if (!cJSON_IsObject(o)) {
		cJSON_Delete(o);
		return fail(pf, EINVAL);
	}
	if (sample(pf, &s)) {
		cJSON_Delete(o);
		return 0;
	}

	rec = cJSON_GetObjectItem(o, "record");
	if (cJSON_IsNumber(rec) && rec->valuedouble >= 1) {
		struct dp_record_fix fix = {
			.delete_record = cJSON_IsTrue(
				cJSON_GetObjectItem(o, "delete")),
			.remote_uri = str_of(o, "remote_uri"),
			.remote_name = str_of(o, "remote_name"),
		};

		uint64_t now_seq = 0;

		err = dp_privacy_correct_record(pm.p,
						(uint64_t)rec->valuedouble,
						&fix, &s, &now_seq);
		cJSON_Delete(o);
		if (!err)
			pm_changed();

		return err ? fail(pf, err) : re_hprintf(pf, "{\"ok\":true,"
							"\"record\":%" PRIu64
							"}", now_seq);
	}
	else if (str_of(o, "contact")) {
		bool del = cJSON_IsTrue(cJSON_GetObjectItem(o, "delete"));

		err = dp_privacy_correct_contact(pm.p, str_of(o, "contact"),
						 del ? NULL : str_of(o, "name"),
						 del ? NULL : str_of(o, "uri"),
						 &s);
	}
	else {
		err = EINVAL;
	}
	cJSON_Delete(o);

	return done(pf, err);
}


static int cmd_view(struct re_printf *pf, void *arg)
{
	struct dp_history_view v;
	int err;

	(void)arg;
	err = pm_history_view(&v);
	if (err)
		return fail(pf, err);

	return re_hprintf(pf, "{\"ok\":true,\"restricted\":%s,\"cutoff_ms\":"
			  "%lld,\"cleared_seq\":%" PRIu64 ",\"generation\":%u}",
			  v.restricted ? "true" : "false",
			  (long long)v.cutoff_ms, v.cleared_seq, v.generation);
}


static int cmd_refused(struct re_printf *pf, void *arg)
{
	const struct cmd_arg *carg = arg;

	return answer(pf, pm_refused(carg->prm));
}


static const struct cmd cmds[] = {
	{ "dpprivacy_status", 0, CMD_PRM, "Privacy: what is held, per class"
	  " [brief]", cmd_status },
	{ "dpprivacy_purge", 0, 0, "Privacy: purge now", cmd_purge },
	{ "dpprivacy_erase", 0, 0, "Privacy: erase everything personal",
	  cmd_erase },
	{ "dpprivacy_restrict", 0, CMD_PRM, "Privacy: restrict on|off",
	  cmd_restrict },
	{ "dpprivacy_hold", 0, CMD_PRM, "Privacy: legal hold on|off [why]",
	  cmd_hold },
	{ "dpprivacy_object", 0, CMD_PRM, "Privacy: object add|remove VALUE",
	  cmd_object },
	{ "dpprivacy_history_clear", 0, 0, "Privacy: clear the call list",
	  cmd_history_clear },
	{ "dpprivacy_correct", 0, CMD_PRM, "Privacy: correct a record or"
	  " contact (JSON)", cmd_correct },
	{ "dpprivacy_view", 0, 0, "Privacy: what the display may show",
	  cmd_view },
	{ "dpprivacy_refused", 0, CMD_PRM, "Privacy: a display refused",
	  cmd_refused },
};


int pm_commands_register(void)
{
	return cmd_register(baresip_commands(), cmds,
			    sizeof(cmds) / sizeof(cmds[0]));
}


void pm_commands_unregister(void)
{
	cmd_unregister(baresip_commands(), cmds);
}
