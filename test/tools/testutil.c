/**
 * @file testutil.c  dp-testutil: small helpers for the shell test harness
 *
 *   dp-testutil freeport          a port free for both UDP and TCP on
 *                                 127.0.0.1, distinct across calls in a
 *                                 run (helpers run tests in parallel)
 *   dp-testutil udp-bound PORT    exit 0 when something listens on UDP PORT
 *   dp-testutil tcp-bound PORT    the same for a TCP listener
 */
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>


static int try_bind(int type, unsigned port)
{
	struct sockaddr_in sin;
	int fd = socket(AF_INET, type, 0), ok;

	if (fd < 0)
		return 0;

	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_port = htons((uint16_t)port);
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	ok = 0 == bind(fd, (struct sockaddr *)&sin, sizeof(sin));
	close(fd);

	return ok;
}


static int freeport(void)
{
	/* Random ports from a range the kernel does not hand out itself
	 * (ip_local_port_range starts at 32768), so an ephemeral socket
	 * cannot take one between our check and the server's bind. */
	srand((unsigned)getpid() ^ (unsigned)time(NULL));

	for (int tries = 0; tries < 1000; tries++) {
		unsigned port = 20000 + (unsigned)rand() % 12000;

		/* RTP-ish pairs: keep the next port free as well */
		if (try_bind(SOCK_DGRAM, port) && try_bind(SOCK_STREAM, port) &&
		    try_bind(SOCK_DGRAM, port + 1)) {
			printf("%u\n", port);
			return 0;
		}
	}

	fprintf(stderr, "dp-testutil: no free port\n");
	return 1;
}


static int bound(const char *proto, unsigned port)
{
	char path[64], line[512];
	FILE *f;
	int found = 0;

	snprintf(path, sizeof(path), "/proc/net/%s", proto);
	f = fopen(path, "r");
	if (!f)
		return 2;

	while (fgets(line, sizeof(line), f)) {
		unsigned lport, state;
		char laddr[64];

		if (sscanf(line, " %*d: %63[0-9A-Fa-f]:%x %*s %x", laddr,
			   &lport, &state) != 3)
			continue;
		/* TCP: 0A is LISTEN; UDP sockets show 07 (unconnected) */
		if (lport == port && (proto[0] == 'u' || state == 0x0A)) {
			found = 1;
			break;
		}
	}

	fclose(f);

	return found ? 0 : 1;
}


int main(int argc, char **argv)
{
	if (argc == 2 && 0 == strcmp(argv[1], "freeport"))
		return freeport();
	if (argc == 3 && 0 == strcmp(argv[1], "udp-bound"))
		return bound("udp", (unsigned)atoi(argv[2]));
	if (argc == 3 && 0 == strcmp(argv[1], "tcp-bound"))
		return bound("tcp", (unsigned)atoi(argv[2]));

	fprintf(stderr, "usage: dp-testutil freeport | udp-bound PORT |"
		" tcp-bound PORT\n");
	return 2;
}
