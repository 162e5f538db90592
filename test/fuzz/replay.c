/**
 * @file replay.c  Runs a fuzz harness as a unit test: every input kept in
 *                 test/fuzz/corpus/<name>/ and test/fuzz/crashes/<name>/
 *                 goes through LLVMFuzzerTestOneInput once, in the
 *                 sanitizer build of `make test`.
 *
 * The program is test_fuzz_<name>; <name> comes from its own file name,
 * so one source serves every harness.  A crash the fuzzer found is kept
 * by copying its input into crashes/<name>/ (after the fix): from then
 * on it is a regression test here.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "test/unit/dptest.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

extern char *program_invocation_short_name;

enum { REPLAY_MAX_INPUT = 1 << 20 };


static const char *harness_name(void)
{
	const char *n = program_invocation_short_name;

	return strncmp(n, "test_fuzz_", 10) ? n : n + 10;
}


/* test/, from the test-data directory test/data the runner names */
static const char *test_root(void)
{
	static char root[4096];
	char *slash;

	snprintf(root, sizeof(root), "%s", dptest_datadir());
	slash = strrchr(root, '/');
	if (slash)
		*slash = '\0';
	else
		snprintf(root, sizeof(root), ".");

	return root;
}


static unsigned replay_file(const char *path)
{
	static uint8_t buf[REPLAY_MAX_INPUT];
	struct stat st;
	size_t n;
	FILE *f;

	if (stat(path, &st) || !S_ISREG(st.st_mode))
		return 0;

	f = fopen(path, "rb");
	DP_ASSERT_MSG(f != NULL, "%s: %s", path, strerror(errno));
	n = fread(buf, 1, sizeof(buf), f);
	fclose(f);
	DP_ASSERT_MSG(n < sizeof(buf), "%s: larger than %d bytes", path,
		      REPLAY_MAX_INPUT);

	/* A copy of exactly n bytes, so ASan sees reads past the input. */
	{
		uint8_t *copy = malloc(n ? n : 1);

		DP_ASSERT(copy != NULL);
		memcpy(copy, buf, n);
		(void)LLVMFuzzerTestOneInput(copy, n);
		free(copy);
	}

	return 1;
}


static unsigned replay_dir(const char *kind)
{
	char dir[4096];
	struct dirent *de;
	unsigned count = 0;
	DIR *d;

	snprintf(dir, sizeof(dir), "%s/fuzz/%s/%s", test_root(), kind,
		 harness_name());
	d = opendir(dir);
	if (!d)
		return 0;

	while ((de = readdir(d)) != NULL) {
		char path[8192];

		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		count += replay_file(path);
	}

	closedir(d);

	return count;
}


/* A crash or sanitizer report in any replay fails the test (dptest runs
 * it in a child process); the count proves the inputs were found. */
DP_TEST(kept_inputs_replay_cleanly)
{
	static const uint8_t tiny[] = { 0, '\n', '$', '{', '}', 0xff };
	unsigned seeds;

	(void)LLVMFuzzerTestOneInput(tiny, 0);
	for (size_t i = 1; i <= sizeof(tiny); i++)
		(void)LLVMFuzzerTestOneInput(tiny, i);

	seeds = replay_dir("corpus");
	(void)replay_dir("crashes");

	/* Every harness ships seeds; an empty corpus is a setup mistake. */
	DP_ASSERT_MSG(seeds > 0, "no corpus for %s under %s/fuzz/corpus",
		      harness_name(), test_root());
}
