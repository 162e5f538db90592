/**
 * @file dptest.c  main() for unit-test programs (see dptest.h)
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include "dptest.h"

enum { MAX_TESTS = 1024 };

static struct {
	const char *name;
	dptest_fn *fn;
} tests[MAX_TESTS];
static size_t ntests;
static unsigned assertions;
static char tmpdir[4096];
static int result_fd = -1;


void dptest_register(const char *name, dptest_fn *fn)
{
	if (ntests >= MAX_TESTS) {
		fprintf(stderr, "dptest: too many tests\n");
		exit(2);
	}
	tests[ntests].name = name;
	tests[ntests].fn = fn;
	++ntests;
}


void dptest_count(void)
{
	++assertions;
}


void dptest_fail(const char *file, int line, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;
	int n;

	n = snprintf(msg, sizeof(msg), "%s:%d: ", file, line);
	va_start(ap, fmt);
	vsnprintf(msg + n, sizeof(msg) - (size_t)n, fmt, ap);
	va_end(ap);

	if (result_fd >= 0) {
		ssize_t w = write(result_fd, msg, strlen(msg));
		(void)w;
	}

	_exit(1);
}


const char *dptest_tmpdir(void)
{
	return tmpdir;
}


const char *dptest_datadir(void)
{
	const char *d = getenv("DP_TEST_DATA");

	return d ? d : "test/data";
}


static void remove_tree(const char *path)
{
	char cmd[4200];
	int r;

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", path);
	r = system(cmd);
	(void)r;
}


static int run_one(size_t i)
{
	const char *base = getenv("TMPDIR");
	char why[1024] = "";
	int pipefd[2], status = 0;
	ssize_t n;
	pid_t pid;

	snprintf(tmpdir, sizeof(tmpdir), "%s/dptest.%s.XXXXXX",
		 base ? base : "/tmp", tests[i].name);
	if (!mkdtemp(tmpdir)) {
		printf("FAIL %s: mkdtemp: %s\n", tests[i].name,
		       strerror(errno));
		return 1;
	}

	if (pipe(pipefd) < 0)
		return 1;

	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		close(pipefd[0]);
		result_fd = pipefd[1];
		assertions = 0;
		tests[i].fn();
		if (assertions == 0)
			dptest_fail(__FILE__, __LINE__,
				    "the test asserted nothing");
		fflush(stdout);
		_exit(0);
	}

	close(pipefd[1]);
	n = read(pipefd[0], why, sizeof(why) - 1);
	why[n > 0 ? n : 0] = '\0';
	close(pipefd[0]);
	waitpid(pid, &status, 0);
	remove_tree(tmpdir);

	if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
		printf("PASS %s\n", tests[i].name);
		return 0;
	}

	if (WIFSIGNALED(status))
		printf("FAIL %s: killed by signal %d %s\n", tests[i].name,
		       WTERMSIG(status), why);
	else
		printf("FAIL %s: %s\n", tests[i].name,
		       why[0] ? why : "exited non-zero");

	return 1;
}


static bool selected(const char *name, int argc, char **argv)
{
	if (argc < 2)
		return true;

	for (int i = 1; i < argc; i++) {
		if (0 == strcmp(argv[i], name))
			return true;
	}

	return false;
}


int main(int argc, char **argv)
{
	unsigned passed = 0, failed = 0;

	setvbuf(stdout, NULL, _IOLBF, 0);

	for (size_t i = 0; i < ntests; i++) {
		if (!selected(tests[i].name, argc, argv))
			continue;
		if (run_one(i))
			++failed;
		else
			++passed;
	}

	printf("%u passed, %u failed\n", passed, failed);

	return failed ? 1 : 0;
}
