/**
 * @file test_store_cross.c  What one crypto back-end wrote, the other
 *                           reads identically
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <re.h>
#include "store_fixture.h"
#include "store_testlib.h"
#include "dptest.h"


/* --- the other back-end ------------------------------------------------ */

static void other_tool(char *path, size_t size)
{
	char self[4096];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	bool openssl = !strncmp(dp_crypto_backend(), "OpenSSL", 7);
	char *slash;

	DP_ASSERT(n > 0);
	self[n] = '\0';
	slash = strrchr(self, '/');
	DP_ASSERT(slash != NULL);
	*slash = '\0';
	snprintf(path, size, "%s/%s", self,
		 openssl ? "cdr-tool-mbedtls" : "cdr-tool");
	DP_ASSERT_MSG(access(path, X_OK) == 0, "%s: not built", path);
}


static int print_rec(const struct cdr_record *rec, void *arg)
{
	fixture_print(arg, rec);

	return 0;
}


/* Our dump, in the format of `cdr-tool dump`. */
static char *dump_here(const char *path)
{
	struct cdr_store_info info;
	struct cdr_store *st = open_store(path, 0, true);
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	DP_ASSERT(f != NULL);
	DP_ASSERT_OK(cdr_store_foreach(st, print_rec, f, &info));
	fprintf(f, "info records=%" PRIu64 " skipped=%" PRIu64 " erased=%"
		PRIu64 " gaps=%" PRIu64 "\n", info.records, info.skipped,
		info.personal_erased, info.seq_gaps);
	fclose(f);
	cdr_store_close(st);

	return text;
}


static char *run_capture(const char *cmd)
{
	char *text = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&text, &len);
	FILE *p = popen(cmd, "r");
	char buf[4096];
	size_t n;

	DP_ASSERT(out != NULL && p != NULL);
	while ((n = fread(buf, 1, sizeof(buf), p)) > 0)
		fwrite(buf, 1, n, out);
	DP_ASSERT_EQ(pclose(p), 0);
	fclose(out);

	return text;
}


DP_TEST(other_backend_reads_identically)
{
	char tool[4200], cmd[20000], a[4200], b[4200], secret_path[4200];
	char *mine, *theirs;
	struct cdr_store *st;
	struct cdr_record day3;
	int64_t cut;

	other_tool(tool, sizeof(tool));
	snprintf(secret_path, sizeof(secret_path), "%s",
		 path_in_tmp("device.secret"));
	DP_ASSERT_OK(dp_device_secret_load(secret_path, true, secret));
	snprintf(a, sizeof(a), "%s", path_in_tmp("theirs.ring"));
	snprintf(b, sizeof(b), "%s", path_in_tmp("mine.ring"));
	fixture_record(72 * 2, &day3);
	cut = day3.start_ms / 1000 - (day3.start_ms / 1000) % 86400;

	/* written there (three days, the first epochs' keys destroyed),
	 * read here and there */
	snprintf(cmd, sizeof(cmd), "'%s' write '%s' '%s' 300 %" PRId64, tool,
		 a, secret_path, cut);
	DP_ASSERT_EQ(system(cmd), 0);
	mine = dump_here(a);
	snprintf(cmd, sizeof(cmd), "'%s' dump '%s' '%s'", tool, a,
		 secret_path);
	theirs = run_capture(cmd);
	DP_ASSERT_MSG(strstr(mine, "info records=300 skipped=0 erased=") != NULL, "len %zu: %.200s", strlen(mine), mine);
	DP_ASSERT(strstr(mine, "erased=0 ") == NULL);
	DP_ASSERT_STREQ(mine, theirs);
	free(mine);
	free(theirs);

	/* written here, read there */
	st = open_store(b, 256 * 1024, false);
	append_serials(st, 1, 300);
	DP_ASSERT_OK(cdr_store_destroy_epoch_keys_before(st, cut, NULL));
	cdr_store_close(st);
	mine = dump_here(b);
	snprintf(cmd, sizeof(cmd), "'%s' dump '%s' '%s'", tool, b,
		 secret_path);
	theirs = run_capture(cmd);
	DP_ASSERT(strstr(mine, "info records=300 skipped=0") != NULL);
	DP_ASSERT_STREQ(mine, theirs);
	free(mine);
	free(theirs);
}
