/**
 * @file privacy.h  dppolicy: the privacy policy and the person's rights,
 *                  as mechanisms (docs/privacy.md)
 *
 * What the phone holds about people falls into data classes, each with
 * a purpose and a retention (the policy: compiled-in defaults, the
 * shipped policy file, then the phone's settings, which provisioning
 * writes).  A purge erases what is older than its retention, measured
 * on a trusted clock that a wrong wall clock can neither wind back nor
 * fling forward (clock.c).  A person may ask for an export of all of it,
 * an erase, a restriction, an objection (a do-not-record list) and a
 * correction; a legal hold suspends purges and erases.  Every request
 * and every purge goes into the audit log (privacy/audit): what, when,
 * how many, never the data.
 *
 * The call-record store has one writer.  Whatever needs to write it goes
 * through `struct dp_store_ops`: the command line with the daemon
 * stopped opens the store itself (dp_store_direct_ops), the daemon's
 * privacy module asks the CDR module, which holds the store (through
 * the application core, modules/app).
 *
 * No baresip here.  Every function that depends on the time takes a
 * clock sample, so tests run on a simulated clock.  Functions return 0
 * or an errno value; a refusal (legal hold, restriction) is EPERM.
 */
#ifndef DESKPHONE_PRIVACY_H
#define DESKPHONE_PRIVACY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "privacy/crypto/crypto.h"
#include "privacy/store/cdr_store.h"

struct mbuf;
struct dp_settings;
struct dp_audit;

/* --- Data classes and the policy ------------------------------------------ */

enum dp_class {
	DP_CLASS_CALL_RECORDS = 0,      /* whole call records */
	DP_CLASS_CALL_RECORD_PERSONAL,  /* their numbers and names */
	DP_CLASS_SIP_TRACES_AND_LOGS,
	DP_CLASS_CALL_HISTORY,          /* the calls the LCD lists */
	DP_CLASS_CONTACTS_CACHE,
	DP_CLASS_RECORDINGS_VOICEMAIL,
	DP_CLASS_PUSH_REGISTRATION,
	DP_CLASS_COUNT
};

/* "call_records", "call_record_personal_fields", "sip_traces_and_logs",
 * "call_history", "contacts_cache", "recordings_and_voicemail",
 * "push_registration": the names of the settings
 * retention_<name>_days and of the export's classes. */
const char *dp_class_name(enum dp_class c);
/* "2026-11-30T08:11:25Z" for Unix seconds `t_s`, into buf. */
const char *dp_iso_time(int64_t t_s, char *buf, size_t sz);
int dp_class_find(const char *name, enum dp_class *c);

enum { DP_TEXT = 240, DP_ORIGIN = 160, DP_POLICY_ERRORS = 1024 };

struct dp_class_policy {
	uint32_t days;            /* retention */
	uint32_t max_days;        /* the most it may be set to */
	char purpose[DP_TEXT];
	char holds[DP_TEXT];      /* what it is, in words */
	char origin[DP_ORIGIN];   /* where `days` came from */
};

struct dp_policy {
	struct dp_class_policy cls[DP_CLASS_COUNT];
	uint32_t purge_interval_s;   /* how often the daemon purges */
	uint32_t clock_step_s;       /* forward catch-up per purge, at most */
	uint32_t clock_slack_s;      /* a stamp may lag the trusted time */
	bool clock_trust_rtc;        /* an unsynchronised clock counts */
	int64_t clock_floor_s;       /* no true time is earlier (the build) */
	char errors[DP_POLICY_ERRORS];  /* values refused, file:line: why */
};

/* The compiled-in defaults: the shortest that still let the phone work
 * (the same as the shipped privacy.conf). */
void dp_policy_defaults(struct dp_policy *p);

/*
 * Defaults, then `file` (may be NULL), then `layered` (may be NULL): the
 * phone's settings, where retention_<class>_days, privacy_purge_interval_s,
 * privacy_clock_step_s and privacy_clock_trust (sync|rtc) win; an empty
 * value leaves the earlier one.  A bad value is refused alone, the
 * earlier one stays, and p->errors names it.  Returns 0 (also with
 * errors) or ENOMEM.
 */
int dp_policy_load(struct dp_policy *p, const char *file,
		   const struct dp_settings *layered);

/*
 * The same from a baresip config (libre's struct conf), for the daemon's
 * modules: `<prefix>policy` names the file, `<prefix>retention_<class>_
 * days` and `<prefix>purge_interval_s`, `<prefix>clock_trust`, ...
 * stand for the settings.
 */
struct conf;
int dp_policy_from_conf(struct dp_policy *p, const struct conf *conf,
			const char *prefix);


/* --- The trusted clock (clock.c) --------------------------------------------- */

struct dp_clock_sample {
	int64_t wall_s;         /* the wall clock (CLOCK_REALTIME) */
	int64_t boot_s;         /* time since boot (CLOCK_BOOTTIME) */
	char boot_id[40];       /* which boot that is */
	bool synced;            /* the kernel says time sync holds */
};

struct dp_clock {
	bool known;             /* there was a saved clock */
	int64_t trusted_s;      /* T: never goes back */
	int64_t boot_s;         /* boot time when T was last set */
	char boot_id[40];
};

enum dp_clock_verdict {
	DP_CLOCK_FIRST,         /* no saved clock: T starts here */
	DP_CLOCK_FOLLOWED,      /* T follows the wall clock */
	DP_CLOCK_UNTRUSTED,     /* not synchronised (or before the floor):
				   T advances by running time only */
	DP_CLOCK_BEHIND,        /* the wall clock went back: ignored */
	DP_CLOCK_CATCHING_UP,   /* the wall clock jumped ahead: followed
				   at most clock_step_s per purge */
};

const char *dp_clock_verdict_name(enum dp_clock_verdict v);

/* The real clocks; the kernel's STA_UNSYNC flag says `synced`. */
int dp_clock_sample_now(struct dp_clock_sample *s);
/*
 * A simulated clock for tests: the file holds `WALL_S [synced|unsynced]
 * [BOOT_S]`; without BOOT_S the real time since boot is used, with the
 * real boot id.  EINVAL when it says something else.
 */
int dp_clock_sample_file(struct dp_clock_sample *s, const char *path);

int dp_clock_load(struct dp_clock *c, const char *path);  /* ENOENT: none */
int dp_clock_save(const struct dp_clock *c, const char *path);

/*
 * The rule (docs/privacy.md "A wrong clock"): T never goes back; it
 * always advances by the running time measured since it was last set
 * (same boot); it follows a usable wall clock (synchronised, or any
 * when clock_trust_rtc, and never before clock_floor_s) forward, but at
 * most clock_step_s beyond the running time at a time.  The first T is
 * the wall clock when usable, else the floor.
 */
enum dp_clock_verdict dp_clock_advance(struct dp_clock *c,
				       const struct dp_clock_sample *s,
				       const struct dp_policy *p);
/* T as it is now, without moving it. */
int64_t dp_clock_peek(const struct dp_clock *c,
		      const struct dp_clock_sample *s);
/* The time (ms) a new record gets: the wall clock `wall_ms` (0: the
 * sample's), kept within [T - clock_slack_s, T + clock_step_s]; T when
 * the wall clock is not usable; the wall clock when no clock was saved
 * yet and it is usable. */
int64_t dp_clock_stamp_ms(const struct dp_clock *c,
			  const struct dp_clock_sample *s,
			  const struct dp_policy *p, int64_t wall_ms);


/* --- The person's choices (state.c) ------------------------------------------ */

enum { DP_OBJECTIONS_MAX = 64, DP_OBJECTION_LEN = 128 };

struct dp_privacy_state {
	bool restricted;
	int64_t restricted_since_s;
	bool legal_hold;
	char hold_reason[128];
	int64_t hold_since_s;
	uint64_t history_cleared_seq;  /* the LCD lists only records after */
	uint32_t generation;           /* changes with what is shown */
	size_t nobjections;
	char objections[DP_OBJECTIONS_MAX][DP_OBJECTION_LEN];
	int64_t last_purge_s;          /* trusted time of the last purge */
};

/*
 * The state file is sealed with the device secret (dp_seal), so the
 * do-not-record list is no more readable on a copied flash than the
 * call records.  A missing file is the default state (ENOENT is not
 * returned); a file that does not open is EBADMSG, and callers then act
 * as if restricted (see dp_privacy_keep_personal).
 */
int dp_state_load(struct dp_privacy_state *st, const char *path,
		  const uint8_t secret[DP_KEY_LEN]);
int dp_state_save(const struct dp_privacy_state *st, const char *path,
		  const uint8_t secret[DP_KEY_LEN]);

/*
 * May a new record of a call with `remote_uri` keep its personal fields?
 * No while restricted, and no when the number or URI is on the
 * do-not-record list: an entry with letters or '@' is a URI (compared
 * without scheme, parameters and case), one of digits a number (compared
 * by its digits and a leading '+').
 */
bool dp_privacy_keep_personal(const struct dp_privacy_state *st,
			      const char *remote_uri);
/* Does `text` mention an objected number or URI (for logs)? */
bool dp_privacy_mentions_objected(const struct dp_privacy_state *st,
				  const char *text, size_t len);
/* A do-not-record entry, checked and normalised; EINVAL if it is none. */
int dp_objection_normalise(const char *in, char *out, size_t sz);


/* --- The call-record store, written by its one writer ------------------------ */

/* A correction of one record: delete it, take its personal fields
 * away, or replace some of them (NULL keeps). */
struct dp_record_fix {
	bool delete_record;
	bool strip_personal;
	const char *remote_uri;
	const char *remote_name;
};

struct dp_store_ops {
	int (*shred)(void *arg, int64_t personal_before_s,
		     int64_t drop_before_ms, struct cdr_shred_counts *c);
	/* *now_seq: the record's sequence number after it (a copy
	 * moved to the end has a new one) */
	int (*correct)(void *arg, uint64_t seq,
		       const struct dp_record_fix *fix, uint64_t *now_seq);
	/* everything gone: keys destroyed, the store zeroed and made anew */
	int (*erase)(void *arg, uint64_t *records);
};

/*
 * On an open writable store, for the store's writer: apply `fix` to
 * record `seq` (in place when it fits; else the old one is voided and a
 * corrected copy appended, keeping its times).  EALREADY: the fields to
 * correct are already erased; ENOENT: no such record.
 */
int dp_cdr_correct(struct cdr_store *st, uint64_t seq,
		   const struct dp_record_fix *fix, uint64_t *now_seq);
/* Destroy every key, zero the store, open it anew (formatted) in *stp.
 * The store is closed first; *stp is NULL if reopening fails. */
int dp_cdr_erase(struct cdr_store **stp, const struct cdr_store_params *prm,
		 uint64_t *records);


/* --- Logs and traces (logs.c) -------------------------------------------------- */

struct dp_log_purge {
	int64_t cutoff_s;          /* lines before go; INT64_MIN: none */
	bool drop_traces;          /* SIP trace blocks go, whatever age */
	const struct dp_privacy_state *objections;  /* lines naming them go */
	bool everything;           /* erase: empty both files */
};

struct dp_log_report {
	uint64_t lines_removed, traces_removed, lines_kept;
	uint64_t bytes_removed;
	unsigned files;            /* files that were rewritten or removed */
};

/*
 * deskphone.log.1 and deskphone.log in `dir`.  A line's time is its
 * stamp (ISO 8601 UTC at the start, as `deskphone run` writes), but
 * never earlier than a line before it: a clock that went back does not
 * make later lines look older.  Files are rewritten aside and renamed
 * over; lines the daemon appends to the live log meanwhile are carried
 * over (`deskphone run` reopens its log when it is replaced).
 */
int dp_logs_purge(const char *dir, const struct dp_log_purge *how,
		  struct dp_log_report *rep);
/* Read-only: line counts, bytes and the oldest stamp, per file. */
struct dp_log_info {
	uint64_t bytes, lines, trace_blocks;
	int64_t oldest_s, newest_s;   /* 0: none */
};
int dp_logs_info(const char *dir, struct dp_log_info *info);


/* --- The whole of it (privacy.c, purge.c, export.c, ...) ---------------------- */

/* Where everything is; NULL members are classes the phone does not
 * have here (their purge and export say "none held"). */
struct dp_privacy_paths {
	const char *dir;           /* privacy_dir: state, clock (made 0700) */
	const char *policy_file;
	const char *secret_file;   /* the device secret */
	const char *audit_log;
	const char *store;         /* the call-record store */
	uint64_t store_size;       /* its size, should it be made anew */
	uint32_t epoch_s;          /* its epoch length (0: a day) */
	const char *log_dir;
	const char *config_dir;    /* shipped configuration: never purged */
	const char *contacts_file; /* a cache unless under config_dir */
	const char *recordings_dir;
	const char *push_dir;
	const char *clock_file;    /* test hook: a simulated clock */
	bool create_secret;        /* make the device secret if missing */
};

struct dp_privacy;

/*
 * Load the policy (`layered`: the phone's settings, may be NULL), the
 * device secret, the state and the clock.  The store is opened only
 * when needed, read-only unless through `ops`.
 */
int dp_privacy_alloc(struct dp_privacy **pp,
		     const struct dp_privacy_paths *paths,
		     const struct dp_settings *layered);
/* Replace the policy (the daemon's comes from its config). */
void dp_privacy_set_policy(struct dp_privacy *p, const struct dp_policy *pol);
void dp_privacy_set_store_ops(struct dp_privacy *p,
			      const struct dp_store_ops *ops, void *arg);
/* The direct ops: they open the store writable themselves (EBUSY
 * while the daemon holds it). */
extern const struct dp_store_ops dp_store_direct_ops;

const struct dp_policy *dp_privacy_policy(const struct dp_privacy *p);
const struct dp_privacy_state *dp_privacy_state(const struct dp_privacy *p);
struct dp_audit *dp_privacy_audit(struct dp_privacy *p);
/* Read the state file again (another process may have changed it). */
int dp_privacy_reload(struct dp_privacy *p);
/* A clock sample: the simulated one when paths->clock_file is set. */
int dp_privacy_sample(const struct dp_privacy *p, struct dp_clock_sample *s);
/* The trusted time now (not saved). */
int64_t dp_privacy_now(const struct dp_privacy *p,
		       const struct dp_clock_sample *s);

struct dp_purge_report {
	int64_t trusted_s;
	enum dp_clock_verdict clock;
	bool held;                       /* legal hold: nothing purged */
	int64_t cutoff_s[DP_CLASS_COUNT];
	uint64_t removed[DP_CLASS_COUNT];
	int err[DP_CLASS_COUNT];         /* a class that could not be purged */
	struct cdr_shred_counts store;
	struct dp_log_report logs;
};

/*
 * Advance the trusted clock and erase what is past its retention, class
 * by class: call records dropped and personal fields shredded (store
 * ops), log lines and, while restricted, SIP traces deleted, the
 * contacts cache and any recordings or push registrations past their
 * time removed.  Under legal hold nothing is erased and the audit record
 * says so.  One audit record per purge.
 */
int dp_privacy_purge(struct dp_privacy *p, const struct dp_clock_sample *s,
		     struct dp_purge_report *r);

struct dp_erase_report {
	uint64_t records, log_lines, contacts, files;
};
/* Everything personal destroyed, the phone left working (EPERM under
 * legal hold). */
int dp_privacy_erase(struct dp_privacy *p, const struct dp_clock_sample *s,
		     struct dp_erase_report *r);

int dp_privacy_restrict(struct dp_privacy *p, bool on,
			const struct dp_clock_sample *s);
int dp_privacy_hold(struct dp_privacy *p, bool on, const char *reason,
		    const struct dp_clock_sample *s);
/* EEXIST / ENOENT when already on / not on the list; ENOSPC full. */
int dp_privacy_object(struct dp_privacy *p, bool add, const char *value,
		      const struct dp_clock_sample *s);
/* The LCD's call list starts after the newest record now stored. */
int dp_privacy_history_clear(struct dp_privacy *p,
			     const struct dp_clock_sample *s);
/* *now_seq (may be NULL): where the record is now (a correction that
 * did not fit in place moved it to the end, under a new number). */
int dp_privacy_correct_record(struct dp_privacy *p, uint64_t seq,
			      const struct dp_record_fix *fix,
			      const struct dp_clock_sample *s,
			      uint64_t *now_seq);
/* A contact by its exact name: deleted (new_name and new_uri NULL) or
 * changed. */
int dp_privacy_correct_contact(struct dp_privacy *p, const char *name,
			       const char *new_name, const char *new_uri,
			       const struct dp_clock_sample *s);
/* The logs cleared of objected parties now (after a call with one:
 * its SIP trace lands in the log a moment after the call). */
int dp_privacy_screen_logs(struct dp_privacy *p,
			   const struct dp_clock_sample *s);
/* A refused access (`what`: "cdr_list", "bundle", ...), for the audit. */
int dp_privacy_refused(struct dp_privacy *p, const char *what,
		       const struct dp_clock_sample *s);

/* Everything held about the phone's user, per class, with purpose and
 * retention: one JSON document (docs/privacy.md "Export"). */
int dp_privacy_export(struct dp_privacy *p, const struct dp_clock_sample *s,
		      struct mbuf *out);
/* What is held per class (the call history's count only without
 * `brief`), each class's retention, hold and restriction. */
struct dp_privacy_summary {
	uint64_t held[DP_CLASS_COUNT];
	int64_t oldest_s[DP_CLASS_COUNT];      /* 0: unknown or none */
	unsigned retention_days[DP_CLASS_COUNT];
	bool restricted;
	bool legal_hold;
};
int dp_privacy_summary(struct dp_privacy *p, const struct dp_clock_sample *s,
		       bool brief, struct dp_privacy_summary *sum);
/* The same and the clock, as JSON.
 * `brief` leaves out what takes long (the audit log's check, the
 * history's count), for the LCD. */
int dp_privacy_status(struct dp_privacy *p, const struct dp_clock_sample *s,
		      bool brief, struct mbuf *out);

/*
 * The call history the LCD may show: newest first, at most `max`,
 * within the history retention, after the cleared mark, none while
 * restricted (*refused true).  `h` gets each entry.
 */
struct dp_history_entry {
	uint64_t seq;
	int64_t start_ms;
	uint32_t duration_s;
	enum cdr_direction dir;
	enum cdr_result result;
	char number[CDR_TEXT_MAX];
	char name[CDR_TEXT_MAX];
	bool erased;               /* its personal fields are gone */
};
struct dp_history_view {
	bool restricted;
	int64_t cutoff_ms;         /* entries that started before are not shown */
	uint64_t cleared_seq;
	uint32_t generation;
};
int dp_privacy_history_view(struct dp_privacy *p,
			    const struct dp_clock_sample *s,
			    struct dp_history_view *v);
int dp_history_read(const char *store, const uint8_t secret[DP_KEY_LEN],
		    const struct dp_history_view *v, size_t max,
		    struct dp_history_entry *out, size_t *n);

#endif
