/**
 * @file socklist.c  dp-socklist PID: the sockets a process holds, one a line
 *
 *   tcp LISTEN 127.0.0.1 5061
 *   tcp ESTABLISHED 127.0.0.1 40112 127.0.0.1 5061
 *   udp - 0.0.0.0 10002
 *   unix - /run/deskphone/ctrl.sock
 *
 * From /proc/PID/fd (socket inodes) and /proc/net/{tcp,tcp6,udp,udp6,
 * unix}.  For tests that check what a daemon exposes.
 */
#include <arpa/inet.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum { MAX_INODES = 4096 };

static unsigned long inodes[MAX_INODES];
static size_t ninodes;


static int collect_inodes(const char *pid)
{
	char dir[256];
	struct dirent *de;
	DIR *d;

	snprintf(dir, sizeof(dir), "/proc/%s/fd", pid);
	d = opendir(dir);
	if (!d) {
		perror(dir);
		return 1;
	}

	while ((de = readdir(d)) != NULL && ninodes < MAX_INODES) {
		char path[512], target[128];
		ssize_t n;
		unsigned long ino;

		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		n = readlink(path, target, sizeof(target) - 1);
		if (n <= 0)
			continue;
		target[n] = '\0';
		if (sscanf(target, "socket:[%lu]", &ino) == 1)
			inodes[ninodes++] = ino;
	}

	closedir(d);

	return 0;
}


static int ours(unsigned long ino)
{
	for (size_t i = 0; i < ninodes; i++)
		if (inodes[i] == ino)
			return 1;
	return 0;
}


/* /proc/net addresses: IPv4 as one host-order word, IPv6 as four. */
static void addr_str(const char *hex, char *out, size_t outsz)
{
	if (strlen(hex) == 8) {
		struct in_addr a;

		a.s_addr = (uint32_t)strtoul(hex, NULL, 16);
		inet_ntop(AF_INET, &a, out, (socklen_t)outsz);
	}
	else {
		struct in6_addr a;

		for (int i = 0; i < 4; i++) {
			char word[9];
			uint32_t w;

			memcpy(word, hex + 8 * i, 8);
			word[8] = '\0';
			w = (uint32_t)strtoul(word, NULL, 16);
			memcpy(&a.s6_addr[4 * i], &w, 4);
		}
		inet_ntop(AF_INET6, &a, out, (socklen_t)outsz);
	}
}


static const char *tcp_state(unsigned st)
{
	static const char *const names[] = {
		"?", "ESTABLISHED", "SYN_SENT", "SYN_RECV", "FIN_WAIT1",
		"FIN_WAIT2", "TIME_WAIT", "CLOSE", "CLOSE_WAIT", "LAST_ACK",
		"LISTEN", "CLOSING",
	};

	return st < sizeof(names) / sizeof(names[0]) ? names[st] : "?";
}


static void list_inet(const char *proto, const char *file)
{
	char path[64], line[512];
	FILE *f;

	snprintf(path, sizeof(path), "/proc/net/%s", file);
	f = fopen(path, "r");
	if (!f)
		return;

	while (fgets(line, sizeof(line), f)) {
		char lhex[64], rhex[64], la[64], ra[64];
		unsigned lport, rport, st;
		unsigned long ino;

		if (sscanf(line, " %*d: %63[0-9A-Fa-f]:%x %63[0-9A-Fa-f]:%x"
			   " %x %*s %*s %*s %*d %*d %lu", lhex, &lport, rhex,
			   &rport, &st, &ino) != 6 || !ours(ino))
			continue;

		addr_str(lhex, la, sizeof(la));
		addr_str(rhex, ra, sizeof(ra));
		if (proto[0] == 't' && st != 0x0A)
			printf("%s %s %s %u %s %u\n", proto, tcp_state(st),
			       la, lport, ra, rport);
		else if (proto[0] == 't')
			printf("%s LISTEN %s %u\n", proto, la, lport);
		else
			printf("%s - %s %u\n", proto, la, lport);
	}

	fclose(f);
}


static void list_unix(void)
{
	char line[1024];
	FILE *f = fopen("/proc/net/unix", "r");

	if (!f)
		return;

	while (fgets(line, sizeof(line), f)) {
		char path[900] = "";
		unsigned long ino;

		if (sscanf(line, "%*s %*s %*s %*s %*s %*s %lu %899s", &ino,
			   path) < 1 || !ours(ino))
			continue;
		printf("unix - %s\n", path[0] ? path : "(unnamed)");
	}

	fclose(f);
}


int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: dp-socklist PID\n");
		return 2;
	}

	if (collect_inodes(argv[1]))
		return 1;

	list_inet("tcp", "tcp");
	list_inet("tcp", "tcp6");
	list_inet("udp", "udp");
	list_inet("udp", "udp6");
	list_unix();

	return 0;
}
