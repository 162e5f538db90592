/**
 * @file cdr_tool.c  cdr-tool: the store driven from a script
 *
 *   cdr-tool bench DIR N
 *       the store's figures for `make bench`: N appends, each synced,
 *       on a fresh store in DIR; then a full store reopened
 *
 * Exit status 0 on success.  Only for tests: it prints personal fields.
 */
#include <errno.h>
#include <malloc.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <re.h>
#include "privacy/crypto/crypto.h"
#include "privacy/store/cdr_store.h"
#include "test/unit/store_fixture.h"
#include "bench_util.h"


/* Appends until every sector has been written once more than the ring
 * holds, so the store is full and has wrapped. */
static int fill(struct cdr_store *st, uint64_t *serial)
{
	struct cdr_store_info info;
	int err = cdr_store_info(st, &info);

	while (!err && info.sector_writes <= info.ring_sectors) {
		for (int i = 0; i < 64 && !err; i++) {
			struct cdr_record rec;

			fixture_record(++*serial, &rec);
			err = cdr_store_append(st, &rec);
		}
		if (!err)
			err = cdr_store_info(st, &info);
	}

	return err;
}


static int cmd_bench(char **argv)
{
	const uint64_t n = strtoull(argv[3], NULL, 10);
	uint8_t secret[DP_KEY_LEN];
	char path[4096];
	struct cdr_store_params prm = { .path = path, .secret = secret,
					.size = 1 << 20 };
	struct cdr_store *st;
	struct cdr_store_info info;
	uint64_t w0, w1, serial = 0;
	size_t heap0, heap1;
	double t0, t1;
	int err;

	snprintf(path, sizeof(path), "%s/cdr.ring", argv[2]);
	unlink(path);
	if (dp_random(secret, sizeof(secret)))
		return 1;

	err = cdr_store_open(&st, &prm);
	if (err)
		goto out;

	w0 = bench_write_bytes();
	t0 = bench_now();
	for (uint64_t i = 0; i < n && !err; i++) {
		struct cdr_record rec;

		fixture_record(++serial, &rec);
		err = cdr_store_append(st, &rec);
	}
	t1 = bench_now();
	w1 = bench_write_bytes();
	if (err)
		goto out;

	printf("records_per_s %.0f rec/s\n", (double)n / (t1 - t0));
	printf("bytes_written_per_record %.0f bytes\n",
	       (double)(w1 - w0) / (double)n);

	err = fill(st, &serial);
	cdr_store_close(st);
	if (err)
		goto out;

	/* a full store: open as the daemon does (recovery walks it all) */
	bench_drop_caches(path);
	heap0 = mallinfo2().uordblks;
	t0 = bench_now();
	err = cdr_store_open(&st, &prm);
	t1 = bench_now();
	heap1 = mallinfo2().uordblks;
	if (err)
		goto out;
	err = cdr_store_info(st, &info);
	cdr_store_close(st);
	if (err)
		goto out;

	printf("open_full_ms %.1f ms\n", (t1 - t0) * 1000);
	printf("full_store_records %" PRIu64 " records\n", info.records);
	printf("store_heap_kb %.1f kB\n", (double)(heap1 - heap0) / 1024);
	printf("peak_rss_kb %lu kB\n", bench_peak_rss_kb());

 out:
	dp_wipe(secret, sizeof(secret));
	unlink(path);
	if (err)
		fprintf(stderr, "cdr-tool: bench: %s\n", strerror(err));

	return err ? 1 : 0;
}


int main(int argc, char **argv)
{
	if (argc == 4 && !strcmp(argv[1], "bench"))
		return cmd_bench(argv);

	fprintf(stderr, "usage: cdr-tool bench DIR N\n");

	return 2;
}
