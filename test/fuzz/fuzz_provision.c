/**
 * @file fuzz_provision.c  Provisioning inputs (provision/): what
 *                         a stick holds and what the phone keeps
 *
 * Input: one byte choosing the parser, then its text.
 *   0  site.json           prov_site_parse
 *   1  phones/<id>.json    prov_phone_parse
 *   2  phones.csv          prov_phones_csv
 *   3  manifest.json       prov_manifest_parse
 *   4  manifest.sig        prov_sig_parse
 *   5  a path on the stick pv_stick_path, then prov_stick_read on a stick
 *                          holding files, links and a FIFO
 *   6  ${local_conf}       prov_current, prov_local_conf_outside, then a
 *                          commit of a new block
 *   7  field values        MAC spellings, phone ids, serials, line keys,
 *                          the `highest` state file, a PEM public key
 *
 * Checks: whatever parses prints back as text that parses to the same
 * thing (and prints the same again); a refusal always says why; a phone
 * file's password never appears in a message; a stick path that is
 * accepted is relative, of one or two plain names, and reading it gives
 * one of the stick's own regular files, never what a link points to; a
 * commit keeps every line of ${local_conf} outside the block and the
 * block reads back; a normalised MAC normalises to itself.
 */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <re.h>
#include "provision/prov_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(c) do { if (!(c)) __builtin_trap(); } while (0)

static char tmp[256], stick[300], conf[300];

static const char *const stick_files[][2] = {
	{ "site.json", "contents of site.json" },
	{ "signing-key.pub", "contents of signing-key.pub" },
	{ "phones/001a2b3c4d01.json", "contents of phones/001a2b3c4d01.json" },
	{ "phones/serial-PX4-1.json", "contents of phones/serial-PX4-1.json" },
};


/* --- set-up ------------------------------------------------------------- */

static void put(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);

	CHECK(fd >= 0);
	CHECK(write(fd, text, strlen(text)) == (ssize_t)strlen(text));
	CHECK(0 == close(fd));
}


static int remove_entry(const char *path, const struct stat *st, int type,
			struct FTW *ftw)
{
	(void)st;
	(void)type;
	(void)ftw;

	return remove(path);
}


static void cleanup(void)
{
	(void)nftw(tmp, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}


static void init_once(void)
{
	static bool done;
	const char *base = access("/dev/shm", W_OK) ? "/tmp" : "/dev/shm";
	char p[600], secret[600];

	if (done)
		return;
	snprintf(tmp, sizeof(tmp), "%s/fuzz-provision-XXXXXX", base);
	CHECK(mkdtemp(tmp) != NULL);

	/* a stick: its files, and what must never be read through it */
	snprintf(stick, sizeof(stick), "%s/stick", tmp);
	CHECK(0 == mkdir(stick, 0700));
	snprintf(p, sizeof(p), "%s/" PROV_FOLDER, stick);
	CHECK(0 == mkdir(p, 0700));
	snprintf(p, sizeof(p), "%s/" PROV_FOLDER "/phones", stick);
	CHECK(0 == mkdir(p, 0700));
	snprintf(p, sizeof(p), "%s/" PROV_FOLDER "/phones/deeper", stick);
	CHECK(0 == mkdir(p, 0700));
	for (size_t i = 0; i < sizeof(stick_files) / sizeof(stick_files[0]);
	     i++) {
		snprintf(p, sizeof(p), "%s/" PROV_FOLDER "/%s", stick,
			 stick_files[i][0]);
		put(p, stick_files[i][1]);
	}
	snprintf(secret, sizeof(secret), "%s/outside-secret", tmp);
	put(secret, "SECRET OUTSIDE THE STICK");
	snprintf(p, sizeof(p), "%s/" PROV_FOLDER "/link.json", stick);
	CHECK(0 == symlink(secret, p));
	snprintf(p, sizeof(p), "%s/" PROV_FOLDER "/phones/aabbccddeeff.json",
		 stick);
	CHECK(0 == symlink("../site.json", p));
	snprintf(p, sizeof(p), "%s/" PROV_FOLDER "/up", stick);
	CHECK(0 == symlink(tmp, p));
	snprintf(p, sizeof(p), "%s/" PROV_FOLDER "/results", stick);
	CHECK(0 == symlink(tmp, p));
	snprintf(p, sizeof(p), "%s/" PROV_FOLDER "/fifo", stick);
	CHECK(0 == mkfifo(p, 0600));
	snprintf(p, sizeof(p), "%s/" PROV_FOLDER "/phones/deeper/x.json",
		 stick);
	put(p, "three levels down");

	snprintf(conf, sizeof(conf), "%s/local.conf", tmp);
	atexit(cleanup);
	done = true;
}


/* --- reports ------------------------------------------------------------ */

struct secret_check {
	const char *secret;
	bool leaked;
};


static void msg_has_secret(const char *msg, void *arg)
{
	struct secret_check *sc = arg;

	if (strstr(msg, sc->secret))
		sc->leaked = true;
}


static size_t occurrences(const char *text, size_t len, const char *s)
{
	size_t n = 0, k = strlen(s);

	for (const char *p = text; (p = memmem(p, len - (size_t)(p - text),
					       s, k)) != NULL; p++)
		n++;

	return n;
}


static void refused_says_why(int err, const struct prov_report *rep)
{
	if (err)
		CHECK(rep->count > 0 && prov_report_first(rep) != NULL);
}


/* --- 0-4: the stick's files --------------------------------------------- */

static void site(const char *text, size_t len)
{
	struct prov_site s1, s2;
	struct prov_report rep;
	char *out = NULL, *out2 = NULL;
	int err;

	prov_report_init(&rep);
	err = prov_site_parse(&s1, "site.json", text, len, &rep);
	refused_says_why(err, &rep);
	if (!err) {
		prov_report_reset(&rep);
		CHECK(0 == prov_site_print(&s1, &out));
		CHECK(0 == prov_site_parse(&s2, "site.json", out, strlen(out),
					   &rep));
		CHECK(0 == memcmp(&s1, &s2, sizeof(s1)));
		CHECK(0 == prov_site_print(&s2, &out2));
		CHECK(0 == strcmp(out, out2));
	}
	mem_deref(out2);
	mem_deref(out);
	prov_report_reset(&rep);
}


/* Parsed the same, printed the same. */
static void phone_round_trip(const struct prov_phone *p)
{
	struct prov_phone again;
	struct prov_report rep;
	char *out = NULL, *out2 = NULL, id[80];

	prov_report_init(&rep);
	CHECK(0 == prov_phone_print(p, &out));
	CHECK(0 == prov_phone_parse(&again, "again.json", out, strlen(out),
				    &rep));
	CHECK(0 == memcmp(p, &again, sizeof(again)));
	CHECK(0 == prov_phone_print(&again, &out2));
	CHECK(0 == strcmp(out, out2));
	prov_phone_id(p, id, sizeof(id));
	CHECK(pv_phone_id(id));
	prov_phone_wipe(&again);
	CHECK(!again.sip_password[0]);
	mem_deref(out2);
	mem_deref(out);
	prov_report_reset(&rep);
}


static void phone(const char *text, size_t len)
{
	struct prov_phone p;
	struct prov_report rep;
	struct secret_check sc = { NULL, false };
	cJSON *root = cJSON_ParseWithLength(text, len);
	const cJSON *pw = root ?
		cJSON_GetObjectItemCaseSensitive(root, "sip_password") : NULL;
	int err;

	prov_report_init(&rep);
	err = prov_phone_parse(&p, "phones/x.json", text, len, &rep);
	refused_says_why(err, &rep);
	if (!err)
		phone_round_trip(&p);

	/* messages name fields, never their values: no password in them
	 * (unless the input has it elsewhere too, say as a member name) */
	if (cJSON_IsString(pw) && strlen(pw->valuestring) >= 6 &&
	    occurrences(text, len, pw->valuestring) == 1 &&
	    !strstr("phones/x.json", pw->valuestring)) {
		sc.secret = pw->valuestring;
		prov_report_apply(&rep, msg_has_secret, &sc);
		CHECK(!sc.leaked);
	}

	prov_phone_wipe(&p);
	cJSON_Delete(root);
	prov_report_reset(&rep);
}


static int csv_row(const struct prov_phone *p, unsigned line, void *arg)
{
	unsigned *rows = arg;

	CHECK(line >= 2);
	phone_round_trip(p);
	++*rows;

	return 0;
}


static void phones_csv(const char *text, size_t len)
{
	struct prov_report rep;
	unsigned rows = 0;
	int err;

	prov_report_init(&rep);
	err = prov_phones_csv("phones.csv", text, len, csv_row, &rows, &rep);
	refused_says_why(err, &rep);
	prov_report_reset(&rep);
}


static void manifests_equal(const struct prov_manifest *a,
			    const struct prov_manifest *b)
{
	struct le *x, *y;

	CHECK(a->version == b->version && !strcmp(a->created, b->created) &&
	      !strcmp(a->site, b->site) && !strcmp(a->key_id, b->key_id) &&
	      a->trust_on_first_use == b->trust_on_first_use);
	for (x = a->files.head, y = b->files.head; x && y;
	     x = x->next, y = y->next) {
		const struct prov_mfile *f = x->data, *g = y->data;

		CHECK(!strcmp(f->path, g->path) && f->size == g->size &&
		      !memcmp(f->sha256, g->sha256, 32));
		CHECK(prov_manifest_file(a, f->path) == f);
	}
	CHECK(!x && !y);
	for (x = a->phones.head, y = b->phones.head; x && y;
	     x = x->next, y = y->next) {
		const struct prov_mphone *p = x->data, *q = y->data;

		CHECK(!strcmp(p->id, q->id) && !strcmp(p->path, q->path));
		CHECK(pv_phone_id(p->id) && pv_stick_path(p->path));
		CHECK(prov_manifest_phone(a, p->id) != NULL);
	}
	CHECK(!x && !y);
}


static void manifest(const char *text, size_t len)
{
	struct prov_manifest m1, m2;
	struct prov_report rep;
	char *out = NULL, *out2 = NULL;
	int err;

	prov_report_init(&rep);
	err = prov_manifest_parse(&m1, text, len, &rep);
	refused_says_why(err, &rep);
	if (!err) {
		prov_report_reset(&rep);
		CHECK(0 == prov_manifest_print(&m1, &out));
		CHECK(0 == prov_manifest_parse(&m2, out, strlen(out), &rep));
		manifests_equal(&m1, &m2);
		CHECK(0 == prov_manifest_print(&m2, &out2));
		CHECK(0 == strcmp(out, out2));
		prov_manifest_reset(&m2);
	}
	prov_manifest_reset(&m1);
	mem_deref(out2);
	mem_deref(out);
	prov_report_reset(&rep);
}


static void signature(const char *text, size_t len)
{
	struct prov_sig s1, s2;
	struct prov_report rep;
	char *out = NULL;
	int err;

	prov_report_init(&rep);
	err = prov_sig_parse(&s1, text, len, &rep);
	refused_says_why(err, &rep);
	if (!err) {
		CHECK(0 == prov_sig_print(&s1, &out));
		CHECK(0 == prov_sig_parse(&s2, out, strlen(out), &rep));
		CHECK(0 == memcmp(&s1, &s2, sizeof(s1)));
	}
	mem_deref(out);
	prov_report_reset(&rep);
}


/* --- 5: paths on the stick ----------------------------------------------- */

static bool plain_name(const char *s, size_t n)
{
	if (!n || s[0] == '.' || s[0] == '-')
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9') || c == '.' || c == '_' ||
		      c == '-'))
			return false;
	}

	return true;
}


/* prov_int.h's rule, written out again: one or two plain names */
static bool stick_path_ok(const char *path)
{
	const char *slash = strchr(path, '/');
	size_t n = strlen(path);

	if (n > 128)
		return false;
	if (!slash)
		return plain_name(path, n);

	return plain_name(path, (size_t)(slash - path)) &&
		plain_name(slash + 1, strlen(slash + 1));
}


static void stick_path(const char *text)
{
	struct prov_stick st;
	char path[256], *buf = NULL;
	size_t len = 0;
	bool known = false;
	int err;

	snprintf(path, sizeof(path), "%.*s", (int)strcspn(text, "\n"), text);
	CHECK(pv_stick_path(path) == stick_path_ok(path));

	CHECK(0 == prov_stick_open(&st, stick, NULL));
	err = prov_stick_read(&st, path, 4096, &buf, &len);
	prov_stick_close(&st);
	if (err) {
		CHECK(!buf);
		return;
	}

	CHECK(pv_stick_path(path));
	for (size_t i = 0; i < sizeof(stick_files) / sizeof(stick_files[0]);
	     i++) {
		if (!strcmp(path, stick_files[i][0]))
			known = !strcmp(buf, stick_files[i][1]) &&
				len == strlen(stick_files[i][1]);
	}
	CHECK(known);
	mem_deref(buf);
}


/* --- 6: ${local_conf} ---------------------------------------------------- */

static void local_conf(const char *text, size_t len)
{
	static const char body[] = "provision_version 42\n"
		"provision_site Fuzz office\nsip_registrar pbx.example\n";
	struct prov_current cur;
	char *outside = NULL, *after = NULL, *block = NULL;
	int fd = open(conf, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	size_t olen;

	CHECK(fd >= 0);
	CHECK(write(fd, text, len) == (ssize_t)len);
	CHECK(0 == close(fd));

	(void)prov_current(conf, &cur);
	if (prov_local_conf_outside(conf, &outside))
		goto out;

	CHECK(0 == prov_block_make("gen-7", "gen-6", body, strlen(body),
				   &block));
	CHECK(0 == prov_local_conf_commit(conf, block, NULL));

	CHECK(0 == prov_current(conf, &cur));
	CHECK(cur.provisioned && cur.version == 42 &&
	      !strcmp(cur.generation, "gen-7") &&
	      !strcmp(cur.previous, "gen-6") &&
	      !strcmp(cur.site, "Fuzz office"));

	/* everything outside the block is still there */
	CHECK(0 == prov_local_conf_outside(conf, &after));
	olen = strlen(outside);
	CHECK(!strncmp(after, outside, olen));
	CHECK(!strcmp(after + olen, "") ||
	      (olen && outside[olen - 1] != '\n' && !strcmp(after + olen,
							     "\n")));

 out:
	mem_deref(block);
	mem_deref(after);
	mem_deref(outside);
}


/* --- 7: single fields ---------------------------------------------------- */

static void fields(const char *text, size_t len)
{
	char line[300], mac[18], mac2[18], id[13];
	struct prov_phone p;
	struct prov_report rep;
	uint64_t version = 0, v2 = 0;
	uint8_t digest[32], d2[32];
	bool have;
	int fd;

	snprintf(line, sizeof(line), "%.*s", (int)strcspn(text, "\n"), text);

	if (0 == prov_mac_normalise(line, mac)) {
		CHECK(strlen(mac) == 17);
		CHECK(0 == prov_mac_normalise(mac, mac2) && !strcmp(mac, mac2));
		prov_mac_id(mac, id);
		CHECK(strlen(id) == 12 && pv_phone_id(id));
	}
	if (0 == prov_serial_check(line)) {
		char sid[sizeof(line) + 8];

		snprintf(sid, sizeof(sid), "serial-%s", line);
		CHECK(pv_phone_id(sid));
	}
	(void)pv_phone_id(line);

	prov_report_init(&rep);
	memset(&p, 0, sizeof(p));
	if (0 == prov_line_keys_parse(&p, line, "line_keys", &rep)) {
		CHECK(p.nkeys <= PROV_MAX_LINE_KEYS);
		for (size_t i = 0; i < p.nkeys; i++)
			CHECK(p.keys[i].type <= PROV_KEY_SPEED);
	}
	prov_report_reset(&rep);

	(void)prov_pubkey_check(text, len);

	/* the phone's own `highest` file */
	snprintf(line, sizeof(line), "%s/highest", tmp);
	fd = open(line, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	CHECK(fd >= 0);
	CHECK(write(fd, text, len) == (ssize_t)len);
	CHECK(0 == close(fd));
	(void)prov_highest_read(tmp, &version, digest, &have);
	memset(digest, 0x5a, sizeof(digest));
	CHECK(0 == prov_highest_write(tmp, version, digest, NULL));
	CHECK(0 == prov_highest_read(tmp, &v2, d2, &have));
	CHECK(have && v2 == version && !memcmp(d2, digest, 32));
}


int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text;
	size_t len;

	init_once();
	if (size < 1)
		return 0;

	/* exactly the bytes, and a NUL after them for the C-string readers */
	len = size - 1;
	text = malloc(len + 1);
	if (!text)
		return 0;
	memcpy(text, data + 1, len);
	text[len] = '\0';

	switch (data[0] % 8) {
	case 0: site(text, len);       break;
	case 1: phone(text, len);      break;
	case 2: phones_csv(text, len); break;
	case 3: manifest(text, len);   break;
	case 4: signature(text, len);  break;
	case 5: stick_path(text);      break;
	case 6: local_conf(text, len); break;
	default: fields(text, len);    break;
	}

	free(text);

	return 0;
}
