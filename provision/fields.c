/**
 * @file fields.c  What each provisioned field may hold
 *
 * Each rule returns NULL when the value is fine, else a short reason that
 * never repeats the value.  The rules are narrow on purpose: values end
 * up in SIP URIs, in baresip account lines and in our settings files,
 * where a stray ';', '"', '$' or newline would change their meaning.
 */
#include <ctype.h>
#include <string.h>
#include <sys/stat.h>
#include <re.h>
#include "prov_int.h"

static const struct {
	const char *name;
	const char *baresip;
} codecs[] = {
	{"G722", "G722/16000/1"},
	{"PCMU", "PCMU/8000/1"},
	{"PCMA", "PCMA/8000/1"},
};


bool pv_utf8(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;

	while (i < len) {
		unsigned char c = p[i];
		uint32_t cp;
		size_t n;

		if (c < 0x80) {
			++i;
			continue;
		}
		else if ((c & 0xe0) == 0xc0) {
			n = 1;
			cp = c & 0x1f;
		}
		else if ((c & 0xf0) == 0xe0) {
			n = 2;
			cp = c & 0x0f;
		}
		else if ((c & 0xf8) == 0xf0) {
			n = 3;
			cp = c & 0x07;
		}
		else {
			return false;
		}

		if (i + n >= len)
			return false;

		for (size_t k = 1; k <= n; k++) {
			if (i + k >= len || (p[i + k] & 0xc0) != 0x80)
				return false;
			cp = (cp << 6) | (p[i + k] & 0x3f);
		}

		if ((n == 1 && cp < 0x80) || (n == 2 && cp < 0x800) ||
		    (n == 3 && cp < 0x10000) || cp > 0x10ffff ||
		    (cp >= 0xd800 && cp <= 0xdfff))
			return false;

		i += n + 1;
	}

	return true;
}


static bool has_control(const char *s)
{
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c < 0x20 || c == 0x7f)
			return true;
	}

	return false;
}


static bool only(const char *s, const char *extra)
{
	for (; *s; s++) {
		if (!isalnum((unsigned char)*s) && !strchr(extra, *s))
			return false;
	}

	return true;
}


const char *pv_text(const char *s)
{
	if (!*s)
		return "empty";
	if (has_control(s))
		return "contains a control character";
	if (strchr(s, '$'))
		return "must not contain $";

	return NULL;
}


const char *pv_display_name(const char *s)
{
	if (!*s)
		return "empty";
	if (has_control(s))
		return "contains a control character";
	if (strpbrk(s, "\"\\<>$"))
		return "must not contain \", \\, <, > or $";

	return NULL;
}


static bool host_ok(const char *h, size_t len)
{
	size_t label = 0;

	if (len == 0 || len > 253)
		return false;

	if (h[0] == '[') {
		if (len < 4 || h[len - 1] != ']')
			return false;
		for (size_t i = 1; i < len - 1; i++) {
			if (!isxdigit((unsigned char)h[i]) && h[i] != ':' &&
			    h[i] != '.')
				return false;
		}
		return true;
	}

	for (size_t i = 0; i < len; i++) {
		char c = h[i];

		if (c == '.') {
			if (label == 0 || h[i - 1] == '-')
				return false;
			label = 0;
			continue;
		}
		if (!isalnum((unsigned char)c) && c != '-')
			return false;
		if (c == '-' && label == 0)
			return false;
		if (++label > 63)
			return false;
	}

	return label > 0 && h[len - 1] != '-';
}


const char *pv_host_port(const char *s)
{
	const char *colon;
	size_t hostlen;

	if (!*s)
		return "empty";

	if (s[0] == '[') {
		const char *close = strchr(s, ']');

		colon = close && close[1] == ':' ? close + 1 : NULL;
		if (close && close[1] && !colon)
			return "must be a host name or address, optionally"
				" with :port";
	}
	else {
		colon = strchr(s, ':');
		if (colon && strchr(colon + 1, ':'))
			return "an IPv6 address must be written in [ ]";
	}

	hostlen = colon ? (size_t)(colon - s) : strlen(s);
	if (!host_ok(s, hostlen))
		return "must be a host name or address, optionally with :port";

	if (colon) {
		const char *p = colon + 1;
		unsigned long port = 0;

		if (!*p || strlen(p) > 5)
			return "port must be a number from 1 to 65535";
		for (; *p; p++) {
			if (!isdigit((unsigned char)*p))
				return "port must be a number from 1 to 65535";
			port = port * 10 + (unsigned long)(*p - '0');
		}
		if (port < 1 || port > 65535)
			return "port must be a number from 1 to 65535";
	}

	return NULL;
}


const char *pv_sip_user(const char *s)
{
	if (!*s)
		return "empty";
	if (!only(s, "._~+-"))
		return "may hold only letters, digits and . _ ~ + -";

	return NULL;
}


const char *pv_password(const char *s)
{
	if (!*s)
		return "empty";

	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c < 0x20 || c > 0x7e)
			return "must be printable ASCII";
	}

	return NULL;
}


const char *pv_extension(const char *s)
{
	if (!*s)
		return "empty";
	if (!only(s, "*#") || strpbrk(s, "abcdefghijklmnopqrstuvwxyz"
				       "ABCDEFGHIJKLMNOPQRSTUVWXYZ"))
		return "may hold only digits, * and #";

	return NULL;
}


const char *pv_time_zone(const char *s)
{
	const char *why = "must be a time zone name such as Europe/Berlin"
		" or UTC";
	char path[160];
	struct stat st;

	if (!*s)
		return "empty";
	if (!only(s, "_+-/") || s[0] == '/' || strstr(s, "//") ||
	    s[strlen(s) - 1] == '/')
		return why;

	/* Check against the time zone database where there is one. */
	if (0 == stat("/usr/share/zoneinfo", &st) && S_ISDIR(st.st_mode)) {
		re_snprintf(path, sizeof(path), "/usr/share/zoneinfo/%s", s);
		if (stat(path, &st) < 0 || !S_ISREG(st.st_mode))
			return "unknown time zone";
	}

	return NULL;
}


const char *pv_label(const char *s)
{
	if (has_control(s))
		return "contains a control character";
	if (strpbrk(s, "$:;"))
		return "must not contain $ : or ;";

	return NULL;
}


const char *pv_target(const char *s)
{
	if (!*s)
		return "empty";
	if (!only(s, "._~+*#-"))
		return "may hold only letters, digits and . _ ~ + * # -";

	return NULL;
}


const char *pv_file_name(const char *s)
{
	if (!*s)
		return "empty";
	if (s[0] == '.' || s[0] == '-' || !only(s, "._-"))
		return "must be a plain file name (letters, digits, . _ -)";

	return NULL;
}


const char *pv_serial(const char *s)
{
	if (!*s)
		return "empty";
	if (!isalnum((unsigned char)s[0]) || !only(s, "._-"))
		return "may hold only letters, digits and . _ - (starting"
			" with a letter or digit)";

	return NULL;
}


const char *pv_mac(const char *s)
{
	char mac[18];

	if (!*s)
		return "empty";
	if (prov_mac_normalise(s, mac))
		return "must be a MAC address such as 00:1a:2b:3c:4d:5e";

	return NULL;
}


const char *pv_codec(const char *s)
{
	return pv_codec_baresip(s) ? NULL : "must be G722, PCMU or PCMA";
}


const char *pv_codec_baresip(const char *s)
{
	for (size_t i = 0; i < sizeof(codecs) / sizeof(codecs[0]); i++) {
		if (0 == strcmp(s, codecs[i].name))
			return codecs[i].baresip;
	}

	return NULL;
}


const char *pv_timestamp(const char *s)
{
	static const char pat[] = "dddd-dd-ddTdd:dd:ddZ";

	if (strlen(s) != sizeof(pat) - 1)
		return "must be a UTC time such as 2025-01-31T09:00:00Z";

	for (size_t i = 0; pat[i]; i++) {
		if (pat[i] == 'd' ? !isdigit((unsigned char)s[i]) :
		    s[i] != pat[i])
			return "must be a UTC time such as"
				" 2025-01-31T09:00:00Z";
	}

	return NULL;
}


bool pv_stick_path(const char *path)
{
	char buf[129];
	unsigned parts = 0;
	char *save = NULL;

	if (!path || !*path || strlen(path) >= sizeof(buf) || path[0] == '/')
		return false;

	strcpy(buf, path);
	if (strstr(buf, "//") || buf[strlen(buf) - 1] == '/')
		return false;

	for (char *c = strtok_r(buf, "/", &save); c;
	     c = strtok_r(NULL, "/", &save)) {
		if (pv_file_name(c) || ++parts > 2)
			return false;
	}

	return parts > 0;
}


bool pv_phone_id(const char *id)
{
	if (!id)
		return false;

	if (0 == strncmp(id, "serial-", 7))
		return strlen(id + 7) <= 64 && !pv_serial(id + 7);

	if (strlen(id) != 12)
		return false;

	for (size_t i = 0; i < 12; i++) {
		if (!isxdigit((unsigned char)id[i]) ||
		    isupper((unsigned char)id[i]))
			return false;
	}

	return true;
}


int prov_mac_normalise(const char *in, char out[18])
{
	char hex[13];
	size_t n = 0;
	char sep = 0;

	if (!in || !out)
		return EINVAL;

	for (const char *p = in; *p; p++) {
		if (isxdigit((unsigned char)*p)) {
			if (n >= 12)
				return EINVAL;
			hex[n++] = (char)tolower((unsigned char)*p);
			continue;
		}

		/* one separator kind, between pairs only */
		if ((*p != ':' && *p != '-') || n == 0 || n % 2 ||
		    (sep && *p != sep) || p[1] == '\0' || p[1] == ':' ||
		    p[1] == '-')
			return EINVAL;
		sep = *p;
	}

	if (n != 12)
		return EINVAL;

	if (sep) {
		size_t seps = 0;

		for (const char *p = in; *p; p++)
			seps += (*p == sep);
		if (seps != 5)
			return EINVAL;
	}

	re_snprintf(out, 18, "%c%c:%c%c:%c%c:%c%c:%c%c:%c%c",
		    hex[0], hex[1], hex[2], hex[3], hex[4], hex[5],
		    hex[6], hex[7], hex[8], hex[9], hex[10], hex[11]);

	return 0;
}


void prov_mac_id(const char *mac, char id[13])
{
	size_t n = 0;

	for (const char *p = mac; p && *p && n < 12; p++) {
		if (*p != ':')
			id[n++] = *p;
	}

	id[n] = '\0';
}


int prov_serial_check(const char *serial)
{
	return serial && strlen(serial) <= 64 && !pv_serial(serial) ?
		0 : EINVAL;
}


const char *prov_key_type_name(enum prov_key_type t)
{
	switch (t) {

	case PROV_KEY_LINE:  return "line";
	case PROV_KEY_BLF:   return "blf";
	case PROV_KEY_SPEED: return "speed";
	default:             return "?";
	}
}


static int key_type(const char *s, enum prov_key_type *t)
{
	for (int i = PROV_KEY_LINE; i <= PROV_KEY_SPEED; i++) {
		if (0 == strcmp(s, prov_key_type_name((enum prov_key_type)i))) {
			*t = (enum prov_key_type)i;
			return 0;
		}
	}

	return EINVAL;
}


/*
 * The CSV spelling of line keys: entries separated by ';', each
 * TYPE[:TARGET[:LABEL]], e.g. "line;blf:102:Sales;speed:0800123456:Help".
 */
int prov_line_keys_parse(struct prov_phone *p, const char *text,
			 const char *where, struct prov_report *rep)
{
	const char *s = text;
	bool ok = true;
	size_t i = 0;

	p->nkeys = 0;
	if (!*text)
		return 0;

	while (s) {
		const char *semi = strchr(s, ';');
		size_t len = semi ? (size_t)(semi - s) : strlen(s);
		char entry[128], *type, *target, *label;
		struct prov_line_key *k;
		const char *why;

		++i;
		if (i > PROV_MAX_LINE_KEYS) {
			prov_report_add(rep, "%s: line_keys: more than %u keys",
					where, PROV_MAX_LINE_KEYS);
			return EINVAL;
		}

		if (len >= sizeof(entry)) {
			prov_report_add(rep, "%s: line_keys[%zu]: longer than"
					" %zu bytes", where, i,
					sizeof(entry) - 1);
			ok = false;
			goto next;
		}
		memcpy(entry, s, len);
		entry[len] = '\0';

		type = entry;
		target = strchr(entry, ':');
		if (target)
			*target++ = '\0';
		label = target ? strchr(target, ':') : NULL;
		if (label)
			*label++ = '\0';

		k = &p->keys[p->nkeys];
		memset(k, 0, sizeof(*k));

		if (key_type(type, &k->type)) {
			prov_report_add(rep, "%s: line_keys[%zu]: type must be"
					" line, blf or speed", where, i);
			ok = false;
			goto next;
		}

		if (k->type == PROV_KEY_LINE) {
			if (target && *target) {
				prov_report_add(rep, "%s: line_keys[%zu]: a line"
						" key has no target", where, i);
				ok = false;
				goto next;
			}
		}
		else {
			why = target ? pv_target(target) : "missing";
			if (!why && strlen(target) >= sizeof(k->target))
				why = "too long";
			if (why) {
				prov_report_add(rep, "%s: line_keys[%zu]: target:"
						" %s", where, i, why);
				ok = false;
				goto next;
			}
			str_ncpy(k->target, target, sizeof(k->target));
		}

		if (label) {
			why = pv_label(label);
			if (!why && strlen(label) >= sizeof(k->label))
				why = "longer than 32 bytes";
			if (why) {
				prov_report_add(rep, "%s: line_keys[%zu]: label:"
						" %s", where, i, why);
				ok = false;
				goto next;
			}
			str_ncpy(k->label, label, sizeof(k->label));
		}

		++p->nkeys;

	next:
		s = semi ? semi + 1 : NULL;
	}

	return ok ? 0 : EINVAL;
}
