/**
 * @file uas.c  The provisioned accounts as baresip user agents
 *
 * A provisioned phone's accounts are exactly the provisioned ones: a
 * reload removes every user agent (also those account.so made from a
 * plaintext accounts file) and creates one per stored account with
 * ua_alloc(), its password unsealed and handed over in memory with
 * account_set_auth_pass(), then registers it.  No password is in the
 * account line, so nothing baresip prints or keeps as text holds it.
 *
 * Removing a user agent in baresip 1.0 is mem_deref(): its destructor
 * unlinks it, ends its calls and unregisters.  Calls would be cut, so a
 * reload waits until no call is up.  uag_current() is a plain pointer
 * in the core: it is moved off a user agent before that one goes.
 */
#include <string.h>
#include "base/fileutil.h"
#include "privacy/crypto/crypto.h"
#include "dpprov.h"


static bool calls_up(void)
{
	for (struct le *le = uag_list()->head; le; le = le->next) {
		struct ua *ua = le->data;

		if (ua_calls(ua)->head)
			return true;
	}

	return false;
}


static void remove_all(void)
{
	struct le *le = uag_list()->head;

	uag_current_set(NULL);

	while (le) {
		struct ua *ua = le->data;

		le = le->next;
		mem_deref(ua);
	}
}


/*
 * baresip's own accounts file (a copy `deskphone run` made before this
 * phone was provisioned) may hold a plaintext password: a provisioned
 * phone keeps no such copy.
 */
static void drop_plain_copy(void)
{
	static const char note[] = "# This phone is provisioned: its accounts"
		" are sealed in the provisioning state.\n";
	char dir[512], path[600], *text = NULL;
	bool plain = false;

	if (conf_path_get(dir, sizeof(dir)))
		return;

	re_snprintf(path, sizeof(path), "%s/accounts", dir);
	if (dp_read_file(path, 256 * 1024, &text, NULL))
		return;

	for (const char *line = text; line && *line; ) {
		const char *p = line;

		while (*p == ' ' || *p == '\t')
			++p;
		if (*p && *p != '#' && *p != '\n' && *p != '\r')
			plain = true;
		line = strchr(line, '\n');
		line = line ? line + 1 : NULL;
	}

	if (plain) {
		dp_wipe(text, strlen(text));
		if (0 == dp_write_atomic(path, note, sizeof(note) - 1, 0600))
			info("dpprov: %s no longer holds account lines\n",
			     path);
	}

	mem_deref(text);
}


static void reload_timeout(void *arg)
{
	struct dpprov *p = arg;

	if (p->reload_pending)
		(void)dpprov_reload(p);
}


void dpprov_reload_later(struct dpprov *p)
{
	if (p->reload_pending && !p->shutting_down)
		tmr_start(&p->reload_tmr, 200, reload_timeout, p);
}


int dpprov_reload(struct dpprov *p)
{
	struct list accounts = LIST_INIT;
	struct ua *first = NULL;
	unsigned loaded = 0;
	char why[300] = "";
	int err;

	if (p->shutting_down)
		return ESHUTDOWN;

	if (calls_up()) {
		p->reload_pending = true;
		str_ncpy(p->accounts, "pending: the accounts switch when the"
			 " call ends", sizeof(p->accounts));
		info("dpprov: a call is up; the accounts switch when it"
		     " ends\n");
		dpprov_changed(p);
		return 0;
	}

	p->reload_pending = false;
	tmr_cancel(&p->reload_tmr);

	err = prov_accounts_load(&p->set.cfg, &accounts, why, sizeof(why));
	if (err == ENOENT) {
		/* Not provisioned, or rolled back to the unprovisioned state:
		 * the provisioned accounts are not configured any more. */
		if (p->own_uas) {
			remove_all();
			p->own_uas = false;
			info("dpprov: the phone is not provisioned any more;"
			     " its accounts file is used from the next"
			     " start\n");
		}
		str_ncpy(p->accounts, "not provisioned", sizeof(p->accounts));
		dpprov_changed(p);
		return 0;
	}
	if (err) {
		warning("dpprov: the provisioned accounts cannot be loaded:"
			" %s; keeping the current ones\n", why);
		re_snprintf(p->accounts, sizeof(p->accounts), "error: %s",
			    why);
		dpprov_changed(p);
		return err;
	}

	remove_all();
	p->own_uas = true;

	for (struct le *le = accounts.head; le; le = le->next) {
		const struct prov_account *a = le->data;
		struct ua *ua = NULL;
		int e;

		e = ua_alloc(&ua, a->line);
		if (!e)
			e = account_set_auth_pass(ua_account(ua), a->password);
		if (e) {
			warning("dpprov: account %s: %m\n", a->aor, e);
			if (ua)
				mem_deref(ua);
			err = e;
			continue;
		}

		if (account_regint(ua_account(ua))) {
			e = ua_register(ua);
			if (e)
				warning("dpprov: register %s: %m\n", a->aor, e);
		}

		if (!first)
			first = ua;
		++loaded;
		info("dpprov: account %s ready\n", a->aor);
	}

	list_flush(&accounts);   /* wipes the unsealed passwords */
	drop_plain_copy();

	if (first)
		uag_current_set(first);

	if (err)
		re_snprintf(p->accounts, sizeof(p->accounts), "error: an"
			    " account could not be created (%m); %u loaded",
			    err, loaded);
	else
		re_snprintf(p->accounts, sizeof(p->accounts), "loaded %u",
			    loaded);
	dpprov_changed(p);

	return err;
}
