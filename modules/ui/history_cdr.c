/**
 * @file history_cdr.c  The call history from the call-record store
 *
 * The list the LCD shows is a cache of the store's newest records,
 * within what the privacy module allows: the history's retention (older
 * calls are not listed), the mark "clear history" set, and nothing at
 * all while processing is restricted.  A refresh asks the privacy module
 * for that view (dpapp_privacy_history_view, through the application
 * core) on the main thread, then reads the
 * store in a thread of its own (opening a 1 MiB store checks every
 * record: tens of milliseconds, more on a small board), and hands the
 * list back through an mqueue.  The CDR module writes a call's record at
 * CALL_CLOSED before the UI hears of it, so a refresh then finds it.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "modules/app/app.h"
#include "privacy/policy/privacy.h"
#include "ui.h"

struct job {
	struct mqueue *mq;         /* where the thread hands it back */
	char store[512];
	uint8_t secret[DP_KEY_LEN];
	struct dp_history_view view;
	size_t max, n;
	struct dp_history_entry *out;
	int err;
};

struct history_cdr {
	struct history base;       /* first: the interface */
	struct history_entry *v;
	size_t n, max;
	bool restricted;
	char store[512];
	uint8_t secret[DP_KEY_LEN];
	struct mqueue *mq;
	pthread_t thread;
	struct job *job;           /* being read by the thread */
	bool running, pending;
	history_changed_h *changed;
	void *arg;
};


static void job_free(struct job *j)
{
	if (!j)
		return;
	dp_wipe(j->secret, sizeof(j->secret));
	if (j->out)
		dp_wipe(j->out, j->max * sizeof(*j->out));
	free(j->out);
	free(j);
}


static void *reader(void *arg)
{
	struct job *j = arg;

	j->err = dp_history_read(j->store, j->secret, &j->view, j->max,
				 j->out, &j->n);
	(void)mqueue_push(j->mq, 0, j);

	return NULL;
}


/* What the privacy rules let the LCD show now. */
static void view_now(struct dp_history_view *v)
{
	if (dpapp_privacy_history_view(v)) {
		/* no privacy module: the policy's default retention */
		struct dp_policy pol;

		dp_policy_defaults(&pol);
		memset(v, 0, sizeof(*v));
		v->cutoff_ms = ((int64_t)time(NULL) -
				pol.cls[DP_CLASS_CALL_HISTORY].days * 86400LL)
			* 1000;
	}
}


static void start(struct history_cdr *h)
{
	struct job *j;

	if (h->running) {
		h->pending = true;
		return;
	}
	h->pending = false;

	j = calloc(1, sizeof(*j));
	if (!j)
		return;
	j->mq = h->mq;
	j->max = h->max;
	j->out = calloc(h->max, sizeof(*j->out));
	str_ncpy(j->store, h->store, sizeof(j->store));
	memcpy(j->secret, h->secret, sizeof(j->secret));
	view_now(&j->view);
	if (!j->out) {
		job_free(j);
		return;
	}

	/* the restriction takes effect at once, not when the store is read */
	if (j->view.restricted && !h->restricted) {
		h->restricted = true;
		dp_wipe(h->v, h->max * sizeof(*h->v));
		h->n = 0;
	}

	h->job = j;
	h->running = true;
	if (pthread_create(&h->thread, NULL, reader, j)) {
		warning("dpui: the call history cannot be read (no thread)\n");
		h->job = NULL;
		h->running = false;
		job_free(j);
	}
}


static void take(struct history_cdr *h, struct job *j)
{
	if (j->err)
		warning("dpui: call history: %m\n", j->err);

	dp_wipe(h->v, h->max * sizeof(*h->v));
	h->n = 0;
	h->restricted = j->view.restricted;

	for (size_t i = 0; !j->err && i < j->n && i < h->max; i++) {
		const struct dp_history_entry *e = &j->out[i];
		struct history_entry *d = &h->v[h->n++];

		d->kind = e->dir == CDR_DIR_OUTGOING ? HIST_PLACED :
			e->result == CDR_ANSWERED ? HIST_RECEIVED :
			HIST_MISSED;
		str_ncpy(d->number, e->erased ? "" : e->number,
			 sizeof(d->number));
		str_ncpy(d->name, e->erased ? "Unknown" : e->name,
			 sizeof(d->name));
		d->start = (time_t)(e->start_ms / 1000);
		d->duration_s = e->duration_s;
	}
}


/* The thread's last act was to hand the job back: joining is at once. */
static void mqueue_handler(int id, void *data, void *arg)
{
	struct history_cdr *h = arg;
	struct job *j = data;

	(void)id;
	if (h->running) {
		(void)pthread_join(h->thread, NULL);
		h->running = false;
	}
	h->job = NULL;
	take(h, j);
	job_free(j);

	if (h->changed)
		h->changed(h->arg);
	if (h->pending)
		start(h);
}


static void destructor(void *arg)
{
	struct history_cdr *h = arg;

	if (h->running)
		(void)pthread_join(h->thread, NULL);
	h->mq = mem_deref(h->mq);
	job_free(h->job);              /* read, but never taken */
	dp_wipe(h->secret, sizeof(h->secret));
	if (h->v)
		dp_wipe(h->v, h->max * sizeof(*h->v));
	mem_deref(h->v);
}


static int cdr_add(struct history *hb, const struct history_entry *e)
{
	(void)e;     /* the CDR module stored the call: read it from there */
	start((struct history_cdr *)hb);

	return 0;
}


static size_t cdr_count(const struct history *hb)
{
	return ((const struct history_cdr *)hb)->n;
}


static int cdr_get(const struct history *hb, size_t i,
		   struct history_entry *e)
{
	const struct history_cdr *h = (const struct history_cdr *)hb;

	if (i >= h->n)
		return ENOENT;
	*e = h->v[i];

	return 0;
}


static int cdr_clear(struct history *hb)
{
	struct history_cdr *h = (struct history_cdr *)hb;
	int err;

	err = dpapp_privacy_history_clear();
	if (err)
		return err;

	dp_wipe(h->v, h->max * sizeof(*h->v));
	h->n = 0;
	start(h);

	return 0;
}


static void cdr_refresh(struct history *hb)
{
	start((struct history_cdr *)hb);
}


static bool cdr_restricted(const struct history *hb)
{
	return ((const struct history_cdr *)hb)->restricted;
}


static const struct history_ops cdr_ops = {
	"the call-record store", cdr_add, cdr_count, cdr_get, cdr_clear,
	cdr_refresh, cdr_restricted
};


int history_cdr_alloc(struct history **hp, size_t max, const char *store,
		      const char *secret_file, history_changed_h *changed,
		      void *arg)
{
	struct history_cdr *h;
	int err;

	if (!hp || !max || !store || !*store || !secret_file)
		return EINVAL;

	h = mem_zalloc(sizeof(*h), destructor);
	if (!h)
		return ENOMEM;

	h->base.ops = &cdr_ops;
	h->max = max;
	h->changed = changed;
	h->arg = arg;
	str_ncpy(h->store, store, sizeof(h->store));
	h->v = mem_zalloc(max * sizeof(*h->v), NULL);
	err = h->v ? 0 : ENOMEM;
	if (!err)
		err = dp_device_secret_load(secret_file, false, h->secret);
	if (!err)
		err = mqueue_alloc(&h->mq, mqueue_handler, h);
	if (err) {
		mem_deref(h);
		return err;
	}

	*hp = &h->base;
	start(h);

	return 0;
}
