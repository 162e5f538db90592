/**
 * @file token.c  Keyed pseudonyms: HMAC-SHA256 over a normalised value
 *
 * The HMAC is privacy/crypto's keyed context: the key's inner and outer
 * digest states are computed once, so a token costs two short digests.  A
 * direct-mapped cache keeps recent values, since a trace repeats the
 * same hosts, users and Call-IDs in every message.
 */
#include <arpa/inet.h>
#include <string.h>
#include <re.h>
#include "rd.h"

enum { CACHE_SLOTS = 4096, CACHE_VAL = 62 };

struct rd_cache_slot {
	uint64_t h;
	uint8_t type;
	uint8_t len;
	char val[CACHE_VAL];
	char hex[13];
};

struct rd_cache {
	struct rd_cache_slot slot[CACHE_SLOTS];
};

static const struct {
	const char *label;
	unsigned hexlen;
} types[RD_NTYPES] = {
	[RD_USER]   = { "user",   8 },
	[RD_NUM]    = { "num",    8 },
	[RD_NAME]   = { "name",   8 },
	[RD_HOST]   = { "host",   8 },
	[RD_IP4]    = { "ip4",    8 },
	[RD_IP6]    = { "ip6",    8 },
	[RD_MAC]    = { "mac",    8 },
	[RD_CALLID] = { "callid", 12 },
	[RD_TAG]    = { "tag",    12 },
	[RD_BRANCH] = { "branch", 12 },
	[RD_NONCE]  = { "nonce",  12 },
	[RD_TEXT]   = { "text",   8 },
};


int rd_token_init(struct dp_redactor *r, const uint8_t *key, size_t n)
{
	uint8_t rnd[32];
	int err;

	if (!key) {
		if (dp_random(rnd, sizeof(rnd)))
			return EIO;
		key = rnd;
		n = sizeof(rnd);
	}

	err = dp_hmac_alloc(&r->mac, key, n);
	dp_wipe(rnd, sizeof(rnd));
	if (err)
		return err == EINVAL ? EINVAL : EIO;

	r->cache = mem_zalloc(sizeof(*r->cache), NULL);

	return r->cache ? 0 : ENOMEM;
}


void rd_token_close(struct dp_redactor *r)
{
	r->mac = mem_deref(r->mac);
	if (r->cache)
		dp_wipe(r->cache, sizeof(*r->cache));
	r->cache = mem_deref(r->cache);
}


static void hmac_hex(struct dp_redactor *r, enum rd_type t, const char *v,
		     size_t n, char *hex, unsigned hexlen)
{
	static const char digits[] = "0123456789abcdef";
	uint8_t h[DP_SHA256_LEN], tag[2] = { (uint8_t)t, 0 };

	/* the key object cannot fail on memory it already has */
	(void)dp_hmac_update(r->mac, tag, sizeof(tag));
	(void)dp_hmac_update(r->mac, v, n);
	(void)dp_hmac_final(r->mac, h);

	for (unsigned i = 0; i < hexlen; i++)
		hex[i] = digits[(h[i / 2] >> ((i & 1) ? 0 : 4)) & 0xf];
	hex[hexlen] = '\0';
}


static uint64_t fnv(enum rd_type t, const char *v, size_t n)
{
	uint64_t h = 0xcbf29ce484222325ULL ^ (uint64_t)t;

	for (size_t i = 0; i < n; i++) {
		h ^= (uint8_t)v[i];
		h *= 0x100000001b3ULL;
	}

	return h;
}


/* The hex digits for a normalised value, through the cache. */
static const char *hex_of(struct dp_redactor *r, enum rd_type t,
			  const char *v, size_t n, char *buf)
{
	unsigned hexlen = types[t].hexlen;
	struct rd_cache_slot *s;
	uint64_t h;

	if (n > CACHE_VAL) {
		r->fresh = true;
		hmac_hex(r, t, v, n, buf, hexlen);
		return buf;
	}

	h = fnv(t, v, n);
	s = &r->cache->slot[h & (CACHE_SLOTS - 1)];
	if (s->h == h && s->type == t && s->len == n && s->hex[0] &&
	    0 == memcmp(s->val, v, n))
		return s->hex;

	r->fresh = true;
	hmac_hex(r, t, v, n, s->hex, hexlen);
	s->h = h;
	s->type = (uint8_t)t;
	s->len = (uint8_t)n;
	memcpy(s->val, v, n);

	return s->hex;
}


static int unhex(unsigned char c)
{
	if (rd_digit(c))
		return c - '0';
	c = rd_lower(c);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}


/* Percent-decode and lowercase; numbers also lose visual separators. */
static size_t norm_user(const char *v, size_t n, char *o, bool number)
{
	size_t k = 0;

	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)v[i];

		if (c == '%' && i + 2 < n && unhex(v[i + 1]) >= 0 &&
		    unhex(v[i + 2]) >= 0) {
			c = (unsigned char)(unhex(v[i + 1]) * 16 +
					    unhex(v[i + 2]));
			i += 2;
		}
		if (number && (c == ' ' || c == '-' || c == '.' || c == '(' ||
			       c == ')' || c == '/' || c == '\t'))
			continue;
		o[k++] = (char)rd_lower(c);
	}

	return k;
}


static size_t norm_name(const char *v, size_t n, char *o)
{
	size_t k = 0;
	bool sp = false;

	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)v[i];

		if (c == '\\' && i + 1 < n)
			c = (unsigned char)v[++i];
		else if (rd_space(c) || c == '"') {
			sp = k > 0;
			continue;
		}
		if (sp)
			o[k++] = ' ';
		sp = false;
		o[k++] = (char)rd_lower(c);
	}

	return k;
}


/* Which label an address gets: its scope, never more. */
static const char *ip4_label(const uint8_t a[4])
{
	if (a[0] == 10 || (a[0] == 172 && (a[1] & 0xf0) == 16) ||
	    (a[0] == 192 && a[1] == 168))
		return "ip4priv";
	if (a[0] == 169 && a[1] == 254)
		return "ip4ll";
	if (a[0] == 100 && (a[1] & 0xc0) == 64)
		return "ip4cgn";
	return "ip4";
}


static bool ip4_kept(const uint8_t a[4])
{
	static const uint8_t zero[4], bcast[4] = { 255, 255, 255, 255 };

	return a[0] == 127 || !memcmp(a, zero, 4) || !memcmp(a, bcast, 4);
}


static const char *ip6_label(const uint8_t a[16])
{
	if (a[0] == 0xfe && (a[1] & 0xc0) == 0x80)
		return "ip6ll";
	if ((a[0] & 0xfe) == 0xfc)
		return "ip6ula";
	return "ip6";
}


static bool ip6_kept(const uint8_t a[16])
{
	static const uint8_t zero[16];

	if (memcmp(a, zero, 15))
		return false;

	return a[15] <= 1;     /* :: and ::1 */
}


static bool ip6_mapped4(const uint8_t a[16])
{
	static const uint8_t pfx[12] = { 0,0,0,0,0,0,0,0,0,0,0xff,0xff };

	return 0 == memcmp(a, pfx, sizeof(pfx));
}


size_t rd_token_fmt(struct dp_redactor *r, enum rd_type t, const char *v,
		    size_t n, char *buf)
{
	const char *label = types[t].label, *hex;
	char hexbuf[16];
	char *norm = r->norm;
	uint8_t a[16];
	size_t k;

	if (n > r->max_line)
		n = r->max_line;
	switch (t) {

	case RD_NUM:
		k = norm_user(v, n, norm, true);
		break;

	case RD_USER:
		k = norm_user(v, n, norm, false);
		break;

	case RD_NAME:
		k = norm_name(v, n, norm);
		break;

	case RD_HOST:
		k = 0;
		while (n && v[n - 1] == '.')
			n--;
		for (size_t i = 0; i < n; i++)
			norm[k++] = (char)rd_lower((unsigned char)v[i]);
		break;

	case RD_IP4:
		if (!rd_parse_ip4(v, n, a))
			goto text;
		label = ip4_label(a);
		memcpy(norm, a, 4);
		k = 4;
		break;

	case RD_IP6:
		if (!rd_parse_ip6(v, n, a))
			goto text;
		if (ip6_mapped4(a)) {
			t = RD_IP4;
			label = ip4_label(a + 12);
			memcpy(norm, a + 12, 4);
			k = 4;
			break;
		}
		label = ip6_label(a);
		memcpy(norm, a, 16);
		k = 16;
		break;

	case RD_MAC:
		if (!rd_parse_mac(v, n, a))
			goto text;
		memcpy(norm, a, 6);
		k = 6;
		break;

	default:
		memcpy(norm, v, n);
		k = n;
		break;

	text:
		t = RD_TEXT;
		label = types[t].label;
		memcpy(norm, v, n);
		k = n;
		break;
	}

	hex = hex_of(r, t, norm, k, hexbuf);

	/* <label-hex>: written by hand, this is the hot path */
	{
		size_t ll = strlen(label), hl = types[t].hexlen;

		buf[0] = '<';
		memcpy(buf + 1, label, ll);
		buf[1 + ll] = '-';
		memcpy(buf + 2 + ll, hex, hl);
		buf[2 + ll + hl] = '>';
		buf[3 + ll + hl] = '\0';

		return 3 + ll + hl;
	}
}


static void tok_piece(struct dp_redactor *r, const char *v, size_t n,
		      void *arg)
{
	char buf[40];

	rd_out(r, buf, rd_token_fmt(r, *(enum rd_type *)arg, v, n, buf));
	r->stats.tokens++;
}


bool rd_tok(struct dp_redactor *r, enum rd_type t, const char *v, size_t n)
{
	char buf[40];
	size_t k;

	r->fresh = false;
	/* our own tokens (own.c) stay as they are, the text beside them
	 * gets tokens of its own */
	if (rd_own_has_placeholder(v, n)) {
		rd_own_pieces(r, v, n, tok_piece, &t);
		return false;
	}
	k = rd_token_fmt(r, t, v, n, buf);
	rd_out(r, buf, k);
	r->stats.tokens++;

	return r->fresh;
}


bool rd_is_number(const char *v, size_t n)
{
	size_t i = 0, digits = 0;

	if (n && v[0] == '+')
		i = 1;
	else if (n >= 3 && v[0] == '%' && v[1] == '2' && rd_lower(v[2]) == 'b')
		i = 3;

	for (; i < n; i++) {
		unsigned char c = (unsigned char)v[i];

		if (rd_digit(c))
			digits++;
		else if (!(c == '-' || c == '.' || c == '(' || c == ')' ||
			   c == ' ' || c == '*' || c == '#'))
			return false;
	}

	return digits > 0;
}


void rd_user(struct dp_redactor *r, const char *v, size_t n)
{
	if (!n)
		return;

	if (rd_ieq(v, n, "anonymous")) {
		rd_out(r, v, n);
		return;
	}

	/* learnt on first sight (a value seen before is known already) */
	if (rd_is_number(v, n)) {
		if (rd_tok(r, RD_NUM, v, n) && n >= 5)
			rd_learn(r, RD_NUM, v, n);
	}
	else if (rd_tok(r, RD_USER, v, n)) {
		rd_learn(r, RD_USER, v, n);
	}
}


bool rd_parse_ip4(const char *p, size_t n, uint8_t a[4])
{
	size_t i = 0;

	for (int part = 0; part < 4; part++) {
		unsigned v = 0, nd = 0;

		while (i < n && rd_digit(p[i]) && nd < 4) {
			v = v * 10 + (unsigned)(p[i] - '0');
			i++;
			nd++;
		}
		if (!nd || nd > 3 || v > 255)
			return false;
		a[part] = (uint8_t)v;
		if (part < 3) {
			if (i >= n || p[i] != '.')
				return false;
			i++;
		}
	}

	return i == n;
}


bool rd_parse_ip6(const char *p, size_t n, uint8_t a[16])
{
	char buf[64];
	const char *pct = memchr(p, '%', n);

	if (pct)
		n = (size_t)(pct - p);     /* a zone index names an interface */
	if (n < 2 || n >= sizeof(buf) || !memchr(p, ':', n))
		return false;

	memcpy(buf, p, n);
	buf[n] = '\0';

	return 1 == inet_pton(AF_INET6, buf, a);
}


bool rd_parse_mac(const char *p, size_t n, uint8_t a[6])
{
	if (n == 17) {
		char sep = p[2];

		if (sep != ':' && sep != '-')
			return false;
		for (int i = 0; i < 6; i++) {
			const char *g = p + i * 3;

			if (unhex(g[0]) < 0 || unhex(g[1]) < 0 ||
			    (i < 5 && g[2] != sep))
				return false;
			a[i] = (uint8_t)(unhex(g[0]) * 16 + unhex(g[1]));
		}
		return true;
	}

	if (n == 14) {           /* 0015.65aa.bbcc */
		int k = 0;

		for (size_t i = 0; i < n; i++) {
			if (i == 4 || i == 9) {
				if (p[i] != '.')
					return false;
				continue;
			}
			if (unhex(p[i]) < 0)
				return false;
		}
		for (size_t i = 0; i < n; i += (i == 3 || i == 8) ? 2 : 1) {
			if (p[i] == '.')
				continue;
			if (k % 2 == 0)
				a[k / 2] = (uint8_t)(unhex(p[i]) << 4);
			else
				a[k / 2] |= (uint8_t)unhex(p[i]);
			k++;
		}
		return k == 12;
	}

	if (n == 12) {
		for (int i = 0; i < 6; i++) {
			if (unhex(p[2 * i]) < 0 || unhex(p[2 * i + 1]) < 0)
				return false;
			a[i] = (uint8_t)(unhex(p[2 * i]) * 16 +
					 unhex(p[2 * i + 1]));
		}
		return true;
	}

	return false;
}


static bool host_kept(const char *v, size_t n)
{
	static const char inv[] = ".invalid";
	size_t il = sizeof(inv) - 1;

	while (n && v[n - 1] == '.')
		n--;

	if (rd_ieq(v, n, "localhost") || rd_ieq(v, n, "invalid") ||
	    rd_ieq(v, n, "*"))
		return true;

	return n > il && rd_ieq(v + n - il, il, inv);
}


void rd_host(struct dp_redactor *r, const char *v, size_t n)
{
	uint8_t a[16];

	if (!n)
		return;

	if (n >= 2 && v[0] == '[' && v[n - 1] == ']') {
		rd_outc(r, '[');
		if (rd_parse_ip6(v + 1, n - 2, a) && ip6_kept(a))
			rd_out(r, v + 1, n - 2);
		else
			rd_tok(r, RD_IP6, v + 1, n - 2);
		rd_outc(r, ']');
		return;
	}

	if (rd_parse_ip4(v, n, a)) {
		if (ip4_kept(a))
			rd_out(r, v, n);
		else
			rd_tok(r, RD_IP4, v, n);
		return;
	}

	if (rd_parse_ip6(v, n, a)) {
		if (ip6_kept(a))
			rd_out(r, v, n);
		else
			rd_tok(r, RD_IP6, v, n);
		return;
	}

	if (host_kept(v, n)) {
		rd_out(r, v, n);
		return;
	}

	if (rd_tok(r, RD_HOST, v, n))
		rd_learn(r, RD_HOST, v, n);
}


/* Remember a value so that free text finds it too (short ones match too
 * much to be worth it). */
void rd_learn(struct dp_redactor *r, enum rd_type t, const char *v,
	      size_t n)
{
	char tok[40];
	size_t k, min = t == RD_CALLID ? 6 : (t == RD_NUM ? 5 : 3);

	if (n < min || n > 128 || rd_own_has_placeholder(v, n))
		return;
	/* Too common to stand for anyone when found in free text. */
	if (t == RD_NAME && (rd_ieq(v, n, "anonymous") ||
			     rd_ieq(v, n, "unknown")))
		return;

	k = rd_token_fmt(r, t, v, n, tok);
	(void)rd_dict_add(r->learned, v, n, tok, k, RD_WORD);
}


bool rd_ip4_kept_text(const char *v, size_t n)
{
	uint8_t a[4];

	return rd_parse_ip4(v, n, a) && ip4_kept(a);
}


bool rd_ip6_kept_text(const char *v, size_t n)
{
	uint8_t a[16];

	return rd_parse_ip6(v, n, a) && ip6_kept(a);
}


/*
 * Values too plain to stand for a secret anywhere else: the words of a
 * setting, our own tokens, file paths and masks such as "********".
 */
static bool removed_plain(const char *v, size_t n)
{
	static const char *const words[] = {
		"true", "false", "null", "none", "enabled", "disabled",
		"removed", "redacted", "secret", "password", "hidden", NULL
	};
	bool same = true;

	/* a token, or the path of a key file (support_public_key /etc/...) */
	if ((v[0] == '<' && v[n - 1] == '>') ||
	    (v[0] == '/' && !memchr(v, ' ', n)))
		return true;
	for (size_t i = 1; i < n; i++)
		same &= v[i] == v[0];
	if (same)
		return true;
	for (const char *const *w = words; *w; w++) {
		if (rd_ieq(v, n, *w))
			return true;
	}

	return false;
}


void rd_learn_removed(struct dp_redactor *r, const char *v, size_t n,
		      const char *tok, size_t toklen)
{
	enum rd_where where = RD_HEXDIGITS;

	while (n && rd_space((unsigned char)v[n - 1]))
		n--;
	while (n && rd_space((unsigned char)v[0])) {
		v++;
		n--;
	}
	if (n < RD_REMOVED_MIN || n > RD_REMOVED_LEN || removed_plain(v, n) ||
	    rd_own_has_placeholder(v, n))
		return;

	/* a hex digest is not found inside a longer hex run; anything else
	 * inside other words too */
	for (size_t i = 0; i < n; i++) {
		if (!rd_hex((unsigned char)v[i])) {
			where = RD_ANYWHERE;
			break;
		}
	}

	(void)rd_dict_add(r->removed, v, n, tok, toklen, where);
}


void rd_nonce(struct dp_redactor *r, const char *v, size_t n)
{
	char tok[40];
	size_t k;

	if (!n)
		return;
	if (rd_own_has_placeholder(v, n)) {
		(void)rd_tok(r, RD_NONCE, v, n);
		return;
	}
	k = rd_token_fmt(r, RD_NONCE, v, n, tok);
	rd_out(r, tok, k);
	r->stats.tokens++;
	rd_learn_removed(r, v, n, tok, k);
}
