/**
 * @file make.c  The installer's side: site.json + phones CSV + signing
 *               key → a signed stick
 *
 * Everything is read and checked first and the stick is built in memory;
 * only a clean run writes, into a folder beside the old one that is then
 * swapped in (the old folder's results/ are carried over).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <re.h>
#include "base/fileutil.h"
#include "privacy/crypto/crypto.h"
#include "prov_int.h"

struct outfile {
	struct le le;
	char *path;        /* relative to the stick folder */
	char *data;
	size_t len;
};

struct seen {
	struct le le;
	struct le he;
	char *key;         /* "mac:...", "serial:...", "ext:...", "user:..." */
	unsigned line;
};

struct make {
	const struct prov_make_opts *o;
	struct prov_report *rep;
	struct prov_manifest m;
	struct list files;       /* struct outfile */
	struct hash *seen;
	struct list seen_l;
	unsigned phones;
};


static void outfile_destructor(void *arg)
{
	struct outfile *f = arg;

	list_unlink(&f->le);
	if (f->data)
		dp_wipe(f->data, f->len);
	mem_deref(f->data);
	mem_deref(f->path);
}


static void seen_destructor(void *arg)
{
	struct seen *s = arg;

	list_unlink(&s->le);
	hash_unlink(&s->he);
	mem_deref(s->key);
}


/* Takes `data` (a mem string). */
static int add_file(struct make *mk, const char *path, char *data,
		    size_t len)
{
	struct outfile *f = mem_zalloc(sizeof(*f), outfile_destructor);
	int err;

	if (!f) {
		mem_deref(data);
		return ENOMEM;
	}

	f->data = data;
	f->len = len;
	err = str_dup(&f->path, path);
	if (!err)
		err = prov_manifest_add_file(&mk->m, path, data, len);
	if (err) {
		mem_deref(f);
		return err;
	}

	list_append(&mk->files, &f->le, f);

	return 0;
}


static bool seen_match(struct le *le, void *arg)
{
	const struct seen *s = le->data;

	return 0 == strcmp(s->key, arg);
}


/* false (and a message) when `what` was seen on another line already. */
static bool unique(struct make *mk, const char *kind, const char *val,
		   unsigned line, const char *col)
{
	char key[160];
	struct seen *s;
	struct le *le;

	re_snprintf(key, sizeof(key), "%s:%s", kind, val);
	le = hash_lookup(mk->seen, hash_joaat_str(key), seen_match, key);
	if (le) {
		s = le->data;
		prov_report_add(mk->rep, "%s:%u: %s: the same as on line %u",
				mk->o->phones_path, line, col, s->line);
		return false;
	}

	s = mem_zalloc(sizeof(*s), seen_destructor);
	if (!s || str_dup(&s->key, key)) {
		mem_deref(s);
		return true;
	}
	s->line = line;
	hash_append(mk->seen, hash_joaat_str(key), &s->he, s);
	list_append(&mk->seen_l, &s->le, s);

	return true;
}


static int on_phone(const struct prov_phone *p, unsigned line, void *arg)
{
	struct make *mk = arg;
	char id[80], path[100], mac_id[13];
	char *json = NULL;
	bool ok = true;
	int err;

	if (p->mac[0])
		ok &= unique(mk, "mac", p->mac, line, "mac");
	if (p->serial[0])
		ok &= unique(mk, "serial", p->serial, line, "serial");
	ok &= unique(mk, "ext", p->extension, line, "extension");
	ok &= unique(mk, "user", p->sip_user, line, "sip_user");
	if (!ok)
		return EINVAL;

	prov_phone_id(p, id, sizeof(id));
	re_snprintf(path, sizeof(path), "phones/%s.json", id);

	err = prov_phone_print(p, &json);
	if (!err)
		err = add_file(mk, path, json, strlen(json));
	if (!err && p->mac[0]) {
		prov_mac_id(p->mac, mac_id);
		err = prov_manifest_add_phone(&mk->m, mac_id, path);
	}
	if (!err && p->serial[0]) {
		re_snprintf(id, sizeof(id), "serial-%s", p->serial);
		err = prov_manifest_add_phone(&mk->m, id, path);
	}

	++mk->phones;

	return err;
}


static void dir_of(const char *path, char *dir, size_t sz)
{
	const char *slash = strrchr(path, '/');

	if (!slash) {
		str_ncpy(dir, ".", sz);
	}
	else if (slash == path) {
		str_ncpy(dir, "/", sz);
	}
	else {
		size_t n = (size_t)(slash - path);

		if (n >= sz)
			n = sz - 1;
		memcpy(dir, path, n);
		dir[n] = '\0';
	}
}


static int read_site(struct make *mk, struct prov_site *site)
{
	char *text = NULL, dir[4096], keypath[4200];
	size_t len = 0;
	int err;

	err = dp_read_file(mk->o->site_path, PROV_MAX_SITE, &text, &len);
	if (err) {
		prov_report_add(mk->rep, "%s: %s", mk->o->site_path,
				err == EFBIG ? "larger than 65536 bytes" :
				strerror(err));
		return err;
	}

	err = prov_site_parse(site, mk->o->site_path, text, len, mk->rep);
	mem_deref(text);
	if (err)
		return err;

	if (!site->support_public_key[0])
		return 0;

	dir_of(mk->o->site_path, dir, sizeof(dir));
	re_snprintf(keypath, sizeof(keypath), "%s/%s", dir,
		    site->support_public_key);

	err = dp_read_file(keypath, PROV_MAX_PUBKEY, &text, &len);
	if (!err && prov_pubkey_check(text, len))
		err = EPROTO;
	if (err) {
		prov_report_add(mk->rep, "%s: support_public_key: %s: %s",
				mk->o->site_path, keypath,
				err == EPROTO ? "not a PEM public key" :
				strerror(err));
		mem_deref(text);
		return err;
	}

	/* On the stick it is always support.pub. */
	str_ncpy(site->support_public_key, "support.pub",
		 sizeof(site->support_public_key));

	return add_file(mk, "support.pub", text, len);
}


static int read_phones(struct make *mk)
{
	char *text = NULL;
	size_t len = 0;
	int err;

	err = dp_read_file(mk->o->phones_path, PROV_MAX_CSV, &text, &len);
	if (err) {
		prov_report_add(mk->rep, "%s: %s", mk->o->phones_path,
				err == EFBIG ? "file too large" :
				strerror(err));
		return err;
	}

	err = prov_phones_csv(mk->o->phones_path, text, len, on_phone, mk,
			      mk->rep);
	dp_wipe(text, len);
	mem_deref(text);

	return err;
}


/* The version on the stick now, if there is a readable one. */
static uint64_t old_version(const char *root)
{
	struct prov_manifest m;
	struct prov_stick st;
	char *text = NULL;
	size_t len = 0;
	uint64_t v = 0;

	if (prov_stick_open(&st, root, NULL))
		return 0;

	if (0 == prov_stick_read(&st, "manifest.json", PROV_MAX_MANIFEST,
				 &text, &len) &&
	    0 == prov_manifest_parse(&m, text, len, NULL)) {
		v = m.version;
		prov_manifest_reset(&m);
	}

	mem_deref(text);
	prov_stick_close(&st);

	return v;
}


static int write_one(const char *dir, const struct outfile *f)
{
	char path[4096], sub[4096];
	const char *slash = strchr(f->path, '/');
	int fd, err = 0;
	size_t off = 0;

	if (slash) {
		re_snprintf(sub, sizeof(sub), "%s/%b", dir, f->path,
			    (size_t)(slash - f->path));
		if (mkdir(sub, 0700) < 0 && errno != EEXIST)
			return errno;
	}

	re_snprintf(path, sizeof(path), "%s/%s", dir, f->path);
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0)
		return errno;

	while (off < f->len && !err) {
		ssize_t n = write(fd, f->data + off, f->len - off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			err = n < 0 ? errno : EIO;
		else
			off += (size_t)n;
	}

	if (close(fd) < 0 && !err)
		err = errno;

	return err;
}


/* The whole stick at once: one flush of the file system, not one per
 * phone file (a thousand fsyncs on a USB stick take seconds). */
static int sync_path(const char *path)
{
	int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC), err = 0;

	if (fd < 0)
		return errno;
	if (syncfs(fd) < 0 || fsync(fd) < 0)
		err = errno;
	close(fd);

	return err;
}


static int write_stick(struct make *mk)
{
	char fresh[4096], old[4096], final[4096], path[4096], path2[4096];
	struct stat st;
	int err = 0;

	re_snprintf(final, sizeof(final), "%s/%s", mk->o->out_root,
		    PROV_FOLDER);
	re_snprintf(fresh, sizeof(fresh), "%s/.%s.new-%d", mk->o->out_root,
		    PROV_FOLDER, (int)getpid());
	re_snprintf(old, sizeof(old), "%s/.%s.old-%d", mk->o->out_root,
		    PROV_FOLDER, (int)getpid());

	if (mkdir(fresh, 0700) < 0) {
		err = errno;
		prov_report_add(mk->rep, "cannot create %s: %m", fresh, err);
		return err;
	}

	for (struct le *le = mk->files.head; le && !err; le = le->next) {
		const struct outfile *f = le->data;

		err = write_one(fresh, f);
		if (err)
			prov_report_add(mk->rep, "cannot write %s/%s: %m",
					fresh, f->path, err);
	}

	if (!err && (err = sync_path(fresh)) != 0)
		prov_report_add(mk->rep, "cannot sync %s: %m", fresh, err);
	if (err)
		goto fail;

	if (0 == lstat(final, &st)) {
		if (!S_ISDIR(st.st_mode)) {
			err = ENOTDIR;
			prov_report_add(mk->rep, "%s is not a folder; move it"
					" away first", final);
			goto fail;
		}

		/* The phones' results stay with the stick. */
		re_snprintf(path, sizeof(path), "%s/results", final);
		re_snprintf(path2, sizeof(path2), "%s/results", fresh);
		if (0 == lstat(path, &st) && S_ISDIR(st.st_mode) &&
		    rename(path, path2) < 0) {
			err = errno;
			prov_report_add(mk->rep, "cannot move %s: %m", path,
					err);
			goto fail;
		}

		if (rename(final, old) < 0) {
			err = errno;
			prov_report_add(mk->rep, "cannot move %s aside: %m",
					final, err);
			(void)rename(path2, path);
			goto fail;
		}
	}

	if (rename(fresh, final) < 0) {
		err = errno;
		prov_report_add(mk->rep, "cannot rename %s to %s: %m", fresh,
				final, err);
		(void)rename(old, final);
		goto fail;
	}

	(void)prov_rm_tree(old);
	(void)sync_path(mk->o->out_root);

	return 0;

 fail:
	(void)prov_rm_tree(fresh);

	return err;
}


int prov_make(const struct prov_make_opts *o, struct prov_report *rep,
	      struct prov_stick_summary *sum)
{
	struct prov_key *key = NULL;
	struct prov_site site;
	struct prov_sig sig;
	struct make mk;
	char *text = NULL;
	uint64_t prev;
	struct stat st;
	int err;

	if (!o || !o->site_path || !o->phones_path || !o->key_path ||
	    !o->out_root || !rep)
		return EINVAL;

	memset(&mk, 0, sizeof(mk));
	mk.o = o;
	mk.rep = rep;
	prov_manifest_init(&mk.m);
	list_init(&mk.files);
	list_init(&mk.seen_l);
	err = hash_alloc(&mk.seen, 4096);
	if (err)
		return err;

	if (stat(o->out_root, &st) < 0 || !S_ISDIR(st.st_mode)) {
		prov_report_add(rep, "%s: not a folder (the stick's mount"
				" point)", o->out_root);
		err = ENOTDIR;
		goto out;
	}

	err = prov_key_load_private(&key, o->key_path);
	if (err) {
		prov_report_add(rep, "%s: %s", o->key_path, err == EINVAL ?
				"not an Ed25519 private key (make one with"
				" `deskphone provision keygen`)" :
				strerror(err));
		goto out;
	}

	/* Check everything, report every problem, then stop. */
	err = read_site(&mk, &site);
	err |= read_phones(&mk);
	if (err || rep->count) {
		err = EINVAL;
		goto out;
	}

	prev = old_version(o->out_root);
	if (o->version) {
		if (o->version <= prev) {
			prov_report_add(rep, "--version %llu: the stick already"
					" holds version %llu; versions only"
					" go up", (unsigned long long)o->version,
					(unsigned long long)prev);
			err = EINVAL;
			goto out;
		}
		mk.m.version = o->version;
	}
	else {
		uint64_t now = (uint64_t)time(NULL);

		mk.m.version = now > prev ? now : prev + 1;
	}

	err = prov_site_print(&site, &text);
	if (!err) {
		err = add_file(&mk, "site.json", text, strlen(text));
		text = NULL;
	}
	if (!err)
		err = prov_key_public_pem(key, &text);
	if (!err) {
		err = add_file(&mk, "signing-key.pub", text, strlen(text));
		text = NULL;
	}
	if (err)
		goto out;

	prov_now(mk.m.created, sizeof(mk.m.created));
	str_ncpy(mk.m.site, site.name, sizeof(mk.m.site));
	str_ncpy(mk.m.key_id, prov_key_id(key), sizeof(mk.m.key_id));
	mk.m.trust_on_first_use = o->trust_on_first_use;

	memset(&sig, 0, sizeof(sig));
	str_ncpy(sig.key_id, prov_key_id(key), sizeof(sig.key_id));

	err = prov_manifest_print(&mk.m, &text);
	if (!err)
		err = prov_sign(key, text, strlen(text), sig.sig);
	if (!err) {
		/* not listed in the manifest: these two describe it */
		struct outfile *f = mem_zalloc(sizeof(*f), outfile_destructor);

		if (!f || str_dup(&f->path, "manifest.json")) {
			mem_deref(f);
			err = ENOMEM;
			goto out;
		}
		f->data = text;
		f->len = strlen(text);
		text = NULL;
		list_append(&mk.files, &f->le, f);

		f = mem_zalloc(sizeof(*f), outfile_destructor);
		if (!f || str_dup(&f->path, "manifest.sig") ||
		    prov_sig_print(&sig, &f->data)) {
			mem_deref(f);
			err = ENOMEM;
			goto out;
		}
		f->len = strlen(f->data);
		list_append(&mk.files, &f->le, f);
	}
	if (err) {
		prov_report_add(rep, "cannot sign the manifest: %m", err);
		goto out;
	}

	err = write_stick(&mk);
	if (err)
		goto out;

	if (sum) {
		memset(sum, 0, sizeof(*sum));
		sum->version = mk.m.version;
		sum->phones = mk.phones;
		str_ncpy(sum->site, site.name, sizeof(sum->site));
		str_ncpy(sum->key_id, prov_key_id(key), sizeof(sum->key_id));
		sum->trust_on_first_use = o->trust_on_first_use;
	}

 out:
	mem_deref(text);
	mem_deref(key);
	list_flush(&mk.files);
	prov_manifest_reset(&mk.m);
	list_flush(&mk.seen_l);
	mem_deref(mk.seen);

	return err;
}
