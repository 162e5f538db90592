/**
 * @file privacy.h  dpprivacy internals: the module's one state
 *
 * Everything runs on the re main thread.
 */
#ifndef DPPRIVACY_H
#define DPPRIVACY_H

#include "modules/baresip_api.h"
#include "privacy/policy/privacy.h"

struct privacy_module {
	struct dp_privacy *p;
	struct tmr purge_tmr;
	struct tmr screen_tmr;      /* logs, after a call with an objected
				       party (its trace lands a moment later) */
	bool sip_trace;             /* the setting */
	bool tracing;               /* what baresip does now */
	uint64_t purges;
	int last_err;
	uint64_t refusals_at[4];    /* when a display refusal was last told */
};

extern struct privacy_module pm;

/* module.c */
int  pm_sample(struct dp_clock_sample *s);
/* After anything that changes what may be shown or traced. */
void pm_changed(void);
int  pm_purge(struct dp_purge_report *r);

/* requests.c: the person's requests, typed, for the application core
 * (the UI) and the commands */
int  pm_restrict(bool on);
int  pm_erase(struct dp_erase_report *r);
int  pm_history_clear(void);
int  pm_history_view(struct dp_history_view *v);
/* A display refused: audited, at most once a minute per kind. */
int  pm_refused(const char *what);
int  pm_requests_register(void);
void pm_requests_unregister(void);

/* commands.c */
int  pm_commands_register(void);
void pm_commands_unregister(void);

#endif
