/**
 * @file app.c  libdpapp: the registry of providers and the event
 *              listeners (app.h)
 *
 * One instance per process: the state below is this library's, which
 * the dynamic loader maps once however many modules link it.  Providers
 * unregister when their module closes, so a module loaded again (or a
 * test) starts from an empty registry.
 */
#include <errno.h>
#include <re.h>
#include "app.h"

struct listener {
	struct le le;
	dpapp_event_h *h;
	void *arg;
};

static struct {
	const struct dp_store_ops *store;
	void *store_arg;
	const struct dpapp_privacy *privacy;
	const struct dpapp_prov *prov;
	const struct dpapp_audio *audio;
	struct list listeners;
} app;


/* --- the store's writer ----------------------------------------------------- */

int dpapp_store_register(const struct dp_store_ops *ops, void *arg)
{
	if (!ops)
		return EINVAL;
	if (app.store)
		return EALREADY;
	app.store = ops;
	app.store_arg = arg;

	return 0;
}


void dpapp_store_unregister(const struct dp_store_ops *ops)
{
	if (app.store != ops)
		return;
	app.store = NULL;
	app.store_arg = NULL;
}


static int store_shred(void *arg, int64_t personal_before_s,
		       int64_t drop_before_ms, struct cdr_shred_counts *c)
{
	(void)arg;
	if (!app.store)
		return ENODEV;

	return app.store->shred(app.store_arg, personal_before_s,
				drop_before_ms, c);
}


static int store_correct(void *arg, uint64_t seq,
			 const struct dp_record_fix *fix, uint64_t *now_seq)
{
	(void)arg;
	if (!app.store)
		return ENODEV;

	return app.store->correct(app.store_arg, seq, fix, now_seq);
}


static int store_erase(void *arg, uint64_t *records)
{
	(void)arg;
	if (!app.store)
		return ENODEV;

	return app.store->erase(app.store_arg, records);
}


static const struct dp_store_ops store_ops = {
	store_shred, store_correct, store_erase
};


const struct dp_store_ops *dpapp_store(void)
{
	return &store_ops;
}


/* --- the person's requests ---------------------------------------------------- */

int dpapp_privacy_register(const struct dpapp_privacy *api)
{
	if (!api)
		return EINVAL;
	if (app.privacy)
		return EALREADY;
	app.privacy = api;

	return 0;
}


void dpapp_privacy_unregister(const struct dpapp_privacy *api)
{
	if (app.privacy == api)
		app.privacy = NULL;
}


int dpapp_privacy_summary(struct dp_privacy_summary *sum)
{
	return app.privacy ? app.privacy->summary(sum) : ENODEV;
}


int dpapp_privacy_restrict(bool on)
{
	return app.privacy ? app.privacy->restrict_set(on) : ENODEV;
}


int dpapp_privacy_erase(struct dp_erase_report *r)
{
	return app.privacy ? app.privacy->erase(r) : ENODEV;
}


int dpapp_privacy_history_clear(void)
{
	return app.privacy ? app.privacy->history_clear() : ENODEV;
}


int dpapp_privacy_history_view(struct dp_history_view *v)
{
	return app.privacy ? app.privacy->history_view(v) : ENODEV;
}


int dpapp_privacy_refused(const char *what)
{
	return app.privacy ? app.privacy->refused(what) : ENODEV;
}


/* --- provisioning ------------------------------------------------------------- */

int dpapp_prov_register(const struct dpapp_prov *api)
{
	if (!api)
		return EINVAL;
	if (app.prov)
		return EALREADY;
	app.prov = api;

	return 0;
}


void dpapp_prov_unregister(const struct dpapp_prov *api)
{
	if (app.prov == api)
		app.prov = NULL;
}


int dpapp_prov_apply(const char *dir, uint64_t *job)
{
	return app.prov ? app.prov->apply(dir, job) : ENODEV;
}


int dpapp_prov_trust(bool yes, const char *key_id, const char *why,
		     uint64_t *job)
{
	if (!app.prov || !app.prov->trust)
		return ENODEV;

	return app.prov->trust(yes, key_id, why, job);
}


/* --- audio ------------------------------------------------------------------- */

int dpapp_audio_register(const struct dpapp_audio *api)
{
	if (!api)
		return EINVAL;
	if (app.audio)
		return EALREADY;
	app.audio = api;

	return 0;
}


void dpapp_audio_unregister(const struct dpapp_audio *api)
{
	if (app.audio == api)
		app.audio = NULL;
}


int dpapp_audio_route(enum dpapp_route r)
{
	return app.audio ? app.audio->route(r) : ENODEV;
}


int dpapp_audio_volume(enum dpapp_route r, unsigned percent)
{
	return app.audio ? app.audio->volume(r, percent) : ENODEV;
}


int dpapp_audio_ring(bool on)
{
	return app.audio ? app.audio->ring(on) : ENODEV;
}


/* --- events ------------------------------------------------------------------- */

static void listener_destructor(void *arg)
{
	struct listener *l = arg;

	list_unlink(&l->le);
}


int dpapp_listen(dpapp_event_h *h, void *arg)
{
	struct listener *l;

	if (!h)
		return EINVAL;
	l = mem_zalloc(sizeof(*l), listener_destructor);
	if (!l)
		return ENOMEM;
	l->h = h;
	l->arg = arg;
	list_append(&app.listeners, &l->le, l);

	return 0;
}


void dpapp_unlisten(dpapp_event_h *h, void *arg)
{
	for (struct le *le = app.listeners.head; le; le = le->next) {
		struct listener *l = le->data;

		if (l->h == h && l->arg == arg) {
			mem_deref(l);
			return;
		}
	}
}


void dpapp_send(enum dpapp_event ev, const void *data)
{
	struct le *le = app.listeners.head;

	while (le) {
		struct listener *l = le->data;

		le = le->next;          /* it may unlisten itself */
		l->h(ev, data, l->arg);
	}
}
