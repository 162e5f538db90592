/**
 * @file phone.c  One phone's entry: phones/<id>.json on the stick, and a
 *                row of the installer's phones CSV file
 */
#include <string.h>
#include <re.h>
#include "privacy/crypto/crypto.h"
#include "prov_int.h"

static const char *const phone_fields[] = {
	"mac", "serial", "extension", "display_name", "sip_user",
	"auth_user", "sip_password", "line_keys", NULL
};
static const char *const key_fields[] = { "type", "target", "label", NULL };

enum { MAX_FIELDS = 16, RECORD_MAX = 8192 };


void prov_phone_wipe(struct prov_phone *p)
{
	if (p)
		dp_wipe(p, sizeof(*p));
}


void prov_phone_id(const struct prov_phone *p, char *id, size_t sz)
{
	char mac_id[13];

	if (p->mac[0]) {
		prov_mac_id(p->mac, mac_id);
		str_ncpy(id, mac_id, sz);
	}
	else {
		re_snprintf(id, sz, "serial-%s", p->serial);
	}
}


static const char *check_mac_field(const char *s)
{
	return pv_mac(s);
}


static const char *check_serial_field(const char *s)
{
	return pv_serial(s);
}


/* What both spellings must satisfy once the fields are read. */
static bool phone_whole(struct prov_phone *p, const char *where,
			struct prov_report *rep)
{
	if (!p->mac[0] && !p->serial[0]) {
		prov_report_add(rep, "%s: mac, serial: give at least one,"
				" so the phone can find its entry", where);
		return false;
	}

	if (p->mac[0]) {
		char mac[18];

		(void)prov_mac_normalise(p->mac, mac);
		memcpy(p->mac, mac, sizeof(mac));
	}

	return true;
}


static bool parse_key(struct prov_line_key *k, const cJSON *obj,
		      const char *file, const char *path,
		      struct prov_report *rep)
{
	char type[8];
	bool ok = true;

	memset(k, 0, sizeof(*k));

	if (!pj_fields(obj, file, path, key_fields, rep))
		return false;

	if (!pj_string(obj, "type", true, type, sizeof(type), NULL, file,
		       path, rep))
		return false;

	if (0 == strcmp(type, "line")) {
		k->type = PROV_KEY_LINE;
	}
	else if (0 == strcmp(type, "blf")) {
		k->type = PROV_KEY_BLF;
	}
	else if (0 == strcmp(type, "speed")) {
		k->type = PROV_KEY_SPEED;
	}
	else {
		prov_report_add(rep, "%s: %s.type: must be line, blf or speed",
				file, path);
		return false;
	}

	ok &= pj_string(obj, "target", k->type != PROV_KEY_LINE, k->target,
			sizeof(k->target), pv_target, file, path, rep);
	if (ok && k->type == PROV_KEY_LINE && k->target[0]) {
		prov_report_add(rep, "%s: %s.target: a line key has no target",
				file, path);
		ok = false;
	}
	ok &= pj_string(obj, "label", false, k->label, sizeof(k->label),
			pv_label, file, path, rep);

	return ok;
}


int prov_phone_parse(struct prov_phone *p, const char *file,
		     const char *json, size_t len, struct prov_report *rep)
{
	const cJSON *keys, *k, *pw;
	cJSON *root;
	bool ok = true;
	size_t i = 0;

	if (!p || !file)
		return EINVAL;

	memset(p, 0, sizeof(*p));

	root = pj_parse(file, json, len, rep);
	if (!root)
		return EINVAL;

	ok &= pj_fields(root, file, "", phone_fields, rep);
	ok &= pj_string(root, "mac", false, p->mac, sizeof(p->mac),
			check_mac_field, file, "", rep);
	ok &= pj_string(root, "serial", false, p->serial, sizeof(p->serial),
			check_serial_field, file, "", rep);
	ok &= pj_string(root, "extension", true, p->extension,
			sizeof(p->extension), pv_extension, file, "", rep);
	ok &= pj_string(root, "display_name", true, p->display_name,
			sizeof(p->display_name), pv_display_name, file, "",
			rep);
	ok &= pj_string(root, "sip_user", true, p->sip_user,
			sizeof(p->sip_user), pv_sip_user, file, "", rep);
	ok &= pj_string(root, "auth_user", false, p->auth_user,
			sizeof(p->auth_user), pv_sip_user, file, "", rep);
	ok &= pj_string(root, "sip_password", true, p->sip_password,
			sizeof(p->sip_password), pv_password, file, "", rep);

	keys = pj_member(root, "line_keys");
	if (keys && !cJSON_IsArray(keys)) {
		prov_report_add(rep, "%s: line_keys: must be a list", file);
		ok = false;
	}
	else if (keys) {
		for (k = keys->child; k; k = k->next, i++) {
			char path[32];

			if (i >= PROV_MAX_LINE_KEYS) {
				prov_report_add(rep, "%s: line_keys: more than"
						" %u keys", file,
						PROV_MAX_LINE_KEYS);
				ok = false;
				break;
			}
			pj_path_index(path, sizeof(path), "line_keys", i);
			if (parse_key(&p->keys[p->nkeys], k, file, path, rep))
				++p->nkeys;
			else
				ok = false;
		}
	}

	if (ok)
		ok = phone_whole(p, file, rep);

	/* cJSON's copy of the password goes away with the tree. */
	pw = pj_member(root, "sip_password");
	if (cJSON_IsString(pw) && pw->valuestring)
		dp_wipe(pw->valuestring, strlen(pw->valuestring));
	cJSON_Delete(root);

	if (!ok)
		prov_phone_wipe(p);

	return ok ? 0 : EINVAL;
}


int prov_phone_print(const struct prov_phone *p, char **jsonp)
{
	cJSON *root, *keys;
	bool ok = true;
	int err;

	if (!p || !jsonp)
		return EINVAL;

	root = cJSON_CreateObject();
	if (!root)
		return ENOMEM;

	if (p->mac[0])
		ok &= NULL != cJSON_AddStringToObject(root, "mac", p->mac);
	if (p->serial[0])
		ok &= NULL != cJSON_AddStringToObject(root, "serial",
						      p->serial);
	ok &= NULL != cJSON_AddStringToObject(root, "extension",
					      p->extension);
	ok &= NULL != cJSON_AddStringToObject(root, "display_name",
					      p->display_name);
	ok &= NULL != cJSON_AddStringToObject(root, "sip_user", p->sip_user);
	if (p->auth_user[0])
		ok &= NULL != cJSON_AddStringToObject(root, "auth_user",
						      p->auth_user);
	ok &= NULL != cJSON_AddStringToObject(root, "sip_password",
					      p->sip_password);

	if (p->nkeys) {
		keys = cJSON_AddArrayToObject(root, "line_keys");
		ok &= keys != NULL;
		for (size_t i = 0; keys && i < p->nkeys; i++) {
			const struct prov_line_key *k = &p->keys[i];
			cJSON *o = cJSON_CreateObject();

			if (!o || !cJSON_AddItemToArray(keys, o)) {
				cJSON_Delete(o);
				ok = false;
				break;
			}
			ok &= NULL != cJSON_AddStringToObject(o, "type",
						prov_key_type_name(k->type));
			if (k->target[0])
				ok &= NULL != cJSON_AddStringToObject(o,
							"target", k->target);
			if (k->label[0])
				ok &= NULL != cJSON_AddStringToObject(o,
							"label", k->label);
		}
	}

	err = ok ? pj_print(root, jsonp) : ENOMEM;

	{
		cJSON *pw = cJSON_GetObjectItemCaseSensitive(root,
							     "sip_password");

		if (cJSON_IsString(pw) && pw->valuestring)
			dp_wipe(pw->valuestring, strlen(pw->valuestring));
	}
	cJSON_Delete(root);

	return err;
}


/* --- CSV ------------------------------------------------------------------ */

struct csv {
	const char *p, *end;
	unsigned line;
};


/*
 * One record (RFC 4180: fields separated by commas, optionally in double
 * quotes with "" for a quote; quoted fields may span lines).  Fields are
 * written NUL-terminated into buf.  ENOENT at the end of the input.
 */
static int csv_record(struct csv *c, const char *file, char *buf,
		      size_t bufsz, char *fields[], size_t *nf,
		      unsigned *start, struct prov_report *rep)
{
	size_t used = 0, n = 0;
	bool more = true;

	/* blank lines and # comment lines between records */
	for (;;) {
		if (c->p >= c->end)
			return ENOENT;
		if (*c->p == '\n' || (*c->p == '\r' && c->p + 1 < c->end &&
				      c->p[1] == '\n')) {
			c->p += *c->p == '\r' ? 2 : 1;
			++c->line;
			continue;
		}
		if (*c->p == '#') {
			while (c->p < c->end && *c->p != '\n')
				++c->p;
			continue;
		}
		break;
	}

	*start = c->line;

	while (more) {
		bool quoted = false;

		if (n >= MAX_FIELDS) {
			prov_report_add(rep, "%s:%u: more than %u fields", file,
					*start, MAX_FIELDS);
			return EINVAL;
		}
		fields[n++] = buf + used;

		if (c->p < c->end && *c->p == '"') {
			quoted = true;
			++c->p;
		}

		for (;;) {
			char ch;

			if (c->p >= c->end) {
				if (quoted) {
					prov_report_add(rep, "%s:%u: a quoted"
							" field is not closed",
							file, *start);
					return EINVAL;
				}
				more = false;
				break;
			}

			ch = *c->p;

			if (quoted && ch == '"') {
				if (c->p + 1 < c->end && c->p[1] == '"') {
					c->p += 2;
				}
				else {
					++c->p;
					quoted = false;
					if (c->p < c->end && *c->p != ',' &&
					    *c->p != '\n' && *c->p != '\r') {
						prov_report_add(rep, "%s:%u:"
							" text after a closing"
							" quote", file,
							c->line);
						return EINVAL;
					}
					continue;
				}
			}
			else if (!quoted && ch == ',') {
				++c->p;
				break;
			}
			else if (!quoted && (ch == '\n' || ch == '\r')) {
				if (ch == '\r') {
					if (c->p + 1 >= c->end ||
					    c->p[1] != '\n') {
						prov_report_add(rep, "%s:%u: a"
							" carriage return"
							" without a line feed",
							file, c->line);
						return EINVAL;
					}
					++c->p;
				}
				++c->p;
				++c->line;
				more = false;
				break;
			}
			else if (!quoted && ch == '"') {
				prov_report_add(rep, "%s:%u: a quote inside an"
						" unquoted field", file,
						c->line);
				return EINVAL;
			}
			else {
				if (ch == '\n')
					++c->line;
				++c->p;
			}

			if (used + 2 >= bufsz) {
				prov_report_add(rep, "%s:%u: record longer than"
						" %zu bytes", file, *start,
						bufsz - 2);
				return EINVAL;
			}
			buf[used++] = ch;
		}

		buf[used++] = '\0';
	}

	*nf = n;

	return 0;
}


enum col {
	COL_MAC = 0, COL_SERIAL, COL_EXTENSION, COL_DISPLAY_NAME,
	COL_SIP_USER, COL_AUTH_USER, COL_SIP_PASSWORD, COL_LINE_KEYS,
	COL_MAX
};


static const char *const col_names[COL_MAX] = {
	"mac", "serial", "extension", "display_name", "sip_user",
	"auth_user", "sip_password", "line_keys"
};


static bool header(const char *file, char *fields[], size_t nf,
		   int colmap[MAX_FIELDS], struct prov_report *rep)
{
	bool have[COL_MAX] = {false};
	bool ok = true;

	for (size_t i = 0; i < nf; i++) {
		int col = -1;

		for (int k = 0; k < COL_MAX; k++) {
			if (0 == strcmp(fields[i], col_names[k]))
				col = k;
		}

		if (col < 0) {
			prov_report_add(rep, "%s:1: column %zu: unknown column"
					" name (expected mac, serial,"
					" extension, display_name, sip_user,"
					" auth_user, sip_password, line_keys)",
					file, i + 1);
			ok = false;
			continue;
		}
		if (have[col]) {
			prov_report_add(rep, "%s:1: %s: column appears twice",
					file, col_names[col]);
			ok = false;
		}
		have[col] = true;
		colmap[i] = col;
	}

	for (int k = COL_EXTENSION; k <= COL_SIP_PASSWORD; k++) {
		if (k == COL_AUTH_USER || have[k])
			continue;
		prov_report_add(rep, "%s:1: %s: column missing", file,
				col_names[k]);
		ok = false;
	}

	if (!have[COL_MAC] && !have[COL_SERIAL]) {
		prov_report_add(rep, "%s:1: mac, serial: a mac or a serial"
				" column is needed", file);
		ok = false;
	}

	return ok;
}


static bool field(const char *val, char *out, size_t sz, pj_check_h *check,
		  bool required, const char *where, const char *col,
		  struct prov_report *rep)
{
	const char *why;

	out[0] = '\0';

	if (!*val && !required)
		return true;

	if (strlen(val) >= sz) {
		prov_report_add(rep, "%s: %s: longer than %zu bytes", where,
				col, sz - 1);
		return false;
	}

	why = check(val);
	if (why) {
		prov_report_add(rep, "%s: %s: %s", where, col, why);
		return false;
	}

	str_ncpy(out, val, sz);

	return true;
}


static bool row(struct prov_phone *p, char *fields[], size_t nf,
		const int colmap[MAX_FIELDS], const char *where,
		struct prov_report *rep)
{
	bool ok = true;

	memset(p, 0, sizeof(*p));

	for (size_t i = 0; i < nf; i++) {
		const char *v = fields[i];

		switch (colmap[i]) {

		case COL_MAC:
			ok &= field(v, p->mac, sizeof(p->mac), pv_mac, false,
				    where, "mac", rep);
			break;

		case COL_SERIAL:
			ok &= field(v, p->serial, sizeof(p->serial), pv_serial,
				    false, where, "serial", rep);
			break;

		case COL_EXTENSION:
			ok &= field(v, p->extension, sizeof(p->extension),
				    pv_extension, true, where, "extension",
				    rep);
			break;

		case COL_DISPLAY_NAME:
			ok &= field(v, p->display_name,
				    sizeof(p->display_name), pv_display_name,
				    true, where, "display_name", rep);
			break;

		case COL_SIP_USER:
			ok &= field(v, p->sip_user, sizeof(p->sip_user),
				    pv_sip_user, true, where, "sip_user", rep);
			break;

		case COL_AUTH_USER:
			ok &= field(v, p->auth_user, sizeof(p->auth_user),
				    pv_sip_user, false, where, "auth_user",
				    rep);
			break;

		case COL_SIP_PASSWORD:
			ok &= field(v, p->sip_password,
				    sizeof(p->sip_password), pv_password, true,
				    where, "sip_password", rep);
			break;

		case COL_LINE_KEYS:
			ok &= 0 == prov_line_keys_parse(p, v, where, rep);
			break;

		default:
			break;
		}
	}

	if (ok)
		ok = phone_whole(p, where, rep);

	return ok;
}


int prov_phones_csv(const char *file, const char *csv, size_t len,
		    prov_phone_h *h, void *arg, struct prov_report *rep)
{
	struct csv c = { csv, csv + len, 1 };
	char *fields[MAX_FIELDS], *buf;
	int colmap[MAX_FIELDS];
	struct prov_phone *p;
	size_t nf = 0, ncols;
	unsigned start = 0, rows = 0;
	bool ok = true;
	int err;

	if (!file || !csv || !h)
		return EINVAL;

	if (memchr(csv, '\0', len)) {
		prov_report_add(rep, "%s: contains a NUL byte", file);
		return EINVAL;
	}
	if (!pv_utf8(csv, len)) {
		prov_report_add(rep, "%s: not valid UTF-8", file);
		return EINVAL;
	}

	/* spreadsheets like to start with a byte-order mark */
	if (len >= 3 && 0 == memcmp(csv, "\xef\xbb\xbf", 3))
		c.p += 3;

	buf = mem_zalloc(RECORD_MAX, NULL);
	p = mem_zalloc(sizeof(*p), NULL);
	if (!buf || !p) {
		mem_deref(buf);
		mem_deref(p);
		return ENOMEM;
	}

	err = csv_record(&c, file, buf, RECORD_MAX, fields, &nf, &start, rep);
	if (err == ENOENT) {
		prov_report_add(rep, "%s: empty (expected a header row)", file);
		err = EINVAL;
		goto out;
	}
	if (err || !header(file, fields, nf, colmap, rep)) {
		err = EINVAL;
		goto out;
	}
	ncols = nf;

	for (;;) {
		char where[300];

		err = csv_record(&c, file, buf, RECORD_MAX, fields, &nf,
				 &start, rep);
		if (err == ENOENT)
			break;
		if (err) {
			ok = false;
			break;   /* the tokenizer cannot resynchronise */
		}

		re_snprintf(where, sizeof(where), "%s:%u", file, start);

		if (++rows > PROV_MAX_PHONES) {
			prov_report_add(rep, "%s: more than %u phones", where,
					PROV_MAX_PHONES);
			ok = false;
			break;
		}

		if (nf != ncols) {
			prov_report_add(rep, "%s: has %zu fields, the header"
					" has %zu", where, nf, ncols);
			ok = false;
			continue;
		}

		if (!row(p, fields, nf, colmap, where, rep)) {
			ok = false;
			continue;
		}

		err = h(p, start, arg);
		prov_phone_wipe(p);
		if (err == EINVAL) {
			ok = false;
		}
		else if (err) {
			goto out;
		}
	}

	if (ok && rows == 0) {
		prov_report_add(rep, "%s: no phones (only a header row)", file);
		ok = false;
	}

	err = ok ? 0 : EINVAL;

 out:
	dp_wipe(buf, RECORD_MAX);
	prov_phone_wipe(p);
	mem_deref(buf);
	mem_deref(p);

	return err;
}
