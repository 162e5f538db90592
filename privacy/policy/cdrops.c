/**
 * @file cdrops.c  The call-record store as the privacy rules use it:
 *                 corrections, erasure, the direct writer, the history
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <re.h>
#include "priv.h"


int dp_cdr_correct(struct cdr_store *st, uint64_t seq,
		   const struct dp_record_fix *fix, uint64_t *now_seq)
{
	struct cdr_record rec;
	int err;

	if (!st || !fix)
		return EINVAL;
	if (now_seq)
		*now_seq = fix->delete_record ? 0 : seq;

	if (fix->delete_record)
		return cdr_store_rewrite(st, seq, NULL);

	memset(&rec, 0, sizeof(rec));
	err = cdr_store_find(st, seq, &rec);
	if (err)
		goto out;

	if (rec.personal_erased && (fix->remote_uri || fix->remote_name ||
				    fix->strip_personal)) {
		err = EALREADY;
		goto out;
	}
	if (fix->strip_personal) {
		rec.local_uri[0] = '\0';
		rec.remote_uri[0] = '\0';
		rec.remote_name[0] = '\0';
	}
	if (fix->remote_uri)
		cdr_text_set(rec.remote_uri, sizeof(rec.remote_uri),
			     fix->remote_uri);
	if (fix->remote_name)
		cdr_text_set(rec.remote_name, sizeof(rec.remote_name),
			     fix->remote_name);

	err = cdr_store_rewrite(st, seq, &rec);
	if (err == EFBIG) {
		/* no room in place: the old one goes, a corrected copy
		 * (same times, a new sequence number) comes at the end */
		err = cdr_store_rewrite(st, seq, NULL);
		if (!err)
			err = cdr_store_append(st, &rec);
		if (!err && now_seq)
			*now_seq = rec.seq;
	}

 out:
	dp_wipe(&rec, sizeof(rec));

	return err;
}


int dp_cdr_erase(struct cdr_store **stp, const struct cdr_store_params *prm,
		 uint64_t *records)
{
	struct cdr_store_info info;
	int err;

	if (!stp || !prm)
		return EINVAL;

	if (records)
		*records = 0;
	if (*stp) {
		if (!cdr_store_info(*stp, &info) && records)
			*records = info.records;
		/* the keys first: should the wipe fail, nothing opens */
		err = cdr_store_destroy_epoch_keys_before(*stp, INT64_MAX,
							  NULL);
		cdr_store_close(*stp);
		*stp = NULL;
		if (err)
			return err;
	}

	err = cdr_store_wipe(prm->path);
	if (err && err != ENOENT)
		return err;

	return cdr_store_open(stp, prm);
}


/* --- the direct writer: the daemon is not running ------------------------ */

static int open_writer(struct dp_privacy *p, struct cdr_store **stp,
		       struct cdr_store_params *prm)
{
	memset(prm, 0, sizeof(*prm));
	prm->path = p->store;
	prm->size = p->store_size;
	prm->secret = p->secret;
	prm->epoch_s = p->epoch_s;

	if (!p->store || !*p->store)
		return ENOENT;

	return cdr_store_open(stp, prm);
}


static bool store_exists(const struct dp_privacy *p)
{
	return p->store && *p->store && !access(p->store, F_OK);
}


static int direct_shred(void *arg, int64_t personal_before_s,
			int64_t drop_before_ms, struct cdr_shred_counts *c)
{
	struct dp_privacy *p = arg;
	struct cdr_store_params prm;
	struct cdr_store *st = NULL;
	int err;

	memset(c, 0, sizeof(*c));
	if (!store_exists(p))
		return 0;           /* nothing was ever recorded */

	err = open_writer(p, &st, &prm);
	if (!err)
		err = cdr_store_shred(st, personal_before_s, drop_before_ms,
				      c);
	cdr_store_close(st);

	return err;
}


static int direct_correct(void *arg, uint64_t seq,
			  const struct dp_record_fix *fix, uint64_t *now_seq)
{
	struct dp_privacy *p = arg;
	struct cdr_store_params prm;
	struct cdr_store *st = NULL;
	int err;

	if (!store_exists(p))
		return ENOENT;

	err = open_writer(p, &st, &prm);
	if (!err)
		err = dp_cdr_correct(st, seq, fix, now_seq);
	cdr_store_close(st);

	return err;
}


static int direct_erase(void *arg, uint64_t *records)
{
	struct dp_privacy *p = arg;
	struct cdr_store_params prm;
	struct cdr_store *st = NULL;
	int err;

	*records = 0;
	if (!store_exists(p))
		return 0;

	err = open_writer(p, &st, &prm);
	if (!err)
		err = dp_cdr_erase(&st, &prm, records);
	cdr_store_close(st);

	return err;
}


const struct dp_store_ops dp_store_direct_ops = {
	direct_shred, direct_correct, direct_erase
};


/* --- the history the LCD shows --------------------------------------------- */

struct hist {
	const struct dp_history_view *v;
	struct dp_history_entry *out;
	size_t max, n;
};


/* "sip:101@host;x" -> "101"; anything else as it is */
static void user_part(char *out, size_t sz, const char *uri)
{
	struct pl user;

	if (uri && !re_regex(uri, strlen(uri), "sip[s]*:[^@;>]+@", NULL,
			     &user))
		(void)pl_strcpy(&user, out, sz);
	else
		str_ncpy(out, uri ? uri : "", sz);
}


static int collect(const struct cdr_record *rec, void *arg)
{
	struct hist *h = arg;
	struct dp_history_entry e;
	size_t at;

	if (rec->seq <= h->v->cleared_seq || rec->start_ms < h->v->cutoff_ms)
		return 0;

	/* keep the `max` newest by start time, newest first */
	for (at = 0; at < h->n; at++) {
		if (rec->start_ms > h->out[at].start_ms)
			break;
	}
	if (at >= h->max)
		return 0;

	memset(&e, 0, sizeof(e));
	e.seq = rec->seq;
	e.start_ms = rec->start_ms;
	e.duration_s = rec->duration_s;
	e.dir = rec->dir;
	e.result = rec->result;
	e.erased = rec->personal_erased;
	user_part(e.number, sizeof(e.number), rec->remote_uri);
	str_ncpy(e.name, rec->remote_name, sizeof(e.name));

	if (h->n < h->max)
		h->n++;
	memmove(&h->out[at + 1], &h->out[at],
		(h->n - 1 - at) * sizeof(h->out[0]));
	h->out[at] = e;
	dp_wipe(&e, sizeof(e));

	return 0;
}


int dp_history_read(const char *store, const uint8_t secret[DP_KEY_LEN],
		    const struct dp_history_view *v, size_t max,
		    struct dp_history_entry *out, size_t *n)
{
	struct cdr_store_params prm = { .path = store, .secret = secret,
					.readonly = true };
	struct cdr_store *st = NULL;
	struct hist h = { v, out, max, 0 };
	int err;

	*n = 0;
	if (v->restricted || !max)
		return 0;

	err = cdr_store_open(&st, &prm);
	if (err == ENOENT)
		return 0;
	if (!err)
		err = cdr_store_foreach(st, collect, &h, NULL);
	cdr_store_close(st);
	if (!err)
		*n = h.n;

	return err;
}
