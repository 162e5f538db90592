/**
 * @file cli_socket.c  Connecting to the daemon's local UNIX sockets
 */
#include <errno.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>
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
