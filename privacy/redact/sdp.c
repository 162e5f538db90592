/**
 * @file sdp.c  SDP lines (RFC 8866 and the attributes phones use)
 *
 * Media descriptions, codecs, ports and timing stay.  Addresses in o=,
 * c=, a=rtcp and ICE candidates, user names, session names and every
 * key (k=, a=crypto, a=ice-pwd, a=key-mgmt) are replaced.  An attribute
 * this file does not know has its value replaced by one token.
 */
#include <string.h>
#include <re.h>
#include "rd.h"


bool rd_is_sdp_line(const char *p, size_t n)
{
	return n >= 2 && p[1] == '=' && p[0] >= 'a' && p[0] <= 'z';
}


/* Split at blanks: start and end of each field, at most `max`. */
static size_t fields(const char *p, size_t n, size_t *f0, size_t *f1,
		     size_t max)
{
	size_t i = 0, k = 0;

	while (i < n && k < max) {
		while (i < n && rd_space((unsigned char)p[i]))
			i++;
		if (i >= n)
			break;
		f0[k] = i;
		while (i < n && !rd_space((unsigned char)p[i]))
			i++;
		f1[k++] = i;
	}

	return k;
}


/* Write p[0..n) with field `idx` replaced through `fn`. */
typedef void (field_h)(struct dp_redactor *r, const char *p, size_t n);


static void host_slash(struct dp_redactor *r, const char *p, size_t n)
{
	const char *sl = memchr(p, '/', n);
	size_t h = sl ? (size_t)(sl - p) : n;

	rd_host(r, p, h);
	rd_out(r, p + h, n - h);
}


static void user_field(struct dp_redactor *r, const char *p, size_t n)
{
	if (n == 1 && p[0] == '-')
		rd_outc(r, '-');
	else
		rd_tok(r, RD_USER, p, n);
}


static void text_field(struct dp_redactor *r, const char *p, size_t n)
{
	rd_tok(r, RD_TEXT, p, n);
}


static void secret_field(struct dp_redactor *r, const char *p, size_t n)
{
	if (n)
		rd_secret_v(r, p, n);
}


static void keep_field(struct dp_redactor *r, const char *p, size_t n)
{
	rd_out(r, p, n);
}


/* Fields in order, each with its rule; the rest of the line by `rest`. */
static void by_fields(struct dp_redactor *r, const char *p, size_t n,
		      field_h *const *rules, size_t nrules, field_h *rest)
{
	size_t f0[16], f1[16], k, pos = 0;

	k = fields(p, n, f0, f1, 16);
	for (size_t i = 0; i < k; i++) {
		field_h *h = i < nrules ? rules[i] : rest;

		rd_out(r, p + pos, f0[i] - pos);
		h(r, p + f0[i], f1[i] - f0[i]);
		pos = f1[i];
	}
	if (k == 16 && pos < n) {
		rest(r, p + pos, n - pos);
		return;
	}
	rd_out(r, p + pos, n - pos);
}


/* ICE candidate: addresses after the priority and after "raddr". */
static void candidate(struct dp_redactor *r, const char *p, size_t n)
{
	size_t f0[16], f1[16], k, pos = 0;
	bool next_addr = false;

	k = fields(p, n, f0, f1, 16);
	for (size_t i = 0; i < k; i++) {
		const char *f = p + f0[i];
		size_t fl = f1[i] - f0[i];

		rd_out(r, p + pos, f0[i] - pos);
		if (i == 4 || next_addr)
			rd_host(r, f, fl);
		else if (i > 5 && (rd_ieq(f, fl, "ufrag") ||
				   rd_ieq(f, fl, "network-id")))
			rd_out(r, f, fl);
		else if (i > 5 && i > 0 && (rd_ieq(p + f0[i - 1],
						    f1[i - 1] - f0[i - 1],
						    "ufrag")))
			rd_tok(r, RD_TEXT, f, fl);
		else
			rd_out(r, f, fl);
		next_addr = rd_ieq(f, fl, "raddr");
		pos = f1[i];
	}
	if (k == 16 && pos < n) {
		rd_text(r, p + pos, n - pos);
		return;
	}
	rd_out(r, p + pos, n - pos);
}


static const char *const keep_attrs[] = {
	"rtpmap", "fmtp", "ptime", "maxptime", "minptime", "rtcp-fb",
	"rtcp-mux", "rtcp-rsize", "sendrecv", "sendonly", "recvonly",
	"inactive", "setup", "connection", "mid", "group", "msid-semantic",
	"extmap", "extmap-allow-mixed", "label", "silencesupp", "orient",
	"type", "charset", "sdplang", "lang", "framerate", "quality",
	"ice-lite", "ice-options", "ice-mismatch", "end-of-candidates",
	"bundle-only", "max-message-size", "sctp-port", "sctpmap",
	"simulcast", "rid", "ssrc-group", "floorctrl", "content", "tcap",
	"pcfg", "acfg", "curr", "des", "conf", "direction", "x-fmtp",
	"t38faxversion", "t38maxbitrate", "t38faxfillbitremoval",
	"t38faxtranscodingmmr", "t38faxtranscodingjbig",
	"t38faxratemanagement", "t38faxmaxbuffer", "t38faxmaxdatagram",
	"t38faxudpec", "rtcp-xr", "accept-types", "accept-wrapped-types",
	"record", "recordpref", "3gpp_mtsi_app_adapt", "anat", "bfcpver",
	NULL
};


/* Protocol vocabulary and numbers only: nothing to find in it. */
static bool plain(const char *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)v[i];

		if (!(rd_alnum(c) || c == ' ' || c == '.' || c == '/' ||
		      c == ':' || c == '*' || c == '+' || c == '_' ||
		      c == '-' || c == ',' || c == ';' || c == '=' || c == '\t'))
			return false;
	}

	return true;
}


static bool listed(const char *k, size_t n, const char *const *list)
{
	for (; *list; list++) {
		if (rd_ieq(k, n, *list))
			return true;
	}

	return false;
}


static void attribute(struct dp_redactor *r, const char *p, size_t n)
{
	const char *colon = memchr(p, ':', n);
	size_t an = colon ? (size_t)(colon - p) : n;
	const char *v = colon ? colon + 1 : p + n;
	size_t vn = colon ? n - an - 1 : 0;

	rd_out(r, p, colon ? an + 1 : an);
	if (!vn)
		return;

	if (rd_ieq(p, an, "rtcp")) {
		static field_h *const rules[] = {
			keep_field, keep_field, keep_field, host_slash
		};
		by_fields(r, v, vn, rules, 4, text_field);
	}
	else if (rd_ieq(p, an, "candidate")) {
		candidate(r, v, vn);
	}
	else if (rd_ieq(p, an, "remote-candidates")) {
		size_t f0[16], f1[16], k = fields(v, vn, f0, f1, 16), pos = 0;

		for (size_t i = 0; i < k; i++) {
			rd_out(r, v + pos, f0[i] - pos);
			if (i % 3 == 1)
				rd_host(r, v + f0[i], f1[i] - f0[i]);
			else
				rd_out(r, v + f0[i], f1[i] - f0[i]);
			pos = f1[i];
		}
		if (k == 16)
			rd_text(r, v + pos, vn - pos);
		else
			rd_out(r, v + pos, vn - pos);
	}
	else if (rd_ieq(p, an, "crypto")) {
		/* tag suite key-params [session-params] */
		static field_h *const rules[] = {
			keep_field, keep_field, secret_field
		};
		by_fields(r, v, vn, rules, 3, keep_field);
	}
	else if (rd_ieq(p, an, "ice-pwd") || rd_ieq(p, an, "key-mgmt") ||
		 rd_ieq(p, an, "identity") || rd_ieq(p, an, "k")) {
		rd_secret_v(r, v, vn);
	}
	else if (rd_ieq(p, an, "ice-ufrag") || rd_ieq(p, an, "msid")) {
		static field_h *const rules[] = { text_field, text_field };
		by_fields(r, v, vn, rules, 2, text_field);
	}
	else if (rd_ieq(p, an, "fingerprint")) {
		static field_h *const rules[] = { keep_field, text_field };
		by_fields(r, v, vn, rules, 2, text_field);
	}
	else if (rd_ieq(p, an, "ssrc")) {
		/* ssrc-id attribute[:value]: cname and msid values go */
		size_t i = 0;

		while (i < vn && !rd_space((unsigned char)v[i]))
			i++;
		rd_out(r, v, i);
		while (i < vn && rd_space((unsigned char)v[i]))
			rd_outc(r, v[i++]);
		if (i < vn) {
			const char *c = memchr(v + i, ':', vn - i);
			size_t e = c ? (size_t)(c - v) + 1 : vn;

			rd_out(r, v + i, e - i);
			if (e < vn)
				rd_tok(r, RD_TEXT, v + e, vn - e);
		}
	}
	else if (listed(p, an, keep_attrs)) {
		if (plain(v, vn))
			rd_out(r, v, vn);
		else
			rd_text(r, v, vn);
	}
	else {
		/* an attribute nobody told us about: its value goes whole */
		rd_tok(r, RD_TEXT, v, vn);
	}
}


void rd_sdp_line(struct dp_redactor *r, const char *p, size_t n)
{
	const char *v = p + 2;
	size_t vn = n - 2;

	rd_out(r, p, 2);

	switch (p[0]) {

	case 'o': {
		/* username sess-id sess-version nettype addrtype address */
		static field_h *const rules[] = {
			user_field, keep_field, keep_field, keep_field,
			keep_field, host_slash
		};
		by_fields(r, v, vn, rules, 6, text_field);
		break;
	}

	case 'c': {
		static field_h *const rules[] = {
			keep_field, keep_field, host_slash
		};
		by_fields(r, v, vn, rules, 3, text_field);
		break;
	}

	case 's':
		if (vn == 0 || (vn == 1 && (v[0] == '-' || v[0] == ' ')))
			rd_out(r, v, vn);
		else
			rd_tok(r, RD_TEXT, v, vn);
		break;

	case 'i':
	case 'e':
		if (vn)
			rd_tok(r, RD_TEXT, v, vn);
		break;

	case 'p':
		if (vn)
			rd_tok(r, RD_NUM, v, vn);
		break;

	case 'u':
		rd_uri(r, v, vn);
		break;

	case 'k': {
		/* k=clear:KEY, k=base64:KEY, k=uri:..., k=prompt */
		const char *c = memchr(v, ':', vn);

		if (vn)
			rd_secret_v(r, v, vn);
		if (c)
			rd_learn_removed(r, c + 1, vn - (size_t)(c + 1 - v),
					 "<secret>", 8);
		break;
	}

	case 'a':
		attribute(r, v, vn);
		break;

	case 'v':
	case 't':
	case 'r':
	case 'z':
	case 'm':
	case 'b':
		/* versions, times, media, ports, codecs, bandwidths */
		if (plain(v, vn))
			rd_out(r, v, vn);
		else
			rd_text(r, v, vn);
		break;

	default:
		rd_text(r, v, vn);
		break;
	}
}
