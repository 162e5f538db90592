/**
 * @file priv.h  dppolicy internals shared by its files
 */
#ifndef DESKPHONE_POLICY_PRIV_H
#define DESKPHONE_POLICY_PRIV_H

#include "privacy.h"

struct dp_privacy {
	struct dp_policy policy;
	struct dp_privacy_state state;
	int state_err;             /* the state file did not open */
	struct dp_clock clock;

	char *dir;
	char *state_path;
	char *clock_path;
	char *store;
	uint64_t store_size;
	uint32_t epoch_s;
	char *log_dir;
	char *contacts_file;       /* NULL when it is shipped, not a cache */
	char *shipped_contacts;    /* the shipped directory, when it is */
	char *recordings_dir;
	char *push_dir;
	char *clock_file;

	uint8_t secret[DP_KEY_LEN];
	struct dp_audit *audit;

	const struct dp_store_ops *ops;
	void *ops_arg;
};

/* One audit record; failures are returned but never stop the request. */
int  priv_audit(struct dp_privacy *p, const struct dp_clock_sample *s,
		const char *event, const char *fmt, ...);
/* "2026-11-30T08:11:25Z" */
const char *priv_iso(int64_t t_s, char *buf, size_t sz);
/* Save the state, bumping its generation. */
int  priv_state_save(struct dp_privacy *p);
/* Files in `dir` (not below) last changed before `cutoff_s` (all with
 * INT64_MAX) removed; *n counts them.  A missing dir holds none. */
int  priv_purge_dir(const char *dir, int64_t cutoff_s, uint64_t *n);
/* Files in `dir` now. */
uint64_t priv_count_dir(const char *dir);
/* How much to read of a log open at `fd` (its size and some room). */
size_t priv_log_read_max(int fd);
/* May this process remove the file (its directory is writable)? */
bool priv_removable(const char *path);

#endif
