/**
 * @file jobs.c  What the menu starts and watches: provisioning from the
 *               USB stick, and a debug bundle written to it
 *
 * Provisioning is the provisioning module's job: dpapp_prov_apply()
 * starts it in that module's worker thread, through the application core
 * (modules/app), which pushes each step and the end to the UI
 * (events.c, job_provision_report()): no polling
 * (docs/provisioning.md).
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
#include "base/fileutil.h"
#include "modules/app/app.h"
#include "ui.h"

extern char **environ;

enum { MAX_ARGS = 64, BUNDLE_OUT_MAX = 8192 };


/* --- provisioning ---------------------------------------------------------- */

void job_provision_report(struct ui *ui, const struct dpapp_prov_report *r)
{
	char first[32];

	/* the job the menu started (and the one a person's answer to "trust
	 * this stick?" starts after it), until it ends */
	if (!ui->prov_seq || r->job < ui->prov_seq || ui->phone->job_done)
		return;

	switch (r->state) {

	case DPAPP_PROV_IDLE:
		return;

	case DPAPP_PROV_WORKING:
	case DPAPP_PROV_ASKING:
		phone_job_update(ui->phone, NULL, false, r->step && r->step[0] ?
				 r->step : "working", NULL, NULL);
		break;

	case DPAPP_PROV_REFUSED:
		phone_job_update(ui->phone, NULL, true, "Refused:", r->reason,
				 NULL);
		break;

	case DPAPP_PROV_UNCHANGED:
		phone_job_update(ui->phone, NULL, true, "Unchanged", r->reason,
				 NULL);
		break;

	case DPAPP_PROV_APPLIED:
	case DPAPP_PROV_ROLLED_BACK:
		re_snprintf(first, sizeof(first), "Provisioned v%llu",
			    (unsigned long long)r->version);
		phone_job_update(ui->phone, NULL, true, first, r->reason, NULL);
		break;
	}
}


int job_provision_start(struct ui *ui)
{
	uint64_t job = 0;
	int err;

	/* the job's first news comes while it starts: the page says so */
	ui->prov_seq = 0;
	err = dpapp_prov_apply(NULL, &job);
	if (err) {
		ui_note(ui, err == EBUSY ? "Busy: wait" : err == ENODEV ?
			"No provisioning" : "Cannot start");
		return err;
	}

	ui->prov_seq = job;
	phone_job_update(ui->phone, "Provisioning", false,
			 "reading the stick", NULL, NULL);

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

	ui->prov_seq = 0;          /* the page follows the bundle now */
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
