/**
 * @file cli_socket.c  The daemon's local UNIX sockets: connecting, and
 *                     the one client of the control socket's requests
 *                     (`deskphone ctl`, `privacy`, `provision`)
 */
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>
#include <cjson/cJSON.h>
#include <re.h>
#include "cli.h"


static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);

	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}


int cli_connect_unix(const char *path, int wait_ms)
{
	long long deadline = now_ms() + (wait_ms > 0 ? wait_ms : 0);
	struct sockaddr_un sun;

	if (!path || strlen(path) >= sizeof(sun.sun_path)) {
		errno = ENAMETOOLONG;
		return -1;
	}

	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	memcpy(sun.sun_path, path, strlen(path));

	for (;;) {
		int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0), e;

		if (fd < 0)
			return -1;
		if (0 == connect(fd, (struct sockaddr *)&sun, sizeof(sun)))
			return fd;

		e = errno;
		close(fd);
		errno = e;
		if (now_ms() >= deadline)
			return -1;
		(void)poll(NULL, 0, 100);
	}
}


int cli_ctl_request(int fd, const char *line, int timeout_ms, char **replyp)
{
	long long deadline = now_ms() + timeout_ms;
	size_t len = strlen(line), have = 0, cap = 0;
	char *buf = NULL, *nl = NULL;
	int err = 0;

	*replyp = NULL;
	if (send(fd, line, len, MSG_NOSIGNAL) != (ssize_t)len ||
	    send(fd, "\n", 1, MSG_NOSIGNAL) != 1)
		return errno ? errno : EIO;

	/* one line back; an erase or a purge may take a while */
	while (!nl) {
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		long long left = deadline - now_ms();
		ssize_t n;

		if (have + 4096 > cap) {
			char *b = realloc(buf, cap + 65536);

			if (!b) {
				err = ENOMEM;
				break;
			}
			buf = b;
			cap += 65536;
		}
		if (timeout_ms >= 0 && left <= 0) {
			err = ETIMEDOUT;
			break;
		}
		if (poll(&pfd, 1, timeout_ms >= 0 ? (int)left : -1) <= 0)
			continue;
		n = read(fd, buf + have, cap - have - 1);
		if (n <= 0) {
			err = n ? errno : EPIPE;
			break;
		}
		have += (size_t)n;
		buf[have] = '\0';
		nl = strchr(buf, '\n');
	}

	if (!err) {
		*nl = '\0';
		err = str_dup(replyp, buf);
	}
	free(buf);

	return err;
}


int cli_ctl_cmd(int fd, const char *text, int timeout_ms, char **replyp,
		char **outp)
{
	char *line = NULL, *reply = NULL;
	const cJSON *v;
	cJSON *j;
	int err;

	*outp = NULL;
	if (replyp)
		*replyp = NULL;
	if (re_sdprintf(&line, "cmd %s", text))
		return ENOMEM;
	err = cli_ctl_request(fd, line, timeout_ms, &reply);
	mem_deref(line);
	if (err)
		return err;

	j = cJSON_Parse(reply);
	v = cJSON_GetObjectItemCaseSensitive(j, "output");
	if (!cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(j, "ok")) ||
	    !cJSON_IsString(v))
		err = ENOTSUP;
	else
		err = str_dup(outp, v->valuestring);
	cJSON_Delete(j);

	if (replyp)
		*replyp = reply;
	else
		mem_deref(reply);

	return err;
}
