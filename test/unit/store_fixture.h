/**
 * @file store_fixture.h  Known call records for the store's tests and
 *                        tools: record N is always the same, so a reader
 *                        can tell a right record from a wrong one
 */
#ifndef DESKPHONE_STORE_FIXTURE_H
#define DESKPHONE_STORE_FIXTURE_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include "privacy/store/cdr_store.h"

#define FIXTURE_T0_MS   1700000000000LL
#define FIXTURE_STEP_MS (20LL * 60 * 1000)  /* 72 calls a day */

/* Record number `serial` (from 1); its serial is in remote_uri. */
void fixture_record(uint64_t serial, struct cdr_record *rec);
/* The serial a fixture record carries, 0 if it carries none. */
uint64_t fixture_serial(const struct cdr_record *rec);
/* Equal in every field but seq. */
bool fixture_equal(const struct cdr_record *a, const struct cdr_record *b);
/* One line with every field, for comparing dumps. */
void fixture_print(FILE *f, const struct cdr_record *rec);

#endif
