/**
 * @file cmd_bundle.c  `deskphone bundle create|open|verify|keygen`
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "privacy/bundle/bundle.h"
#include "privacy/bundle/seal.h"
#include "cli.h"
#include "bundle_cli.h"

extern const struct dp_command dp_command_bundle;


int dp_bundle_usage(void)
{
	return cli_usage(&dp_command_bundle);
}


/* open FILE [--key K] [--out DIR]; verify FILE [--key K] */
static int read_main(int argc, char **argv, bool extract)
{
	const char *file = NULL, *key = NULL, *dir = NULL;
	struct dp_bundle_report rep;
	char defdir[4096];
	int err;

	for (int i = 1; i < argc; i++) {
		if (0 == strcmp(argv[i], "--key") && i + 1 < argc)
			key = argv[++i];
		else if (extract && 0 == strcmp(argv[i], "--out") &&
			 i + 1 < argc)
			dir = argv[++i];
		else if (argv[i][0] != '-' && !file)
			file = argv[i];
		else
			return dp_bundle_usage();
	}
	if (!file)
		return cli_missing(&dp_command_bundle, extract ?
				   "open BUNDLE" : "verify BUNDLE");

	if (extract && !dir) {
		const char *dot = strstr(file, ".tar");

		snprintf(defdir, sizeof(defdir), "%.*s.d",
			 (int)(dot ? (size_t)(dot - file) : strlen(file)), file);
		dir = defdir;
	}

	err = dp_bundle_read(file, key, extract ? dir : NULL, &rep);
	if (err) {
		fprintf(stderr, "deskphone bundle: %s\n", rep.why[0] ? rep.why :
			strerror(err));
		if (extract && rep.files)
			fprintf(stderr, "deskphone bundle: what was read is in"
				" %s; do not trust it\n", dir);
		return err == EINVAL ? DP_EXIT_USAGE : DP_EXIT_FAIL;
	}

	printf("bundle OK: %zu files, %llu bytes, manifest verified%s\n",
	       rep.files, (unsigned long long)rep.bytes,
	       rep.sealed ? ", unsealed" : "");
	if (extract)
		printf("extracted into %s\n", dir);

	return DP_EXIT_OK;
}


static int keygen_main(int argc, char **argv)
{
	const char *prefix = NULL;
	int err;

	for (int i = 1; i < argc; i++) {
		if (0 == strcmp(argv[i], "--out") && i + 1 < argc)
			prefix = argv[++i];
		else
			return dp_bundle_usage();
	}
	if (!prefix)
		return cli_missing(&dp_command_bundle, "keygen --out PREFIX");

	err = dp_seal_keygen(prefix);
	if (err) {
		fprintf(stderr, "deskphone bundle keygen: %s: %s\n", prefix,
			err == EEXIST ? "key files exist already" :
			strerror(err));
		return DP_EXIT_FAIL;
	}
	printf("%s.key (private: keep it with support)\n%s.pub (public: give"
	       " it to the phones)\n", prefix, prefix);

	return DP_EXIT_OK;
}


static int bundle_main(int argc, char **argv)
{
	if (argc < 2)
		return cli_missing(&dp_command_bundle, "a SUBCOMMAND");

	if (0 == strcmp(argv[1], "create"))
		return dp_bundle_create_main(argc - 1, argv + 1);
	if (0 == strcmp(argv[1], "open"))
		return read_main(argc - 1, argv + 1, true);
	if (0 == strcmp(argv[1], "verify"))
		return read_main(argc - 1, argv + 1, false);
	if (0 == strcmp(argv[1], "keygen"))
		return keygen_main(argc - 1, argv + 1);

	return dp_bundle_usage();
}


const struct dp_command dp_command_bundle = {
	.name    = "bundle",
	.summary = "make, open and verify redacted debug bundles",
	.usage   =
	"deskphone bundle create [--out DIR] [--to-key SUPPORT.pub | --plain]\n"
	"                        [--key-file FILE] [--config DIR]\n"
	"                        [--local FILE]... [--set K=V]...\n"
	"       deskphone bundle open FILE [--key SUPPORT.key] [--out DIR]\n"
	"       deskphone bundle verify FILE [--key SUPPORT.key]\n"
	"       deskphone bundle keygen --out PREFIX\n"
	"\n"
	"create  (on the phone) one archive with the daemon's log and SIP\n"
	"        trace redacted, the configuration without its secrets (and\n"
	"        a list of what was removed), CDR statistics, versions,\n"
	"        registration and audio state, and a manifest with a SHA-256\n"
	"        per file.  It is sealed to the support key the setting\n"
	"        support_public_key names whenever one is set (provisioning\n"
	"        sets it), or to the X25519 key --to-key names; --plain makes\n"
	"        a plain one all the same (said, and audited).  A support key\n"
	"        that cannot be used: no bundle.  The pseudonym key is random\n"
	"        unless --key-file is given; it is never stored.  An audit\n"
	"        record is written for each bundle.  Prints the bundle's path.\n"
	"open    (on the technician's machine) unseal, extract into DIR\n"
	"        (default: FILE without .tar*, plus .d) and verify.\n"
	"verify  unseal and check every file against the manifest.\n"
	"keygen  make a support key pair: PREFIX.key and PREFIX.pub.\n"
	"\n"
	"Exit status: 0 done and verified, 1 failed (a damaged or altered\n"
	"bundle, the wrong key), 2 bad usage.\n",
	.main    = bundle_main,
};
