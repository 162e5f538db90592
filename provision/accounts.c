/**
 * @file accounts.c  The phone's provisioned accounts at rest: baresip
 *                   account lines without the password, and the password
 *                   sealed with the device key (label sip-password:<aor>)
 *
 *   gen/<generation>/accounts.json
 *   {"format": "deskphone-accounts/1",
 *    "accounts": [{"aor": "sip:101@pbx.example",
 *                  "line": "\"Reception\" <sip:101@pbx.example;...>;...",
 *                  "password_sealed": "<base64 of a dp_seal() blob>"}]}
 *
 * The daemon unseals the password in memory and hands it to baresip with
 * account_set_auth_pass(); no file ever holds it in plaintext.
 */
#include <string.h>
#include <re.h>
#include "base/fileutil.h"
#include "privacy/crypto/crypto.h"
#include "prov_int.h"

#define ACCOUNTS_FORMAT "deskphone-accounts/1"

static const char *const store_fields[] = { "format", "accounts", NULL };
static const char *const account_fields[] = {
	"aor", "line", "password_sealed", NULL
};

enum { MAX_STORE = 256 * 1024, MAX_ACCOUNTS = 16 };


int prov_account_line(const struct prov_site *site,
		      const struct prov_phone *p, char **linep, char **aorp)
{
	const char *tp = prov_transport_name(site->transport);
	char codecs[128] = "", outbound[320] = "";
	size_t used = 0;
	int err;

	for (size_t i = 0; i < site->ncodecs; i++) {
		int n = re_snprintf(codecs + used, sizeof(codecs) - used,
				    "%s%s", i ? "," : "",
				    pv_codec_baresip(site->codecs[i]));

		if (n < 0)
			return EOVERFLOW;
		used += (size_t)n;
	}

	if (site->outbound_proxy[0])
		re_snprintf(outbound, sizeof(outbound),
			    ";outbound=\"sip:%s;transport=%s;lr\"",
			    site->outbound_proxy, tp);

	err = re_sdprintf(linep, "\"%s\" <sip:%s@%s;transport=%s>"
			  ";auth_user=%s;regint=%u;audio_codecs=%s%s",
			  p->display_name, p->sip_user, site->registrar, tp,
			  p->auth_user[0] ? p->auth_user : p->sip_user,
			  site->register_interval_s, codecs, outbound);
	if (err)
		return err;

	err = re_sdprintf(aorp, "sip:%s@%s", p->sip_user, site->registrar);
	if (err)
		*linep = mem_deref(*linep);

	return err;
}


static int seal_b64(const uint8_t secret[32], const char *aor,
		    const char *password, char **b64p)
{
	char label[300];
	uint8_t *blob = NULL;
	size_t bloblen = 0, n;
	char *b64;
	int err;

	re_snprintf(label, sizeof(label), "sip-password:%s", aor);

	err = dp_seal(secret, label, (const uint8_t *)password,
		      strlen(password), &blob, &bloblen);
	if (err)
		return err;

	n = 4 * ((bloblen + 2) / 3) + 1;
	b64 = mem_alloc(n, NULL);
	if (!b64) {
		mem_deref(blob);
		return ENOMEM;
	}

	err = base64_encode(blob, bloblen, b64, &n);
	mem_deref(blob);
	if (err) {
		mem_deref(b64);
		return err;
	}

	b64[n] = '\0';
	*b64p = b64;

	return 0;
}


int prov_accounts_build(const struct prov_site *site,
			const struct prov_phone *p,
			const uint8_t secret[32], char **jsonp)
{
	char *line = NULL, *aor = NULL, *sealed = NULL;
	cJSON *root, *list, *acc;
	bool ok = true;
	int err;

	err = prov_account_line(site, p, &line, &aor);
	if (!err)
		err = seal_b64(secret, aor, p->sip_password, &sealed);
	if (err)
		goto out;

	root = cJSON_CreateObject();
	if (!root) {
		err = ENOMEM;
		goto out;
	}

	ok &= NULL != cJSON_AddStringToObject(root, "format", ACCOUNTS_FORMAT);
	list = cJSON_AddArrayToObject(root, "accounts");
	acc = cJSON_CreateObject();
	ok &= list && acc && cJSON_AddItemToArray(list, acc);
	ok &= acc && cJSON_AddStringToObject(acc, "aor", aor) &&
		cJSON_AddStringToObject(acc, "line", line) &&
		cJSON_AddStringToObject(acc, "password_sealed", sealed);

	err = ok ? pj_print(root, jsonp) : ENOMEM;
	cJSON_Delete(root);

 out:
	mem_deref(line);
	mem_deref(aor);
	mem_deref(sealed);

	return err;
}


static void account_destructor(void *arg)
{
	struct prov_account *a = arg;

	list_unlink(&a->le);
	if (a->password)
		dp_wipe(a->password, strlen(a->password));
	mem_deref(a->password);
	mem_deref(a->aor);
	mem_deref(a->line);
}


static int unseal_b64(const uint8_t secret[32], const char *aor,
		      const char *b64, char **passwordp)
{
	char label[300];
	uint8_t *raw, *pt = NULL;
	size_t rawlen = strlen(b64), ptlen = 0;
	int err;

	raw = mem_alloc(rawlen + 1, NULL);
	if (!raw)
		return ENOMEM;

	err = base64_decode(b64, strlen(b64), raw, &rawlen);
	if (!err) {
		re_snprintf(label, sizeof(label), "sip-password:%s", aor);
		err = dp_unseal(secret, label, raw, rawlen, &pt, &ptlen);
	}
	mem_deref(raw);
	if (err)
		return err;

	/* dp_unseal NUL-terminates; a password has no NUL inside. */
	if (strlen((char *)pt) != ptlen || pv_password((char *)pt)) {
		dp_wipe(pt, ptlen);
		mem_deref(pt);
		return EBADMSG;
	}

	*passwordp = (char *)pt;

	return 0;
}


static int load_store(const char *path, const uint8_t secret[32],
		      struct list *accounts, char *why, size_t whysz)
{
	struct prov_report rep;
	const cJSON *list, *c;
	char *text = NULL, format[32];
	size_t len = 0, n = 0;
	cJSON *root;
	int err;

	err = dp_read_file(path, MAX_STORE, &text, &len);
	if (err) {
		re_snprintf(why, whysz, "%s: %m", path, err);
		return err;
	}

	prov_report_init(&rep);
	root = pj_parse(path, text, len, &rep);
	mem_deref(text);
	if (!root || !pj_fields(root, path, "", store_fields, &rep) ||
	    !pj_string(root, "format", true, format, sizeof(format), NULL,
		       path, "", &rep) || strcmp(format, ACCOUNTS_FORMAT)) {
		re_snprintf(why, whysz, "%s", prov_report_first(&rep) ?
			    prov_report_first(&rep) : "unknown format");
		err = EINVAL;
		goto out;
	}

	list = pj_member(root, "accounts");
	if (!cJSON_IsArray(list)) {
		re_snprintf(why, whysz, "%s: accounts: must be a list", path);
		err = EINVAL;
		goto out;
	}

	for (c = list->child; c && !err; c = c->next) {
		char aor[300], line[1024], sealed[1024];
		struct prov_account *a;

		if (++n > MAX_ACCOUNTS ||
		    !pj_fields(c, path, "accounts[]", account_fields, &rep) ||
		    !pj_string(c, "aor", true, aor, sizeof(aor), pv_text, path,
			       "accounts[]", &rep) ||
		    !pj_string(c, "line", true, line, sizeof(line), NULL, path,
			       "accounts[]", &rep) ||
		    !pj_string(c, "password_sealed", true, sealed,
			       sizeof(sealed), pv_text, path, "accounts[]",
			       &rep)) {
			re_snprintf(why, whysz, "%s", prov_report_first(&rep) ?
				    prov_report_first(&rep) :
				    "too many accounts");
			err = EINVAL;
			break;
		}

		for (const char *p = line; *p; p++) {
			if ((unsigned char)*p < 0x20) {
				re_snprintf(why, whysz, "%s: a control"
					    " character in an account line",
					    path);
				err = EINVAL;
			}
		}
		if (err)
			break;

		a = mem_zalloc(sizeof(*a), account_destructor);
		if (!a || str_dup(&a->aor, aor) || str_dup(&a->line, line)) {
			mem_deref(a);
			err = ENOMEM;
			break;
		}

		err = unseal_b64(secret, aor, sealed, &a->password);
		if (err) {
			re_snprintf(why, whysz, "%s: the password of %s cannot"
				    " be unsealed with this phone's device"
				    " key (%m)", path, aor, err);
			mem_deref(a);
			break;
		}

		list_append(accounts, &a->le, a);
	}

 out:
	cJSON_Delete(root);
	prov_report_reset(&rep);

	return err;
}


int prov_accounts_load(const struct prov_phone_cfg *cfg, struct list *accounts,
		       char *why, size_t whysz)
{
	uint8_t secret[DP_KEY_LEN];
	struct prov_current cur;
	char path[4096];
	int err;

	if (!cfg || !accounts)
		return EINVAL;

	err = prov_current(cfg->local_conf, &cur);
	if (err) {
		re_snprintf(why, whysz, "%s: %m", cfg->local_conf, err);
		return err;
	}
	if (!cur.provisioned)
		return ENOENT;

	err = dp_device_secret_load(cfg->device_secret_file, false, secret);
	if (err) {
		re_snprintf(why, whysz, "device secret %s: %m",
			    cfg->device_secret_file, err);
		return err;
	}

	re_snprintf(path, sizeof(path), "%s/gen/%s/accounts.json",
		    cfg->provision_dir, cur.generation);
	err = load_store(path, secret, accounts, why, whysz);
	dp_wipe(secret, sizeof(secret));
	if (err)
		list_flush(accounts);

	return err;
}
