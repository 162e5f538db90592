/**
 * @file rollback.c  Swap the previous configuration back in
 *
 * The block in ${local_conf} names the current and the previous
 * generation; a rollback rewrites it with the two swapped (so a second
 * rollback undoes the first).  A phone whose first provisioning is rolled
 * back loses the block: it is unprovisioned again.  The replay record is
 * left as it is: an older stick stays refused.
 */
#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <re.h>
#include "base/fileutil.h"
#include "prov_int.h"


int prov_rollback(const struct prov_phone_cfg *cfg, struct prov_outcome *out)
{
	char path[4096], *body = NULL, *block = NULL;
	struct prov_current cur, prev;
	size_t len = 0;
	int fd = -1, err;

	if (!cfg || !out)
		return EINVAL;

	memset(out, 0, sizeof(*out));
	prov_now(out->time, sizeof(out->time));
	out->result = PROV_REFUSED;

	err = prov_lock(cfg->provision_dir, &fd);
	if (err) {
		re_snprintf(out->reason, sizeof(out->reason), err == EBUSY ?
			    "another provisioning is in progress" :
			    "cannot use %s (%m)", cfg->provision_dir, err);
		return 0;
	}

	err = prov_current(cfg->local_conf, &cur);
	if (err || !cur.provisioned) {
		re_snprintf(out->reason, sizeof(out->reason), err ?
			    "cannot read %s (%m)" :
			    "this phone has no provisioned configuration to"
			    " roll back", cfg->local_conf, err);
		goto out;
	}

	out->previous_version = cur.version;
	str_ncpy(out->phone_id, cur.phone, sizeof(out->phone_id));

	if (!cur.previous[0]) {
		/* back to what the phone ran before its first provisioning */
		err = prov_local_conf_commit(cfg->local_conf, "", &cfg->io);
		if (err) {
			re_snprintf(out->reason, sizeof(out->reason),
				    "cannot write %s (%m)", cfg->local_conf,
				    err);
			goto out;
		}
		out->result = PROV_APPLIED;
		re_snprintf(out->reason, sizeof(out->reason), "rolled back"
			    " from version %llu to the unprovisioned"
			    " configuration", (unsigned long long)cur.version);
		goto out;
	}

	re_snprintf(path, sizeof(path), "%s/gen/%s/settings.conf",
		    cfg->provision_dir, cur.previous);
	err = dp_read_file(path, 64 * 1024, &body, &len);
	if (!err) {
		re_snprintf(path, sizeof(path), "%s/gen/%s/accounts.json",
			    cfg->provision_dir, cur.previous);
		err = access(path, R_OK) ? errno : 0;
	}
	if (err) {
		re_snprintf(out->reason, sizeof(out->reason), "the previous"
			    " configuration is damaged or gone (%m)", err);
		goto out;
	}

	err = prov_block_make(cur.previous, cur.generation, body, len, &block);
	if (!err)
		err = prov_local_conf_commit(cfg->local_conf, block, &cfg->io);
	if (err) {
		re_snprintf(out->reason, sizeof(out->reason),
			    "cannot write %s (%m)", cfg->local_conf, err);
		goto out;
	}

	(void)prov_current(cfg->local_conf, &prev);
	out->result = PROV_APPLIED;
	out->version = prev.version;
	str_ncpy(out->site, prev.site, sizeof(out->site));
	re_snprintf(out->reason, sizeof(out->reason), "rolled back from"
		    " version %llu to version %llu",
		    (unsigned long long)cur.version,
		    (unsigned long long)prev.version);

 out:
	prov_save_last(cfg->provision_dir, out);

	prov_unlock(fd);
	mem_deref(body);
	mem_deref(block);

	return 0;
}
