/**
 * @file manifest.c  manifest.json (what the stick holds, with hashes) and
 *                   manifest.sig (the installer's signature over it)
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <re.h>
#include "privacy/crypto/crypto.h"
#include "prov_int.h"

static const char *const manifest_fields[] = {
	"format", "version", "created", "site", "key_id",
	"trust_on_first_use", "files", "phones", NULL
};
static const char *const file_fields[] = { "size", "sha256", NULL };
static const char *const sig_fields[] = {
	"algorithm", "key_id", "signature", NULL
};

enum { MAX_FILES = PROV_MAX_PHONES + 8, MAX_FILE_SIZE = 64 * 1024 * 1024 };


static void mfile_destructor(void *arg)
{
	struct prov_mfile *f = arg;

	list_unlink(&f->le);
	hash_unlink(&f->he);
	mem_deref(f->path);
}


static void mphone_destructor(void *arg)
{
	struct prov_mphone *p = arg;

	list_unlink(&p->le);
	hash_unlink(&p->he);
	mem_deref(p->id);
	mem_deref(p->path);
}


void prov_manifest_init(struct prov_manifest *m)
{
	memset(m, 0, sizeof(*m));
	list_init(&m->files);
	list_init(&m->phones);
}


void prov_manifest_reset(struct prov_manifest *m)
{
	if (!m)
		return;

	list_flush(&m->files);
	list_flush(&m->phones);
	mem_deref(m->fidx);
	mem_deref(m->pidx);
	prov_manifest_init(m);
}


static bool file_has_path(struct le *le, void *arg)
{
	const struct prov_mfile *f = le->data;

	return 0 == strcmp(f->path, arg);
}


static bool phone_has_id(struct le *le, void *arg)
{
	const struct prov_mphone *p = le->data;

	return 0 == strcmp(p->id, arg);
}


const struct prov_mfile *prov_manifest_file(const struct prov_manifest *m,
					    const char *path)
{
	struct le *le;

	if (!m->fidx || !path)
		return NULL;

	le = hash_lookup(m->fidx, hash_joaat_str(path), file_has_path,
			 (void *)path);

	return le ? le->data : NULL;
}


const char *prov_manifest_phone(const struct prov_manifest *m,
				const char *id)
{
	struct le *le;
	const struct prov_mphone *p;

	if (!m->pidx || !id)
		return NULL;

	le = hash_lookup(m->pidx, hash_joaat_str(id), phone_has_id,
			 (void *)id);
	p = le ? le->data : NULL;

	return p ? p->path : NULL;
}


static int index_file(struct prov_manifest *m, struct prov_mfile *f)
{
	if (!m->fidx && hash_alloc(&m->fidx, 1024))
		return ENOMEM;

	list_append(&m->files, &f->le, f);
	hash_append(m->fidx, hash_joaat_str(f->path), &f->he, f);

	return 0;
}


int prov_manifest_add_file(struct prov_manifest *m, const char *path,
			   const void *data, size_t len)
{
	struct prov_mfile *f;
	int err;

	f = mem_zalloc(sizeof(*f), mfile_destructor);
	if (!f)
		return ENOMEM;

	err = str_dup(&f->path, path);
	if (!err)
		err = dp_sha256(data, len, f->sha256);
	if (!err)
		err = index_file(m, f);
	if (err) {
		mem_deref(f);
		return err;
	}

	f->size = len;

	return 0;
}


int prov_manifest_add_phone(struct prov_manifest *m, const char *id,
			    const char *path)
{
	struct prov_mphone *p = mem_zalloc(sizeof(*p), mphone_destructor);

	if (!p)
		return ENOMEM;

	if (str_dup(&p->id, id) || str_dup(&p->path, path) ||
	    (!m->pidx && hash_alloc(&m->pidx, 1024))) {
		mem_deref(p);
		return ENOMEM;
	}

	list_append(&m->phones, &p->le, p);
	hash_append(m->pidx, hash_joaat_str(p->id), &p->he, p);

	return 0;
}


static int nibble(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;

	return -1;
}


/* Lower-case hex only: one spelling per value. */
static bool unhex(const char *s, uint8_t *out, size_t len)
{
	if (strlen(s) != 2 * len)
		return false;

	for (size_t i = 0; i < len; i++) {
		int hi = nibble(s[2 * i]), lo = nibble(s[2 * i + 1]);

		if (hi < 0 || lo < 0)
			return false;
		out[i] = (uint8_t)(hi << 4 | lo);
	}

	return true;
}


static const char *check_key_id(const char *s)
{
	uint8_t id[8];

	return unhex(s, id, sizeof(id)) ? NULL :
		"must be 16 lower-case hex digits";
}


static const char *check_format(const char *s)
{
	return strcmp(s, PROV_FORMAT) ? "unsupported (this firmware reads "
		PROV_FORMAT ")" : NULL;
}


/* Keys of an object with free-form member names, each once. */
static bool unique_keys(const cJSON *obj, const char *file, const char *path,
			struct prov_report *rep)
{
	struct hash *h = NULL;
	struct keyent {
		struct le he;
		const char *name;
	} *ents;
	size_t n = 0, i = 0;
	bool ok = true;

	for (const cJSON *c = obj->child; c; c = c->next)
		++n;

	if (n < 2)
		return true;

	ents = mem_zalloc(n * sizeof(*ents), NULL);
	if (!ents || hash_alloc(&h, 1024)) {
		mem_deref(ents);
		return false;
	}

	for (const cJSON *c = obj->child; c; c = c->next, i++) {
		uint32_t key = hash_joaat_str(c->string ? c->string : "");
		struct le *le;

		for (le = hash_list(h, key) ? hash_list(h, key)->head : NULL;
		     le; le = le->next) {
			const struct keyent *e = le->data;

			if (0 == strcmp(e->name, c->string ? c->string : ""))
				break;
		}

		if (le) {
			char where[200];

			pj_path(where, sizeof(where), path, c->string);
			prov_report_add(rep, "%s: %s: appears twice", file,
					where);
			ok = false;
			continue;
		}

		ents[i].name = c->string ? c->string : "";
		hash_append(h, key, &ents[i].he, &ents[i]);
	}

	hash_clear(h);
	mem_deref(h);
	mem_deref(ents);

	return ok;
}


static bool parse_files(struct prov_manifest *m, const cJSON *files,
			const char *file, struct prov_report *rep)
{
	bool ok = true, have_site = false;
	size_t n = 0;

	if (!cJSON_IsObject(files)) {
		prov_report_add(rep, "%s: files: must be an object", file);
		return false;
	}

	if (!unique_keys(files, file, "files", rep))
		return false;

	for (const cJSON *c = files->child; c; c = c->next) {
		char where[200], sha[80];
		uint64_t size = 0;
		struct prov_mfile *f;

		/* the member name is a path: checked before it is printed */
		where[0] = '\0';
		if (pv_stick_path(c->string))
			re_snprintf(where, sizeof(where), "files.%s",
				    c->string);
		else
			pj_path(where, sizeof(where), "files", c->string);

		if (++n > MAX_FILES) {
			prov_report_add(rep, "%s: files: more than %u files",
					file, MAX_FILES);
			return false;
		}

		if (!pv_stick_path(c->string) ||
		    0 == strncmp(c->string, "results/", 8) ||
		    0 == strcmp(c->string, "manifest.json") ||
		    0 == strcmp(c->string, "manifest.sig")) {
			prov_report_add(rep, "%s: %s: not a path this stick may"
					" hold (relative, plain names, no ..)",
					file, where);
			ok = false;
			continue;
		}

		if (!pj_fields(c, file, where, file_fields, rep) ||
		    !pj_uint(c, "size", true, 0, MAX_FILE_SIZE, &size, file,
			     where, rep) ||
		    !pj_string(c, "sha256", true, sha, sizeof(sha), NULL,
			       file, where, rep)) {
			ok = false;
			continue;
		}

		f = mem_zalloc(sizeof(*f), mfile_destructor);
		if (!f || str_dup(&f->path, c->string)) {
			mem_deref(f);
			return false;
		}
		f->size = size;
		if (!unhex(sha, f->sha256, sizeof(f->sha256))) {
			prov_report_add(rep, "%s: %s.sha256: must be 64"
					" lower-case hex digits", file, where);
			mem_deref(f);
			ok = false;
			continue;
		}

		if (index_file(m, f)) {
			mem_deref(f);
			return false;
		}
		have_site |= 0 == strcmp(c->string, "site.json");
	}

	if (ok && !have_site) {
		prov_report_add(rep, "%s: files: site.json is not listed",
				file);
		ok = false;
	}

	return ok;
}


static bool parse_phones(struct prov_manifest *m, const cJSON *phones,
			 const char *file, struct prov_report *rep)
{
	bool ok = true;
	size_t n = 0;

	if (!cJSON_IsObject(phones)) {
		prov_report_add(rep, "%s: phones: must be an object", file);
		return false;
	}

	if (!unique_keys(phones, file, "phones", rep))
		return false;

	for (const cJSON *c = phones->child; c; c = c->next) {
		char where[200];

		if (++n > 2 * PROV_MAX_PHONES) {
			prov_report_add(rep, "%s: phones: more than %u"
					" entries", file, 2 * PROV_MAX_PHONES);
			return false;
		}

		if (!pv_phone_id(c->string)) {
			pj_path(where, sizeof(where), "phones", c->string);
			prov_report_add(rep, "%s: %s: not a phone id (12 hex"
					" digits of a MAC, or serial-...)",
					file, where);
			ok = false;
			continue;
		}

		if (!cJSON_IsString(c) || !pv_stick_path(c->valuestring) ||
		    strncmp(c->valuestring, "phones/", 7)) {
			pj_path(where, sizeof(where), "phones", c->string);
			prov_report_add(rep, "%s: %s: must name a file under"
					" phones/", file, where);
			ok = false;
			continue;
		}

		if (prov_manifest_add_phone(m, c->string, c->valuestring))
			return false;
	}

	return ok;
}


int prov_manifest_parse(struct prov_manifest *m, const char *buf,
			size_t len, struct prov_report *rep)
{
	static const char file[] = "manifest.json";
	char format[64];
	cJSON *root;
	bool ok = true;

	if (!m)
		return EINVAL;

	prov_manifest_init(m);

	root = pj_parse(file, buf, len, rep);
	if (!root)
		return EINVAL;

	/* The format first: a later format may have other fields. */
	if (!pj_string(root, "format", true, format, sizeof(format),
		       check_format, file, "", rep)) {
		cJSON_Delete(root);
		return EINVAL;
	}

	ok &= pj_fields(root, file, "", manifest_fields, rep);
	ok &= pj_uint(root, "version", true, 1,
		      (1ULL << PROV_MAX_VERSION_BITS) - 1, &m->version, file,
		      "", rep);
	ok &= pj_string(root, "created", true, m->created,
			sizeof(m->created), pv_timestamp, file, "", rep);
	ok &= pj_string(root, "site", true, m->site, sizeof(m->site),
			pv_text, file, "", rep);
	ok &= pj_string(root, "key_id", true, m->key_id, sizeof(m->key_id),
			check_key_id, file, "", rep);
	ok &= pj_bool(root, "trust_on_first_use", &m->trust_on_first_use,
		      file, "", rep);

	if (!pj_member(root, "files")) {
		prov_report_add(rep, "%s: files: missing", file);
		ok = false;
	}
	else {
		ok &= parse_files(m, pj_member(root, "files"), file, rep);
	}

	if (!pj_member(root, "phones")) {
		prov_report_add(rep, "%s: phones: missing", file);
		ok = false;
	}
	else {
		ok &= parse_phones(m, pj_member(root, "phones"), file, rep);
	}

	/* every phone entry points at a listed file */
	for (struct le *le = m->phones.head; ok && le; le = le->next) {
		const struct prov_mphone *p = le->data;

		if (!prov_manifest_file(m, p->path)) {
			prov_report_add(rep, "%s: phones.%s: %s is not listed"
					" in files", file, p->id, p->path);
			ok = false;
		}
	}

	cJSON_Delete(root);

	if (!ok) {
		prov_manifest_reset(m);
		return EINVAL;
	}

	return 0;
}


int prov_manifest_print(const struct prov_manifest *m, char **textp)
{
	cJSON *root, *files, *phones;
	bool ok = true;
	int err;

	root = cJSON_CreateObject();
	if (!root)
		return ENOMEM;

	ok &= NULL != cJSON_AddStringToObject(root, "format", PROV_FORMAT);
	ok &= NULL != cJSON_AddNumberToObject(root, "version",
					      (double)m->version);
	ok &= NULL != cJSON_AddStringToObject(root, "created", m->created);
	ok &= NULL != cJSON_AddStringToObject(root, "site", m->site);
	ok &= NULL != cJSON_AddStringToObject(root, "key_id", m->key_id);
	ok &= NULL != cJSON_AddBoolToObject(root, "trust_on_first_use",
					    m->trust_on_first_use);
	files  = cJSON_AddObjectToObject(root, "files");
	phones = cJSON_AddObjectToObject(root, "phones");
	ok &= files && phones;

	for (struct le *le = m->files.head; ok && le; le = le->next) {
		const struct prov_mfile *f = le->data;
		cJSON *o = cJSON_AddObjectToObject(files, f->path);
		char sha[65];

		re_snprintf(sha, sizeof(sha), "%w", f->sha256,
			    sizeof(f->sha256));
		ok &= o && cJSON_AddNumberToObject(o, "size", (double)f->size)
			&& cJSON_AddStringToObject(o, "sha256", sha);
	}

	for (struct le *le = m->phones.head; ok && le; le = le->next) {
		const struct prov_mphone *p = le->data;

		ok &= NULL != cJSON_AddStringToObject(phones, p->id, p->path);
	}

	err = ok ? pj_print(root, textp) : ENOMEM;
	cJSON_Delete(root);

	return err;
}


int prov_sig_parse(struct prov_sig *s, const char *buf, size_t len,
		   struct prov_report *rep)
{
	static const char file[] = "manifest.sig";
	char alg[16], b64[128];
	uint8_t raw[96];
	size_t rawlen = sizeof(raw), n;
	cJSON *root;
	bool ok = true;

	memset(s, 0, sizeof(*s));

	root = pj_parse(file, buf, len, rep);
	if (!root)
		return EINVAL;

	ok &= pj_fields(root, file, "", sig_fields, rep);
	ok &= pj_string(root, "algorithm", true, alg, sizeof(alg), NULL, file,
			"", rep);
	ok &= pj_string(root, "key_id", true, s->key_id, sizeof(s->key_id),
			check_key_id, file, "", rep);
	ok &= pj_string(root, "signature", true, b64, sizeof(b64), NULL,
			file, "", rep);
	cJSON_Delete(root);

	if (ok && strcmp(alg, "ed25519")) {
		prov_report_add(rep, "%s: algorithm: must be ed25519", file);
		ok = false;
	}

	if (ok) {
		n = strlen(b64);
		for (size_t i = 0; i < n; i++) {
			char c = b64[i];

			if (!isalnum((unsigned char)c) && c != '+' &&
			    c != '/' && !(c == '=' && i >= n - 2))
				n = 0;
		}

		if (n != 88 || base64_decode(b64, n, raw, &rawlen) ||
		    rawlen != PROV_SIG_LEN) {
			prov_report_add(rep, "%s: signature: must be 64 bytes"
					" in base64", file);
			ok = false;
		}
		else {
			memcpy(s->sig, raw, PROV_SIG_LEN);
		}
	}

	return ok ? 0 : EINVAL;
}


int prov_sig_print(const struct prov_sig *s, char **textp)
{
	char b64[100];
	size_t n = sizeof(b64) - 1;
	int err;

	err = base64_encode(s->sig, PROV_SIG_LEN, b64, &n);
	if (err)
		return err;
	b64[n] = '\0';

	return re_sdprintf(textp, "{\n\t\"algorithm\":\t\"ed25519\",\n"
			   "\t\"key_id\":\t\"%s\",\n"
			   "\t\"signature\":\t\"%s\"\n}\n", s->key_id, b64);
}
