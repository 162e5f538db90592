/**
 * @file body.c  Message bodies, a line at a time
 *
 * The body's end is found from Content-Length (each line counted with a
 * CRLF, since logs drop the CR), or, without one, at a blank line; a new
 * message, a trace separator or (in SDP) a line that is not SDP also
 * ends it.  Bodies of a type not understood have each line replaced by a
 * token: an instant message or a binary blob never passes through.
 */
#include <string.h>
#include <re.h>
#include "rd.h"


void rd_opaque_line(struct dp_redactor *r, const char *p, size_t n)
{
	size_t a = 0;

	while (a < n && rd_space((unsigned char)p[a]))
		a++;
	rd_out(r, p, a);
	if (a < n)
		rd_tok(r, RD_TEXT, p + a, n - a);
}


void rd_dtmf_line(struct dp_redactor *r, const char *p, size_t n)
{
	const char *eq = memchr(p, '=', n);

	/* Signal=5: the digit may be part of a PIN */
	if (eq && rd_iprefix(p, n, "signal")) {
		size_t k = (size_t)(eq - p) + 1;

		while (k < n && rd_space((unsigned char)p[k]))
			k++;
		rd_out(r, p, k);
		if (k < n)
			rd_outs(r, "<dtmf>");
		return;
	}
	if (eq && rd_iprefix(p, n, "duration")) {
		rd_text(r, p, n);
		return;
	}
	rd_opaque_line(r, p, n);
}


/* --- XML -----------------------------------------------------------------*/

static const char *const keep_words[] = {
	"open", "closed", "true", "false", "yes", "no", "full", "partial",
	"active", "terminated", "confirmed", "early", "trying",
	"proceeding", "initiator", "recipient", "init", "pending",
	"waiting", "shortened", "registered", "created", "refreshed",
	"expired", "deactivated", "probation", "unregistered", "rejected",
	"utf-8", "iso-8859-1", "1.0", "on-the-phone", "busy", "away",
	"unknown", "none", "cancelled", "replaced", "local-bye",
	"remote-bye", "error", "timeout", "us-ascii", NULL
};


static bool keep_word(const char *v, size_t n)
{
	bool digits = n > 0 && n <= 6, stamp = n >= 10;

	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)v[i];

		digits &= rd_digit(c) || c == '.';
		stamp &= rd_digit(c) || c == '-' || c == ':' || c == 'T' ||
			c == 'Z' || c == '.' || c == '+';
	}
	if (digits || stamp)
		return true;

	for (const char *const *w = keep_words; *w; w++) {
		if (rd_ieq(v, n, *w))
			return true;
	}

	return false;
}


/* What an attribute or element holds, by its name. */
enum xkind { XK_PLAIN, XK_NAME, XK_CALLID, XK_TAG, XK_LANG, XK_KEEP };

static enum xkind xml_kind(const char *k, size_t n)
{
	const char *colon = memchr(k, ':', n);

	if (rd_iprefix(k, n, "xmlns") || rd_ieq(k, n, "xsi:schemalocation"))
		return XK_KEEP;
	if (rd_ieq(k, n, "xml:lang") || rd_ieq(k, n, "lang"))
		return XK_LANG;
	if (colon && !rd_iprefix(k, n, "xml")) {
		/* a namespace prefix says nothing about the value */
		n -= (size_t)(colon - k) + 1;
		k = colon + 1;
	}
	if (rd_ieq(k, n, "display") || rd_ieq(k, n, "display-name") ||
	    rd_ieq(k, n, "displayname") || rd_ieq(k, n, "name") ||
	    rd_ieq(k, n, "cn") || rd_ieq(k, n, "first") || rd_ieq(k, n, "last"))
		return XK_NAME;
	if (rd_ieq(k, n, "call-id") || rd_ieq(k, n, "callid"))
		return XK_CALLID;
	if (rd_ieq(k, n, "local-tag") || rd_ieq(k, n, "remote-tag") ||
	    rd_ieq(k, n, "tag") || rd_ieq(k, n, "from-tag") ||
	    rd_ieq(k, n, "to-tag"))
		return XK_TAG;

	return XK_PLAIN;
}


static void xml_value(struct dp_redactor *r, enum xkind kind, const char *v,
		      size_t n)
{
	size_t a = 0, b = n;

	while (a < b && (rd_space((unsigned char)v[a])))
		a++;
	while (b > a && (rd_space((unsigned char)v[b - 1])))
		b--;

	rd_out(r, v, a);
	if (b > a) {
		const char *x = v + a;
		size_t xn = b - a;
		bool lang = xn <= 8;

		for (size_t i = 0; i < xn; i++)
			lang &= rd_alpha((unsigned char)x[i]) || x[i] == '-';

		if (kind == XK_KEEP || (kind == XK_LANG && lang))
			rd_out(r, x, xn);
		else if (kind == XK_NAME)
			rd_name(r, x, xn);
		else if (kind == XK_CALLID)
			rd_tok(r, RD_CALLID, x, xn);
		else if (kind == XK_TAG)
			rd_tok(r, RD_TAG, x, xn);
		else if (keep_word(x, xn))
			rd_out(r, x, xn);
		else if (rd_uri_at(x, xn) == xn)
			rd_uri(r, x, xn);
		else
			rd_tok(r, RD_TEXT, x, xn);
	}
	rd_out(r, v + b, n - b);
}


/* Inside <...>: names stay, attribute values go through xml_value.
 * The element's name is returned for the text that follows it. */
static enum xkind xml_tag(struct dp_redactor *r, const char *p, size_t n)
{
	enum xkind attr = XK_PLAIN, elem = XK_PLAIN;
	bool first = true;
	size_t i = 0;

	while (i < n) {
		char c = p[i];

		if (c == '"' || c == '\'') {
			const char *q = memchr(p + i + 1, c, n - i - 1);
			size_t e = q ? (size_t)(q - p) : n;

			rd_outc(r, c);
			xml_value(r, attr, p + i + 1, e - i - 1);
			if (q)
				rd_outc(r, c);
			i = q ? e + 1 : n;
			attr = XK_PLAIN;
			continue;
		}

		if (rd_alpha((unsigned char)c) || c == '_') {
			size_t e = i;

			while (e < n && (rd_alnum((unsigned char)p[e]) ||
					 p[e] == '_' || p[e] == '-' ||
					 p[e] == '.' || p[e] == ':'))
				e++;
			attr = xml_kind(p + i, e - i);
			if (first)
				elem = attr;
			first = false;
			rd_out(r, p + i, e - i);
			i = e;
			continue;
		}

		if (c == '=' || c == '/' || c == '?' || c == '!' ||
		    rd_space((unsigned char)c)) {
			if (c == '/' && first)
				elem = XK_PLAIN;   /* a closing tag */
			rd_outc(r, c);
			i++;
			continue;
		}

		/* unquoted junk inside a tag */
		{
			size_t e = i;

			while (e < n && !rd_space((unsigned char)p[e]) &&
			       p[e] != '/')
				e++;
			rd_tok(r, RD_TEXT, p + i, e - i);
			i = e;
		}
	}

	return elem == XK_KEEP || elem == XK_LANG ? XK_PLAIN : elem;
}


void rd_xml_line(struct dp_redactor *r, const char *p, size_t n)
{
	enum xkind text = XK_PLAIN;
	size_t i = 0;

	while (i < n) {
		if (p[i] == '<') {
			const char *gt = memchr(p + i, '>', n - i);
			size_t e = gt ? (size_t)(gt - p) : n;

			rd_outc(r, '<');
			if (rd_iprefix(p + i, n - i, "<!--")) {
				/* comments are free text */
				rd_text(r, p + i + 1, e - i - 1);
				text = XK_PLAIN;
			}
			else {
				text = xml_tag(r, p + i + 1, e - i - 1);
			}
			if (gt)
				rd_outc(r, '>');
			i = gt ? e + 1 : n;
		}
		else {
			const char *lt = memchr(p + i, '<', n - i);
			size_t e = lt ? (size_t)(lt - p) : n;

			xml_value(r, text, p + i, e - i);
			i = e;
		}
	}
}


/* --- the body state machine ------------------------------------------------*/

static bool boundary_line(const struct rd_state *st, const char *p, size_t n,
			  bool *closing)
{
	if (!st->blen || n < st->blen + 2 || p[0] != '-' || p[1] != '-' ||
	    memcmp(p + 2, st->boundary, st->blen))
		return false;

	*closing = n >= st->blen + 4 && p[st->blen + 2] == '-' &&
		p[st->blen + 3] == '-';

	return true;
}


static void part_line(struct dp_redactor *r, enum rd_body kind,
		      const char *p, size_t n);


static void sipfrag_line(struct dp_redactor *r, const char *p, size_t n)
{
	size_t nl, v0;

	if (!n)
		return;
	if (rd_is_start_line(p, n))
		rd_start_line(r, p, n);
	else if (rd_space((unsigned char)p[0]))
		rd_header_value(r, r->st.hkind, p, n);
	else if (rd_header_split(p, n, &nl, &v0))
		rd_header(r, p, n, false);
	else
		rd_opaque_line(r, p, n);
}


static void mwi_line(struct dp_redactor *r, const char *p, size_t n)
{
	size_t nl, v0;

	if (n && rd_header_split(p, n, &nl, &v0))
		rd_header(r, p, n, false);
	else
		rd_opaque_line(r, p, n);
}


static void multipart_line(struct dp_redactor *r, const char *p, size_t n)
{
	struct rd_state *st = &r->st;
	bool closing = false;

	if (boundary_line(st, p, n, &closing)) {
		rd_out(r, "--", 2);
		rd_tok(r, RD_TEXT, st->boundary, st->blen);
		rd_text(r, p + 2 + st->blen, n - 2 - st->blen);
		st->part = closing ? RP_EPILOGUE : RP_HEADERS;
		st->part_body = RB_OPAQUE;
		return;
	}

	switch (st->part) {

	case RP_HEADERS: {
		size_t nl, v0;

		if (!n) {
			st->part = RP_BODY;
			return;
		}
		if (rd_space((unsigned char)p[0])) {
			rd_header_value(r, st->hkind, p, n);
			return;
		}
		if (rd_header_split(p, n, &nl, &v0) &&
		    (rd_ieq(p, nl, "content-type") || rd_ieq(p, nl, "c"))) {
			char b[72];
			size_t bl;

			st->part_body = rd_body_kind(p + v0, n - v0, b,
						     sizeof(b), &bl);
			/* one level of multipart: a nested one is opaque */
			if (st->part_body == RB_MULTIPART)
				st->part_body = RB_OPAQUE;
		}
		rd_header(r, p, n, false);
		return;
	}

	case RP_BODY:
		part_line(r, st->part_body, p, n);
		return;

	default:
		rd_opaque_line(r, p, n);
		return;
	}
}


static void part_line(struct dp_redactor *r, enum rd_body kind,
		      const char *p, size_t n)
{
	switch (kind) {

	case RB_SDP:
		if (rd_is_sdp_line(p, n))
			rd_sdp_line(r, p, n);
		else
			rd_opaque_line(r, p, n);
		break;

	case RB_SIPFRAG:
		sipfrag_line(r, p, n);
		break;

	case RB_DTMF:
		rd_dtmf_line(r, p, n);
		break;

	case RB_MWI:
		mwi_line(r, p, n);
		break;

	case RB_XML:
		rd_xml_line(r, p, n);
		break;

	case RB_MULTIPART:
		multipart_line(r, p, n);
		break;

	default:
		rd_opaque_line(r, p, n);
		break;
	}
}


bool rd_body_line(struct dp_redactor *r, const char *p, size_t n,
		  size_t termlen)
{
	struct rd_state *st = &r->st;

	/* what ends a body early */
	if (n == 0 && (st->clen < 0 || st->body == RB_SIPFRAG))
		goto ended;
	if (n == 1 && p[0] == '#')
		goto ended;
	if (st->body != RB_SIPFRAG && st->body != RB_MULTIPART &&
	    rd_is_start_line(p, n))
		goto ended;
	if (st->body == RB_SDP && (n == 0 || !rd_is_sdp_line(p, n)))
		goto ended;

	part_line(r, st->body, p, n);

	if (st->clen >= 0) {
		st->left -= (int64_t)(n + (termlen ? 2 : 0));
		/* a multipart body lasts to its closing delimiter, whatever
		 * the (often wrong, in logs) Content-Length says */
		if (st->left <= 0 && !(st->body == RB_MULTIPART && st->blen &&
				       st->part != RP_EPILOGUE))
			st->mode = RM_TEXT;
	}

	return true;

 ended:
	st->mode = RM_TEXT;

	return false;
}
