/**
 * @file dict.c  Exact strings to find in free text: the phone's identities
 *               and values learned from SIP headers
 *
 * Entries are indexed by their first three bytes (lower case), so a probe
 * is one hash and usually an empty bucket.  Matching ignores ASCII case.
 * An entry matches as a whole word, or (long identities) also inside
 * words, but never cutting a run of digits in two when it is a number or
 * an address.  A dictionary with `evict` set keeps at most `capacity`
 * entries, dropping the oldest.
 */
#include <string.h>
#include <re.h>
#include "rd.h"

enum { BUCKETS = 4096, MIN_LEN = 3, MAX_LEN = 1024 };

struct entry {
	char *val;            /* lower case */
	char *tok;
	uint16_t len;
	uint16_t toklen;
	uint16_t bucket;
	uint8_t where;        /* enum rd_where */
	bool used;
	int next;
};

struct rd_dict {
	struct rd_dict_filter f;   /* first: rd.h reads it */
	struct entry *e;
	size_t cap;
	size_t ring;
	bool evict;
	int head[BUCKETS];
};


static void dict_destructor(void *arg)
{
	struct rd_dict *d = arg;

	for (size_t i = 0; i < d->cap; i++) {
		if (d->e[i].val)
			dp_wipe(d->e[i].val, d->e[i].len);
		mem_deref(d->e[i].val);
		mem_deref(d->e[i].tok);
	}
	mem_deref(d->e);
}


struct rd_dict *rd_dict_alloc(size_t capacity, bool evict)
{
	struct rd_dict *d = mem_zalloc(sizeof(*d), dict_destructor);

	if (!d)
		return NULL;

	d->e = mem_zalloc(capacity * sizeof(*d->e), NULL);
	if (!d->e)
		return mem_deref(d);
	d->cap = capacity;
	d->evict = evict;
	for (size_t i = 0; i < BUCKETS; i++)
		d->head[i] = -1;

	return d;
}


static uint16_t bucket_of(const char *p)
{
	uint32_t k = (uint32_t)rd_lower((unsigned char)p[0]) << 16 |
		(uint32_t)rd_lower((unsigned char)p[1]) << 8 |
		rd_lower((unsigned char)p[2]);

	return (uint16_t)((k * 2654435761u) >> 20);
}


static bool ieq_mem(const char *p, const char *lower, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (rd_lower((unsigned char)p[i]) != (unsigned char)lower[i])
			return false;
	}

	return true;
}


static void unlink_entry(struct rd_dict *d, int idx)
{
	struct entry *e = &d->e[idx];
	int *pp = &d->head[e->bucket];

	while (*pp >= 0 && *pp != idx)
		pp = &d->e[*pp].next;
	if (*pp == idx)
		*pp = e->next;

	dp_wipe(e->val, e->len);
	e->val = mem_deref(e->val);
	e->tok = mem_deref(e->tok);
	e->used = false;
	d->f.count--;
}


int rd_dict_add(struct rd_dict *d, const char *v, size_t n,
		const char *token, size_t toklen, enum rd_where where)
{
	bool anywhere = where != RD_WORD;
	struct entry *e;
	uint16_t b;
	int idx;

	if (!d || !v || n < MIN_LEN || n > MAX_LEN)
		return EINVAL;

	b = bucket_of(v);
	for (idx = d->head[b]; idx >= 0; idx = d->e[idx].next) {
		e = &d->e[idx];
		if (e->len == n && ieq_mem(v, e->val, n))
			return 0;
	}

	if (d->f.count >= d->cap) {
		if (!d->evict)
			return ENOSPC;
		unlink_entry(d, (int)d->ring);
	}

	if (d->evict) {
		idx = (int)d->ring;
		d->ring = (d->ring + 1) % d->cap;
	}
	else {
		idx = (int)d->f.count;
	}

	e = &d->e[idx];
	e->val = mem_alloc(n + 1, NULL);
	e->tok = mem_alloc(toklen + 1, NULL);
	if (!e->val || !e->tok) {
		e->val = mem_deref(e->val);
		e->tok = mem_deref(e->tok);
		return ENOMEM;
	}
	for (size_t i = 0; i < n; i++)
		e->val[i] = (char)rd_lower((unsigned char)v[i]);
	e->val[n] = '\0';
	memcpy(e->tok, token, toklen);
	e->tok[toklen] = '\0';
	e->len = (uint16_t)n;
	e->toklen = (uint16_t)toklen;
	e->where = (uint8_t)where;
	e->bucket = b;
	e->used = true;
	e->next = d->head[b];
	d->head[b] = idx;
	d->f.count++;
	d->f.adds++;

	if (!anywhere)
		d->f.any_word = true;
	if (anywhere) {
		unsigned pr = rd_pair_of(v);

		d->f.pair[pr >> 3] |= (uint8_t)(1u << (pr & 7));
		d->f.any_anywhere = true;
	}

	return 0;
}


static bool ends_word(const char *p, size_t n, size_t len)
{
	unsigned char c;

	if (len >= n)
		return true;
	c = (unsigned char)p[len];
	if (rd_word(c) || c == '-')
		return false;
	if (c == '.' && len + 1 < n && rd_alnum((unsigned char)p[len + 1]))
		return false;

	return true;
}


/* A run of digits (or hex digits) may not be cut in two by a match. */
static bool cuts_run(const struct entry *e, const char *p, size_t n, int prev)
{
	bool hex = e->where == RD_HEXDIGITS;
	unsigned char first = (unsigned char)e->val[0];
	unsigned char last = (unsigned char)e->val[e->len - 1];
	bool (*in)(unsigned char) = hex ? rd_hex : rd_digit;

	if (prev >= 0 && in(first) && in((unsigned char)prev))
		return true;
	if (e->len < n && in(last)) {
		unsigned char next = (unsigned char)p[e->len];

		if (in(next))
			return true;
		/* 192.0.2.1 is not the start of 192.0.2.1.5 or 192.0.2.15 */
		if (!hex && next == '.' && (size_t)e->len + 1 < n &&
		    rd_digit((unsigned char)p[e->len + 1]))
			return true;
	}

	return false;
}


size_t rd_dict_match(const struct rd_dict *d, const char *p, size_t n,
		     int prev, const char **tok, size_t *toklen)
{
	bool word_start = prev < 0 || !rd_word((unsigned char)prev);
	size_t best = 0;

	if (!d || n < MIN_LEN || !d->f.count)
		return 0;

	for (int idx = d->head[bucket_of(p)]; idx >= 0; idx = d->e[idx].next) {
		const struct entry *e = &d->e[idx];

		if (e->len > n || e->len <= best)
			continue;
		if (e->where == RD_WORD && !word_start)
			continue;
		if (!ieq_mem(p, e->val, e->len))
			continue;
		if (e->where == RD_WORD && !ends_word(p, n, e->len))
			continue;
		if ((e->where == RD_DIGITS || e->where == RD_HEXDIGITS) &&
		    cuts_run(e, p, n, prev))
			continue;
		best = e->len;
		*tok = e->tok;
		*toklen = e->toklen;
	}

	return best;
}
