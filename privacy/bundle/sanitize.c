/**
 * @file sanitize.c  Take the secrets out of configuration files
 */
#include <ctype.h>
#include <string.h>
#include <strings.h>
#include <re.h>
#include "privacy/crypto/crypto.h"
#include "privacy/redact/redact.h"
#include "sanitize.h"

static const char removed_mark[] = "<removed>";


bool dp_key_has(const char *k, size_t n, const char *sub)
{
	size_t m = strlen(sub);

	for (size_t i = 0; i + m <= n; i++) {
		if (0 == strncasecmp(k + i, sub, m))
			return true;
	}

	return false;
}


bool dp_key_ends(const char *k, size_t n, const char *suf)
{
	size_t m = strlen(suf);

	return n >= m && 0 == strncasecmp(k + n - m, suf, m);
}


bool dp_secret_key(const char *k, size_t n)
{
	if (dp_key_ends(k, n, "_file") || dp_key_ends(k, n, "_dir") ||
	    dp_key_ends(k, n, "_path"))
		return false;

	return dp_key_has(k, n, "pass") || dp_key_has(k, n, "pwd") ||
		dp_key_has(k, n, "secret") || dp_key_has(k, n, "token") ||
		dp_key_has(k, n, "credential") || dp_key_has(k, n, "apikey") ||
		dp_key_has(k, n, "api_key") || dp_key_has(k, n, "private") ||
		dp_key_ends(k, n, "key") || dp_key_ends(k, n, "_pin") ||
		dp_key_ends(k, n, "psk") ||
		(n == 3 && 0 == strncasecmp(k, "pin", 3));
}


static int note(struct mbuf *removed, const char *label, unsigned line,
		const char *what, size_t n)
{
	return mbuf_printf(removed, "%s line %u: %b\n", label, line, what, n);
}


/*
 * Copy a value, with the password of every URI in it (scheme://user:pw@
 * or sip:user:pw@) replaced.  Returns how many were replaced.
 */
static unsigned uri_passwords(const char *v, size_t n, struct mbuf *out,
			      int *err)
{
	unsigned count = 0;
	size_t i = 0, cp = 0;

	while (i < n) {
		size_t u0 = 0, c, at;
		bool uri = false;

		if (i + 3 <= n && 0 == memcmp(v + i, "://", 3)) {
			u0 = i + 3;
			uri = true;
		}
		else if ((i + 4 <= n && 0 == strncasecmp(v + i, "sip:", 4) &&
			  (i == 0 || !isalnum((unsigned char)v[i - 1])))) {
			u0 = i + 4;
			uri = true;
		}
		else if (i + 5 <= n && 0 == strncasecmp(v + i, "sips:", 5) &&
			 (i == 0 || !isalnum((unsigned char)v[i - 1]))) {
			u0 = i + 5;
			uri = true;
		}
		if (!uri) {
			i++;
			continue;
		}

		/* userinfo ends at '@'; a ':' in it starts the password */
		for (at = u0; at < n && !strchr("@/?;>\" \t", v[at]); at++)
			;
		for (c = u0; c < at && v[c] != ':'; c++)
			;
		if (at < n && v[at] == '@' && c < at) {
			*err |= mbuf_write_mem(out, (const uint8_t *)v + cp,
					       c + 1 - cp);
			*err |= mbuf_write_str(out, removed_mark);
			cp = at;
			count++;
		}
		i = at > i ? at : i + 1;
	}

	*err |= mbuf_write_mem(out, (const uint8_t *)v + cp, n - cp);

	return count;
}


/* line_key_<n>: the keys provisioning writes (docs/provisioning.md) */
static bool line_key(const char *k, size_t n)
{
	size_t i = 9;

	if (n <= i || strncmp(k, "line_key_", i))
		return false;
	while (i < n && isdigit((unsigned char)k[i]))
		i++;

	return i == n;
}


/* One `key value` line: where it ends, its key and its value. */
struct kv {
	size_t e;          /* the line's end (its '\n' or n) */
	size_t k, k1;      /* the key */
	size_t v0, ve;     /* the value, without trailing blanks and CR */
	bool value;        /* a key with a value, not a comment */
};


static void kv_line(const char *p, size_t n, size_t i, struct kv *kv)
{
	const char *nl = memchr(p + i, '\n', n - i);

	kv->e = nl ? (size_t)(nl - p) : n;
	for (kv->k = i; kv->k < kv->e && (p[kv->k] == ' ' ||
					  p[kv->k] == '\t'); kv->k++)
		;
	for (kv->k1 = kv->k; kv->k1 < kv->e &&
		     (isalnum((unsigned char)p[kv->k1]) || p[kv->k1] == '_' ||
		      p[kv->k1] == '-' || p[kv->k1] == '.'); kv->k1++)
		;
	for (kv->v0 = kv->k1; kv->v0 < kv->e && (p[kv->v0] == ' ' ||
						 p[kv->v0] == '\t'); kv->v0++)
		;
	for (kv->ve = kv->e; kv->ve > kv->v0 &&
		     (p[kv->ve - 1] == ' ' || p[kv->ve - 1] == '\t' ||
		      p[kv->ve - 1] == '\r'); kv->ve--)
		;
	kv->value = kv->k1 > kv->k && p[kv->k] != '#' && kv->v0 < kv->e &&
		kv->v0 > kv->k1;
}


/* Exactly one of the redactor's tokens (or <removed>): nothing to hide. */
static bool one_token(const char *v, size_t n)
{
	return n > 2 && v[0] == '<' && v[n - 1] == '>' &&
		!memchr(v + 1, '<', n - 2) && !memchr(v, ' ', n);
}


/* One personal value: its token, or removed when there is no redactor.
 * One the redactor already replaced stays as it is. */
static int personal(struct dp_redactor *r, enum dp_identity kind,
		    const char *v, size_t n, struct mbuf *out)
{
	char value[128], tok[64];

	if (one_token(v, n))
		return mbuf_write_mem(out, (const uint8_t *)v, n);
	if (!r || n >= sizeof(value))
		return mbuf_write_str(out, removed_mark);
	memcpy(value, v, n);
	value[n] = '\0';
	if (dp_redact_token(r, kind, value, tok, sizeof(tok)))
		snprintf(tok, sizeof(tok), "%s", removed_mark);
	dp_wipe(value, sizeof(value));

	return mbuf_write_str(out, tok);
}


/*
 * `TYPE [TARGET] [LABEL]` of a line key: a colleague's extension or
 * number and name.  The type stays; the target becomes a number or user
 * token and the label a name token, the tokens the redactor writes for
 * the same party anywhere else in the bundle.  A type this does not know
 * is removed whole.  Returns whether anything was removed.
 */
static bool line_key_value(struct dp_redactor *r, const char *v, size_t n,
			   struct mbuf *out, int *err)
{
	size_t t = 0, a, b;
	bool some = false;

	while (t < n && v[t] != ' ' && v[t] != '\t')
		t++;
	if (!(t == 4 && 0 == memcmp(v, "line", 4)) &&
	    !(t == 3 && 0 == memcmp(v, "blf", 3)) &&
	    !(t == 5 && 0 == memcmp(v, "speed", 5))) {
		*err |= mbuf_write_str(out, removed_mark);
		return true;
	}
	*err |= mbuf_write_mem(out, (const uint8_t *)v, t);

	for (a = t; a < n && (v[a] == ' ' || v[a] == '\t'); a++)
		;
	/* blf and speed keys have a target; a line key only a label */
	if (t != 4 && a < n) {
		for (b = a; b < n && v[b] != ' ' && v[b] != '\t'; b++)
			;
		*err |= mbuf_write_u8(out, ' ');
		*err |= personal(r, DP_ID_USER, v + a, b - a, out);
		for (a = b; a < n && (v[a] == ' ' || v[a] == '\t'); a++)
			;
		some = true;
	}
	if (a < n) {
		*err |= mbuf_write_u8(out, ' ');
		*err |= personal(r, DP_ID_NAME, v + a, n - a, out);
		some = true;
	}

	return some && !r;
}


/* What a sanitizing pass does with one line (`p + i` to kv->e). */
struct pass {
	const char *p;
	const char *label;
	unsigned line;
	struct dp_redactor *r;
	struct mbuf *out;
	struct mbuf *removed;
};

typedef int (line_h)(struct pass *ps, size_t i, const struct kv *kv);


static int each_line(struct pass *ps, size_t n, line_h *h)
{
	size_t i = 0;
	int err = 0;

	while (i < n && !err) {
		struct kv kv;

		kv_line(ps->p, n, i, &kv);
		ps->line++;
		err = h(ps, i, &kv);
		if (kv.e < n)
			err |= mbuf_write_u8(ps->out, '\n');
		i = kv.e + 1;
	}

	return err;
}


static int settings_line(struct pass *ps, size_t i, const struct kv *kv)
{
	const char *p = ps->p;
	int err = 0;

	if (kv->value && dp_secret_key(p + kv->k, kv->k1 - kv->k)) {
		err |= mbuf_write_mem(ps->out, (const uint8_t *)p + i,
				      kv->v0 - i);
		err |= mbuf_write_str(ps->out, removed_mark);
		err |= mbuf_write_mem(ps->out, (const uint8_t *)p + kv->ve,
				      kv->e - kv->ve);
		err |= note(ps->removed, ps->label, ps->line, p + kv->k,
			    kv->k1 - kv->k);
	}
	else if (kv->k1 > kv->k && p[kv->k] != '#') {
		err |= mbuf_write_mem(ps->out, (const uint8_t *)p + i,
				      kv->v0 - i);
		if (uri_passwords(p + kv->v0, kv->e - kv->v0, ps->out, &err))
			err |= mbuf_printf(ps->removed, "%s line %u: %b"
					   " (password in a URI)\n",
					   ps->label, ps->line, p + kv->k,
					   kv->k1 - kv->k);
	}
	else {
		err |= mbuf_write_mem(ps->out, (const uint8_t *)p + i,
				      kv->e - i);
	}

	return err;
}


static int line_key_line(struct pass *ps, size_t i, const struct kv *kv)
{
	const char *p = ps->p;
	int err = 0;

	if (!kv->value || !line_key(p + kv->k, kv->k1 - kv->k))
		return mbuf_write_mem(ps->out, (const uint8_t *)p + i,
				      kv->e - i);

	err |= mbuf_write_mem(ps->out, (const uint8_t *)p + i, kv->v0 - i);
	if (line_key_value(ps->r, p + kv->v0, kv->ve - kv->v0, ps->out, &err))
		err |= mbuf_printf(ps->removed, "%s line %u: %b (line key"
				   " target and label)\n", ps->label,
				   ps->line, p + kv->k, kv->k1 - kv->k);
	err |= mbuf_write_mem(ps->out, (const uint8_t *)p + kv->ve,
			      kv->e - kv->ve);

	return err;
}


int dp_sanitize_settings(const char *p, size_t n, const char *label,
			 struct mbuf *out, struct mbuf *removed)
{
	struct pass ps = { .p = p, .label = label, .out = out,
			   .removed = removed };

	return each_line(&ps, n, settings_line);
}


int dp_sanitize_line_keys(const char *p, size_t n, const char *label,
			  struct dp_redactor *r, struct mbuf *out,
			  struct mbuf *removed)
{
	struct pass ps = { .p = p, .label = label, .r = r, .out = out,
			   .removed = removed };

	return each_line(&ps, n, line_key_line);
}


int dp_sanitize_accounts(const char *p, size_t n, const char *label,
			 struct mbuf *out, struct mbuf *removed)
{
	struct mbuf *tmp = mbuf_alloc(256);
	unsigned line = 0;
	size_t i = 0;
	int err = tmp ? 0 : ENOMEM;

	while (i < n && !err) {
		const char *nl = memchr(p + i, '\n', n - i);
		size_t e = nl ? (size_t)(nl - p) : n, j, cp;
		bool quote = false, angle = false;

		line++;
		mbuf_rewind(tmp);

		/* URI passwords first (inside <...> and outbound="...") */
		if (uri_passwords(p + i, e - i, tmp, &err))
			err |= note(removed, label, line, "password in a URI",
				    17);

		/* then ;name=value parameters with a secret name, wherever
		 * they stand: after the address (where baresip reads them),
		 * but also inside the brackets or the display name, where a
		 * mistyped line puts them (a password there is still one) */
		for (j = 0, cp = 0; j < tmp->end && !err; j++) {
			const char *t = (const char *)tmp->buf;
			size_t k0, k1, v0, v1;

			if (t[j] == '"')
				quote = !quote;
			else if (!quote && t[j] == '<')
				angle = true;
			else if (!quote && t[j] == '>')
				angle = false;
			if (t[j] != ';')
				continue;

			k0 = j + 1;
			for (k1 = k0; k1 < tmp->end && t[k1] != '=' &&
				     t[k1] != ';'; k1++)
				;
			if (k1 >= tmp->end || t[k1] != '=' ||
			    !dp_secret_key(t + k0, k1 - k0))
				continue;
			v0 = k1 + 1;
			if (v0 < tmp->end && t[v0] == '"') {
				for (v1 = v0 + 1; v1 < tmp->end && t[v1] != '"';
				     v1++)
					;
				if (v1 < tmp->end)
					v1++;
			}
			else {
				/* it ends where what holds it ends */
				for (v1 = v0; v1 < tmp->end && t[v1] != ';' &&
					     !(quote && t[v1] == '"') &&
					     !(angle && !quote && t[v1] == '>');
				     v1++)
					;
			}
			err |= mbuf_write_mem(out, tmp->buf + cp, v0 - cp);
			err |= mbuf_write_str(out, removed_mark);
			err |= note(removed, label, line, t + k0, k1 - k0);
			cp = v1;
			j = v1 - 1;
		}
		err |= mbuf_write_mem(out, tmp->buf + cp, tmp->end - cp);

		if (nl)
			err |= mbuf_write_u8(out, '\n');
		i = e + 1;
	}

	mem_deref(tmp);

	return err;
}
