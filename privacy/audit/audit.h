/**
 * @file audit.h  The privacy audit log: an append-only, hash-chained,
 *                authenticated file of JSON lines saying what was done
 *                with personal data
 *
 * A record says what happened, when and how much, never the data:
 *
 *   {"seq":3,"time":"2026-11-30T08:11:25Z","event":"purge",
 *    "call_records":12,...,"prev":"<hash of record 2>","hash":"<its own>",
 *    "mac":"<HMAC>"}
 *
 * "hash" is the SHA-256 (hex) of the line up to, not including, the
 * `,"hash":` that precedes it; "prev" is the previous record's hash (64
 * zeros for the first); "mac" is HMAC-SHA256 over the hash, keyed with
 * dp_derive_key(device secret, "audit-log-v1"), so records cannot be
 * made or remade without the device secret.  Beside the log, PATH.anchor
 * holds the last record's seq and hash, with a MAC of its own, replaced
 * atomically after each append: cutting records off the end leaves the
 * anchor ahead of the log.
 *
 * Detected: an edited, removed, reordered or inserted record; a record
 * made without the device secret; records cut off the end; a missing or
 * forged anchor.  Not detected: the log and its anchor both put back to
 * an older copy of themselves (a rollback), or anything done by someone
 * who has the device secret.  A record cut short by a power cut stops
 * further appends (EBADMSG) rather than being chained to.
 */
#ifndef DESKPHONE_AUDIT_H
#define DESKPHONE_AUDIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum { DP_AUDIT_HASH_HEX = 64 };

struct dp_audit;

/*
 * The log at `path` (created 0600 on the first append), keyed from the
 * device secret (DP_KEY_LEN bytes).  Nothing is read or written yet.
 */
int dp_audit_open(struct dp_audit **ap, const char *path,
		  const uint8_t *secret);

/*
 * Append one record under an exclusive lock, synced, then the anchor.
 * `when_s` is the time it says (Unix seconds); `event` a word of
 * [a-z0-9_]; `fields` a JSON object's members without braces (e.g.
 * "\"files\":9,\"sealed\":true"), or NULL.  EBADMSG: the log's last
 * record is damaged or the log is shorter than its anchor says; nothing
 * is written.
 */
int dp_audit_append(struct dp_audit *a, int64_t when_s, const char *event,
		    const char *fields);

struct dp_audit_report {
	unsigned records;      /* records that verified */
	unsigned bad;          /* the first bad record (1-based), or 0 */
	unsigned anchor_seq;   /* the anchor's count, 0 without one */
	unsigned anchor_lag;   /* records past the anchor (a power cut
				  between the two writes leaves one) */
	char why[200];         /* what is wrong, when something is */
};

/*
 * Check every record, its hash, its place in the chain and its MAC, and
 * the anchor.  0: all verified; EBADMSG: something is wrong (`why`);
 * ENOENT: no log and no anchor.
 */
int dp_audit_verify(struct dp_audit *a, struct dp_audit_report *rep);

const char *dp_audit_path(const struct dp_audit *a);

#endif
