/**
 * @file json.c  Strict JSON on top of cJSON: one object, known fields
 *               only, each named by its path when something is wrong
 */
#include <math.h>
#include <string.h>
#include <strings.h>
#include <re.h>
#include "privacy/crypto/crypto.h"
#include "prov_int.h"


/* Member names are printed in messages: keep them short and printable. */
static int print_name(struct re_printf *pf, void *arg)
{
	const char *s = arg;
	char buf[48];
	size_t i;

	for (i = 0; s && s[i] && i < sizeof(buf) - 4; i++) {
		unsigned char c = (unsigned char)s[i];

		buf[i] = (c >= 0x20 && c < 0x7f) ? (char)c : '?';
	}

	if (s && s[i])
		memcpy(buf + i, "...", 4);
	else
		buf[i] = '\0';

	return re_hprintf(pf, "%s", buf);
}


void pj_path(char *buf, size_t sz, const char *parent, const char *name)
{
	if (parent && *parent)
		re_snprintf(buf, sz, "%s.%H", parent, print_name, name);
	else
		re_snprintf(buf, sz, "%H", print_name, name);
}


void pj_path_index(char *buf, size_t sz, const char *parent, size_t i)
{
	re_snprintf(buf, sz, "%s[%zu]", parent, i + 1);
}


static void line_col(const char *buf, const char *at, unsigned *line,
		     unsigned *col)
{
	*line = 1;
	*col = 1;

	for (const char *p = buf; p < at && *p; p++) {
		if (*p == '\n') {
			++*line;
			*col = 1;
		}
		else {
			++*col;
		}
	}
}


cJSON *pj_parse(const char *file, const char *buf, size_t len,
		struct prov_report *rep)
{
	const char *end = NULL;
	cJSON *root;

	if (!buf) {
		prov_report_add(rep, "%s: empty", file);
		return NULL;
	}

	if (memchr(buf, '\0', len)) {
		prov_report_add(rep, "%s: contains a NUL byte", file);
		return NULL;
	}

	if (!pv_utf8(buf, len)) {
		prov_report_add(rep, "%s: not valid UTF-8", file);
		return NULL;
	}

	for (const char *p = buf; (p = strstr(p, "\\u")) != NULL; p += 2) {
		if (0 == strncasecmp(p, "\\u0000", 6)) {
			prov_report_add(rep, "%s: contains \\u0000", file);
			return NULL;
		}
	}

	/* The length counts the terminating NUL: cJSON then insists that
	 * nothing but blanks follows the value. */
	root = cJSON_ParseWithLengthOpts(buf, len + 1, &end, 1);
	if (!root) {
		unsigned line, col;

		line_col(buf, end ? end : buf, &line, &col);
		prov_report_add(rep, "%s:%u:%u: malformed JSON", file, line,
				col);
		return NULL;
	}

	if (!cJSON_IsObject(root)) {
		prov_report_add(rep, "%s: must hold one JSON object", file);
		cJSON_Delete(root);
		return NULL;
	}

	return root;
}


bool pj_fields(const cJSON *obj, const char *file, const char *path,
	       const char *const allowed[], struct prov_report *rep)
{
	const cJSON *c, *d;
	bool ok = true;

	if (!cJSON_IsObject(obj)) {
		prov_report_add(rep, "%s: %s: must be an object", file,
				path && *path ? path : "(top level)");
		return false;
	}

	for (c = obj->child; c; c = c->next) {
		char where[160];
		bool known = false;

		for (size_t i = 0; allowed[i]; i++) {
			if (c->string && 0 == strcmp(allowed[i], c->string)) {
				known = true;
				break;
			}
		}

		if (!known) {
			pj_path(where, sizeof(where), path, c->string);
			prov_report_add(rep, "%s: %s: unknown field", file,
					where);
			ok = false;
			continue;
		}

		for (d = obj->child; d != c; d = d->next) {
			if (d->string && 0 == strcmp(d->string, c->string)) {
				pj_path(where, sizeof(where), path, c->string);
				prov_report_add(rep, "%s: %s: appears twice",
						file, where);
				ok = false;
				break;
			}
		}
	}

	return ok;
}


const cJSON *pj_member(const cJSON *obj, const char *name)
{
	return cJSON_GetObjectItemCaseSensitive(obj, name);
}


bool pj_string(const cJSON *obj, const char *name, bool required,
	       char *out, size_t sz, pj_check_h *check, const char *file,
	       const char *path, struct prov_report *rep)
{
	const cJSON *v = pj_member(obj, name);
	const char *why;
	char where[160];
	size_t len;

	out[0] = '\0';

	if (!v) {
		if (!required)
			return true;
		why = "missing";
	}
	else if (!cJSON_IsString(v) || !v->valuestring) {
		why = "must be a string";
	}
	else if ((len = strlen(v->valuestring)) >= sz) {
		pj_path(where, sizeof(where), path, name);
		prov_report_add(rep, "%s: %s: longer than %zu bytes", file,
				where, sz - 1);
		return false;
	}
	else {
		why = check ? check(v->valuestring) : NULL;
	}

	if (why) {
		pj_path(where, sizeof(where), path, name);
		prov_report_add(rep, "%s: %s: %s", file, where, why);
		return false;
	}

	memcpy(out, v->valuestring, len + 1);

	return true;
}


bool pj_uint(const cJSON *obj, const char *name, bool required,
	     uint64_t min, uint64_t max, uint64_t *out, const char *file,
	     const char *path, struct prov_report *rep)
{
	const cJSON *v = pj_member(obj, name);
	char where[160];
	double d;

	if (!v) {
		if (!required)
			return true;
		pj_path(where, sizeof(where), path, name);
		prov_report_add(rep, "%s: %s: missing", file, where);
		return false;
	}

	d = cJSON_IsNumber(v) ? v->valuedouble : -1;
	if (!cJSON_IsNumber(v) || !isfinite(d) || d != floor(d) ||
	    d < (double)min || d > (double)max) {
		pj_path(where, sizeof(where), path, name);
		prov_report_add(rep, "%s: %s: must be a whole number from"
				" %llu to %llu", file, where,
				(unsigned long long)min,
				(unsigned long long)max);
		return false;
	}

	*out = (uint64_t)d;

	return true;
}


bool pj_bool(const cJSON *obj, const char *name, bool *out,
	     const char *file, const char *path, struct prov_report *rep)
{
	const cJSON *v = pj_member(obj, name);
	char where[160];

	if (!v)
		return true;

	if (!cJSON_IsBool(v)) {
		pj_path(where, sizeof(where), path, name);
		prov_report_add(rep, "%s: %s: must be true or false", file,
				where);
		return false;
	}

	*out = cJSON_IsTrue(v);

	return true;
}


int pj_print(cJSON *root, char **textp)
{
	char *s;
	int err;

	if (!root || !textp)
		return EINVAL;

	s = cJSON_Print(root);
	if (!s)
		return ENOMEM;

	err = re_sdprintf(textp, "%s\n", s);

	/* The text may hold a password: wipe cJSON's copy. */
	dp_wipe(s, strlen(s));
	cJSON_free(s);

	return err;
}
