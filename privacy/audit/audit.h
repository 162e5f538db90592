/**
 * @file audit.h  The privacy audit log: an append-only, hash-chained file
 *                of JSON lines saying what was done with personal data
 *
 * A record says what happened, when and how much, never the data:
 *
 *   {"seq":3,"time":"2026-11-30T08:11:25Z","event":"bundle_create",
 *    "files":9,...,"prev":"<hash of record 2>","hash":"<its own>"}
 *
 * "hash" is the SHA-256 (hex) of the line up to, not including, the
 * `,"hash":` that precedes it; "prev" is the previous record's hash (64
 * zeros for the first).  Editing, reordering or deleting a record breaks
 * the chain; cutting records off the end is only seen against a copy of
 * the last hash kept elsewhere.
 *
 * This is the minimal log the debug bundles need; the privacy module
 * (issue 7) owns the log's policy and may replace this with its own
 * format, keeping dp_audit_append()'s meaning.
 */
#ifndef DESKPHONE_AUDIT_H
#define DESKPHONE_AUDIT_H

#include <stddef.h>

enum { DP_AUDIT_HASH_HEX = 64 };

/*
 * Append one record under an exclusive lock, synced before returning.
 * `fields` is a JSON object's members without braces (e.g.
 * "\"files\":9,\"encrypted\":true"), or NULL; `event` is a word.  The
 * file is created 0600.  EBADMSG: the existing log's last record is
 * damaged, so the chain cannot be continued (nothing is written).
 */
int dp_audit_append(const char *path, const char *event, const char *fields);

/*
 * Check the whole chain.  Returns 0 with the number of records in
 * *count, or EBADMSG with the 1-based number of the first bad record in
 * *bad (ENOENT: no log).
 */
int dp_audit_verify(const char *path, unsigned *count, unsigned *bad);

#endif
