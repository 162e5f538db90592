/**
 * @file privacy_cli.h  The privacy context from the phone's settings,
 *                      shared by `deskphone privacy`, `cdr` and `bundle`
 */
#ifndef DESKPHONE_PRIVACY_CLI_H
#define DESKPHONE_PRIVACY_CLI_H

#include <stdbool.h>

struct dp_settings;
struct dp_privacy;

/*
 * Everything dp_privacy_alloc() needs, from the layered settings:
 * privacy_dir, privacy_policy_file, device_secret_file, audit_log (not
 * set: ${state_dir}/audit.jsonl), cdr_store_path, cdr_store_size,
 * cdr_epoch_s, log_dir, config_dir, contacts_file, recordings_dir, push_dir and the
 * test hook privacy_test_clock.  The device secret is made when missing
 * only with `create_secret`.  Errors go to stderr, prefixed with `who`.
 */
int cli_privacy_open(const struct dp_settings *s, const char *who,
		     bool create_secret, struct dp_privacy **pp);

/*
 * Refuse what a restriction forbids: true (after printing why and
 * writing the refusal to the audit log) while processing is restricted
 * or the privacy state cannot be read.  `what` names the access for the
 * audit ("cdr_list", "bundle_create").  False when the privacy context
 * cannot be made at all (nothing was ever restricted then).
 */
bool cli_privacy_refuse(const struct dp_settings *s, const char *who,
			const char *what);

#endif
