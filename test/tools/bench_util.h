/**
 * @file bench_util.h  What the benchmark tools measure, measured alike
 */
#ifndef DESKPHONE_BENCH_UTIL_H
#define DESKPHONE_BENCH_UTIL_H

#include <stdint.h>

/* Seconds on the monotonic clock. */
double bench_now(void);
/* Bytes this process has caused to be sent to storage
 * (/proc/self/io write_bytes); 0 where the kernel does not count. */
uint64_t bench_write_bytes(void);
/* The high-water mark of resident memory (VmHWM). */
unsigned long bench_peak_rss_kb(void);
/* Ask the kernel to forget the file's cached pages, so an open reads
 * from the device (best effort). */
void bench_drop_caches(const char *path);

#endif
