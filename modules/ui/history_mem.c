/**
 * @file history_mem.c  The call history in memory (without a CDR store)
 */
#include <errno.h>
#include <string.h>
#include <re.h>
#include "privacy/crypto/crypto.h"
#include "history.h"

struct history_mem {
	struct history base;     /* first: the interface */
	struct history_entry *v; /* ring, newest at (head - 1) */
	size_t max;
	size_t n;
	size_t head;
};


static void destructor(void *arg)
{
	struct history_mem *hm = arg;

	/* nothing of a call may stay behind in freed memory (a memset
	 * before a free is one the compiler may drop) */
	if (hm->v)
		dp_wipe(hm->v, hm->max * sizeof(*hm->v));
	mem_deref(hm->v);
}


static int mem_add(struct history *h, const struct history_entry *e)
{
	struct history_mem *hm = (struct history_mem *)h;

	hm->v[hm->head] = *e;
	hm->head = (hm->head + 1) % hm->max;
	if (hm->n < hm->max)
		++hm->n;

	return 0;
}


static size_t mem_count(const struct history *h)
{
	return ((const struct history_mem *)h)->n;
}


static int mem_get(const struct history *h, size_t i,
		   struct history_entry *e)
{
	const struct history_mem *hm = (const struct history_mem *)h;

	if (i >= hm->n)
		return ENOENT;

	*e = hm->v[(hm->head + hm->max - 1 - i) % hm->max];

	return 0;
}


static int mem_clear(struct history *h)
{
	struct history_mem *hm = (struct history_mem *)h;

	memset(hm->v, 0, hm->max * sizeof(*hm->v));
	hm->n = 0;
	hm->head = 0;

	return 0;
}


static bool mem_restricted(const struct history *h)
{
	(void)h;

	return false;
}


static const struct history_ops mem_ops = {
	"memory (lost at restart)", mem_add, mem_count, mem_get, mem_clear,
	NULL, mem_restricted
};


int history_mem_alloc(struct history **hp, size_t max)
{
	struct history_mem *hm;

	if (!hp || !max)
		return EINVAL;

	hm = mem_zalloc(sizeof(*hm), destructor);
	if (!hm)
		return ENOMEM;

	hm->base.ops = &mem_ops;
	hm->max = max;
	hm->v = mem_zalloc(max * sizeof(*hm->v), NULL);
	if (!hm->v) {
		mem_deref(hm);
		return ENOMEM;
	}

	*hp = &hm->base;

	return 0;
}


const char *history_kind_name(enum history_kind k)
{
	switch (k) {

	case HIST_MISSED:   return "missed";
	case HIST_RECEIVED: return "received";
	case HIST_PLACED:   return "placed";
	}

	return "?";
}
