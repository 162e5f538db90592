/**
 * @file run_plan.c  Settings → checked baresip config and runtime directory
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <re.h>
#include "base/fileutil.h"
#include "base/settings.h"
#include "modules/app/app.h"
#include "run.h"

enum { MAX_ACCOUNTS_BYTES = 256 * 1024 };


static void module_destructor(void *arg)
{
	struct run_module *m = arg;

	list_unlink(&m->le);
	mem_deref(m->name);
	mem_deref(m->path);
}


void run_plan_reset(struct run_plan *plan)
{
	if (!plan)
		return;

	mem_deref(plan->run_dir);
	mem_deref(plan->baresip_dir);
	mem_deref(plan->module_link_dir);
	mem_deref(plan->module_dir);
	mem_deref(plan->stock_module_dir);
	mem_deref(plan->baresip_bin);
	mem_deref(plan->accounts_file);
	mem_deref(plan->log_dir);
	mem_deref(plan->state_dir);
	mem_deref(plan->test_clock);
	mem_deref(plan->config);
	mem_deref(plan->accounts);
	list_flush(&plan->modules);
	memset(plan, 0, sizeof(*plan));
}


static bool is_file(const char *path)
{
	struct stat st;

	return 0 == stat(path, &st) && S_ISREG(st.st_mode);
}


/* Stock modules that open a second way to command the daemon, beside
 * the control socket: a TCP port (ctrl_tcp 4444, cons 5555, httpd
 * 8000), D-Bus or an MQTT broker.  None may be loaded (docs/security.md). */
static bool opens_control_port(const char *name)
{
	static const char *const refused[] = {
		"ctrl_tcp.so", "ctrl_dbus.so", "cons.so", "httpd.so", "mqtt.so",
	};

	for (size_t i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
		if (0 == strcmp(name, refused[i]))
			return true;
	}

	return false;
}


static int find_module(struct run_plan *plan, const char *name,
		       unsigned lineno)
{
	char path[4096];
	struct run_module *m;
	struct le *le;

	if (strchr(name, '/') || 0 == strcmp(name, ".") ||
	    0 == strcmp(name, "..")) {
		fprintf(stderr, "deskphone: generated config line %u: module"
			" name '%s' must be a plain file name\n", lineno,
			name);
		return EINVAL;
	}

	if (opens_control_port(name)) {
		fprintf(stderr, "deskphone: generated config line %u: module"
			" %s would open a control port beside the control"
			" socket; refused\n", lineno, name);
		return EPERM;
	}

	for (le = plan->modules.head; le; le = le->next) {
		m = le->data;
		if (0 == strcmp(m->name, name))
			return 0;
	}

	re_snprintf(path, sizeof(path), "%s/%s", plan->module_dir, name);
	if (!is_file(path)) {
		re_snprintf(path, sizeof(path), "%s/%s",
			    plan->stock_module_dir, name);
		if (!is_file(path)) {
			fprintf(stderr, "deskphone: generated config line %u:"
				" module %s is in neither %s nor %s\n",
				lineno, name, plan->module_dir,
				plan->stock_module_dir);
			return ENOENT;
		}
	}

	m = mem_zalloc(sizeof(*m), module_destructor);
	if (!m)
		return ENOMEM;

	if (str_dup(&m->name, name) || str_dup(&m->path, path)) {
		mem_deref(m);
		return ENOMEM;
	}

	list_append(&plan->modules, &m->le, m);

	return 0;
}


/* The rendered config: syntax, the modules it loads, and module_path. */
static int check_config(struct run_plan *plan)
{
	char *text = (char *)plan->config->buf;
	unsigned lineno = 0;
	bool have_path = false;
	int err = 0;

	for (char *line = text; line && *line && !err; ) {
		char *nl = strchr(line, '\n');
		char key[64], val[1024];
		int n;

		++lineno;
		if (nl)
			*nl = '\0';

		n = sscanf(line, "%63s %1023[^\n]", key, val);
		if (n != 2) {
			fprintf(stderr, "deskphone: generated config line %u:"
				" '%s' has no value\n", lineno, line);
			err = EINVAL;
		}
		else if (0 == strcmp(key, "module_path")) {
			have_path = true;
			if (strcmp(val, plan->module_link_dir)) {
				fprintf(stderr, "deskphone: the config"
					" template must say module_path"
					" ${module_link_dir}\n");
				err = EINVAL;
			}
		}
		else if (0 == strcmp(key, "module") ||
			 0 == strcmp(key, "module_tmp") ||
			 0 == strcmp(key, "module_app")) {
			err = find_module(plan, val, lineno);
		}

		if (nl)
			*nl = '\n';
		line = nl ? nl + 1 : NULL;
	}

	if (!err && !have_path) {
		fprintf(stderr, "deskphone: the config template has no"
			" module_path line\n");
		err = EINVAL;
	}

	return err;
}


/* A setting's expanded value; EINVAL after printing why to stderr. */
static int get(struct dp_settings *s, const char *key, char **valp)
{
	char errbuf[DP_ERRBUF] = "";

	if (dp_settings_get(s, key, valp, errbuf, sizeof(errbuf))) {
		fprintf(stderr, "deskphone: %s\n", errbuf);
		return EINVAL;
	}

	return 0;
}


/* The TLS files baresip reads: it would stop at start-up on one it
 * cannot read, with a less helpful message than this one. */
static int check_tls_files(struct dp_settings *s)
{
	static const char *const keys[] = { "sip_cafile", "sip_certificate" };
	int err = 0;

	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]) && !err; i++) {
		struct stat st;
		char *path;

		if (!dp_settings_has(s, keys[i]))
			continue;
		if (get(s, keys[i], &path))
			return EINVAL;

		errno = 0;
		if (*path && (stat(path, &st) || !S_ISREG(st.st_mode) ||
			      access(path, R_OK))) {
			fprintf(stderr, "deskphone: %s: cannot read %s: %s\n",
				keys[i], path, errno ? strerror(errno) :
				"not a file");
			err = EINVAL;
		}
		mem_deref(path);
	}

	return err;
}


int run_plan_make(struct run_plan *plan, struct dp_settings *s)
{
	char errbuf[DP_ERRBUF] = "";
	char *tmpl = NULL, *num = NULL, *trace = NULL, *acc = NULL;
	char link_dir[4096];
	size_t acclen = 0;
	int err;

	memset(plan, 0, sizeof(*plan));
	list_init(&plan->modules);

	err  = get(s, "run_dir", &plan->run_dir);
	err |= get(s, "module_dir", &plan->module_dir);
	err |= get(s, "stock_module_dir", &plan->stock_module_dir);
	err |= get(s, "baresip", &plan->baresip_bin);
	err |= get(s, "accounts_file", &plan->accounts_file);
	err |= get(s, "log_dir", &plan->log_dir);
	err |= get(s, "state_dir", &plan->state_dir);
	err |= get(s, "baresip_template", &tmpl);
	err |= get(s, "log_max_bytes", &num);
	err |= get(s, "sip_trace", &trace);
	if (err) {
		err = EINVAL;
		goto out;
	}

	plan->log_max_bytes = strtoull(num, NULL, 10);
	if (plan->log_max_bytes < 4096) {
		fprintf(stderr, "deskphone: log_max_bytes must be at least"
			" 4096\n");
		err = EINVAL;
		goto out;
	}
	err = check_tls_files(s);
	if (err)
		goto out;

	plan->stop_timeout_s = 10;
	plan->sip_trace = 0 == strcmp(trace, "yes");
	if (dp_settings_has(s, "privacy_test_clock")) {
		err = get(s, "privacy_test_clock", &plan->test_clock);
		if (err)
			goto out;
		if (!plan->test_clock[0])
			plan->test_clock = mem_deref(plan->test_clock);
	}

	re_snprintf(link_dir, sizeof(link_dir), "%s/modules", plan->run_dir);
	err  = str_dup(&plan->module_link_dir, link_dir);
	err |= re_sdprintf(&plan->baresip_dir, "%s/baresip", plan->run_dir);
	err |= dp_settings_set(s, "module_link_dir", link_dir, "deskphone run");
	if (err)
		goto out;

	plan->config = mbuf_alloc(4096);
	if (!plan->config) {
		err = ENOMEM;
		goto out;
	}

	err = dp_template_render(s, tmpl, plan->config, errbuf,
				 sizeof(errbuf));
	if (!err)
		err = mbuf_write_u8(plan->config, 0);
	if (err) {
		fprintf(stderr, "deskphone: %s\n",
			errbuf[0] ? errbuf : strerror(err));
		goto out;
	}
	plan->config->end--;   /* keep the NUL out of the file */

	err = check_config(plan);
	if (err)
		goto out;

	err = dp_read_file(plan->accounts_file, MAX_ACCOUNTS_BYTES, &acc,
			   &acclen);
	if (err) {
		fprintf(stderr, "deskphone: %s: %s\n", plan->accounts_file,
			err == EFBIG ? "file too large" : strerror(err));
		goto out;
	}

	err = run_check_accounts(plan->accounts_file, acc);
	if (err)
		goto out;

	plan->accounts = mbuf_alloc(acclen + 1);
	if (!plan->accounts || mbuf_write_mem(plan->accounts,
					      (uint8_t *)acc, acclen)) {
		err = ENOMEM;
		goto out;
	}

 out:
	mem_deref(tmpl);
	mem_deref(num);
	mem_deref(trace);
	mem_deref(acc);
	if (err)
		run_plan_reset(plan);

	return err;
}


static int clear_links(const char *dir)
{
	struct dirent *de;
	DIR *d = opendir(dir);

	if (!d)
		return errno;

	while ((de = readdir(d)) != NULL) {
		char path[4096];
		struct stat st;

		re_snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		if (0 == lstat(path, &st) && S_ISLNK(st.st_mode))
			(void)unlink(path);
	}

	closedir(d);

	return 0;
}


/* State and logs are the daemon's alone: a directory that others can
 * read (made by hand, or by an older version) is tightened, not used
 * as it is. */
static int private_dir(const char *dir)
{
	struct stat st;

	if (stat(dir, &st) < 0) {
		fprintf(stderr, "deskphone: %s: %s\n", dir, strerror(errno));
		return errno;
	}
	if (!(st.st_mode & 077))
		return 0;

	if (chmod(dir, st.st_mode & 0700) < 0) {
		fprintf(stderr, "deskphone: %s is open to others (mode %o)"
			" and cannot be made private: %s\n", dir,
			(unsigned)(st.st_mode & 0777), strerror(errno));
		return EACCES;
	}
	fprintf(stderr, "deskphone: note: %s was open to others (mode %o);"
		" now 0700\n", dir, (unsigned)(st.st_mode & 0777));

	return 0;
}


int run_plan_apply(const struct run_plan *plan)
{
	char path[4096], src[4096];
	struct le *le;
	int err;

	err  = dp_mkdir_p(plan->baresip_dir, 0700);
	err |= dp_mkdir_p(plan->module_link_dir, 0700);
	err |= dp_mkdir_p(plan->log_dir, 0700);
	err |= dp_mkdir_p(plan->state_dir, 0700);
	if (err) {
		fprintf(stderr, "deskphone: cannot create %s: %s\n",
			plan->run_dir, strerror(errno));
		return EACCES;
	}

	err = private_dir(plan->state_dir);
	if (!err)
		err = private_dir(plan->log_dir);
	if (err)
		return err;

	re_snprintf(path, sizeof(path), "%s/config", plan->baresip_dir);
	err = dp_write_atomic(path, plan->config->buf, plan->config->end,
			      0600);
	if (!err) {
		re_snprintf(path, sizeof(path), "%s/accounts",
			    plan->baresip_dir);
		err = dp_write_atomic(path, plan->accounts->buf,
				      plan->accounts->end, 0600);
	}
	if (err) {
		fprintf(stderr, "deskphone: write %s: %s\n", path,
			strerror(err));
		return err;
	}

	err = clear_links(plan->module_link_dir);
	for (le = plan->modules.head; le && !err; le = le->next) {
		const struct run_module *m = le->data;

		re_snprintf(path, sizeof(path), "%s/%s",
			    plan->module_link_dir, m->name);
		if (symlink(m->path, path) < 0)
			err = errno;
	}

	/* the application core our modules link: their rpath is $ORIGIN,
	 * which is this directory of links, not where the modules are */
	re_snprintf(src, sizeof(src), "%s/%s", plan->module_dir, DPAPP_LIB);
	re_snprintf(path, sizeof(path), "%s/%s", plan->module_link_dir,
		    DPAPP_LIB);
	if (!err && is_file(src) && symlink(src, path) < 0)
		err = errno;

	if (err)
		fprintf(stderr, "deskphone: module links in %s: %s\n",
			plan->module_link_dir, strerror(err));

	return err;
}


int run_write_settings_args(const struct run_plan *plan,
			    const struct mbuf *args)
{
	char path[4096];

	re_snprintf(path, sizeof(path), "%s/settings.args", plan->run_dir);

	return dp_write_atomic(path, args->buf, args->end, 0600);
}
