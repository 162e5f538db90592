/**
 * @file test_redact.c  The redactor: a corpus with planted identities,
 *                      generated call flows, tokens, streaming limits
 */
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include <openssl/hmac.h>
#include <re.h>
#include "privacy/redact/redact.h"
#include "test/tools/sipgen.h"
#include "dptest.h"

static const char key_a[] = "0123456789abcdef0123456789abcdef";
static const char key_b[] = "fedcba9876543210fedcba9876543210";


static struct dp_redactor *mk(const char *key, size_t max_line)
{
	struct dp_redactor *r = NULL;

	DP_ASSERT_OK(dp_redactor_alloc(&r, (const uint8_t *)key,
				       key ? strlen(key) : 0, max_line));

	return r;
}


static int to_mbuf(const char *p, size_t n, void *arg)
{
	return mbuf_write_mem(arg, (const uint8_t *)p, n);
}


/* Redact `in`, fed `chunk` bytes at a time (0: at once); a C string. */
static char *redact(struct dp_redactor *r, const char *in, size_t n,
		    size_t chunk)
{
	struct mbuf *mb = mbuf_alloc(n * 2 + 64);
	char *s;

	DP_ASSERT(mb != NULL);
	if (!chunk)
		chunk = n ? n : 1;
	for (size_t i = 0; i < n; i += chunk) {
		size_t k = n - i < chunk ? n - i : chunk;

		DP_ASSERT_OK(dp_redact_feed(r, in + i, k, to_mbuf, mb));
	}
	DP_ASSERT_OK(dp_redact_finish(r, to_mbuf, mb));

	s = malloc(mb->end + 1);
	DP_ASSERT(s != NULL);
	memcpy(s, mb->buf, mb->end);
	s[mb->end] = '\0';
	mem_deref(mb);

	return s;
}


static char *redact_s(struct dp_redactor *r, const char *in)
{
	return redact(r, in, strlen(in), 0);
}


static char *read_file(const char *path, size_t *lenp)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long len;

	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	len = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc((size_t)len + 1);
	DP_ASSERT(buf != NULL);
	DP_ASSERT(fread(buf, 1, (size_t)len, f) == (size_t)len);
	buf[len] = '\0';
	fclose(f);
	if (lenp)
		*lenp = (size_t)len;

	return buf;
}


/* Every "<type-hex>" token replaced by "<type>": the shape of a trace. */
static char *shape(const char *s)
{
	char *o = malloc(strlen(s) + 1), *w = o;

	DP_ASSERT(o != NULL);
	while (*s) {
		const char *p = s + 1, *d;

		if (*s == '<') {
			while ((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9'))
				p++;
			if (*p == '-' && p > s + 1) {
				d = p + 1;
				while ((*d >= '0' && *d <= '9') ||
				       (*d >= 'a' && *d <= 'f'))
					d++;
				if (*d == '>' && d - p >= 9) {
					memcpy(w, s, (size_t)(p - s));
					w += p - s;
					*w++ = '>';
					s = d + 1;
					continue;
				}
			}
		}
		*w++ = *s++;
	}
	*w = '\0';

	return o;
}


/* --- structure ------------------------------------------------------------ */

/* Skip the log prefixes the corpus uses. */
static const char *content(const char *l)
{
	if (strlen(l) > 21 && l[4] == '-' && l[10] == 'T' && l[19] == 'Z')
		return l + 21;
	if (strlen(l) > 13 && l[2] == ':' && l[5] == ':' && l[8] == '.')
		return l + 13;
	if (strlen(l) > 16 && l[3] == ' ' && l[6] == ' ' && l[9] == ':' &&
	    l[12] == ':') {
		const char *sp = strchr(l + 16, ' ');

		return sp ? sp + 1 : l + 16;
	}

	return l;
}


static size_t header_name(const char *c)
{
	size_t i = 0, k;

	if (!((c[0] >= 'A' && c[0] <= 'Z') || (c[0] >= 'a' && c[0] <= 'z')))
		return 0;
	while ((c[i] >= 'A' && c[i] <= 'Z') || (c[i] >= 'a' && c[i] <= 'z') ||
	       (c[i] >= '0' && c[i] <= '9') || c[i] == '-' || c[i] == '_')
		i++;
	k = i;
	while (c[k] == ' ' || c[k] == '\t')
		k++;

	return c[k] == ':' ? i : 0;
}


static unsigned count_of(const char *s, const char *sub)
{
	unsigned n = 0;

	for (const char *f = s; (f = strstr(f, sub)); f++)
		n++;

	return n;
}


struct callids {
	char in[512][128];
	char out[512][128];
	size_t n;
};


static void trimcpy(char *dst, const char *src)
{
	while (*src == ' ' || *src == '\t')
		src++;
	snprintf(dst, 128, "%s", src);
	for (size_t k = strlen(dst); k && (dst[k - 1] == ' ' ||
					   dst[k - 1] == '\r'); k--)
		dst[k - 1] = '\0';
}


/* Equal Call-IDs stay equal, different ones different. */
static void callid_pair(struct callids *c, const char *name, const char *in,
			const char *out)
{
	char a[128], b[128];

	trimcpy(a, in);
	trimcpy(b, out);
	if (!a[0])
		return;
	DP_ASSERT_MSG(strcmp(a, b), "%s: Call-ID %s kept", name, a);
	for (size_t i = 0; i < c->n; i++) {
		bool same_in = 0 == strcmp(c->in[i], a);
		bool same_out = 0 == strcmp(c->out[i], b);

		DP_ASSERT_MSG(same_in == same_out, "%s: Call-IDs %s and %s map"
			      " to %s and %s", name, c->in[i], a, c->out[i], b);
	}
	if (c->n < 512) {
		memcpy(c->in[c->n], a, sizeof(a));
		memcpy(c->out[c->n], b, sizeof(b));
		c->n++;
	}
}


static void check_structure(const char *name, char *in, char *out,
			    struct callids *cids)
{
	char *si = NULL, *so = NULL;
	char *li = strtok_r(in, "\n", &si);
	char *lo = strtok_r(out, "\n", &so);
	unsigned lines = 0;

	/* strtok skips empty lines: blank lines are compared by count */
	for (; li && lo; li = strtok_r(NULL, "\n", &si),
		     lo = strtok_r(NULL, "\n", &so)) {
		const char *ci = content(li), *co = content(lo);
		size_t hn = header_name(ci);

		lines++;
		if (0 == strncmp(ci, "SIP/2.0 ", 8)) {
			DP_ASSERT_MSG(0 == strncmp(ci, co, 11), "%s: status"
				      " line '%s' became '%s'", name, ci, co);
		}
		else if (strstr(ci, " SIP/2.0") && hn == 0 &&
			 ci[0] >= 'A' && ci[0] <= 'Z' && !strchr(ci, '\\') &&
			 !strstr(ci, "..")) {
			size_t m = strcspn(ci, " ");

			DP_ASSERT_MSG(0 == strncmp(ci, co, m + 1), "%s: method"
				      " of '%s' lost: '%s'", name, ci, co);
			DP_ASSERT(strstr(co, " SIP/2.0") != NULL);
		}
		/* a body not understood is replaced line by line */
		if (hn && 0 != strncmp(co, "<text-", 6)) {
			DP_ASSERT_MSG(0 == strncmp(ci, co, hn) &&
				      header_name(co) == hn, "%s: header name"
				      " of '%s' changed: '%s'", name, ci, co);
		}
		if (hn && (0 == strncasecmp(ci, "cseq", 4) ||
			   0 == strncasecmp(ci, "content-length", 14) ||
			   0 == strncasecmp(ci, "max-forwards", 12))) {
			DP_ASSERT_MSG(0 == strcmp(ci, co), "%s: '%s' became"
				      " '%s'", name, ci, co);
		}
		DP_ASSERT_MSG(count_of(ci, "z9hG4bK") == count_of(co, "z9hG4bK"),
			      "%s: branch cookie lost in '%s'", name, co);
		if (hn && ((hn == 7 && 0 == strncasecmp(ci, "call-id", 7)) ||
			   (hn == 1 && (ci[0] == 'i' || ci[0] == 'I'))))
			callid_pair(cids, name, strchr(ci, ':') + 1,
				    strchr(co, ':') + 1);
	}

	DP_ASSERT_MSG(!li && !lo, "%s: line count changed", name);
	DP_ASSERT(lines > 0);
}


/* --- the corpus ------------------------------------------------------------ */

static void corpus_file(struct dp_redactor *r, const char *dir,
			const char *base, bool crlf, size_t chunk,
			struct callids *cids, char **outp)
{
	static const char *const exts[] = { ".sip", ".log", ".txt" };
	char path[1024], *data = NULL, *planted, *out, *in2;
	size_t len = 0, k = 0;

	for (size_t i = 0; !data && i < 3; i++) {
		snprintf(path, sizeof(path), "%s/%s%s", dir, base, exts[i]);
		data = read_file(path, &len);
	}
	DP_ASSERT_MSG(data != NULL, "no data file for %s", base);

	in2 = malloc(len * 2 + 1);
	DP_ASSERT(in2 != NULL);
	for (size_t i = 0; i < len; i++) {
		if (crlf && data[i] == '\n')
			in2[k++] = '\r';
		in2[k++] = data[i];
	}
	in2[k] = '\0';

	out = redact(r, in2, k, chunk);

	snprintf(path, sizeof(path), "%s/%s.planted", dir, base);
	planted = read_file(path, NULL);
	DP_ASSERT(planted != NULL);
	for (char *sv = NULL, *v = strtok_r(planted, "\n", &sv); v;
	     v = strtok_r(NULL, "\n", &sv)) {
		DP_ASSERT_MSG(!strcasestr(out, v), "%s: planted '%s' survived",
			      base, v);
		/* it was there to begin with */
		DP_ASSERT_MSG(strcasestr(in2, v) != NULL, "%s: '%s' is not"
			      " in the input", base, v);
	}

	*outp = strdup(out);
	check_structure(base, in2, out, cids);

	free(planted);
	free(out);
	free(in2);
	free(data);
}


static size_t corpus_names(char names[][64], size_t max)
{
	char dir[1024];
	DIR *d;
	struct dirent *de;
	size_t n = 0;

	snprintf(dir, sizeof(dir), "%s/redact", dptest_datadir());
	d = opendir(dir);
	DP_ASSERT_MSG(d != NULL, "no corpus at %s", dir);
	while ((de = readdir(d)) && n < max) {
		size_t l = strlen(de->d_name);

		if (l > 8 && 0 == strcmp(de->d_name + l - 8, ".planted")) {
			snprintf(names[n], 64, "%.*s", (int)(l - 8), de->d_name);
			n++;
		}
	}
	closedir(d);

	return n;
}


DP_TEST(corpus_nothing_planted_survives_structure_kept)
{
	static char names[64][64];
	static struct callids cids;
	char dir[1024];
	size_t n = corpus_names(names, 64);
	struct dp_redactor *lf = mk(key_a, 0), *crlf = mk(key_a, 0);

	snprintf(dir, sizeof(dir), "%s/redact", dptest_datadir());
	DP_ASSERT_MSG(n >= 10, "only %zu corpus files", n);

	for (size_t i = 0; i < n; i++) {
		char *a = NULL, *b = NULL;

		cids.n = 0;
		corpus_file(lf, dir, names[i], false, 0, &cids, &a);
		cids.n = 0;
		corpus_file(crlf, dir, names[i], true, 7, &cids, &b);

		/* CRLF input gives CRLF output, token for token */
		for (char *w = b, *q = b; ; q++) {
			if (*q != '\r')
				*w++ = *q;
			if (!*q)
				break;
		}
		DP_ASSERT_MSG(0 == strcmp(a, b), "%s: CRLF and LF differ",
			      names[i]);
		free(a);
		free(b);
	}

	mem_deref(lf);
	mem_deref(crlf);
}


DP_TEST(corpus_same_key_same_tokens_other_key_other_tokens)
{
	static char names[64][64];
	static struct callids cids;
	char dir[1024];
	size_t n = corpus_names(names, 64);
	struct dp_redactor *a1 = mk(key_a, 0), *a2 = mk(key_a, 0);
	struct dp_redactor *b = mk(key_b, 0);

	snprintf(dir, sizeof(dir), "%s/redact", dptest_datadir());
	for (size_t i = 0; i < n; i++) {
		char *x = NULL, *y = NULL, *z = NULL, *sx, *sz;

		corpus_file(a1, dir, names[i], false, 0, &cids, &x);
		cids.n = 0;
		corpus_file(a2, dir, names[i], false, 1, &cids, &y);
		cids.n = 0;
		corpus_file(b, dir, names[i], false, 0, &cids, &z);
		cids.n = 0;

		DP_ASSERT_MSG(0 == strcmp(x, y), "%s: same key, other output",
			      names[i]);
		DP_ASSERT_MSG(strcmp(x, z), "%s: other key, same output",
			      names[i]);
		sx = shape(x);
		sz = shape(z);
		DP_ASSERT_MSG(0 == strcmp(sx, sz), "%s: other key, other"
			      " structure", names[i]);
		free(sx);
		free(sz);
		free(x);
		free(y);
		free(z);
	}

	mem_deref(a1);
	mem_deref(a2);
	mem_deref(b);
}


/* --- generated call flows ---------------------------------------------------- */

DP_TEST(generated_flows_nothing_survives)
{
	struct dp_redactor *r = mk(key_a, 0);
	static struct callids cids;
	struct mbuf *mb = mbuf_alloc(8192);
	struct sipgen g;

	sipgen_init(&g, 20261130);
	for (int flow = 0; flow < 300; flow++) {
		char *in, *out, *ci, *co;

		mbuf_rewind(mb);
		DP_ASSERT_OK(sipgen_flow(&g, mb));
		in = malloc(mb->end + 1);
		memcpy(in, mb->buf, mb->end);
		in[mb->end] = '\0';

		out = redact(r, in, mb->end, 1 + (size_t)(sipgen_rand(&g) % 900));
		for (size_t i = 0; i < g.nplanted; i++) {
			DP_ASSERT_MSG(strstr(in, g.planted[i]) != NULL,
				      "flow %d: '%s' not planted", flow,
				      g.planted[i]);
			DP_ASSERT_MSG(!strcasestr(out, g.planted[i]),
				      "flow %d: '%s' survived", flow,
				      g.planted[i]);
		}

		/* Call-IDs: equal within the flow, distinct across flows */
		ci = strdup(in);
		co = strdup(out);
		check_structure("generated", ci, co, &cids);
		free(ci);
		free(co);
		free(in);
		free(out);
	}
	DP_ASSERT(cids.n > 0);

	mem_deref(mb);
	mem_deref(r);
}


/* --- tokens ----------------------------------------------------------------- */

static bool first_token(const char *s, const char *type, char *buf)
{
	char pat[32];
	const char *f, *e;

	snprintf(pat, sizeof(pat), "<%s-", type);
	f = strstr(s, pat);
	if (!f)
		return false;
	e = strchr(f, '>');
	snprintf(buf, 64, "%.*s", (int)(e - f + 1), f);

	return true;
}


DP_TEST(token_is_keyed_hmac_of_the_value)
{
	struct dp_redactor *r = mk(key_a, 0);
	uint8_t mac[32];
	unsigned ml = 0;
	char buf[64], want[32];
	/* type 1 is a number; the value is hashed without separators */
	static const char msg[] = "\x01\x00+27115550123";

	DP_ASSERT_OK(dp_redact_token(r, DP_ID_NUMBER, "+27 11 555 0123", buf,
				     sizeof(buf)));
	HMAC(EVP_sha256(), key_a, (int)strlen(key_a),
	     (const uint8_t *)msg, sizeof(msg) - 1, mac, &ml);
	snprintf(want, sizeof(want), "<num-%02x%02x%02x%02x>", mac[0], mac[1],
		 mac[2], mac[3]);
	DP_ASSERT_STREQ(buf, want);

	mem_deref(r);
}


DP_TEST(token_same_value_same_token_in_every_form)
{
	struct dp_redactor *r = mk(key_a, 0);
	char tel[64], sip[64], text[64], tok[64];
	char *o = redact_s(r,
		"To: <tel:+27-11-555-0123>\n"
		"From: <sip:+27115550123@pbx.example.com;user=phone>;tag=1\n"
		"note: call +27 11 555 0123 back\n"
		"Contact: <sip:%2B27115550123@192.0.2.7>\n");

	DP_ASSERT(first_token(o, "num", tel));
	DP_ASSERT(first_token(strstr(o, "From"), "num", sip));
	DP_ASSERT(first_token(strstr(o, "note"), "num", text));
	DP_ASSERT_STREQ(tel, sip);
	DP_ASSERT_STREQ(tel, text);
	DP_ASSERT(first_token(strstr(o, "Contact"), "num", tok));
	DP_ASSERT_STREQ(tel, tok);
	DP_ASSERT(!strstr(o, "555"));

	free(o);
	mem_deref(r);
}


DP_TEST(token_random_keys_differ)
{
	struct dp_redactor *a = mk(NULL, 0), *b = mk(NULL, 0);
	char x[64], y[64];

	DP_ASSERT_OK(dp_redact_token(a, DP_ID_USER, "alice", x, sizeof(x)));
	DP_ASSERT_OK(dp_redact_token(b, DP_ID_USER, "alice", y, sizeof(y)));
	DP_ASSERT(strcmp(x, y));
	DP_ASSERT(0 == strncmp(x, "<user-", 6));

	mem_deref(a);
	mem_deref(b);
}


DP_TEST(token_distinct_callids_stay_distinct)
{
	struct dp_redactor *r = mk(key_b, 0);
	struct mbuf *in = mbuf_alloc(1 << 20);
	char *o, *line, *sv = NULL;
	static char seen[4000][32];
	size_t n = 0;

	for (int i = 0; i < 4000; i++)
		DP_ASSERT_OK(mbuf_printf(in, "Call-ID: %08x-%d@host\n",
					 (unsigned)i * 2654435761u, i));
	/* the same ones again: equal stays equal */
	for (int i = 0; i < 4000; i += 97)
		DP_ASSERT_OK(mbuf_printf(in, "Call-ID: %08x-%d@host\n",
					 (unsigned)i * 2654435761u, i));

	o = redact(r, (const char *)in->buf, in->end, 0);
	for (line = strtok_r(o, "\n", &sv); line && n < 4000;
	     line = strtok_r(NULL, "\n", &sv), n++) {
		snprintf(seen[n], 32, "%s", line + 9);
		for (size_t j = 0; j < n; j += 1)
			DP_ASSERT_MSG(strcmp(seen[j], seen[n]), "collision %s",
				      seen[n]);
	}
	DP_ASSERT_EQ(n, 4000);
	for (int i = 0; line; line = strtok_r(NULL, "\n", &sv), i += 97)
		DP_ASSERT_STREQ(line + 9, seen[i]);

	free(o);
	mem_deref(in);
	mem_deref(r);
}


DP_TEST(token_ip_scopes_and_loopback)
{
	struct dp_redactor *r = mk(key_a, 0);
	char a[64], b[64];
	char *o = redact_s(r, "a 10.1.2.3 b 8.8.8.8 c fd00::1 d fe80::1%eth0"
			   " e 127.0.0.1 f ::1 g 0.0.0.0 h 100.64.0.9"
			   " i 169.254.1.1 j 2001:db8::1\n"
			   "k ::ffff:192.0.2.1 l 192.0.2.1\n");

	DP_ASSERT(strstr(o, "a <ip4priv-"));
	DP_ASSERT(strstr(o, "b <ip4-"));
	DP_ASSERT(strstr(o, "c <ip6ula-"));
	DP_ASSERT(strstr(o, "d <ip6ll-"));
	DP_ASSERT(strstr(o, ">%eth0 e 127.0.0.1 f ::1 g 0.0.0.0 h <ip4cgn-"));
	DP_ASSERT(strstr(o, "i <ip4ll-"));
	DP_ASSERT(strstr(o, "j <ip6-"));
	DP_ASSERT(first_token(strstr(o, "k "), "ip4", a));
	DP_ASSERT(first_token(strstr(o, "l "), "ip4", b));
	DP_ASSERT_STREQ(a, b);

	free(o);
	mem_deref(r);
}


DP_TEST(structure_branch_cookie_methods_reasons_kept)
{
	struct dp_redactor *r = mk(key_a, 0);
	char *o = redact_s(r,
		"SIP/2.0 486 Busy Here\n"
		"Via: SIP/2.0/UDP 192.0.2.4:5060;branch=z9hG4bK776asdhds;rport\n"
		"CSeq: 4711 INVITE\n"
		"User-Agent: Yealink SIP-T46S 66.85.0.5 805ec0a1b2c3\n"
		"Content-Length: 0\n\n"
		"NEWMETHOD sip:x@192.0.2.9 SIP/2.0\n");

	DP_ASSERT(0 == strncmp(o, "SIP/2.0 486 Busy Here\n", 22));
	DP_ASSERT(strstr(o, "\nUser-Agent: Yealink SIP-T46S "));
	DP_ASSERT(strstr(o, " <mac-"));
	DP_ASSERT(!strstr(o, "805ec0"));
	DP_ASSERT(strstr(o, "SIP/2.0/UDP <ip4-"));
	DP_ASSERT(strstr(o, ";branch=z9hG4bK<branch-"));
	DP_ASSERT(!strstr(o, "776asdhds"));
	DP_ASSERT(strstr(o, "\nCSeq: 4711 INVITE\nUser-Agent: "));
	DP_ASSERT(strstr(o, ">\nContent-Length: 0\n\n"));
	DP_ASSERT(strstr(o, "\nNEWMETHOD sip:<user-"));

	free(o);
	mem_deref(r);
}


DP_TEST(secrets_become_secret_not_pseudonyms)
{
	struct dp_redactor *r = mk(key_a, 0);
	const struct dp_redact_stats *st = dp_redactor_stats(r);
	char *o = redact_s(r,
		"<sip:bob:hunter2@example.com>;auth_pass=hunter2\n"
		"Authorization: Basic Ym9iOmh1bnRlcjI=\n"
		"Proxy-Authorization: Digest username=\"bob\", response=\"ab12\"\n"
		"a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:WVNfX19zZW1jdGwgKCkgewkyMjA7fQp9CnVubGVz\n"
		"{\"password\": \"hunter2\", \"api_key\": \"k-1\"}\n"
		"https://bob:hunter2@prov.example.com/x\n");

	DP_ASSERT(!strstr(o, "hunter2"));
	DP_ASSERT(!strstr(o, "Ym9i"));
	DP_ASSERT(!strstr(o, "ab12"));
	DP_ASSERT(!strstr(o, "WVNf"));
	DP_ASSERT(count_of(o, "<secret>") >= 8);
	DP_ASSERT_EQ(st->secrets, count_of(o, "<secret>"));

	free(o);
	mem_deref(r);
}


/* --- identities -------------------------------------------------------------- */

DP_TEST(identities_found_where_no_pattern_is)
{
	struct dp_redactor *r = mk(key_a, 0);
	char *o;

	DP_ASSERT_OK(dp_redactor_identity(r, DP_ID_NAME, "Zebulon Quartermaine"));
	DP_ASSERT_OK(dp_redactor_identity(r, DP_ID_MAC, "00:1A:2B:3C:4D:5E"));
	DP_ASSERT_OK(dp_redactor_identity(r, DP_ID_SECRET, "s3cr3tDev1ce"));
	DP_ASSERT_OK(dp_redactor_identity(r, DP_ID_NUMBER, "4471"));
	DP_ASSERT_OK(dp_redactor_identity(r, DP_ID_HOST, "deskphone-17"));
	DP_ASSERT_OK(dp_redactor_identity(r, DP_ID_HOST, "127.0.0.1"));
	DP_ASSERT_EQ(dp_redactor_identity(r, DP_ID_NUMBER, "12"), EINVAL);
	DP_ASSERT_EQ(dp_redactor_identity(r, DP_ID_MAC, "not-a-mac"), EINVAL);

	o = redact_s(r, "hello zebulon quartermaine, your file is"
		     " cfg001a2b3c4d5e.xml and key xxS3CR3TDEV1CExx; dial 4471"
		     " on deskphone-17 (127.0.0.1) 0015.65aa.bbcc 001A.2B3C.4D5E\n");

	DP_ASSERT(!strcasestr(o, "zebulon"));
	DP_ASSERT(!strcasestr(o, "001a2b3c4d5e"));
	DP_ASSERT(!strcasestr(o, "001A.2B3C.4D5E"));
	DP_ASSERT(!strcasestr(o, "s3cr3tdev1ce"));
	DP_ASSERT(!strstr(o, "4471"));
	DP_ASSERT(!strstr(o, "deskphone-17"));
	DP_ASSERT(strstr(o, "(127.0.0.1)"));
	DP_ASSERT(strstr(o, "cfg<mac-"));
	DP_ASSERT(strstr(o, "xx<secret>xx"));
	free(o);

	/* nor where the SIP rules keep text as it is */
	DP_ASSERT_OK(dp_redactor_identity(r, DP_ID_SECRET, "Hunter2Pass"));
	o = redact_s(r, "INVITE sip:x@example.com SIP/2.0\n"
		     "CSeq: 7 Hunter2Pass\nHunter2Pass: x\n"
		     "Content-Type: application/sdp\nContent-Length: 30\n\n"
		     "v=0\nm=audio 4000 RTP/AVP hunter2pass\n");
	DP_ASSERT(!strcasestr(o, "hunter2pass"));
	DP_ASSERT(strstr(o, "\nCSeq: 7 <secret>\n<secret>: <text-"));
	DP_ASSERT(strstr(o, "m=audio 4000 RTP/AVP <secret>"));
	free(o);

	/* an address or number is never found inside a longer one */
	DP_ASSERT_OK(dp_redactor_identity(r, DP_ID_HOST, "198.51.100.2"));
	DP_ASSERT_OK(dp_redactor_identity(r, DP_ID_NUMBER, "+27 21 555 0142"));
	o = redact_s(r, "a 198.51.100.2 b x198.51.100.2y c 198.51.100.25"
		     " d 7198.51.100.2 e 198.51.100.2.4 f 272155501429 g"
		     " tel27215550142end\n");
	DP_ASSERT(strstr(o, "a <ip4-"));
	DP_ASSERT(strstr(o, "b x<ip4-"));
	DP_ASSERT(strstr(o, "c <ip4-"));       /* the pattern, not the seed */
	DP_ASSERT(!strstr(o, "c <ip4-") || !strstr(o, ">5 d"));
	DP_ASSERT(strstr(o, " g tel<num-"));
	DP_ASSERT(!strstr(o, "5550142"));
	DP_ASSERT(!strstr(o, ">9 g"));
	free(o);

	/* nor in a time stamp in front of a line, whose fraction of a
	 * second may be any run of digits (found by fuzz_redact) */
	o = redact_s(r, "08:11:25.27215550142 x\n"
		     "2026-11-30T08:11:25.123Z 198.51.100.2\n");
	DP_ASSERT(!strstr(o, "5550142"));
	DP_ASSERT(strstr(o, "08:11:25.<num-"));
	DP_ASSERT(strstr(o, "\n2026-11-30T08:11:25.123Z <ip4-"));
	free(o);
	mem_deref(r);
}


/* --- limits -------------------------------------------------------------------- */

DP_TEST(overlong_line_never_passes_through)
{
	struct dp_redactor *r = mk(key_a, 256);
	struct mbuf *in = mbuf_alloc(8192);
	char *o;

	DP_ASSERT_OK(mbuf_printf(in, "first 192.0.2.1\n"));
	for (int i = 0; i < 100; i++)
		DP_ASSERT_OK(mbuf_printf(in, "pw=hunter2 sip:bob@x.com "));
	DP_ASSERT_OK(mbuf_printf(in, "\nafter 192.0.2.2\n"));
	for (int i = 0; i < 30; i++)
		DP_ASSERT_OK(mbuf_printf(in, "tail hunter2 %d ", i));

	/* whole, and a byte at a time: the same */
	o = redact(r, (const char *)in->buf, in->end, 1);
	DP_ASSERT(!strstr(o, "hunter2"));
	DP_ASSERT(!strstr(o, "bob"));
	DP_ASSERT(strstr(o, "first <ip4-"));
	DP_ASSERT(strstr(o, "\n[redacted: a line of 2500 bytes, longer than"
			 " the 256-byte limit]\nafter <ip4-"));
	DP_ASSERT(strstr(o, "\n[redacted: a line of"));
	DP_ASSERT_EQ(dp_redactor_stats(r)->long_lines, 2);
	free(o);

	o = redact(r, (const char *)in->buf, in->end, 0);
	DP_ASSERT(!strstr(o, "hunter2"));
	DP_ASSERT_EQ(count_of(o, "[redacted: a line of"), 2);
	free(o);

	DP_ASSERT_EQ(dp_redactor_alloc(&r, NULL, 0, 100), EINVAL);
	mem_deref(in);
	mem_deref(r);
}


DP_TEST(overlong_body_line_keeps_the_message_state)
{
	struct dp_redactor *r = mk(key_a, 256);
	struct mbuf *in = mbuf_alloc(8192);
	char *o;

	DP_ASSERT_OK(mbuf_printf(in, "MESSAGE sip:a@192.0.2.1 SIP/2.0\n"
				 "Content-Type: text/plain\n"
				 "Content-Length: 602\n\n"));
	for (int i = 0; i < 60; i++)
		DP_ASSERT_OK(mbuf_printf(in, "secret%04d", i));
	DP_ASSERT_OK(mbuf_printf(in, "\nSIP/2.0 200 OK\nCall-ID: xyz@h\n"));

	o = redact(r, (const char *)in->buf, in->end, 3);
	DP_ASSERT(!strstr(o, "secret0"));
	DP_ASSERT(strstr(o, "\nSIP/2.0 200 OK\nCall-ID: <callid-"));

	free(o);
	mem_deref(in);
	mem_deref(r);
}


DP_TEST(unknown_bodies_and_headers_go_whole)
{
	struct dp_redactor *r = mk(key_a, 0);
	char *o = redact_s(r,
		"MESSAGE sip:a@192.0.2.1 SIP/2.0\n"
		"X-Whatever: room 7, the blue door\n"
		"Subject: lunch with Mpho\n"
		"Content-Type: application/vnd.acme+json\n"
		"Content-Length: 40\n\n"
		"{\"note\": \"meet at the blue door\"}\n");

	DP_ASSERT(!strstr(o, "blue door"));
	DP_ASSERT(!strstr(o, "Mpho"));
	DP_ASSERT(strstr(o, "\nX-Whatever: <text-"));
	DP_ASSERT(strstr(o, "\nSubject: <text-"));

	free(o);
	mem_deref(r);
}


/* --- robustness ---------------------------------------------------------------- */

DP_TEST(garbage_and_mutated_traces_are_handled)
{
	static const char specials[] = "<>\";:@[]\\\r\n\t ,=?&%#/'{}.+-";
	static char names[64][64];
	struct dp_redactor *r = mk(key_b, 512);
	struct sipgen g;
	size_t n = corpus_names(names, 64);
	char dir[1024];
	uint8_t *junk = malloc(200000);

	sipgen_init(&g, 4242);
	for (size_t i = 0; i < 200000; i++)
		junk[i] = (uint8_t)sipgen_rand(&g);
	free(redact(r, (const char *)junk, 200000, 1 + sipgen_rand(&g) % 5000));
	free(junk);

	snprintf(dir, sizeof(dir), "%s/redact", dptest_datadir());
	for (size_t f = 0; f < n; f++) {
		static const char *const exts[] = { ".sip", ".log", ".txt" };
		char path[1200], *data = NULL, *out;
		size_t len = 0;

		for (size_t e = 0; !data && e < 3; e++) {
			int w = snprintf(path, sizeof(path), "%s/%s%s", dir,
					 names[f], exts[e]);

			DP_ASSERT(w > 0 && (size_t)w < sizeof(path));
			data = read_file(path, &len);
		}
		DP_ASSERT(data != NULL && len > 0);

		for (int round = 0; round < 20; round++) {
			char *m = malloc(len + 64);
			size_t ml = len;

			memcpy(m, data, len);
			for (int k = 0; k < 40; k++) {
				size_t at = sipgen_rand(&g) % ml;
				char c = specials[sipgen_rand(&g) %
						  (sizeof(specials) - 1)];

				if (k % 3 == 0 && ml < len + 60) {
					memmove(m + at + 1, m + at, ml - at);
					ml++;
				}
				m[at] = c;
			}
			out = redact(r, m, ml, 1 + sipgen_rand(&g) % 700);
			DP_ASSERT(strlen(out) > 0);
			free(out);
			free(m);
		}
		free(data);
	}

	DP_ASSERT(dp_redactor_stats(r)->lines > 1000);
	mem_deref(r);
}


/* --- phone numbers beside other digits, and written with Unicode ---------- */

/* The token the redactor gives a number, as a C string in buf. */
static const char *num_token(struct dp_redactor *r, const char *num,
			     char *buf, size_t size)
{
	DP_ASSERT_OK(dp_redact_token(r, DP_ID_NUMBER, num, buf, size));
	return buf;
}


DP_TEST(phone_beside_other_digits_backs_off_to_the_number)
{
	struct dp_redactor *r = mk(key_a, 0);
	char a[40], b[40], want[160];
	char *o;

	/* each example of the finding: the number is replaced, whatever
	 * stands beside it keeps its own rule */
	o = redact_s(r, "call from +27215550199 10.1.2.3\n");
	snprintf(want, sizeof(want), "call from %s <ip4priv-",
		 num_token(r, "+27215550199", a, sizeof(a)));
	DP_ASSERT_MSG(0 == strncmp(o, want, strlen(want)), "%s", o);
	DP_ASSERT(!strstr(o, "5550199") && !strstr(o, "10.1.2.3"));
	free(o);

	o = redact_s(r, "0215550199 0215550188\n");
	snprintf(want, sizeof(want), "%s %s\n",
		 num_token(r, "0215550199", a, sizeof(a)),
		 num_token(r, "0215550188", b, sizeof(b)));
	DP_ASSERT_STREQ(o, want);
	free(o);

	o = redact_s(r, "0821234567 1700000000\n");
	DP_ASSERT(!strstr(o, "0821234567") && !strstr(o, "1700000000"));
	snprintf(want, sizeof(want), "%s <num-",
		 num_token(r, "0821234567", a, sizeof(a)));
	DP_ASSERT(0 == strncmp(o, want, strlen(want)));
	free(o);

	/* more: three side by side, beside a port, a date, a slash */
	o = redact_s(r, "0215550199 0215550188 0215550177 x\n"
		     "to +27215550199 10.1.2.3:5060 at 2026-12-07 09:15:02\n"
		     "pair 0215550199/0215550188 done\n"
		     "021 555 0199 10.1.2.3\n");
	DP_ASSERT_MSG(!strstr(o, "555"), "%s", o);
	DP_ASSERT(strstr(o, ">:5060 at 2026-12-07 09:15:02\n"));
	DP_ASSERT_EQ(count_of(o, "<num-"), 7);
	DP_ASSERT_EQ(count_of(o, "<ip4priv-"), 2);
	free(o);

	/* what stays readable stays */
	o = redact_s(r,
		"SIP/2.0 200 OK\n"
		"CSeq: 102 REGISTER\n"
		"Content-Length: 0\n\n"
		"got 200 OK from 192.168.1.20:5060 at 12:34:56.789 port 5060\n"
		"rtp_ports 10000-20000 expires 3600 cseq 1234567\n"
		"baresip 1.0.0 v3.14159265 on 2026-12-07 and 07.12.2026\n");
	DP_ASSERT(strstr(o, "SIP/2.0 200 OK\nCSeq: 102 REGISTER\n"));
	DP_ASSERT(strstr(o, "got 200 OK from <ip4priv-"));
	DP_ASSERT(strstr(o, ">:5060 at 12:34:56.789 port 5060\n"));
	DP_ASSERT(strstr(o, "rtp_ports 10000-20000 expires 3600 cseq 1234567\n"));
	DP_ASSERT(strstr(o, "baresip 1.0.0 v3.14159265 on 2026-12-07 and "
			 "07.12.2026\n"));
	DP_ASSERT(!strstr(o, "<num-"));
	free(o);

	mem_deref(r);
}


DP_TEST(phone_written_with_unicode_is_folded_and_replaced_whole)
{
	static const struct {
		const char *in;      /* the number, written oddly */
		const char *ascii;   /* the same number */
	} cases[] = {
		{ "+27\u00a021\u00a0555\u00a00199", "+27215550199" },
		{ "+27\u202f21\u202f555\u202f0199", "+27215550199" },
		{ "+27\u200921\u2009555\u20090199", "+27215550199" },
		{ "+27\u200721\u2007555\u20070199", "+27215550199" },
		{ "082\u200b123\u200c4567", "0821234567" },
		{ "082\u200d123\u20604567\ufeff", "0821234567" },
		{ "021\u2010555\u20110199", "021-555-0199" },
		{ "021\u2012555\u20130199", "021-555-0199" },
		{ "021\u2014555\u20150199", "021-555-0199" },
		{ "021\u2212555\u22120199", "021-555-0199" },
		{ "\uff0b\uff14\uff14\u3000\uff12\uff10\uff17\uff19\uff14"
		  "\uff16\uff10\uff10\uff11\uff18", "+44 2079460018" },
		{ "\uff08\uff10\uff12\uff11\uff09\uff15\uff15\uff15\uff10"
		  "\uff11\uff19\uff19", "(021)5550199" },
	};
	struct dp_redactor *r = mk(key_a, 0);

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char in[200], want[200], tok[40];
		char *o;

		/* text around it, with Unicode of its own, stays byte for
		 * byte: the no-break space before and after, the accents */
		snprintf(in, sizeof(in), "appel\u00a0de %s\u00a0\u00e9t\u00e9 "
			 "\u2014 fin\n", cases[i].in);
		snprintf(want, sizeof(want), "appel\u00a0de %s\u00a0\u00e9t"
			 "\u00e9 \u2014 fin\n",
			 num_token(r, cases[i].ascii, tok, sizeof(tok)));
		o = redact_s(r, in);
		DP_ASSERT_MSG(0 == strcmp(o, want), "case %zu: %s", i, o);
		free(o);
	}

	/* a line of nothing but zero-width characters stays as it is */
	{
		char *o = redact_s(r, "\u200b\u200b\ufeff\n");

		DP_ASSERT_STREQ(o, "\u200b\u200b\ufeff\n");
		free(o);
	}

	/* in a SIP trace's free text and a reason phrase too */
	{
		char *o = redact_s(r, "SIP/2.0 480 Call\u00a0+27\u00a021"
				   "\u00a0555\u00a00199 away\n\n"
				   "dial \uff10\uff18\uff12\uff11\uff12\uff13"
				   "\uff14\uff15\uff16\uff17 now\n");

		DP_ASSERT(0 == strncmp(o, "SIP/2.0 480 Call\u00a0<num-", 22));
		DP_ASSERT(strstr(o, "\ndial <num-"));
		DP_ASSERT(!strstr(o, "\uff10") && !strstr(o, "555"));
		free(o);
	}

	mem_deref(r);
}


/* --- the redactor learns -------------------------------------------------- */

static const char *const digest_trace =
	"auth: check_response(): our result = '7c2a8f1e3b4d5a6978695a4b3c2d1e0f'\n"
	"auth: HA1 string calculated: 5ebe2294ecd0e0f08eab7690d2a6ee69\n"
	"script: password \"tr0ub4dor&3\" for 100, nonce=Ym9ndXNub25jZTEyMzQ1\n"
	"rtp: ice-pwd asd88fgpdd777uzjYhagZg crypto WVNfX19zZW1jdGwgKCkgewkyMjA7fQp9CnVubGVz\n"
	"REGISTER sip:127.0.0.1 SIP/2.0\n"
	"From: <sip:100@127.0.0.1>;tag=abc123\n"
	"Call-ID: 0f1e2d3c4b5a69788796a5b4c3d2e1f0\n"
	"CSeq: 2 REGISTER\n"
	"Authorization: Digest username=\"100\", realm=\"127.0.0.1\", "
	"nonce=\"Ym9ndXNub25jZTEyMzQ1\", uri=\"sip:127.0.0.1\", "
	"response=\"7c2a8f1e3b4d5a6978695a4b3c2d1e0f\", "
	"cnonce=\"c0ffee15c0ffee15\", opaque=\"0paque0paque\", qop=auth, "
	"nc=00000001\n"
	"Content-Length: 0\n"
	"\n"
	"INVITE sip:101@127.0.0.1 SIP/2.0\n"
	"Call-ID: x1@h\n"
	"Content-Type: application/sdp\n"
	"Content-Length: 150\n"
	"\n"
	"v=0\n"
	"a=ice-pwd:asd88fgpdd777uzjYhagZg\n"
	"a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:WVNfX19zZW1jdGwgKCkgewkyMjA7fQp9CnVubGVz|2^20|1:32\n"
	"k=clear:s3cr3tm3d1ak3y\n"
	"\n"
	"config: sip:100:tr0ub4dor&3@127.0.0.1 ha1=5ebe2294ecd0e0f08eab7690d2a6ee69\n"
	"later: 7c2a8f1e3b4d5a6978695a4b3c2d1e0f c0ffee15c0ffee15 0paque0paque "
	"s3cr3tm3d1ak3y and again tr0ub4dor&3 and Ym9ndXNub25jZTEyMzQ1\n";

static const char *const digest_secrets[] = {
	"7c2a8f1e3b4d5a6978695a4b3c2d1e0f", "5ebe2294ecd0e0f08eab7690d2a6ee69",
	"tr0ub4dor&3", "Ym9ndXNub25jZTEyMzQ1", "c0ffee15c0ffee15",
	"0paque0paque", "asd88fgpdd777uzjYhagZg",
	"WVNfX19zZW1jdGwgKCkgewkyMjA7fQp9CnVubGVz", "s3cr3tm3d1ak3y",
};


/* The first token of `type` after `marker` in s, into buf. */
static bool token_after(const char *s, const char *marker, const char *type,
			char *buf, size_t size)
{
	const char *m = strstr(s, marker), *t, *e;

	if (!m || !(t = strstr(m, type)) || !(e = strchr(t, '>')) ||
	    (size_t)(e - t) + 2 > size)
		return false;
	memcpy(buf, t, (size_t)(e - t) + 1);
	buf[e - t + 1] = '\0';

	return true;
}


DP_TEST(learned_values_removed_before_and_after_their_place)
{
	struct dp_redactor *r = mk(key_a, 0);
	struct mbuf *mb = mbuf_alloc(4096);
	char n1[64], n2[64], n3[64];
	char *o;

	/* whole input at hand (dp_redact_buf: the bundle's members) */
	DP_ASSERT_OK(dp_redact_buf(r, digest_trace, strlen(digest_trace), mb));
	o = malloc(mb->end + 1);
	memcpy(o, mb->buf, mb->end);
	o[mb->end] = '\0';
	for (size_t i = 0; i < sizeof(digest_secrets) /
		     sizeof(digest_secrets[0]); i++)
		DP_ASSERT_MSG(!strcasestr(o, digest_secrets[i]), "%s left in\n%s",
			      digest_secrets[i], o);

	/* the nonce has one pseudonym wherever it is */
	DP_ASSERT(token_after(o, "script:", "<nonce-", n1, sizeof(n1)));
	DP_ASSERT(token_after(o, "Authorization:", "<nonce-", n2, sizeof(n2)));
	DP_ASSERT(token_after(o, "and again", "<nonce-", n3, sizeof(n3)));
	DP_ASSERT_STREQ(n1, n2);
	DP_ASSERT_STREQ(n1, n3);
	/* the SIP structure is all there */
	DP_ASSERT(strstr(o, "\nREGISTER sip:127.0.0.1 SIP/2.0\n"));
	DP_ASSERT(strstr(o, "\nCSeq: 2 REGISTER\n"));
	DP_ASSERT(strstr(o, "response=\"<secret>\""));
	DP_ASSERT(strstr(o, "our result = '<secret>'"));
	DP_ASSERT(strstr(o, "Call-ID: <callid-"));
	DP_ASSERT(!strstr(o, "0f1e2d3c4b5a69788796a5b4c3d2e1f0"));
	free(o);
	mem_deref(mb);
	mem_deref(r);
}


static char *redact_fd_file(struct dp_redactor *r, const char *in,
			    bool as_pipe)
{
	char ipath[512], opath[512];
	FILE *f;
	int ifd, ofd, pfd[2];
	char *o;
	size_t len;

	snprintf(ipath, sizeof(ipath), "%s/in.log", dptest_tmpdir());
	snprintf(opath, sizeof(opath), "%s/out.log", dptest_tmpdir());
	f = fopen(ipath, "w");
	DP_ASSERT(f != NULL);
	fputs(in, f);
	fclose(f);

	ofd = open(opath, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	DP_ASSERT(ofd >= 0);
	if (as_pipe) {
		/* small enough for the pipe's buffer */
		DP_ASSERT(0 == pipe(pfd));
		DP_ASSERT((ssize_t)strlen(in) == write(pfd[1], in, strlen(in)));
		close(pfd[1]);
		ifd = pfd[0];
	}
	else {
		ifd = open(ipath, O_RDONLY);
		DP_ASSERT(ifd >= 0);
	}
	DP_ASSERT_OK(dp_redact_fd(r, ifd, ofd));
	close(ifd);
	close(ofd);

	o = read_file(opath, &len);
	DP_ASSERT(o != NULL);

	return o;
}


DP_TEST(learned_values_a_file_twice_a_pipe_once)
{
	struct dp_redactor *r = mk(key_a, 0);
	const struct dp_redact_stats *st = dp_redactor_stats(r);
	char *o;

	/* a file (deskphone redact < file, the bundle): read twice, nothing
	 * survives, and only the real pass is counted */
	o = redact_fd_file(r, digest_trace, false);
	for (size_t i = 0; i < sizeof(digest_secrets) /
		     sizeof(digest_secrets[0]); i++)
		DP_ASSERT_MSG(!strcasestr(o, digest_secrets[i]), "%s left in",
			      digest_secrets[i]);
	DP_ASSERT_EQ(st->bytes_in, strlen(digest_trace));
	DP_ASSERT_EQ(st->bytes_out, strlen(o));
	DP_ASSERT_EQ(st->secrets, count_of(o, "<secret>"));
	free(o);
	mem_deref(r);

	/* a pipe: read once, so a value is removed where it comes after
	 * the place it was learned from, not before */
	r = mk(key_a, 0);
	o = redact_fd_file(r, digest_trace, true);
	DP_ASSERT(strstr(o, "our result = '7c2a8f1e3b4d5a6978695a4b3c2d1e0f'")
		  == NULL);    /* the keyword rule needs no learning */
	DP_ASSERT(strstr(o, "crypto WVNfX19z"));
	DP_ASSERT(strstr(o, "later: <secret> <nonce-"));
	DP_ASSERT(!strstr(o, "and again tr0ub4dor&3"));
	free(o);
	mem_deref(r);
}


DP_TEST(learned_given_identities_removed_before_and_after)
{
	struct dp_redactor *r = mk(key_a, 0);
	struct mbuf *mb = mbuf_alloc(1024);
	const char *in = "boot: pw is Corr3ct-Horse\n"
		"REGISTER sip:x SIP/2.0\n\n"
		"trace: \"Corr3ct-Horse\" sent\n";

	DP_ASSERT_OK(dp_redactor_identity(r, DP_ID_SECRET, "Corr3ct-Horse"));
	DP_ASSERT_OK(dp_redact_buf(r, in, strlen(in), mb));
	DP_ASSERT(!memmem(mb->buf, mb->end, "Corr3ct", 7));
	DP_ASSERT(memmem(mb->buf, mb->end, "boot: pw is <secret>\n", 21));
	DP_ASSERT(memmem(mb->buf, mb->end, "trace: \"<secret>\" sent", 22));
	mem_deref(mb);
	mem_deref(r);

	/* a key's file path is no secret elsewhere, nor a mask */
	r = mk(key_a, 0);
	{
		char *o = redact_s(r, "support_public_key /etc/dp/support.pem\n"
				   "auth_pass ********\n"
				   "loaded /etc/dp/support.pem, ******** kept\n");

		DP_ASSERT_STREQ(o, "support_public_key <secret>\n"
				"auth_pass <secret>\n"
				"loaded /etc/dp/support.pem, ******** kept\n");
		free(o);
	}
	mem_deref(r);
}


DP_TEST(learned_digest_hex_only_beside_a_word_that_says_so)
{
	struct dp_redactor *r = mk(key_a, 0);
	char *o = redact_s(r,
		"auth: our result = '5f4dcc3b5aa765d61d8327deb882cf99'\n"
		"HA1: 5F4DCC3B5AA765D61D8327DEB882CF98\n"
		"expected 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08 got x\n"
		"sha256 digest of a: 2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824\n"
		"5f4dcc3b5aa765d61d8327deb882cf97 was the hash\n"
		"dialog 0123456789abcdef0123456789abcdef ended\n"
		"len 33 0123456789abcdef0123456789abcdef0 result\n"
		"then 5f4dcc3b5aa765d61d8327deb882cf99 again\n");

	DP_ASSERT_MSG(strstr(o, "our result = '<secret>'\n"), "%s", o);
	DP_ASSERT(strstr(o, "HA1: <secret>\n"));
	DP_ASSERT(strstr(o, "expected <secret> got x\n"));
	DP_ASSERT(strstr(o, "digest of a: <secret>\n"));
	DP_ASSERT(strstr(o, "<secret> was the hash\n"));
	/* an ordinary 32-hex value (a Call-ID, a dialog id) with no such
	 * word near: as before, and no other length is taken for one */
	DP_ASSERT(strstr(o, "dialog 0123456789abcdef0123456789abcdef ended\n"));
	DP_ASSERT(strstr(o, "0123456789abcdef0123456789abcdef0 result\n"));
	/* learned: found later without a word beside it */
	DP_ASSERT(strstr(o, "then <secret> again\n"));
	free(o);

	/* a Call-ID stays a Call-ID token, beside such a word or not */
	o = redact_s(r, "Call-ID: 00112233445566778899aabbccddeeff\n\n"
		     "hash of 00112233445566778899aabbccddeeff\n");
	DP_ASSERT(count_of(o, "<callid-") == 2);
	DP_ASSERT(!strstr(o, "<secret>"));
	free(o);
	mem_deref(r);
}


DP_TEST(learned_values_bounded_oldest_dropped)
{
	struct dp_redactor *r = mk(key_a, 0);
	struct mbuf *in = mbuf_alloc(200000);
	char first[40], last[40], big[300];
	char *o;

	/* 1100 digest responses: more than the 1024 kept */
	for (int i = 0; i < 1100; i++)
		DP_ASSERT_OK(mbuf_printf(in, "Authorization: Digest "
					 "response=\"%032x\"\n", 0x5eed0000 + i));
	snprintf(first, sizeof(first), "%032x", 0x5eed0000);
	snprintf(last, sizeof(last), "%032x", 0x5eed0000 + 1099);
	/* and one value longer than the 256 bytes a learned value may have */
	memset(big, 'q', sizeof(big) - 1);
	big[0] = 'Q';
	big[sizeof(big) - 1] = '\0';
	DP_ASSERT_OK(mbuf_printf(in, "password=%s\n", big));
	DP_ASSERT_OK(mbuf_printf(in, "\nnow: %s %s %s\n", first, last, big));

	o = redact(r, (const char *)in->buf, in->end, 0);
	DP_ASSERT_EQ(count_of(o, first), 1);     /* dropped: the oldest */
	DP_ASSERT(!strstr(o, last));              /* kept: the newest */
	DP_ASSERT(strstr(o, big));                /* too long to learn */
	DP_ASSERT(strstr(o, "password=<secret>\n"));
	free(o);
	mem_deref(in);
	mem_deref(r);
}


/* --- our own tokens: redacting twice changes nothing ---------------------- */

/* x redacted as a file is (a learning pass, then the real one) by a
 * fresh redactor with key_a: what `deskphone redact < file` does */
static char *redact_file_like(const char *in, size_t n)
{
	struct dp_redactor *r = mk(key_a, 0);
	struct mbuf *mb = mbuf_alloc(n * 2 + 64);
	char *s;

	DP_ASSERT(mb != NULL);
	DP_ASSERT_OK(dp_redact_buf(r, in, n, mb));
	s = malloc(mb->end + 1);
	DP_ASSERT(s != NULL);
	memcpy(s, mb->buf, mb->end);
	s[mb->end] = '\0';
	mem_deref(mb);
	mem_deref(r);

	return s;
}


/* once == twice, or where they first differ */
static void assert_same(const char *what, const char *how, char *once,
			char *twice)
{
	size_t i = 0;

	while (once[i] && once[i] == twice[i])
		i++;
	DP_ASSERT_MSG(0 == strcmp(once, twice), "%s: %s: differs at byte"
		      " %zu:\n once: %.160s\ntwice: %.160s", what, how, i,
		      once + i, twice + i);
	free(once);
	free(twice);
}


/* redact(redact(x)) == redact(x), byte for byte, as a file and as a
 * pipe (7-byte pieces, no learning pass) */
static void check_idempotent(const char *what, const char *in, size_t n)
{
	struct dp_redactor *r1 = mk(key_a, 0), *r2 = mk(key_a, 0);
	char *once = redact_file_like(in, n);

	assert_same(what, "file", once, redact_file_like(once, strlen(once)));
	once = redact(r1, in, n, 7);
	assert_same(what, "pipe", once, redact(r2, once, strlen(once), 7));
	mem_deref(r1);
	mem_deref(r2);
}


static void idempotent_dir(const char *dir, bool planted_too)
{
	struct dirent *de;
	DIR *d = opendir(dir);
	int files = 0;

	DP_ASSERT_MSG(d != NULL, "%s", dir);
	while ((de = readdir(d))) {
		char path[1200], *data, *crlf, what[1300];
		size_t len = 0, k = 0;

		if (de->d_name[0] == '.' || (!planted_too &&
					     strstr(de->d_name, ".planted")))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		data = read_file(path, &len);
		DP_ASSERT(data != NULL);
		snprintf(what, sizeof(what), "%s (LF)", path);
		check_idempotent(what, data, len);

		crlf = malloc(len * 2 + 1);
		DP_ASSERT(crlf != NULL);
		for (size_t i = 0; i < len; i++) {
			if (data[i] == '\n' && (i == 0 || data[i - 1] != '\r'))
				crlf[k++] = '\r';
			crlf[k++] = data[i];
		}
		snprintf(what, sizeof(what), "%s (CRLF)", path);
		check_idempotent(what, crlf, k);
		free(crlf);
		free(data);
		files++;
	}
	closedir(d);
	DP_ASSERT(files > 0);
}


DP_TEST(redacting_twice_changes_nothing)
{
	char dir[1024];
	struct mbuf *mb = mbuf_alloc(65536);
	struct sipgen g;
	char *in;

	/* the corpus (with the lists of planted values: names, numbers,
	 * passwords one a line) and the fuzz corpus */
	snprintf(dir, sizeof(dir), "%s/redact", dptest_datadir());
	idempotent_dir(dir, true);
	snprintf(dir, sizeof(dir), "%s/../fuzz/corpus/redact",
		 dptest_datadir());
	idempotent_dir(dir, false);

	/* generated call flows, fresh parties in each */
	sipgen_init(&g, 20261207);
	for (int flow = 0; flow < 40; flow++)
		DP_ASSERT_OK(sipgen_flow(&g, mb));
	check_idempotent("generated flows", (const char *)mb->buf, mb->end);
	mem_deref(mb);

	/* numbers, names and lines of every kind, and a line over the
	 * limit (its marker says how long it was) */
	in = "call from +27215550199 10.1.2.3 to 0215550188\n"
		"display_name Alice Jones\nphone_number 0821234567\n"
		"sip_password hunter2hunter2\n"
		"\"Bob Smith\" <sip:bob@example.com>;tag=abc123\n"
		"mac 00:15:65:aa:bb:cc host pbx.example.com fe80::1:2\n"
		"Our result = '5f4dcc3b5aa765d61d8327deb882cf99'\n"
		"DTMF: '5' sent\n"
		"REGISTER sip:example.com SIP/2.0\n"
		"Authorization: Digest username=\"alice\", realm=\"ex.com\","
		" nonce=\"4a2b1c\", uri=\"sip:ex.com\","
		" response=\"5f4dcc3b5aa765d61d8327deb882cf99\"\n\n";
	check_idempotent("lines", in, strlen(in));
	{
		struct dp_redactor *r = mk(key_a, 256);
		char line[600], *once, *twice;

		memset(line, 'x', sizeof(line) - 2);
		line[sizeof(line) - 2] = '\n';
		line[sizeof(line) - 1] = '\0';
		once = redact_s(r, line);
		mem_deref(r);
		r = mk(key_a, 256);
		twice = redact_s(r, once);
		DP_ASSERT(strstr(once, "[redacted: a line of"));
		DP_ASSERT_MSG(0 == strcmp(once, twice), "%s\n%s", once, twice);
		free(once);
		free(twice);
		mem_deref(r);
	}
}


/* A token whose hex is all digits looks like a phone number, and the
 * angle brackets of tokens inside a URI like the URI's own: each form the
 * redactor writes stays as it is wherever it stands. */
DP_TEST(own_tokens_left_as_they_are)
{
	static const char *const lines[] = {
		/* free text */
		"call <num-12345678> from <name-87654321> user <user-01234567>\n",
		"seen <ip4priv-20261207> <ip4-11112222> <ip6ula-99990000> "
		"<mac-12121212> <host-00000001> <ip4cgn-1234abcd> "
		"<ip4ll-00000000> <ip6-12345678> <ip6ll-87878787>\n",
		"call: terminate call '<callid-123456789012>' "
		"<tag-000000000001> <branch-987654321098> <text-31415926>\n",
		"note: <secret> <nonce-202612071840> <dtmf> <removed>\n",
		"ci=<callid-111111111111> user=<user-22222222> "
		"number=<num-33333333> password=<secret>\n",
		/* a SIP message */
		"INVITE sip:<num-12345678>@<host-23456789> SIP/2.0\n",
		"Via: SIP/2.0/UDP <ip4priv-12345678>:5060;"
		"branch=z9hG4bK<branch-123456789012>;rport\n",
		"From: \"<name-12345678>\" <sip:<num-87654321>@<host-11223344>>;"
		"tag=<tag-123456789012>\n",
		"To: <name-55555555> <sip:<user-66666666>@<ip4-77777777>:5060>\n",
		"Call-ID: <callid-123456789012>\n",
		"CSeq: 1 INVITE\n",
		"Authorization: Digest username=\"<num-12345678>\", "
		"realm=\"<host-12345678>\", nonce=\"<nonce-123456789012>\", "
		"uri=\"sip:<host-12345678>\", response=\"<secret>\"\n",
		"X-Unknown: <text-12345678>\n",
		"Content-Type: application/sdp\n",
		"Content-Length: 120\n",
		"\n",
		"v=0\n",
		"o=<user-12345678> 1 2 IN IP4 <ip4priv-12345678>\n",
		"s=<text-12345678>\n",
		"c=IN IP4 <ip4-12345678>\n",
		"m=audio 4000 RTP/SAVP 0\n",
		"a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:<secret>\n",
		"a=ice-ufrag:<text-12345678>\n",
		"\n",
		/* settings */
		"display_name        <name-12345678>\n",
		"phone_number        <num-12345678>\n",
		"sip_registrar       <host-12345678>\n",
		"sip_password        <secret>\n",
		"line_key_2 blf <num-10101010> <name-20202020>\n",
		"auth_token          <removed>\n",
		/* an accounts line as the bundle's sanitiser leaves it */
		"\"<name-12345678>\" <sip:<user-12345678>:<removed>@"
		"<host-12345678>>;auth_pass=<removed>;regint=60\n",
		NULL
	};
	struct mbuf *mb = mbuf_alloc(4096);
	struct dp_redactor *r = mk(key_b, 0);
	char *o;

	for (size_t i = 0; lines[i]; i++)
		DP_ASSERT_OK(mbuf_write_str(mb, lines[i]));
	DP_ASSERT_OK(mbuf_write_u8(mb, 0));

	o = redact_s(r, (const char *)mb->buf);
	DP_ASSERT_MSG(0 == strcmp(o, (const char *)mb->buf), "%s", o);
	free(o);
	mem_deref(r);

	/* a token of another length or label is not ours: redacted */
	r = mk(key_b, 0);
	o = redact_s(r, "call <num-123456789> and <foo-12345678>\n");
	DP_ASSERT(!strstr(o, "<num-123456789>"));
	DP_ASSERT(!strstr(o, "<foo-12345678>"));
	free(o);

	/* the placeholders' marker in the input forges nothing */
	o = redact_s(r, "QjXzVBgggggggg 0215550199 <num-12345678>\n");
	DP_ASSERT(!strstr(o, "0215550199"));
	DP_ASSERT(!strstr(o, "<num-00000000>"));
	free(o);
	mem_deref(r);
	mem_deref(mb);
}


/* A quoted display name in free text whose first word was learned from a
 * SIP header: the rest of the name goes too (it used to stay, after the
 * learned word's token). */
DP_TEST(quoted_name_after_learned_word)
{
	struct dp_redactor *r = mk(key_a, 0);
	char *o = redact_s(r, "From: \"Lwazi Dlamini\" <sip:lwazi@example.com>"
			   ";tag=1\n\n"
			   "account: \"Lwazi Miphawe\" <sip:x@example.com>\n");

	DP_ASSERT_MSG(!strstr(o, "Miphawe"), "%s", o);
	DP_ASSERT_MSG(strstr(o, "account: \"<name-"), "%s", o);
	free(o);
	mem_deref(r);
}
