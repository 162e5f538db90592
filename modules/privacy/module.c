/**
 * @file module.c  dpprivacy: the privacy policy at work in the daemon
 *
 * Loaded as a module_app after dpcdr.  It purges at start and every
 * purge interval (each class past its retention, on the trusted clock;
 * nothing under legal hold), keeps baresip's SIP trace off while
 * processing is restricted, clears the logs of an objected party after
 * a call with them, and takes the person's requests: typed calls through
 * the application core (requests.c, modules/app) for the LCD menu,
 * commands (commands.c) for the command line.  The call-record store is
 * written by the CDR module, reached through the application core.  What
 * may be shown changed: an event to the core's listeners (the UI).
 *
 * Config keys (baresip `config`, rendered by `deskphone run`):
 *   dpprivacy_dir            state and trusted clock (privacy_dir)
 *   dpprivacy_policy         the policy file; dpprivacy_retention_<class>_
 *                            days, dpprivacy_purge_interval_s and
 *                            dpprivacy_clock_* override it
 *   device_secret_file       the device secret file
 *   dpprivacy_audit_log      the audit log
 *   cdr_store_path           the call-record store (read here)
 *   dpprivacy_log_dir, contacts_file, dpprivacy_recordings_dir,
 *   dpprivacy_push_dir       the other classes' places
 *   dpprivacy_config_dir     the shipped configuration (a contacts file
 *                            there is the firmware's, not a cache)
 *   dpprivacy_sip_trace      yes when the daemon was started with a trace
 *   dpprivacy_test_clock     test hook: the clock comes from this file
 *
 * Nothing personal is logged: counts and class names only.
 */
#include <errno.h>
#include <inttypes.h>
#include <string.h>
#include "modules/app/app.h"
#include "privacy.h"

struct privacy_module pm;


static const char *conf_path(const char *key, char *buf, size_t sz)
{
	if (conf_get_str(conf_cur(), key, buf, sz) || !buf[0])
		return NULL;

	return buf;
}


int pm_sample(struct dp_clock_sample *s)
{
	return dp_privacy_sample(pm.p, s);
}


static void apply_trace(void)
{
	bool want = pm.sip_trace && !dp_privacy_state(pm.p)->restricted;

	if (want == pm.tracing)
		return;

	uag_enable_sip_trace(want);
	pm.tracing = want;
	info("dpprivacy: SIP trace %s\n", want ? "on again" :
	     "off: processing is restricted");
}


void pm_changed(void)
{
	apply_trace();

	/* the UI lists what may be shown */
	dpapp_send(DPAPP_PRIVACY_CHANGED, NULL);
}


int pm_purge(struct dp_purge_report *r)
{
	struct dp_clock_sample s;
	int err;

	memset(r, 0, sizeof(*r));
	err = pm_sample(&s);
	if (!err)
		err = dp_privacy_purge(pm.p, &s, r);
	pm.purges++;
	pm.last_err = err;

	if (r->held)
		info("dpprivacy: legal hold: nothing purged\n");
	else
		info("dpprivacy: purge (clock %s): %" PRIu64 " call records,"
		     " %" PRIu64 " personal fields, %" PRIu64 " log lines,"
		     " %" PRIu64 " contacts, %" PRIu64 " recordings, %" PRIu64
		     " push registrations\n", dp_clock_verdict_name(r->clock),
		     r->removed[DP_CLASS_CALL_RECORDS],
		     r->removed[DP_CLASS_CALL_RECORD_PERSONAL],
		     r->removed[DP_CLASS_SIP_TRACES_AND_LOGS],
		     r->removed[DP_CLASS_CONTACTS_CACHE],
		     r->removed[DP_CLASS_RECORDINGS_VOICEMAIL],
		     r->removed[DP_CLASS_PUSH_REGISTRATION]);

	for (int i = 0; i < DP_CLASS_COUNT; i++) {
		if (r->err[i])
			warning("dpprivacy: purge of %s: %m\n",
				dp_class_name(i), r->err[i]);
	}
	if (err)
		warning("dpprivacy: purge: %m\n", err);

	pm_changed();

	return err;
}


static void purge_tick(void *arg)
{
	struct dp_purge_report r;

	(void)arg;
	(void)pm_purge(&r);
	tmr_start(&pm.purge_tmr,
		  dp_privacy_policy(pm.p)->purge_interval_s * 1000ULL,
		  purge_tick, NULL);
}


static void screen_logs(void *arg)
{
	struct dp_clock_sample s;
	int err;

	(void)arg;
	err = pm_sample(&s);
	if (!err)
		err = dp_privacy_screen_logs(pm.p, &s);
	if (err)
		warning("dpprivacy: clearing the logs of objected parties:"
			" %m\n", err);
}


static void ua_event_handler(struct ua *ua, enum ua_event ev,
			     struct call *call, const char *prm, void *arg)
{
	(void)ua;
	(void)prm;
	(void)arg;

	if (ev != UA_EVENT_CALL_CLOSED || !call)
		return;

	/* a call with a party on the do-not-record list: its trace and log
	 * lines reach the log through `deskphone run` a moment later */
	(void)dp_privacy_reload(pm.p);
	if (!dp_privacy_keep_personal(dp_privacy_state(pm.p),
				      call_peeruri(call)) &&
	    dp_privacy_state(pm.p)->nobjections)
		tmr_start(&pm.screen_tmr, 2000, screen_logs, NULL);
}


static int module_init(void)
{
	char dir[256], policy[512], secret[256], audit[512], store[512];
	char logs[512], contacts[512], rec[512], push[512], clock[512];
	char config[512];
	char trace[16] = "";
	struct dp_privacy_paths paths;
	struct dp_policy pol;
	int err;

	memset(&pm, 0, sizeof(pm));
	tmr_init(&pm.purge_tmr);
	tmr_init(&pm.screen_tmr);

	memset(&paths, 0, sizeof(paths));
	paths.dir = conf_path("dpprivacy_dir", dir, sizeof(dir));
	paths.policy_file = conf_path("dpprivacy_policy", policy,
				      sizeof(policy));
	paths.secret_file = conf_path("device_secret_file", secret,
				      sizeof(secret));
	paths.audit_log = conf_path("dpprivacy_audit_log", audit,
				    sizeof(audit));
	paths.store = conf_path("cdr_store_path", store, sizeof(store));
	paths.log_dir = conf_path("dpprivacy_log_dir", logs, sizeof(logs));
	paths.config_dir = conf_path("dpprivacy_config_dir", config,
				     sizeof(config));
	paths.contacts_file = conf_path("contacts_file", contacts,
					sizeof(contacts));
	paths.recordings_dir = conf_path("dpprivacy_recordings_dir", rec,
					 sizeof(rec));
	paths.push_dir = conf_path("dpprivacy_push_dir", push, sizeof(push));
	paths.clock_file = conf_path("dpprivacy_test_clock", clock,
				     sizeof(clock));
	paths.create_secret = true;
	(void)conf_get_str(conf_cur(), "dpprivacy_sip_trace", trace,
			   sizeof(trace));
	pm.sip_trace = pm.tracing = !strcmp(trace, "yes");

	if (!paths.dir || !paths.secret_file || !paths.audit_log) {
		warning("dpprivacy: config keys dpprivacy_dir,"
			" device_secret_file and dpprivacy_audit_log are"
			" required\n");
		return EINVAL;
	}

	err = dp_policy_from_conf(&pol, conf_cur(), "dpprivacy_");
	if (!err)
		err = dp_privacy_alloc(&pm.p, &paths, NULL);
	if (err) {
		warning("dpprivacy: %s: %m\n", paths.dir, err);
		return err;
	}
	dp_privacy_set_policy(pm.p, &pol);
	dp_privacy_set_store_ops(pm.p, dpapp_store(), NULL);
	if (pol.errors[0])
		warning("dpprivacy: policy values refused (the earlier ones"
			" hold): %s\n", pol.errors);
	if (dp_privacy_reload(pm.p))
		warning("dpprivacy: the privacy state does not open: nothing"
			" personal is kept of new calls until it does\n");

	err = pm_commands_register();
	if (!err)
		err = pm_requests_register();
	if (!err)
		err = uag_event_register(ua_event_handler, NULL);
	if (err) {
		pm_requests_unregister();
		pm_commands_unregister();
		pm.p = mem_deref(pm.p);
		return err;
	}

	apply_trace();
	info("dpprivacy: purging every %u s; %s%s\n", pol.purge_interval_s,
	     dp_privacy_state(pm.p)->restricted ? "processing restricted" :
	     "processing not restricted",
	     dp_privacy_state(pm.p)->legal_hold ? ", legal hold" : "");

	/* at start, once the main loop runs (dpcdr's store is open) */
	tmr_start(&pm.purge_tmr, 0, purge_tick, NULL);

	return 0;
}


static int module_close(void)
{
	tmr_cancel(&pm.purge_tmr);
	tmr_cancel(&pm.screen_tmr);
	uag_event_unregister(ua_event_handler);
	pm_requests_unregister();
	pm_commands_unregister();
	pm.p = mem_deref(pm.p);

	return 0;
}


const struct mod_export exports = {
	"dpprivacy",
	"application",
	module_init,
	module_close,
};
