/**
 * @file bundle_create.c  `deskphone bundle create`: collect, redact,
 *                        archive, seal, audit
 *
 * Every member is redacted before it is written: the configuration files
 * first lose their secrets (sanitize.h), then everything goes through
 * one redactor seeded with the phone's identities, so a party has the
 * same token in the log, the trace, the configuration and the status.
 * The members are gathered twice: a learning pass over all of them
 * first, so that a secret or nonce learned from a later member (the SIP
 * trace) is also removed from an earlier one (the older log), then the
 * pass that redacts and archives them.
 * Every redacted member is checked once more for every known secret
 * before it is archived; a hit deletes the bundle.  The bundle is only
 * given its name once the audit record is written.
 *
 * Whom it is sealed to is decided here, for every caller (support.h):
 * with a support key configured every bundle is sealed to it, and a
 * plain one takes --plain, said on stderr and in the audit record.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>
#include <cjson/cJSON.h>
#include <re.h>
#include "base/fileutil.h"
#include "base/settings.h"
#include "modules/baresip_api.h"
#include "privacy/audit/audit.h"
#include "privacy/bundle/bundle.h"
#include "privacy/bundle/guard.h"
#include "privacy/bundle/sanitize.h"
#include "privacy/bundle/seal.h"
#include "privacy/bundle/support.h"
#include "privacy/bundle/tar.h"
#include "privacy/policy/privacy.h"
#include "privacy/redact/redact.h"
#include "cli.h"
#include "privacy_cli.h"
#include "phone_identity.h"
#include "bundle_cli.h"

enum { FILE_MAX = 4 << 20, STATUS_WAIT_MS = 3000 };

struct create {
	const struct cli_settings_opts *opts;
	struct dp_settings *s;
	struct dp_redactor *r;
	bool learning;              /* the learning pass: nothing archived */
	char *status;               /* the daemon's status reply, or NULL */
	bool status_asked;
	struct list ids;
	char tmpdir[4096];
	char partial[4200];
	char final[4096];
	int fd;
	struct dp_sealer *sealer;
	struct dp_tar_writer *tar;
	struct dp_guard *guard;
	bool leak;
	struct dp_bundle_file files[DP_BUNDLE_MAX_FILES];
	size_t nfiles;
	struct mbuf *removed;
	struct mbuf *state;
	unsigned secrets_removed;
};


/* --- the guard ---------------------------------------------------------- */

static int guard_init(struct create *c)
{
	int err = dp_guard_alloc(&c->guard);

	for (struct le *le = c->ids.head; le && !err; le = le->next) {
		const struct dp_phone_id *id = le->data;

		if (id->kind == DP_ID_SECRET)
			err = dp_guard_secret(c->guard, id->value);
	}

	return err;
}


/* --- output ---------------------------------------------------------------- */

static int sink(const void *p, size_t n, void *arg)
{
	struct create *c = arg;
	const uint8_t *b = p;

	if (c->sealer)
		return dp_sealer_write(c->sealer, p, n);

	while (n) {
		ssize_t w = write(c->fd, b, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return w < 0 ? errno : EIO;
		b += w;
		n -= (size_t)w;
	}

	return 0;
}


static struct dp_bundle_file *next_file(struct create *c, const char *name)
{
	struct dp_bundle_file *f;

	if (c->nfiles >= DP_BUNDLE_MAX_FILES)
		return NULL;
	f = &c->files[c->nfiles++];
	snprintf(f->name, sizeof(f->name), "%s", name);

	return f;
}


/* The line keys of a redacted settings file get their tokens. */
static int line_keys(struct create *c, const char *name, struct mbuf **outp)
{
	struct mbuf *in = *outp, *out = mbuf_alloc(in->end + 256);
	int err;

	if (!out)
		return ENOMEM;
	err = dp_sanitize_line_keys((const char *)in->buf, in->end, name,
				    c->r, out, c->removed);
	memset(in->buf, 0, in->size);
	mem_deref(in);
	*outp = out;

	return err;
}


/* A redacted text from memory; `settings`: a `key value` file. */
static int add_text_as(struct create *c, const char *name, const char *p,
		       size_t n, bool settings)
{
	struct mbuf *out = mbuf_alloc(n + 256);
	struct dp_bundle_file *f;
	int err;

	if (c->learning)
		return dp_redact_learn(c->r, p, n);

	f = next_file(c, name);
	if (!out || !f) {
		mem_deref(out);
		return out ? ENOSPC : ENOMEM;
	}

	err = dp_redact_buf(c->r, p, n, out);
	if (!err && settings)
		err = line_keys(c, name, &out);
	if (!err) {
		c->leak |= dp_guard_text(c->guard, (const char *)out->buf,
					 out->end);
		err = dp_tar_add_mem(c->tar, name, out->buf, out->end,
				     f->sha256);
	}
	f->size = out->end;

	memset(out->buf, 0, out->size);
	mem_deref(out);

	return err;
}


static int add_text(struct create *c, const char *name, const char *p,
		    size_t n)
{
	return add_text_as(c, name, p, n, false);
}


/* A file redacted through a temporary file: any size, little memory. */
static int add_file(struct create *c, const char *name, const char *path)
{
	char tmp[4200];
	struct dp_bundle_file *f;
	struct stat st;
	int in, out, err;

	in = open(path, O_RDONLY | O_CLOEXEC);
	if (in < 0)
		return errno;
	if (c->learning) {
		err = dp_redact_learn_fd(c->r, in);
		close(in);
		return err;
	}

	snprintf(tmp, sizeof(tmp), "%s/member", c->tmpdir);
	out = open(tmp, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (out < 0) {
		err = errno;
		close(in);
		return err;
	}

	err = dp_redact_fd(c->r, in, out);
	close(in);
	if (!err && (fstat(out, &st) || lseek(out, 0, SEEK_SET) < 0))
		err = errno;
	if (!err) {
		bool hit = false;

		err = dp_guard_fd(c->guard, out, &hit);
		c->leak |= hit;
	}
	if (!err && lseek(out, 0, SEEK_SET) < 0)
		err = errno;
	f = err ? NULL : next_file(c, name);
	if (!err && !f)
		err = ENOSPC;
	if (!err) {
		f->size = (uint64_t)st.st_size;
		err = dp_tar_add_fd(c->tar, name, out, f->size, f->sha256);
	}

	close(out);
	unlink(tmp);

	return err;
}


/* --- members --------------------------------------------------------------- */

static char *setting(const struct create *c, const char *key)
{
	char errbuf[DP_ERRBUF], *v = NULL;

	if (!dp_settings_has(c->s, key) ||
	    dp_settings_get(c->s, key, &v, errbuf, sizeof(errbuf)))
		return NULL;

	return v;
}


static int add_logs(struct create *c)
{
	static const char *const names[] = { "deskphone.log.1",
					     "deskphone.log" };
	char *dir = setting(c, "log_dir");
	int err = 0;

	for (size_t i = 0; i < 2 && !err && dir; i++) {
		char path[4096], member[64];

		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		snprintf(member, sizeof(member), "log/%s", names[i]);
		if (access(path, R_OK)) {
			err = mbuf_printf(c->state, "log: %s absent\n", member);
			continue;
		}
		err = add_file(c, member, path);
	}
	if (!dir)
		err = mbuf_printf(c->state, "log: no log_dir setting\n");

	mem_deref(dir);

	return err;
}


enum cfg { CFG_SETTINGS, CFG_ACCOUNTS };

static int add_config(struct create *c, const char *member, const char *path,
		      enum cfg kind)
{
	struct mbuf *clean;
	char *buf = NULL;
	size_t len = 0;
	int err;

	if (!path)
		return 0;
	err = dp_read_file(path, FILE_MAX, &buf, &len);
	if (err == ENOENT || err == EACCES)
		return mbuf_printf(c->state, "config: %s %s\n", member,
				   err == ENOENT ? "absent" : "not readable");
	if (err)
		return err;

	clean = mbuf_alloc(len + 256);
	if (!clean) {
		err = ENOMEM;
		goto out;
	}

	{
		size_t before = c->removed->end;

		err = kind == CFG_ACCOUNTS ?
			dp_sanitize_accounts(buf, len, member, clean,
					     c->removed) :
			dp_sanitize_settings(buf, len, member, clean,
					     c->removed);
		if (!err)
			err = add_text_as(c, member, (const char *)clean->buf,
					  clean->end, kind == CFG_SETTINGS);
		for (size_t i = before; i < c->removed->end; i++)
			c->secrets_removed += c->removed->buf[i] == '\n';
	}

 out:
	memset(buf, 0, len);
	mem_deref(buf);
	if (clean)
		memset(clean->buf, 0, clean->size);
	mem_deref(clean);

	return err;
}


static int add_configs(struct create *c)
{
	char *dir = setting(c, "config_dir"), *board = setting(c, "board_file");
	char *local = setting(c, "local_conf"), *acc = setting(c, "accounts_file");
	char *run = setting(c, "run_dir"), path[4096];
	int err;

	snprintf(path, sizeof(path), "%s/deskphone.conf", dir ? dir : ".");
	err = add_config(c, "config/deskphone.conf", path, CFG_SETTINGS);
	if (!err)
		err = add_config(c, "config/board.conf", board, CFG_SETTINGS);
	if (!err)
		err = add_config(c, "config/local.conf", local, CFG_SETTINGS);
	if (!err)
		err = add_config(c, "config/accounts", acc, CFG_ACCOUNTS);
	for (size_t i = 0; !err && i < c->opts->nlocals; i++) {
		char member[64];

		snprintf(member, sizeof(member), "config/local-%zu.conf", i + 1);
		err = add_config(c, member, c->opts->locals[i], CFG_SETTINGS);
	}
	if (!err && run) {
		snprintf(path, sizeof(path), "%s/baresip/config", run);
		err = add_config(c, "config/baresip.config", path,
				 CFG_SETTINGS);
	}
	if (!err) {
		if (!c->removed->end)
			err = mbuf_write_str(c->removed, "nothing removed\n");
		if (!err)
			err = add_text(c, "config/removed.txt",
				       (const char *)c->removed->buf,
				       c->removed->end);
	}

	mem_deref(dir);
	mem_deref(board);
	mem_deref(local);
	mem_deref(acc);
	mem_deref(run);

	return err;
}


/* `status` over the control socket: one JSON line, or NULL. */
static char *daemon_status(const char *path)
{
	struct sockaddr_un sun;
	char buf[65536];
	size_t have = 0;
	char *out = NULL, *nl;
	int fd;

	if (!path || strlen(path) >= sizeof(sun.sun_path))
		return NULL;
	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	memcpy(sun.sun_path, path, strlen(path));

	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return NULL;
	if (connect(fd, (struct sockaddr *)&sun, sizeof(sun)) ||
	    send(fd, "status\n", 7, MSG_NOSIGNAL) != 7)
		goto out;

	while (have < sizeof(buf) - 1) {
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		ssize_t k;

		if (poll(&pfd, 1, STATUS_WAIT_MS) <= 0)
			break;
		k = read(fd, buf + have, sizeof(buf) - 1 - have);
		if (k <= 0)
			break;
		have += (size_t)k;
		buf[have] = '\0';
		nl = strchr(buf, '\n');
		if (nl) {
			*nl = '\0';
			out = mem_alloc(strlen(buf) + 1, NULL);
			if (out)
				strcpy(out, buf);
			break;
		}
	}

 out:
	close(fd);

	return out;
}


static int add_state(struct create *c)
{
	static const char *const keys[] = {
		"board", "board_name", "sip_trace", "sip_listen",
		"audio_modules", "audio_source", "audio_player",
		"audio_alert", "codec_modules", "app_modules",
		"audio_route_handset_pcm", "audio_route_headset_pcm",
		"audio_route_speaker_pcm", "audio_route_ringer_pcm", NULL
	};
	char *sock = setting(c, "ctrl_socket"), *status;
	struct utsname u;
	struct mbuf *st = c->state;
	int err = 0;

	err |= mbuf_printf(st, "deskphone: %s (%s)\n", DP_VERSION, DP_GITREV);
	err |= mbuf_printf(st, "baresip module interface: %s\n",
			   DP_BARESIP_VERSION);
	if (0 == uname(&u))
		err |= mbuf_printf(st, "kernel: %s %s %s\n", u.sysname,
				   u.release, u.machine);

	for (size_t i = 0; keys[i]; i++) {
		char *v = setting(c, keys[i]);

		if (v)
			err |= mbuf_printf(st, "%s: %s\n", keys[i], v);
		mem_deref(v);
	}

	/* asked once: both passes see the same reply */
	if (!c->status_asked)
		c->status = daemon_status(sock);
	c->status_asked = true;
	status = c->status;
	if (!status) {
		err |= mbuf_printf(st, "daemon: not running (no answer on"
				   " the control socket)\n");
	}
	else {
		cJSON *j = cJSON_Parse(status), *accs, *a;
		unsigned n = 0, reg = 0, calls = 0;

		accs = j ? cJSON_GetObjectItemCaseSensitive(j, "accounts") : NULL;
		cJSON_ArrayForEach(a, accs) {
			cJSON *r = cJSON_GetObjectItemCaseSensitive(a,
								    "registered");

			n++;
			reg += cJSON_IsTrue(r);
			calls += (unsigned)cJSON_GetArraySize(
				cJSON_GetObjectItemCaseSensitive(a, "calls"));
		}
		cJSON_Delete(j);

		err |= mbuf_printf(st, "daemon: running\n"
				   "registration: %u of %u accounts"
				   " registered\ncalls: %u\n", reg, n, calls);
		if (!err)
			err = add_text(c, "status.json", status,
				       strlen(status));
	}
	mem_deref(sock);

	if (!err)
		err = add_text(c, "state.txt", (const char *)st->buf, st->end);

	return err;
}


static int add_cdr_stats(struct create *c)
{
	struct mbuf *mb = mbuf_alloc(512);
	int err = mb ? dp_bundle_cdr_stats(c->s, mb) : ENOMEM;

	if (!err)
		err = add_text(c, "cdr-stats.txt", (const char *)mb->buf,
			       mb->end);
	mem_deref(mb);

	return err;
}


static int add_manifest(struct create *c, const char *created, bool random)
{
	const struct dp_redact_stats *rs = dp_redactor_stats(c->r);
	struct mbuf *mb = mbuf_alloc(4096);
	char producer[128], red[512];
	uint8_t sha[32];
	int err;

	if (!mb)
		return ENOMEM;
	snprintf(producer, sizeof(producer), "deskphone %s (%s)", DP_VERSION,
		 DP_GITREV);
	snprintf(red, sizeof(red), "\"key\":\"%s\",\"lines\":%llu,"
		 "\"tokens\":%llu,\"secrets\":%llu,\"long_lines\":%llu,"
		 "\"config_secrets_removed\":%u",
		 random ? "random, not kept" : "from a key file",
		 (unsigned long long)rs->lines, (unsigned long long)rs->tokens,
		 (unsigned long long)rs->secrets,
		 (unsigned long long)rs->long_lines, c->secrets_removed);

	err = dp_bundle_manifest(c->files, c->nfiles, created, producer, red,
				 mb);
	if (!err)
		err = dp_tar_add_mem(c->tar, "manifest.json", mb->buf, mb->end,
				     sha);
	mem_deref(mb);

	return err;
}


/* Every member but the manifest, in order. */
static int add_members(struct create *c)
{
	int err = add_logs(c);

	if (!err)
		err = add_configs(c);
	if (!err)
		err = add_cdr_stats(c);
	if (!err)
		err = add_state(c);

	return err;
}


/*
 * The learning pass: every member is read as it will be redacted, and
 * what any of them teaches (a digest response, a nonce, a key, a name
 * from a SIP header) is then removed from all of them, also from one
 * archived before the member it was learned from.  What the members
 * wrote on the side (removed.txt, state.txt) is made again by the real
 * pass.
 */
static int learn_members(struct create *c)
{
	int err;

	c->learning = true;
	err = add_members(c);
	c->learning = false;

	memset(c->removed->buf, 0, c->removed->size);
	mbuf_rewind(c->removed);
	memset(c->state->buf, 0, c->state->size);
	mbuf_rewind(c->state);
	c->secrets_removed = 0;

	return err;
}


/* --- the command ------------------------------------------------------- */

static void cleanup(struct create *c)
{
	char path[4200];

	if (c->tmpdir[0]) {
		snprintf(path, sizeof(path), "%s/member", c->tmpdir);
		unlink(path);
		rmdir(c->tmpdir);
	}
	mem_deref(c->guard);
	mem_deref(c->tar);
	mem_deref(c->sealer);
	mem_deref(c->removed);
	if (c->status)
		memset(c->status, 0, strlen(c->status));
	mem_deref(c->status);
	if (c->state)
		memset(c->state->buf, 0, c->state->size);
	mem_deref(c->state);
	mem_deref(c->r);
	mem_deref(c->s);
	list_flush(&c->ids);
}


int dp_bundle_create_main(int argc, char **argv)
{
	struct cli_settings_opts opts;
	struct create c;
	const char *out_dir = ".", *to_key = NULL, *key_file = NULL;
	char created[32], stamp[32], fields[512], why[4400];
	struct dp_bundle_target target;
	bool plain = false;
	struct dp_privacy *priv = NULL;
	uint8_t key[32];
	time_t now = time(NULL);
	struct tm tm;
	int err, rc = DP_EXIT_FAIL;

	memset(&opts, 0, sizeof(opts));
	memset(&c, 0, sizeof(c));
	c.fd = -1;
	c.opts = &opts;

	for (int i = 1; i < argc; i++) {
		if (cli_settings_option(&opts, argc, argv, &i))
			continue;
		if (0 == strcmp(argv[i], "--out") && i + 1 < argc)
			out_dir = argv[++i];
		else if (0 == strcmp(argv[i], "--to-key") && i + 1 < argc)
			to_key = argv[++i];
		else if (0 == strcmp(argv[i], "--key-file") && i + 1 < argc)
			key_file = argv[++i];
		else if (0 == strcmp(argv[i], "--plain"))
			plain = true;
		else
			return dp_bundle_usage();
	}
	if (to_key && plain)
		return dp_bundle_usage();

	if (key_file && dp_key_file_read(key_file, key))
		return DP_EXIT_USAGE;
	if (cli_settings_load(&opts, &c.s))
		return DP_EXIT_USAGE;

	/* sealed or not: before anything is read or written */
	err = dp_bundle_target(c.s, to_key, plain, &target, why, sizeof(why));
	if (err) {
		fprintf(stderr, "deskphone bundle: %s; no bundle made\n", why);
		memset(key, 0, sizeof(key));
		mem_deref(c.s);
		return DP_EXIT_FAIL;
	}
	if (target.plain_chosen)
		fprintf(stderr, "deskphone bundle: not sealed, by choice"
			" (--plain), although a support key is configured;"
			" the audit log says so\n");

	err = dp_redactor_alloc(&c.r, key_file ? key : NULL,
				key_file ? sizeof(key) : 0, 0);
	memset(key, 0, sizeof(key));
	if (!err)
		err = dp_phone_ids_collect(&c.ids, &opts, c.s);
	if (!err)
		err = dp_phone_ids_seed(&c.ids, c.r);
	if (!err)
		err = guard_init(&c);
	c.removed = mbuf_alloc(512);
	c.state = mbuf_alloc(1024);
	if (!err && (!c.removed || !c.state))
		err = ENOMEM;
	if (err == EACCES) {
		fprintf(stderr, "deskphone bundle: the phone's secrets cannot"
			" all be read (run as root or the daemon's user); no"
			" bundle made\n");
		goto out;
	}
	if (err) {
		fprintf(stderr, "deskphone bundle: preparing: %s\n",
			strerror(err));
		goto out;
	}

	/* a restriction refuses bundles: they are made of stored data */
	if (cli_privacy_refuse(c.s, "deskphone bundle", "bundle_create"))
		goto out;
	if (cli_privacy_open(c.s, "deskphone bundle", false, &priv)) {
		fprintf(stderr, "deskphone bundle: no audit log, no bundle\n");
		goto out;
	}

	gmtime_r(&now, &tm);
	strftime(created, sizeof(created), "%Y-%m-%dT%H:%M:%SZ", &tm);
	strftime(stamp, sizeof(stamp), "%Y%m%dT%H%M%SZ", &tm);
	/* a second bundle within the same second gets a number */
	for (unsigned k = 1; k < 100; k++) {
		char nr[8] = "";

		if (k > 1)
			snprintf(nr, sizeof(nr), "-%u", k);
		snprintf(c.final, sizeof(c.final), "%s/deskphone-bundle-%s%s"
			 ".tar%s", out_dir, stamp, nr,
			 target.key[0] ? ".enc" : "");
		snprintf(c.partial, sizeof(c.partial), "%s.partial", c.final);
		if (access(c.final, F_OK) && access(c.partial, F_OK))
			break;
	}
	snprintf(c.tmpdir, sizeof(c.tmpdir), "%s/dp-bundle.XXXXXX",
		 getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	if (!mkdtemp(c.tmpdir)) {
		c.tmpdir[0] = '\0';
		fprintf(stderr, "deskphone bundle: temporary directory: %s\n",
			strerror(errno));
		goto out;
	}

	if (0 == access(c.final, F_OK)) {
		fprintf(stderr, "deskphone bundle: %s exists\n", c.final);
		goto out;
	}
	c.fd = open(c.partial, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (c.fd < 0) {
		fprintf(stderr, "deskphone bundle: %s: %s\n", c.partial,
			strerror(errno));
		goto out;
	}

	if (target.key[0]) {
		err = dp_sealer_open(&c.sealer, target.key, c.fd);
		if (err) {
			fprintf(stderr, "deskphone bundle: %s%s: %s; no bundle"
				" made\n", to_key ? "" : "support key ("
				DP_SUPPORT_KEY_SETTING ") ", target.key,
				err == EINVAL ? "not an X25519 public key in"
				" PEM" : strerror(err));
			goto fail;
		}
	}

	err = learn_members(&c);
	if (!err)
		err = dp_tar_writer_alloc(&c.tar, now, sink, &c);
	if (!err)
		err = add_members(&c);
	if (!err)
		err = add_manifest(&c, created, !key_file);
	if (!err)
		err = dp_tar_finish(c.tar);
	if (!err && c.sealer)
		err = dp_sealer_close(c.sealer);
	if (!err && fsync(c.fd))
		err = errno;
	if (err) {
		fprintf(stderr, "deskphone bundle: writing %s: %s\n",
			c.partial, strerror(err));
		goto fail;
	}

	if (c.leak) {
		fprintf(stderr, "deskphone bundle: a known secret was found"
			" in the archive after redaction; no bundle made\n");
		goto fail;
	}

	snprintf(fields, sizeof(fields), "\"files\":%zu,\"bytes\":%llu,"
		 "\"sealed\":%s,%s\"tokens\":%llu,\"secrets\":%llu,"
		 "\"config_secrets_removed\":%u", c.nfiles + 1,
		 (unsigned long long)dp_tar_bytes(c.tar),
		 target.key[0] ? "true" : "false",
		 target.plain_chosen ? "\"plain_by_choice\":true," : "",
		 (unsigned long long)dp_redactor_stats(c.r)->tokens,
		 (unsigned long long)dp_redactor_stats(c.r)->secrets,
		 c.secrets_removed);
	err = dp_audit_append(dp_privacy_audit(priv), (int64_t)now,
			      "bundle_create", fields);
	if (err) {
		fprintf(stderr, "deskphone bundle: audit log %s: %s; no bundle"
			" made\n", dp_audit_path(dp_privacy_audit(priv)),
			err == EBADMSG ? "damaged or cut short" :
			strerror(err));
		goto fail;
	}

	if (rename(c.partial, c.final)) {
		fprintf(stderr, "deskphone bundle: %s: %s\n", c.final,
			strerror(errno));
		goto fail;
	}
	close(c.fd);
	c.fd = -1;
	printf("%s\n", c.final);
	rc = DP_EXIT_OK;
	goto out;

 fail:
	unlink(c.partial);
 out:
	if (c.fd >= 0)
		close(c.fd);
	cleanup(&c);
	mem_deref(priv);

	return rc;
}
