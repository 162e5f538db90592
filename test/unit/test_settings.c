/**
 * @file test_settings.c  Settings files, ${ref} expansion, the template
 */
#include <stdio.h>
#include <sys/stat.h>
#include <re.h>
#include "base/fileutil.h"
#include "base/settings.h"
#include "dptest.h"


static const char *write_tmp(const char *name, const char *text)
{
	static char path[4][4096];
	static int n;
	char *p = path[n++ % 4];
	FILE *f;

	snprintf(p, 4096, "%s/%s", dptest_tmpdir(), name);
	f = fopen(p, "w");
	DP_ASSERT(f != NULL);
	fputs(text, f);
	fclose(f);

	return p;
}


DP_TEST(settings_layers_and_expands)
{
	struct dp_settings *s = NULL;
	char err[DP_ERRBUF] = "", *v = NULL;
	const char *a = write_tmp("a.conf",
				  "# comment\n\nstate_dir /var/lib/x\n"
				  "store  ${state_dir}/cdr.ring  \n"
				  "empty\n");
	const char *b = write_tmp("b.conf", "state_dir /data\n");

	DP_ASSERT_OK(dp_settings_alloc(&s));
	DP_ASSERT_OK(dp_settings_load(s, a, err, sizeof(err)));
	DP_ASSERT_OK(dp_settings_load(s, b, err, sizeof(err)));

	DP_ASSERT_OK(dp_settings_get(s, "store", &v, err, sizeof(err)));
	DP_ASSERT_STREQ(v, "/data/cdr.ring");
	v = mem_deref(v);

	DP_ASSERT_OK(dp_settings_get(s, "empty", &v, err, sizeof(err)));
	DP_ASSERT_STREQ(v, "");
	v = mem_deref(v);

	DP_ASSERT_OK(dp_settings_set_arg(s, "state_dir=/mnt", err,
					 sizeof(err)));
	DP_ASSERT_OK(dp_settings_get(s, "store", &v, err, sizeof(err)));
	DP_ASSERT_STREQ(v, "/mnt/cdr.ring");
	mem_deref(v);
	mem_deref(s);
}


DP_TEST(settings_errors_name_file_and_line)
{
	struct dp_settings *s = NULL;
	char err[DP_ERRBUF] = "", *v = NULL, want[4200];
	const char *bad = write_tmp("bad.conf", "ok 1\n\nBad-Key 2\n");
	const char *loop = write_tmp("loop.conf", "a ${b}\nb x${a}\n"
				     "c ${nosuch}\n");

	DP_ASSERT_OK(dp_settings_alloc(&s));
	DP_ASSERT_EQ(dp_settings_load(s, bad, err, sizeof(err)), EINVAL);
	snprintf(want, sizeof(want), "%s:3: bad key 'Bad-Key'", bad);
	DP_ASSERT_MSG(strstr(err, want) != NULL, "got: %s", err);

	DP_ASSERT_OK(dp_settings_load(s, loop, err, sizeof(err)));
	DP_ASSERT_EQ(dp_settings_get(s, "a", &v, err, sizeof(err)), ELOOP);
	DP_ASSERT(v == NULL);
	DP_ASSERT_EQ(dp_settings_get(s, "c", &v, err, sizeof(err)), ENOENT);
	snprintf(want, sizeof(want), "%s:3: unknown setting ${nosuch}", loop);
	DP_ASSERT_MSG(strstr(err, want) != NULL, "got: %s", err);

	DP_ASSERT_EQ(dp_settings_load(s, "/nonexistent/x.conf", err,
				      sizeof(err)), ENOENT);
	DP_ASSERT(strstr(err, "/nonexistent/x.conf") != NULL);
	DP_ASSERT_EQ(dp_settings_set_arg(s, "novalue", err, sizeof(err)),
		     EINVAL);
	mem_deref(s);
}


DP_TEST(template_drops_empty_and_splits_modules)
{
	struct dp_settings *s = NULL;
	struct mbuf *mb = mbuf_alloc(256);
	char err[DP_ERRBUF] = "";
	const char *t = write_tmp("t.in", "# c\nsip_listen ${l}\n"
				  "net_interface ${nif}\n"
				  "module ${mods}\nmodule_app ${none}\n");

	DP_ASSERT_OK(dp_settings_alloc(&s));
	DP_ASSERT_OK(dp_settings_set(s, "l", "127.0.0.1:5060", "t"));
	DP_ASSERT_OK(dp_settings_set(s, "nif", "", "t"));
	DP_ASSERT_OK(dp_settings_set(s, "mods", "a.so, b.so,,c.so", "t"));
	DP_ASSERT_OK(dp_settings_set(s, "none", "", "t"));
	DP_ASSERT_OK(dp_template_render(s, t, mb, err, sizeof(err)));
	DP_ASSERT_OK(mbuf_write_u8(mb, 0));
	DP_ASSERT_STREQ((char *)mb->buf, "sip_listen 127.0.0.1:5060\n"
			"module a.so\nmodule b.so\nmodule c.so\n");
	mem_deref(mb);
	mem_deref(s);
}


/* A newline in a value would put a config line of the writer's choosing
 * into baresip's config (issue 15, finding 6): refused from a file, from
 * --set and from the API, each naming the key; nothing is changed. */
DP_TEST(settings_refuse_control_characters)
{
	struct dp_settings *s = NULL;
	char err[DP_ERRBUF] = "", *v = NULL, want[4200];
	const char *nl = write_tmp("ctl.conf", "audio_ring yes\n"
				   "sip_listen 1.2.3.4\x01:5060\n");
	const char *tab = write_tmp("tab.conf", "label a\tb\n");
	const char *crlf = write_tmp("crlf.conf", "audio_ring no\r\n");

	DP_ASSERT_OK(dp_settings_alloc(&s));
	DP_ASSERT_EQ(dp_settings_load(s, nl, err, sizeof(err)), EINVAL);
	snprintf(want, sizeof(want), "%s:2: the value of 'sip_listen' holds"
		 " a control character (0x01)", nl);
	DP_ASSERT_MSG(strstr(err, want) != NULL, "got: %s", err);
	DP_ASSERT(!dp_settings_has(s, "sip_listen"));

	DP_ASSERT_EQ(dp_settings_load(s, tab, err, sizeof(err)), EINVAL);
	DP_ASSERT_MSG(strstr(err, "'label' holds a control character (0x09)")
		      != NULL, "got: %s", err);

	/* a CRLF file's line end is not part of the value */
	DP_ASSERT_OK(dp_settings_load(s, crlf, err, sizeof(err)));
	DP_ASSERT_OK(dp_settings_get(s, "audio_ring", &v, err, sizeof(err)));
	DP_ASSERT_STREQ(v, "no");
	v = mem_deref(v);

	DP_ASSERT_EQ(dp_settings_set_arg(s, "audio_ring=yes\ndptls_verify no",
					 err, sizeof(err)), EINVAL);
	DP_ASSERT_MSG(strstr(err, "--set audio_ring: the value holds a control"
			     " character (0x0a)") != NULL, "got: %s", err);
	DP_ASSERT_EQ(dp_settings_set(s, "audio_ring", "x\x7f", "t"), EINVAL);

	DP_ASSERT_OK(dp_settings_get(s, "audio_ring", &v, err, sizeof(err)));
	DP_ASSERT_STREQ(v, "no");
	mem_deref(v);
	mem_deref(s);
}


/* Defence in depth: the renderer writes no line holding a control
 * character, even one that comes from the template's own text. */
DP_TEST(template_refuses_control_characters)
{
	struct dp_settings *s = NULL;
	struct mbuf *mb = mbuf_alloc(256);
	char err[DP_ERRBUF] = "", want[4200];
	const char *t = write_tmp("ctl.in", "sip_listen ${l}\n"
				  "dptls_verify ${v}\x0b\n");

	DP_ASSERT_OK(dp_settings_alloc(&s));
	DP_ASSERT_OK(dp_settings_set(s, "l", "127.0.0.1:5060", "t"));
	DP_ASSERT_OK(dp_settings_set(s, "v", "yes", "t"));
	DP_ASSERT_EQ(dp_template_render(s, t, mb, err, sizeof(err)), EINVAL);
	snprintf(want, sizeof(want), "%s:2: the value of 'dptls_verify' holds"
		 " a control character (0x0b); not written", t);
	DP_ASSERT_MSG(strstr(err, want) != NULL, "got: %s", err);
	DP_ASSERT(NULL == memchr(mb->buf, 0x0b, mb->end));
	mem_deref(mb);
	mem_deref(s);
}


DP_TEST(write_atomic_replaces_whole_file)
{
	char path[4200], *buf = NULL;
	size_t len = 0;
	struct stat st;

	snprintf(path, sizeof(path), "%s/sub/dir/f", dptest_tmpdir());
	DP_ASSERT_EQ(dp_mkdir_p("", 0700), EINVAL);
	*strrchr(path, '/') = '\0';
	DP_ASSERT_OK(dp_mkdir_p(path, 0700));
	strcat(path, "/f");

	DP_ASSERT_OK(dp_write_atomic(path, "first", 5, 0600));
	DP_ASSERT_OK(dp_write_atomic(path, "second!", 7, 0640));
	DP_ASSERT_OK(dp_read_file(path, 100, &buf, &len));
	DP_ASSERT_EQ(len, 7);
	DP_ASSERT_STREQ(buf, "second!");
	DP_ASSERT_OK(stat(path, &st));
	DP_ASSERT_EQ(st.st_mode & 0777, 0640);
	mem_deref(buf);

	DP_ASSERT_EQ(dp_read_file(path, 3, &buf, &len), EFBIG);
}


/* Found while fuzzing (test/fuzz/crashes/settings/): references nested a
 * dozen deep, eight to a line, expanded to 500 GB and hung the daemon's
 * start.  An expansion is now capped and the error names the line. */
DP_TEST(settings_expansion_is_capped)
{
	struct dp_settings *s = NULL;
	char err[DP_ERRBUF] = "", *v = NULL, text[2048] = "", want[4200];
	const char *path;
	size_t n = 0;

	for (int i = 0; i < 12; i++) {
		n += (size_t)snprintf(text + n, sizeof(text) - n, "k%d ", i);
		for (int j = 0; j < 8; j++)
			n += (size_t)snprintf(text + n, sizeof(text) - n,
					      "${k%d}", i + 1);
		n += (size_t)snprintf(text + n, sizeof(text) - n, "\n");
	}
	snprintf(text + n, sizeof(text) - n, "k12 xxxxxxxx\n");
	path = write_tmp("nested.conf", text);

	DP_ASSERT_OK(dp_settings_alloc(&s));
	DP_ASSERT_OK(dp_settings_load(s, path, err, sizeof(err)));
	DP_ASSERT_EQ(dp_settings_get(s, "k0", &v, err, sizeof(err)), E2BIG);
	DP_ASSERT(v == NULL);
	snprintf(want, sizeof(want), "%s:", path);
	DP_ASSERT_MSG(strstr(err, want) == err &&
		      strstr(err, "expands to more than 65536 bytes"),
		      "got: %s", err);

	/* a value below the cap still expands */
	DP_ASSERT_OK(dp_settings_get(s, "k8", &v, err, sizeof(err)));
	DP_ASSERT_EQ(strlen(v), 8 * 8 * 8 * 8 * 8);
	mem_deref(v);
	mem_deref(s);
}
