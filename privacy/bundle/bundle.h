/**
 * @file bundle.h  Debug bundles: what a bundle is and how one is checked
 *
 * A bundle is one ustar archive (tar.h), optionally sealed to a support
 * key (seal.h).  Its last member is manifest.json:
 *
 *   {"format":"deskphone-bundle","version":1,"created":"<UTC>",
 *    "producer":"deskphone <version> (<git rev>)", "redaction":{...},
 *    "files":[{"name":"log/deskphone.log","size":123,"sha256":"<hex>"},
 *             ...]}
 *
 * Every other member is listed with its size and SHA-256, and nothing
 * else is in the archive.  docs/redaction.md lists the members.
 */
#ifndef DESKPHONE_BUNDLE_H
#define DESKPHONE_BUNDLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "tar.h"

struct mbuf;

enum { DP_BUNDLE_MAX_FILES = 64, DP_BUNDLE_MANIFEST_MAX = 1 << 20 };

struct dp_bundle_file {
	char name[DP_TAR_NAME + 1];
	uint64_t size;
	uint8_t sha256[32];
};

/*
 * The manifest for `files`.  `redaction` holds the members of the
 * "redaction" object (counts, never values), e.g. "\"tokens\":12".
 */
int dp_bundle_manifest(const struct dp_bundle_file *files, size_t n,
		       const char *created, const char *producer,
		       const char *redaction, struct mbuf *out);

struct dp_bundle_report {
	size_t files;            /* members checked, the manifest aside */
	uint64_t bytes;          /* their total size */
	bool sealed;
	char why[256];           /* what is wrong, when something is */
};

/*
 * Read the bundle at `path`: unseal it with the private key at
 * `key_path` when it is sealed, check every member against the
 * manifest, and write the members under `dir` (created; it must not
 * exist) unless `dir` is NULL.
 * 0: all verified.  EACCES: sealed and no key, the wrong key, or altered.
 * EBADMSG: not a bundle, or a member does not match the manifest.
 */
int dp_bundle_read(const char *path, const char *key_path, const char *dir,
		   struct dp_bundle_report *rep);

/*
 * CDR statistics without personal fields (counts per direction and
 * result, talk time in buckets, ages in whole days, store use), read
 * from the store `s` (the phone's settings) names; a line saying why
 * when there is none or it cannot be read.  Links dpstore and dpcrypto.
 */
struct dp_settings;
int dp_bundle_cdr_stats(const struct dp_settings *s, struct mbuf *out);

#endif
