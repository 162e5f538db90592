/**
 * @file text.c  Free text: find what identifies someone and replace it
 *
 * A single pass.  At each word start the matchers are tried in order:
 * URIs, the phone's identities and learned values, `key=value` pairs
 * whose key says the value is secret or personal, user@host, IPv6 and
 * MAC addresses, UUIDs, IPv4 addresses, phone numbers, host names; inside words
 * only long identities are looked for.  Text nobody matched is copied in
 * runs.
 */
#include <errno.h>
#include <string.h>
#include <re.h>
#include "rd.h"

struct scan {
	struct dp_redactor *r;
	const char *p;  /* the text matched: folded (see fold()) */
	size_t n;
	size_t cp;      /* input before this is written out */
	bool dtmf;      /* the line talks about DTMF: digits are secret */
	const char *o;  /* the text as given, copied to the output */
	const uint32_t *map;   /* p offset -> o offset; NULL: the same */
};


static size_t orig_at(const struct scan *s, size_t i)
{
	return s->map ? s->map[i] : i;
}


/* Text between matches is copied as it was given, byte for byte. */
static void flush_to(struct scan *s, size_t upto)
{
	if (upto > s->cp) {
		size_t a = orig_at(s, s->cp), b = orig_at(s, upto);

		rd_out(s->r, s->o + a, b - a);
	}
	s->cp = upto;
}


/* --- URIs --------------------------------------------------------------- */

static const char *const schemes[] = {
	"sip:", "sips:", "tel:", "mailto:", "im:", "pres:", "urn:",
	"http://", "https://", "ws://", "wss://", "ftp://", "tftp://",
	"ldap://", "ldaps://", "xmpp:", "h323:", "stun:", "stuns:",
	"turn:", "turns:", "file://",
};


static bool uri_stop(unsigned char c)
{
	return c <= ' ' || c == '<' || c == '>' || c == '"' || c == '\'' ||
		c == ',' || c == '(' || c == ')' || c == '{' || c == '}' ||
		c == '|' || c == '^' || c == '`' || c == '\\' || c == 0x7f;
}


size_t rd_uri_at(const char *p, size_t n)
{
	size_t k = 0, end;
	bool bracket = false;

	if (!n || !rd_alpha((unsigned char)p[0]))
		return 0;

	for (size_t i = 0; i < sizeof(schemes) / sizeof(schemes[0]); i++) {
		if (rd_iprefix(p, n, schemes[i])) {
			k = strlen(schemes[i]);
			break;
		}
	}
	if (!k || k >= n || uri_stop((unsigned char)p[k]))
		return 0;

	for (end = k; end < n; end++) {
		unsigned char c = (unsigned char)p[end];

		if (c == '[')
			bracket = true;
		else if (c == ']' && !bracket)
			break;
		else if (uri_stop(c))
			break;
	}

	/* Punctuation closing a sentence or a log field is not the URI's. */
	while (end > k && (p[end - 1] == '.' || p[end - 1] == ':' ||
			   p[end - 1] == ';'))
		end--;

	return end > k ? end : 0;
}


static bool name_char(unsigned char c)
{
	return rd_word(c) || c == ' ' || c == '\t' || c == '.' ||
		c == '\'' || c == '-';
}


/* p[cp..e) is the rest of a quoted display name whose start was
 * replaced already: replaced too when it holds a letter. */
static void name_rest(struct scan *s, size_t e)
{
	bool alpha = false;

	for (size_t i = s->cp; i < e; i++)
		alpha |= rd_alpha((unsigned char)s->p[i]) ||
			(uint8_t)s->p[i] >= 0x80;
	if (!alpha)
		return;
	rd_name(s->r, s->p + s->cp, e - s->cp);
	s->cp = e;
}


/* A display name in front of "<sip:...": `lt` is the '<'. */
static void name_before(struct scan *s, size_t lt)
{
	const char *p = s->p;
	size_t j = lt, k;
	bool alpha = false;

	while (j > s->cp && rd_space((unsigned char)p[j - 1]))
		j--;
	if (j == s->cp)
		return;

	if (p[j - 1] == '"') {
		for (k = j - 1; k > s->cp; k--) {
			if (p[k - 1] == '"' && (k < 2 || p[k - 2] != '\\'))
				break;
		}
		if (k == s->cp) {
			/* the name's start was replaced already (a learned
			 * word: "<name-…> Miphawe"): the rest is a name too */
			name_rest(s, j - 1);
			return;
		}
		flush_to(s, k - 1);
		rd_outc(s->r, '"');
		rd_name(s->r, p + k, j - 1 - k);
		rd_outc(s->r, '"');
		s->cp = j;
		return;
	}

	for (k = j; k > s->cp && name_char((unsigned char)p[k - 1]); k--)
		;
	while (k < j && rd_space((unsigned char)p[k]))
		k++;
	for (size_t i = k; i < j; i++)
		alpha |= rd_alpha((unsigned char)p[i]) || (uint8_t)p[i] >= 0x80;
	if (!alpha)
		return;

	flush_to(s, k);
	rd_name(s->r, p + k, j - k);
	s->cp = j;
}


static size_t try_uri(struct scan *s, size_t i)
{
	size_t len = rd_uri_at(s->p + i, s->n - i);

	if (!len)
		return 0;

	if (i > 0 && s->p[i - 1] == '<')
		name_before(s, i - 1);

	flush_to(s, i);
	rd_uri(s->r, s->p + i, len);
	s->cp = i + len;

	return i + len;
}


/* --- identities and learned values ----------------------------------------*/

static size_t try_dict(struct scan *s, const struct rd_dict *d, size_t i)
{
	const char *tok = NULL;
	size_t toklen = 0;
	size_t len = rd_dict_match(d, s->p + i, s->n - i,
				   i ? (unsigned char)s->p[i - 1] : -1, &tok,
				   &toklen);

	if (!len)
		return 0;

	flush_to(s, i);
	rd_out(s->r, tok, toklen);
	if (0 == strcmp(tok, "<secret>"))
		s->r->stats.secrets++;
	else
		s->r->stats.tokens++;
	s->cp = i + len;

	return i + len;
}


/* --- digests in prose ------------------------------------------------------*/

/* Does the text around [a, b) say that what is there is a digest? */
static bool digest_word_near(const char *p, size_t n, size_t a, size_t b)
{
	static const char *const words[] = {
		"response", "ha1", "result", "hash", "password", "passwd",
		"digest", "expected", "secret", "rspauth", NULL
	};
	size_t w0 = a > 48 ? a - 48 : 0, w1 = n - b > 24 ? b + 24 : n;

	for (const char *const *w = words; *w; w++) {
		size_t m = strlen(*w);

		for (size_t i = w0; i + m <= a; i++) {
			if (rd_iprefix(p + i, a - i, *w))
				return true;
		}
		for (size_t i = b; i + m <= w1; i++) {
			if (rd_iprefix(p + i, w1 - i, *w))
				return true;
		}
	}

	return false;
}


/*
 * 32 or 64 hex digits (an MD5 or SHA-256 digest) next to a word that
 * says it is one ("our result = '...'", "HA1: ...") are a secret, and are
 * then removed wherever else they appear.
 */
static size_t try_digest_hex(struct scan *s, size_t i)
{
	size_t j = i;

	while (j < s->n && j - i <= 64 && rd_hex((unsigned char)s->p[j]))
		j++;
	if ((j - i != 32 && j - i != 64) ||
	    (j < s->n && rd_word((unsigned char)s->p[j])) ||
	    !digest_word_near(s->p, s->n, i, j))
		return 0;

	flush_to(s, i);
	rd_secret_v(s->r, s->p + i, j - i);
	s->cp = j;

	return j;
}


/* --- key=value ------------------------------------------------------------*/

enum kv { KV_NONE, KV_SECRET, KV_USER, KV_NAME, KV_HOST, KV_NONCE,
	  KV_CALLID, KV_TAG, KV_BRANCH, KV_MAC };

static bool in_list(const char *k, size_t n, const char *const *list)
{
	for (; *list; list++) {
		if (rd_ieq(k, n, *list))
			return true;
	}

	return false;
}


static bool contains(const char *k, size_t n, const char *sub)
{
	size_t m = strlen(sub);

	for (size_t i = 0; i + m <= n; i++) {
		if (rd_iprefix(k + i, n - i, sub))
			return true;
	}

	return false;
}


static bool ends_with(const char *k, size_t n, const char *suf)
{
	size_t m = strlen(suf);

	return n >= m && rd_ieq(k + n - m, m, suf);
}


static enum kv kv_class(const char *k, size_t n, bool json_quoted)
{
	static const char *const names[] = {
		"display_name", "displayname", "display-name", "display",
		"peer_name", "peername", "caller_name", "callername",
		"callee_name", "cid_name", "callerid", "caller_id",
		"caller-id", "full_name", "fullname", "first_name",
		"firstname", "last_name", "lastname", "surname",
		"given_name", "contact_name", "from_name", "to_name",
		"dname", "cn", "owner", "issuer", "subject", "o", "ou",
		"organization", "organisation", "org", "company", "employee",
		NULL
	};
	static const char *const users[] = {
		"user", "username", "user_name", "auth_user", "authuser",
		"authname", "auth_username", "login", "userid", "user_id",
		"extension", "exten", "ext", "number", "phone",
		"phone_number", "phonenumber", "msisdn", "mobile", "tel",
		"telephone", "caller", "callee", "cli", "ani", "dnis", "did",
		"cid_num", "cid_number", "callerid_num", "from_user",
		"to_user", "calling", "called", "calling_number",
		"called_number", "cgpn", "cdpn", "src", "dst", "peer",
		"aor", "imsi", "imei", NULL
	};
	static const char *const hosts[] = {
		"realm", "domain", "host", "hostname", "server", "proxy",
		"registrar", "outbound", "outbound_proxy", "outboundproxy",
		"stunserver", "stun_server", "turnserver", "turn_server",
		"sip_server", "fqdn", "sbc", "pbx", NULL
	};
	static const char *const nonces[] = {
		"nonce", "cnonce", "opaque", "nextnonce", NULL
	};
	static const char *const callids[] = {
		"call_id", "callid", "call-id", "ci", NULL
	};
	static const char *const tags[] = {
		"tag", "ftag", "from-tag", "to-tag", "fromtag", "totag",
		"from_tag", "to_tag", NULL
	};
	static const char *const macs[] = {
		"mac", "macaddr", "mac_address", "macaddress", "hwaddr",
		"hw_addr", NULL
	};
	static const char *const secrets[] = {
		"pin", "ha1", "ha1b", "response", "rspauth", "psk",
		"cookie", "signature", "identity", "inline", NULL
	};

	/* these name where something is kept, not what it is */
	if (ends_with(k, n, "_file") || ends_with(k, n, "_dir") ||
	    ends_with(k, n, "_path"))
		return KV_NONE;
	if (contains(k, n, "pass") || contains(k, n, "pwd") ||
	    contains(k, n, "secret") || contains(k, n, "token") ||
	    contains(k, n, "credential") || contains(k, n, "apikey") ||
	    contains(k, n, "api_key") || contains(k, n, "api-key") ||
	    contains(k, n, "private") || ends_with(k, n, "key") ||
	    ends_with(k, n, "_pin") || ends_with(k, n, "-pin") ||
	    ends_with(k, n, "psk") ||
	    in_list(k, n, secrets))
		return KV_SECRET;
	if (in_list(k, n, names))
		return KV_NAME;
	if (in_list(k, n, users))
		return KV_USER;
	if (in_list(k, n, hosts))
		return KV_HOST;
	if (in_list(k, n, nonces))
		return KV_NONCE;
	if (in_list(k, n, callids) || (json_quoted && rd_ieq(k, n, "id")))
		return KV_CALLID;
	if (in_list(k, n, tags))
		return KV_TAG;
	if (rd_ieq(k, n, "branch"))
		return KV_BRANCH;
	if (in_list(k, n, macs))
		return KV_MAC;

	return KV_NONE;
}


static bool key_char(unsigned char c)
{
	return rd_alnum(c) || c == '_' || c == '-' || c == '.';
}


static bool value_stop(unsigned char c)
{
	return c <= ' ' || c == ',' || c == ';' || c == '&' || c == '"' ||
		c == '\'' || c == '<' || c == '>' || c == ')' || c == ']' ||
		c == '}' || c == '|' || c == '\\';
}


/* A value that other matchers understand better than its key does. */
static bool structured(const char *v, size_t n)
{
	return memchr(v, '@', n) || rd_uri_at(v, n) ||
		(n > 3 && memchr(v, ':', n) && memchr(v, '/', n));
}


static void kv_emit(struct scan *s, enum kv cls, const char *v, size_t n)
{
	struct dp_redactor *r = s->r;
	const char *colon;

	switch (cls) {

	case KV_SECRET:
		rd_secret_v(r, v, n);
		break;

	case KV_USER:
		rd_user(r, v, n);
		break;

	case KV_NAME:
		rd_name(r, v, n);
		break;

	case KV_HOST:
		colon = memchr(v, ':', n);
		if (colon && v[0] != '[' && !memchr(colon + 1, ':',
					     n - (size_t)(colon - v) - 1)) {
			rd_host(r, v, (size_t)(colon - v));
			rd_out(r, colon, n - (size_t)(colon - v));
		}
		else {
			rd_host(r, v, n);
		}
		break;

	case KV_NONCE:
		rd_nonce(r, v, n);
		break;

	case KV_CALLID:
		if (rd_tok(r, RD_CALLID, v, n))
			rd_learn(r, RD_CALLID, v, n);
		break;

	case KV_TAG:
		rd_tok(r, RD_TAG, v, n);
		break;

	case KV_BRANCH:
		rd_branch(r, v, n);
		break;

	case KV_MAC:
		rd_tok(r, RD_MAC, v, n);
		break;

	case KV_NONE:
		break;
	}
}


static size_t try_kv(struct scan *s, size_t i)
{
	const char *p = s->p;
	size_t n = s->n, j = i, k0, k1, v0, v1;
	bool json = false, xml = false, config = false;
	enum kv cls;

	if (p[j] == '"') {
		json = true;
		j++;
	}
	else if (p[j] == '<') {
		xml = true;
		j++;
	}

	k0 = j;
	while (j < n && key_char((unsigned char)p[j]) && j - k0 < 48)
		j++;
	k1 = j;
	if (k1 == k0 || !(rd_alpha((unsigned char)p[k0]) || p[k0] == '_'))
		return 0;

	if (json) {
		if (j >= n || p[j] != '"')
			return 0;
		j++;
	}
	if (xml) {
		if (j >= n || p[j] != '>')
			return 0;
		j++;
	}
	else {
		size_t ws = j;

		while (j < n && rd_space((unsigned char)p[j]))
			j++;
		if (j < n && (p[j] == '=' || p[j] == ':')) {
			/* "scheme://" and "a::b" are not assignments */
			if (p[j] == ':' && j + 1 < n &&
			    (p[j + 1] == '/' || p[j + 1] == ':'))
				return 0;
			j++;
			while (j < n && rd_space((unsigned char)p[j]))
				j++;
		}
		else if (i == 0 && !json && j > ws && j < n) {
			config = true;      /* "key value" settings line */
		}
		else {
			return 0;
		}
	}

	cls = kv_class(p + k0, k1 - k0, json);
	if (cls == KV_NONE || j >= n)
		return 0;

	if (p[j] == '"' || (p[j] == '\'' && !xml)) {
		char q = p[j];

		v0 = ++j;
		while (j < n && p[j] != q) {
			if (p[j] == '\\' && j + 1 < n)
				j++;
			j++;
		}
		v1 = j;
	}
	else {
		v0 = j;
		if (config) {
			v1 = n;
			while (v1 > v0 && rd_space((unsigned char)p[v1 - 1]))
				v1--;
		}
		else if (xml) {
			while (j < n && p[j] != '<')
				j++;
			v1 = j;
		}
		else if (cls == KV_NAME) {
			/* names have blanks: up to the next separator */
			while (j < n && p[j] != ',' && p[j] != ';' &&
			       p[j] != '&' && p[j] != '"' && p[j] != '<' &&
			       p[j] != '>' && p[j] != ')' && p[j] != ']' &&
			       p[j] != '}' && p[j] != '|')
				j++;
			while (j > v0 && rd_space((unsigned char)p[j - 1]))
				j--;
			v1 = j;
		}
		else {
			while (j < n && !value_stop((unsigned char)p[j]))
				j++;
			v1 = j;
		}
	}

	if (v1 == v0)
		return 0;
	if ((cls == KV_USER || cls == KV_NAME || cls == KV_HOST ||
	     cls == KV_MAC) && (structured(p + v0, v1 - v0) ||
				 rd_ieq(p + v0, v1 - v0, "null") ||
				 rd_ieq(p + v0, v1 - v0, "true") ||
				 rd_ieq(p + v0, v1 - v0, "false")))
		return 0;

	flush_to(s, v0);
	kv_emit(s, cls, p + v0, v1 - v0);
	s->cp = v1;

	return v1;
}


/* --- user@host ------------------------------------------------------------*/

static bool local_char(unsigned char c)
{
	return rd_alnum(c) || c == '.' || c == '_' || c == '%' || c == '+' ||
		c == '-' || c == '~';
}


static size_t host_len(const char *p, size_t n)
{
	size_t j = 0;
	bool alnum = false;

	if (n && p[0] == '[') {
		const char *rb = memchr(p, ']', n);

		return rb ? (size_t)(rb - p) + 1 : 0;
	}

	while (j < n && (rd_alnum((unsigned char)p[j]) || p[j] == '-' ||
			 p[j] == '.' || p[j] == '_')) {
		alnum |= rd_alnum((unsigned char)p[j]);
		j++;
	}
	while (j > 0 && (p[j - 1] == '.' || p[j - 1] == '-'))
		j--;

	return alnum ? j : 0;
}


static size_t try_at(struct scan *s, size_t i)
{
	const char *p = s->p;
	size_t j = i, hl;

	while (j < s->n && local_char((unsigned char)p[j]))
		j++;
	if (j == i || j >= s->n || p[j] != '@')
		return 0;
	/* our own token before the '@' was a value found alone (a learned
	 * number): what follows it was left as it is the first time */
	if (rd_own_has_placeholder(p + i, j - i))
		return 0;

	hl = host_len(p + j + 1, s->n - j - 1);
	if (!hl)
		return 0;

	flush_to(s, i);
	rd_user(s->r, p + i, j - i);
	rd_outc(s->r, '@');
	rd_host(s->r, p + j + 1, hl);
	s->cp = j + 1 + hl;

	return s->cp;
}


/* --- addresses --------------------------------------------------------------*/

static bool mac_at(const char *p, size_t n, size_t *len)
{
	uint8_t a[6];

	if (n >= 17 && rd_parse_mac(p, 17, a) &&
	    (n == 17 || !(rd_hex((unsigned char)p[17]) || p[17] == ':' ||
			  p[17] == '-'))) {
		*len = 17;
		return true;
	}
	if (n >= 14 && p[4] == '.' && rd_parse_mac(p, 14, a) &&
	    (n == 14 || !(rd_word((unsigned char)p[14]) ||
			  (p[14] == '.' && n > 15 &&
			   rd_hex((unsigned char)p[15]))))) {
		*len = 14;
		return true;
	}

	return false;
}


static size_t try_ip6_mac(struct scan *s, size_t i)
{
	const char *p = s->p;
	size_t n = s->n, j = i, colons = 0, len;
	uint8_t a[16];

	if (mac_at(p + i, n - i, &len)) {
		flush_to(s, i);
		rd_tok(s->r, RD_MAC, p + i, len);
		s->cp = i + len;
		return s->cp;
	}

	while (j < n && (rd_hex((unsigned char)p[j]) || p[j] == ':' ||
			 p[j] == '.')) {
		colons += p[j] == ':';
		j++;
	}
	if (colons < 2)
		return 0;
	if (j < n && rd_word((unsigned char)p[j]))
		return 0;

	/* "::1." ends a sentence; "a:b:" ends a field. */
	while (j > i && (p[j - 1] == '.' || (p[j - 1] == ':' && j - i > 2 &&
					      p[j - 2] != ':')))
		j--;
	if (!rd_parse_ip6(p + i, j - i, a))
		return 0;

	flush_to(s, i);
	rd_host(s->r, p + i, j - i);
	s->cp = j;

	/* a zone index (interface name) stays */
	return j;
}


static size_t try_bare_mac(struct scan *s, size_t i)
{
	size_t j = i;

	while (j < s->n && rd_hex((unsigned char)s->p[j]))
		j++;
	if (j - i != 12 || (j < s->n && rd_word((unsigned char)s->p[j])))
		return 0;

	flush_to(s, i);
	rd_tok(s->r, RD_MAC, s->p + i, 12);
	s->cp = j;

	return j;
}


/* 8-4-4-4-12 hex: a UUID names a call or a device on some server. */
static size_t try_uuid(struct scan *s, size_t i)
{
	static const unsigned groups[] = { 8, 4, 4, 4, 12 };
	const char *p = s->p;
	size_t j = i;

	for (size_t g = 0; g < 5; g++) {
		for (unsigned k = 0; k < groups[g]; k++, j++) {
			if (j >= s->n || !rd_hex((unsigned char)p[j]))
				return 0;
		}
		if (g < 4) {
			if (j >= s->n || p[j] != '-')
				return 0;
			j++;
		}
	}
	if (j < s->n && (rd_word((unsigned char)p[j]) || p[j] == '-'))
		return 0;

	flush_to(s, i);
	rd_tok(s->r, RD_TEXT, p + i, j - i);
	s->cp = j;

	return j;
}


static size_t try_ip4(struct scan *s, size_t i)
{
	const char *p = s->p;
	size_t n = s->n, j = i;
	uint8_t a[4];

	if (i > 0 && p[i - 1] == '.')
		return 0;

	while (j < n && j - i < 16 && (rd_digit((unsigned char)p[j]) ||
				       p[j] == '.'))
		j++;
	while (j > i && p[j - 1] == '.')
		j--;
	if (j < n && (rd_word((unsigned char)p[j]) ||
		      (p[j] == '.' && j + 1 < n &&
		       rd_digit((unsigned char)p[j + 1]))))
		return 0;
	if (!rd_parse_ip4(p + i, j - i, a))
		return 0;

	flush_to(s, i);
	rd_host(s->r, p + i, j - i);
	s->cp = j;

	return j;
}


/* --- phone numbers ---------------------------------------------------------*/

/* Numbers after these keys are counters, sizes and the like. */
static bool counter_before(const char *p, size_t i)
{
	static const char *const keys[] = {
		"id", "cseq", "seq", "rseq", "length", "len", "bytes",
		"size", "port", "rport", "expires", "duration", "timeout",
		"ts", "timestamp", "time", "pid", "tid", "ssrc", "count",
		"seconds", "secs", "ms", "line", "index", "version", "ver",
		"sess-id", "session", "bitrate", "rate", "content-length",
		"max-forwards", "attempt", "seqno", "packets", "rx", "tx",
		"ports", "kb", "mb", "bps", "kbps", "hz", "usec", "msec",
		NULL
	};
	size_t j = i, k;

	if (j == 0)
		return false;
	if (p[j - 1] == '=' || p[j - 1] == ':' || p[j - 1] == ' ')
		j--;
	while (j > 0 && rd_space((unsigned char)p[j - 1]))
		j--;
	if (j > 0 && (p[j - 1] == '=' || p[j - 1] == ':'))
		j--;
	k = j;
	while (k > 0 && key_char((unsigned char)p[k - 1]))
		k--;

	if (k >= j)
		return false;
	if (in_list(p + k, j - k, keys))
		return true;

	/* log_max_bytes, rtp_ports, reg_retry_max_s: a setting's name */
	for (const char *const *key = keys; *key; key++) {
		size_t m = strlen(*key);

		if (j - k > m + 1 && rd_ieq(p + j - m, m, *key) &&
		    (p[j - m - 1] == '_' || p[j - m - 1] == '-' ||
		     p[j - m - 1] == '.'))
			return true;
	}

	return false;
}


enum { PHONE_GROUPS = 24 };

/* One group of digits of a candidate number, with what lies before it. */
struct pgroup {
	size_t end;         /* just after the group (and its ')') */
	size_t digits;      /* in this group */
	char sep;           /* the separator after it, or 0 */
};


/*
 * Groups [0, k) as a number: its digit count, no decimals, versions or
 * dates.  `plus`: it started with '+'.
 */
static bool phone_valid(const struct pgroup *g, size_t k)
{
	size_t digits = 0;
	unsigned dots = 0, others = 0;

	for (size_t i = 0; i < k; i++) {
		digits += g[i].digits;
		if (i + 1 < k && g[i].sep) {
			if (g[i].sep == '.')
				dots++;
			else
				others++;
		}
	}
	if (digits < 7 || digits > 17)
		return false;
	/* decimals, versions and dates are not numbers anyone dials */
	if (dots && (others || dots < 2))
		return false;
	if (k == 3 && g[0].sep == g[1].sep && g[0].sep != ' ' &&
	    ((g[0].digits == 4 && g[1].digits == 2 && g[2].digits == 2) ||
	     (g[0].digits == 2 && g[1].digits == 2 && g[2].digits == 4)))
		return false;

	return true;
}


/*
 * A phone number: groups of digits joined by '-', '.', '/' or ' ', a
 * '+' and "(0)" allowed.  When the whole run is no number (too many
 * digits: two numbers side by side, a number beside an address or a
 * time stamp), it backs off group by group to the longest run that is
 * one, cutting only at a blank or a '/'.
 */
static size_t try_phone(struct scan *s, size_t i)
{
	const char *p = s->p;
	size_t n = s->n, j = i, k = 0, lastg = 0;
	struct pgroup g[PHONE_GROUPS];
	bool plus = false;

	/* the decimals of 3.14159265 */
	if (i > 1 && p[i - 1] == '.' && rd_digit((unsigned char)p[i - 2]))
		return 0;
	if (p[j] == '+') {
		plus = true;
		j++;
	}

	while (k < PHONE_GROUPS) {
		size_t g0;
		bool paren = false;

		if (j < n && p[j] == '(') {
			paren = true;
			j++;
		}
		g0 = j;
		while (j < n && rd_digit((unsigned char)p[j]))
			j++;
		if (j == g0) {
			if (!k)
				return 0;
			j = g[k - 1].end;
			break;
		}
		g[k].digits = j - g0;
		g[k].sep = 0;
		if (paren) {
			if (j >= n || p[j] != ')') {
				if (!k)
					return 0;
				j = g[k - 1].end;
				break;
			}
			j++;
			/* +27 (0)82 555 0192: the next group may follow */
			if (j < n && rd_digit((unsigned char)p[j])) {
				g[k].end = j;
				k++;
				continue;
			}
		}
		g[k].end = j;
		lastg = g[k].digits;
		k++;

		if (j + 1 < n && (p[j] == '-' || p[j] == '.' || p[j] == '/' ||
				  p[j] == ' ') &&
		    (rd_digit((unsigned char)p[j + 1]) || p[j + 1] == '(')) {
			/* a space joins only groups of two digits or more */
			if (p[j] == ' ' && (lastg < 2 && !(plus && k == 1)))
				break;
			if (p[j] == ' ' && p[j + 1] != '(') {
				size_t e = j + 1;

				while (e < n && rd_digit((unsigned char)p[e]))
					e++;
				if (e - j - 1 < 2)
					break;
			}
			g[k - 1].sep = p[j];
			j++;
			continue;
		}
		break;
	}
	if (!k)
		return 0;
	if (!plus && counter_before(s->p, i))
		return 0;

	/* the whole run, or the longest part of it that is a number */
	for (size_t m = k; m > 0; m--) {
		size_t e = g[m - 1].end;

		if (m < k && g[m - 1].sep != ' ' && g[m - 1].sep != '/')
			continue;
		if (m == k && e < n && (rd_word((unsigned char)p[e]) ||
					p[e] == '@' ||
					(p[e] == ':' && e + 1 < n &&
					 rd_digit((unsigned char)p[e + 1]))))
			continue;
		if (!phone_valid(g, m))
			continue;

		flush_to(s, i);
		rd_tok(s->r, RD_NUM, p + i, e - i);
		s->cp = e;
		return e;
	}

	return 0;
}


/* --- host names ------------------------------------------------------------*/

static bool tld(const char *l, size_t n)
{
	static const char *const generic[] = {
		"com", "net", "org", "edu", "gov", "mil", "int", "info",
		"biz", "name", "pro", "mobi", "tel", "asia", "aero", "coop",
		"jobs", "travel", "arpa", "local", "lan", "home", "corp",
		"internal", "intranet", "localdomain", "example", "test",
		"cloud", "online", "site", "tech", "app", "dev", "io",
		"voip", "office", "company", "network", "systems", "global",
		NULL
	};
	/* two-letter country domains that are also file extensions */
	static const char *const files[] = {
		"so", "sh", "py", "pl", "pm", "md", "rs", "cc", "cs", "js",
		"ts", "gz", "xz", "bz", "db", "in", "am", "ac", "mk", "hh",
		"ml", "ko", NULL
	};

	for (size_t i = 0; i < n; i++) {
		if (!rd_alpha((unsigned char)l[i]))
			return false;
	}
	if (n == 2)
		return !in_list(l, n, files);

	return in_list(l, n, generic);
}


static size_t try_fqdn(struct scan *s, size_t i)
{
	const char *p = s->p;
	size_t n = s->n, j = i, labels = 0, last = i;

	for (;;) {
		size_t l0 = j;

		while (j < n && (rd_alnum((unsigned char)p[j]) || p[j] == '-'))
			j++;
		if (j == l0)
			return 0;
		labels++;
		last = l0;
		if (j + 1 < n && p[j] == '.' &&
		    rd_alnum((unsigned char)p[j + 1])) {
			j++;
			continue;
		}
		break;
	}

	if (labels < 2 || (j < n && (rd_word((unsigned char)p[j]) ||
				     p[j] == '@')))
		return 0;
	if (!tld(p + last, j - last))
		return 0;

	flush_to(s, i);
	rd_host(s->r, p + i, j - i);
	s->cp = j;

	return j;
}


/* --- DTMF ------------------------------------------------------------------*/

static bool mentions_dtmf(const char *p, size_t n)
{
	for (size_t i = 0; i + 4 <= n; i++) {
		if ((p[i] | 0x20) == 'd' && rd_iprefix(p + i, n - i, "dtmf"))
			return true;
	}

	return false;
}


static size_t try_digit(struct scan *s, size_t i)
{
	const char *p = s->p;

	if (i + 2 < s->n && p[i + 2] == p[i] && (p[i] == '\'' || p[i] == '"')
	    && p[i + 1] != p[i]) {
		flush_to(s, i + 1);
		rd_outs(s->r, "<dtmf>");
		s->cp = i + 2;
		return i + 2;
	}

	return 0;
}


/* --- the pass -------------------------------------------------------------*/

static size_t at_word_start(struct scan *s, size_t i)
{
	struct dp_redactor *r = s->r;
	unsigned char c = (unsigned char)s->p[i];
	size_t e;

	if (rd_alpha(c) && (e = try_uri(s, i)))
		return e;
	if ((e = try_dict(s, r->seeds, i)))
		return e;
	if (rd_dict_maybe(r->removed, s->p + i, s->n - i, -1) &&
	    (e = try_dict(s, r->removed, i)))
		return e;
	if ((e = try_dict(s, r->learned, i)))
		return e;
	if (rd_hex(c) && (e = try_digest_hex(s, i)))
		return e;
	if (s->dtmf && (c == '\'' || c == '"') && (e = try_digit(s, i)))
		return e;
	if ((rd_alpha(c) || c == '_' || c == '"' || c == '<') &&
	    (e = try_kv(s, i)))
		return e;
	if (local_char(c) && (e = try_at(s, i)))
		return e;
	if ((rd_hex(c) || c == ':') && (e = try_ip6_mac(s, i)))
		return e;
	if (rd_hex(c) && (e = try_uuid(s, i)))
		return e;
	/* a bare 12-hex-digit word in User-Agent or Server is the device's
	 * MAC (Yealink, Grandstream, ...) */
	if (r->versions && rd_hex(c) && (e = try_bare_mac(s, i)))
		return e;
	/* product/1.2.3.4 is a version (User-Agent, Server) */
	if (r->versions && rd_digit(c) && i > 1 && s->p[i - 1] == '/' &&
	    rd_alnum((unsigned char)s->p[i - 2]))
		return 0;
	if (rd_digit(c) && (e = try_ip4(s, i)))
		return e;
	if ((rd_digit(c) || c == '+' || c == '(') && (e = try_phone(s, i)))
		return e;
	if (rd_alnum(c) && (e = try_fqdn(s, i)))
		return e;

	return 0;
}


/*
 * What a Unicode character in p[0..n) stands for in a phone number or an
 * address: no-break, thin, figure and ideographic spaces a blank, dashes
 * and the minus sign '-', full-width digits, '+' and brackets their ASCII
 * forms, zero-width spaces and joiners nothing (*out 0).  Returns the
 * character's length in bytes, or 0 when it is not one of these.
 */
static size_t fold_char(const unsigned char *p, size_t n, char *out)
{
	if (n >= 2 && p[0] == 0xc2 && p[1] == 0xa0) {
		*out = ' ';                             /* U+00A0 */
		return 2;
	}
	if (n < 3)
		return 0;
	if (p[0] == 0xe2 && p[1] == 0x80) {
		if (p[2] >= 0x80 && p[2] <= 0x8a)
			*out = ' ';                     /* U+2000..U+200A */
		else if (p[2] >= 0x8b && p[2] <= 0x8d)
			*out = 0;                       /* U+200B..U+200D */
		else if (p[2] >= 0x90 && p[2] <= 0x95)
			*out = '-';                     /* U+2010..U+2015 */
		else if (p[2] == 0xaf)
			*out = ' ';                     /* U+202F */
		else
			return 0;
		return 3;
	}
	if (p[0] == 0xe2 && p[1] == 0x81 && p[2] == 0xa0) {
		*out = 0;                               /* U+2060 */
		return 3;
	}
	if (p[0] == 0xe2 && p[1] == 0x88 && p[2] == 0x92) {
		*out = '-';                             /* U+2212 */
		return 3;
	}
	if (p[0] == 0xe3 && p[1] == 0x80 && p[2] == 0x80) {
		*out = ' ';                             /* U+3000 */
		return 3;
	}
	if (p[0] == 0xef && p[1] == 0xbb && p[2] == 0xbf) {
		*out = 0;                               /* U+FEFF */
		return 3;
	}
	if (p[0] == 0xef && p[1] == 0xbc) {
		if (p[2] >= 0x90 && p[2] <= 0x99)
			*out = (char)('0' + p[2] - 0x90);   /* U+FF10..19 */
		else if (p[2] == 0x8b)
			*out = '+';
		else if (p[2] == 0x88)
			*out = '(';
		else if (p[2] == 0x89)
			*out = ')';
		else if (p[2] == 0x8d)
			*out = '-';
		else
			return 0;
		return 3;
	}

	return 0;
}


/*
 * The text with those characters folded, into r->fold, and where each of
 * its bytes came from, into r->fold_map; false when there is nothing to
 * fold (the text is scanned as it is).  Folding only ever shortens.
 */
static bool fold(struct dp_redactor *r, const char *p, size_t n, size_t *fn)
{
	const unsigned char *u = (const unsigned char *)p;
	size_t i = 0, k = 0;
	char c;

	while (i < n && !(u[i] >= 0xc2 && fold_char(u + i, n - i, &c)))
		i++;
	/* busy: a matcher's own text, folded already */
	if (i == n || n > r->max_line + 2 || r->folding)
		return false;

	if (!r->fold) {
		r->fold = mem_alloc(r->max_line + 3, NULL);
		r->fold_map = mem_alloc((r->max_line + 3) * sizeof(uint32_t),
					NULL);
		if (!r->fold || !r->fold_map) {
			r->fold = mem_deref(r->fold);
			r->fold_map = mem_deref(r->fold_map);
			r->err = ENOMEM;
			return false;
		}
	}

	memcpy(r->fold, p, i);
	for (k = 0; k < i; k++)
		r->fold_map[k] = (uint32_t)k;
	while (i < n) {
		size_t l = u[i] >= 0xc2 ? fold_char(u + i, n - i, &c) : 0;

		if (!l) {
			r->fold_map[k] = (uint32_t)i;
			r->fold[k++] = p[i++];
			continue;
		}
		if (c) {
			r->fold_map[k] = (uint32_t)i;
			r->fold[k++] = c;
		}
		i += l;
	}
	if (!k)
		return false;     /* nothing but zero-width characters */
	r->fold_map[0] = 0;
	r->fold_map[k] = (uint32_t)n;
	*fn = k;

	return true;
}


/*
 * Free text.  Unicode spaces, dashes and full-width digits are folded
 * first (fold()) so that a number written with them is found; the
 * matchers read the folded text, what they do not replace is copied from
 * the text as given, and a match replaces all the bytes it came from.
 */
void rd_text(struct dp_redactor *r, const char *p, size_t n)
{
	struct scan s = { .r = r, .p = p, .n = n, .cp = 0, .o = p };
	size_t i = 0, fn;

	if (fold(r, p, n, &fn)) {
		s.p = r->fold;
		s.n = fn;
		s.map = r->fold_map;
		p = s.p;
		n = fn;
		r->folding = true;
	}

	s.dtmf = mentions_dtmf(p, n);

	while (i < n) {
		unsigned char c = (unsigned char)p[i];
		bool ws = i == 0 || !rd_word((unsigned char)p[i - 1]);
		size_t e = 0;

		/* inside a word only punctuation can start something */
		if (ws && (rd_word(c) || !rd_space(c)))
			e = at_word_start(&s, i);
		if (!e && rd_dict_maybe_anywhere(r->seeds, p + i, n - i))
			e = try_dict(&s, r->seeds, i);
		if (!e && rd_dict_maybe_anywhere(r->removed, p + i, n - i))
			e = try_dict(&s, r->removed, i);
		if (e) {
			i = e;
			continue;
		}
		i++;
	}

	flush_to(&s, n);
	if (s.map)
		r->folding = false;
}
