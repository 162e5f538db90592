/**
 * @file privacy.c  The privacy context: paths, policy, secret, state,
 *                  clock, audit
 */
#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <re.h>
#include "base/fileutil.h"
#include "base/settings.h"
#include "privacy/audit/audit.h"
#include "priv.h"


static void destructor(void *arg)
{
	struct dp_privacy *p = arg;

	dp_wipe(p->secret, sizeof(p->secret));
	dp_wipe(&p->state, sizeof(p->state));
	mem_deref(p->audit);
	mem_deref(p->dir);
	mem_deref(p->state_path);
	mem_deref(p->clock_path);
	mem_deref(p->store);
	mem_deref(p->log_dir);
	mem_deref(p->contacts_file);
	mem_deref(p->shipped_contacts);
	mem_deref(p->recordings_dir);
	mem_deref(p->push_dir);
	mem_deref(p->clock_file);
}


static int dup_opt(char **dst, const char *src)
{
	return src && *src ? str_dup(dst, src) : 0;
}


int dp_privacy_alloc(struct dp_privacy **pp,
		     const struct dp_privacy_paths *paths,
		     const struct dp_settings *layered)
{
	struct dp_privacy *p;
	int err;

	if (!pp || !paths || !paths->dir || !*paths->dir ||
	    !paths->secret_file || !paths->audit_log)
		return EINVAL;

	p = mem_zalloc(sizeof(*p), destructor);
	if (!p)
		return ENOMEM;

	p->ops = &dp_store_direct_ops;
	p->ops_arg = p;

	err = dp_policy_load(&p->policy, paths->policy_file, layered);
	err |= dup_opt(&p->dir, paths->dir);
	err |= re_sdprintf(&p->state_path, "%s/state", paths->dir);
	err |= re_sdprintf(&p->clock_path, "%s/clock", paths->dir);
	err |= dup_opt(&p->store, paths->store);
	err |= dup_opt(&p->log_dir, paths->log_dir);
	/* a directory shipped with the configuration is the firmware's,
	 * not a cache of anyone's data the phone collected */
	if (paths->contacts_file && paths->config_dir && *paths->config_dir &&
	    !strncmp(paths->contacts_file, paths->config_dir,
		     strlen(paths->config_dir)) &&
	    paths->contacts_file[strlen(paths->config_dir)] == '/')
		err |= dup_opt(&p->shipped_contacts, paths->contacts_file);
	else
		err |= dup_opt(&p->contacts_file, paths->contacts_file);
	err |= dup_opt(&p->recordings_dir, paths->recordings_dir);
	err |= dup_opt(&p->push_dir, paths->push_dir);
	err |= dup_opt(&p->clock_file, paths->clock_file);
	if (err) {
		err = ENOMEM;
		goto out;
	}
	p->store_size = paths->store_size;
	p->epoch_s = paths->epoch_s;

	err = dp_mkdir_p(paths->dir, 0700);
	if (err)
		goto out;

	err = dp_device_secret_load(paths->secret_file, paths->create_secret,
				    p->secret);
	if (err)
		goto out;

	err = dp_audit_open(&p->audit, paths->audit_log, p->secret);
	if (err)
		goto out;

	(void)dp_privacy_reload(p);
	if (dp_clock_load(&p->clock, p->clock_path))
		memset(&p->clock, 0, sizeof(p->clock));

 out:
	if (err)
		mem_deref(p);
	else
		*pp = p;

	return err;
}


void dp_privacy_set_policy(struct dp_privacy *p, const struct dp_policy *pol)
{
	p->policy = *pol;
}


void dp_privacy_set_store_ops(struct dp_privacy *p,
			      const struct dp_store_ops *ops, void *arg)
{
	p->ops = ops;
	p->ops_arg = arg;
}


const struct dp_policy *dp_privacy_policy(const struct dp_privacy *p)
{
	return &p->policy;
}


const struct dp_privacy_state *dp_privacy_state(const struct dp_privacy *p)
{
	return &p->state;
}


struct dp_audit *dp_privacy_audit(struct dp_privacy *p)
{
	return p->audit;
}


int dp_privacy_reload(struct dp_privacy *p)
{
	struct dp_privacy_state st;

	p->state_err = dp_state_load(&st, p->state_path, p->secret);
	if (p->state_err) {
		/* unreadable: keep what we had, and record nothing
		 * personal until it is readable again */
		p->state.restricted = true;
		return p->state_err;
	}
	p->state = st;
	dp_wipe(&st, sizeof(st));

	return 0;
}


int dp_privacy_sample(const struct dp_privacy *p, struct dp_clock_sample *s)
{
	if (p->clock_file)
		return dp_clock_sample_file(s, p->clock_file);

	return dp_clock_sample_now(s);
}


int64_t dp_privacy_now(const struct dp_privacy *p,
		       const struct dp_clock_sample *s)
{
	struct dp_clock c = p->clock;

	if (!c.known)
		return s->wall_s < p->policy.clock_floor_s ?
			p->policy.clock_floor_s : s->wall_s;

	return dp_clock_peek(&c, s);
}


const char *priv_iso(int64_t t_s, char *buf, size_t sz)
{
	time_t t = (time_t)t_s;
	struct tm tm;

	if (!gmtime_r(&t, &tm) ||
	    !strftime(buf, sz, "%Y-%m-%dT%H:%M:%SZ", &tm))
		snprintf(buf, sz, "?");

	return buf;
}


const char *dp_iso_time(int64_t t_s, char *buf, size_t sz)
{
	return priv_iso(t_s, buf, sz);
}


int priv_audit(struct dp_privacy *p, const struct dp_clock_sample *s,
	       const char *event, const char *fmt, ...)
{
	char fields[1024] = "";
	va_list ap;

	if (fmt) {
		va_start(ap, fmt);
		(void)re_vsnprintf(fields, sizeof(fields), fmt, ap);
		va_end(ap);
	}

	/* the wall clock, as a person reading the log expects; the
	 * trusted time goes in the fields where it matters */
	return dp_audit_append(p->audit, s->wall_s, event,
			       fields[0] ? fields : NULL);
}


int priv_state_save(struct dp_privacy *p)
{
	p->state.generation++;

	return dp_state_save(&p->state, p->state_path, p->secret);
}


bool priv_removable(const char *path)
{
	char dir[4096];
	char *slash;

	str_ncpy(dir, path, sizeof(dir));
	slash = strrchr(dir, '/');
	if (!slash)
		return !access(".", W_OK);
	if (slash == dir)
		slash[1] = '\0';
	else
		*slash = '\0';

	return !access(dir, W_OK);
}


int priv_purge_dir(const char *dir, int64_t cutoff_s, uint64_t *n)
{
	struct dirent *e;
	DIR *d;
	int err = 0;

	*n = 0;
	if (!dir || !*dir)
		return 0;
	d = opendir(dir);
	if (!d)
		return errno == ENOENT ? 0 : errno;

	while ((e = readdir(d))) {
		char path[4096];
		struct stat st;

		if (e->d_name[0] == '.')
			continue;
		re_snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		if (lstat(path, &st) || S_ISDIR(st.st_mode))
			continue;
		if ((int64_t)st.st_mtime >= cutoff_s)
			continue;
		if (unlink(path))
			err = errno;
		else
			(*n)++;
	}
	closedir(d);

	return err;
}


uint64_t priv_count_dir(const char *dir)
{
	struct dirent *e;
	uint64_t n = 0;
	DIR *d;

	if (!dir || !*dir || !(d = opendir(dir)))
		return 0;
	while ((e = readdir(d))) {
		if (e->d_name[0] != '.')
			n++;
	}
	closedir(d);

	return n;
}
