/**
 * @file verify.c  The installer's check of a stick before walking round
 *                 the office: signature, every file's hash, every entry
 */
#include <string.h>
#include <re.h>
#include "privacy/crypto/crypto.h"
#include "prov_int.h"


static size_t cap_for(const char *path)
{
	if (0 == strcmp(path, "site.json"))
		return PROV_MAX_SITE;
	if (0 == strncmp(path, "phones/", 7))
		return PROV_MAX_PHONE;

	return PROV_MAX_PUBKEY;
}


static int read_checked(struct prov_stick *st, const struct prov_mfile *f,
			char **bufp, size_t *lenp, struct prov_report *rep)
{
	uint8_t digest[32];
	char why[300];
	size_t max = cap_for(f->path);
	int err;

	err = prov_stick_read(st, f->path, max, bufp, lenp);
	if (err) {
		prov_stick_why(why, sizeof(why), f->path, err, max);
		prov_report_add(rep, "%s", why);
		return err;
	}

	if (*lenp != f->size || dp_sha256(*bufp, *lenp, digest) ||
	    memcmp(digest, f->sha256, 32)) {
		prov_report_add(rep, "%s: does not match manifest.json"
				" (SHA-256); it was changed after signing",
				f->path);
		dp_wipe(*bufp, *lenp);
		*bufp = mem_deref(*bufp);
		return EBADMSG;
	}

	return 0;
}


/* The manifest's phone ids for `path` agree with the entry's own. */
static void check_ids(const struct prov_manifest *m, const char *path,
		      const struct prov_phone *p, struct prov_report *rep)
{
	char id[80];
	const char *to;

	if (p->mac[0]) {
		prov_mac_id(p->mac, id);
		to = prov_manifest_phone(m, id);
		if (!to || strcmp(to, path))
			prov_report_add(rep, "manifest.json: phones: the MAC"
					" of %s does not lead to it", path);
	}

	if (p->serial[0]) {
		re_snprintf(id, sizeof(id), "serial-%s", p->serial);
		to = prov_manifest_phone(m, id);
		if (!to || strcmp(to, path))
			prov_report_add(rep, "manifest.json: phones: the serial"
					" of %s does not lead to it", path);
	}

	for (struct le *le = m->phones.head; le; le = le->next) {
		const struct prov_mphone *mp = le->data;
		char mine[80] = "";

		if (strcmp(mp->path, path))
			continue;

		if (0 == strncmp(mp->id, "serial-", 7))
			re_snprintf(mine, sizeof(mine), "serial-%s",
				    p->serial);
		else if (p->mac[0])
			prov_mac_id(p->mac, mine);

		if (strcmp(mine, mp->id))
			prov_report_add(rep, "manifest.json: phones.%s: %s is"
					" for another phone", mp->id, path);
	}
}


int prov_verify_stick(const char *root, const struct prov_key *pub,
		      struct prov_report *rep, struct prov_stick_summary *sum)
{
	struct prov_manifest m;
	struct prov_stick st;
	struct prov_site site;
	struct prov_sig sig;
	char *manifest = NULL, *sigtext = NULL, why[300];
	size_t mlen = 0, slen = 0;
	unsigned phones = 0;
	bool have_site = false;
	int err;

	if (!root || !pub || !rep)
		return EINVAL;

	prov_manifest_init(&m);
	memset(&site, 0, sizeof(site));

	err = prov_stick_open(&st, root, NULL);
	if (err) {
		prov_report_add(rep, "%s/%s: %s", root, PROV_FOLDER,
				err == ELOOP ? "a symbolic link (refused)" :
				strerror(err));
		return EINVAL;
	}

	err = prov_stick_read(&st, "manifest.json", PROV_MAX_MANIFEST,
			      &manifest, &mlen);
	if (err) {
		prov_stick_why(why, sizeof(why), "manifest.json", err,
			       PROV_MAX_MANIFEST);
		prov_report_add(rep, "%s", why);
		goto out;
	}

	err = prov_stick_read(&st, "manifest.sig", PROV_MAX_SIG, &sigtext,
			      &slen);
	if (err) {
		prov_stick_why(why, sizeof(why), "manifest.sig", err,
			       PROV_MAX_SIG);
		prov_report_add(rep, "%s", why);
		goto out;
	}

	err = prov_sig_parse(&sig, sigtext, slen, rep);
	if (err)
		goto out;

	if (strcmp(sig.key_id, prov_key_id(pub))) {
		prov_report_add(rep, "manifest.sig: signed by key %s, not by"
				" the key given (%s)", sig.key_id,
				prov_key_id(pub));
		err = EINVAL;
		goto out;
	}

	err = prov_verify(pub, manifest, mlen, sig.sig);
	if (err) {
		prov_report_add(rep, "manifest.sig: the signature does not"
				" verify (the stick was changed after signing)");
		goto out;
	}

	err = prov_manifest_parse(&m, manifest, mlen, rep);
	if (err)
		goto out;

	if (strcmp(m.key_id, sig.key_id))
		prov_report_add(rep, "manifest.json: key_id: differs from"
				" manifest.sig");

	for (struct le *le = m.files.head; le; le = le->next) {
		const struct prov_mfile *f = le->data;
		char *text = NULL;
		size_t len = 0;

		if (read_checked(&st, f, &text, &len, rep))
			continue;

		if (0 == strcmp(f->path, "site.json")) {
			have_site = 0 == prov_site_parse(&site, "site.json",
							 text, len, rep);
		}
		else if (0 == strncmp(f->path, "phones/", 7)) {
			struct prov_phone p;

			if (0 == prov_phone_parse(&p, f->path, text, len,
						  rep)) {
				check_ids(&m, f->path, &p, rep);
				++phones;
			}
			prov_phone_wipe(&p);
		}
		else if (0 == strcmp(f->path, "signing-key.pub")) {
			struct prov_key *k = NULL;

			if (prov_key_load_public(&k, text, len) ||
			    strcmp(prov_key_id(k), sig.key_id))
				prov_report_add(rep, "signing-key.pub: not the"
						" key that signed the stick");
			mem_deref(k);
		}
		else if (prov_pubkey_check(text, len)) {
			prov_report_add(rep, "%s: not a PEM public key",
					f->path);
		}

		dp_wipe(text, len);
		mem_deref(text);
	}

	if (have_site && site.support_public_key[0] &&
	    !prov_manifest_file(&m, site.support_public_key))
		prov_report_add(rep, "site.json: support_public_key: the file"
				" is not listed in manifest.json");

	if (!m.phones.head)
		prov_report_add(rep, "manifest.json: phones: empty");

	if (sum) {
		memset(sum, 0, sizeof(*sum));
		sum->version = m.version;
		sum->phones = phones;
		str_ncpy(sum->site, m.site, sizeof(sum->site));
		str_ncpy(sum->key_id, m.key_id, sizeof(sum->key_id));
		sum->trust_on_first_use = m.trust_on_first_use;
	}

 out:
	prov_stick_close(&st);
	prov_manifest_reset(&m);
	mem_deref(manifest);
	mem_deref(sigtext);

	return rep->count ? EINVAL : err;
}
