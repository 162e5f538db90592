/**
 * @file app.h  libdpapp: the application core our modules share
 *
 * baresip opens every module RTLD_LOCAL, so one module cannot call
 * another's functions.  The modules that work together link this one
 * shared library instead (DT_NEEDED, found through the rpath $ORIGIN,
 * that is beside the module: `deskphone run` links it into the module
 * directory it gives baresip); the dynamic loader maps it once per
 * process, so they all meet in the same registry.  Who provides what:
 *
 *   dpcdr      the call-record store's writer    used by dpprivacy
 *              (struct dp_store_ops)             (purge, correct, erase)
 *   dpprivacy  the person's requests             used by dpui (privacy
 *              (struct dpapp_privacy)            page, menu, history)
 *   dpprov     provisioning jobs                 used by dpui (menu)
 *              (struct dpapp_prov)
 *   dpalsa     audio routes, volume, the ringer  used by dpui (keys,
 *              (struct dpapp_audio)              ringing)
 *
 * and events pushed to whoever listens (dpui): the privacy rules
 * changed, a provisioning job moved on or ended.
 *
 * Typed C calls only: no JSON, no baresip commands between our modules
 * (the control socket's commands are thin wrappers over the same
 * functions, for the command line and tests).  Everything runs on the re
 * main thread.  A call whose provider is not loaded returns ENODEV.
 * Only what is marked DPAPP_API is exported.
 */
#ifndef DPAPP_APP_H
#define DPAPP_APP_H

#include <stdbool.h>
#include <stdint.h>
#include "privacy/policy/privacy.h"

#define DPAPP_API __attribute__((visibility("default")))

/* The library's file name, as modules name it (DT_NEEDED). */
#define DPAPP_LIB "libdpapp.so"


/* --- The call-record store's writer (dpcdr) ------------------------------- */

/* One writer at a time; EALREADY when another is registered. */
DPAPP_API int  dpapp_store_register(const struct dp_store_ops *ops,
				    void *arg);
DPAPP_API void dpapp_store_unregister(const struct dp_store_ops *ops);
/* Ops that forward to the registered writer (ENODEV without one), for
 * dp_privacy_set_store_ops(). */
DPAPP_API const struct dp_store_ops *dpapp_store(void);


/* --- The person's requests (dpprivacy) ------------------------------------ */

struct dpapp_privacy {
	/* what is held per class (brief: no audit check, no history) */
	int (*summary)(struct dp_privacy_summary *sum);
	int (*restrict_set)(bool on);
	/* everything personal erased; EPERM under legal hold */
	int (*erase)(struct dp_erase_report *r);
	/* the LCD's call list starts afresh */
	int (*history_clear)(void);
	/* what the LCD's call list may show now */
	int (*history_view)(struct dp_history_view *v);
	/* a display refused ("history_display"): audited, at most once a
	 * minute per kind */
	int (*refused)(const char *what);
};

DPAPP_API int  dpapp_privacy_register(const struct dpapp_privacy *api);
DPAPP_API void dpapp_privacy_unregister(const struct dpapp_privacy *api);

DPAPP_API int dpapp_privacy_summary(struct dp_privacy_summary *sum);
DPAPP_API int dpapp_privacy_restrict(bool on);
DPAPP_API int dpapp_privacy_erase(struct dp_erase_report *r);
DPAPP_API int dpapp_privacy_history_clear(void);
DPAPP_API int dpapp_privacy_history_view(struct dp_history_view *v);
DPAPP_API int dpapp_privacy_refused(const char *what);


/* --- Provisioning jobs (dpprov) ------------------------------------------- */

struct dpapp_prov {
	/* Start applying the stick at `dir` (NULL: the watched directory);
	 * *job: the job's number, as its events carry it.  EBUSY while a
	 * job runs. */
	int (*apply)(const char *dir, uint64_t *job);
	/* A person's answer while a stick asks to be trusted on first use
	 * (DPAPP_PROV_ASKING): yes pins `key_id` only, the key asked about
	 * (EINVAL otherwise); no says `why` (a word or two: the key
	 * pressed).  Either applies the stick again (*job).  ENOENT when
	 * nothing asks. */
	int (*trust)(bool yes, const char *key_id, const char *why,
		     uint64_t *job);
};

DPAPP_API int  dpapp_prov_register(const struct dpapp_prov *api);
DPAPP_API void dpapp_prov_unregister(const struct dpapp_prov *api);
DPAPP_API int  dpapp_prov_apply(const char *dir, uint64_t *job);
DPAPP_API int  dpapp_prov_trust(bool yes, const char *key_id,
				const char *why, uint64_t *job);


/* --- Audio routes (dpalsa) ------------------------------------------------ */

enum dpapp_route {
	DPAPP_HANDSET = 0,
	DPAPP_HEADSET,
	DPAPP_SPEAKER,
	DPAPP_RINGER,
};

struct dpapp_audio {
	/* the voice route (EINVAL for the ringer) */
	int (*route)(enum dpapp_route r);
	/* a route's volume, 0-100 */
	int (*volume)(enum dpapp_route r, unsigned percent);
	/* the audio module rings by itself on an incoming call, or not
	 * (a UI that rings itself turns it off) */
	int (*ring)(bool on);
};

DPAPP_API int  dpapp_audio_register(const struct dpapp_audio *api);
DPAPP_API void dpapp_audio_unregister(const struct dpapp_audio *api);
DPAPP_API int  dpapp_audio_route(enum dpapp_route r);
DPAPP_API int  dpapp_audio_volume(enum dpapp_route r, unsigned percent);
DPAPP_API int  dpapp_audio_ring(bool on);


/* --- Events, pushed to listeners ------------------------------------------ */

enum dpapp_event {
	/* what may be shown or traced changed (purge, erase, restriction,
	 * correction, objection): data NULL */
	DPAPP_PRIVACY_CHANGED,
	/* provisioning changed: a job started, moved on or ended (data: a
	 * struct dpapp_prov_report, the module's state now) */
	DPAPP_PROV_JOB,
};

enum dpapp_prov_state {
	DPAPP_PROV_IDLE = 0,           /* no job since the start */
	DPAPP_PROV_WORKING,
	DPAPP_PROV_APPLIED,
	DPAPP_PROV_UNCHANGED,
	DPAPP_PROV_REFUSED,
	DPAPP_PROV_ROLLED_BACK,
	DPAPP_PROV_ASKING,             /* a stick asks to be trusted */
};

struct dpapp_prov_report {
	uint64_t job;                  /* as dpapp_prov_apply() said */
	enum dpapp_prov_state state;
	const char *step;              /* working: what it does now */
	const char *reason;            /* ended: why refused, or a note */
	uint64_t version;              /* ended: the stick's version */
	const char *key_id;            /* asking: the stick's key */
	const char *site;              /* asking: the site it names */
};

typedef void (dpapp_event_h)(enum dpapp_event ev, const void *data,
			     void *arg);

DPAPP_API int  dpapp_listen(dpapp_event_h *h, void *arg);
DPAPP_API void dpapp_unlisten(dpapp_event_h *h, void *arg);
/* Every listener, in the order they came; one may unlisten itself. */
DPAPP_API void dpapp_send(enum dpapp_event ev, const void *data);

#endif
