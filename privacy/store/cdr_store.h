/**
 * @file cdr_store.h  The encrypted call-record ring (dpstore)
 *
 * A fixed-size file or raw partition holding call detail records, each
 * sealed with AES-256-GCM under keys derived from the device secret.
 * Appends are durable when cdr_store_append() returns 0 (the record and
 * anything it needed are written and synced); a power cut at any moment
 * loses at most the record being appended.  When the ring is full the
 * oldest sector of records is dropped; sectors are written in turn, so
 * wear is even.  docs/cdr-store.md describes the on-flash format, the
 * nonce rule, recovery and the threat model.
 *
 * Personal fields (local account, remote URI, display name) are sealed a
 * second time under a key of their own per time epoch (a day by default);
 * destroying an epoch key erases those fields for good while the rest of
 * the record stays readable.
 *
 * One writer at a time (the daemon); any number of read-only openers (the
 * command line), which never see a half-written record.  Nothing here
 * logs; no key or plaintext leaves through this interface except the
 * records handed to the caller.  Functions return 0 or an errno value.
 */
#ifndef DESKPHONE_CDR_STORE_H
#define DESKPHONE_CDR_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum cdr_direction {
	CDR_DIR_INCOMING = 1,
	CDR_DIR_OUTGOING = 2,
};

enum cdr_result {
	CDR_ANSWERED = 1,
	CDR_MISSED,       /* incoming, the caller gave up or it timed out */
	CDR_REJECTED,     /* declined: locally (incoming) or 603 (outgoing) */
	CDR_BUSY,         /* outgoing, 486 or 600 */
	CDR_FAILED,       /* outgoing error response, timeout, no transport */
	CDR_CANCELLED,    /* outgoing, hung up by us before an answer */
};

enum {
	CDR_TEXT_MAX  = 256,   /* personal text fields, with the NUL */
	CDR_CODEC_MAX = 32,
};

struct cdr_record {
	uint64_t seq;            /* set by cdr_store_append(), then ordered */
	int64_t  start_ms;       /* Unix time in ms: call seen first */
	int64_t  answer_ms;      /* 0: never answered */
	int64_t  end_ms;
	uint32_t duration_s;     /* talk time */
	enum cdr_direction dir;
	enum cdr_result result;
	uint16_t sip_status;     /* final SIP status, 0 if none was seen */
	char codec[CDR_CODEC_MAX];

	/* personal fields: NUL-terminated, fill with cdr_text_set(); a
	 * record appended with all three empty has none on flash and reads
	 * back as personal_erased */
	bool personal_erased;    /* its epoch key is gone: the three are "" */
	char local_uri[CDR_TEXT_MAX];
	char remote_uri[CDR_TEXT_MAX];
	char remote_name[CDR_TEXT_MAX];
};

struct cdr_store;

struct cdr_store_params {
	const char *path;        /* a file (made if missing) or a partition */
	uint64_t size;           /* bytes, for a new file; 0: 1 MiB */
	const uint8_t *secret;   /* the device secret, DP_KEY_LEN bytes */
	bool readonly;
	uint32_t epoch_s;        /* epoch length for new keys; 0: 86400 */

	/* Test hook: told of every write just before it is issued, and
	 * (data NULL, len 0) of every sync that made the writes durable. */
	void (*write_hook)(uint64_t off, const void *data, size_t len,
			   void *arg);
	void *hook_arg;
};

struct cdr_store_info {
	uint64_t size;             /* bytes in use by the store */
	uint32_t ring_sectors;     /* 4 KiB sectors holding records */
	uint32_t sectors_used;     /* ... of which hold a valid header */
	uint64_t sector_writes;    /* sectors started since the store began */
	uint32_t wear_spread;      /* max - min starts of any two sectors */

	uint64_t records;          /* valid, returned by cdr_store_foreach */
	uint64_t dropped;          /* valid but older than the drop horizon */
	uint64_t voided;           /* overwritten in place (void markers) */
	uint64_t skipped;          /* damaged spans: torn or corrupt, never
				      returned */
	uint64_t damaged_bytes;
	uint32_t damaged_sectors;  /* sector headers that do not verify */
	uint64_t seq_gaps;         /* sequence numbers missing in between */
	uint64_t first_seq, last_seq;
	int64_t  oldest_ms, newest_ms;
	uint64_t personal_erased;  /* records whose epoch key is gone */

	uint32_t epoch_slots;
	uint32_t epoch_keys_live, epoch_keys_destroyed;
	uint32_t ctrl_copies_ok;   /* 0, 1 or 2 */
	int64_t  horizon_ms;       /* records that started before are dropped */
	uint64_t nonce_reserved;   /* counter high-water mark on flash */
};

/*
 * Open (and, when writable, create or recover) a store.  A writer takes
 * an exclusive lock (EBUSY if another writer holds the store), reserves
 * nonce counters and cleans the tail of a torn append.  A file that holds
 * data but no store of this device is refused (EBADMSG), never
 * overwritten.  A read-only open of a missing store is ENOENT.
 */
int  cdr_store_open(struct cdr_store **stp,
		    const struct cdr_store_params *prm);
void cdr_store_close(struct cdr_store *st);

/* Seal and append one record; on success rec->seq is set. */
int  cdr_store_append(struct cdr_store *st, struct cdr_record *rec);

/*
 * Every valid record in order, oldest first.  A non-zero return from the
 * handler stops the walk and is returned.  `info` (may be NULL) gets the
 * counts of the walk.
 */
typedef int (cdr_record_h)(const struct cdr_record *rec, void *arg);
int  cdr_store_foreach(struct cdr_store *st, cdr_record_h *h, void *arg,
		       struct cdr_store_info *info);
int  cdr_store_info(struct cdr_store *st, struct cdr_store_info *info);
/* Record `seq` into `rec` (may be NULL); ENOENT: no such record.  The
 * walk stops there (cdr_store_last_location gives its place). */
int  cdr_store_find(struct cdr_store *st, uint64_t seq,
		    struct cdr_record *rec);

/*
 * Erase personal fields: destroy (overwrite and sync) every epoch key
 * whose epoch ended at or before `t_s` (Unix seconds).  *ndestroyed may
 * be NULL.  Writers only.
 */
int  cdr_store_destroy_epoch_keys_before(struct cdr_store *st, int64_t t_s,
					 unsigned *ndestroyed);

/*
 * Drop every record that started before `t_ms`: they are no longer
 * returned, their epoch keys are destroyed, and sectors holding only such
 * records are zeroed.  Writers only.
 */
int  cdr_store_drop_before(struct cdr_store *st, int64_t t_ms);

/*
 * Forget for good (privacy/store/shred.c).  cdr_store_shred() drops the
 * records that started before `drop_before_ms` (as cdr_store_drop_before)
 * and destroys the epoch keys that ended by `personal_before_s`; then it
 * overwrites in place every copy still on flash: a dropped record that
 * shares a sector with newer ones becomes a void marker (its sequence
 * number only), and a record whose epoch key is gone loses its sealed
 * personal part (it is resealed without one).  After it, no key material
 * kept from before can open what was forgotten: the bytes are gone.
 * One record per synced sector write; a power cut costs at most the
 * record being overwritten.  Writers only.
 */
struct cdr_shred_counts {
	unsigned keys_destroyed;
	uint64_t records_dropped;    /* no longer returned, however gone */
	uint32_t sectors_zeroed;     /* held only dropped records */
	uint64_t records_voided;     /* dropped, overwritten in place */
	uint64_t personal_stripped;  /* personal part overwritten */
};
int  cdr_store_shred(struct cdr_store *st, int64_t personal_before_s,
		     int64_t drop_before_ms, struct cdr_shred_counts *c);

/*
 * Overwrite record `seq` in place: with `rec` (its seq is ignored)
 * resealed, or, when `rec` is NULL, with a void marker that readers skip
 * (counted in info.voided, not as a gap).  A record whose personal
 * fields are all empty is stored without a personal part.  EFBIG: `rec`
 * needs more room than the old record had; ENOENT: no such record (or
 * already dropped).  Writers only.
 */
int  cdr_store_rewrite(struct cdr_store *st, uint64_t seq,
		       const struct cdr_record *rec);

/*
 * Zero a whole store (a closed one: EBUSY while a writer holds it) and
 * sync; the next writable open formats it afresh.
 */
int  cdr_store_wipe(const char *path);

/* Copy text into a record field, cut at a UTF-8 boundary if too long. */
void cdr_text_set(char *dst, size_t size, const char *src);

const char *cdr_result_name(enum cdr_result r);
const char *cdr_direction_name(enum cdr_direction d);

/* Where a record lies in the file (for tests and `verify`): the record
 * most recently returned by cdr_store_foreach. */
void cdr_store_last_location(const struct cdr_store *st, uint64_t *off,
			     size_t *len);

#endif
