/**
 * @file privacy.c  dpcdr: the person's choices and the trusted clock, as
 *                  the store's writer applies them to new records
 *
 * The privacy module (modules/privacy) keeps the state (restriction,
 * do-not-record list) and the trusted clock in files under
 * dpprivacy_dir; this module reads them whenever they changed, so a
 * choice made on the command line with the daemon running holds from the
 * next call on.  A state file that does not open means: keep nothing
 * personal until it does.  It reads the config keys it shares with the
 * privacy module: dpprivacy_dir, dpprivacy_test_clock and the policy's
 * (dpprivacy_policy, dpprivacy_clock_*).
 */
#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include "cdr.h"


/* Did the file change since we last looked (or appear, or go)? */
static bool changed(const char *path, struct file_sig *sig)
{
	struct file_sig now;
	struct stat st;

	memset(&now, 0, sizeof(now));
	if (!stat(path, &st)) {
		now.present = true;
		now.ino = st.st_ino;
		now.size = st.st_size;
		now.mtime_ns = (int64_t)st.st_mtim.tv_sec * 1000000000 +
			st.st_mtim.tv_nsec;
	}

	if (now.present == sig->present && now.ino == sig->ino &&
	    now.size == sig->size && now.mtime_ns == sig->mtime_ns &&
	    sig->seen)
		return false;

	*sig = now;
	sig->seen = true;

	return true;
}


int cdr_privacy_init(void)
{
	char dir[256] = "";

	dp_policy_defaults(&cdr.policy);
	memset(&cdr.state_sig, 0, sizeof(cdr.state_sig));
	memset(&cdr.clock_sig, 0, sizeof(cdr.clock_sig));

	if (conf_get_str(conf_cur(), "dpprivacy_dir", dir, sizeof(dir)) ||
	    !dir[0]) {
		info("dpcdr: no privacy state configured (dpprivacy_dir);"
		     " records keep every field\n");
		return 0;
	}

	cdr.privacy = true;
	re_snprintf(cdr.state_path, sizeof(cdr.state_path), "%s/state", dir);
	re_snprintf(cdr.clock_path, sizeof(cdr.clock_path), "%s/clock", dir);
	(void)conf_get_str(conf_cur(), "dpprivacy_test_clock", cdr.test_clock,
			   sizeof(cdr.test_clock));

	/* refused values are the privacy module's to report */
	return dp_policy_from_conf(&cdr.policy, conf_cur(), "dpprivacy_");
}


void cdr_privacy_close(void)
{
	dp_wipe(&cdr.state, sizeof(cdr.state));
	cdr.privacy = false;
}


int64_t cdr_privacy_now_ms(void)
{
	struct dp_clock_sample s;
	struct timespec ts;
	int64_t wall_ms;
	int err;

	clock_gettime(CLOCK_REALTIME, &ts);
	wall_ms = (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
	if (!cdr.privacy)
		return wall_ms;

	if (cdr.test_clock[0]) {
		err = dp_clock_sample_file(&s, cdr.test_clock);
		wall_ms = s.wall_s * 1000;
	}
	else {
		err = dp_clock_sample_now(&s);
	}
	if (err)
		return wall_ms;

	if (changed(cdr.clock_path, &cdr.clock_sig) &&
	    dp_clock_load(&cdr.clock, cdr.clock_path))
		memset(&cdr.clock, 0, sizeof(cdr.clock));

	return dp_clock_stamp_ms(&cdr.clock, &s, &cdr.policy, wall_ms);
}


void cdr_privacy_screen(struct cdr_record *rec)
{
	if (!cdr.privacy)
		return;

	if (changed(cdr.state_path, &cdr.state_sig)) {
		cdr.state_err = dp_state_load(&cdr.state, cdr.state_path,
					      cdr.secret);
		if (cdr.state_err)
			warning("dpcdr: the privacy state does not open (%m):"
				" calls keep no personal fields until it"
				" does\n", cdr.state_err);
	}

	if (!cdr.state_err && dp_privacy_keep_personal(&cdr.state,
						       rec->remote_uri))
		return;

	dp_wipe(rec->local_uri, sizeof(rec->local_uri));
	dp_wipe(rec->remote_uri, sizeof(rec->remote_uri));
	dp_wipe(rec->remote_name, sizeof(rec->remote_name));
	cdr.screened++;
}
