/**
 * @file jobs.c  What the menu starts and watches: provisioning from the
 *               USB stick, and a debug bundle written to it
 *
 * Provisioning is the provisioning module's job: `dpprov_apply` starts it
 * in that module's worker thread, and `dpprov_status` is polled (every
 * 250 ms) until its state says how it ended (docs/provisioning.md).
 *
 * A bundle is made by the command line, `deskphone bundle create`, in a
 * process of its own (posix_spawn; never a wait on the main loop): with
 * the settings the daemon was started with (${run_dir}/settings.args)
 * and `--out` the USB directory.  Its output comes back through a pipe
 * watched by the main loop; the path it prints (or why it failed) is
 * shown.  The bundle itself is redacted, checked for secrets and
 * audited by that command; while processing is restricted it refuses.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "firmware/lib/fileutil.h"
#include "ui.h"

extern char **environ;

enum { POLL_MS = 250, MAX_ARGS = 64, BUNDLE_OUT_MAX = 8192 };


/* --- provisioning ---------------------------------------------------------- */

static bool finished(const char *state)
{
	return !strcmp(state, "applied") || !strcmp(state, "unchanged") ||
		!strcmp(state, "refused") || !strcmp(state, "rolled_back");
}


static void prov_poll(void *arg)
{
	struct ui *ui = arg;
	char state[24] = "", msg[64] = "", reason[64] = "", first[32];
	char *out = NULL;
	uint64_t seq = 0, version = 0;

	if (ui_command("dpprov_status", &out)) {
		phone_job_update(ui->phone, NULL, true, "No answer from",
				 "provisioning", NULL);
		mem_deref(out);
		return;
	}
	(void)ui_json_str(out, "state", state, sizeof(state));
	(void)ui_json_num(out, "seq", &seq);
	(void)ui_json_str(out, "message", msg, sizeof(msg));
	(void)ui_json_str(out, "reason", reason, sizeof(reason));
	(void)ui_json_num(out, "version", &version);
	mem_deref(out);

	if (seq >= ui->prov_seq && finished(state)) {
		if (!strcmp(state, "refused")) {
			phone_job_update(ui->phone, NULL, true, "Refused:",
					 reason, NULL);
		}
		else {
			re_snprintf(first, sizeof(first), "Provisioned v%llu",
				    (unsigned long long)version);
			phone_job_update(ui->phone, NULL, true,
					 !strcmp(state, "unchanged") ?
					 "Unchanged" : first, reason, NULL);
		}
	}
	else {
		phone_job_update(ui->phone, NULL, false,
				 msg[0] ? msg : "working", NULL, NULL);
		tmr_start(&ui->job_tmr, POLL_MS, prov_poll, ui);
	}
}


int job_provision_start(struct ui *ui)
{
	char *out = NULL;
	uint64_t seq = 0, e = 0;
	int err;

	err = ui_command("dpprov_apply", &out);
	if (err) {
		ui_note(ui, "No provisioning");
		mem_deref(out);
		return err;
	}
	if (!ui_json_true(out, "ok")) {
		ui_note(ui, ui_json_num(out, "errno", &e) && e == EBUSY ?
			"Busy: wait" : "Cannot start");
		mem_deref(out);
		return EBUSY;
	}
	(void)ui_json_num(out, "seq", &seq);
	mem_deref(out);

	ui->prov_seq = seq;
	phone_job_update(ui->phone, "Provisioning", false,
			 "reading the stick", NULL, NULL);
	tmr_start(&ui->job_tmr, POLL_MS, prov_poll, ui);

	return 0;
}


/* --- a debug bundle -------------------------------------------------------- */

static void bundle_reap(void *arg);


static void bundle_result(struct ui *ui, int status)
{
	char text[BUNDLE_OUT_MAX + 1], *p, *last = NULL, *first = NULL;
	char *save = NULL;
	size_t n = ui->bundle_out ? ui->bundle_out->end : 0;

	memcpy(text, n ? (char *)ui->bundle_out->buf : "", n);
	text[n] = '\0';
	ui->bundle_out = mem_deref(ui->bundle_out);

	/* the lines it printed: the bundle's path, or why not */
	for (p = strtok_r(text, "\n", &save); p;
	     p = strtok_r(NULL, "\n", &save)) {
		if (!first)
			first = p;
		last = p;
	}

	if (WIFEXITED(status) && !WEXITSTATUS(status) && last) {
		const char *base = strrchr(last, '/');

		phone_job_update(ui->phone, NULL, true, "Bundle saved",
				 base ? base + 1 : last, NULL);
	}
	else if (first && strstr(text, "restricted")) {
		phone_job_update(ui->phone, NULL, true, "Refused:",
				 "processing is", "restricted");
	}
	else {
		if (first && !strncmp(first, "deskphone bundle: ", 18))
			first += 18;
		phone_job_update(ui->phone, NULL, true, "Bundle failed",
				 first ? first : "", NULL);
	}
}


/* The output is in; the process ends (or has ended): wait without
 * blocking the main loop. */
static void bundle_reap(void *arg)
{
	struct ui *ui = arg;
	int status = 0;
	pid_t w = waitpid(ui->bundle_pid, &status, WNOHANG);

	if (w == 0) {
		tmr_start(&ui->job_tmr, 50, bundle_reap, ui);
		return;
	}
	ui->bundle_pid = 0;
	bundle_result(ui, w < 0 ? -1 : status);
}


static void bundle_readable(int flags, void *arg)
{
	struct ui *ui = arg;
	char buf[1024];
	ssize_t n;

	(void)flags;
	n = read(ui->bundle_fd, buf, sizeof(buf));
	if (n > 0) {
		if (ui->bundle_out && ui->bundle_out->end + (size_t)n <=
		    BUNDLE_OUT_MAX)
			(void)mbuf_write_mem(ui->bundle_out, (uint8_t *)buf,
					     (size_t)n);
		return;
	}
	if (n < 0 && (errno == EINTR || errno == EAGAIN))
		return;

	fd_close(ui->bundle_fd);
	close(ui->bundle_fd);
	ui->bundle_fd = -1;
	bundle_reap(ui);
}


/* The daemon's own settings layering, one argument a line. */
static int settings_args(const char *path, char *buf, size_t sz,
			 char **argv, int *argc)
{
	char *text = NULL;
	size_t len = 0;
	int err;

	err = dp_read_file(path, sz - 1, &text, &len);
	if (err)
		return err;
	memcpy(buf, text, len);
	buf[len] = '\0';
	mem_deref(text);

	for (char *save = NULL, *p = strtok_r(buf, "\n", &save);
	     p && *argc < MAX_ARGS - 8;
	     p = strtok_r(NULL, "\n", &save))
		argv[(*argc)++] = p;

	return 0;
}


int job_bundle_start(struct ui *ui)
{
	char args[4096], *argv[MAX_ARGS];
	posix_spawn_file_actions_t fa;
	int argc = 0, pipefd[2], err;
	pid_t pid;

	if (ui->bundle_fd >= 0 || ui->bundle_pid > 0)
		return 0;      /* one is being made: its page again */

	argv[argc++] = ui->deskphone_bin;
	argv[argc++] = "bundle";
	argv[argc++] = "create";
	if (ui->settings_args[0] &&
	    settings_args(ui->settings_args, args, sizeof(args), argv,
			  &argc)) {
		ui_note(ui, "Bundle: no settings");
		return ENOENT;
	}
	argv[argc++] = "--out";
	argv[argc++] = ui->bundle_dir;
	argv[argc] = NULL;

	if (pipe2(pipefd, O_CLOEXEC)) {
		ui_note(ui, "Bundle failed");
		return errno;
	}
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, STDIN_FILENO, "/dev/null",
					 O_RDONLY, 0);
	posix_spawn_file_actions_adddup2(&fa, pipefd[1], STDOUT_FILENO);
	posix_spawn_file_actions_adddup2(&fa, pipefd[1], STDERR_FILENO);
	/* none of the daemon's sockets and files go with it */
	posix_spawn_file_actions_addclosefrom_np(&fa, STDERR_FILENO + 1);
	err = posix_spawn(&pid, ui->deskphone_bin, &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	close(pipefd[1]);
	if (err) {
		close(pipefd[0]);
		warning("dpui: %s: %m\n", ui->deskphone_bin, err);
		ui_note(ui, "Bundle failed");
		return err;
	}

	ui->bundle_pid = pid;
	ui->bundle_fd = pipefd[0];
	ui->bundle_out = mbuf_alloc(512);
	phone_job_update(ui->phone, "Debug bundle", false, "collecting and",
			 "redacting...", NULL);
	info("dpui: a debug bundle to %s\n", ui->bundle_dir);

	err = fd_listen(ui->bundle_fd, FD_READ, bundle_readable, ui);
	if (err) {
		close(ui->bundle_fd);
		ui->bundle_fd = -1;
		bundle_reap(ui);
	}

	return 0;
}


void job_close(struct ui *ui)
{
	tmr_cancel(&ui->job_tmr);
	if (ui->bundle_fd >= 0) {
		fd_close(ui->bundle_fd);
		close(ui->bundle_fd);
		ui->bundle_fd = -1;
	}
	if (ui->bundle_pid > 0) {
		/* the bundle command finishes on its own; do not leave a
		 * zombie behind if it already did */
		(void)waitpid(ui->bundle_pid, NULL, WNOHANG);
		ui->bundle_pid = 0;
	}
	ui->bundle_out = mem_deref(ui->bundle_out);
}
