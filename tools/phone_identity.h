/**
 * @file phone_identity.h  What identifies this phone, for the redactor
 *
 * The redactor must replace the phone's own numbers, SIP users, display
 * names, registrar, addresses, MAC and host name wherever they occur, and
 * its passwords and device secret even where no rule would see them.
 * They are collected from the same layered settings `deskphone run`
 * uses, the accounts file, the provisioned accounts (their passwords
 * unsealed in memory with the device secret), the network interfaces
 * (/sys/class/net and getifaddrs) and the host name.
 */
#ifndef DESKPHONE_PHONE_IDENTITY_H
#define DESKPHONE_PHONE_IDENTITY_H

#include <stdint.h>
#include <re.h>
#include "privacy/redact/redact.h"

struct cli_settings_opts;
struct dp_settings;

struct dp_phone_id {
	struct le le;
	enum dp_identity kind;
	char *value;
};

/*
 * Collect into `ids` (a list of struct dp_phone_id).  `s` are the loaded
 * settings; `opts` says which files were layered (their keys are the
 * ones looked at).  A missing accounts file is not an error; one that
 * cannot be read is EACCES (said on stderr), with everything else
 * collected; so is a provisioning store that cannot be read or
 * unsealed.
 */
int  dp_phone_ids_collect(struct list *ids,
			  const struct cli_settings_opts *opts,
			  const struct dp_settings *s);
/* Give every collected identity to the redactor (short ones skipped). */
int  dp_phone_ids_seed(const struct list *ids, struct dp_redactor *r);

/* Load the settings, collect and seed; errors printed to stderr. */
int  dp_phone_identity_seed(struct dp_redactor *r,
			    const struct cli_settings_opts *opts,
			    struct dp_settings **sp, struct list *ids);

/* VALUE's kind guessed (address, MAC, number, user@host, URI, name). */
int  dp_identity_add_guess(struct dp_redactor *r, const char *value);

/* A pseudonym key: SHA-256 of a file of at least 16 bytes. */
int  dp_key_file_read(const char *path, uint8_t key[32]);

#endif
