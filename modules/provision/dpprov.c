/**
 * @file dpprov.c  dpprov: the daemon's side of USB provisioning
 *
 * Loaded as a module_app.  At start it replaces the accounts with the
 * provisioned ones (passwords unsealed in memory).  It watches the mount
 * directory for a stick, applies it in a worker thread, and switches the
 * accounts without a restart.  The menu starts a job through the
 * application core (modules/app: dpapp_prov_apply), whose listeners hear
 * of its steps and its end.  Commands (baresip long commands, through
 * `deskphone ctl cmd ...`):
 *
 *   dpprov_apply [DIR]   apply the stick mounted at DIR (default: the
 *                        watched directory); answers at once, the job
 *                        runs on; the keypad's "provision from USB"
 *   dpprov_rollback      swap the previous configuration back in
 *   dpprov_reload        load the stored accounts again (after
 *                        `deskphone provision apply|rollback`)
 *   dpprov_status        one JSON object: state, step, last outcome
 *   dpprov_trust yes KEYID | no [WHY]
 *                        the answer of the person at the phone when a
 *                        stick asks to be trusted on first use (state
 *                        `asking`, trust.c)
 *
 * Config keys (written by `deskphone run`, under the settings' own names,
 * read as the command line reads them: provision/phone_settings.h):
 *   provision_dir, local_conf, device_secret_file (required),
 *   provision_trusted_keys, provision_allow_tofu, provision_watch_dir,
 *   provision_poll_ms, provision_mac_interface, provision_mac,
 *   device_serial, provision_trust_timeout_s.
 */
#include <string.h>
#include "base/json.h"
#include "modules/app/app.h"
#include "dpprov.h"

static struct dpprov *prov;


static const char *state_name(const struct dpprov *p)
{
	if (p->state == DPPROV_WORKING)
		return "working";
	if (p->state == DPPROV_IDLE)
		return "idle";
	if (p->state == DPPROV_ASKING)
		return "asking";
	if (p->last.result == PROV_APPLIED && p->last_kind == JOB_ROLLBACK)
		return "rolled_back";

	return prov_result_name(p->last.result);
}


/*
 * The status, for the control socket and the UI: one JSON object.
 * `seq` grows with every change, so a poller redraws only on news.
 */
static int print_status(struct re_printf *pf, struct dpprov *p)
{
	struct prov_current cur;
	const struct prov_outcome *o = &p->last;
	int err;

	(void)prov_current(p->set.local_conf, &cur);

	err = re_hprintf(pf, "{\"state\":\"%s\",\"seq\":%llu,"
			 "\"step\":\"%s\",\"message\":%H,",
			 state_name(p), (unsigned long long)p->seq,
			 p->state == DPPROV_IDLE ? "" : prov_step_name(p->step),
			 dp_json_str,
			 p->step_what ? p->step_what : "");

	err |= dpprov_ask_status(pf, p);

	if (p->have_last)
		err |= re_hprintf(pf, "\"result\":\"%s\",\"reason\":%H,"
				  "\"version\":%llu,\"site\":%H,"
				  "\"phone\":%H,\"time\":\"%s\","
				  "\"result_file\":%H,",
				  prov_result_name(o->result),
				  dp_json_str, o->reason,
				  (unsigned long long)o->version,
				  dp_json_str, o->site,
				  dp_json_str, o->phone_id, o->time,
				  dp_json_str, o->result_written ?
				  "written" : o->result_note);

	err |= re_hprintf(pf, "\"configured_version\":%llu,"
			  "\"configured_site\":%H,\"accounts\":%H,"
			  "\"watch_dir\":%H}",
			  (unsigned long long)cur.version,
			  dp_json_str, cur.site,
			  dp_json_str, p->accounts,
			  dp_json_str, p->set.watch_dir);

	return err;
}


/* What changed, to the application core's listeners (the UI). */
static void report(const struct dpprov *p)
{
	const struct prov_outcome *o = &p->last;
	struct dpapp_prov_report r = {
		.job = p->job_no,
		.state = DPAPP_PROV_WORKING,
		.step = p->step_what,
	};

	if (p->state == DPPROV_IDLE) {
		r.state = DPAPP_PROV_IDLE;
	}
	else if (p->state == DPPROV_ASKING) {
		r.state = DPAPP_PROV_ASKING;
		r.key_id = p->ask.key_id;
		r.site = p->ask.site;
	}
	else if (p->state != DPPROV_WORKING) {
		r.reason = o->reason;
		r.version = o->version;
		if (o->result == PROV_APPLIED)
			r.state = p->last_kind == JOB_ROLLBACK ?
				DPAPP_PROV_ROLLED_BACK : DPAPP_PROV_APPLIED;
		else if (o->result == PROV_UNCHANGED)
			r.state = DPAPP_PROV_UNCHANGED;
		else
			r.state = DPAPP_PROV_REFUSED;
	}

	dpapp_send(DPAPP_PROV_JOB, &r);
}


void dpprov_changed(struct dpprov *p)
{
	++p->seq;
	report(p);
}


static int cmd_apply(struct re_printf *pf, void *arg)
{
	const struct cmd_arg *carg = arg;
	const char *dir = carg && carg->prm && *carg->prm ? carg->prm :
		prov->set.watch_dir;
	int err;

	err = dpprov_job_start(prov, JOB_APPLY, dir, "command");
	if (err)
		return err;

	return re_hprintf(pf, "{\"ok\":true,\"state\":\"working\","
			  "\"seq\":%llu}", (unsigned long long)prov->seq);
}


static int cmd_rollback(struct re_printf *pf, void *arg)
{
	int err;
	(void)arg;

	err = dpprov_job_start(prov, JOB_ROLLBACK, NULL, "command");
	if (err)
		return err;

	return re_hprintf(pf, "{\"ok\":true,\"state\":\"working\","
			  "\"seq\":%llu}", (unsigned long long)prov->seq);
}


static int cmd_reload(struct re_printf *pf, void *arg)
{
	int err;
	(void)arg;

	if (prov->busy)
		return EBUSY;

	err = dpprov_reload(prov);
	if (err)
		return err;

	return re_hprintf(pf, "{\"ok\":true,\"accounts\":%H}",
			  dp_json_str, prov->accounts);
}


/* The menu's "provision from USB", through the application core. */
static int app_apply(const char *dir, uint64_t *job)
{
	int err;

	err = dpprov_job_start(prov, JOB_APPLY, dir && *dir ? dir :
			       prov->set.watch_dir, "menu");
	if (!err && job)
		*job = prov->job_no;

	return err;
}


/* The trust prompt's answer, through the application core; the command
 * dpprov_trust too. */
static int app_trust(bool yes, const char *key_id, const char *why,
		     uint64_t *job)
{
	char text[80];
	int err;

	if (yes) {
		err = dpprov_ask_answer(prov, true, key_id, NULL);
	}
	else {
		re_snprintf(text, sizeof(text), "refused at the phone%s%s%s",
			    why && *why ? " (" : "", why ? why : "",
			    why && *why ? ")" : "");
		err = dpprov_ask_answer(prov, false, NULL, text);
	}
	if (!err && job)
		*job = prov->job_no;

	return err;
}


static const struct dpapp_prov app_prov = { app_apply, app_trust };


/* dpprov_trust yes KEYID | dpprov_trust no [WHY]: what the person at
 * the phone answered (the UI's trust prompt). */
static int cmd_trust(struct re_printf *pf, void *arg)
{
	const struct cmd_arg *carg = arg;
	const char *prm = carg && carg->prm ? carg->prm : "";
	size_t n = strcspn(prm, " ");
	const char *rest = prm + n + strspn(prm + n, " ");
	char word[48];
	bool yes;
	int err;

	if (n == 3 && !strncmp(prm, "yes", 3))
		yes = true;
	else if (n == 2 && !strncmp(prm, "no", 2))
		yes = false;
	else
		return EINVAL;

	/* YES: the key id; NO: what the person did, a word or two */
	if (strlen(rest) >= sizeof(word))
		return EINVAL;
	str_ncpy(word, rest, sizeof(word));
	for (const char *c = word; *c; c++) {
		if (!((*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') ||
		      *c == ' ' || *c == '_'))
			return EINVAL;
	}

	err = app_trust(yes, word, word, NULL);
	if (err)
		return err;

	return re_hprintf(pf, "{\"ok\":true,\"state\":\"working\","
			  "\"seq\":%llu}", (unsigned long long)prov->seq);
}


static int cmd_status(struct re_printf *pf, void *arg)
{
	(void)arg;

	return print_status(pf, prov);
}


static const struct cmd cmdv[] = {
	{"dpprov_apply",    0, CMD_PRM, "Provision from a USB stick [dir]",
	 cmd_apply},
	{"dpprov_rollback", 0, 0, "Roll back to the previous configuration",
	 cmd_rollback},
	{"dpprov_reload",   0, 0, "Load the provisioned accounts again",
	 cmd_reload},
	{"dpprov_status",   0, 0, "Provisioning status (JSON)", cmd_status},
	{"dpprov_trust",    0, CMD_PRM, "Trust a new provisioning key: yes"
	 " KEYID | no [why]", cmd_trust},
};


static void ua_event_handler(struct ua *ua, enum ua_event ev,
			     struct call *call, const char *prm, void *arg)
{
	struct dpprov *p = arg;
	(void)ua;
	(void)call;
	(void)prm;

	switch (ev) {

	case UA_EVENT_SHUTDOWN:
	case UA_EVENT_EXIT:
		p->shutting_down = true;
		tmr_cancel(&p->watch_tmr);
		dpprov_ask_close(p);
		tmr_cancel(&p->reload_tmr);
		break;

	case UA_EVENT_CALL_CLOSED:
		/* the call is freed after this handler: look again soon */
		dpprov_reload_later(p);
		break;

	default:
		break;
	}
}


/* prov_phone_settings_read()'s getter: baresip's config, where the
 * template writes them under their settings names. */
static int conf_setting(const char *name, char *buf, size_t sz, void *arg)
{
	(void)arg;

	return conf_get_str(conf_cur(), name, buf, sz);
}


static void load_last(struct dpprov *p)
{
	char *text = NULL;

	/* What happened before this start, for the status until a job
	 * runs: only the configured version is read from disk. */
	if (0 == prov_last_result(p->set.provision_dir, &text))
		info("dpprov: last provisioning outcome: %s", text);
	mem_deref(text);
}


static void prov_destructor(void *arg)
{
	struct dpprov *p = arg;

	tmr_cancel(&p->watch_tmr);
	tmr_cancel(&p->reload_tmr);
	dpprov_ask_close(p);
	dpprov_job_close(p);
}


static int module_init(void)
{
	const char *missing = NULL;
	struct dpprov *p;
	int err;

	p = mem_zalloc(sizeof(*p), prov_destructor);
	if (!p)
		return ENOMEM;

	tmr_init(&p->watch_tmr);
	tmr_init(&p->reload_tmr);
	tmr_init(&p->ask.tmr);

	err = prov_phone_settings_read(&p->set, conf_setting, NULL, &missing);
	if (err) {
		warning("dpprov: config key %s is required\n",
			missing ? missing : "?");
		mem_deref(p);
		return EINVAL;
	}
	if (!p->set.trust_timeout_s || p->set.trust_timeout_s > 3600) {
		warning("dpprov: provision_trust_timeout_s must be 1 to 3600;"
			" using 60\n");
		p->set.trust_timeout_s = 60;
	}
	if (p->set.tofu_bad)
		warning("dpprov: provision_allow_tofu must be ask or no;"
			" trust on first use is off\n");
	else if (p->set.tofu_old_yes)
		warning("dpprov: provision_allow_tofu yes is read as ask: a new"
			" key is trusted only when confirmed at the phone\n");

	str_ncpy(p->accounts, "not provisioned", sizeof(p->accounts));

	prov = p;

	err = uag_event_register(ua_event_handler, p);
	if (!err)
		err = cmd_register(baresip_commands(), cmdv,
				   sizeof(cmdv) / sizeof(cmdv[0]));
	if (!err)
		err = dpapp_prov_register(&app_prov);
	if (err) {
		cmd_unregister(baresip_commands(), cmdv);
		uag_event_unregister(ua_event_handler);
		prov = mem_deref(prov);
		return err;
	}

	load_last(p);

	/* A provisioned phone runs on its provisioned accounts only. */
	(void)dpprov_reload(p);

	dpprov_watch_start(p);

	info("dpprov: provisioning ready; watching %s\n",
	     p->set.watch_dir[0] ? p->set.watch_dir : "(nothing)");

	return 0;
}


static int module_close(void)
{
	dpapp_prov_unregister(&app_prov);
	cmd_unregister(baresip_commands(), cmdv);
	uag_event_unregister(ua_event_handler);
	prov = mem_deref(prov);

	return 0;
}


const struct mod_export exports = {
	"dpprov",
	"application",
	module_init,
	module_close
};
