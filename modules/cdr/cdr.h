/**
 * @file cdr.h  dpcdr internals: the module's one state, shared by its
 *              files
 */
#ifndef DPCDR_CDR_H
#define DPCDR_CDR_H

#include <sys/types.h>
#include "modules/baresip_api.h"
#include "privacy/crypto/crypto.h"
#include "privacy/policy/privacy.h"
#include "privacy/store/cdr_store.h"

/* A file's identity, to see whether another process replaced it. */
struct file_sig {
	ino_t ino;
	off_t size;
	int64_t mtime_ns;
	bool present;
	bool seen;           /* looked at once at least */
};

struct cdr_module {
	struct cdr_store *store;
	struct cdr_store_params prm;     /* to open it again after an erase */
	char path[256];
	uint8_t secret[DP_KEY_LEN];      /* the state is sealed with it */
	struct list calls;
	uint64_t written, failed;

	/* the privacy rules (privacy.c) */
	bool privacy;                    /* a privacy_dir is configured */
	char state_path[300];
	char clock_path[300];
	char test_clock[256];
	struct dp_policy policy;
	struct dp_privacy_state state;
	int state_err;
	struct file_sig state_sig;
	struct dp_clock clock;
	struct file_sig clock_sig;
	uint64_t screened;               /* records kept without personal
					    fields by the person's choice */
};

extern struct cdr_module cdr;

/* privacy.c */
int     cdr_privacy_init(void);
void    cdr_privacy_close(void);
/* The time (ms) a record gets: the wall clock within trusted time. */
int64_t cdr_privacy_now_ms(void);
/* Take the personal fields away when restricted or objected to. */
void    cdr_privacy_screen(struct cdr_record *rec);

/* store.c: what the privacy module asks of the store's writer, through
 * the application core */
int     cdr_writer_register(void);
void    cdr_writer_unregister(void);

#endif
