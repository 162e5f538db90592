/**
 * @file redactor.c  The redactor object, line buffering and the per-line
 *                   state machine (text, SIP headers, SIP body)
 */
#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <re.h>
#include "rd.h"

enum { SEEDS_MAX = 512, LEARNED_MAX = 2048, REMOVED_MAX = 1024,
       IO_CHUNK = 65536 };


static void destructor(void *arg)
{
	struct dp_redactor *r = arg;

	rd_token_close(r);
	mem_deref(r->seeds);
	mem_deref(r->learned);
	if (r->out && r->out->buf)
		dp_wipe(r->out->buf, r->out->size);
	mem_deref(r->out);
	if (r->line)
		dp_wipe(r->line, r->max_line + 2);
	mem_deref(r->line);
	mem_deref(r->norm);
	mem_deref(r->tmp);
	if (r->fold)
		dp_wipe(r->fold, r->max_line + 3);
	mem_deref(r->fold);
	mem_deref(r->fold_map);
	mem_deref(r->removed);
	if (r->net && r->net->buf)
		dp_wipe(r->net->buf, r->net->size);
	mem_deref(r->net);
}


static void state_reset(struct rd_state *st)
{
	memset(st, 0, sizeof(*st));
	st->mode = RM_TEXT;
	st->clen = -1;
}


int dp_redactor_alloc(struct dp_redactor **rp, const uint8_t *key,
		      size_t keylen, size_t max_line)
{
	struct dp_redactor *r;
	int err;

	if (!rp)
		return EINVAL;
	if (key && (keylen < DP_REDACT_KEY_MIN || keylen > DP_REDACT_KEY_MAX))
		return EINVAL;
	if (!max_line)
		max_line = DP_REDACT_MAX_LINE;
	if (max_line < 256)
		return EINVAL;

	r = mem_zalloc(sizeof(*r), destructor);
	if (!r)
		return ENOMEM;

	r->max_line = max_line;
	r->line     = mem_alloc(max_line + 2, NULL);
	r->norm     = mem_alloc(max_line + 16, NULL);
	r->tmp      = mem_alloc(max_line + 16, NULL);
	r->out      = mbuf_alloc(1024);
	r->net      = mbuf_alloc(1024);
	r->seeds    = rd_dict_alloc(SEEDS_MAX, false);
	r->learned  = rd_dict_alloc(LEARNED_MAX, true);
	r->removed  = rd_dict_alloc(REMOVED_MAX, true);
	if (!r->line || !r->norm || !r->tmp || !r->out || !r->net || !r->seeds ||
	    !r->learned || !r->removed) {
		err = ENOMEM;
		goto out;
	}

	err = rd_token_init(r, key, keylen);
	state_reset(&r->st);

 out:
	if (err)
		mem_deref(r);
	else
		*rp = r;

	return err;
}


/* --- output -------------------------------------------------------------- */

void rd_out(struct dp_redactor *r, const char *p, size_t n)
{
	if (n && mbuf_write_mem(r->out, (const uint8_t *)p, n))
		r->err = ENOMEM;
}


void rd_outs(struct dp_redactor *r, const char *s)
{
	rd_out(r, s, strlen(s));
}


void rd_outc(struct dp_redactor *r, char c)
{
	if (mbuf_write_u8(r->out, (uint8_t)c))
		r->err = ENOMEM;
}


void rd_secret(struct dp_redactor *r)
{
	rd_outs(r, "<secret>");
	r->stats.secrets++;
}


static bool piece_stop(char c)
{
	return c == ' ' || c == '\t' || c == ':' || c == '|' || c == ';' ||
		c == ',';
}


static void secret_piece(struct dp_redactor *r, const char *v, size_t n,
			 void *arg)
{
	(void)v;
	(void)n;
	(void)arg;
	rd_secret(r);
}


void rd_secret_v(struct dp_redactor *r, const char *v, size_t n)
{
	size_t i = 0;

	/* our own tokens (own.c), "<removed>" by the bundle's sanitiser
	 * included, are no secret: they stay as they are, the text beside
	 * them is a secret */
	if (rd_own_has_placeholder(v, n)) {
		rd_own_pieces(r, v, n, secret_piece, NULL);
		return;
	}

	rd_secret(r);
	rd_learn_removed(r, v, n, "<secret>", 8);

	/* inline:KEY|2^20|1:32, mikey KEY: the key is a secret alone too */
	while (i < n) {
		size_t e = i;

		while (e < n && !piece_stop(v[e]))
			e++;
		if (e - i >= 12 && e - i < n)
			rd_learn_removed(r, v + i, e - i, "<secret>", 8);
		i = e + 1;
	}
}


/* --- identities ---------------------------------------------------------- */

static enum rd_type host_type(const char *v, size_t n)
{
	uint8_t a[16];

	if (rd_parse_ip4(v, n, a))
		return RD_IP4;
	if (rd_parse_ip6(v, n, a))
		return RD_IP6;

	return RD_HOST;
}


/* Seed `form`, with the token of `v` (another way to write v). */
static int seed_form(struct dp_redactor *r, enum rd_type t, const char *v,
		     size_t n, const char *form, size_t fn)
{
	char tok[40];
	size_t k = rd_token_fmt(r, t, v, n, tok);
	enum rd_where where = RD_WORD;

	/* long ones are found inside other words too, but a number or an
	 * address never inside a longer one */
	if (fn >= 6)
		where = t == RD_NUM || t == RD_IP4 ? RD_DIGITS :
			t == RD_IP6 ? RD_HEXDIGITS : RD_ANYWHERE;

	return rd_dict_add(r->seeds, form, fn, tok, k, where);
}


static int seed(struct dp_redactor *r, enum rd_type t, const char *v,
		size_t n)
{
	return seed_form(r, t, v, n, v, n);
}


int dp_redactor_identity(struct dp_redactor *r, enum dp_identity kind,
			 const char *value)
{
	size_t n;

	if (!r || !value)
		return EINVAL;

	n = strlen(value);
	if (n < 3 || n > 1024)
		return EINVAL;

	switch (kind) {

	case DP_ID_NUMBER: {
		char digits[64];
		size_t k = 0;
		int err = seed(r, RD_NUM, value, n);

		/* the same number without its visual separators */
		for (size_t i = 0; i < n && k < sizeof(digits) - 1; i++) {
			if (rd_digit((unsigned char)value[i]) ||
			    (i == 0 && value[i] == '+'))
				digits[k++] = value[i];
		}
		if (!err && k >= 3 && k != n)
			err = seed_form(r, RD_NUM, value, n, digits, k);
		/* and without its international '+' */
		if (!err && k >= 4 && digits[0] == '+')
			err = seed_form(r, RD_NUM, value, n, digits + 1, k - 1);
		return err;
	}

	case DP_ID_USER:
		return seed(r, rd_is_number(value, n) ? RD_NUM : RD_USER,
			    value, n);

	case DP_ID_NAME:
		return seed(r, RD_NAME, value, n);

	case DP_ID_HOST:
		if ((host_type(value, n) == RD_IP4 &&
		     rd_ip4_kept_text(value, n)) ||
		    (host_type(value, n) == RD_IP6 &&
		     rd_ip6_kept_text(value, n)))
			return 0;     /* loopback: nobody's */
		return seed(r, host_type(value, n), value, n);

	case DP_ID_MAC: {
		static const char hx[] = "0123456789abcdef";
		uint8_t a[6];
		char f[4][18];
		char tok[40];
		size_t k;
		int err = 0;

		if (!rd_parse_mac(value, n, a))
			return EINVAL;
		k = rd_token_fmt(r, RD_MAC, value, n, tok);
		for (int i = 0; i < 6; i++) {
			char h = hx[a[i] >> 4], l = hx[a[i] & 15];

			f[0][3 * i] = f[1][3 * i] = h;
			f[0][3 * i + 1] = f[1][3 * i + 1] = l;
			f[0][3 * i + 2] = ':';
			f[1][3 * i + 2] = '-';
			f[2][2 * i] = h;
			f[2][2 * i + 1] = l;
		}
		/* 0015.65aa.bbcc */
		for (int i = 0, j = 0; i < 12; i++) {
			if (i == 4 || i == 8)
				f[3][j++] = '.';
			f[3][j++] = f[2][i];
		}
		err |= rd_dict_add(r->seeds, f[0], 17, tok, k, RD_HEXDIGITS);
		err |= rd_dict_add(r->seeds, f[1], 17, tok, k, RD_HEXDIGITS);
		err |= rd_dict_add(r->seeds, f[2], 12, tok, k, RD_HEXDIGITS);
		err |= rd_dict_add(r->seeds, f[3], 14, tok, k, RD_HEXDIGITS);
		return err ? ENOSPC : 0;
	}

	case DP_ID_SECRET:
		return rd_dict_add(r->seeds, value, n, "<secret>", 8,
				   n >= 6 ? RD_ANYWHERE : RD_WORD);
	}

	return EINVAL;
}


int dp_redact_token(struct dp_redactor *r, enum dp_identity kind,
		    const char *value, char *buf, size_t size)
{
	enum rd_type t;
	size_t n;
	char tok[40];

	if (!r || !value || !buf || size < 32)
		return EINVAL;
	n = strlen(value);

	switch (kind) {
	case DP_ID_NUMBER: t = RD_NUM; break;
	case DP_ID_USER:   t = rd_is_number(value, n) ? RD_NUM : RD_USER; break;
	case DP_ID_NAME:   t = RD_NAME; break;
	case DP_ID_HOST:   t = host_type(value, n); break;
	case DP_ID_MAC:    t = RD_MAC; break;
	case DP_ID_SECRET:
		if (size < 9)
			return EINVAL;
		memcpy(buf, "<secret>", 9);
		return 0;
	default:
		return EINVAL;
	}

	n = rd_token_fmt(r, t, value, n, tok);
	if (n + 1 > size)
		return EOVERFLOW;
	memcpy(buf, tok, n + 1);

	return 0;
}


const struct dp_redact_stats *dp_redactor_stats(const struct dp_redactor *r)
{
	return r ? &r->stats : NULL;
}


/* --- lines --------------------------------------------------------------- */

static void begin_message(struct rd_state *st)
{
	st->mode = RM_HEADERS;
	st->hkind = RH_NONE;
	st->body = RB_NONE;
	st->clen = -1;
	st->left = 0;
	st->blen = 0;
	st->boundary[0] = '\0';
	st->sdp_text = false;
}


/*
 * A whole SIP message on one log line, its line breaks written as "\r\n"
 * or "\n" (escaped), or as ".." (ngrep): found when such a separator is
 * followed by a known header.  Returns the separator's text, or NULL.
 */
static const char *embedded_sep(const char *p, size_t n)
{
	for (size_t i = 0; i + 2 < n; i++) {
		const char *sep;
		size_t sl, nl, v0;
		bool full;

		if (p[i] == '\\' && p[i + 1] == 'r' && i + 4 < n &&
		    p[i + 2] == '\\' && p[i + 3] == 'n')
			sep = "\\r\\n";
		else if (p[i] == '\\' && p[i + 1] == 'n')
			sep = "\\n";
		else if (p[i] == '.' && p[i + 1] == '.')
			sep = "..";
		else
			continue;

		sl = strlen(sep);
		if (rd_header_split(p + i + sl, n - i - sl, &nl, &v0)) {
			(void)rd_header_kind(p + i + sl, nl, &full);
			if (full)
				return sep;
		}
	}

	return NULL;
}


static void embedded(struct dp_redactor *r, const char *p, size_t n,
		     const char *sep)
{
	size_t sl = strlen(sep), a = 0, nl, v0;
	bool first = true, body = false;

	while (a <= n) {
		const char *f = memmem(p + a, n - a, sep, sl);
		size_t b = f ? (size_t)(f - p) : n;
		const char *s = p + a;
		size_t sn = b - a;

		if (first) {
			/* "received msg:INVITE sip:... SIP/2.0" */
			size_t j;

			for (j = 0; j < sn; j++) {
				if ((j == 0 || !rd_tokenc((unsigned char)s[j - 1]))
				    && rd_is_start_line(s + j, sn - j))
					break;
			}
			rd_text(r, s, j);
			if (j < sn)
				rd_start_line(r, s + j, sn - j);
			first = false;
		}
		else if (!body) {
			if (!sn)
				body = true;
			else if (rd_space((unsigned char)s[0]))
				rd_header_value(r, r->st.hkind, s, sn);
			else if (rd_header_split(s, sn, &nl, &v0))
				rd_header(r, s, sn, false);
			else
				rd_text(r, s, sn);
		}
		else if (sn) {
			if (rd_is_start_line(s, sn)) {
				rd_start_line(r, s, sn);
				body = false;
			}
			else if (rd_is_sdp_line(s, sn)) {
				rd_sdp_line(r, s, sn);
			}
			else {
				rd_opaque_line(r, s, sn);
			}
		}

		if (!f)
			break;
		rd_out(r, sep, sl);
		a = b + sl;
	}
}


static void dispatch(struct dp_redactor *r, const char *p, size_t n,
		     size_t termlen)
{
	const char *sep;
	struct rd_state *st = &r->st;
	size_t nl, v0, w = 0;
	bool full;

	/* a message printed indented: its indent is not part of it */
	while (w < n && rd_space((unsigned char)p[w]))
		w++;
	if (st->indent && st->mode != RM_TEXT) {
		size_t k = w >= st->indent ? st->indent : w;

		if (w < st->indent && w < n) {
			st->mode = RM_TEXT;     /* less indented: it ended */
		}
		else {
			rd_out(r, p, k);
			p += k;
			n -= k;
			w -= k;
		}
	}
	if (st->mode == RM_TEXT)
		st->indent = 0;

	if (st->mode == RM_BODY && rd_body_line(r, p, n, termlen))
		return;

	if (n == 0) {
		if (st->mode == RM_HEADERS) {
			if (st->clen > 0 || (st->clen < 0 &&
					     st->body != RB_NONE)) {
				st->mode = RM_BODY;
				st->left = st->clen;
				st->part = RP_PREAMBLE;
				st->part_body = RB_OPAQUE;
			}
			else {
				st->mode = RM_TEXT;
			}
		}
		st->sdp_text = false;
		return;
	}

	if (n == 1 && p[0] == '#') {
		st->mode = RM_TEXT;
		rd_outc(r, '#');
		return;
	}

	/* a message on one line is before a start line: its line breaks
	 * would otherwise pass for a reason phrase */
	sep = n > 20 && !st->pem && st->mode != RM_HEADERS ?
		embedded_sep(p, n) : NULL;
	if (sep) {
		st->mode = RM_TEXT;
		embedded(r, p, n, sep);
		return;
	}

	if (rd_is_start_line(p, n)) {
		begin_message(st);
		rd_start_line(r, p, n);
		return;
	}
	if (w && w < n && st->mode == RM_TEXT && rd_is_start_line(p + w, n - w)) {
		rd_out(r, p, w);
		begin_message(st);
		st->indent = w;
		rd_start_line(r, p + w, n - w);
		return;
	}

	if (st->mode == RM_HEADERS) {
		if (rd_space((unsigned char)p[0])) {
			rd_header_value(r, st->hkind, p, n);
			return;
		}
		if (rd_header_split(p, n, &nl, &v0)) {
			rd_header(r, p, n, true);
			return;
		}
		st->mode = RM_TEXT;
	}

	/* PEM blocks: a key is secret, a certificate names its owner */
	if (st->pem) {
		if (memmem(p, n, "-----END ", 9)) {
			st->pem = 0;
			rd_text(r, p, n);
		}
		else if (st->pem == 2) {
			rd_secret(r);
		}
		else {
			rd_opaque_line(r, p, n);
		}
		return;
	}
	if (n > 16 && memmem(p, n, "-----BEGIN ", 11)) {
		st->pem = memmem(p, n, "PRIVATE KEY", 11) ||
			memmem(p, n, "ENCRYPTED", 9) ? 2 : 1;
		rd_text(r, p, n);
		return;
	}

	/* free text; a known header on its own is still a header */
	if (rd_header_split(p, n, &nl, &v0)) {
		(void)rd_header_kind(p, nl, &full);
		if (full) {
			rd_header(r, p, n, false);
			return;
		}
	}

	if (rd_is_sdp_line(p, n) &&
	    (st->sdp_text || (n == 3 && p[0] == 'v' && p[2] == '0'))) {
		st->sdp_text = true;
		rd_sdp_line(r, p, n);
		return;
	}
	st->sdp_text = false;

	rd_text(r, p, n);
}


static int emit(struct dp_redactor *r, dp_redact_out_h *outh, void *arg)
{
	int err = r->err;

	r->err = 0;
	if (!err && outh)
		err = outh((const char *)r->out->buf, r->out->end, arg);
	r->stats.bytes_out += r->out->end;
	r->out->pos = r->out->end = 0;

	return err;
}


/*
 * The last net: the phone's identities are looked for once more in the
 * finished line, outside our tokens, since the SIP rules keep some text
 * as it is (a method, a header name, a codec line) and no identity may
 * pass there either.
 */
static void identity_net(struct dp_redactor *r, const struct rd_dict *d,
			 size_t from)
{
	const char *b = (const char *)r->out->buf;
	size_t n = r->out->end, i = from, cp = from;
	struct mbuf *o = NULL;

	while (i < n) {
		unsigned char c = (unsigned char)b[i];
		int prev = i > from ? (unsigned char)b[i - 1] : -1;
		const char *tok = NULL;
		size_t m = 0, tl = 0, t;

		if (c == '<' && (t = rd_own_token(b + i, n - i, NULL))) {
			i += t;
			continue;
		}
		if (rd_dict_maybe(d, b + i, n - i, prev))
			m = rd_dict_match(d, b + i, n - i, prev, &tok, &tl);
		if (!m) {
			i++;
			continue;
		}

		if (!o) {
			o = r->net;
			mbuf_rewind(o);
		}
		if (mbuf_write_mem(o, (const uint8_t *)b + cp, i - cp) ||
		    mbuf_write_mem(o, (const uint8_t *)tok, tl))
			r->err = ENOMEM;
		if (0 == strcmp(tok, "<secret>"))
			r->stats.secrets++;
		else
			r->stats.tokens++;
		i += m;
		cp = i;
	}

	if (o) {
		if (mbuf_write_mem(o, (const uint8_t *)b + cp, n - cp))
			r->err = ENOMEM;
		/* o holds the line from `from` on, rewritten */
		r->out->pos = r->out->end = from;
		rd_out(r, (const char *)o->buf, o->end);
	}
}


static int process_line(struct dp_redactor *r, const char *line, size_t n,
			size_t termlen, dp_redact_out_h *outh, void *arg)
{
	uint64_t learned = rd_dict_adds(r->removed);
	size_t pre, from;
	bool syslog, own;

	r->stats.lines++;
	/* the net covers the time stamp too: its fraction of a second is
	 * any run of digits, which may be one of the phone's numbers */
	from = r->out->end;
	/* our own tokens stay as they are: redacting twice changes nothing
	 * (the line is r->line, ours to change) */
	own = rd_own_protect((char *)line, n);
	pre = rd_prefix(line, n, &syslog);
	rd_out(r, line, pre);

	if (syslog) {
		/* "Nov 30 08:11:25 host prog[1]: ...": the host is a name */
		size_t k = pre;

		while (k < n && !rd_space((unsigned char)line[k]))
			k++;
		rd_host(r, line + pre, k - pre);
		pre = k;
	}

	dispatch(r, line + pre, n - pre, termlen);
	if (own && r->out->end > from)
		rd_own_restore((char *)r->out->buf + from, r->out->end - from);
	if (rd_dict_count(r->seeds))
		identity_net(r, r->seeds, from);
	/* a value removed from its place in this line may be in it before
	 * that place too (free text found the ones learned earlier) */
	if (rd_dict_adds(r->removed) != learned)
		identity_net(r, r->removed, from);
	if (termlen == 2)
		rd_out(r, "\r\n", 2);
	else if (termlen == 1)
		rd_outc(r, '\n');

	return emit(r, outh, arg);
}


/* A line too long to hold: it never reaches the output. */
static int overlong_line(struct dp_redactor *r, uint64_t bytes, bool nl,
			 dp_redact_out_h *outh, void *arg)
{
	struct rd_state *st = &r->st;
	char msg[128];
	int k;

	r->stats.lines++;
	r->stats.long_lines++;
	if (st->mode == RM_BODY && st->clen >= 0) {
		st->left -= (int64_t)bytes + 2;
		if (st->left <= 0)
			st->mode = RM_TEXT;
	}

	k = re_snprintf(msg, sizeof(msg), "[redacted: a line of %llu bytes,"
			" longer than the %zu-byte limit]%s",
			(unsigned long long)bytes, r->max_line, nl ? "\n" : "");
	rd_out(r, msg, (size_t)k);

	return emit(r, outh, arg);
}


int dp_redact_feed(struct dp_redactor *r, const char *p, size_t n,
		   dp_redact_out_h *outh, void *arg)
{
	if (!r || (!p && n))
		return EINVAL;

	r->stats.bytes_in += n;

	while (n) {
		const char *nl = memchr(p, '\n', n);
		size_t seg = nl ? (size_t)(nl - p) : n;
		int err;

		if (r->overlong) {
			r->overlong_bytes += seg;
			if (!nl)
				return 0;
			r->overlong = false;
			err = overlong_line(r, r->overlong_bytes, true, outh,
					    arg);
			if (err)
				return err;
		}
		else if (r->len + seg > r->max_line + 1) {
			/* +1: a CR before the LF still fits */
			r->overlong_bytes = r->len + seg;
			r->len = 0;
			if (!nl) {
				r->overlong = true;
				return 0;
			}
			err = overlong_line(r, r->overlong_bytes, true, outh,
					    arg);
			if (err)
				return err;
		}
		else {
			memcpy(r->line + r->len, p, seg);
			r->len += seg;
			if (!nl)
				return 0;

			if (r->len && r->line[r->len - 1] == '\r')
				err = process_line(r, r->line, r->len - 1, 2,
						   outh, arg);
			else if (r->len > r->max_line)
				err = overlong_line(r, r->len, true, outh,
						    arg);
			else
				err = process_line(r, r->line, r->len, 1,
						   outh, arg);
			r->len = 0;
			if (err)
				return err;
		}

		p += seg + 1;
		n -= seg + 1;
	}

	return 0;
}


int dp_redact_finish(struct dp_redactor *r, dp_redact_out_h *outh,
		     void *arg)
{
	int err = 0;

	if (!r)
		return EINVAL;

	if (r->overlong)
		err = overlong_line(r, r->overlong_bytes, false, outh, arg);
	else if (r->len)
		err = process_line(r, r->line, r->len, 0, outh, arg);

	r->overlong = false;
	r->overlong_bytes = 0;
	r->len = 0;
	state_reset(&r->st);

	return err;
}


static int to_mbuf(const char *p, size_t n, void *arg)
{
	return mbuf_write_mem(arg, (const uint8_t *)p, n);
}


/*
 * The learning pass: the input is read as it will be redacted, nothing is
 * written and nothing counted; what stays is what was learned.
 */
static int learn_end(struct dp_redactor *r, const struct dp_redact_stats *st,
		     int err)
{
	int e2 = dp_redact_finish(r, NULL, NULL);

	r->stats = *st;
	mbuf_rewind(r->out);

	return err ? err : e2;
}


int dp_redact_learn(struct dp_redactor *r, const char *p, size_t n)
{
	struct dp_redact_stats st;

	if (!r || (!p && n))
		return EINVAL;

	st = r->stats;

	return learn_end(r, &st, dp_redact_feed(r, p, n, NULL, NULL));
}


int dp_redact_buf(struct dp_redactor *r, const char *p, size_t n,
		  struct mbuf *out)
{
	int err;

	if (!out)
		return EINVAL;

	err = dp_redact_learn(r, p, n);
	if (!err)
		err = dp_redact_feed(r, p, n, to_mbuf, out);
	if (!err)
		err = dp_redact_finish(r, to_mbuf, out);

	return err;
}


struct fdout {
	int fd;
	size_t len;
	char buf[IO_CHUNK];
};


static int fd_flush(struct fdout *o)
{
	size_t off = 0;

	while (off < o->len) {
		ssize_t w = write(o->fd, o->buf + off, o->len - off);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return w < 0 ? errno : EIO;
		off += (size_t)w;
	}
	o->len = 0;

	return 0;
}


static int to_fd(const char *p, size_t n, void *arg)
{
	struct fdout *o = arg;

	if (o->len + n > sizeof(o->buf)) {
		int err = fd_flush(o);

		if (err)
			return err;
	}
	if (n > sizeof(o->buf)) {
		o->len = 0;
		while (n) {
			ssize_t w = write(o->fd, p, n);

			if (w < 0 && errno == EINTR)
				continue;
			if (w <= 0)
				return w < 0 ? errno : EIO;
			p += w;
			n -= (size_t)w;
		}
		return 0;
	}
	memcpy(o->buf + o->len, p, n);
	o->len += n;

	return 0;
}


/* in_fd to its end through dp_redact_feed(); o NULL: the learning pass */
static int feed_fd(struct dp_redactor *r, int in_fd, char *in,
		   struct fdout *o)
{
	for (;;) {
		ssize_t k = read(in_fd, in, IO_CHUNK);
		int err;

		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0)
			return errno;
		if (k == 0)
			return 0;
		err = dp_redact_feed(r, in, (size_t)k, o ? to_fd : NULL, o);
		if (err)
			return err;
	}
}


/* One pass over in_fd to its end: the learning pass when o is NULL, else
 * the real one, written through o. */
static int fd_pass(struct dp_redactor *r, int in_fd, struct fdout *o)
{
	char *in = mem_alloc(IO_CHUNK, NULL);
	int err;

	if (!in)
		return ENOMEM;

	if (!o) {
		struct dp_redact_stats st = r->stats;

		err = learn_end(r, &st, feed_fd(r, in_fd, in, NULL));
	}
	else {
		err = feed_fd(r, in_fd, in, o);
		if (!err)
			err = dp_redact_finish(r, to_fd, o);
		if (!err)
			err = fd_flush(o);
	}

	dp_wipe(in, IO_CHUNK);
	mem_deref(in);

	return err;
}


int dp_redact_learn_fd(struct dp_redactor *r, int in_fd)
{
	if (!r || in_fd < 0)
		return EINVAL;

	return fd_pass(r, in_fd, NULL);
}


int dp_redact_fd(struct dp_redactor *r, int in_fd, int out_fd)
{
	struct fdout *o;
	struct stat sb;
	off_t start;
	int err = 0;

	if (!r)
		return EINVAL;

	/* a file is read twice: first to learn, so that a value removed from
	 * its place is also removed where it appears before that place */
	if (0 == fstat(in_fd, &sb) && S_ISREG(sb.st_mode) &&
	    (start = lseek(in_fd, 0, SEEK_CUR)) >= 0) {
		err = fd_pass(r, in_fd, NULL);
		if (!err && lseek(in_fd, start, SEEK_SET) < 0)
			err = errno;
		if (err)
			return err;
	}

	o = mem_zalloc(sizeof(*o), NULL);
	if (!o)
		return ENOMEM;
	o->fd = out_fd;
	err = fd_pass(r, in_fd, o);

	dp_wipe(o->buf, sizeof(o->buf));
	mem_deref(o);

	return err;
}
