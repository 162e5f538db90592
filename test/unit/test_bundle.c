/**
 * @file test_bundle.c  Bundles: ustar, sealing, the manifest check,
 *                      configuration without secrets
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <re.h>
#include "base/settings.h"
#include "privacy/bundle/bundle.h"
#include "privacy/bundle/guard.h"
#include "privacy/bundle/sanitize.h"
#include "privacy/bundle/seal.h"
#include "privacy/bundle/support.h"
#include "privacy/bundle/tar.h"
#include "privacy/redact/redact.h"
#include "dptest.h"


static const char *tmp(const char *name)
{
	static char path[8][4096];
	static int n;
	char *p = path[n++ % 8];

	snprintf(p, 4096, "%s/%s", dptest_tmpdir(), name);

	return p;
}


static int to_fd(const void *p, size_t n, void *arg)
{
	return write(*(int *)arg, p, n) == (ssize_t)n ? 0 : EIO;
}


static int to_sealer(const void *p, size_t n, void *arg)
{
	return dp_sealer_write(arg, p, n);
}


/* Bytes that differ from member to member, and are not text. */
static uint8_t *pattern(size_t n, unsigned seed)
{
	uint8_t *b = malloc(n + 1);

	DP_ASSERT(b != NULL);
	for (size_t i = 0; i < n; i++)
		b[i] = (uint8_t)((i * 131 + seed * 7) ^ (i >> 9));

	return b;
}


struct member {
	const char *name;
	size_t size;
	unsigned seed;
};

static const struct member members[] = {
	{ "log/deskphone.log", 200000, 1 },
	{ "config/accounts", 0, 2 },
	{ "state.txt", 512, 3 },
	{ "config/removed.txt", 65536, 4 },
};


/* A bundle of `members` (+ manifest), plain or sealed to `pub`. */
static void make_bundle(const char *path, const char *pub, bool with_manifest,
			const char *extra)
{
	struct dp_bundle_file files[8];
	struct dp_tar_writer *w = NULL;
	struct dp_sealer *s = NULL;
	struct mbuf *mb = mbuf_alloc(1024);
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	uint8_t sha[32];
	size_t n = sizeof(members) / sizeof(members[0]);

	DP_ASSERT(fd >= 0);
	if (pub)
		DP_ASSERT_OK(dp_sealer_open(&s, pub, fd));
	DP_ASSERT_OK(dp_tar_writer_alloc(&w, 1700000000, s ? to_sealer : to_fd,
					 s ? (void *)s : (void *)&fd));

	for (size_t i = 0; i < n; i++) {
		uint8_t *b = pattern(members[i].size, members[i].seed);

		snprintf(files[i].name, sizeof(files[i].name), "%s",
			 members[i].name);
		files[i].size = members[i].size;
		DP_ASSERT_OK(dp_tar_add_mem(w, members[i].name, b,
					    members[i].size, files[i].sha256));
		free(b);
	}
	if (with_manifest) {
		DP_ASSERT_OK(dp_bundle_manifest(files, n, "2026-11-30T08:00:00Z",
						"test", "\"tokens\":3", mb));
		DP_ASSERT_OK(dp_tar_add_mem(w, "manifest.json", mb->buf,
					    mb->end, sha));
	}
	if (extra)
		DP_ASSERT_OK(dp_tar_add_mem(w, extra, "x", 1, sha));
	DP_ASSERT_OK(dp_tar_finish(w));
	if (s)
		DP_ASSERT_OK(dp_sealer_close(s));

	close(fd);
	mem_deref(w);
	mem_deref(s);
	mem_deref(mb);
}


static void keys(void)
{
	if (access(tmp("support.key"), F_OK)) {
		char prefix[4096];

		snprintf(prefix, sizeof(prefix), "%s", tmp("support"));
		DP_ASSERT_OK(dp_seal_keygen(prefix));
		snprintf(prefix, sizeof(prefix), "%s", tmp("other"));
		DP_ASSERT_OK(dp_seal_keygen(prefix));
	}
}


/* --- tar ------------------------------------------------------------------- */

DP_TEST(tar_gnu_tar_reads_what_we_write)
{
	char cmd[8192], line[256];
	FILE *p;
	int found = 0;

	make_bundle(tmp("plain.tar"), NULL, true, NULL);
	snprintf(cmd, sizeof(cmd), "tar -tvf '%s'", tmp("plain.tar"));
	p = popen(cmd, "r");
	DP_ASSERT(p != NULL);
	while (fgets(line, sizeof(line), p)) {
		found += NULL != strstr(line, "200000 2023-11-14") &&
			NULL != strstr(line, "log/deskphone.log");
		found += NULL != strstr(line, "manifest.json");
	}
	DP_ASSERT_EQ(pclose(p), 0);
	DP_ASSERT_EQ(found, 2);

	/* and its bytes are ours */
	snprintf(cmd, sizeof(cmd), "cd '%s' && mkdir x && tar -xf '%s' -C x &&"
		 " cmp -s x/state.txt /dev/stdin", dptest_tmpdir(),
		 tmp("plain.tar"));
	p = popen(cmd, "w");
	DP_ASSERT(p != NULL);
	{
		uint8_t *b = pattern(512, 3);

		fwrite(b, 1, 512, p);
		free(b);
	}
	DP_ASSERT_EQ(pclose(p), 0);
}


DP_TEST(tar_names_that_could_escape_are_refused)
{
	static const char *const bad[] = {
		"../etc/passwd", "/etc/passwd", "a/../../b", "a//b", "a/./b",
		".", "..", "a b", "a\\b", "x/", "", NULL
	};
	struct dp_tar_writer *w = NULL;
	uint8_t sha[32];
	int fd = open(tmp("bad.tar"), O_WRONLY | O_CREAT | O_TRUNC, 0600);

	for (size_t i = 0; bad[i]; i++)
		DP_ASSERT_MSG(!dp_tar_name_ok(bad[i]), "'%s' accepted", bad[i]);
	DP_ASSERT(dp_tar_name_ok("log/deskphone.log.1"));

	DP_ASSERT_OK(dp_tar_writer_alloc(&w, 0, to_fd, &fd));
	DP_ASSERT_EQ(dp_tar_add_mem(w, "../evil", "x", 1, sha), EINVAL);
	close(fd);
	mem_deref(w);
}


DP_TEST(tar_reader_refuses_a_crafted_climbing_name)
{
	struct dp_bundle_report rep;
	uint8_t h[1536];
	unsigned sum = 0;
	FILE *f;

	/* a valid header in every respect but its name */
	memset(h, 0, sizeof(h));
	memcpy(h, "../../tmp/evil", 14);
	memcpy(h + 100, "0000600", 7);
	memcpy(h + 124, "00000000001", 11);
	memcpy(h + 136, "00000000000", 11);
	h[156] = '0';
	memcpy(h + 257, "ustar", 6);
	memcpy(h + 263, "00", 2);
	for (int i = 0; i < 512; i++)
		sum += (i >= 148 && i < 156) ? ' ' : h[i];
	snprintf((char *)h + 148, 8, "%06o", sum);
	h[155] = ' ';
	h[512] = 'x';

	f = fopen(tmp("evil.tar"), "wb");
	DP_ASSERT(f != NULL);
	fwrite(h, 1, sizeof(h), f);
	fclose(f);

	DP_ASSERT_EQ(dp_bundle_read(tmp("evil.tar"), NULL, tmp("evil.d"), &rep),
		     EBADMSG);
	DP_ASSERT(access(tmp("evil.d/../../tmp/evil"), F_OK) != 0);
}


/* --- manifest -------------------------------------------------------------- */

DP_TEST(bundle_verifies_and_extracts)
{
	struct dp_bundle_report rep;
	char path[4096];
	struct stat st;

	make_bundle(tmp("b.tar"), NULL, true, NULL);
	DP_ASSERT_OK(dp_bundle_read(tmp("b.tar"), NULL, NULL, &rep));
	DP_ASSERT_EQ(rep.files, 4);
	DP_ASSERT_EQ(rep.bytes, 200000 + 512 + 65536);
	DP_ASSERT(!rep.sealed);

	DP_ASSERT_OK(dp_bundle_read(tmp("b.tar"), NULL, tmp("b.d"), &rep));
	snprintf(path, sizeof(path), "%s/log/deskphone.log", tmp("b.d"));
	DP_ASSERT_OK(stat(path, &st));
	DP_ASSERT_EQ(st.st_size, 200000);
	DP_ASSERT_EQ(st.st_mode & 0777, 0600);

	/* opening twice into the same place is refused */
	DP_ASSERT_EQ(dp_bundle_read(tmp("b.tar"), NULL, tmp("b.d"), &rep),
		     EEXIST);
}


DP_TEST(bundle_with_a_wrong_member_fails)
{
	struct dp_bundle_report rep;
	int fd;

	make_bundle(tmp("m.tar"), NULL, true, NULL);
	/* a byte of log/deskphone.log's data (it starts at 512) */
	fd = open(tmp("m.tar"), O_WRONLY);
	DP_ASSERT(pwrite(fd, "!", 1, 4000) == 1);
	close(fd);
	DP_ASSERT_EQ(dp_bundle_read(tmp("m.tar"), NULL, NULL, &rep), EBADMSG);
	DP_ASSERT(strstr(rep.why, "log/deskphone.log does not match"));

	make_bundle(tmp("n.tar"), NULL, false, NULL);
	DP_ASSERT_EQ(dp_bundle_read(tmp("n.tar"), NULL, NULL, &rep), EBADMSG);
	DP_ASSERT(strstr(rep.why, "manifest.json is missing"));

	make_bundle(tmp("e.tar"), NULL, true, "smuggled.txt");
	DP_ASSERT_EQ(dp_bundle_read(tmp("e.tar"), NULL, NULL, &rep), EBADMSG);
	DP_ASSERT(strstr(rep.why, "after the manifest"));

	/* a header whose checksum no longer matches */
	make_bundle(tmp("h.tar"), NULL, true, NULL);
	fd = open(tmp("h.tar"), O_WRONLY);
	DP_ASSERT(pwrite(fd, "X", 1, 3) == 1);
	close(fd);
	DP_ASSERT_EQ(dp_bundle_read(tmp("h.tar"), NULL, NULL, &rep), EBADMSG);
}


/* --- sealing --------------------------------------------------------------- */

DP_TEST(sealed_bundle_opens_only_with_its_key)
{
	struct dp_bundle_report rep;
	uint8_t *raw;
	struct stat st;
	int fd;

	keys();
	make_bundle(tmp("s.tar.enc"), tmp("support.pub"), true, NULL);

	DP_ASSERT_OK(dp_bundle_read(tmp("s.tar.enc"), tmp("support.key"), NULL,
				    &rep));
	DP_ASSERT(rep.sealed);
	DP_ASSERT_EQ(rep.files, 4);

	DP_ASSERT_EQ(dp_bundle_read(tmp("s.tar.enc"), tmp("other.key"), NULL,
				    &rep), EACCES);
	DP_ASSERT_EQ(dp_bundle_read(tmp("s.tar.enc"), NULL, NULL, &rep),
		     EACCES);
	DP_ASSERT_EQ(dp_bundle_read(tmp("s.tar.enc"), tmp("support.pub"), NULL,
				    &rep), EINVAL);

	/* nothing of the plaintext is in the file */
	DP_ASSERT_OK(stat(tmp("s.tar.enc"), &st));
	raw = malloc((size_t)st.st_size);
	fd = open(tmp("s.tar.enc"), O_RDONLY);
	DP_ASSERT(read(fd, raw, (size_t)st.st_size) == st.st_size);
	close(fd);
	DP_ASSERT(!memmem(raw, (size_t)st.st_size, "manifest.json", 13));
	DP_ASSERT(!memmem(raw, (size_t)st.st_size, "ustar", 5));
	free(raw);
}


static void alter(const char *src, const char *dst, off_t cut, off_t flip,
		  bool append)
{
	char cmd[8192];
	int fd;

	snprintf(cmd, sizeof(cmd), "cp '%s' '%s'", src, dst);
	DP_ASSERT_EQ(system(cmd), 0);
	if (cut)
		DP_ASSERT_OK(truncate(dst, cut));
	fd = open(dst, O_WRONLY | (append ? O_APPEND : 0));
	DP_ASSERT(fd >= 0);
	if (flip >= 0)
		DP_ASSERT(pwrite(fd, "\x5a", 1, flip) == 1);
	if (append)
		DP_ASSERT(write(fd, "\0", 1) == 1);
	close(fd);
}


DP_TEST(sealed_bundle_altered_anywhere_is_refused)
{
	struct dp_bundle_report rep;
	char src[4096], t[4096];
	struct stat st;
	/* the plaintext is about 268 kB: 5 chunks of 64 KiB */
	const off_t chunk = DP_SEAL_CHUNK + DP_SEAL_TAG;

	/* tmp() reuses its buffers: these must outlive many calls */
	snprintf(src, sizeof(src), "%s", tmp("a.tar.enc"));
	snprintf(t, sizeof(t), "%s", tmp("alt.enc"));
	keys();
	make_bundle(src, tmp("support.pub"), true, NULL);
	DP_ASSERT_OK(stat(src, &st));
	DP_ASSERT(st.st_size > DP_SEAL_HEADER + 4 * chunk);

	alter(src, t, 0, 20, false);                 /* header: eph key */
	DP_ASSERT_EQ(dp_bundle_read(t, tmp("support.key"), NULL, &rep), EACCES);
	alter(src, t, 0, 50, false);                 /* header: salt */
	DP_ASSERT_EQ(dp_bundle_read(t, tmp("support.key"), NULL, &rep), EACCES);
	alter(src, t, 0, DP_SEAL_HEADER + chunk + 7, false);
	DP_ASSERT_EQ(dp_bundle_read(t, tmp("support.key"), NULL, &rep), EACCES);
	alter(src, t, DP_SEAL_HEADER + 2 * chunk, -1, false);   /* cut */
	DP_ASSERT_EQ(dp_bundle_read(t, tmp("support.key"), NULL, &rep), EACCES);
	alter(src, t, st.st_size - 1, -1, false);    /* last byte gone */
	DP_ASSERT_EQ(dp_bundle_read(t, tmp("support.key"), NULL, &rep), EACCES);
	alter(src, t, 0, -1, true);                  /* a byte more */
	DP_ASSERT_EQ(dp_bundle_read(t, tmp("support.key"), NULL, &rep), EACCES);

	/* two chunks swapped */
	{
		uint8_t *a = malloc((size_t)chunk), *b = malloc((size_t)chunk);
		int fd;

		alter(src, t, 0, -1, false);
		fd = open(t, O_RDWR);
		DP_ASSERT(pread(fd, a, (size_t)chunk, DP_SEAL_HEADER) == chunk);
		DP_ASSERT(pread(fd, b, (size_t)chunk, DP_SEAL_HEADER + chunk) ==
			  chunk);
		DP_ASSERT(pwrite(fd, b, (size_t)chunk, DP_SEAL_HEADER) == chunk);
		DP_ASSERT(pwrite(fd, a, (size_t)chunk, DP_SEAL_HEADER + chunk) ==
			  chunk);
		close(fd);
		free(a);
		free(b);
	}
	DP_ASSERT_EQ(dp_bundle_read(t, tmp("support.key"), NULL, &rep), EACCES);

	/* and the original still opens */
	DP_ASSERT_OK(dp_bundle_read(src, tmp("support.key"), NULL, &rep));
}


DP_TEST(sealing_exact_chunk_multiples)
{
	static const size_t sizes[] = { 0, 1, DP_SEAL_CHUNK - 1, DP_SEAL_CHUNK,
					DP_SEAL_CHUNK + 1, 3 * DP_SEAL_CHUNK };
	struct dp_sealer *s = NULL;
	struct dp_unsealer *u = NULL;

	keys();
	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		uint8_t *in = pattern(sizes[i], 9), *out = malloc(sizes[i] + 16);
		size_t got = 0;
		int fd = open(tmp("c.enc"), O_RDWR | O_CREAT | O_TRUNC, 0600);

		DP_ASSERT_OK(dp_sealer_open(&s, tmp("support.pub"), fd));
		DP_ASSERT_OK(dp_sealer_write(s, in, sizes[i]));
		DP_ASSERT_OK(dp_sealer_close(s));
		s = mem_deref(s);
		lseek(fd, 0, SEEK_SET);
		DP_ASSERT(dp_seal_is_sealed(fd));
		DP_ASSERT_OK(dp_unsealer_open(&u, fd, tmp("support.key")));
		DP_ASSERT_OK(dp_unsealer_read(u, out, sizes[i] + 16, &got));
		DP_ASSERT_EQ(got, sizes[i]);
		DP_ASSERT(0 == memcmp(in, out, sizes[i]));
		u = mem_deref(u);
		close(fd);
		free(in);
		free(out);
	}
	DP_ASSERT_EQ(dp_seal_keygen(tmp("support")), EEXIST);
}


/* --- sanitising ----------------------------------------------------------- */

DP_TEST(configuration_loses_every_secret_and_says_which)
{
	static const char settings[] =
		"# sip_password in a comment stays a comment\n"
		"display_name     Lindiwe\n"
		"sip_password     hunter2 with spaces\n"
		"admin_pin 4471\n"
		"wifi_psk\tWiFiPass99\n"
		"device_secret_file /var/lib/deskphone/device.secret\n"
		"provisioning_url https://prov:Pr0vPw@prov.example.com/cfg\n"
		"api_token=\n"
		"empty_secret\n";
	static const char accounts[] =
		"\"A\" <sip:alice:UriPw1@example.com>;auth_pass=AccPw2;regint=60\n"
		"<sip:bob@example.com>;auth_user=bob;auth_pass=\"Acc Pw;3\";"
		"outbound=\"sip:carol:OutPw4@proxy.example.com;lr\"\n"
		"# \"X\" <sip:x@y>;auth_pass=SECRET is how a line looks\n"
		/* mistyped: inside the brackets or the display name (found
		 * by fuzz_bundle: these were kept, and a quoted one passed
		 * the redactor too) */
		"<sip:dan@example.com;auth_pass=\"InBrkt5\">;regint=60\n"
		"<sip:eve@example.com;auth_pass=InBrkt6>\n"
		"\"Fay;auth_pass=InName7\" <sip:fay@example.com>\n";
	struct mbuf *out = mbuf_alloc(1024), *rm = mbuf_alloc(256);
	char *o, *r;

	DP_ASSERT_OK(dp_sanitize_settings(settings, sizeof(settings) - 1,
					  "local.conf", out, rm));
	DP_ASSERT_OK(dp_sanitize_accounts(accounts, sizeof(accounts) - 1,
					  "accounts", out, rm));
	DP_ASSERT_OK(mbuf_write_u8(out, 0));
	DP_ASSERT_OK(mbuf_write_u8(rm, 0));
	o = (char *)out->buf;
	r = (char *)rm->buf;

	for (const char *const *s = (const char *const[]){ "hunter2", "4471",
			"WiFiPass99", "Pr0vPw", "UriPw1", "AccPw2", "Acc Pw",
			"OutPw4", "SECRET", "InBrkt5", "InBrkt6", "InName7",
			NULL }; *s; s++) {
		DP_ASSERT_MSG(!strstr(o, *s), "'%s' in the output", *s);
		DP_ASSERT_MSG(!strstr(r, *s), "'%s' in the list", *s);
	}
	DP_ASSERT(strstr(o, "sip_password     <removed>\n"));
	DP_ASSERT(strstr(o, "device_secret_file /var/lib/deskphone/device.secret"));
	DP_ASSERT(strstr(o, "display_name     Lindiwe\n"));
	DP_ASSERT(strstr(o, "# sip_password in a comment"));
	DP_ASSERT(strstr(o, "<sip:alice:<removed>@example.com>;auth_pass=<removed>;regint=60"));
	DP_ASSERT(strstr(o, "auth_user=bob;auth_pass=<removed>;outbound=\"sip:carol:<removed>@proxy"));

	DP_ASSERT(strstr(r, "local.conf line 3: sip_password\n"));
	DP_ASSERT(strstr(r, "local.conf line 4: admin_pin\n"));
	DP_ASSERT(strstr(r, "local.conf line 5: wifi_psk\n"));
	DP_ASSERT(strstr(r, "local.conf line 7: provisioning_url (password in a URI)\n"));
	DP_ASSERT(strstr(r, "accounts line 1: password in a URI\n"));
	DP_ASSERT(strstr(r, "accounts line 1: auth_pass\n"));
	DP_ASSERT(strstr(r, "accounts line 2: auth_pass\n"));
	DP_ASSERT(strstr(o, "<sip:dan@example.com;auth_pass=<removed>>;regint=60\n"));
	DP_ASSERT(strstr(o, "<sip:eve@example.com;auth_pass=<removed>>\n"));
	DP_ASSERT(strstr(o, "\"Fay;auth_pass=<removed>\" <sip:fay@example.com>\n"));

	mem_deref(out);
	mem_deref(rm);
}


/* A settings file as a bundle holds it: secrets out, redacted, then the
 * line keys' targets and labels given their tokens. */
static char *bundled_settings(struct dp_redactor *r, const char *text,
			      struct mbuf *rm)
{
	struct mbuf *clean = mbuf_alloc(1024), *red = mbuf_alloc(1024);
	struct mbuf *out = mbuf_alloc(1024);
	char *s;

	DP_ASSERT_OK(dp_sanitize_settings(text, strlen(text), "local.conf",
					  clean, rm));
	DP_ASSERT_OK(dp_redact_buf(r, (char *)clean->buf, clean->end, red));
	DP_ASSERT_OK(dp_sanitize_line_keys((char *)red->buf, red->end,
					   "local.conf", r, out, rm));
	DP_ASSERT_OK(mbuf_write_u8(out, 0));
	s = mem_alloc(out->end, NULL);
	DP_ASSERT(s != NULL);
	memcpy(s, out->buf, out->end);
	mem_deref(clean);
	mem_deref(red);
	mem_deref(out);

	return s;
}


/* Colleagues on line keys (issue 15, finding 7): each target and label
 * becomes the token the redactor gives that party everywhere else. */
DP_TEST(sanitize_line_keys_are_personal)
{
	static const uint8_t key[32] = "test-bundle-line-key-redactor-0";
	static const char settings[] =
		"line_keys 4\n"
		"line_key_1 line\n"
		"line_key_2 blf 101 Alice Jones\n"
		"line_key_3 speed 0215550100 Head office  \n"
		"line_key_4 park 7001 Lot Seven\n"
		"line_key_5 line Lindiwe Desk\n"
		"line_keyboard qwerty\n";
	struct mbuf *rm = mbuf_alloc(256), *trace = mbuf_alloc(256);
	struct dp_redactor *r = NULL;
	char want[256], num[64], name[64], num2[64], name2[64], name3[64];
	char *o;

	DP_ASSERT_OK(dp_redactor_alloc(&r, key, sizeof(key), 0));
	DP_ASSERT_OK(dp_redact_token(r, DP_ID_USER, "101", num, sizeof(num)));
	DP_ASSERT_OK(dp_redact_token(r, DP_ID_NAME, "Alice Jones", name,
				     sizeof(name)));
	DP_ASSERT_OK(dp_redact_token(r, DP_ID_USER, "0215550100", num2,
				     sizeof(num2)));
	DP_ASSERT_OK(dp_redact_token(r, DP_ID_NAME, "Head office", name2,
				     sizeof(name2)));
	DP_ASSERT_OK(dp_redact_token(r, DP_ID_NAME, "Lindiwe Desk", name3,
				     sizeof(name3)));
	DP_ASSERT(!strncmp(num, "<num-", 5) && !strncmp(name, "<name-", 6));

	o = bundled_settings(r, settings, rm);
	DP_ASSERT(strstr(o, "line_keys 4\nline_key_1 line\n"));
	snprintf(want, sizeof(want), "line_key_2 blf %s %s\n", num, name);
	DP_ASSERT_MSG(strstr(o, want), "no '%s' in '%s'", want, o);
	/* the redactor found the number itself: the same token */
	snprintf(want, sizeof(want), "line_key_3 speed %s %s  \n", num2,
		 name2);
	DP_ASSERT_MSG(strstr(o, want), "no '%s' in '%s'", want, o);
	DP_ASSERT(strstr(o, "line_key_4 <removed>\n"));
	snprintf(want, sizeof(want), "line_key_5 line %s\n", name3);
	DP_ASSERT_MSG(strstr(o, want), "no '%s' in '%s'", want, o);
	DP_ASSERT(strstr(o, "line_keyboard qwerty\n"));
	for (const char *const *v = (const char *const[]){ "Alice", "Jones",
			"101", "0215550100", "Head", "7001", "Seven",
			"Lindiwe", NULL }; *v; v++)
		DP_ASSERT_MSG(!strstr(o, *v), "'%s' in '%s'", *v, o);
	DP_ASSERT_OK(mbuf_write_u8(rm, 0));
	DP_ASSERT_STREQ((char *)rm->buf, "local.conf line 5: line_key_4"
			" (line key target and label)\n");
	mem_deref(o);

	/* the same tokens as the party gets in a trace */
	{
		static const char from[] = "From: \"Alice Jones\" "
			"<sip:101@pbx.example.com>;tag=a1\n";

		DP_ASSERT_OK(dp_redact_buf(r, from, sizeof(from) - 1, trace));
	}
	DP_ASSERT_OK(mbuf_write_u8(trace, 0));
	DP_ASSERT_MSG(strstr((char *)trace->buf, num) &&
		      strstr((char *)trace->buf, name), "trace: '%s'",
		      (char *)trace->buf);

	/* without a redactor: removed, and said */
	mbuf_rewind(trace);
	mbuf_rewind(rm);
	DP_ASSERT_OK(dp_sanitize_line_keys(settings, sizeof(settings) - 1,
					   "local.conf", NULL, trace, rm));
	DP_ASSERT_OK(mbuf_write_u8(trace, 0));
	DP_ASSERT_OK(mbuf_write_u8(rm, 0));
	DP_ASSERT(strstr((char *)trace->buf,
			 "line_key_2 blf <removed> <removed>\n"));
	DP_ASSERT(strstr((char *)trace->buf, "line_key_1 line\n"));
	DP_ASSERT(strstr((char *)rm->buf, "local.conf line 3: line_key_2"
			 " (line key target and label)\n"));
	DP_ASSERT(!strstr((char *)rm->buf, "line_key_1"));

	mem_deref(trace);
	mem_deref(r);
	mem_deref(rm);
}


/* Any key: the tokens stay whole.  (Given to the redactor once more, a
 * token whose hex is all digits was taken for a phone number; about one
 * in 40, so bundle.sh failed now and then.) */
DP_TEST(sanitize_line_keys_tokens_stay_whole)
{
	struct mbuf *rm = mbuf_alloc(256);

	for (unsigned k = 0; k < 300; k++) {
		uint8_t key[32];
		struct dp_redactor *r = NULL;
		char want[256], num[64], name[64], *o;

		memset(key, 0, sizeof(key));
		snprintf((char *)key, sizeof(key), "line-key-token-%u", k);
		DP_ASSERT_OK(dp_redactor_alloc(&r, key, sizeof(key), 0));
		DP_ASSERT_OK(dp_redact_token(r, DP_ID_USER, "4712", num,
					     sizeof(num)));
		DP_ASSERT_OK(dp_redact_token(r, DP_ID_NAME, "Alice Jones",
					     name, sizeof(name)));
		mbuf_rewind(rm);
		o = bundled_settings(r, "line_key_2 blf 4712 Alice Jones\n",
				     rm);
		snprintf(want, sizeof(want), "line_key_2 blf %s %s\n", num,
			 name);
		DP_ASSERT_MSG(!strcmp(o, want), "key %u: '%s', not '%s'", k,
			      o, want);
		mem_deref(o);
		mem_deref(r);
	}
	mem_deref(rm);
}


/* --- whom a bundle is sealed to (issue 15, finding 2) ----------------------- */

DP_TEST(support_key_decides_sealing)
{
	struct dp_settings *s = NULL;
	struct dp_bundle_target t;
	char why[512];
	int fd;

	/* the decision reads no key; readable files are enough here */
	for (const char *const *f = (const char *const[]){
			"support-setting.pub", "asked-for.pub", NULL }; *f; f++) {
		fd = open(tmp(*f), O_WRONLY | O_CREAT | O_TRUNC, 0644);
		DP_ASSERT(fd >= 0);
		close(fd);
	}
	DP_ASSERT_OK(dp_settings_alloc(&s));

	/* no support key: plain unless a key is asked for */
	DP_ASSERT_OK(dp_bundle_target(s, NULL, false, &t, why, sizeof(why)));
	DP_ASSERT(!t.key[0] && !t.support_key && !t.plain_chosen);
	DP_ASSERT_OK(dp_settings_set(s, DP_SUPPORT_KEY_SETTING, "", "test"));
	DP_ASSERT_OK(dp_bundle_target(s, NULL, false, &t, why, sizeof(why)));
	DP_ASSERT(!t.key[0] && !t.support_key);
	DP_ASSERT_OK(dp_bundle_target(s, NULL, true, &t, why, sizeof(why)));
	DP_ASSERT(!t.key[0] && !t.plain_chosen);
	DP_ASSERT_OK(dp_bundle_target(s, tmp("support-setting.pub"), false,
				      &t, why, sizeof(why)));
	DP_ASSERT_STREQ(t.key, tmp("support-setting.pub"));

	/* a support key: sealed to it without being asked */
	DP_ASSERT_OK(dp_settings_set(s, DP_SUPPORT_KEY_SETTING,
				     tmp("support-setting.pub"), "test"));
	DP_ASSERT_OK(dp_bundle_target(s, NULL, false, &t, why, sizeof(why)));
	DP_ASSERT_STREQ(t.key, tmp("support-setting.pub"));
	DP_ASSERT(t.support_key && !t.plain_chosen);
	/* plain only by choice, and then it says so */
	DP_ASSERT_OK(dp_bundle_target(s, NULL, true, &t, why, sizeof(why)));
	DP_ASSERT(!t.key[0] && t.support_key && t.plain_chosen);
	/* another key asked for: sealed to that one */
	DP_ASSERT_OK(dp_bundle_target(s, tmp("asked-for.pub"), false, &t, why,
				      sizeof(why)));
	DP_ASSERT_STREQ(t.key, tmp("asked-for.pub"));
	DP_ASSERT_EQ(dp_bundle_target(s, tmp("asked-for.pub"), true, &t, why,
				      sizeof(why)), EINVAL);

	/* a support key that is not there: an error, never plain */
	DP_ASSERT_OK(dp_settings_set(s, DP_SUPPORT_KEY_SETTING,
				     tmp("no-such.pub"), "test"));
	DP_ASSERT_EQ(dp_bundle_target(s, NULL, false, &t, why, sizeof(why)),
		     ENOENT);
	DP_ASSERT_MSG(strstr(why, "support_public_key") &&
		      strstr(why, "no-such.pub"), "why: %s", why);

	mem_deref(s);
}


/* --- the guard ------------------------------------------------------------- */

DP_TEST(guard_sees_secrets_but_not_inside_tokens)
{
	struct dp_guard *g = NULL;
	bool hit = true;
	int fd;

	DP_ASSERT_OK(dp_guard_alloc(&g));
	DP_ASSERT_OK(dp_guard_secret(g, "secret"));      /* a poor password */
	DP_ASSERT_OK(dp_guard_secret(g, "Hunter2Hunter"));
	DP_ASSERT_OK(dp_guard_secret(g, "abc"));         /* too short: ignored */

	DP_ASSERT(!dp_guard_text(g, "pw=<secret> <user-0a1b2c3d> abc\n"
				 "<secret>\n", 40));
	DP_ASSERT(!dp_guard_text(g, "nothing here: <secret>, <text-0123abcd>",
				 39));
	DP_ASSERT(dp_guard_text(g, "x\nlogin HUNTER2hunter ok\n", 25));

	mem_deref(g);
	g = NULL;
	DP_ASSERT_OK(dp_guard_alloc(&g));
	DP_ASSERT_OK(dp_guard_secret(g, "secret"));
	fd = open(tmp("guard.txt"), O_RDWR | O_CREAT | O_TRUNC, 0600);
	DP_ASSERT(write(fd, "fine <secret>\nalso fine\n", 24) == 24);
	lseek(fd, 0, SEEK_SET);
	DP_ASSERT_OK(dp_guard_fd(g, fd, &hit));
	DP_ASSERT(!hit);
	DP_ASSERT(write(fd, "the secret is out\n", 18) == 18);
	lseek(fd, 0, SEEK_SET);
	DP_ASSERT_OK(dp_guard_fd(g, fd, &hit));
	DP_ASSERT(hit);
	close(fd);
	mem_deref(g);
}
