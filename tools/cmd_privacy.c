/**
 * @file cmd_privacy.c  `deskphone privacy`: the privacy policy and a
 *                      person's requests
 *
 * Reading (status, export, object list, audit verify) is done here
 * whether the daemon runs or not.  What changes something goes to the
 * running daemon when there is one (its dpprivacy_* commands, over the
 * control socket: the daemon's CDR module is the store's one writer),
 * else it is done here.  Both end in the same library functions
 * (privacy/policy).  Run as root, this acts as the owner of ${state_dir},
 * like the daemon.
 */
#include <dirent.h>
#include <errno.h>
#include <grp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cjson/cJSON.h>
#include <re.h>
#include "base/fileutil.h"
#include "base/settings.h"
#include "privacy/audit/audit.h"
#include "privacy/policy/privacy.h"
#include "cli.h"
#include "privacy_cli.h"

extern const struct dp_command dp_command_privacy;

static const char who[] = "deskphone privacy";

struct ctx {
	struct cli_settings_opts opts;
	struct dp_settings *s;
	struct dp_privacy *p;
	struct dp_clock_sample now;
	int argc;
	char **argv;        /* the verb's arguments */
};


static char *setting(const struct ctx *c, const char *key)
{
	char errbuf[DP_ERRBUF], *v = NULL;

	if (!dp_settings_has(c->s, key) ||
	    dp_settings_get(c->s, key, &v, errbuf, sizeof(errbuf)))
		return NULL;
	if (!v[0])
		return mem_deref(v);

	return v;
}


/* The daemon runs as the owner of ${state_dir}; so do we, as root. */
static int become_state_owner(const struct ctx *c)
{
	char *dir = setting(c, "state_dir");
	struct stat st;
	int err = 0;

	if (dir && geteuid() == 0 && !stat(dir, &st) && st.st_uid != 0 &&
	    (setgroups(0, NULL) || setgid(st.st_gid) || setuid(st.st_uid))) {
		err = errno;
		fprintf(stderr, "%s: cannot switch to the owner of %s: %s\n",
			who, dir, strerror(err));
	}
	mem_deref(dir);

	return err;
}


/* --- the running daemon -------------------------------------------------- */

/* -1: no daemon answers; else the socket */
static int daemon_socket(const struct ctx *c)
{
	char *path = setting(c, "ctrl_socket");
	int fd = path ? cli_connect_unix(path, 0) : -1;

	mem_deref(path);

	return fd;
}


/*
 * Send `cmd dpprivacy_...` and take the module's JSON out of dpcore's
 * reply.  Returns the command's errno (0 when it said ok).
 */
static int ask_daemon(int fd, const char *text, cJSON **outp)
{
	char *reply = NULL, *output = NULL;
	cJSON *out = NULL;
	const cJSON *v;
	int err;

	*outp = NULL;
	err = cli_ctl_cmd(fd, text, 60000, &reply, &output);
	if (err == ENOTSUP) {
		fprintf(stderr, "%s: the daemon cannot do that: %s\n", who,
			reply ? reply : "");
	}
	else if (!err && !(out = cJSON_Parse(output))) {
		fprintf(stderr, "%s: the daemon answered: %s\n", who, output);
		err = EPROTO;
	}
	else if (!err && !cJSON_IsTrue(cJSON_GetObjectItem(out, "ok"))) {
		v = cJSON_GetObjectItem(out, "errno");
		err = cJSON_IsNumber(v) && v->valueint > 0 ? v->valueint : EIO;
	}
	mem_deref(reply);
	mem_deref(output);
	if (err)
		cJSON_Delete(out);
	else
		*outp = out;

	return err;
}


/* Through the daemon when one runs: 1 = not running (do it here). */
static int via_daemon(const struct ctx *c, const char *text, cJSON **outp)
{
	int fd = daemon_socket(c), err;

	if (fd < 0)
		return 1;
	err = ask_daemon(fd, text, outp);
	close(fd);

	return err;
}


static int open_here(struct ctx *c)
{
	if (become_state_owner(c))
		return DP_EXIT_FAIL;
	if (cli_privacy_open(c->s, who, true, &c->p))
		return DP_EXIT_FAIL;
	if (dp_privacy_sample(c->p, &c->now)) {
		fprintf(stderr, "%s: cannot read the clock\n", who);
		return DP_EXIT_FAIL;
	}

	return 0;
}


static int report(int err, const char *what)
{
	if (!err)
		return DP_EXIT_OK;

	if (err == EPERM)
		fprintf(stderr, "%s: %s refused: a legal hold is on (`deskphone"
			" privacy hold off` ends it)\n", who, what);
	else if (err == EBUSY)
		fprintf(stderr, "%s: %s: the call-record store is held by a"
			" daemon whose control socket does not answer\n", who,
			what);
	else if (err == EBADMSG)
		fprintf(stderr, "%s: %s: the privacy state or the audit log is"
			" damaged (see `deskphone privacy status` and `audit"
			" verify`)\n", who, what);
	else if (err == ENODEV)
		fprintf(stderr, "%s: %s: the daemon has no call-record store"
			" open\n", who, what);
	else
		fprintf(stderr, "%s: %s: %s\n", who, what, strerror(err));

	return DP_EXIT_FAIL;
}


/* --- reading --------------------------------------------------------------- */

static int do_status(struct ctx *c)
{
	struct mbuf *mb = mbuf_alloc(4096);
	int rc = open_here(c), err;

	if (rc || !mb) {
		mem_deref(mb);
		return rc ? rc : DP_EXIT_FAIL;
	}
	err = dp_privacy_status(c->p, &c->now, false, mb);
	if (!err)
		fwrite(mb->buf, 1, mb->end, stdout);
	mem_deref(mb);

	return report(err, "status");
}


static int do_export(struct ctx *c)
{
	const char *out = NULL;
	struct mbuf *mb;
	int rc, err;

	for (int i = 0; i < c->argc; i++) {
		if (!strcmp(c->argv[i], "--out") && i + 1 < c->argc)
			out = c->argv[++i];
		else
			return cli_usage(&dp_command_privacy);
	}

	rc = open_here(c);
	if (rc)
		return rc;
	mb = mbuf_alloc(65536);
	if (!mb)
		return DP_EXIT_FAIL;

	/* also while restricted: this is the person's own access */
	err = dp_privacy_export(c->p, &c->now, mb);
	if (!err && out)
		err = dp_write_atomic(out, mb->buf, mb->end, 0600);
	else if (!err && fwrite(mb->buf, 1, mb->end, stdout) != mb->end)
		err = EIO;
	if (!err && out)
		fprintf(stderr, "%s: wrote %s (%zu bytes)\n", who, out,
			mb->end);
	memset(mb->buf, 0, mb->size);
	mem_deref(mb);

	return report(err, "export");
}


static int do_audit(struct ctx *c)
{
	struct dp_audit_report rep;
	int rc, err;

	if (c->argc != 1 || strcmp(c->argv[0], "verify"))
		return cli_usage(&dp_command_privacy);
	rc = open_here(c);
	if (rc)
		return rc;

	err = dp_audit_verify(dp_privacy_audit(c->p), &rep);
	if (err == ENOENT) {
		printf("audit log %s: empty (nothing recorded yet)\n",
		       dp_audit_path(dp_privacy_audit(c->p)));
		return DP_EXIT_OK;
	}
	if (err) {
		printf("audit log %s: FAILED after %u good records: %s\n",
		       dp_audit_path(dp_privacy_audit(c->p)), rep.records,
		       rep.why);
		return DP_EXIT_FAIL;
	}
	printf("audit log %s: %u records verified (chain, MACs, anchor%s)\n",
	       dp_audit_path(dp_privacy_audit(c->p)), rep.records,
	       rep.anchor_lag ? "; the anchor lags one record behind: a"
	       " power cut between two writes" : "");

	return DP_EXIT_OK;
}


/* --- changing -------------------------------------------------------------- */

static void print_counts(const cJSON *j)
{
	const cJSON *v;
	bool first = true;

	cJSON_ArrayForEach(v, j) {
		if (!strcmp(v->string, "ok"))
			continue;
		if (cJSON_IsNumber(v))
			printf("%s%s %.0f", first ? "" : ", ", v->string,
			       v->valuedouble);
		else if (cJSON_IsString(v))
			printf("%s%s %s", first ? "" : ", ", v->string,
			       v->valuestring);
		else if (cJSON_IsBool(v))
			printf("%s%s %s", first ? "" : ", ", v->string,
			       cJSON_IsTrue(v) ? "yes" : "no");
		first = false;
	}
	printf("\n");
}


static int do_purge(struct ctx *c)
{
	struct dp_purge_report r;
	cJSON *j = NULL;
	char t[32];
	int err, rc;

	if (c->argc)
		return cli_usage(&dp_command_privacy);

	err = via_daemon(c, "dpprivacy_purge", &j);
	if (err == 0) {
		printf("purged by the daemon: ");
		print_counts(j);
		cJSON_Delete(j);
		return DP_EXIT_OK;
	}
	if (err != 1)
		return report(err, "purge");

	rc = open_here(c);
	if (rc)
		return rc;
	err = dp_privacy_purge(c->p, &c->now, &r);
	if (r.held) {
		printf("legal hold: nothing purged\n");
		return report(err, "purge");
	}
	printf("purged (trusted time %s, clock %s): call_records %llu,"
	       " personal_fields %llu, log_lines %llu, contacts %llu,"
	       " recordings %llu, push %llu\n",
	       dp_iso_time(r.trusted_s, t, sizeof(t)),
	       dp_clock_verdict_name(r.clock),
	       (unsigned long long)r.removed[DP_CLASS_CALL_RECORDS],
	       (unsigned long long)r.removed[DP_CLASS_CALL_RECORD_PERSONAL],
	       (unsigned long long)r.removed[DP_CLASS_SIP_TRACES_AND_LOGS],
	       (unsigned long long)r.removed[DP_CLASS_CONTACTS_CACHE],
	       (unsigned long long)r.removed[DP_CLASS_RECORDINGS_VOICEMAIL],
	       (unsigned long long)r.removed[DP_CLASS_PUSH_REGISTRATION]);

	return report(err, "purge");
}


/* Remove a file or a whole tree; quiet when it is not there. */
static int remove_tree(const char *path, unsigned *n)
{
	struct stat st;
	DIR *d;
	struct dirent *e;
	int err = 0;

	if (lstat(path, &st))
		return errno == ENOENT ? 0 : errno;

	if (S_ISDIR(st.st_mode)) {
		d = opendir(path);
		if (!d)
			return errno;
		while ((e = readdir(d))) {
			char sub[4096];

			if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
				continue;
			re_snprintf(sub, sizeof(sub), "%s/%s", path, e->d_name);
			if (!err)
				err = remove_tree(sub, n);
		}
		closedir(d);
		if (!err && rmdir(path))
			err = errno;
	}
	else if (unlink(path)) {
		err = errno;
	}
	if (!err)
		(*n)++;

	return err;
}


/*
 * After an erase, a factory reset also forgets who the phone is: its
 * provisioning, its own settings, its privacy state and audit log, and
 * the device secret, the root of every key it ever sealed with.
 */
static int factory_reset(struct ctx *c)
{
	static const char *const keys[] = {
		"provision_dir", "local_conf", "privacy_dir", "audit_log",
		"cdr_store_path", "recordings_dir", "push_dir",
		"audio_volume_file", "device_secret_file",
	};
	unsigned n = 0;
	int err = 0;

	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		char *v = setting(c, keys[i]), *anchor = NULL;
		struct stat st;
		int e;

		if (!v)
			continue;
		/* a store on a raw partition stays (zeroed by the erase) */
		if (!strcmp(keys[i], "cdr_store_path") && !stat(v, &st) &&
		    !S_ISREG(st.st_mode)) {
			mem_deref(v);
			continue;
		}
		e = remove_tree(v, &n);
		if (!strcmp(keys[i], "audit_log") &&
		    !re_sdprintf(&anchor, "%s.anchor", v))
			e = e ? e : remove_tree(anchor, &n);
		if (e) {
			fprintf(stderr, "%s: factory reset: %s: %s\n", who, v,
				strerror(e));
			err = err ? err : e;
		}
		mem_deref(anchor);
		mem_deref(v);
	}

	if (!err)
		printf("factory reset: %u files and folders removed; the"
		       " phone starts as new (a new device secret, no"
		       " provisioning)\n", n);

	return err;
}


static int do_erase(struct ctx *c)
{
	struct dp_erase_report r;
	bool yes = false, reset = false;
	cJSON *j = NULL;
	int err, rc;

	for (int i = 0; i < c->argc; i++) {
		if (!strcmp(c->argv[i], "--yes"))
			yes = true;
		else if (!strcmp(c->argv[i], "--factory-reset"))
			reset = true;
		else
			return cli_usage(&dp_command_privacy);
	}
	if (!yes) {
		fprintf(stderr, "%s: erase destroys every call record, log,"
			" trace and cached contact for good; say --yes\n",
			who);
		return DP_EXIT_USAGE;
	}

	if (reset) {
		int fd = daemon_socket(c);

		if (fd >= 0) {
			close(fd);
			fprintf(stderr, "%s: stop the daemon before a factory"
				" reset\n", who);
			return DP_EXIT_FAIL;
		}
	}
	else {
		err = via_daemon(c, "dpprivacy_erase", &j);
		if (err == 0) {
			printf("erased by the daemon: ");
			print_counts(j);
			cJSON_Delete(j);
			return DP_EXIT_OK;
		}
		if (err != 1)
			return report(err, "erase");
	}

	rc = open_here(c);
	if (rc)
		return rc;
	err = dp_privacy_erase(c->p, &c->now, &r);
	if (!err)
		printf("erased: call_records %llu, log_lines %llu, contacts"
		       " %llu, files %llu\n", (unsigned long long)r.records,
		       (unsigned long long)r.log_lines,
		       (unsigned long long)r.contacts,
		       (unsigned long long)r.files);
	if (!err && reset) {
		c->p = mem_deref(c->p);
		err = factory_reset(c);
	}

	return report(err, reset ? "factory reset" : "erase");
}


/* A request that only changes the state: the daemon's command, or the
 * library here. */
static int simple(struct ctx *c, const char *cmd, const char *what,
		  int (*here)(struct ctx *c))
{
	cJSON *j = NULL;
	int err = via_daemon(c, cmd, &j), rc;

	cJSON_Delete(j);
	if (err != 1)
		return report(err, what);

	rc = open_here(c);
	if (rc)
		return rc;

	return report(here(c), what);
}


static int restrict_on(struct ctx *c)
{
	return dp_privacy_restrict(c->p, true, &c->now);
}


static int restrict_off(struct ctx *c)
{
	return dp_privacy_restrict(c->p, false, &c->now);
}


static int do_restrict(struct ctx *c)
{
	int rc;

	if (c->argc != 1 || (strcmp(c->argv[0], "on") &&
			     strcmp(c->argv[0], "off")))
		return cli_usage(&dp_command_privacy);

	if (!strcmp(c->argv[0], "on")) {
		rc = simple(c, "dpprivacy_restrict on", "restrict",
			    restrict_on);
		if (!rc)
			printf("processing restricted: new calls keep no"
			       " personal fields, no SIP trace is kept, the"
			       " display and `deskphone cdr list|export`"
			       " show nothing stored, no debug bundle is"
			       " made; `deskphone privacy export` still"
			       " works\n");
	}
	else {
		rc = simple(c, "dpprivacy_restrict off", "restrict",
			    restrict_off);
		if (!rc)
			printf("processing no longer restricted\n");
	}

	return rc;
}


static const char *hold_reason;

static int hold_on(struct ctx *c)
{
	return dp_privacy_hold(c->p, true, hold_reason, &c->now);
}


static int hold_off(struct ctx *c)
{
	return dp_privacy_hold(c->p, false, NULL, &c->now);
}


static int do_hold(struct ctx *c)
{
	char cmd[200];
	bool on;
	int rc;

	hold_reason = NULL;
	if (c->argc < 1 || (strcmp(c->argv[0], "on") &&
			    strcmp(c->argv[0], "off")))
		return cli_usage(&dp_command_privacy);
	on = !strcmp(c->argv[0], "on");
	if (c->argc == 3 && !strcmp(c->argv[1], "--reason") && on)
		hold_reason = c->argv[2];
	else if (c->argc != 1)
		return cli_usage(&dp_command_privacy);
	if (hold_reason && strchr(hold_reason, '\n'))
		return cli_usage(&dp_command_privacy);

	re_snprintf(cmd, sizeof(cmd), "dpprivacy_hold %s%s%s",
		    on ? "on" : "off", hold_reason ? " " : "",
		    hold_reason ? hold_reason : "");
	rc = simple(c, cmd, "legal hold", on ? hold_on : hold_off);
	if (!rc)
		printf("legal hold %s\n", on ? "on: nothing is purged or"
		       " erased until it is off" : "off: the next purge"
		       " catches up");

	return rc;
}


static const char *object_value;

static int object_add(struct ctx *c)
{
	return dp_privacy_object(c->p, true, object_value, &c->now);
}


static int object_remove(struct ctx *c)
{
	return dp_privacy_object(c->p, false, object_value, &c->now);
}


static int do_object(struct ctx *c)
{
	char norm[DP_OBJECTION_LEN], cmd[300];
	const struct dp_privacy_state *st;
	bool add;
	int rc, err;

	if (c->argc == 1 && !strcmp(c->argv[0], "list")) {
		rc = open_here(c);
		if (rc)
			return rc;
		st = dp_privacy_state(c->p);
		for (size_t i = 0; i < st->nobjections; i++)
			printf("%s\n", st->objections[i]);
		if (!st->nobjections)
			fprintf(stderr, "%s: the do-not-record list is"
				" empty\n", who);
		return DP_EXIT_OK;
	}

	if (c->argc != 2 || (strcmp(c->argv[0], "add") &&
			     strcmp(c->argv[0], "remove")))
		return cli_usage(&dp_command_privacy);
	add = !strcmp(c->argv[0], "add");
	object_value = c->argv[1];
	if (dp_objection_normalise(object_value, norm, sizeof(norm))) {
		fprintf(stderr, "%s: '%s' is neither a number nor a SIP"
			" address\n", who, object_value);
		return DP_EXIT_USAGE;
	}

	re_snprintf(cmd, sizeof(cmd), "dpprivacy_object %s %s",
		    add ? "add" : "remove", norm);
	object_value = norm;
	rc = simple(c, cmd, "object", add ? object_add : object_remove);
	err = rc;
	if (!err)
		printf("%s %s the do-not-record list\n", norm,
		       add ? "is on" : "is off");

	return rc;
}


static int history_clear(struct ctx *c)
{
	return dp_privacy_history_clear(c->p, &c->now);
}


static int do_history_clear(struct ctx *c)
{
	if (c->argc)
		return cli_usage(&dp_command_privacy);

	return simple(c, "dpprivacy_history_clear", "history-clear",
		      history_clear);
}


static int do_correct(struct ctx *c)
{
	const char *name = NULL, *uri = NULL;
	bool del = false, record;
	struct mbuf *mb;
	cJSON *o, *j = NULL;
	char *text;
	uint64_t seq = 0;
	int err, rc;

	if (c->argc < 3 || (strcmp(c->argv[0], "record") &&
			    strcmp(c->argv[0], "contact")))
		return cli_usage(&dp_command_privacy);
	record = !strcmp(c->argv[0], "record");
	for (int i = 2; i < c->argc; i++) {
		if (!strcmp(c->argv[i], "--delete"))
			del = true;
		else if (!strcmp(c->argv[i], "--name") && i + 1 < c->argc)
			name = c->argv[++i];
		else if (!strcmp(c->argv[i], "--uri") && i + 1 < c->argc)
			uri = c->argv[++i];
		else
			return cli_usage(&dp_command_privacy);
	}
	if (del == (name || uri))
		return cli_usage(&dp_command_privacy);
	if (record) {
		char *end;

		seq = strtoull(c->argv[1], &end, 10);
		if (!seq || *end)
			return cli_usage(&dp_command_privacy);
	}

	o = cJSON_CreateObject();
	if (record)
		cJSON_AddNumberToObject(o, "record", (double)seq);
	else
		cJSON_AddStringToObject(o, "contact", c->argv[1]);
	if (del)
		cJSON_AddTrueToObject(o, "delete");
	if (name)
		cJSON_AddStringToObject(o, record ? "remote_name" : "name",
					name);
	if (uri)
		cJSON_AddStringToObject(o, record ? "remote_uri" : "uri", uri);
	text = cJSON_PrintUnformatted(o);
	cJSON_Delete(o);
	mb = mbuf_alloc(256);
	if (!text || !mb || mbuf_printf(mb, "dpprivacy_correct %s%c", text,
					0)) {
		cJSON_free(text);
		mem_deref(mb);
		return DP_EXIT_FAIL;
	}
	cJSON_free(text);

	err = via_daemon(c, (const char *)mb->buf, &j);
	mem_deref(mb);
	if (!err && record)
		seq = del ? 0 : (uint64_t)cJSON_GetNumberValue(
			cJSON_GetObjectItem(j, "record"));
	cJSON_Delete(j);
	if (err == 1) {
		rc = open_here(c);
		if (rc)
			return rc;
		if (record) {
			struct dp_record_fix fix = {
				.delete_record = del,
				.remote_uri = uri, .remote_name = name,
			};

			err = dp_privacy_correct_record(c->p, seq, &fix,
							&c->now, &seq);
		}
		else {
			err = dp_privacy_correct_contact(c->p, c->argv[1],
							 name, uri, &c->now);
		}
	}

	if (err == ENOENT)
		fprintf(stderr, "%s: no such %s\n", who,
			record ? "call record" : "contact");
	else if (err == EALREADY)
		fprintf(stderr, "%s: that call record's personal fields are"
			" already erased\n", who);
	else if (!err && record && !del)
		printf("call record corrected: now record %llu\n",
		       (unsigned long long)seq);
	else if (!err)
		printf("%s %s\n", record ? "call record" : "contact",
		       del ? "deleted" : "corrected");

	return err == ENOENT || err == EALREADY ? DP_EXIT_FAIL :
		report(err, "correct");
}


static const struct {
	const char *verb;
	int (*h)(struct ctx *c);
} verbs[] = {
	{ "status",        do_status },
	{ "export",        do_export },
	{ "erase",         do_erase },
	{ "restrict",      do_restrict },
	{ "hold",          do_hold },
	{ "object",        do_object },
	{ "purge-now",     do_purge },
	{ "audit",         do_audit },
	{ "correct",       do_correct },
	{ "history-clear", do_history_clear },
};


static int privacy_main(int argc, char **argv)
{
	struct ctx c;
	char *args[32];
	const char *verb = NULL;
	int n = 0, rc = DP_EXIT_USAGE;

	memset(&c, 0, sizeof(c));
	for (int i = 1; i < argc; i++) {
		if (cli_settings_option(&c.opts, argc, argv, &i))
			continue;
		if (!verb && argv[i][0] != '-')
			verb = argv[i];
		else if (verb && n < (int)(sizeof(args) / sizeof(args[0])))
			args[n++] = argv[i];
		else
			return cli_usage(&dp_command_privacy);
	}
	if (!verb)
		return cli_missing(&dp_command_privacy, "VERB");

	c.argc = n;
	c.argv = args;

	for (size_t k = 0; k < sizeof(verbs) / sizeof(verbs[0]); k++) {
		if (strcmp(verb, verbs[k].verb))
			continue;
		if (cli_settings_load(&c.opts, &c.s))
			return DP_EXIT_USAGE;
		rc = verbs[k].h(&c);
		mem_deref(c.p);
		mem_deref(c.s);
		return rc;
	}

	return cli_usage(&dp_command_privacy);
}


const struct dp_command dp_command_privacy = {
	.name    = "privacy",
	.summary = "the privacy policy and a person's requests",
	.usage   =
	"deskphone privacy [options] VERB ...\n"
	"\n"
	"  status                          what is held per class, its"
	" retention,\n"
	"                                  the clock, hold and restriction"
	" (JSON)\n"
	"  export [--out FILE]             everything held about the"
	" phone's user,\n"
	"                                  per class with purpose and"
	" retention (JSON)\n"
	"  erase --yes [--factory-reset]   destroy everything personal;"
	" with\n"
	"                                  --factory-reset (daemon stopped)"
	" also the\n"
	"                                  provisioning, settings, audit log"
	" and\n"
	"                                  device secret\n"
	"  restrict on|off                 new calls keep no personal"
	" fields, no SIP\n"
	"                                  trace is kept, nothing stored is"
	" shown\n"
	"  hold on|off [--reason TEXT]     legal hold: nothing is purged or"
	" erased\n"
	"  object add|remove NUMBER-OR-URI the do-not-record list; object"
	" list\n"
	"  purge-now                       erase what is past its retention"
	" now\n"
	"  audit verify                    check the audit log (exit 1 if"
	" altered)\n"
	"  correct record SEQ (--delete | [--name NAME] [--uri URI])\n"
	"  correct contact NAME (--delete | [--name NEW] [--uri URI])\n"
	"  history-clear                   the display's call list starts"
	" afresh\n"
	"\n"
	"Changes go through the running daemon when there is one.  Every"
	" request\n"
	"and purge is recorded in the audit log (never the data).\n"
	"\n"
	"options:\n"
	"  --config DIR, --local FILE, --set key=value   settings, as for"
	" `run`\n",
	.main    = privacy_main,
};
