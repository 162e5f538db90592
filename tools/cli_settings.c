/**
 * @file cli_settings.c  --config/--local/--set, shared by subcommands
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <re.h>
#include "base/settings.h"
#include "cli.h"


bool cli_settings_option(struct cli_settings_opts *o, int argc,
			 char **argv, int *ip)
{
	const char *opt = argv[*ip];
	const char *val = *ip + 1 < argc ? argv[*ip + 1] : NULL;

	if (0 == strcmp(opt, "--config") && val) {
		o->config_dir = val;
	}
	else if (0 == strcmp(opt, "--local") && val &&
		 o->nlocals < sizeof(o->locals) / sizeof(o->locals[0])) {
		o->locals[o->nlocals++] = val;
	}
	else if (0 == strcmp(opt, "--set") && val &&
		 o->nsets < sizeof(o->sets) / sizeof(o->sets[0])) {
		o->sets[o->nsets++] = val;
	}
	else {
		return false;
	}

	*ip += 1;

	return true;
}


static int apply_sets(const struct cli_settings_opts *o,
		      struct dp_settings *s, char *errbuf, size_t errsz)
{
	for (size_t i = 0; i < o->nsets; i++) {
		int err = dp_settings_set_arg(s, o->sets[i], errbuf, errsz);

		if (err)
			return err;
	}

	return 0;
}


int cli_settings_load(const struct cli_settings_opts *o,
		      struct dp_settings **sp)
{
	char errbuf[DP_ERRBUF] = "", path[4096];
	const char *dir = o->config_dir;
	struct dp_settings *s = NULL;
	char *local = NULL;
	int err;

	if (!dir)
		dir = getenv("DESKPHONE_CONFIG");
	if (!dir)
		dir = "/etc/deskphone";

	err = dp_settings_alloc(&s);
	if (err)
		goto out;

	re_snprintf(path, sizeof(path), "%s/deskphone.conf", dir);
	if (0 != access(path, F_OK) && errno == ENOENT) {
		/* Said once, with the way out: a checkout has no
		 * /etc/deskphone, a phone found elsewhere is one option
		 * away. */
		fprintf(stderr, "deskphone: no phone settings: %s not found;"
			" pass --config DIR (the folder holding"
			" deskphone.conf, or set DESKPHONE_CONFIG), or"
			" --socket PATH for a running phone (ctl, sim)\n",
			path);
		mem_deref(s);
		return ENOENT;
	}
	err = dp_settings_load(s, path, errbuf, sizeof(errbuf));
	if (!err)
		err = dp_settings_set(s, "config_dir", dir, "--config");
	if (!err)
		err = apply_sets(o, s, errbuf, sizeof(errbuf));
	if (err)
		goto out;

	/* The board description: what this hardware has and where. */
	if (dp_settings_has(s, "board_file")) {
		char *board = NULL;

		err = dp_settings_get(s, "board_file", &board, errbuf,
				      sizeof(errbuf));
		if (!err)
			err = dp_settings_load(s, board, errbuf,
					       sizeof(errbuf));
		mem_deref(board);
		if (!err)
			err = apply_sets(o, s, errbuf, sizeof(errbuf));
		if (err)
			goto out;
	}

	/* The phone's own overrides (provisioning writes them). */
	if (dp_settings_has(s, "local_conf")) {
		err = dp_settings_get(s, "local_conf", &local, errbuf,
				      sizeof(errbuf));
		if (err)
			goto out;
		if (0 == access(local, F_OK)) {
			err = dp_settings_load(s, local, errbuf,
					       sizeof(errbuf));
			if (err)
				goto out;
		}
	}

	for (size_t i = 0; i < o->nlocals && !err; i++)
		err = dp_settings_load(s, o->locals[i], errbuf,
				       sizeof(errbuf));
	if (!err)
		err = apply_sets(o, s, errbuf, sizeof(errbuf));

 out:
	mem_deref(local);
	if (err) {
		fprintf(stderr, "deskphone: %s\n",
			errbuf[0] ? errbuf : strerror(err));
		mem_deref(s);
		return err;
	}

	*sp = s;

	return 0;
}


char *cli_setting(const struct dp_settings *s, const char *key)
{
	char errbuf[DP_ERRBUF] = "";
	char *val = NULL;

	if (dp_settings_get(s, key, &val, errbuf, sizeof(errbuf))) {
		fprintf(stderr, "deskphone: %s\n", errbuf);
		return NULL;
	}

	return val;
}
