/**
 * @file cmd_ctl.c  `deskphone ctl`: talk to the running daemon over its
 *                  local control socket
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include <cjson/cJSON.h>
#include <re.h>
#include "base/settings.h"
#include "cli.h"

extern const struct dp_command dp_command_ctl;


static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);

	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}


/*
 * Print lines from fd until `max_lines` lines were printed (0: no limit)
 * or the deadline passes (< 0: none); *count: how many were printed.
 */
static int read_lines(int fd, unsigned max_lines, int64_t deadline,
		      unsigned *count)
{
	char buf[8192];
	size_t have = 0;

	*count = 0;

	for (;;) {
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		int timeout = -1;
		ssize_t n;
		char *nl;

		if (deadline >= 0) {
			int64_t left = deadline - now_ms();

			if (left <= 0)
				return ETIMEDOUT;
			timeout = (int)left;
		}

		if (poll(&pfd, 1, timeout) <= 0)
			continue;

		n = read(fd, buf + have, sizeof(buf) - have - 1);
		if (n <= 0)
			return n == 0 ? EPIPE : errno;
		have += (size_t)n;
		buf[have] = '\0';

		while ((nl = memchr(buf, '\n', have)) != NULL) {
			size_t len = (size_t)(nl - buf) + 1;

			fwrite(buf, 1, len, stdout);
			fflush(stdout);
			memmove(buf, nl + 1, have - len);
			have -= len;

			if (max_lines && ++*count >= max_lines)
				return 0;
		}

		if (have >= sizeof(buf) - 1)
			have = 0;   /* absurdly long line: drop it */
	}
}


static int send_line(int fd, const char *line)
{
	size_t len = strlen(line);

	if (send(fd, line, len, MSG_NOSIGNAL) != (ssize_t)len ||
	    send(fd, "\n", 1, MSG_NOSIGNAL) != 1)
		return errno;

	return 0;
}


static int ctl_main(int argc, char **argv)
{
	struct cli_settings_opts opts;
	const char *socket_path = NULL;
	char *path_setting = NULL, line[4096] = "";
	double wait_s = 0, timeout_s = -1;
	bool events = false;
	unsigned max_events = 0, count;
	int fd, i, err, rc = DP_EXIT_OK;
	size_t pos = 0;

	memset(&opts, 0, sizeof(opts));

	for (i = 1; i < argc; i++) {
		if (cli_settings_option(&opts, argc, argv, &i))
			continue;
		if (0 == strcmp(argv[i], "--socket") && i + 1 < argc)
			socket_path = argv[++i];
		else if (0 == strcmp(argv[i], "--wait") && i + 1 < argc)
			wait_s = atof(argv[++i]);
		else if (0 == strcmp(argv[i], "--timeout") && i + 1 < argc)
			timeout_s = atof(argv[++i]);
		else if (0 == strcmp(argv[i], "--events"))
			events = true;
		else if (0 == strcmp(argv[i], "--count") && i + 1 < argc)
			max_events = (unsigned)atoi(argv[++i]);
		else if (argv[i][0] == '-' && argv[i][1] == '-')
			return cli_usage(&dp_command_ctl);
		else
			break;
	}

	if (!events && i >= argc)
		return cli_missing(&dp_command_ctl, "COMMAND (or --events)");

	for (; i < argc; i++) {
		int n = snprintf(line + pos, sizeof(line) - pos, "%s%s",
				 pos ? " " : "", argv[i]);

		if (n < 0 || (size_t)n >= sizeof(line) - pos) {
			fprintf(stderr, "deskphone ctl: command too long\n");
			return DP_EXIT_USAGE;
		}
		pos += (size_t)n;
	}

	if (!socket_path) {
		struct dp_settings *s = NULL;

		if (cli_settings_load(&opts, &s))
			return DP_EXIT_USAGE;
		path_setting = cli_setting(s, "ctrl_socket");
		mem_deref(s);
		if (!path_setting)
			return DP_EXIT_USAGE;
		socket_path = path_setting;
	}

	fd = cli_connect_unix(socket_path, (int)(wait_s * 1000));
	if (fd < 0)
		fprintf(stderr, "deskphone ctl: cannot connect to %s: %s (is the"
			" daemon running?)\n", socket_path, strerror(errno));
	mem_deref(path_setting);
	if (fd < 0)
		return DP_EXIT_FAIL;

	if (events) {
		int64_t deadline = timeout_s < 0 ? -1 :
			now_ms() + (int64_t)(timeout_s * 1000);

		/* The reply to `events` itself is not an event: skip it. */
		err = send_line(fd, "events");
		if (!err)
			err = read_lines(fd, 1, deadline, &count);
		if (!err && line[0])
			err = send_line(fd, line);
		if (!err)
			err = read_lines(fd, max_events, deadline, &count);
		rc = err == ETIMEDOUT || err == EPIPE || !err ?
			DP_EXIT_OK : DP_EXIT_FAIL;
		if (err == ETIMEDOUT && max_events)
			rc = DP_EXIT_FAIL;
	}
	else {
		char *reply = NULL;
		cJSON *j;

		err = cli_ctl_request(fd, line, (int)((timeout_s < 0 ? 10 :
						       timeout_s) * 1000),
				      &reply);
		if (err) {
			fprintf(stderr, "deskphone ctl: no reply: %s\n",
				strerror(err));
			rc = DP_EXIT_FAIL;
		}
		else {
			printf("%s\n", reply);
			j = cJSON_Parse(reply);
			if (!cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(j,
									  "ok")))
				rc = DP_EXIT_FAIL;
			cJSON_Delete(j);
		}
		mem_deref(reply);
	}

	close(fd);

	return rc;
}


const struct dp_command dp_command_ctl = {
	.name    = "ctl",
	.summary = "send a command to the running daemon",
	.usage   =
	"deskphone ctl [--socket PATH | --config DIR ...] [--wait S]\n"
	"              [--timeout S] COMMAND [ARGS...]\n"
	"       deskphone ctl ... --events [--count N] [--timeout S]"
	" [COMMAND...]\n"
	"\n"
	"Commands: ping, status, dial URI, answer, hangup, hold, resume,\n"
	"transfer URI, digit KEYS, mute on|off, cmd TEXT, quit.\n"
	"The reply is one JSON line; exit status 0 when it says ok.\n"
	"--wait S keeps trying to connect for S seconds.  --events prints\n"
	"every event as a JSON line (after sending COMMAND, if given) until\n"
	"N events were printed or the timeout passed.\n",
	.main    = ctl_main,
};
