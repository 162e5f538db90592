/**
 * @file cmd_redact.c  `deskphone redact`: a log or SIP trace on stdin,
 *                     redacted on stdout
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <re.h>
#include "privacy/redact/redact.h"
#include "cli.h"
#include "phone_identity.h"

extern const struct dp_command dp_command_redact;


static int redact_main(int argc, char **argv)
{
	struct cli_settings_opts opts;
	struct dp_redactor *r = NULL;
	const char *key_file = NULL;
	const char *ids[64];
	size_t nids = 0;
	uint8_t key[32];
	bool phone = true, have_config;
	int err, rc = DP_EXIT_OK;

	memset(&opts, 0, sizeof(opts));

	for (int i = 1; i < argc; i++) {
		if (cli_settings_option(&opts, argc, argv, &i))
			continue;
		if (0 == strcmp(argv[i], "--key-file") && i + 1 < argc)
			key_file = argv[++i];
		else if (0 == strcmp(argv[i], "--identity") && i + 1 < argc &&
			 nids < sizeof(ids) / sizeof(ids[0]))
			ids[nids++] = argv[++i];
		else if (0 == strcmp(argv[i], "--no-phone"))
			phone = false;
		else
			return cli_usage(&dp_command_redact);
	}

	if (key_file && dp_key_file_read(key_file, key))
		return DP_EXIT_USAGE;

	err = dp_redactor_alloc(&r, key_file ? key : NULL,
				key_file ? sizeof(key) : 0, 0);
	memset(key, 0, sizeof(key));
	if (err) {
		fprintf(stderr, "deskphone redact: %s\n", strerror(err));
		return DP_EXIT_FAIL;
	}

	/* The phone's own identities, when this runs on a phone. */
	have_config = opts.config_dir || getenv("DESKPHONE_CONFIG") ||
		0 == access("/etc/deskphone/deskphone.conf", R_OK);
	if (phone && have_config) {
		err = dp_phone_identity_seed(r, &opts, NULL, NULL);
		if (err) {
			rc = DP_EXIT_USAGE;
			goto out;
		}
	}

	for (size_t i = 0; i < nids; i++) {
		err = dp_identity_add_guess(r, ids[i]);
		if (err) {
			fprintf(stderr, "deskphone redact: identity '%s' is too"
				" short or malformed\n", ids[i]);
			rc = DP_EXIT_USAGE;
			goto out;
		}
	}

	err = dp_redact_fd(r, STDIN_FILENO, STDOUT_FILENO);
	if (err) {
		fprintf(stderr, "deskphone redact: %s\n", strerror(err));
		rc = DP_EXIT_FAIL;
	}

 out:
	mem_deref(r);

	return rc;
}


const struct dp_command dp_command_redact = {
	.name    = "redact",
	.summary = "redact a log or SIP trace (stdin to stdout)",
	.usage   =
	"deskphone redact [--key-file FILE] [--identity VALUE]...\n"
	"                 [--config DIR] [--local FILE]... [--set K=V]...\n"
	"                 [--no-phone] < input > output\n"
	"\n"
	"Replaces phone numbers, SIP users, names, addresses, Call-IDs,\n"
	"tags and nonces with keyed pseudonyms (<user-3f9a1c2e>), and\n"
	"passwords and keys with <secret>; SIP structure stays.  Streams:\n"
	"any input size in constant memory.\n"
	"\n"
	"  --key-file FILE   pseudonym key (at least 16 bytes; its SHA-256\n"
	"                    is used); the same key gives the same tokens.\n"
	"                    Default: a fresh random key, never stored.\n"
	"  --identity VALUE  also replace VALUE wherever it occurs\n"
	"                    (repeatable; at least 3 characters)\n"
	"  --no-phone        do not read this phone's identities from its\n"
	"                    configuration (read when a configuration is\n"
	"                    found: --config, $DESKPHONE_CONFIG or\n"
	"                    /etc/deskphone)\n"
	"\n"
	"docs/redaction.md lists what is and is not redacted.\n",
	.main    = redact_main,
};
