/**
 * @file dpprov.h  dpprov: USB provisioning inside the daemon (internal)
 */
#ifndef DPPROV_H
#define DPPROV_H

#include <pthread.h>
#include <sys/stat.h>
#include <sys/types.h>
#include "modules/baresip_api.h"
#include "provision/phone_settings.h"
#include "provision/provision.h"

enum dpprov_state {
	DPPROV_IDLE = 0,     /* nothing has happened since start */
	DPPROV_WORKING,      /* a job runs; `step` says where */
	DPPROV_FINISHED,     /* `last` says how the last job ended */
	DPPROV_ASKING        /* a new key waits for a person's answer */
};

/* A stick asks to be trusted on first use: the question on the LCD
 * (trust.c).  Only the key shown, on the stick shown, can be pinned. */
struct dpprov_ask {
	bool active;
	char root[512];
	char key_id[17];
	char site[65];
	char manifest_sha256[65];
	uint64_t deadline;          /* tmr_jiffies() */
	struct stat manifest;       /* the stick's manifest.json when asked */
	struct tmr tmr;             /* the stick still there? the time up? */
};

enum job_kind { JOB_APPLY, JOB_ROLLBACK };

struct dpprov_job {
	enum job_kind kind;
	char root[512];
	char source[16];            /* "usb", "command" */
	struct prov_phone_cfg cfg;
	struct prov_outcome out;
	struct mqueue *mq;
};

struct dpprov {
	/* settings, from the baresip config, under their settings names */
	struct prov_phone_settings set;
	struct dpprov_ask ask;

	/* the worker thread and what it reports back */
	struct mqueue *mq;
	pthread_t thread;
	bool busy;
	struct dpprov_job *job;
	uint64_t job_no;            /* jobs started: the running one's number */

	/* what the status command says */
	enum dpprov_state state;
	uint64_t seq;
	enum prov_step step;
	const char *step_what;
	struct prov_outcome last;
	enum job_kind last_kind;
	bool have_last;
	char accounts[320];         /* "loaded 1", "pending: ...", "error: ..." */

	/* accounts */
	bool own_uas;               /* the user agents are the provisioned */
	bool reload_pending;
	struct tmr reload_tmr;
	bool shutting_down;

	/* the watched mount directory */
	struct tmr watch_tmr;
	bool seen;
	dev_t seen_dev;
	ino_t seen_ino;
	struct timespec seen_mtime;
	off_t seen_size;
};

/* worker.c */
int  dpprov_job_start(struct dpprov *p, enum job_kind kind,
		      const char *root, const char *source);
/* An apply with a person's answer to "trust this new key?" */
int  dpprov_job_answer(struct dpprov *p, const char *root,
		       const struct prov_trust_answer *answer);
void dpprov_job_close(struct dpprov *p);

/* uas.c: make baresip's accounts the provisioned ones */
int  dpprov_reload(struct dpprov *p);
void dpprov_reload_later(struct dpprov *p);

/* trust.c: ask a person at the phone to trust a new key */
void dpprov_ask_start(struct dpprov *p, const struct dpprov_job *job);
/* yes: pin `key_id` (it must be the key asked about); no: `why` */
int  dpprov_ask_answer(struct dpprov *p, bool yes, const char *key_id,
		       const char *why);
void dpprov_ask_close(struct dpprov *p);
int  dpprov_ask_status(struct re_printf *pf, const struct dpprov *p);

/* watch.c */
void dpprov_watch_start(struct dpprov *p);

/* dpprov.c */
void dpprov_changed(struct dpprov *p);

#endif
