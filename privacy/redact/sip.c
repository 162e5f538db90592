/**
 * @file sip.c  SIP start lines and headers
 *
 * Methods, status codes, reason phrases (scanned), header names, CSeq and
 * the numbers of numeric headers stay.  Each known header has a rule for
 * its value; an unknown header's value is replaced by one token.
 */
#include <string.h>
#include <re.h>
#include "rd.h"

struct hdr {
	const char *name;     /* lower case, sorted */
	enum rd_hkind kind;
};

/* Sorted by name (lower case) for bsearch. */
static const struct hdr hdrs[] = {
	{ "accept",                        RH_TEXT },
	{ "accept-contact",                RH_ADDR },
	{ "accept-encoding",               RH_TEXT },
	{ "accept-language",               RH_TEXT },
	{ "accept-resource-priority",      RH_TEXT },
	{ "alert-info",                    RH_ADDR },
	{ "allow",                         RH_TEXT },
	{ "allow-events",                  RH_TEXT },
	{ "answer-mode",                   RH_TEXT },
	{ "authentication-info",           RH_AUTH },
	{ "authorization",                 RH_AUTH },
	{ "call-id",                       RH_CALLID },
	{ "call-info",                     RH_ADDR },
	{ "contact",                       RH_ADDR },
	{ "content-disposition",           RH_TEXT },
	{ "content-encoding",              RH_TEXT },
	{ "content-id",                    RH_OPAQUE },
	{ "content-language",              RH_TEXT },
	{ "content-length",                RH_KEEPNUM },
	{ "content-transfer-encoding",     RH_TEXT },
	{ "content-type",                  RH_CTYPE },
	{ "cseq",                          RH_CSEQ },
	{ "date",                          RH_TEXT },
	{ "diversion",                     RH_ADDR },
	{ "error-info",                    RH_ADDR },
	{ "event",                         RH_TEXT },
	{ "expires",                       RH_KEEPNUM },
	{ "fax-message",                   RH_TEXT },
	{ "feature-caps",                  RH_TEXT },
	{ "flow-timer",                    RH_KEEPNUM },
	{ "from",                          RH_ADDR },
	{ "geolocation",                   RH_ADDR },
	{ "geolocation-error",             RH_TEXT },
	{ "geolocation-routing",           RH_TEXT },
	{ "history-info",                  RH_ADDR },
	{ "identity",                      RH_OPAQUE },
	{ "identity-info",                 RH_ADDR },
	{ "in-reply-to",                   RH_CALLIDS },
	{ "info-package",                  RH_TEXT },
	{ "join",                          RH_DIALOG },
	{ "max-breadth",                   RH_KEEPNUM },
	{ "max-forwards",                  RH_KEEPNUM },
	{ "message-account",               RH_ADDR },
	{ "messages-waiting",              RH_TEXT },
	{ "mime-version",                  RH_TEXT },
	{ "min-expires",                   RH_KEEPNUM },
	{ "min-se",                        RH_KEEPNUM },
	{ "multimedia-message",            RH_TEXT },
	{ "organization",                  RH_OPAQUE },
	{ "p-access-network-info",         RH_OPAQUE },
	{ "p-asserted-identity",           RH_ADDR },
	{ "p-associated-uri",              RH_ADDR },
	{ "p-called-party-id",             RH_ADDR },
	{ "p-charging-function-addresses", RH_OPAQUE },
	{ "p-charging-vector",             RH_OPAQUE },
	{ "p-early-media",                 RH_TEXT },
	{ "p-preferred-identity",          RH_ADDR },
	{ "p-served-user",                 RH_ADDR },
	{ "p-visited-network-id",          RH_OPAQUE },
	{ "pager-message",                 RH_TEXT },
	{ "path",                          RH_ADDR },
	{ "priority",                      RH_TEXT },
	{ "priv-answer-mode",              RH_TEXT },
	{ "privacy",                       RH_TEXT },
	{ "proxy-authenticate",            RH_AUTH },
	{ "proxy-authentication-info",     RH_AUTH },
	{ "proxy-authorization",           RH_AUTH },
	{ "proxy-require",                 RH_TEXT },
	{ "rack",                          RH_CSEQ },
	{ "reason",                        RH_TEXT },
	{ "record-route",                  RH_ADDR },
	{ "recv-info",                     RH_TEXT },
	{ "refer-sub",                     RH_TEXT },
	{ "refer-to",                      RH_ADDR },
	{ "referred-by",                   RH_ADDR },
	{ "reject-contact",                RH_ADDR },
	{ "remote-party-id",               RH_ADDR },
	{ "replaces",                      RH_DIALOG },
	{ "reply-to",                      RH_ADDR },
	{ "request-disposition",           RH_TEXT },
	{ "require",                       RH_TEXT },
	{ "resource-priority",             RH_TEXT },
	{ "retry-after",                   RH_KEEPNUM },
	{ "route",                         RH_ADDR },
	{ "rseq",                          RH_KEEPNUM },
	{ "security-client",               RH_TEXT },
	{ "security-server",               RH_TEXT },
	{ "security-verify",               RH_TEXT },
	{ "server",                        RH_TEXT },
	{ "service-route",                 RH_ADDR },
	{ "session-expires",               RH_KEEPNUM },
	{ "session-id",                    RH_OPAQUE },
	{ "sip-etag",                      RH_OPAQUE },
	{ "sip-if-match",                  RH_OPAQUE },
	{ "subject",                       RH_OPAQUE },
	{ "subscription-state",            RH_TEXT },
	{ "supported",                     RH_TEXT },
	{ "suppress-if-match",             RH_OPAQUE },
	{ "target-dialog",                 RH_DIALOG },
	{ "text-message",                  RH_TEXT },
	{ "timestamp",                     RH_KEEPNUM },
	{ "to",                            RH_ADDR },
	{ "trigger-consent",               RH_ADDR },
	{ "unsupported",                   RH_TEXT },
	{ "user-agent",                    RH_TEXT },
	{ "user-to-user",                  RH_OPAQUE },
	{ "via",                           RH_VIA },
	{ "voice-message",                 RH_TEXT },
	{ "warning",                       RH_WARNING },
	{ "www-authenticate",              RH_AUTH },
};

/* RFC 3261 7.3.3 and later RFCs' compact forms. */
static const struct {
	char c;
	const char *name;
} compact[] = {
	{ 'a', "accept-contact" }, { 'b', "referred-by" },
	{ 'c', "content-type" },   { 'd', "request-disposition" },
	{ 'e', "content-encoding" }, { 'f', "from" },
	{ 'i', "call-id" },        { 'j', "reject-contact" },
	{ 'k', "supported" },      { 'l', "content-length" },
	{ 'm', "contact" },        { 'n', "identity-info" },
	{ 'o', "event" },          { 'r', "refer-to" },
	{ 's', "subject" },        { 't', "to" },
	{ 'u', "allow-events" },   { 'v', "via" },
	{ 'x', "session-expires" }, { 'y', "identity" },
};


/* name (any case) against a lower-case table entry, like strcmp */
static int hcmp(const char *name, size_t n, const char *entry)
{
	for (size_t i = 0; i < n; i++) {
		int d = (int)rd_lower((unsigned char)name[i]) -
			(int)(unsigned char)entry[i];

		if (d || !entry[i])
			return d ? d : 1;
	}

	return entry[n] ? -1 : 0;
}


static const struct hdr *lookup(const char *name, size_t n)
{
	size_t lo = 0, hi = sizeof(hdrs) / sizeof(hdrs[0]);

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int c = hcmp(name, n, hdrs[mid].name);

		if (c == 0)
			return &hdrs[mid];
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}

	return NULL;
}


/* The table entry of a header by its name, full or compact, or NULL. */
static const struct hdr *find_hdr(const char *name, size_t n)
{
	if (n == 1) {
		for (size_t i = 0; i < sizeof(compact) / sizeof(compact[0]);
		     i++) {
			if (rd_lower((unsigned char)name[0]) == compact[i].c)
				return lookup(compact[i].name,
					      strlen(compact[i].name));
		}
		return NULL;
	}

	return lookup(name, n);
}


enum rd_hkind rd_header_kind(const char *name, size_t n, bool *full)
{
	const struct hdr *h = find_hdr(name, n);

	*full = h && n > 1;

	return h ? h->kind : RH_OPAQUE;
}


bool rd_header_split(const char *p, size_t n, size_t *namelen,
		     size_t *valpos)
{
	size_t i = 0;

	while (i < n && rd_tokenc((unsigned char)p[i]))
		i++;
	if (!i)
		return false;
	*namelen = i;
	while (i < n && rd_space((unsigned char)p[i]))
		i++;
	if (i >= n || p[i] != ':')
		return false;
	i++;
	while (i < n && rd_space((unsigned char)p[i]))
		i++;
	*valpos = i;

	return true;
}


/* --- start lines --------------------------------------------------------- */

static bool sip_version(const char *p, size_t n)
{
	size_t i = 4;

	if (n < 7 || !rd_iprefix(p, n, "sip/"))
		return false;
	while (i < n && rd_digit((unsigned char)p[i]))
		i++;
	if (i == 4 || i >= n || p[i] != '.')
		return false;
	i++;
	if (i >= n || !rd_digit((unsigned char)p[i]))
		return false;
	while (i < n && rd_digit((unsigned char)p[i]))
		i++;

	return i == n;
}


static size_t trim_end(const char *p, size_t n)
{
	while (n && rd_space((unsigned char)p[n - 1]))
		n--;

	return n;
}


/* Request-Line: where the method, URI and version are. */
static bool request_parts(const char *p, size_t n, size_t *uri0,
			  size_t *uri1, size_t *ver0)
{
	size_t i = 0, e = trim_end(p, n);

	while (i < e && rd_tokenc((unsigned char)p[i]))
		i++;
	if (!i || i >= e || !rd_space((unsigned char)p[i]))
		return false;
	while (i < e && rd_space((unsigned char)p[i]))
		i++;
	*uri0 = i;
	while (i < e && !rd_space((unsigned char)p[i]))
		i++;
	*uri1 = i;
	if (*uri1 == *uri0 || !memchr(p + *uri0, ':', *uri1 - *uri0))
		return false;
	while (i < e && rd_space((unsigned char)p[i]))
		i++;
	*ver0 = i;

	return i < e && sip_version(p + i, e - i);
}


static bool status_parts(const char *p, size_t n, size_t *code0)
{
	size_t i = 0;

	while (i < n && !rd_space((unsigned char)p[i]))
		i++;
	if (!sip_version(p, i))
		return false;
	while (i < n && rd_space((unsigned char)p[i]))
		i++;
	if (i + 3 > n || !rd_digit((unsigned char)p[i]) ||
	    !rd_digit((unsigned char)p[i + 1]) ||
	    !rd_digit((unsigned char)p[i + 2]))
		return false;
	if (i + 3 < n && !rd_space((unsigned char)p[i + 3]))
		return false;
	*code0 = i;

	return true;
}


bool rd_is_start_line(const char *p, size_t n)
{
	size_t a, b, c;

	if (n < 7)
		return false;
	if (p[0] == 'S' || p[0] == 's') {
		if (status_parts(p, n, &a))
			return true;
	}

	return request_parts(p, n, &a, &b, &c);
}


void rd_start_line(struct dp_redactor *r, const char *p, size_t n)
{
	size_t uri0, uri1, ver0, code0;

	if (status_parts(p, n, &code0)) {
		rd_out(r, p, code0 + 3);
		rd_text(r, p + code0 + 3, n - code0 - 3);
		return;
	}

	if (request_parts(p, n, &uri0, &uri1, &ver0)) {
		rd_out(r, p, uri0);
		rd_uri(r, p + uri0, uri1 - uri0);
		rd_out(r, p + uri1, n - uri1);
		return;
	}

	rd_text(r, p, n);
}


/* --- header values -------------------------------------------------------- */

static bool keepnum(struct dp_redactor *r, const char *p, size_t n)
{
	size_t i = 0, e = trim_end(p, n), digits = 0;

	while (i < e && (rd_digit((unsigned char)p[i]) || p[i] == '.' ||
			 rd_space((unsigned char)p[i]))) {
		digits += rd_digit((unsigned char)p[i]);
		i++;
	}
	if (!digits || digits > 12)
		return false;
	if (i < e && p[i] != ';' && p[i] != '(')
		return false;

	rd_out(r, p, i);
	if (i < e && p[i] == '(') {
		/* a comment (Retry-After): free text by anyone */
		rd_outc(r, '(');
		if (e - i > 2 && p[e - 1] == ')') {
			rd_tok(r, RD_TEXT, p + i + 1, e - i - 2);
			rd_outc(r, ')');
		}
		else if (e - i > 1) {
			rd_tok(r, RD_TEXT, p + i + 1, e - i - 1);
		}
	}
	else {
		const char *c = memchr(p + i, '(', e - i);
		size_t pe = c ? (size_t)(c - p) : e;

		rd_params(r, p + i, pe - i);
		if (pe < e) {
			rd_outc(r, '(');
			rd_tok(r, RD_TEXT, p + pe + 1, e - pe - 1);
		}
	}
	rd_out(r, p + e, n - e);

	return true;
}


static bool cseq(struct dp_redactor *r, const char *p, size_t n)
{
	size_t i = 0, e = trim_end(p, n);

	for (int num = 0; num < 2; num++) {
		size_t d = i;

		while (i < e && rd_digit((unsigned char)p[i]))
			i++;
		if (i == d)
			break;
		while (i < e && rd_space((unsigned char)p[i]))
			i++;
	}
	if (!i)
		return false;
	for (size_t m = i; m < e; m++) {
		if (!rd_tokenc((unsigned char)p[m]))
			return false;
	}

	rd_out(r, p, n);

	return true;
}


static void callid(struct dp_redactor *r, const char *p, size_t n)
{
	size_t a = 0, b = trim_end(p, n);

	while (a < b && rd_space((unsigned char)p[a]))
		a++;
	rd_out(r, p, a);
	if (b > a && rd_tok(r, RD_CALLID, p + a, b - a))
		rd_learn(r, RD_CALLID, p + a, b - a);
	rd_out(r, p + b, n - b);
}


static void callids(struct dp_redactor *r, const char *p, size_t n)
{
	size_t i = 0;

	while (i < n) {
		const char *c = memchr(p + i, ',', n - i);
		size_t e = c ? (size_t)(c - p) : n;

		callid(r, p + i, e - i);
		if (e < n)
			rd_outc(r, ',');
		i = e + 1;
	}
}


static void dialog(struct dp_redactor *r, const char *p, size_t n)
{
	const char *semi = memchr(p, ';', n);
	size_t e = semi ? (size_t)(semi - p) : n;

	callid(r, p, e);
	rd_params(r, p + e, n - e);
}


static void via(struct dp_redactor *r, const char *p, size_t n)
{
	size_t i = 0;

	while (i < n) {
		size_t e, h;

		while (i < n && (rd_space((unsigned char)p[i]) || p[i] == ',')) {
			rd_outc(r, p[i]);
			i++;
		}
		if (i >= n)
			break;

		/* sent-protocol, kept */
		for (e = i; e < n && !rd_space((unsigned char)p[e]) &&
			     p[e] != ','; e++)
			;
		if (!memchr(p + i, '/', e - i)) {
			rd_tok(r, RD_TEXT, p + i, n - i);
			return;
		}
		rd_out(r, p + i, e - i);
		i = e;
		while (i < n && rd_space((unsigned char)p[i]))
			rd_outc(r, p[i++]);

		/* sent-by: host[:port] */
		if (i < n && p[i] == '[') {
			const char *rb = memchr(p + i, ']', n - i);

			h = rb ? (size_t)(rb - p) + 1 : n;
		}
		else {
			for (h = i; h < n && p[h] != ':' && p[h] != ';' &&
				     p[h] != ',' && !rd_space((unsigned char)p[h]);
			     h++)
				;
		}
		rd_host(r, p + i, h - i);
		i = h;
		if (i < n && p[i] == ':') {
			e = i + 1;
			while (e < n && rd_digit((unsigned char)p[e]))
				e++;
			rd_out(r, p + i, e - i);
			i = e;
		}
		while (i < n && rd_space((unsigned char)p[i]))
			rd_outc(r, p[i++]);

		/* ;params up to the next Via in the list */
		for (e = i; e < n && p[e] != ','; e++) {
			if (p[e] == '"')
				e += rd_quoted_end(p + e, n - e) - 1;
		}
		if (e > n)
			e = n;
		rd_params(r, p + i, e - i);
		i = e;
	}
}


/* Digest's vocabulary (RFC 7616, RFC 3310); other names are not kept. */
static bool known_auth_param(const char *k, size_t n)
{
	static const char *const names[] = {
		"username", "username*", "realm", "nonce", "cnonce", "opaque",
		"uri", "response", "algorithm", "qop", "nc", "stale",
		"domain", "nextnonce", "rspauth", "auts", "userhash",
		"charset", NULL
	};

	for (size_t i = 0; names[i]; i++) {
		if (rd_ieq(k, n, names[i]))
			return true;
	}

	return false;
}


static void auth_param(struct dp_redactor *r, const char *p, size_t n)
{
	const char *eq = memchr(p, '=', n);
	size_t kn, v0, vn;
	const char *v;
	bool q;

	if (!eq) {
		rd_tok(r, RD_TEXT, p, n);
		return;
	}

	kn = (size_t)(eq - p);
	v0 = kn + 1;
	while (v0 < n && rd_space((unsigned char)p[v0]))
		v0++;
	while (kn && rd_space((unsigned char)p[kn - 1]))
		kn--;
	if (!known_auth_param(p, kn)) {
		rd_tok(r, RD_TEXT, p, trim_end(p, n));
		rd_out(r, p + trim_end(p, n), n - trim_end(p, n));
		return;
	}
	rd_out(r, p, v0);

	v = p + v0;
	vn = trim_end(v, n - v0);
	q = vn >= 2 && v[0] == '"' && v[vn - 1] == '"';
	if (q) {
		rd_outc(r, '"');
		v++;
		vn -= 2;
	}

	if (rd_ieq(p, kn, "username")) {
		rd_user(r, v, vn);
	}
	else if (rd_ieq(p, kn, "realm")) {
		rd_host(r, v, vn);
	}
	else if (rd_ieq(p, kn, "nonce") || rd_ieq(p, kn, "cnonce") ||
		 rd_ieq(p, kn, "opaque") || rd_ieq(p, kn, "nextnonce")) {
		rd_nonce(r, v, vn);
	}
	else if (rd_ieq(p, kn, "uri")) {
		rd_uri(r, v, vn);
	}
	else if (rd_ieq(p, kn, "domain")) {
		size_t i = 0;

		while (i < vn) {
			size_t e = i;

			while (e < vn && !rd_space((unsigned char)v[e]))
				e++;
			rd_uri(r, v + i, e - i);
			while (e < vn && rd_space((unsigned char)v[e]))
				rd_outc(r, v[e++]);
			i = e;
		}
	}
	else if ((rd_ieq(p, kn, "algorithm") || rd_ieq(p, kn, "qop") ||
		  rd_ieq(p, kn, "nc") || rd_ieq(p, kn, "stale")) &&
		 vn < 32) {
		rd_out(r, v, vn);
	}
	else if (rd_ieq(p, kn, "response") || rd_ieq(p, kn, "rspauth") ||
		 rd_ieq(p, kn, "auts")) {
		if (vn)
			rd_secret_v(r, v, vn);
	}
	else if (vn) {
		rd_secret_v(r, v, vn);
	}

	if (q)
		rd_outc(r, '"');
	rd_out(r, p + v0 + vn + (q ? 2 : 0), n - v0 - vn - (q ? 2 : 0));
}


static void auth(struct dp_redactor *r, const char *p, size_t n)
{
	size_t i = 0, k, t;

	while (i < n && rd_space((unsigned char)p[i]))
		rd_outc(r, p[i++]);

	/* a scheme word, unless the list starts right away (...-Info) */
	for (k = i; k < n && rd_tokenc((unsigned char)p[k]); k++)
		;
	for (t = k; t < n && rd_space((unsigned char)p[t]); t++)
		;
	if (k == i) {
		if (i < n)
			rd_secret(r);
		return;
	}
	if (t >= n || p[t] != '=') {
		bool digest = rd_ieq(p + i, k - i, "digest");

		rd_out(r, p + i, t - i);
		i = t;
		if (!digest) {
			/* Basic, Bearer and the rest: all credential */
			if (i < n)
				rd_secret_v(r, p + i, trim_end(p + i, n - i));
			return;
		}
	}

	while (i < n) {
		size_t e;

		while (i < n && (rd_space((unsigned char)p[i]) || p[i] == ','))
			rd_outc(r, p[i++]);
		for (e = i; e < n && p[e] != ','; e++) {
			if (p[e] == '"')
				e += rd_quoted_end(p + e, n - e) - 1;
		}
		if (e > n)
			e = n;
		if (e > i)
			auth_param(r, p + i, e - i);
		i = e;
	}
}


static void warning(struct dp_redactor *r, const char *p, size_t n)
{
	size_t i = 0;

	while (i < n) {
		size_t e;

		while (i < n && (rd_space((unsigned char)p[i]) || p[i] == ','))
			rd_outc(r, p[i++]);
		for (e = i; e < n && rd_digit((unsigned char)p[e]); e++)
			;
		rd_out(r, p + i, e - i);
		i = e;
		while (i < n && rd_space((unsigned char)p[i]))
			rd_outc(r, p[i++]);
		for (e = i; e < n && !rd_space((unsigned char)p[e]) &&
			     p[e] != '"'; e++)
			;
		if (e > i) {
			const char *c = memchr(p + i, ':', e - i);
			size_t hl = c ? (size_t)(c - p) - i : e - i;

			rd_host(r, p + i, hl);
			rd_out(r, p + i + hl, e - i - hl);
		}
		i = e;
		while (i < n && rd_space((unsigned char)p[i]))
			rd_outc(r, p[i++]);
		if (i < n && p[i] == '"') {
			e = i + rd_quoted_end(p + i, n - i);
			rd_text(r, p + i, e - i);
			i = e;
		}
		else if (i < n && p[i] != ',') {
			rd_text(r, p + i, n - i);
			return;
		}
	}
}


/* type/subtype;params: the boundary is tokenised like its delimiters */
static void ctype(struct dp_redactor *r, const char *p, size_t n)
{
	const char *semi = memchr(p, ';', n);
	size_t e = semi ? (size_t)(semi - p) : n;

	for (size_t i = 0; i < e; i++) {
		if (!(rd_tokenc((unsigned char)p[i]) || p[i] == '/' ||
		      rd_space((unsigned char)p[i]))) {
			rd_text(r, p, n);
			return;
		}
	}
	rd_out(r, p, e);
	rd_params(r, p + e, n - e);
}


static void opaque(struct dp_redactor *r, const char *p, size_t n)
{
	size_t a = 0, b = trim_end(p, n);

	while (a < b && rd_space((unsigned char)p[a]))
		a++;
	rd_out(r, p, a);
	if (b > a)
		rd_tok(r, RD_TEXT, p + a, b - a);
	rd_out(r, p + b, n - b);
}


void rd_header_value(struct dp_redactor *r, enum rd_hkind k, const char *p,
		     size_t n)
{
	switch (k) {

	case RH_KEEPNUM:
		if (!keepnum(r, p, n))
			rd_text(r, p, n);
		break;

	case RH_CSEQ:
		if (!cseq(r, p, n))
			rd_text(r, p, n);
		break;

	case RH_ADDR:
		rd_addr_list(r, p, n);
		break;

	case RH_VIA:
		via(r, p, n);
		break;

	case RH_CALLID:
		callid(r, p, n);
		break;

	case RH_CALLIDS:
		callids(r, p, n);
		break;

	case RH_DIALOG:
		dialog(r, p, n);
		break;

	case RH_AUTH:
		auth(r, p, n);
		break;

	case RH_WARNING:
		warning(r, p, n);
		break;

	case RH_SECRET:
		if (trim_end(p, n))
			rd_secret_v(r, p, trim_end(p, n));
		break;

	case RH_CTYPE:
		ctype(r, p, n);
		break;

	case RH_TEXT:
		rd_text(r, p, n);
		break;

	case RH_OPAQUE:
	case RH_NONE:
	default:
		opaque(r, p, n);
		break;
	}
}


enum rd_body rd_body_kind(const char *p, size_t n, char *boundary,
			  size_t bsize, size_t *blen)
{
	size_t i = 0, t0, t1, s0;
	enum rd_body kind;

	*blen = 0;
	while (i < n && rd_space((unsigned char)p[i]))
		i++;
	t0 = i;
	while (i < n && p[i] != '/' && p[i] != ';' && !rd_space((unsigned char)p[i]))
		i++;
	t1 = i;
	if (i >= n || p[i] != '/')
		return RB_OPAQUE;
	s0 = ++i;
	while (i < n && p[i] != ';' && !rd_space((unsigned char)p[i]))
		i++;

	if (rd_ieq(p + t0, t1 - t0, "application") &&
	    rd_ieq(p + s0, i - s0, "sdp"))
		kind = RB_SDP;
	else if (rd_ieq(p + t0, t1 - t0, "multipart"))
		kind = RB_MULTIPART;
	else if (rd_ieq(p + t0, t1 - t0, "message") &&
		 rd_ieq(p + s0, i - s0, "sipfrag"))
		kind = RB_SIPFRAG;
	else if (rd_ieq(p + t0, t1 - t0, "application") &&
		 (rd_ieq(p + s0, i - s0, "dtmf-relay") ||
		  rd_ieq(p + s0, i - s0, "dtmf")))
		kind = RB_DTMF;
	else if (rd_ieq(p + t0, t1 - t0, "application") &&
		 rd_ieq(p + s0, i - s0, "simple-message-summary"))
		kind = RB_MWI;
	else if (rd_ieq(p + s0, i - s0, "xml") ||
		 (i - s0 > 4 && rd_ieq(p + i - 4, 4, "+xml")))
		kind = RB_XML;
	else
		kind = RB_OPAQUE;

	if (kind != RB_MULTIPART)
		return kind;

	/* ;boundary=token or ;boundary="quoted" */
	for (; i < n; i++) {
		if (rd_iprefix(p + i, n - i, "boundary")) {
			size_t v = i + 8, e;

			while (v < n && rd_space((unsigned char)p[v]))
				v++;
			if (v >= n || p[v] != '=')
				continue;
			v++;
			while (v < n && rd_space((unsigned char)p[v]))
				v++;
			if (v < n && p[v] == '"') {
				v++;
				for (e = v; e < n && p[e] != '"'; e++)
					;
			}
			else {
				for (e = v; e < n && p[e] != ';' &&
					     !rd_space((unsigned char)p[e]); e++)
					;
			}
			if (e > v && e - v < bsize) {
				memcpy(boundary, p + v, e - v);
				boundary[e - v] = '\0';
				*blen = e - v;
			}
			break;
		}
	}

	return kind;
}


void rd_header(struct dp_redactor *r, const char *p, size_t n, bool msg)
{
	size_t nl, v0;
	enum rd_hkind k;
	const struct hdr *h;
	const char *full;

	if (!rd_header_split(p, n, &nl, &v0)) {
		rd_text(r, p, n);
		return;
	}

	h = find_hdr(p, nl);
	full = h ? h->name : NULL;
	k = h ? h->kind : RH_OPAQUE;

	if (msg && full && 0 == strcmp(full, "content-length")) {
		int64_t v = 0;
		size_t i = v0, d = 0;

		while (i < n && rd_digit((unsigned char)p[i]) && d < 12) {
			v = v * 10 + (p[i++] - '0');
			d++;
		}
		if (d)
			r->st.clen = v;
	}
	if (msg && k == RH_CTYPE)
		r->st.body = rd_body_kind(p + v0, n - v0, r->st.boundary,
					  sizeof(r->st.boundary),
					  &r->st.blen);

	rd_out(r, p, v0);
	r->versions = full && (0 == strcmp(full, "user-agent") ||
			       0 == strcmp(full, "server"));
	rd_header_value(r, k, p + v0, n - v0);
	r->versions = false;
	r->st.hkind = k;
}
