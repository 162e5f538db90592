/**
 * @file fuzz_bundle.c  Debug bundles as a technician opens them
 *                      (privacy/bundle/): the ustar reader, the sealed
 *                      bundle opener, the manifest check, extraction
 *
 * Input: one byte of options, then a file.
 *   options % 4 == 0   the file as a bundle, verified
 *                 1    the same, and extracted into a directory
 *                 2    the file sealed to the support key first (our
 *                      sealer), then verified and extracted: unsealing
 *                      must change nothing, so the outcome must be the
 *                      one of the plain file
 *                 3    the file opened with the support key as it is
 *                      (a sealed bundle's header and chunks, forged)
 *                 4    the file as deskphone settings, and
 *                 5    as baresip accounts, going into a bundle: secrets
 *                      taken out (sanitize.c), then redacted
 *                 6, 7 as 0 and 1
 * The support key pair is fixed (a raw X25519 key written as PEM files
 * into a temporary directory), so the runs are repeatable.
 *
 * Checks: nothing is ever written outside the directory asked for, no
 * symbolic link or special file inside it, never more bytes than the
 * bundle holds; a bundle that verifies has its files extracted with
 * the sizes the report gives; `why` says what is wrong whenever
 * something is; a forged sealed file never verifies; no secret setting's
 * value or secret account parameter (`;auth_pass=...`, wherever it
 * stands in the line) comes out of sanitizing and redacting, and the
 * list of what was removed names keys, never values.  Besides, members
 * cut from the input are written by the bundle writer with a manifest
 * (dp_tar_*, dp_bundle_manifest): that bundle must verify, sealed too.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <re.h>
#include "privacy/bundle/bundle.h"
#include "privacy/bundle/sanitize.h"
#include "privacy/bundle/seal.h"
#include "privacy/bundle/tar.h"
#include "privacy/crypto/crypto.h"
#include "privacy/redact/redact.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(c) do { if (!(c)) __builtin_trap(); } while (0)

static const uint8_t support_raw[32] = "fuzz-bundle-support-key-0123456";

static char root[256], key_path[300], pub_path[300];
static char plain_path[300], sealed_path[300], out_dir[300];


/* --- set-up ------------------------------------------------------------- */

static void write_key(const char *path, bool priv)
{
	uint8_t pub[DP_CURVE_KEY_LEN];
	char *pem = NULL;
	FILE *f = fopen(path, "w");

	CHECK(f);
	CHECK(0 == dp_key_public(DP_KEY_X25519, support_raw, pub));
	CHECK(0 == (priv ? dp_key_write_private(DP_KEY_X25519, support_raw,
						&pem) :
		    dp_key_write_public(DP_KEY_X25519, pub, &pem)));
	CHECK(fputs(pem, f) >= 0);
	CHECK(0 == fclose(f));
	mem_deref(pem);
}


static int remove_entry(const char *path, const struct stat *st, int type,
			struct FTW *ftw);


static void cleanup(void)
{
	(void)nftw(root, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}


static void init_once(void)
{
	static bool done;
	const char *base = access("/dev/shm", W_OK) ? "/tmp" : "/dev/shm";
	if (done)
		return;
	snprintf(root, sizeof(root), "%s/fuzz-bundle-XXXXXX", base);
	CHECK(mkdtemp(root) != NULL);
	snprintf(key_path, sizeof(key_path), "%s/support.key", root);
	snprintf(pub_path, sizeof(pub_path), "%s/support.pub", root);
	snprintf(plain_path, sizeof(plain_path), "%s/bundle.tar", root);
	snprintf(sealed_path, sizeof(sealed_path), "%s/bundle.sealed", root);
	snprintf(out_dir, sizeof(out_dir), "%s/out", root);

	write_key(key_path, true);
	write_key(pub_path, false);
	atexit(cleanup);
	done = true;
}


static void write_file(const char *path, const uint8_t *p, size_t n)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);

	CHECK(fd >= 0);
	CHECK(write(fd, p, n) == (ssize_t)n);
	CHECK(0 == close(fd));
}


static void seal_file(const char *path, const uint8_t *p, size_t n)
{
	struct dp_sealer *s = NULL;
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);

	CHECK(fd >= 0);
	CHECK(0 == dp_sealer_open(&s, pub_path, fd));
	/* in two writes, so a chunk boundary may fall anywhere */
	CHECK(0 == dp_sealer_write(s, p, n / 3));
	CHECK(0 == dp_sealer_write(s, p + n / 3, n - n / 3));
	CHECK(0 == dp_sealer_close(s));
	mem_deref(s);
	CHECK(0 == close(fd));
}


/* --- what extraction left ------------------------------------------------ */

struct tally {
	size_t files;
	uint64_t bytes;
	bool odd;          /* a link, a device, a FIFO ... */
};

static struct tally tally;


static int count_entry(const char *path, const struct stat *st, int type,
		       struct FTW *ftw)
{
	(void)path;
	(void)ftw;
	if (type == FTW_F && S_ISREG(st->st_mode)) {
		tally.files++;
		tally.bytes += (uint64_t)st->st_size;
	}
	else if (type != FTW_D && type != FTW_DP) {
		tally.odd = true;
	}

	return 0;
}


static int remove_entry(const char *path, const struct stat *st, int type,
			struct FTW *ftw)
{
	(void)st;
	(void)type;
	(void)ftw;

	return remove(path);
}


/* Only the files we made and `out` may be in the root. */
static void check_root(void)
{
	DIR *d = opendir(root);
	struct dirent *de;

	CHECK(d);
	while ((de = readdir(d)) != NULL) {
		const char *n = de->d_name;

		CHECK(!strcmp(n, ".") || !strcmp(n, "..") ||
		      !strcmp(n, "support.key") || !strcmp(n, "support.pub") ||
		      !strcmp(n, "bundle.tar") || !strcmp(n, "bundle.sealed") ||
		      !strcmp(n, "out"));
	}
	closedir(d);
}


static int read_bundle(const char *path, bool extract, size_t in_size,
		       struct dp_bundle_report *rep)
{
	int err;

	err = dp_bundle_read(path, key_path, extract ? out_dir : NULL, rep);
	CHECK(memchr(rep->why, '\0', sizeof(rep->why)) != NULL);
	CHECK(!err || rep->why[0]);
	check_root();

	if (extract) {
		memset(&tally, 0, sizeof(tally));
		(void)nftw(out_dir, count_entry, 16, FTW_PHYS);
		CHECK(!tally.odd);
		CHECK(tally.bytes <= in_size);
		if (!err)
			CHECK(tally.files == rep->files + 1);   /* + manifest */
		(void)nftw(out_dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
	}

	return err;
}


/* --- a bundle we write ourselves ----------------------------------------- */

static int to_fd(const void *p, size_t n, void *arg)
{
	return write(*(int *)arg, p, n) == (ssize_t)n ? 0 : EIO;
}


/* Members cut from the input at its '\n's, named after their index. */
static void written_bundle(const uint8_t *p, size_t n)
{
	struct dp_bundle_file files[8];
	uint8_t man_sha[32];
	struct dp_tar_writer *w = NULL;
	struct mbuf *man = mbuf_alloc(1024);
	struct dp_bundle_report rep;
	size_t nf = 0, start = 0;
	int fd = open(plain_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
		      0600);

	CHECK(man && fd >= 0);
	CHECK(0 == dp_tar_writer_alloc(&w, 1700000000, to_fd, &fd));
	for (size_t i = 0; i <= n && nf < 8; i++) {
		if (i < n && p[i] != '\n')
			continue;
		snprintf(files[nf].name, sizeof(files[nf].name),
			 nf % 2 ? "log/part-%zu.txt" : "part-%zu", nf);
		files[nf].size = i - start;
		CHECK(0 == dp_tar_add_mem(w, files[nf].name, p + start,
					  i - start, files[nf].sha256));
		nf++;
		start = i + 1;
	}
	CHECK(0 == dp_bundle_manifest(files, nf, "2026-11-30T00:00:00Z",
				      "fuzz", "\"tokens\":0", man));
	CHECK(0 == dp_tar_add_mem(w, "manifest.json", man->buf, man->end,
				  man_sha));
	CHECK(0 == dp_tar_finish(w));
	CHECK(0 == close(fd));

	CHECK(0 == read_bundle(plain_path, false, 0, &rep));
	CHECK(rep.files == nf && !rep.sealed);

	mem_deref(w);
	mem_deref(man);
}


/* --- configuration files going into a bundle ------------------------------ */

static bool once(const uint8_t *p, size_t n, const uint8_t *v, size_t vn)
{
	const uint8_t *hit = memmem(p, n, v, vn);

	return hit && !memmem(hit + 1, n - (size_t)(hit + 1 - p), v, vn);
}


/* A value that must not come out: long enough to mean something, in the
 * input only once (so no other text brings it back), no blank in it, not
 * the text of a marker or token ("<removed>", "<secret>", "<user-...>"). */
static void must_go(const uint8_t *in, size_t n, const uint8_t *v,
		    size_t vn, const struct mbuf *out)
{
	if (vn < 6 || !once(in, n, v, vn) || memchr(v, ' ', vn) ||
	    memchr(v, '\t', vn) || memchr(v, '<', vn) || memchr(v, '>', vn) ||
	    memmem("<removed><secret>", 17, v, vn))
		return;
	CHECK(!memmem(out->buf, out->end, v, vn));
}


static bool keyc(uint8_t c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		(c >= '0' && c <= '9') || c == '_' || c == '-' || c == '.';
}


/* the words of a line key's value after its type: a colleague's
 * extension or number and name (sanitize.h) */
static void line_key_words(const uint8_t *in, size_t n, const uint8_t *v,
			   size_t vn, const struct mbuf *out)
{
	size_t a = 0, b;

	while (a < vn && v[a] != ' ' && v[a] != '\t')
		a++;
	while (a < vn) {
		while (a < vn && (v[a] == ' ' || v[a] == '\t'))
			a++;
		for (b = a; b < vn && v[b] != ' ' && v[b] != '\t'; b++)
			;
		if (b > a)
			must_go(in, n, v + a, b - a, out);
		a = b;
	}
}


/* `key value` lines whose key is secret (sanitize.h's rule), and the
 * words of line keys */
static void settings_secrets(const uint8_t *p, size_t n,
			     const struct mbuf *out)
{
	for (size_t i = 0; i < n; ) {
		const uint8_t *nl = memchr(p + i, '\n', n - i);
		size_t e = nl ? (size_t)(nl - p) : n, k = i, k1, v0, ve;

		while (k < e && (p[k] == ' ' || p[k] == '\t'))
			k++;
		for (k1 = k; k1 < e && keyc(p[k1]); k1++)
			;
		for (v0 = k1; v0 < e && (p[v0] == ' ' || p[v0] == '\t'); v0++)
			;
		for (ve = e; ve > v0 && (p[ve - 1] == ' ' ||
					 p[ve - 1] == '\t' ||
					 p[ve - 1] == '\r'); ve--)
			;
		if (k1 > k && v0 > k1 && ve > v0 &&
		    dp_secret_key((const char *)p + k, k1 - k))
			must_go(p, n, p + v0, ve - v0, out);
		else if (k1 > k + 9 && v0 > k1 && ve > v0 &&
			 !memcmp(p + k, "line_key_", 9))
			line_key_words(p, n, p + v0, ve - v0, out);
		i = e + 1;
	}
}


/* every `;key=value` with a secret key (a name of token characters),
 * wherever it stands: in quotes, in brackets, closed or not; not on a
 * line whose quotes do not pair up (where a value ends is a guess) */
static void account_secrets(const uint8_t *p, size_t n,
			    const struct mbuf *out)
{
	size_t quotes = 0;

	for (size_t i = 0; i < n; i++) {
		size_t k1, v0, v1, e;

		if (i == 0 || p[i - 1] == '\n') {
			quotes = 0;
			for (e = i; e < n && p[e] != '\n'; e++)
				quotes += p[e] == '"';
		}
		if (p[i] != ';' || quotes % 2)
			continue;
		for (k1 = i + 1; k1 < n && keyc(p[k1]); k1++)
			;
		if (k1 >= n || k1 == i + 1 || p[k1] != '=' ||
		    !dp_secret_key((const char *)p + i + 1, k1 - i - 1))
			continue;
		v0 = k1 + 1;
		if (v0 < n && p[v0] == '"')
			v0++;
		for (v1 = v0; v1 < n && !strchr(";\"\n\r", p[v1]) && p[v1];
		     v1++)
			;
		must_go(p, n, p + v0, v1 - v0, out);
	}
}


static void config_file(const uint8_t *p, size_t n, bool accounts)
{
	static const uint8_t key[32] = "fuzz-bundle-redactor-key-012345";
	struct mbuf *clean = mbuf_alloc(n + 64), *removed = mbuf_alloc(256);
	struct mbuf *out = mbuf_alloc(2 * n + 64);
	struct dp_redactor *r = NULL;

	CHECK(clean && removed && out);
	CHECK(0 == (accounts ?
		    dp_sanitize_accounts((const char *)p, n, "accounts", clean,
					 removed) :
		    dp_sanitize_settings((const char *)p, n, "settings", clean,
					 removed)));
	CHECK(0 == dp_redactor_alloc(&r, key, sizeof(key), 0));
	CHECK(0 == dp_redact_buf(r, (const char *)clean->buf, clean->end,
				 out));
	if (!accounts) {
		/* the line keys, as a bundle does them */
		mbuf_rewind(clean);
		CHECK(0 == dp_sanitize_line_keys((const char *)out->buf,
						 out->end, "settings", r,
						 clean, removed));
		mbuf_rewind(out);
		CHECK(0 == mbuf_write_mem(out, clean->buf, clean->end));
	}

	if (accounts)
		account_secrets(p, n, out);
	else
		settings_secrets(p, n, out);

	mem_deref(r);
	mem_deref(out);
	mem_deref(removed);
	mem_deref(clean);
}


int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct dp_bundle_report rep, rep2;
	const uint8_t *file;
	size_t n;
	int err, err2;

	init_once();
	if (size < 1)
		return 0;
	file = data + 1;
	n = size - 1;

	switch (data[0] % 8) {

	case 0:
	case 1:
	case 6:
	case 7:
		write_file(plain_path, file, n);
		(void)read_bundle(plain_path, data[0] % 2 == 1, n, &rep);
		break;

	case 2:
		write_file(plain_path, file, n);
		seal_file(sealed_path, file, n);
		err = read_bundle(plain_path, false, n, &rep);
		err2 = read_bundle(sealed_path, true, n, &rep2);
		/* a plain file that starts like a sealed one is opened as
		 * one (and fails); otherwise unsealing is transparent */
		if (n < 8 || memcmp(file, "DPBUNDLE", 8)) {
			CHECK(err == err2);
			CHECK(rep.files == rep2.files &&
			      rep.bytes == rep2.bytes);
		}
		CHECK(rep2.sealed);
		break;

	case 3:
		write_file(sealed_path, file, n);
		err = read_bundle(sealed_path, true, n, &rep);
		if (rep.sealed)
			CHECK(err != 0);   /* a forgery never verifies */
		break;

	default:
		config_file(file, n, data[0] % 8 == 5);
		return 0;
	}

	if (n < 4096)
		written_bundle(file, n);

	return 0;
}
