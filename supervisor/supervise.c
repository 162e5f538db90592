/**
 * @file supervise.c  baresip as our child: started, signalled, waited
 *                    for, its output copied to the log
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <re.h>
#include "run.h"
#include "log.h"
#include "supervisor.h"

static volatile sig_atomic_t pending_signal;


static void on_signal(int sig)
{
	pending_signal = sig;
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


int supervisor_run(const struct run_plan *plan, bool echo)
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
	lg.echo = echo;
	lg.test_clock = plan->test_clock;
	if (logger_open(&lg)) {
		fprintf(stderr, "deskphone: cannot open %s: %s\n", lg.path,
			strerror(errno));
		return SUPERVISOR_FAILED;
	}

	if (pipe2(pipefd, O_CLOEXEC) < 0) {
		perror("deskphone: pipe");
		return SUPERVISOR_FAILED;
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
		return SUPERVISOR_FAILED;
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
	logger_close(&lg);

	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);

	return SUPERVISOR_FAILED;
}
