/**
 * @file store_testlib.h  What the store's unit tests share: a device
 *                        secret, stores in the test's directory, walks
 *                        that check every record against the fixture
 */
#ifndef DESKPHONE_STORE_TESTLIB_H
#define DESKPHONE_STORE_TESTLIB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "privacy/crypto/crypto.h"
#include "privacy/store/cdr_store.h"

/* the on-flash layout the tests poke at (docs/cdr-store.md) */
enum { SECTOR = 4096, RING_FIRST = 10, KEY_FIRST = 2, KEY_HALF = 4 };

extern uint8_t secret[DP_KEY_LEN];

/* What a walk saw: serials in order, and whether each was right. */
struct seen {
	uint64_t n, first, last, prev_seq;
	bool ordered, contiguous, intact;
	uint64_t erased;
	struct { uint64_t off; size_t len; uint64_t serial; } loc[4096];
	struct cdr_store *st;
};

/* A path in this test's directory (one static buffer: copy it). */
const char *path_in_tmp(const char *name);
/* A fresh random device secret. */
void init_secret(void);
struct cdr_store *open_store(const char *path, uint64_t size, bool readonly);
void append_serials(struct cdr_store *st, uint64_t from, uint64_t to);
/* Every record, checked against the fixture; info may be NULL. */
void walk(struct cdr_store *st, struct seen *s, struct cdr_store_info *info);
uint8_t *read_all(const char *path, size_t *lenp);
void write_all(const char *path, const uint8_t *buf, size_t len);
void flip_bit(const char *path, uint64_t off, unsigned bit);

#endif
