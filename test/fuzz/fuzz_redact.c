/**
 * @file fuzz_redact.c  The redactor (privacy/redact/) on arbitrary text
 *
 * The input is redacted twice with the same fixed key and the same
 * identities of "the phone": once fed in pieces of varying size
 * (dp_redact_feed, then dp_redact_finish), once whole (dp_redact_buf).
 * The line limit is the smallest allowed (256) for one input in three,
 * so long lines are met often.  The pieces' sizes come from the input's
 * length, so real traces serve as seeds as they are.
 *
 * Checks:
 * - the output does not depend on how the input was cut;
 * - redacting the output once more rewrites none of its tokens;
 * - one line out for every line in, and the counts in the stats;
 * - no planted identity is left in the output, as redact.h words the
 *   rule: long ones nowhere; short ones (3 to 5 characters) not as a
 *   whole word; numbers and addresses not except inside a longer run of
 *   digits (hex digits for a MAC), which they are never matched in.
 */
#include <stdlib.h>
#include <string.h>
#include <re.h>
#include "privacy/redact/redact.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(c) do { if (!(c)) __builtin_trap(); } while (0)

enum rule { ANYWHERE, WORD, DIGITS, HEXDIGITS };

struct plant {
	enum dp_identity kind;
	const char *given;         /* what dp_redactor_identity() gets */
	const char *forms[4];      /* what must not be left, lower case */
	enum rule rule;
};

static const struct plant plants[] = {
	{ DP_ID_NAME,   "Thandiwe Mokoena", { "thandiwe mokoena" }, ANYWHERE },
	{ DP_ID_USER,   "thandiwe.mokoena", { "thandiwe.mokoena" }, ANYWHERE },
	{ DP_ID_HOST,   "capetown-pbx.example.net",
	  { "capetown-pbx.example.net" }, ANYWHERE },
	{ DP_ID_SECRET, "1j9FpLxk3uxtm8tn", { "1j9fplxk3uxtm8tn" }, ANYWHERE },
	{ DP_ID_NUMBER, "+27 21 555 0142",
	  { "+27 21 555 0142", "+27215550142", "27215550142" }, DIGITS },
	{ DP_ID_HOST,   "192.168.17.203", { "192.168.17.203" }, DIGITS },
	{ DP_ID_MAC,    "00:1A:2B:3C:4D:5E",
	  { "00:1a:2b:3c:4d:5e", "00-1a-2b-3c-4d-5e", "001a2b3c4d5e",
	    "001a.2b3c.4d5e" }, HEXDIGITS },
	{ DP_ID_NUMBER, "4711", { "4711" }, WORD },
	{ DP_ID_USER,   "zsofi", { "zsofi" }, WORD },
};

static const uint8_t key[32] = "fuzz-redactor-key-0123456789abc";


static int to_mbuf(const char *p, size_t n, void *arg)
{
	return mbuf_write_mem(arg, (const uint8_t *)p, n);
}


static struct dp_redactor *redactor(size_t max_line)
{
	struct dp_redactor *r = NULL;

	CHECK(0 == dp_redactor_alloc(&r, key, sizeof(key), max_line));
	for (size_t i = 0; i < sizeof(plants) / sizeof(plants[0]); i++)
		CHECK(0 == dp_redactor_identity(r, plants[i].kind,
						plants[i].given));

	return r;
}


static unsigned char lower(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') ? (unsigned char)(c | 0x20) : c;
}


static bool digit(int c) { return c >= '0' && c <= '9'; }
static bool alnum(int c)
{
	return digit(c) || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z');
}
static bool hex(int c)
{
	return digit(c) || ((c | 0x20) >= 'a' && (c | 0x20) <= 'f');
}
/* redact.h: a word is letters, digits, '_' and non-ASCII bytes; '-' and
 * a '.' before a letter or digit join words */
static bool word(int c) { return alnum(c) || c == '_' || c >= 0x80; }


/* Is the occurrence at p[i .. i+len) one the rule says must go? */
static bool must_go(const struct plant *pl, const char *form,
		    const uint8_t *p, size_t n, size_t i, size_t len)
{
	int prev = i ? p[i - 1] : -1;
	int next = i + len < n ? p[i + len] : -1;
	int next2 = i + len + 1 < n ? p[i + len + 1] : -1;
	unsigned char first = (unsigned char)form[0];
	unsigned char last = (unsigned char)form[len - 1];

	switch (len < 6 ? WORD : pl->rule) {

	case WORD:
		if (prev >= 0 && word(prev))
			return false;
		return !(next >= 0 && (word(next) || next == '-' ||
				       (next == '.' && alnum(next2))));
	case DIGITS:
		if (prev >= 0 && digit(first) && digit(prev))
			return false;
		if (next >= 0 && digit(last) &&
		    (digit(next) || (next == '.' && digit(next2))))
			return false;
		return true;
	case HEXDIGITS:
		if (prev >= 0 && hex(first) && hex(prev))
			return false;
		return !(next >= 0 && hex(last) && hex(next));
	default:
		return true;
	}
}


static void check_no_plant(const uint8_t *out, size_t n)
{
	uint8_t *low = malloc(n + 1);

	CHECK(low);
	for (size_t i = 0; i < n; i++)
		low[i] = lower(out[i]);

	for (size_t k = 0; k < sizeof(plants) / sizeof(plants[0]); k++) {
		const struct plant *pl = &plants[k];

		for (size_t f = 0; f < 4 && pl->forms[f]; f++) {
			const char *form = pl->forms[f];
			size_t len = strlen(form), i = 0;
			const uint8_t *hit;

			while (i + len <= n &&
			       (hit = memmem(low + i, n - i, form, len))) {
				i = (size_t)(hit - low);
				CHECK(!must_go(pl, form, out, n, i, len));
				i++;
			}
		}
	}

	free(low);
}


static size_t lines_of(const uint8_t *p, size_t n)
{
	size_t k = 0;

	for (size_t i = 0; i < n; i++)
		k += p[i] == '\n';

	return k + (n && p[n - 1] != '\n');
}


/* Length of one of the redactor's tokens at p (redact.h, docs/
 * redaction.md "Tokens"), or 0. */
static size_t token_at(const uint8_t *p, size_t n)
{
	static const char *const labels[] = {
		"user", "num", "name", "host", "ip4", "ip4priv", "ip4cgn",
		"ip4ll", "ip6", "ip6ula", "ip6ll", "mac", "text", "callid",
		"tag", "branch", "nonce", "secret>", "dtmf>", NULL
	};

	for (size_t k = 0; labels[k]; k++) {
		size_t ll = strlen(labels[k]), hl = k < 13 ? 8 : 12, i;

		if (n < ll + 1 || memcmp(p + 1, labels[k], ll))
			continue;
		if (labels[k][ll - 1] == '>')
			return ll + 1;
		if (n < ll + hl + 3 || p[1 + ll] != '-' ||
		    p[2 + ll + hl] != '>')
			continue;
		for (i = 0; i < hl && (digit(p[2 + ll + i]) ||
				       (p[2 + ll + i] >= 'a' &&
					p[2 + ll + i] <= 'f')); i++)
			;
		if (i == hl)
			return ll + hl + 3;
	}

	return 0;
}


/* Every token of `once` is still there after redacting it again: the
 * redactor never rewrites its own tokens.  (Not the whole output: a
 * body is read as long as its Content-Length says, and a body of tokens
 * is shorter than the one it came from.) */
static void check_tokens_kept(const uint8_t *once, size_t n,
			      const uint8_t *twice, size_t n2)
{
	for (size_t i = 0; i < n; i++) {
		size_t len = once[i] == '<' ? token_at(once + i, n - i) : 0;

		if (!len)
			continue;
		CHECK(memmem(twice, n2, once + i, len));
		i += len - 1;
	}
}


/* A line limit the longest line of p[0..n) fits in (at least 64 KiB). */
static size_t longest_line(const uint8_t *p, size_t n)
{
	size_t best = 0, len = 0;

	for (size_t i = 0; i < n; i++) {
		len = p[i] == '\n' ? 0 : len + 1;
		if (len > best)
			best = len;
	}

	return best + 2 > DP_REDACT_MAX_LINE ? best + 2 : DP_REDACT_MAX_LINE;
}


int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t max_line = size % 3 ? 0 : 256;
	struct dp_redactor *r1 = redactor(max_line), *r2 = redactor(max_line);
	struct mbuf *out1 = mbuf_alloc(size * 2 + 64);
	struct mbuf *out2 = mbuf_alloc(size * 2 + 64);
	const struct dp_redact_stats *st;
	uint32_t cut = (uint32_t)size * 2654435761u;
	size_t off = 0;

	CHECK(out1 && out2);

	/* dp_redact_buf() learns first: so does the streamed run */
	CHECK(0 == dp_redact_learn(r1, (const char *)data, size));
	while (off < size) {
		size_t len;

		cut = cut * 1103515245u + 12345u;
		len = (cut >> 16) % 2 ? 1 + (cut >> 4) % 16 :
			1 + (cut >> 4) % 700;
		if (len > size - off)
			len = size - off;
		CHECK(0 == dp_redact_feed(r1, (const char *)data + off, len,
					  to_mbuf, out1));
		off += len;
	}
	CHECK(0 == dp_redact_finish(r1, to_mbuf, out1));
	CHECK(0 == dp_redact_buf(r2, (const char *)data, size, out2));

	CHECK(out1->end == out2->end &&
	      0 == memcmp(out1->buf, out2->buf, out1->end));
	CHECK(lines_of(out1->buf, out1->end) == lines_of(data, size));

	st = dp_redactor_stats(r1);
	CHECK(st->bytes_in == size && st->bytes_out == out1->end);
	CHECK(st->lines == lines_of(data, size));

	check_no_plant(out1->buf, out1->end);

	/* once more, as `deskphone redact` run on its own output, with a
	 * line limit its longest line fits (a token is longer than the value
	 * it replaced: a line may have grown past the first limit) */
	{
		struct dp_redactor *r3 = redactor(longest_line(out2->buf,
							       out2->end));
		struct mbuf *out3 = mbuf_alloc(out2->end * 2 + 64);

		CHECK(out3);
		CHECK(0 == dp_redact_buf(r3, (const char *)out2->buf,
					 out2->end, out3));
		check_tokens_kept(out2->buf, out2->end, out3->buf, out3->end);
		mem_deref(out3);
		mem_deref(r3);
	}

	mem_deref(out2);
	mem_deref(out1);
	mem_deref(r2);
	mem_deref(r1);

	return 0;
}
