/**
 * @file own.c  The redactor's own tokens are left as they are
 *
 * Redacting redacted text must change nothing: a `<num-12345678>` whose
 * hex happens to be all digits would otherwise look like a phone number,
 * and `<sip:<user-…>@<host-…>>` would be taken apart at the token's own
 * angle brackets.  Before a line is read, each token of exactly a form
 * this redactor writes is swapped for a placeholder of the same length
 * made of letters only, which every rule takes for one plain word; a
 * rule that would replace a value that is placeholders only writes it
 * back (rd_tok(), rd_nonce(), rd_secret_v(); in a value that mixes them
 * with other text, the text beside them is replaced), nothing learns
 * one, and the finished line gets the tokens back in place.  Same length: the
 * line's offsets and limits do not move.  A line that already holds the
 * placeholders' marker is read as it is (nothing swapped), so input can
 * never forge a token.
 */
#include <string.h>
#include "rd.h"

/* Every form the redactor (and the bundle's sanitiser, "<removed>")
 * writes: a label and its hex length, or a fixed word (hex 0). */
static const struct {
	const char *label;
	unsigned hexlen;
} forms[] = {
	{ "user", 8 }, { "num", 8 }, { "name", 8 }, { "host", 8 },
	{ "ip4", 8 }, { "ip4priv", 8 }, { "ip4cgn", 8 }, { "ip4ll", 8 },
	{ "ip6", 8 }, { "ip6ula", 8 }, { "ip6ll", 8 }, { "mac", 8 },
	{ "callid", 12 }, { "tag", 12 }, { "branch", 12 }, { "nonce", 12 },
	{ "text", 8 },
	{ "secret", 0 }, { "dtmf", 0 }, { "removed", 0 },
};

enum { NFORMS = sizeof(forms) / sizeof(forms[0]) };

/* Upper and lower case mixed, so that it is no word of any language. */
static const char marker[] = "QjXzV";
enum { MARKER_LEN = sizeof(marker) - 1 };


static bool lowhex(unsigned char c)
{
	return rd_digit(c) || (c >= 'a' && c <= 'f');
}


/* Length of the token of form f: <label-hex> or <word>. */
static size_t form_len(size_t f)
{
	size_t ll = strlen(forms[f].label);

	return forms[f].hexlen ? ll + forms[f].hexlen + 3 : ll + 2;
}


size_t rd_own_token(const char *p, size_t n, size_t *form)
{
	if (n < 6 || p[0] != '<')
		return 0;

	for (size_t f = 0; f < NFORMS; f++) {
		size_t ll = strlen(forms[f].label), hl = forms[f].hexlen;
		size_t len = form_len(f);

		if (n < len || memcmp(p + 1, forms[f].label, ll) ||
		    p[len - 1] != '>')
			continue;
		if (hl) {
			size_t i;

			if (p[1 + ll] != '-')
				continue;
			for (i = 0; i < hl && lowhex((unsigned char)p[2 + ll + i]);
			     i++)
				;
			if (i < hl)
				continue;
		}
		if (form)
			*form = f;
		return len;
	}

	return 0;
}


/* The token of form f at out becomes its placeholder (same length):
 * the marker, the form as a capital, the hex as the letters g..v, then
 * 'q' to the token's length. */
static void placeholder(size_t f, char *out)
{
	size_t len = form_len(f), ll = strlen(forms[f].label), k = 0;
	char tok[40];

	memcpy(tok, out, len);     /* written over in place */
	memcpy(out, marker, MARKER_LEN);
	k = MARKER_LEN;
	out[k++] = (char)('A' + f);
	for (size_t i = 0; i < forms[f].hexlen; i++) {
		unsigned char c = (unsigned char)tok[2 + ll + i];
		unsigned v = rd_digit(c) ? c - '0' : c - 'a' + 10;

		out[k++] = (char)('g' + v);
	}
	while (k < len)
		out[k++] = 'q';
}


/* Length of a placeholder at p and its token into tok (>= 40), or 0. */
static size_t unplaceholder(const char *p, size_t n, char *tok)
{
	size_t f, len, ll, k;

	if (n < MARKER_LEN + 1 || memcmp(p, marker, MARKER_LEN))
		return 0;
	f = (size_t)(p[MARKER_LEN] - 'A');
	if (p[MARKER_LEN] < 'A' || f >= NFORMS)
		return 0;
	len = form_len(f);
	ll = strlen(forms[f].label);
	if (n < len)
		return 0;

	k = 0;
	tok[k++] = '<';
	memcpy(tok + k, forms[f].label, ll);
	k += ll;
	if (forms[f].hexlen)
		tok[k++] = '-';
	for (size_t i = 0; i < forms[f].hexlen; i++) {
		unsigned char c = (unsigned char)p[MARKER_LEN + 1 + i];

		if (c < 'g' || c > 'v')
			return 0;
		tok[k++] = "0123456789abcdef"[c - 'g'];
	}
	for (size_t i = MARKER_LEN + 1 + forms[f].hexlen; i < len; i++) {
		if (p[i] != 'q')
			return 0;
	}
	tok[k++] = '>';

	return k == len ? len : 0;
}


bool rd_own_protect(char *p, size_t n)
{
	bool any = false;

	if (n < 6 || memmem(p, n, marker, MARKER_LEN))
		return false;

	for (size_t i = 0; i + 6 <= n; i++) {
		size_t f, len;

		if (p[i] != '<' || !(len = rd_own_token(p + i, n - i, &f)))
			continue;
		placeholder(f, p + i);
		any = true;
		i += len - 1;
	}

	return any;
}


void rd_own_restore(char *p, size_t n)
{
	char tok[40];

	for (size_t i = 0; i + MARKER_LEN < n; i++) {
		size_t len;

		if (p[i] != marker[0])
			continue;
		len = unplaceholder(p + i, n - i, tok);
		if (!len)
			continue;
		memcpy(p + i, tok, len);
		i += len - 1;
	}
}


size_t rd_own_placeholder_at(const char *p, size_t n)
{
	char tok[40];

	return unplaceholder(p, n, tok);
}


bool rd_own_placeholder(const char *p, size_t n)
{
	size_t i = 0, len;

	/* tokens side by side (<host-…><text-…>) make one word too */
	while (i < n && (len = rd_own_placeholder_at(p + i, n - i)))
		i += len;

	return n && i == n;
}


/* A run of text beside placeholders: blanks between two tokens
 * ("<name-…> <name-…>") stay, anything else goes through `piece`. */
static void text_run(struct dp_redactor *r, const char *v, size_t n,
		     void (*piece)(struct dp_redactor *r, const char *p,
				   size_t n, void *arg), void *arg)
{
	size_t i = 0;

	while (i < n && rd_space((unsigned char)v[i]))
		i++;
	if (i == n)
		rd_out(r, v, n);
	else
		piece(r, v, n, arg);
}


void rd_own_pieces(struct dp_redactor *r, const char *v, size_t n,
		   void (*piece)(struct dp_redactor *r, const char *p,
				 size_t n, void *arg), void *arg)
{
	size_t i = 0, a = 0;

	while (i < n) {
		size_t len = v[i] == marker[0] ?
			rd_own_placeholder_at(v + i, n - i) : 0;

		if (!len) {
			i++;
			continue;
		}
		if (i > a)
			text_run(r, v + a, i - a, piece, arg);
		rd_out(r, v + i, len);
		i += len;
		a = i;
	}
	if (n > a)
		text_run(r, v + a, n - a, piece, arg);
}


bool rd_own_has_placeholder(const char *p, size_t n)
{
	return n > MARKER_LEN && memmem(p, n, marker, MARKER_LEN);
}
