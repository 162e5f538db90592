/**
 * @file bench_util.c  Clock, device writes and memory of this process
 */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "bench_util.h"


double bench_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);

	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}


static unsigned long long field(const char *file, const char *name)
{
	unsigned long long v = 0;
	char line[256];
	size_t n = strlen(name);
	FILE *f = fopen(file, "r");

	if (!f)
		return 0;

	while (fgets(line, sizeof(line), f)) {
		if (!strncmp(line, name, n)) {
			sscanf(line + n, "%llu", &v);
			break;
		}
	}
	fclose(f);

	return v;
}


uint64_t bench_write_bytes(void)
{
	return field("/proc/self/io", "write_bytes:");
}


unsigned long bench_peak_rss_kb(void)
{
	return (unsigned long)field("/proc/self/status", "VmHWM:");
}


void bench_drop_caches(const char *path)
{
	int fd = open(path, O_RDONLY);

	if (fd < 0)
		return;
	(void)fdatasync(fd);
	(void)posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED);
	close(fd);
}
