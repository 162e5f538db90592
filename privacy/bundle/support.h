/**
 * @file support.h  Whom a debug bundle is sealed to: the one reader of the
 *                  `support_public_key` setting
 *
 * `support_public_key` names the support team's public key (provisioning
 * writes it from site.json; docs/provisioning.md).  Whenever it is set,
 * every bundle is sealed to it, whichever path asked for the bundle (the
 * keypad's menu, the command line, anything later): the decision is made
 * here, inside bundle creation, so that no caller has to pass the key and
 * none can forget it.  A plain bundle on a phone with a support key is an
 * explicit choice of the caller, which it must say and audit.
 */
#ifndef DESKPHONE_BUNDLE_SUPPORT_H
#define DESKPHONE_BUNDLE_SUPPORT_H

#include <stdbool.h>
#include <stddef.h>

struct dp_settings;

#define DP_SUPPORT_KEY_SETTING "support_public_key"

struct dp_bundle_target {
	char key[4096];      /* the public key file to seal to; "" plain */
	bool support_key;    /* a support key is configured */
	bool plain_chosen;   /* plain, by choice, although one is */
};

/*
 * Decide for settings `s`.  `to_key`: a key file asked for explicitly
 * (NULL: none); `plain`: a plain bundle asked for explicitly.
 *
 *   to_key            sealed to it
 *   plain             plain (plain_chosen when a support key is set)
 *   neither           sealed to the support key if one is set, else plain
 *
 * EINVAL: both asked for.  A key to seal to that cannot be read: its
 * errno.  Never falls back to plain; `why` says what is wrong.
 */
int dp_bundle_target(const struct dp_settings *s, const char *to_key,
		     bool plain, struct dp_bundle_target *t,
		     char *why, size_t whysz);

#endif
