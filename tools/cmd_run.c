/**
 * @file cmd_run.c  `deskphone run`: start baresip on our configuration
 *                  and keep its log
 *
 * baresip runs as our child, in a process group of its own, so that a
 * terminal's Ctrl-C reaches it once, through us.  Its output is written,
 * time-stamped and without colour codes, to ${log_dir}/deskphone.log,
 * which is capped at log_max_bytes (one older file, .1, is kept), and
 * echoed to our stdout with --foreground.  The privacy rules know that
 * directory (they rewrite the log without expired lines; we then open
 * it again); nothing else keeps the daemon's output.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <re.h>
#include "firmware/lib/settings.h"
#include "cli.h"
#include "run.h"

extern const struct dp_command dp_command_run;

static volatile sig_atomic_t pending_signal;

struct logger {
	const char *test_clock;   /* stamps from a simulated clock */
	time_t test_now;
	struct timespec test_mtime;
	char path[4096];
	char old[4096];
	int fd;
	uint64_t size;
	uint64_t max;
	bool echo;
	bool at_line_start;
	int esc;          /* inside an ANSI escape sequence */
};


static void on_signal(int sig)
{
	pending_signal = sig;
}


static int logger_open(struct logger *lg)
{
	struct stat st;

	lg->fd = open(lg->path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC,
		      0600);
	if (lg->fd < 0)
		return errno;

	lg->size = 0 == fstat(lg->fd, &st) ? (uint64_t)st.st_size : 0;
	lg->at_line_start = true;

	return 0;
}


/*
 * The privacy purge rewrites the log without its expired lines and
 * renames the result over it: a log replaced (or removed) under us is
 * opened again, so no line goes to a file nobody sees.
 */
static void logger_follow(struct logger *lg)
{
	struct stat a, b;

	if (lg->fd >= 0 && !fstat(lg->fd, &b) && !stat(lg->path, &a) &&
	    a.st_ino == b.st_ino && a.st_dev == b.st_dev)
		return;

	if (lg->fd >= 0)
		close(lg->fd);
	if (logger_open(lg))
		lg->fd = -1;
}


static void logger_rotate(struct logger *lg)
{
	close(lg->fd);
	(void)rename(lg->path, lg->old);
	if (logger_open(lg))
		lg->fd = -1;
}


static void logger_put(struct logger *lg, const char *buf, size_t len)
{
	if (lg->fd >= 0 && write(lg->fd, buf, len) == (ssize_t)len)
		lg->size += len;

	if (lg->echo) {
		ssize_t w = write(STDOUT_FILENO, buf, len);
		(void)w;
	}
}


/* The time for a line's stamp: the wall clock, or in tests the
 * simulated one the privacy rules use (privacy_test_clock). */
static time_t logger_time(struct logger *lg)
{
	struct stat st;
	char buf[64];
	FILE *f;

	if (!lg->test_clock)
		return time(NULL);

	if (!stat(lg->test_clock, &st) &&
	    (st.st_mtim.tv_sec != lg->test_mtime.tv_sec ||
	     st.st_mtim.tv_nsec != lg->test_mtime.tv_nsec)) {
		f = fopen(lg->test_clock, "r");
		if (f && fgets(buf, sizeof(buf), f))
			lg->test_now = (time_t)strtoll(buf, NULL, 10);
		if (f)
			fclose(f);
		lg->test_mtime = st.st_mtim;
	}

	return lg->test_now ? lg->test_now : time(NULL);
}


/* Copy baresip's output, a line at a time, dropping colour codes. */
static void logger_write(struct logger *lg, const char *buf, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		char c = buf[i];

		if (lg->esc) {
			if (c >= '@' && c <= '~' && c != '[')
				lg->esc = 0;
			continue;
		}
		if (c == '\x1b') {
			lg->esc = 1;
			continue;
		}
		if (c == '\r')
			continue;

		if (lg->at_line_start) {
			char stamp[40];
			time_t now = logger_time(lg);
			struct tm tm;

			logger_follow(lg);
			if (lg->size >= lg->max)
				logger_rotate(lg);

			gmtime_r(&now, &tm);
			strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%SZ ",
				 &tm);
			logger_put(lg, stamp, strlen(stamp));
			lg->at_line_start = false;
		}

		logger_put(lg, &c, 1);
		if (c == '\n')
			lg->at_line_start = true;
	}
}


static pid_t start_baresip(const struct run_plan *plan, int out_fd)
{
	pid_t pid = fork();

	if (pid == 0) {
		int devnull = open("/dev/null", O_RDONLY);
		char *argv[6];
		int argc = 0;

		(void)setpgid(0, 0);
		/* Should we die without stopping it, baresip must not stay. */
		(void)prctl(PR_SET_PDEATHSIG, SIGTERM);
		if (getppid() == 1)
			_exit(1);
		if (devnull >= 0)
			dup2(devnull, STDIN_FILENO);
		dup2(out_fd, STDOUT_FILENO);
		dup2(out_fd, STDERR_FILENO);

		argv[argc++] = plan->baresip_bin;
		argv[argc++] = "-f";
		argv[argc++] = plan->baresip_dir;
		if (plan->sip_trace)
			argv[argc++] = "-s";
		argv[argc] = NULL;

		signal(SIGPIPE, SIG_DFL);
		execv(plan->baresip_bin, argv);
		fprintf(stderr, "deskphone: cannot start %s: %s\n",
			plan->baresip_bin, strerror(errno));
		_exit(127);
	}

	return pid;
}


static int supervise(const struct run_plan *plan, bool foreground)
{
	struct sigaction sa;
	struct logger lg;
	int pipefd[2], status = 0, rc;
	time_t kill_at = 0;
	bool eof = false;
	pid_t pid;

	memset(&lg, 0, sizeof(lg));
	re_snprintf(lg.path, sizeof(lg.path), "%s/deskphone.log",
		    plan->log_dir);
	re_snprintf(lg.old, sizeof(lg.old), "%s/deskphone.log.1",
		    plan->log_dir);
	lg.max  = plan->log_max_bytes;
	lg.echo = foreground;
	lg.test_clock = plan->test_clock;
	if (logger_open(&lg)) {
		fprintf(stderr, "deskphone: cannot open %s: %s\n", lg.path,
			strerror(errno));
		return DP_EXIT_FAIL;
	}

	if (pipe2(pipefd, O_CLOEXEC) < 0) {
		perror("deskphone: pipe");
		return DP_EXIT_FAIL;
	}

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);

	pid = start_baresip(plan, pipefd[1]);
	close(pipefd[1]);
	if (pid < 0) {
		perror("deskphone: fork");
		return DP_EXIT_FAIL;
	}

	for (;;) {
		struct pollfd pfd = { .fd = pipefd[0], .events = POLLIN };
		char buf[4096];
		pid_t w;

		if (pending_signal) {
			int sig = pending_signal;

			pending_signal = 0;
			(void)kill(pid, sig == SIGHUP ? SIGTERM : sig);
			if (!kill_at)
				kill_at = time(NULL) + plan->stop_timeout_s;
		}

		if (kill_at && time(NULL) >= kill_at) {
			logger_write(&lg, "deskphone: baresip did not stop;"
				     " killing it\n", 40);
			(void)kill(pid, SIGKILL);
			kill_at = 0;
		}

		if (eof) {
			w = waitpid(pid, &status, WNOHANG);
			if (w == pid || (w < 0 && errno != EINTR))
				break;
			(void)poll(NULL, 0, 100);
			continue;
		}

		rc = poll(&pfd, 1, 500);
		if (rc <= 0)
			continue;

		rc = (int)read(pipefd[0], buf, sizeof(buf));
		if (rc > 0)
			logger_write(&lg, buf, (size_t)rc);
		else if (rc == 0 || errno != EINTR)
			eof = true;
	}

	close(pipefd[0]);
	if (lg.fd >= 0)
		close(lg.fd);

	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);

	return DP_EXIT_FAIL;
}


static int run_main(int argc, char **argv)
{
	struct cli_settings_opts opts;
	struct dp_settings *s = NULL;
	struct run_plan plan;
	bool check = false, print = false, foreground = false;
	int err, rc;

	memset(&opts, 0, sizeof(opts));

	for (int i = 1; i < argc; i++) {
		if (cli_settings_option(&opts, argc, argv, &i))
			continue;
		if (0 == strcmp(argv[i], "--check"))
			check = true;
		else if (0 == strcmp(argv[i], "--print-config"))
			print = true;
		else if (0 == strcmp(argv[i], "--foreground") ||
			 0 == strcmp(argv[i], "-F"))
			foreground = true;
		else
			return cli_usage(&dp_command_run);
	}

	if (cli_settings_load(&opts, &s))
		return DP_EXIT_USAGE;

	err = run_plan_make(&plan, s);
	mem_deref(s);
	if (err)
		return DP_EXIT_USAGE;

	if (print) {
		fwrite(plan.config->buf, 1, plan.config->end, stdout);
	}
	if (check || print) {
		if (check)
			printf("configuration OK: %u modules\n",
			       list_count(&plan.modules));
		run_plan_reset(&plan);
		return DP_EXIT_OK;
	}

	err = run_plan_apply(&plan);
	if (!err)
		err = run_write_settings_args(&plan, &opts);
	if (err) {
		run_plan_reset(&plan);
		return DP_EXIT_FAIL;
	}

	rc = supervise(&plan, foreground);
	run_plan_reset(&plan);

	return rc;
}


const struct dp_command dp_command_run = {
	.name    = "run",
	.summary = "start the phone daemon (baresip with our modules)",
	.usage   =
	"deskphone run [--config DIR] [--local FILE]... [--set KEY=VALUE]...\n"
	"              [--foreground|-F] [--check] [--print-config]\n"
	"\n"
	"  --config DIR     settings directory (default /etc/deskphone)\n"
	"  --local FILE     a settings file layered on top (repeatable)\n"
	"  --set KEY=VALUE  one setting, layered last (repeatable)\n"
	"  --foreground     also print the daemon's log to stdout\n"
	"  --check          check the configuration, start nothing\n"
	"  --print-config   print the baresip config it would use\n"
	"\n"
	"Exit status: baresip's own; 2 when the configuration is bad (the\n"
	"message names the file and line).\n",
	.main    = run_main,
};
