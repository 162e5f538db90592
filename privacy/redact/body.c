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
	bool digits = n > 0 && n <= 6;

	for (size_t i = 0; i < n; i++)
		digits &= rd_digit((unsigned char)v[i]) || v[i] == '.';
	if (digits)
		return true;

	for (const char *const *w = keep_words; *w; w++) {
		if (rd_ieq(v, n, *w))
			return true;
	}

	return false;
}


static void xml_value(struct dp_redactor *r, const char *v, size_t n)
{
	size_t a = 0, b = n;

	while (a < b && (rd_space((unsigned char)v[a])))
		a++;
	while (b > a && (rd_space((unsigned char)v[b - 1])))
		b--;

	rd_out(r, v, a);
	if (b > a) {
		if (keep_word(v + a, b - a))
			rd_out(r, v + a, b - a);
		else if (rd_uri_at(v + a, b - a) == b - a)
			rd_uri(r, v + a, b - a);
		else
			rd_tok(r, RD_TEXT, v + a, b - a);
	}
	rd_out(r, v + b, n - b);
}


/* Inside <...>: names stay, attribute values go through xml_value. */
static void xml_tag(struct dp_redactor *r, const char *p, size_t n)
{
	size_t i = 0;
	bool ns = false;

	while (i < n) {
		char c = p[i];

		if (c == '"' || c == '\'') {
			const char *q = memchr(p + i + 1, c, n - i - 1);
			size_t e = q ? (size_t)(q - p) : n;

			rd_outc(r, c);
			if (ns)      /* namespace names are public */
				rd_out(r, p + i + 1, e - i - 1);
			else
				xml_value(r, p + i + 1, e - i - 1);
			if (q)
				rd_outc(r, c);
			i = q ? e + 1 : n;
			ns = false;
			continue;
		}

		if (rd_alpha((unsigned char)c) || c == '_') {
			size_t e = i;

			while (e < n && (rd_alnum((unsigned char)p[e]) ||
					 p[e] == '_' || p[e] == '-' ||
					 p[e] == '.' || p[e] == ':'))
				e++;
			ns = rd_iprefix(p + i, e - i, "xmlns") ||
				rd_ieq(p + i, e - i, "xsi:schemalocation");
			rd_out(r, p + i, e - i);
			i = e;
			continue;
		}

		if (c == '=' || c == '/' || c == '?' || c == '!' ||
		    rd_space((unsigned char)c)) {
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
}


void rd_xml_line(struct dp_redactor *r, const char *p, size_t n)
{
	size_t i = 0;

	while (i < n) {
		if (p[i] == '<') {
			const char *gt = memchr(p + i, '>', n - i);
			size_t e = gt ? (size_t)(gt - p) : n;

			rd_outc(r, '<');
			if (rd_iprefix(p + i, n - i, "<!--")) {
				/* comments are free text */
				rd_text(r, p + i + 1, e - i - 1);
			}
			else {
				xml_tag(r, p + i + 1, e - i - 1);
			}
			if (gt)
				rd_outc(r, '>');
			i = gt ? e + 1 : n;
		}
		else {
			const char *lt = memchr(p + i, '<', n - i);
			size_t e = lt ? (size_t)(lt - p) : n;

			xml_value(r, p + i, e - i);
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
		rd_text(r, st->boundary, st->blen);
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
	if (st->clen < 0 && n == 0)
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
		if (st->left <= 0)
			st->mode = RM_TEXT;
	}

	return true;

 ended:
	st->mode = RM_TEXT;

	return false;
}
