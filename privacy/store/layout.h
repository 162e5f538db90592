/**
 * @file layout.h  dpstore internals: the on-flash layout and shared state
 *
 * Sectors of 4 KiB.  Sector 0 and 1: the two copies of the control block.
 * Sectors 2..5 and 6..9: the two mirrored halves of the epoch-key area.
 * Sectors 10..: the ring.  Integers are little-endian.  The full format is
 * in docs/cdr-store.md; this file is its reference in code.
 */
#ifndef DESKPHONE_STORE_LAYOUT_H
#define DESKPHONE_STORE_LAYOUT_H

#include <stdbool.h>
#include <stdint.h>
#include "privacy/crypto/crypto.h"
#include "cdr_store.h"

enum {
	SECTOR          = 4096,
	CTRL_SECTORS    = 2,
	KEY_HALF_SECTORS = 4,
	SLOT_SIZE       = 128,
	SLOTS_PER_SECTOR = SECTOR / SLOT_SIZE,
	NSLOTS          = KEY_HALF_SECTORS * SLOTS_PER_SECTOR,   /* 128 */
	KEY_FIRST       = CTRL_SECTORS,
	RING_FIRST      = CTRL_SECTORS + 2 * KEY_HALF_SECTORS,  /* 10 */
	MIN_RING        = 6,
	UNIT            = 16,          /* records start on these boundaries */

	CTRL_LEN        = 128,         /* 96 bytes of fields, 32 of HMAC */
	SECT_HDR        = 32,
	REC_HDR         = 32,
	TAG             = DP_GCM_TAG_LEN,
	REC_MIN         = REC_HDR + 48 + TAG,
	REC_MAX         = SECTOR - SECT_HDR,
	TEXT_STORED_MAX = CDR_TEXT_MAX - 1,
};

#define RESERVE_CTRS   65536ULL       /* nonce counters reserved at a time */
#define MIN_SIZE       ((uint64_t)(RING_FIRST + MIN_RING) * SECTOR)
#define MAX_SIZE       (1ULL << 30)
#define DEFAULT_SIZE   (1ULL << 20)
#define DEFAULT_EPOCH  86400U

/* magic numbers, as the first bytes on flash read */
extern const uint8_t magic_ctrl[8];
extern const uint8_t magic_sector[4];
extern const uint8_t magic_record[4];
extern const uint8_t magic_key_live[4];
extern const uint8_t magic_key_dead[4];

enum slot_state { SLOT_EMPTY = 0, SLOT_LIVE, SLOT_DEAD, SLOT_GARBAGE };

struct slot {
	enum slot_state state;
	int64_t start_s, end_s;     /* the epoch: [start, end) */
	uint64_t kid;               /* records name their key by this */
	uint64_t ctr;               /* the nonce counter it was wrapped with */
	uint8_t key[DP_KEY_LEN];    /* LIVE only */
};

struct ctrl {
	uint64_t generation;
	uint64_t ctr_limit;
	uint64_t seq_floor;
	int64_t  horizon_ms;
	uint8_t  store_id[16];
};

struct ring_sector {
	bool valid;
	uint64_t seq;
	int64_t max_start_ms;
};

struct keycache {
	uint64_t sess;
	uint64_t kid;               /* 0 for record keys */
	bool used;
	uint8_t key[DP_KEY_LEN];
};

enum { KEYCACHE = 4 };

struct cdr_store {
	int fd;                     /* reads and locks */
	int wfd;                    /* a writer's writes: O_DIRECT if it can */
	bool readonly;
	uint64_t nsectors;          /* the whole store */
	uint32_t nring;
	uint32_t epoch_s;
	uint8_t secret[DP_KEY_LEN];
	uint8_t kctrl[DP_KEY_LEN];  /* MACs of control block, headers, tombstones */

	struct ctrl ctrl;
	unsigned ctrl_copies_ok;

	struct slot slots[NSLOTS];
	bool slots_fresh;           /* reloaded during this walk */
	struct ring_sector *ring;   /* nring entries */

	/* the writer's session */
	uint64_t sess;              /* random per open: salts every key */
	uint64_t next_ctr;
	uint64_t next_seq;
	uint64_t max_sector_seq;
	bool head_valid;
	uint32_t head;              /* ring index of the sector being filled */
	uint32_t head_fill;         /* bytes used in it */
	uint8_t *head_buf;          /* its contents (sector-aligned) */
	uint8_t *scratch;           /* one sector-aligned sector */

	struct keycache reckeys[KEYCACHE];
	struct keycache piikeys[KEYCACHE];

	uint64_t last_off;
	size_t last_len;

	void (*write_hook)(uint64_t off, const void *data, size_t len,
			   void *arg);
	void *hook_arg;
};

/* little-endian fields */
static inline void put16(uint8_t *p, uint16_t v)
{ p[0] = (uint8_t)v; p[1] = (uint8_t)(v >> 8); }
static inline void put32(uint8_t *p, uint32_t v)
{ for (int i = 0; i < 4; i++) p[i] = (uint8_t)(v >> (8 * i)); }
static inline void put64(uint8_t *p, uint64_t v)
{ for (int i = 0; i < 8; i++) p[i] = (uint8_t)(v >> (8 * i)); }
static inline uint16_t get16(const uint8_t *p)
{ return (uint16_t)(p[0] | p[1] << 8); }
static inline uint32_t get32(const uint8_t *p)
{ uint32_t v = 0; for (int i = 3; i >= 0; i--) v = v << 8 | p[i];
  return v; }
static inline uint64_t get64(const uint8_t *p)
{ uint64_t v = 0; for (int i = 7; i >= 0; i--) v = v << 8 | p[i];
  return v; }

static inline uint64_t sector_off(uint64_t sector)
{ return sector * SECTOR; }
static inline uint64_t ring_off(const struct cdr_store *st, uint32_t idx)
{ (void)st; return sector_off(RING_FIRST + (uint64_t)idx); }

bool all_zero(const uint8_t *p, size_t len);

/* io.c */
int  io_pread(struct cdr_store *st, void *buf, size_t len, uint64_t off);
/* Whole sectors only, from a sector-aligned buffer. */
int  io_write(struct cdr_store *st, const void *buf, size_t len,
	      uint64_t off);
/* A few bytes inside one sector: the sector is read, patched, written. */
int  io_patch(struct cdr_store *st, const void *data, size_t len,
	      uint64_t off);
void *io_alloc(size_t len);
int  io_sync(struct cdr_store *st);
int  io_lock_writer(struct cdr_store *st);
/* The short lock that keeps readers from seeing a write half done. */
void io_lock_data(struct cdr_store *st, bool exclusive);
void io_unlock_data(struct cdr_store *st);

/* keys.c */
int  keys_record(struct cdr_store *st, uint64_t sess,
		 uint8_t key[DP_KEY_LEN]);
int  keys_wrap(struct cdr_store *st, uint64_t sess,
	       uint8_t key[DP_KEY_LEN]);
int  keys_personal(struct cdr_store *st, const struct slot *slot,
		   uint64_t sess, uint8_t key[DP_KEY_LEN]);
void keys_nonce(uint64_t ctr, uint8_t nonce[DP_GCM_NONCE_LEN]);
int  keys_mac(const struct cdr_store *st, const void *data, size_t len,
	      uint8_t *tag, size_t taglen);
bool keys_mac_ok(const struct cdr_store *st, const void *data, size_t len,
		 const uint8_t *tag, size_t taglen);
void keys_forget(struct cdr_store *st);
/* A fresh counter for one seal; reserves more on flash when needed. */
int  keys_next_ctr(struct cdr_store *st, uint64_t *ctr);

/* ctrl.c */
int  ctrl_load(struct cdr_store *st, bool *found);
int  ctrl_write(struct cdr_store *st);

/* epoch.c */
int  epoch_load(struct cdr_store *st, bool repair);
int  epoch_key_for(struct cdr_store *st, int64_t t_s, struct slot **slotp);
const struct slot *epoch_find(const struct cdr_store *st, uint64_t kid);
int  epoch_destroy_before(struct cdr_store *st, int64_t t_s,
			  unsigned *n);
uint64_t epoch_max_ctr(const struct cdr_store *st);

/* record.c */
enum { REC_FLAG_VOID = 1 };

/* What a record says about itself besides its fields. */
struct record_meta {
	uint64_t kid;           /* its epoch key */
	bool has_personal;      /* a sealed personal part is on flash */
	bool is_void;           /* a void marker: nothing but its seq */
};

enum reseal {
	RESEAL_FULL,            /* every field, personal part included */
	RESEAL_STRIPPED,        /* without the personal part */
	RESEAL_VOID,            /* the void marker: only the seq */
};

size_t record_len(const struct cdr_record *rec);
int  record_seal(struct cdr_store *st, const struct cdr_record *rec,
		 uint32_t ring_idx, uint64_t sector_seq, uint8_t *out,
		 size_t *lenp);
/* A record sealed again in place, with a fresh counter; `kid` names
 * the (gone) epoch key a stripped record keeps. */
int  record_reseal(struct cdr_store *st, const struct cdr_record *rec,
		   enum reseal how, uint64_t kid, uint32_t ring_idx,
		   uint64_t sector_seq, uint8_t *out, size_t *lenp);
/* 0, EBADMSG (does not verify), EINVAL (not a record header here);
 * `meta` may be NULL */
int  record_open(struct cdr_store *st, const uint8_t *buf, size_t avail,
		 uint32_t ring_idx, uint64_t sector_seq,
		 struct cdr_record *rec, size_t *lenp, uint64_t *ctrp,
		 bool want_personal, struct record_meta *meta);
void sector_header(const struct cdr_store *st, uint32_t ring_idx,
		   uint64_t seq, uint8_t out[SECT_HDR]);
bool sector_header_ok(const struct cdr_store *st, uint32_t ring_idx,
		      const uint8_t *buf, uint64_t *seqp);

/* scan.c */
struct scan_result {
	struct cdr_store_info info;
	uint64_t max_seq, max_ctr;
	bool head_valid;
	uint32_t head, head_fill;     /* end of the last valid record */
	bool head_dirty;              /* non-zero bytes after head_fill */
};
int  scan(struct cdr_store *st, cdr_record_h *h, void *arg,
	  struct scan_result *res);

#endif
