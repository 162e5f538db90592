/**
 * @file apply.c  The phone applies a stick: read everything, verify
 *                everything, stage aside, swap in; or refuse and change
 *                nothing
 *
 * Order, and why:
 *  1. Take the lock, find out who we are and what we run on.
 *  2. Read manifest.json and manifest.sig whole, verify the signature
 *     against a trusted key before parsing anything signed.
 *  3. Replay: a version below max(highest applied, current) is refused.
 *  4. Find this phone's entry; read site.json, the entry and the support
 *     key, each checked against the manifest's size and SHA-256.
 *  5. Check every field; build the new accounts (password sealed) and
 *     settings in memory.  A key the phone does not know yet (trust on
 *     first use) is pinned only if a person at the phone confirmed it
 *     (trust.c); otherwise the stick is refused here, after everything
 *     else was checked, so that nobody is asked about a stick that would
 *     be refused anyway.
 *  6. Write the result file onto the stick ("applying"): a stick that
 *     cannot take it is refused now, before anything changes.
 *  7. Write the new generation aside (synced), then rewrite ${local_conf}
 *     (aside, synced, renamed): the commit.  Then the replay record,
 *     pruning, and the final result written over the first in place.
 * A failure before 7's rename leaves the phone exactly as it was.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <re.h>
#include "base/fileutil.h"
#include "privacy/crypto/crypto.h"
#include "prov_int.h"

struct apply {
	const struct prov_phone_cfg *cfg;
	struct prov_outcome *out;
	struct prov_identity id;
	struct prov_current cur;
	struct prov_stick stick;
	struct prov_manifest m;
	struct prov_sig sig;
	struct prov_report rep;
	struct prov_key *key;
	struct prov_site site;
	struct prov_phone phone;
	char *manifest;
	size_t manifest_len;
	uint8_t digest[32];
	uint64_t highest;
	uint8_t highest_digest[32];
	bool have_highest;
	char *tofu_pem;
	size_t tofu_len;
	char *support_pem;
	size_t support_len;
	char result_id[80];
	bool result_started;
	int lockfd;
};


static void progress(struct apply *a, enum prov_step step, const char *what)
{
	if (a->cfg->progress)
		a->cfg->progress(step, what, a->cfg->progress_arg);
}


/* Returns EINVAL so that callers can `return refuse(...)`. */
static int refuse(struct apply *a, const char *fmt, ...)
{
	va_list ap;

	a->out->result = PROV_REFUSED;
	va_start(ap, fmt);
	(void)re_vsnprintf(a->out->reason, sizeof(a->out->reason), fmt, ap);
	va_end(ap);

	return EINVAL;
}


static int refuse_report(struct apply *a)
{
	const char *first = prov_report_first(&a->rep);

	if (a->rep.count > 1)
		return refuse(a, "%s (and %u more problems)", first,
			      a->rep.count - 1);

	return refuse(a, "%s", first ? first : "invalid");
}


static void write_result(struct apply *a, const char *state, bool in_place)
{
	struct prov_outcome tmp = *a->out;
	struct mbuf *mb;
	int err;

	if (a->cfg->no_result || a->stick.dirfd < 0 || !a->result_id[0]) {
		a->out->result_written = false;
		if (!a->out->result_note[0])
			str_ncpy(a->out->result_note, a->cfg->no_result ?
				 "not asked for" : "no stick folder to write to",
				 sizeof(a->out->result_note));
		return;
	}

	mb = mbuf_alloc(PROV_RESULT_SIZE);
	if (!mb)
		return;

	if (state) {
		tmp.result = PROV_PENDING;
		str_ncpy(tmp.reason, state, sizeof(tmp.reason));
	}

	err = prov_outcome_json(&tmp, mb);
	if (!err)
		err = mbuf_write_u8(mb, 0);
	if (!err)
		err = prov_stick_write_result(&a->stick, a->result_id,
					      (char *)mb->buf, in_place);

	mem_deref(mb);

	a->out->result_written = !err;
	if (err)
		re_snprintf(a->out->result_note, sizeof(a->out->result_note),
			    "the result file could not be written to the"
			    " stick (%m)", err);
	else
		a->out->result_note[0] = '\0';
}


/* Read one listed file and check it against the manifest. */
static int read_listed(struct apply *a, const char *rel, size_t max,
		       char **bufp, size_t *lenp)
{
	const struct prov_mfile *f = prov_manifest_file(&a->m, rel);
	uint8_t digest[32];
	char why[300];
	int err;

	if (!f)
		return refuse(a, "manifest.json: %s is not listed", rel);

	err = prov_stick_read(&a->stick, rel, max, bufp, lenp);
	if (err) {
		prov_stick_why(why, sizeof(why), rel, err, max);
		return refuse(a, "%s", why);
	}

	if (*lenp != f->size || dp_sha256(*bufp, *lenp, digest) ||
	    0 != memcmp(digest, f->sha256, sizeof(digest))) {
		dp_wipe(*bufp, *lenp);
		*bufp = mem_deref(*bufp);
		return refuse(a, "%s: does not match manifest.json (SHA-256);"
			      " it was changed after signing", rel);
	}

	return 0;
}


static int read_raw(struct apply *a, const char *rel, size_t max,
		    char **bufp, size_t *lenp)
{
	char why[300];
	int err;

	err = prov_stick_read(&a->stick, rel, max, bufp, lenp);
	if (err) {
		prov_stick_why(why, sizeof(why), rel, err, max);
		return refuse(a, "%s", why);
	}

	return 0;
}


static int open_stick(struct apply *a, const char *root)
{
	int err = prov_stick_open(&a->stick, root, &a->cfg->io);

	if (err && a->stick.root_missing)
		return refuse(a, "cannot open the stick (%m); was it pulled"
			      " out?", err);

	switch (err) {

	case 0:
		return 0;

	case ENOENT:
		return refuse(a, "no %s folder on the stick", PROV_FOLDER);

	case ELOOP:
		return refuse(a, "%s is a symbolic link (refused)",
			      PROV_FOLDER);

	case ENOTDIR:
		return refuse(a, "%s is not a folder", PROV_FOLDER);

	default:
		return refuse(a, "cannot open the stick (%m); was it pulled"
			      " out?", err);
	}
}


static int check_signature(struct apply *a, const char *sigtext,
			   size_t siglen)
{
	unsigned ntrusted = 0;
	int err;

	if (prov_sig_parse(&a->sig, sigtext, siglen, &a->rep))
		return refuse_report(a);
	str_ncpy(a->out->key_id, a->sig.key_id, sizeof(a->out->key_id));

	prov_trusted_find(a->cfg, a->sig.key_id, &a->key, &ntrusted);

	if (!a->key && ntrusted)
		return refuse(a, "signed by key %s, which this phone does not"
			      " trust", a->sig.key_id);

	if (!a->key) {
		if (a->cfg->tofu != PROV_TOFU_ASK)
			return refuse(a, "this phone trusts no provisioning key"
				      " yet, and trust on first use is off"
				      " (provision_allow_tofu no)");

		err = read_raw(a, "signing-key.pub", PROV_MAX_PUBKEY,
			       &a->tofu_pem, &a->tofu_len);
		if (err)
			return err;

		if (prov_key_load_public(&a->key, a->tofu_pem, a->tofu_len))
			return refuse(a, "signing-key.pub: not an Ed25519"
				      " public key");

		if (strcmp(prov_key_id(a->key), a->sig.key_id))
			return refuse(a, "signing-key.pub: not the key that"
				      " signed manifest.json");
	}

	err = prov_verify(a->key, a->manifest, a->manifest_len, a->sig.sig);
	if (err)
		return refuse(a, "manifest.sig: the signature does not verify"
			      " (the stick was changed after signing, or"
			      " signed with another key)");

	return 0;
}


static bool same_digest_hex(const char *hex, const uint8_t digest[32])
{
	char mine[65];

	re_snprintf(mine, sizeof(mine), "%w", digest, (size_t)32);

	return 0 == strcmp(hex, mine);
}


/* 0: go on; EALREADY: this very stick is what runs now. */
static int check_version(struct apply *a)
{
	uint64_t floor = a->highest > a->cur.version ? a->highest :
		a->cur.version;

	if (a->m.version < floor)
		return refuse(a, "version %llu is older than version %llu,"
			      " which this phone has already applied (replay"
			      " refused)", (unsigned long long)a->m.version,
			      (unsigned long long)floor);

	if (a->m.version > floor)
		return 0;

	if (a->cur.provisioned && a->cur.version == a->m.version) {
		if (same_digest_hex(a->cur.manifest_sha256, a->digest))
			return EALREADY;
	}
	else if (a->have_highest && a->highest == a->m.version &&
		 0 == memcmp(a->highest_digest, a->digest, 32)) {
		return 0;   /* applied before, rolled back since: again */
	}

	return refuse(a, "version %llu was already applied with different"
		      " content; make the stick again to get a new version",
		      (unsigned long long)a->m.version);
}


static int find_entry(struct apply *a, const char **pathp)
{
	const char *path = NULL;

	if (a->id.mac_id[0]) {
		path = prov_manifest_phone(&a->m, a->id.mac_id);
		str_ncpy(a->result_id, a->id.mac_id, sizeof(a->result_id));
	}
	if (!path && a->id.serial_id[0]) {
		path = prov_manifest_phone(&a->m, a->id.serial_id);
		if (path || !a->result_id[0])
			str_ncpy(a->result_id, a->id.serial_id,
				 sizeof(a->result_id));
	}

	str_ncpy(a->out->phone_id, a->result_id, sizeof(a->out->phone_id));

	if (!path) {
		if (a->id.mac[0] && a->id.serial[0])
			return refuse(a, "no entry for this phone (MAC %s,"
				      " serial %s)", a->id.mac, a->id.serial);
		if (a->id.mac[0])
			return refuse(a, "no entry for this phone (MAC %s)",
				      a->id.mac);
		return refuse(a, "no entry for this phone (serial %s)",
			      a->id.serial);
	}

	*pathp = path;

	return 0;
}


static int read_and_check(struct apply *a)
{
	const char *entry = NULL;
	char *text = NULL;
	size_t len = 0;
	int err;

	err = find_entry(a, &entry);
	if (err)
		return err;

	progress(a, PROV_STEP_CHECKING, "checking the entry for this phone");

	err = read_listed(a, "site.json", PROV_MAX_SITE, &text, &len);
	if (err)
		return err;
	err = prov_site_parse(&a->site, "site.json", text, len, &a->rep);
	text = mem_deref(text);
	if (err)
		return refuse_report(a);

	err = read_listed(a, entry, PROV_MAX_PHONE, &text, &len);
	if (err)
		return err;
	err = prov_phone_parse(&a->phone, entry, text, len, &a->rep);
	dp_wipe(text, len);
	text = mem_deref(text);
	if (err)
		return refuse_report(a);

	/* The entry must say it is for this phone. */
	if (0 == strcmp(a->result_id, a->id.mac_id) &&
	    strcmp(a->phone.mac, a->id.mac))
		return refuse(a, "%s: mac: is not this phone's MAC", entry);
	if (0 == strcmp(a->result_id, a->id.serial_id) &&
	    strcmp(a->phone.serial, a->id.serial))
		return refuse(a, "%s: serial: is not this phone's serial",
			      entry);

	if (a->site.support_public_key[0]) {
		if (!prov_manifest_file(&a->m, a->site.support_public_key))
			return refuse(a, "site.json: support_public_key: the"
				      " file is not listed in manifest.json");
		err = read_listed(a, a->site.support_public_key,
				  PROV_MAX_PUBKEY, &a->support_pem,
				  &a->support_len);
		if (err)
			return err;
		if (prov_pubkey_check(a->support_pem, a->support_len))
			return refuse(a, "%s: not a PEM public key",
				      a->site.support_public_key);
	}

	return 0;
}


static int settings_body(struct apply *a, const char *gendir,
			 struct mbuf *mb)
{
	int err;

	err  = mbuf_printf(mb, "provision_version %llu\n",
			   (unsigned long long)a->m.version);
	err |= mbuf_printf(mb, "provision_manifest_sha256 %w\n", a->digest,
			   (size_t)32);
	err |= mbuf_printf(mb, "provision_site %s\n", a->site.name);
	err |= mbuf_printf(mb, "provision_phone %s\n", a->result_id);
	err |= mbuf_printf(mb, "provision_key_id %s\n", a->sig.key_id);
	err |= mbuf_printf(mb, "provision_applied_at %s\n", a->out->time);
	err |= mbuf_printf(mb, "accounts_file %s/no-accounts\n", gendir);
	err |= mbuf_printf(mb, "phone_extension %s\n", a->phone.extension);
	err |= mbuf_printf(mb, "phone_display_name %s\n",
			   a->phone.display_name);
	err |= mbuf_printf(mb, "phone_sip_user %s\n", a->phone.sip_user);
	err |= mbuf_printf(mb, "time_zone %s\n", a->site.time_zone);

	for (int r = 0; r < PROV_RET_MAX; r++) {
		if (a->site.retention_days[r])
			err |= mbuf_printf(mb, "retention_%s_days %u\n",
					   prov_retention_name(r),
					   a->site.retention_days[r]);
	}

	if (a->site.support_public_key[0])
		err |= mbuf_printf(mb, "support_public_key %s/support.pub\n",
				   gendir);

	err |= mbuf_printf(mb, "line_keys %zu\n", a->phone.nkeys);
	for (size_t i = 0; i < a->phone.nkeys; i++) {
		const struct prov_line_key *k = &a->phone.keys[i];

		err |= mbuf_printf(mb, "line_key_%zu %s", i + 1,
				   prov_key_type_name(k->type));
		if (k->type != PROV_KEY_LINE)
			err |= mbuf_printf(mb, " %s", k->target);
		if (k->label[0])
			err |= mbuf_printf(mb, " %s", k->label);
		err |= mbuf_write_u8(mb, '\n');
	}

	return err;
}


static int write_gen(struct apply *a, const char *tmpdir,
		     const char *accounts, struct mbuf *settings)
{
	static const char no_accounts[] =
		"# Provisioned accounts live in accounts.json, their"
		" passwords sealed.\n";
	char path[4096];
	int err;

	err = prov_fault(&a->cfg->io, "write", tmpdir);
	if (!err && mkdir(tmpdir, 0700) < 0)
		err = errno;
	if (err)
		return err;

	re_snprintf(path, sizeof(path), "%s/accounts.json", tmpdir);
	err = prov_write_file(path, accounts, strlen(accounts), &a->cfg->io);
	if (!err) {
		re_snprintf(path, sizeof(path), "%s/settings.conf", tmpdir);
		err = prov_write_file(path, settings->buf, settings->end,
				      &a->cfg->io);
	}
	if (!err) {
		re_snprintf(path, sizeof(path), "%s/no-accounts", tmpdir);
		err = prov_write_file(path, no_accounts,
				      sizeof(no_accounts) - 1, &a->cfg->io);
	}
	if (!err && a->support_pem) {
		re_snprintf(path, sizeof(path), "%s/support.pub", tmpdir);
		err = prov_write_file(path, a->support_pem, a->support_len,
				      &a->cfg->io);
	}

	return err;
}


static int commit(struct apply *a)
{
	const struct prov_io *io = &a->cfg->io;
	char gen[64], gens[4096], gendir[4096], tmpdir[4096], pin[4096];
	char *accounts = NULL, *block = NULL;
	uint8_t secret[DP_KEY_LEN];
	struct mbuf *settings = NULL;
	bool pinned = false;
	int err;

	err = dp_device_secret_load(a->cfg->device_secret_file, true, secret);
	if (err)
		return refuse(a, "cannot load the device secret (%m)", err);

	err = prov_accounts_build(&a->site, &a->phone, secret, &accounts);
	dp_wipe(secret, sizeof(secret));
	dp_wipe(a->phone.sip_password, sizeof(a->phone.sip_password));
	if (err)
		return refuse(a, "cannot seal the account (%m)", err);

	re_snprintf(gen, sizeof(gen), "v%llu-%llx-%04x",
		    (unsigned long long)a->m.version,
		    (unsigned long long)time(NULL),
		    (unsigned)(rand_u32() & 0xffff));
	re_snprintf(gens, sizeof(gens), "%s/gen", a->cfg->provision_dir);
	re_snprintf(gendir, sizeof(gendir), "%s/%s", gens, gen);
	re_snprintf(tmpdir, sizeof(tmpdir), "%s/.tmp-%s", gens, gen);

	settings = mbuf_alloc(1024);
	if (!settings || settings_body(a, gendir, settings)) {
		err = refuse(a, "out of memory");
		goto out;
	}

	/* The result file goes first: a stick that cannot take it is
	 * refused while nothing has changed. */
	if (!a->cfg->no_result) {
		write_result(a, "applying", false);
		if (!a->out->result_written) {
			err = refuse(a, "%s; nothing was changed",
				     a->out->result_note);
			a->out->result_note[0] = '\0';
			goto out;
		}
		a->result_started = true;
	}

	progress(a, PROV_STEP_SAVING, "saving the new configuration");

	err = prov_fault(io, "write", gens);
	if (!err)
		err = dp_mkdir_p(gens, 0700);
	if (!err)
		err = write_gen(a, tmpdir, accounts, settings);
	if (!err)
		err = prov_fault(io, "write", gendir);
	if (!err && rename(tmpdir, gendir) < 0)
		err = errno;
	if (!err)
		err = dp_sync_dir(gens);
	if (err) {
		(void)prov_rm_tree(tmpdir);
		err = refuse(a, "cannot save the new configuration (%m);"
			     " nothing was changed", err);
		goto out;
	}

	if (a->tofu_pem) {
		re_snprintf(pin, sizeof(pin), "%s/trusted-keys",
			    a->cfg->provision_dir);
		err = prov_fault(io, "write", pin);
		if (!err)
			err = dp_mkdir_p(pin, 0700);
		re_snprintf(pin, sizeof(pin), "%s/trusted-keys/%s.pub",
			    a->cfg->provision_dir, a->sig.key_id);
		if (!err)
			err = prov_write_file(pin, a->tofu_pem, a->tofu_len,
					      io);
		if (err) {
			(void)prov_rm_tree(gendir);
			err = refuse(a, "cannot keep the signing key (%m);"
				     " nothing was changed", err);
			goto out;
		}
		pinned = true;
	}

	err = prov_block_make(gen, a->cur.provisioned ? a->cur.generation : "",
			 (char *)settings->buf, settings->end, &block);
	if (!err)
		err = prov_local_conf_commit(a->cfg->local_conf, block, io);
	if (err) {
		(void)prov_rm_tree(gendir);
		if (pinned)
			(void)unlink(pin);
		err = refuse(a, "cannot save the new configuration (%s: %m);"
			     " nothing was changed", a->cfg->local_conf, err);
		goto out;
	}

	/* Committed.  What follows cannot undo it. */
	a->out->result = PROV_APPLIED;
	a->out->key_pinned = pinned;
	if (a->cur.provisioned)
		re_snprintf(a->out->reason, sizeof(a->out->reason),
			    "version %llu applied (was version %llu)",
			    (unsigned long long)a->m.version,
			    (unsigned long long)a->cur.version);
	else
		re_snprintf(a->out->reason, sizeof(a->out->reason),
			    "version %llu applied",
			    (unsigned long long)a->m.version);

	if (a->m.version > a->highest)
		(void)prov_highest_write(a->cfg->provision_dir, a->m.version,
					 a->digest, io);

	prov_gen_prune(a->cfg->provision_dir, gen,
		       a->cur.provisioned ? a->cur.generation : NULL);

 out:
	if (accounts)
		dp_wipe(accounts, strlen(accounts));
	mem_deref(accounts);
	mem_deref(settings);
	mem_deref(block);

	return err;
}


static int run(struct apply *a, const char *root)
{
	char why[PROV_REASON_LEN], *sigtext = NULL;
	size_t siglen = 0;
	int err;

	progress(a, PROV_STEP_READING, "reading the stick");

	err = prov_lock(a->cfg->provision_dir, &a->lockfd);
	if (err == EBUSY)
		return refuse(a, "another provisioning is in progress");
	if (err)
		return refuse(a, "cannot use %s (%m)", a->cfg->provision_dir,
			      err);

	if (prov_identity(a->cfg, &a->id, why, sizeof(why)))
		return refuse(a, "%s", why);
	str_ncpy(a->out->phone_id, a->id.mac[0] ? a->id.mac_id :
		 a->id.serial_id, sizeof(a->out->phone_id));

	err = prov_current(a->cfg->local_conf, &a->cur);
	if (err)
		return refuse(a, "cannot read the current configuration"
			      " (%s: %m)", a->cfg->local_conf, err);
	a->out->previous_version = a->cur.version;

	err = prov_highest_read(a->cfg->provision_dir, &a->highest,
				a->highest_digest, &a->have_highest);
	if (err)
		return refuse(a, "cannot read %s/highest (%m)",
			      a->cfg->provision_dir, err);

	err = open_stick(a, root);
	if (err)
		return err;
	str_ncpy(a->result_id, a->out->phone_id, sizeof(a->result_id));

	err = read_raw(a, "manifest.json", PROV_MAX_MANIFEST, &a->manifest,
		       &a->manifest_len);
	if (!err)
		err = read_raw(a, "manifest.sig", PROV_MAX_SIG, &sigtext,
			       &siglen);
	if (err)
		goto out;

	progress(a, PROV_STEP_VERIFYING, "checking the signature");

	err = check_signature(a, sigtext, siglen);
	if (err)
		goto out;

	if (prov_manifest_parse(&a->m, a->manifest, a->manifest_len,
				&a->rep)) {
		err = refuse_report(a);
		goto out;
	}

	a->out->version = a->m.version;
	str_ncpy(a->out->site, a->m.site, sizeof(a->out->site));

	if (strcmp(a->m.key_id, a->sig.key_id)) {
		err = refuse(a, "manifest.json: key_id: differs from"
			     " manifest.sig");
		goto out;
	}

	if (a->tofu_pem && !a->m.trust_on_first_use) {
		err = refuse(a, "this phone trusts no provisioning key yet,"
			     " and the stick does not ask to be trusted on"
			     " first use");
		goto out;
	}

	(void)dp_sha256(a->manifest, a->manifest_len, a->digest);

	err = check_version(a);
	if (err == EALREADY) {
		const char *entry = NULL;

		(void)find_entry(a, &entry);
		a->out->result = PROV_UNCHANGED;
		re_snprintf(a->out->reason, sizeof(a->out->reason),
			    "version %llu is already applied",
			    (unsigned long long)a->m.version);
		err = 0;
		goto out;
	}
	if (err)
		goto out;

	err = read_and_check(a);
	if (err)
		goto out;

	/* Everything else holds: a new key now needs a person's yes. */
	if (a->tofu_pem) {
		char hex[65];

		re_snprintf(hex, sizeof(hex), "%w", a->digest, (size_t)32);
		err = prov_trust_decide(&a->cfg->trust, a->sig.key_id, hex,
					a->out);
		if (err) {
			a->out->result = PROV_REFUSED;
			goto out;
		}
	}

	err = commit(a);

 out:
	mem_deref(sigtext);

	return err;
}


int prov_apply(const struct prov_phone_cfg *cfg, const char *root,
	       struct prov_outcome *out)
{
	struct apply a;

	if (!cfg || !cfg->provision_dir || !cfg->local_conf ||
	    !cfg->device_secret_file || !root || !out)
		return EINVAL;

	memset(out, 0, sizeof(*out));
	memset(&a, 0, sizeof(a));
	a.cfg = cfg;
	a.out = out;
	a.lockfd = -1;
	a.stick.dirfd = -1;
	prov_manifest_init(&a.m);
	prov_report_init(&a.rep);
	prov_now(out->time, sizeof(out->time));

	(void)run(&a, root);

	/* The result file: in place over "applying" when that was
	 * written, else a new file (best effort for a refusal). */
	write_result(&a, NULL, a.result_started);

	if (a.lockfd >= 0) {
		prov_save_last(cfg->provision_dir, out);
		prov_unlock(a.lockfd);
	}

	progress(&a, PROV_STEP_DONE, prov_result_name(out->result));

	prov_stick_close(&a.stick);
	prov_manifest_reset(&a.m);
	prov_report_reset(&a.rep);
	prov_phone_wipe(&a.phone);
	mem_deref(a.key);
	mem_deref(a.manifest);
	mem_deref(a.tofu_pem);
	mem_deref(a.support_pem);

	return 0;
}
