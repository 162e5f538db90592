/**
 * @file privacy_cli.c  The privacy context from the phone's settings
 */
#include <errno.h>
#include <sys/stat.h>
#include <unistd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <re.h>
#include "base/settings.h"
#include "privacy/policy/privacy.h"
#include "privacy_cli.h"

enum { NPATHS = 14 };


/* A setting's expanded value; NULL when it is not set or empty. */
static char *opt(const struct dp_settings *s, const char *key)
{
	char errbuf[DP_ERRBUF] = "", *v = NULL;

	if (!dp_settings_has(s, key))
		return NULL;
	if (dp_settings_get(s, key, &v, errbuf, sizeof(errbuf))) {
		fprintf(stderr, "deskphone: %s\n", errbuf);
		return NULL;
	}
	if (!v[0])
		return mem_deref(v);

	return v;
}


int cli_privacy_open(const struct dp_settings *s, const char *who,
		     bool create_secret, struct dp_privacy **pp)
{
	struct dp_privacy_paths paths;
	char *v[NPATHS] = { NULL }, *size = NULL, *epoch = NULL;
	char *audit = NULL;
	int err;

	memset(&paths, 0, sizeof(paths));
	paths.dir            = v[0] = opt(s, "privacy_dir");
	paths.policy_file    = v[1] = opt(s, "privacy_policy_file");
	paths.secret_file    = v[2] = opt(s, "device_secret_file");
	paths.store          = v[3] = opt(s, "cdr_store_path");
	paths.log_dir        = v[4] = opt(s, "log_dir");
	paths.contacts_file  = v[5] = opt(s, "contacts_file");
	paths.recordings_dir = v[6] = opt(s, "recordings_dir");
	paths.push_dir       = v[7] = opt(s, "push_dir");
	paths.clock_file     = v[8] = opt(s, "privacy_test_clock");
	v[9] = opt(s, "state_dir");
	paths.config_dir     = v[11] = opt(s, "config_dir");
	paths.create_secret  = create_secret;

	audit = opt(s, "audit_log");
	if (!audit && v[9])
		(void)re_sdprintf(&audit, "%s/audit.jsonl", v[9]);
	paths.audit_log = audit;
	if (!paths.dir && v[9]) {
		(void)re_sdprintf(&v[10], "%s/privacy", v[9]);
		paths.dir = v[10];
	}

	size = opt(s, "cdr_store_size");
	epoch = opt(s, "cdr_epoch_s");
	paths.store_size = size ? strtoull(size, NULL, 10) : 0;
	paths.epoch_s = epoch ? (uint32_t)strtoul(epoch, NULL, 10) : 0;

	/* root (a technician) making the privacy directory the daemon has
	 * not made yet: it is the daemon's, the owner of state_dir */
	if (paths.dir && v[9] && geteuid() == 0 && access(paths.dir, F_OK)) {
		struct stat st;

		if (!stat(v[9], &st) && st.st_uid != 0 &&
		    !mkdir(paths.dir, 0700))
			(void)chown(paths.dir, st.st_uid, st.st_gid);
	}

	if (!paths.dir || !paths.secret_file || !paths.audit_log) {
		fprintf(stderr, "%s: the settings name no state_dir,"
			" privacy_dir or device_secret_file\n", who);
		err = EINVAL;
	}
	else {
		err = dp_privacy_alloc(pp, &paths, s);
		if (err == EACCES)
			fprintf(stderr, "%s: the phone's privacy state cannot"
				" be read (run as root or the daemon's user)\n",
				who);
		else if (err == ENOENT)
			fprintf(stderr, "%s: %s: no device secret yet (the"
				" phone has not run)\n", who,
				paths.secret_file);
		else if (err)
			fprintf(stderr, "%s: privacy state in %s: %s\n", who,
				paths.dir, strerror(err));
	}

	for (int i = 0; i < NPATHS; i++)
		mem_deref(v[i]);
	mem_deref(audit);
	mem_deref(size);
	mem_deref(epoch);

	return err;
}


bool cli_privacy_refuse(const struct dp_settings *s, const char *who,
			const char *what)
{
	struct dp_privacy *p = NULL;
	struct dp_clock_sample cs;
	bool refuse;

	if (cli_privacy_open(s, who, false, &p))
		return false;

	refuse = dp_privacy_state(p)->restricted;
	if (refuse) {
		fprintf(stderr, "%s: refused: the processing of personal data"
			" on this phone is restricted (`deskphone privacy"
			" export` still gives the person their data)\n", who);
		if (!dp_privacy_sample(p, &cs))
			(void)dp_privacy_refused(p, what, &cs);
	}
	mem_deref(p);

	return refuse;
}
