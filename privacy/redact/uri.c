/**
 * @file uri.c  URIs, name-addr lists and their parameters
 *
 * Scheme, structure, ports and parameter names stay; users, passwords,
 * hosts and every parameter value not known to be technical are
 * replaced.  A `z9hG4bK` branch keeps its magic cookie.
 */
#include <string.h>
#include <re.h>
#include "rd.h"


size_t rd_quoted_end(const char *p, size_t n)
{
	for (size_t i = 1; i < n; i++) {
		if (p[i] == '\\')
			i++;
		else if (p[i] == '"')
			return i + 1;
	}

	return n;
}


/* A first or last name on its own in a log line is found too. */
static void learn_words(struct dp_redactor *r, const char *p, size_t n)
{
	size_t i = 0;

	while (i < n) {
		size_t e = i;
		bool digit = false;

		while (e < n && (rd_word((unsigned char)p[e]) || p[e] == '-' ||
				 p[e] == '\''))
			digit |= rd_digit((unsigned char)p[e++]);
		if (e - i >= 4 && e - i < n && !digit)
			rd_learn(r, RD_NAME, p + i, e - i);
		i = e + 1;
	}
}


void rd_name(struct dp_redactor *r, const char *p, size_t n)
{
	size_t a = 0, b = n;

	while (a < b && rd_space((unsigned char)p[a]))
		a++;
	while (b > a && rd_space((unsigned char)p[b - 1]))
		b--;

	rd_out(r, p, a);
	if (b > a) {
		if (rd_ieq(p + a, b - a, "anonymous"))
			rd_out(r, p + a, b - a);
		else if (rd_tok(r, RD_NAME, p + a, b - a)) {
			rd_learn(r, RD_NAME, p + a, b - a);
			learn_words(r, p + a, b - a);
		}
	}
	rd_out(r, p + b, n - b);
}


/* --- parameters ------------------------------------------------------------*/

void rd_branch(struct dp_redactor *r, const char *v, size_t n)
{
	/* RFC 3261's magic cookie says how the branch was made: it stays */
	if (n >= 7 && 0 == memcmp(v, "z9hG4bK", 7)) {
		rd_out(r, v, 7);
		if (n > 7)
			rd_tok(r, RD_BRANCH, v + 7, n - 7);
	}
	else if (n) {
		rd_tok(r, RD_BRANCH, v, n);
	}
}

/* Values that are protocol vocabulary, not anybody's data. */
static const char *const keep_params[] = {
	"transport", "lr", "user", "method", "ttl", "comp", "ob", "rport",
	"expires", "q", "reg-id", "methods", "events", "audio", "video",
	"automata", "class", "duplex", "mobility", "isfocus", "actor",
	"language", "priority", "index", "rc", "mp", "np", "cause",
	"reason", "counter", "limit", "privacy", "screen", "party",
	"id-type", "noa", "npdi", "refresher", "duration", "purpose",
	"handling", "protocol", "early-only", "nat", "keep", "alias",
	"retry-after", "cpc", "oli", "verstat", "algorithm", "qop", "nc",
	"stale", "explicit", "require", "orig", "sos", "bnc", "sg",
	"+sip.ice", "message", "text-message", "schemes", "extensions",
	"charset", "version", "handling", "dtmf", "session",
	"type", "package", "proto", "content", "sigcomp", "maxage",
	"treatment", "q850", "cause-code", "refresh", "timer",
	NULL
};


static const char *const flags[] = {
	"lr", "ob", "rport", "audio", "video", "explicit", "require",
	"early-only", "isfocus", "sos", "nat", "keep", "gr", "sigcomp",
	"hidden", "secure", "text", "application", "data", "control",
	"message", "byeless", "rendering", "no-fork", "cancel", "parallel",
	"sequential", "queue", "proxy", "redirect", "recurse", "fork",
	"no-recurse", "no-cancel", "no-queue", "user=phone", "maddr",
	"received", "branch", "tag", NULL
};

/* Parameters a telephone-subscriber user part may carry (RFC 3966). */
static const char *const tel_params[] = {
	"isub", "ext", "phone-context", "postd", "tgrp", "trunk-context",
	"npdi", "rn", "rn-context", "cic", "cic-context", "enumdi",
	"isub-encoding", NULL
};


static bool listed(const char *k, size_t n, const char *const *list)
{
	for (; *list; list++) {
		if (rd_ieq(k, n, *list))
			return true;
	}

	return false;
}


/* A value made of token characters and nothing long and numeric. */
static bool plain_value(const char *v, size_t n)
{
	size_t run = 0;

	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)v[i];

		if (!(rd_tokenc(c) || c == '/' || c == ':'))
			return false;
		run = rd_digit(c) ? run + 1 : 0;
		if (run >= 7)
			return false;
	}

	return true;
}


static void param_value(struct dp_redactor *r, const char *k, size_t kn,
			const char *v, size_t n)
{
	/* quoted values: the same rules inside the quotes */
	if (n >= 2 && v[0] == '"') {
		size_t e = rd_quoted_end(v, n);
		bool closed = e == n && v[n - 1] == '"';
		size_t inner = closed ? n - 2 : n - 1;

		rd_outc(r, '"');
		if (inner >= 2 && v[1] == '<' && v[inner] == '>') {
			rd_outc(r, '<');
			rd_uri(r, v + 2, inner - 2);
			rd_outc(r, '>');
		}
		else if (rd_ieq(k, kn, "text") || rd_ieq(k, kn, "reason") ||
			 rd_ieq(k, kn, "description")) {
			rd_text(r, v + 1, inner);
		}
		else if (listed(k, kn, keep_params) &&
			 plain_value(v + 1, inner)) {
			rd_out(r, v + 1, inner);
		}
		else if (rd_uri_at(v + 1, inner) == inner && inner) {
			rd_uri(r, v + 1, inner);
		}
		else {
			param_value(r, k, kn, v + 1, inner);
		}
		if (closed)
			rd_outc(r, '"');
		return;
	}

	if (!n)
		return;

	if (rd_ieq(k, kn, "branch")) {
		rd_branch(r, v, n);
	}
	else if (rd_ieq(k, kn, "tag") || rd_ieq(k, kn, "ftag") ||
		 rd_ieq(k, kn, "to-tag") || rd_ieq(k, kn, "from-tag") ||
		 rd_ieq(k, kn, "totag") || rd_ieq(k, kn, "fromtag") ||
		 rd_ieq(k, kn, "local-tag") || rd_ieq(k, kn, "remote-tag")) {
		rd_tok(r, RD_TAG, v, n);
	}
	else if (rd_ieq(k, kn, "boundary")) {
		/* the delimiter lines get the same token (body.c) */
		rd_tok(r, RD_TEXT, v, n);
	}
	else if (rd_ieq(k, kn, "received") || rd_ieq(k, kn, "maddr") ||
		 rd_ieq(k, kn, "realm") || rd_ieq(k, kn, "domain")) {
		if (rd_uri_at(v, n) == n)
			rd_uri(r, v, n);
		else
			rd_host(r, v, n);
	}
	else if (rd_ieq(k, kn, "phone-context")) {
		if (rd_is_number(v, n))
			rd_tok(r, RD_NUM, v, n);
		else
			rd_host(r, v, n);
	}
	else if (rd_ieq(k, kn, "isub") || rd_ieq(k, kn, "ext") ||
		 rd_ieq(k, kn, "rn") || rd_ieq(k, kn, "cic")) {
		rd_user(r, v, n);
	}
	else if (rd_ieq(k, kn, "username")) {
		rd_user(r, v, n);
	}
	else if (rd_ieq(k, kn, "nonce") || rd_ieq(k, kn, "cnonce") ||
		 rd_ieq(k, kn, "opaque") || rd_ieq(k, kn, "nextnonce")) {
		rd_nonce(r, v, n);
	}
	else if (rd_ieq(k, kn, "response") || rd_ieq(k, kn, "rspauth") ||
		 rd_ieq(k, kn, "auth_pass") || rd_ieq(k, kn, "password")) {
		rd_secret_v(r, v, n);
	}
	else if (rd_ieq(k, kn, "call-id") || rd_ieq(k, kn, "callid")) {
		rd_tok(r, RD_CALLID, v, n);
	}
	else if (listed(k, kn, keep_params) && plain_value(v, n)) {
		rd_out(r, v, n);
	}
	else if (rd_uri_at(v, n) == n) {
		rd_uri(r, v, n);
	}
	else {
		rd_tok(r, RD_TEXT, v, n);
	}
}


void rd_param(struct dp_redactor *r, const char *p, size_t n)
{
	const char *eq = memchr(p, '=', n);
	size_t kn, v0;

	if (!eq) {
		/* a flag: kept when it is protocol vocabulary */
		size_t a = 0, b = n;

		while (a < b && rd_space((unsigned char)p[a]))
			a++;
		while (b > a && rd_space((unsigned char)p[b - 1]))
			b--;
		rd_out(r, p, a);
		if (b > a && (listed(p + a, b - a, keep_params) ||
			      listed(p + a, b - a, flags) || p[a] == '+'))
			rd_out(r, p + a, b - a);
		else if (b > a)
			rd_tok(r, RD_TEXT, p + a, b - a);
		rd_out(r, p + b, n - b);
		return;
	}

	kn = (size_t)(eq - p);
	v0 = kn + 1;
	while (v0 < n && rd_space((unsigned char)p[v0]))
		v0++;
	rd_out(r, p, v0);
	while (kn && rd_space((unsigned char)p[kn - 1]))
		kn--;
	while (kn && rd_space((unsigned char)p[0])) {
		p++;
		kn--;
		v0--;
		n--;
	}

	{
		size_t vn = n - v0;
		size_t t = vn;

		while (t && rd_space((unsigned char)p[v0 + t - 1]))
			t--;
		param_value(r, p, kn, p + v0, t);
		rd_out(r, p + v0 + t, vn - t);
	}
}


/* End of a parameter: the next ';' or `stop` outside quotes and <>. */
static size_t param_end(const char *p, size_t n, char stop)
{
	int angle = 0;

	for (size_t i = 0; i < n; i++) {
		char c = p[i];

		if (c == '"')
			i = rd_quoted_end(p + i, n - i) + i - 1;
		else if (c == '<')
			angle++;
		else if (c == '>' && angle)
			angle--;
		else if (!angle && (c == ';' || (stop && c == stop)))
			return i;
	}

	return n;
}


void rd_params(struct dp_redactor *r, const char *p, size_t n)
{
	size_t i = 0;

	while (i < n) {
		size_t e;

		if (p[i] != ';') {
			rd_tok(r, RD_TEXT, p + i, n - i);
			return;
		}
		rd_outc(r, ';');
		i++;
		e = i + param_end(p + i, n - i, 0);
		rd_param(r, p + i, e - i);
		i = e;
	}
}


/* --- URIs ------------------------------------------------------------------*/

static size_t find(const char *p, size_t n, char c)
{
	const char *f = memchr(p, c, n);

	return f ? (size_t)(f - p) : n;
}


static int unhex(unsigned char c)
{
	if (rd_digit(c))
		return c - '0';
	c = rd_lower(c);

	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}


/*
 * Replaces=callid%3Bto-tag%3Dx%3Bfrom-tag%3Dy in a Refer-To: the same
 * tokens as the Replaces header of the INVITE it causes.
 */
static void replaces(struct dp_redactor *r, const char *p, size_t n)
{
	char *d = r->tmp;
	size_t k = 0, i = 0;

	for (size_t j = 0; j < n; j++) {
		if (p[j] == '%' && j + 2 < n && unhex(p[j + 1]) >= 0 &&
		    unhex(p[j + 2]) >= 0) {
			d[k++] = (char)(unhex(p[j + 1]) * 16 + unhex(p[j + 2]));
			j += 2;
		}
		else {
			d[k++] = p[j];
		}
	}

	while (i < k) {
		size_t e = i, eq;

		while (e < k && d[e] != ';')
			e++;
		eq = i;
		while (eq < e && d[eq] != '=')
			eq++;
		if (i == 0) {
			rd_tok(r, RD_CALLID, d, e);
		}
		else if (eq < e) {
			rd_out(r, d + i, eq - i);
			rd_outs(r, "%3D");
			if (rd_iprefix(d + i, eq - i, "to-tag") ||
			    rd_iprefix(d + i, eq - i, "from-tag"))
				rd_tok(r, RD_TAG, d + eq + 1, e - eq - 1);
			else
				rd_tok(r, RD_TEXT, d + eq + 1, e - eq - 1);
		}
		else {
			rd_tok(r, RD_TEXT, d + i, e - i);
		}
		if (e < k)
			rd_outs(r, "%3B");
		i = e + 1;
	}
}


/* ?name=value&name=value: names stay, values go. */
static void uri_headers(struct dp_redactor *r, const char *p, size_t n)
{
	size_t i = 0;

	while (i < n) {
		size_t e = i + find(p + i, n - i, '&');
		size_t eq = i + find(p + i, e - i, '=');

		rd_out(r, p + i, eq < e ? eq + 1 - i : e - i);
		if (eq < e && e > eq + 1) {
			if (rd_ieq(p + i, eq - i, "replaces"))
				replaces(r, p + eq + 1, e - eq - 1);
			else
				rd_tok(r, RD_TEXT, p + eq + 1, e - eq - 1);
		}
		if (e < n)
			rd_outc(r, '&');
		i = e + 1;
	}
}


/* host[:port] then ;params then ?headers */
static void hostport_rest(struct dp_redactor *r, const char *p, size_t n)
{
	size_t h, i;

	if (n && p[0] == '[') {
		h = find(p, n, ']');
		h = h < n ? h + 1 : n;
	}
	else {
		for (h = 0; h < n && p[h] != ':' && p[h] != ';' &&
			     p[h] != '?' && p[h] != '/'; h++)
			;
	}
	rd_host(r, p, h);
	i = h;

	if (i < n && p[i] == ':') {
		size_t d = i + 1;

		while (d < n && rd_digit((unsigned char)p[d]))
			d++;
		rd_out(r, p + i, d - i);
		i = d;
	}

	if (i < n && p[i] == ';') {
		size_t q = i + find(p + i, n - i, '?');

		rd_params(r, p + i, q - i);
		i = q;
	}

	if (i < n && p[i] == '?') {
		rd_outc(r, '?');
		uri_headers(r, p + i + 1, n - i - 1);
		i = n;
	}

	if (i < n)      /* anything else there is not understood */
		rd_tok(r, RD_TEXT, p + i, n - i);
}


static void sip_uri(struct dp_redactor *r, const char *p, size_t n)
{
	size_t q = find(p, n, '?');
	size_t at = find(p, q, '@');

	if (at < q) {
		size_t colon = find(p, at, ':');
		size_t semi = find(p, colon, ';');

		if (semi < colon) {
			size_t pe = semi + 1;

			while (pe < colon && p[pe] != '=' && p[pe] != ';')
				pe++;
			if (!listed(p + semi + 1, pe - semi - 1, tel_params))
				semi = colon;   /* ';' is part of the user */
		}
		rd_user(r, p, semi);
		if (semi < colon)
			rd_params(r, p + semi, colon - semi);
		if (colon < at) {
			rd_outc(r, ':');
			rd_secret_v(r, p + colon + 1, at - colon - 1);
		}
		rd_outc(r, '@');
		p += at + 1;
		n -= at + 1;
	}

	hostport_rest(r, p, n);
}


static void tel_uri(struct dp_redactor *r, const char *p, size_t n)
{
	size_t semi = find(p, n, ';');

	if (rd_is_number(p, semi))
		rd_tok(r, RD_NUM, p, semi);
	else
		rd_user(r, p, semi);
	rd_params(r, p + semi, n - semi);
}


/* mailto:, im:, pres:, xmpp:, h323: user@host?headers */
static void mail_uri(struct dp_redactor *r, const char *p, size_t n)
{
	size_t q = find(p, n, '?');
	size_t at = find(p, q, '@');

	if (at < q) {
		rd_user(r, p, at);
		rd_outc(r, '@');
		rd_host(r, p + at + 1, q - at - 1);
	}
	else if (q) {
		rd_user(r, p, q);
	}

	if (q < n) {
		rd_outc(r, '?');
		uri_headers(r, p + q + 1, n - q - 1);
	}
}


/* scheme://[user[:pass]@]host[:port][/path][?query] */
static void web_uri(struct dp_redactor *r, const char *p, size_t n)
{
	size_t end = n, at, i;

	for (i = 0; i < n; i++) {
		if (p[i] == '/' || p[i] == '?' || p[i] == '#') {
			end = i;
			break;
		}
	}

	at = find(p, end, '@');
	if (at < end) {
		size_t colon = find(p, at, ':');

		rd_user(r, p, colon);
		if (colon < at) {
			rd_outc(r, ':');
			rd_secret_v(r, p + colon + 1, at - colon - 1);
		}
		rd_outc(r, '@');
		i = at + 1;
	}
	else {
		i = 0;
	}

	{
		size_t h = i;

		if (h < end && p[h] == '[') {
			h += find(p + h, end - h, ']');
			h = h < end ? h + 1 : end;
		}
		else {
			h += find(p + h, end - h, ':');
		}
		rd_host(r, p + i, h - i);
		rd_out(r, p + h, end - h);     /* :port */
	}

	if (end < n) {
		rd_outc(r, p[end]);
		if (n - end > 1)
			rd_tok(r, RD_TEXT, p + end + 1, n - end - 1);
	}
}


void rd_uri(struct dp_redactor *r, const char *p, size_t n)
{
	size_t k = 0;

	while (k < n && (rd_alnum((unsigned char)p[k]) || p[k] == '+' ||
			 p[k] == '-' || p[k] == '.'))
		k++;
	if (!k || k >= n || p[k] != ':') {
		/* no scheme: the whole thing is opaque */
		if (n)
			rd_tok(r, RD_TEXT, p, n);
		return;
	}

	rd_out(r, p, k + 1);
	p += k + 1;
	n -= k + 1;

	if (rd_ieq(p - k - 1, k, "sip") || rd_ieq(p - k - 1, k, "sips")) {
		sip_uri(r, p, n);
	}
	else if (rd_ieq(p - k - 1, k, "tel")) {
		tel_uri(r, p, n);
	}
	else if (rd_ieq(p - k - 1, k, "mailto") || rd_ieq(p - k - 1, k, "im") ||
		 rd_ieq(p - k - 1, k, "pres") || rd_ieq(p - k - 1, k, "xmpp") ||
		 rd_ieq(p - k - 1, k, "h323")) {
		mail_uri(r, p, n);
	}
	else if (rd_ieq(p - k - 1, k, "stun") || rd_ieq(p - k - 1, k, "stuns") ||
		 rd_ieq(p - k - 1, k, "turn") || rd_ieq(p - k - 1, k, "turns")) {
		hostport_rest(r, p, n);
	}
	else if (n >= 2 && p[0] == '/' && p[1] == '/') {
		rd_out(r, p, 2);
		web_uri(r, p + 2, n - 2);
	}
	else if (rd_ieq(p - k - 1, k, "urn")) {
		size_t c = find(p, n, ':');

		if (c < n && (rd_ieq(p, c, "ietf") || rd_ieq(p, c, "service") ||
			      rd_ieq(p, c, "xmpp") || rd_ieq(p, c, "3gpp"))) {
			rd_out(r, p, n);
		}
		else if (c < n) {
			rd_out(r, p, c + 1);
			if (n > c + 1)
				rd_tok(r, RD_TEXT, p + c + 1, n - c - 1);
		}
		else if (n) {
			rd_tok(r, RD_TEXT, p, n);
		}
	}
	else if (n) {
		rd_tok(r, RD_TEXT, p, n);
	}
}


/* --- name-addr lists --------------------------------------------------------*/

static size_t scheme_len(const char *p, size_t n)
{
	size_t k = 0;

	if (!n || !rd_alpha((unsigned char)p[0]))
		return 0;
	while (k < n && (rd_alnum((unsigned char)p[k]) || p[k] == '+' ||
			 p[k] == '-' || p[k] == '.'))
		k++;
	if (k < n && p[k] == ':' && k + 1 < n && !rd_space((unsigned char)p[k + 1]))
		return k;

	return 0;
}


void rd_addr_list(struct dp_redactor *r, const char *p, size_t n)
{
	size_t i = 0;

	while (i < n) {
		unsigned char c = (unsigned char)p[i];
		size_t e;

		if (rd_space(c) || c == ',' || c == '*') {
			rd_outc(r, (char)c);
			i++;
		}
		else if (c == '"') {
			e = i + rd_quoted_end(p + i, n - i);
			rd_outc(r, '"');
			if (e - i >= 2 && p[e - 1] == '"') {
				rd_name(r, p + i + 1, e - i - 2);
				rd_outc(r, '"');
			}
			else {
				rd_name(r, p + i + 1, e - i - 1);
			}
			i = e;
		}
		else if (c == '<') {
			size_t gt = i + 1 + find(p + i + 1, n - i - 1, '>');

			rd_outc(r, '<');
			rd_uri(r, p + i + 1, gt - i - 1);
			if (gt < n)
				rd_outc(r, '>');
			i = gt < n ? gt + 1 : n;
		}
		else if (c == ';') {
			rd_outc(r, ';');
			i++;
			e = i + param_end(p + i, n - i, ',');
			rd_param(r, p + i, e - i);
			i = e;
		}
		else if (scheme_len(p + i, n - i)) {
			/* addr-spec: its ;params belong to the header */
			for (e = i; e < n && p[e] != ';' && p[e] != ',' &&
				     !rd_space((unsigned char)p[e]); e++)
				;
			rd_uri(r, p + i, e - i);
			i = e;
		}
		else {
			/* an unquoted display name runs up to the '<' */
			for (e = i; e < n && p[e] != '<' && p[e] != ';' &&
				     p[e] != ',' && p[e] != '"'; e++)
				;
			rd_name(r, p + i, e - i);
			i = e;
		}
	}
}
