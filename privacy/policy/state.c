/**
 * @file state.c  The person's choices, kept sealed: restriction, legal
 *                hold, the do-not-record list, the history mark
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <cjson/cJSON.h>
#include <re.h>
#include "base/fileutil.h"
#include "privacy.h"

static const char label[] = "privacy-state-v1";


int dp_state_save(const struct dp_privacy_state *st, const char *path,
		  const uint8_t secret[DP_KEY_LEN])
{
	cJSON *o = cJSON_CreateObject(), *list;
	uint8_t *blob = NULL;
	size_t blen = 0;
	char *text;
	int err;

	if (!o)
		return ENOMEM;

	cJSON_AddNumberToObject(o, "version", 1);
	cJSON_AddBoolToObject(o, "restricted", st->restricted);
	cJSON_AddNumberToObject(o, "restricted_since",
				(double)st->restricted_since_s);
	cJSON_AddBoolToObject(o, "legal_hold", st->legal_hold);
	cJSON_AddStringToObject(o, "hold_reason", st->hold_reason);
	cJSON_AddNumberToObject(o, "hold_since", (double)st->hold_since_s);
	cJSON_AddNumberToObject(o, "history_cleared_seq",
				(double)st->history_cleared_seq);
	cJSON_AddNumberToObject(o, "generation", st->generation);
	cJSON_AddNumberToObject(o, "last_purge", (double)st->last_purge_s);
	list = cJSON_AddArrayToObject(o, "objections");
	for (size_t i = 0; list && i < st->nobjections; i++)
		cJSON_AddItemToArray(list,
				     cJSON_CreateString(st->objections[i]));

	text = cJSON_PrintUnformatted(o);
	cJSON_Delete(o);
	if (!text)
		return ENOMEM;

	err = dp_seal(secret, label, (const uint8_t *)text, strlen(text),
		      &blob, &blen);
	dp_wipe(text, strlen(text));
	cJSON_free(text);
	if (!err)
		err = dp_write_atomic(path, blob, blen, 0600);
	mem_deref(blob);

	return err;
}


static int64_t num(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

	return cJSON_IsNumber(v) ? (int64_t)v->valuedouble : 0;
}


static bool flag(const cJSON *o, const char *key)
{
	return cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(o, key));
}


int dp_state_load(struct dp_privacy_state *st, const char *path,
		  const uint8_t secret[DP_KEY_LEN])
{
	uint8_t *pt = NULL;
	char *blob = NULL;
	size_t blen = 0, plen = 0;
	const cJSON *v, *item;
	cJSON *o;
	int err;

	memset(st, 0, sizeof(*st));

	err = dp_read_file(path, 256 * 1024, &blob, &blen);
	if (err == ENOENT)
		return 0;
	if (err)
		return err;

	err = dp_unseal(secret, label, (const uint8_t *)blob, blen, &pt,
			&plen);
	mem_deref(blob);
	if (err)
		return EBADMSG;

	o = cJSON_ParseWithLength((const char *)pt, plen);
	dp_wipe(pt, plen);
	mem_deref(pt);
	if (!cJSON_IsObject(o) || num(o, "version") != 1) {
		cJSON_Delete(o);
		return EBADMSG;
	}

	st->restricted = flag(o, "restricted");
	st->restricted_since_s = num(o, "restricted_since");
	st->legal_hold = flag(o, "legal_hold");
	v = cJSON_GetObjectItemCaseSensitive(o, "hold_reason");
	if (cJSON_IsString(v))
		str_ncpy(st->hold_reason, v->valuestring,
			 sizeof(st->hold_reason));
	st->hold_since_s = num(o, "hold_since");
	st->history_cleared_seq = (uint64_t)num(o, "history_cleared_seq");
	st->generation = (uint32_t)num(o, "generation");
	st->last_purge_s = num(o, "last_purge");

	v = cJSON_GetObjectItemCaseSensitive(o, "objections");
	cJSON_ArrayForEach(item, v) {
		if (!cJSON_IsString(item) ||
		    st->nobjections >= DP_OBJECTIONS_MAX)
			continue;
		str_ncpy(st->objections[st->nobjections++],
			 item->valuestring, DP_OBJECTION_LEN);
	}
	cJSON_Delete(o);

	return 0;
}


/* --- the do-not-record list -------------------------------------------- */

static bool is_sep(char c)
{
	return c == ' ' || c == '-' || c == '.' || c == '(' || c == ')' ||
		c == '/';
}


/* "+27 (21) 555-0100" -> "+27215550100"; false if it is not a number */
static bool as_number(const char *p, size_t n, char *out, size_t sz)
{
	size_t k = 0, digits = 0;

	for (size_t i = 0; i < n; i++) {
		char c = p[i];

		if (c == '+' && !k && k + 1 < sz)
			out[k++] = c;
		else if (isdigit((unsigned char)c) && k + 1 < sz) {
			out[k++] = c;
			digits++;
		}
		else if (!is_sep(c))
			return false;
	}
	out[k] = '\0';

	return digits >= 2;
}


/*
 * The user and host of a URI or name-addr, lower case, without scheme,
 * port, parameters or headers: "Ann <sip:Ann@Example.com:5060;x>" ->
 * user "ann", host "example.com".
 */
static void split_uri(const char *in, size_t n, char *user, size_t usz,
		      char *host, size_t hsz)
{
	const char *p = in, *end = in + n, *lt, *at, *h, *he;
	size_t k;

	lt = memchr(p, '<', n);
	if (lt) {
		const char *gt = memchr(lt, '>', (size_t)(end - lt));

		p = lt + 1;
		if (gt)
			end = gt;
	}
	while (p < end && isspace((unsigned char)*p))
		p++;

	if ((size_t)(end - p) > 4 && !strncasecmp(p, "sips:", 5))
		p += 5;
	else if ((size_t)(end - p) > 3 && (!strncasecmp(p, "sip:", 4) ||
					   !strncasecmp(p, "tel:", 4)))
		p += 4;

	for (he = p; he < end && *he != ';' && *he != '?' && *he != '>';
	     he++)
		;
	at = memchr(p, '@', (size_t)(he - p));

	k = 0;
	for (const char *q = p; at && q < at && k + 1 < usz; q++)
		user[k++] = (char)tolower((unsigned char)*q);
	user[k] = '\0';

	h = at ? at + 1 : p;
	k = 0;
	for (const char *q = h; q < he && *q != ':' && k + 1 < hsz; q++)
		host[k++] = (char)tolower((unsigned char)*q);
	host[k] = '\0';

	/* a bare number or "tel:" number: the host field holds it */
	if (!at) {
		str_ncpy(user, host, usz);
		host[0] = '\0';
	}
}


int dp_objection_normalise(const char *in, char *out, size_t sz)
{
	char user[DP_OBJECTION_LEN], host[DP_OBJECTION_LEN];
	size_t n;

	if (!in || !out || sz < 2)
		return EINVAL;
	while (isspace((unsigned char)*in))
		in++;
	n = strlen(in);
	while (n && isspace((unsigned char)in[n - 1]))
		n--;
	if (!n || n >= DP_OBJECTION_LEN)
		return EINVAL;

	if (as_number(in, n, out, sz))
		return 0;

	split_uri(in, n, user, sizeof(user), host, sizeof(host));
	if (!host[0]) {
		/* "tel:+27..." or "sip:101" without a host */
		return as_number(user, strlen(user), out, sz) ? 0 : EINVAL;
	}
	if (!user[0] || strchr(user, ' ') || strchr(host, ' '))
		return EINVAL;

	re_snprintf(out, sz, "%s@%s", user, host);

	return 0;
}


static bool matches(const char *objection, const char *user,
		    const char *host)
{
	char num[DP_OBJECTION_LEN], both[2 * DP_OBJECTION_LEN];

	if (strchr(objection, '@')) {
		re_snprintf(both, sizeof(both), "%s@%s", user, host);
		return !strcmp(objection, both);
	}

	return as_number(user, strlen(user), num, sizeof(num)) &&
		!strcmp(objection, num);
}


bool dp_privacy_keep_personal(const struct dp_privacy_state *st,
			      const char *remote_uri)
{
	char user[DP_OBJECTION_LEN], host[DP_OBJECTION_LEN];

	if (!st || st->restricted)
		return false;
	if (!remote_uri || !*remote_uri || !st->nobjections)
		return true;

	split_uri(remote_uri, strlen(remote_uri), user, sizeof(user), host,
		  sizeof(host));

	for (size_t i = 0; i < st->nobjections; i++) {
		if (matches(st->objections[i], user, host))
			return false;
	}

	return true;
}


/* `needle` in `text` as a run of its own: no digit right before or
 * after a number, no letter or digit around an address. */
static bool find_token(const char *text, size_t len, const char *needle,
		       bool number)
{
	size_t nl = strlen(needle);

	if (!nl || nl > len)
		return false;

	for (size_t i = 0; i + nl <= len; i++) {
		char before = i ? text[i - 1] : ' ';
		char after = i + nl < len ? text[i + nl] : ' ';

		if (strncasecmp(text + i, needle, nl))
			continue;
		if (number && (isdigit((unsigned char)before) ||
			       isdigit((unsigned char)after)))
			continue;
		if (!number && (isalnum((unsigned char)before) ||
				isalnum((unsigned char)after)))
			continue;
		return true;
	}

	return false;
}


bool dp_privacy_mentions_objected(const struct dp_privacy_state *st,
				  const char *text, size_t len)
{
	for (size_t i = 0; st && i < st->nobjections; i++) {
		const char *o = st->objections[i];

		if (strchr(o, '@')) {
			if (find_token(text, len, o, false))
				return true;
			continue;
		}

		/* numbers of fewer than 3 digits would match anything */
		if (o[0] == '+')
			o++;
		if (strlen(o) >= 3 && find_token(text, len, o, true))
			return true;
	}

	return false;
}
