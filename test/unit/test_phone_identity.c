/**
 * @file test_phone_identity.c  The phone's identities as `deskphone bundle`
 *                              and `deskphone redact` collect them: a
 *                              provisioned phone's accounts included
 *
 * Issue 15, finding 3: on a provisioned phone the accounts file is an
 * empty placeholder and the accounts are in the provisioning store, the
 * password sealed with the device key.  A phone is provisioned here from
 * a real signed stick; its password, auth user and address of record must
 * then be identities, so that the redactor replaces them in free text and
 * the bundle's last secret check (the guard) refuses a member that still
 * holds the password.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <re.h>
#include "base/fileutil.h"
#include "base/settings.h"
#include "provision/provision.h"
#include "privacy/bundle/guard.h"
#include "privacy/redact/redact.h"
#include "tools/cli.h"
#include "tools/phone_identity.h"
#include "dptest.h"

#define MAC       "02:00:00:00:00:31"
#define PASSWORD  "Prov-Pw-7731-xq"
#define AUTH_USER "lindiwe-auth"
#define SIP_USER  "ldlamini"
#define REGISTRAR "pbx.acme-test.example"
#define AOR       "sip:" SIP_USER "@" REGISTRAR


static const char *tmp(const char *name)
{
	static char path[8][4096];
	static int n;
	char *p = path[n++ % 8];

	snprintf(p, 4096, "%s/identity/%s", dptest_tmpdir(), name);

	return p;
}


static void put(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	DP_ASSERT_MSG(f != NULL, "%s: %m", path);
	DP_ASSERT(fputs(text, f) >= 0);
	DP_ASSERT(fclose(f) == 0);
}


/* DIR/conf/deskphone.conf for a phone whose state is in DIR/state */
static void phone_conf(const char *dir, const char *accounts)
{
	char path[4200], conf[4400];

	snprintf(path, sizeof(path), "%s/conf", dir);
	DP_ASSERT_OK(dp_mkdir_p(path, 0755));
	snprintf(conf, sizeof(conf),
		 "state_dir          %s/state\n"
		 "local_conf         ${state_dir}/deskphone.local.conf\n"
		 "provision_dir      ${state_dir}/provision\n"
		 "device_secret_file ${state_dir}/device.secret\n"
		 "accounts_file      ${state_dir}/%s\n", dir, accounts);
	snprintf(path, sizeof(path), "%s/conf/deskphone.conf", dir);
	put(path, conf);
}


/* A signed stick for one phone, and that phone's state applying it. */
static void provision(void)
{
	struct prov_make_opts o;
	struct prov_phone_cfg cfg;
	struct prov_outcome out;
	struct prov_report rep;
	struct prov_key *k = NULL;
	char cmd[9000];

	DP_ASSERT_OK(dp_mkdir_p(tmp("stick"), 0755));
	DP_ASSERT_OK(dp_mkdir_p(tmp("trusted"), 0700));
	DP_ASSERT_OK(dp_mkdir_p(tmp("state"), 0700));
	DP_ASSERT_OK(prov_key_generate(&k));
	DP_ASSERT_OK(prov_key_save(k, tmp("acme")));
	mem_deref(k);
	snprintf(cmd, sizeof(cmd), "cp '%s' '%s/'", tmp("acme.pub"),
		 tmp("trusted"));
	DP_ASSERT(0 == system(cmd));

	put(tmp("site.json"),
	    "{\"site\":\"Test office\",\"sip\":{\"registrar\":\"" REGISTRAR
	    "\",\"transport\":\"udp\",\"codecs\":[\"PCMU\"]},"
	    "\"time_zone\":\"UTC\"}");
	put(tmp("phones.csv"),
	    "mac,extension,display_name,sip_user,auth_user,sip_password\n"
	    MAC ",4731,Lindiwe Dlamini," SIP_USER "," AUTH_USER ","
	    PASSWORD "\n");

	memset(&o, 0, sizeof(o));
	o.site_path = tmp("site.json");
	o.phones_path = tmp("phones.csv");
	o.key_path = tmp("acme.key");
	o.out_root = tmp("stick");
	prov_report_init(&rep);
	DP_ASSERT_MSG(0 == prov_make(&o, &rep, NULL), "make: %s",
		      prov_report_first(&rep));
	prov_report_reset(&rep);

	memset(&cfg, 0, sizeof(cfg));
	cfg.provision_dir = tmp("state/provision");
	cfg.local_conf = tmp("state/deskphone.local.conf");
	cfg.device_secret_file = tmp("state/device.secret");
	cfg.trusted_keys_dir = tmp("trusted");
	cfg.mac = MAC;
	cfg.no_result = true;
	DP_ASSERT_OK(prov_apply(&cfg, tmp("stick"), &out));
	DP_ASSERT_MSG(out.result == PROV_APPLIED, "apply: %s", out.reason);

	/* the phone's configuration, as `deskphone run` layers it */
	phone_conf(tmp(""), "no-such-accounts");
}


static bool has_id(const struct list *ids, enum dp_identity kind,
		   const char *value)
{
	for (struct le *le = ids->head; le; le = le->next) {
		const struct dp_phone_id *id = le->data;

		if (id->kind == kind && 0 == strcmp(id->value, value))
			return true;
	}

	return false;
}


static int collect(struct list *ids)
{
	struct cli_settings_opts opts;
	struct dp_settings *s = NULL;
	int err;

	memset(&opts, 0, sizeof(opts));
	opts.config_dir = tmp("conf");
	DP_ASSERT_OK(cli_settings_load(&opts, &s));
	err = dp_phone_ids_collect(ids, &opts, s);
	mem_deref(s);

	return err;
}


DP_TEST(provisioned_accounts_are_identities)
{
	static const uint8_t key[32] = "test-phone-identity-redactor-01";
	static const char line[] = "2026-12-07T17:00:00Z dpprov: note "
		AOR " " AUTH_USER " " PASSWORD "\n";
	struct list ids = LIST_INIT;
	struct dp_redactor *r = NULL;
	struct dp_guard *g = NULL;
	struct mbuf *out = mbuf_alloc(512);
	char *o;

	provision();
	DP_ASSERT_OK(collect(&ids));

	DP_ASSERT(has_id(&ids, DP_ID_SECRET, PASSWORD));
	DP_ASSERT(has_id(&ids, DP_ID_USER, AUTH_USER));
	DP_ASSERT(has_id(&ids, DP_ID_USER, SIP_USER));
	DP_ASSERT(has_id(&ids, DP_ID_HOST, REGISTRAR));
	DP_ASSERT(has_id(&ids, DP_ID_NAME, "Lindiwe Dlamini"));

	/* the redactor, seeded with them, leaves none of the three */
	DP_ASSERT_OK(dp_redactor_alloc(&r, key, sizeof(key), 0));
	DP_ASSERT_OK(dp_phone_ids_seed(&ids, r));
	DP_ASSERT_OK(dp_redact_buf(r, line, sizeof(line) - 1, out));
	DP_ASSERT_OK(mbuf_write_u8(out, 0));
	o = (char *)out->buf;
	for (const char *const *v = (const char *const[]){ PASSWORD,
			AUTH_USER, SIP_USER, REGISTRAR, NULL }; *v; v++)
		DP_ASSERT_MSG(!strstr(o, *v), "'%s' in '%s'", *v, o);

	/* the bundle's last check, seeded as `bundle create` seeds it,
	 * passes that, and refuses the line had the redactor missed the
	 * password (a guard stays refused once it saw a secret) */
	DP_ASSERT_OK(dp_guard_alloc(&g));
	for (struct le *le = ids.head; le; le = le->next) {
		const struct dp_phone_id *id = le->data;

		if (id->kind == DP_ID_SECRET)
			DP_ASSERT_OK(dp_guard_secret(g, id->value));
	}
	DP_ASSERT_MSG(!dp_guard_text(g, o, strlen(o)), "guard: '%s'", o);
	DP_ASSERT(dp_guard_text(g, line, sizeof(line) - 1));

	/* a store that cannot be unsealed (another device secret) is not
	 * silently skipped: the identities are incomplete, EACCES */
	list_flush(&ids);
	DP_ASSERT_OK(rename(tmp("state/device.secret"),
			    tmp("state/device.secret.real")));
	put(tmp("state/device.secret"), "another-phone-device-secret-0123");
	DP_ASSERT_OK(chmod(tmp("state/device.secret"), 0600));
	DP_ASSERT_EQ(collect(&ids), EACCES);
	DP_ASSERT(!has_id(&ids, DP_ID_SECRET, PASSWORD));
	DP_ASSERT_OK(rename(tmp("state/device.secret.real"),
			    tmp("state/device.secret")));

	list_flush(&ids);
	mem_deref(r);
	mem_deref(g);
	mem_deref(out);
}


DP_TEST(unprovisioned_phone_has_no_store)
{
	struct list ids = LIST_INIT;

	phone_conf(tmp("bare"), "accounts");
	DP_ASSERT_OK(dp_mkdir_p(tmp("bare/state"), 0700));
	put(tmp("bare/state/accounts"), "\"Bare\" <sip:bare77@pbx.example.com>;"
	    "auth_pass=Bare-Pw-77\n");
	{
		struct cli_settings_opts opts;
		struct dp_settings *s = NULL;

		memset(&opts, 0, sizeof(opts));
		opts.config_dir = tmp("bare/conf");
		DP_ASSERT_OK(cli_settings_load(&opts, &s));
		DP_ASSERT_OK(dp_phone_ids_collect(&ids, &opts, s));
		mem_deref(s);
	}
	DP_ASSERT(has_id(&ids, DP_ID_SECRET, "Bare-Pw-77"));
	DP_ASSERT(has_id(&ids, DP_ID_USER, "bare77"));
	list_flush(&ids);
}
