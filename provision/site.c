/**
 * @file site.c  site.json: the defaults every phone of a site shares
 */
#include <string.h>
#include <re.h>
#include "prov_int.h"

static const char *const top_fields[] = {
	"site", "sip", "time_zone", "privacy", "support_public_key", NULL
};
static const char *const sip_fields[] = {
	"registrar", "transport", "outbound_proxy", "register_interval_s",
	"codecs", NULL
};
static const char *const privacy_fields[] = { "retention_days", NULL };
static const char *const retention_fields[] = {
	"call_records", "call_record_personal_fields", "sip_traces_and_logs",
	"call_history", "contacts_cache", "recordings_and_voicemail",
	"push_registration", NULL
};
/* the privacy policy erases push registrations within 6 days */
enum { MAX_PUSH_RETENTION = 6 };

enum { DEFAULT_REGINT = 600, MIN_REGINT = 30, MAX_REGINT = 86400,
       MAX_RETENTION = 3650 };


const char *prov_transport_name(enum prov_transport t)
{
	switch (t) {

	case PROV_UDP: return "udp";
	case PROV_TCP: return "tcp";
	case PROV_TLS: return "tls";
	default:       return "?";
	}
}


const char *prov_retention_name(enum prov_retention r)
{
	return r < PROV_RET_MAX ? retention_fields[r] : "?";
}


static const char *check_transport(const char *s)
{
	if (strcmp(s, "udp") && strcmp(s, "tcp") && strcmp(s, "tls"))
		return "must be udp, tcp or tls";

	return NULL;
}


static bool parse_codecs(struct prov_site *site, const cJSON *sip,
			 const char *file, struct prov_report *rep)
{
	const cJSON *list = pj_member(sip, "codecs"), *c;
	bool ok = true;
	size_t i = 0;

	if (!list) {
		prov_report_add(rep, "%s: sip.codecs: missing", file);
		return false;
	}
	if (!cJSON_IsArray(list)) {
		prov_report_add(rep, "%s: sip.codecs: must be a list of codec"
				" names, most preferred first", file);
		return false;
	}

	for (c = list->child; c; c = c->next, i++) {
		const char *why = NULL;

		if (i >= PROV_MAX_CODECS) {
			prov_report_add(rep, "%s: sip.codecs: more than %u"
					" codecs", file, PROV_MAX_CODECS);
			return false;
		}

		if (!cJSON_IsString(c))
			why = "must be a string";
		else
			why = pv_codec(c->valuestring);

		for (size_t k = 0; !why && k < site->ncodecs; k++) {
			if (0 == strcmp(site->codecs[k], c->valuestring))
				why = "listed twice";
		}

		if (why) {
			prov_report_add(rep, "%s: sip.codecs[%zu]: %s", file,
					i + 1, why);
			ok = false;
			continue;
		}

		str_ncpy(site->codecs[site->ncodecs++], c->valuestring,
			 sizeof(site->codecs[0]));
	}

	if (ok && site->ncodecs == 0) {
		prov_report_add(rep, "%s: sip.codecs: empty", file);
		ok = false;
	}

	return ok;
}


static bool parse_privacy(struct prov_site *site, const cJSON *root,
			  const char *file, struct prov_report *rep)
{
	const cJSON *priv = pj_member(root, "privacy"), *ret;
	bool ok = true;

	if (!priv)
		return true;

	if (!cJSON_IsObject(priv)) {
		prov_report_add(rep, "%s: privacy: must be an object", file);
		return false;
	}
	ok &= pj_fields(priv, file, "privacy", privacy_fields, rep);

	ret = pj_member(priv, "retention_days");
	if (!ret)
		return ok;

	if (!cJSON_IsObject(ret)) {
		prov_report_add(rep, "%s: privacy.retention_days: must be an"
				" object", file);
		return false;
	}
	ok &= pj_fields(ret, file, "privacy.retention_days", retention_fields,
			rep);

	for (int r = 0; r < PROV_RET_MAX; r++) {
		uint64_t days = 0;

		ok &= pj_uint(ret, retention_fields[r], false, 1,
			      r == PROV_RET_PUSH_REGISTRATION ?
			      MAX_PUSH_RETENTION : MAX_RETENTION, &days, file,
			      "privacy.retention_days", rep);
		site->retention_days[r] = (uint32_t)days;
	}

	return ok;
}


int prov_site_parse(struct prov_site *site, const char *file,
		    const char *json, size_t len, struct prov_report *rep)
{
	char transport[8];
	uint64_t regint = DEFAULT_REGINT;
	const cJSON *sip;
	cJSON *root;
	bool ok = true;

	if (!site || !file)
		return EINVAL;

	memset(site, 0, sizeof(*site));

	root = pj_parse(file, json, len, rep);
	if (!root)
		return EINVAL;

	ok &= pj_fields(root, file, "", top_fields, rep);
	ok &= pj_string(root, "site", true, site->name, sizeof(site->name),
			pv_text, file, "", rep);
	ok &= pj_string(root, "time_zone", true, site->time_zone,
			sizeof(site->time_zone), pv_time_zone, file, "", rep);
	ok &= pj_string(root, "support_public_key", false,
			site->support_public_key,
			sizeof(site->support_public_key), pv_file_name, file,
			"", rep);

	sip = pj_member(root, "sip");
	if (!sip) {
		prov_report_add(rep, "%s: sip: missing", file);
		ok = false;
	}
	else if (!cJSON_IsObject(sip)) {
		prov_report_add(rep, "%s: sip: must be an object", file);
		ok = false;
	}
	else {
		ok &= pj_fields(sip, file, "sip", sip_fields, rep);
		ok &= pj_string(sip, "registrar", true, site->registrar,
				sizeof(site->registrar), pv_host_port, file,
				"sip", rep);
		ok &= pj_string(sip, "outbound_proxy", false,
				site->outbound_proxy,
				sizeof(site->outbound_proxy), pv_host_port,
				file, "sip", rep);
		if (pj_string(sip, "transport", true, transport,
			      sizeof(transport), check_transport, file, "sip",
			      rep)) {
			site->transport = transport[1] == 'd' ? PROV_UDP :
				transport[1] == 'c' ? PROV_TCP : PROV_TLS;
		}
		else {
			ok = false;
		}
		ok &= pj_uint(sip, "register_interval_s", false, MIN_REGINT,
			      MAX_REGINT, &regint, file, "sip", rep);
		ok &= parse_codecs(site, sip, file, rep);
	}

	site->register_interval_s = (uint32_t)regint;
	ok &= parse_privacy(site, root, file, rep);

	cJSON_Delete(root);

	return ok ? 0 : EINVAL;
}


int prov_site_print(const struct prov_site *site, char **jsonp)
{
	cJSON *root, *sip, *codecs, *priv = NULL, *ret = NULL;
	bool ok = true;
	int err;

	if (!site || !jsonp)
		return EINVAL;

	root = cJSON_CreateObject();
	sip  = cJSON_CreateObject();
	codecs = cJSON_CreateArray();
	if (!root || !sip || !codecs) {
		cJSON_Delete(root);
		cJSON_Delete(sip);
		cJSON_Delete(codecs);
		return ENOMEM;
	}

	ok &= NULL != cJSON_AddStringToObject(root, "site", site->name);
	ok &= cJSON_AddItemToObject(root, "sip", sip);
	ok &= NULL != cJSON_AddStringToObject(sip, "registrar",
					      site->registrar);
	ok &= NULL != cJSON_AddStringToObject(sip, "transport",
				prov_transport_name(site->transport));
	if (site->outbound_proxy[0])
		ok &= NULL != cJSON_AddStringToObject(sip, "outbound_proxy",
						      site->outbound_proxy);
	ok &= NULL != cJSON_AddNumberToObject(sip, "register_interval_s",
					      site->register_interval_s);
	for (size_t i = 0; i < site->ncodecs; i++)
		ok &= cJSON_AddItemToArray(codecs,
				cJSON_CreateString(site->codecs[i]));
	ok &= cJSON_AddItemToObject(sip, "codecs", codecs);
	ok &= NULL != cJSON_AddStringToObject(root, "time_zone",
					      site->time_zone);

	for (int r = 0; r < PROV_RET_MAX; r++) {
		if (!site->retention_days[r])
			continue;
		if (!priv) {
			priv = cJSON_AddObjectToObject(root, "privacy");
			ret = priv ? cJSON_AddObjectToObject(priv,
							"retention_days") :
				NULL;
			ok &= ret != NULL;
			if (!ret)
				break;
		}
		ok &= NULL != cJSON_AddNumberToObject(ret, retention_fields[r],
						site->retention_days[r]);
	}

	if (site->support_public_key[0])
		ok &= NULL != cJSON_AddStringToObject(root,
				"support_public_key", site->support_public_key);

	err = ok ? pj_print(root, jsonp) : ENOMEM;
	cJSON_Delete(root);

	return err;
}
