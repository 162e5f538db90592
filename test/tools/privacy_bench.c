/**
 * @file privacy_bench.c  privacy-bench: what forgetting costs, for
 *                        `make bench` (test/bench/privacy.sh)
 *
 *   privacy-bench shred DIR
 *       a full 1 MiB store (72 calls a day, some 70 days), then one
 *       day's records dropped and one day's personal fields erased:
 *       by cdr_store_shred (overwriting in place) and, on a copy, by
 *       the store's drop and key destruction alone (nothing overwritten)
 *   privacy-bench logs DIR LINES
 *       a log of LINES stamped lines over 14 days, purged to 7 days
 *       (the file the peer in the script works on is DIR/peer.log)
 *   privacy-bench export DIR
 *       the export of a full store and a 1 MiB log
 *
 * Each prints `subject metric value unit` lines.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <re.h>
#include "base/fileutil.h"
#include "privacy/crypto/crypto.h"
#include "privacy/policy/privacy.h"
#include "privacy/store/cdr_store.h"
#include "test/unit/store_fixture.h"
#include "bench_util.h"

#define DAY_MS (86400LL * 1000)

static uint8_t secret[DP_KEY_LEN];

struct count {
	uint64_t bytes, syncs;
};


static void hook(uint64_t off, const void *data, size_t len, void *arg)
{
	struct count *c = arg;

	(void)off;
	if (data)
		c->bytes += len;
	else
		c->syncs++;
}


static int open_store(const char *path, struct cdr_store **st,
		      struct count *c)
{
	struct cdr_store_params prm = { .path = path, .size = 1 << 20,
					.secret = secret,
					.write_hook = c ? hook : NULL,
					.hook_arg = c };

	return cdr_store_open(st, &prm);
}


/* Fill until the ring went round once: a full store. */
static int fill(const char *path, uint64_t *first_ms)
{
	struct cdr_store_info info;
	struct cdr_store *st;
	uint64_t serial = 1;
	int err = open_store(path, &st, NULL);

	while (!err) {
		struct cdr_record r;

		err = cdr_store_info(st, &info);
		if (err || info.sector_writes > info.ring_sectors)
			break;
		for (int i = 0; i < 50 && !err; i++) {
			fixture_record(serial++, &r);
			err = cdr_store_append(st, &r);
		}
	}
	if (!err)
		err = cdr_store_info(st, &info);
	if (!err)
		*first_ms = (uint64_t)info.oldest_ms;
	cdr_store_close(st);

	return err;
}


static int copy(const char *from, const char *to)
{
	char *buf = NULL;
	size_t len = 0;
	int err = dp_read_file(from, 2 << 20, &buf, &len);

	if (!err)
		err = dp_write_atomic(to, buf, len, 0600);
	mem_deref(buf);

	return err;
}


static int cmd_shred(const char *dir)
{
	char a[4096], b[4096];
	struct cdr_shred_counts sc;
	struct cdr_store *st;
	struct count c;
	uint64_t first = 0;
	int64_t drop, personal;
	unsigned keys = 0;
	double t;
	int err;

	snprintf(a, sizeof(a), "%s/shred.ring", dir);
	snprintf(b, sizeof(b), "%s/drop.ring", dir);
	err = fill(a, &first);
	if (!err)
		err = copy(a, b);
	if (err)
		return err;

	/* a day's records go; the next day's numbers go */
	drop = (int64_t)first + DAY_MS;
	personal = ((int64_t)first + 2 * DAY_MS) / 1000;

	memset(&c, 0, sizeof(c));
	err = open_store(a, &st, &c);
	if (err)
		return err;
	memset(&c, 0, sizeof(c));
	t = bench_now();
	err = cdr_store_shred(st, personal, drop, &sc);
	t = bench_now() - t;
	cdr_store_close(st);
	if (err)
		return err;
	printf("shred ms %.1f ms\n", t * 1e3);
	printf("shred bytes_written %" PRIu64 " B\n", c.bytes);
	printf("shred syncs %" PRIu64 " n\n", c.syncs);
	printf("shred records_dropped %" PRIu64 " n\n", sc.records_dropped);
	printf("shred records_overwritten %" PRIu64 " n\n",
	       sc.records_voided + sc.personal_stripped);

	memset(&c, 0, sizeof(c));
	err = open_store(b, &st, &c);
	if (err)
		return err;
	memset(&c, 0, sizeof(c));
	t = bench_now();
	err = cdr_store_drop_before(st, drop);
	if (!err)
		err = cdr_store_destroy_epoch_keys_before(st, personal, &keys);
	t = bench_now() - t;
	cdr_store_close(st);
	if (err)
		return err;
	printf("drop-and-destroy ms %.1f ms\n", t * 1e3);
	printf("drop-and-destroy bytes_written %" PRIu64 " B\n", c.bytes);
	printf("drop-and-destroy syncs %" PRIu64 " n\n", c.syncs);

	return 0;
}


/* A log over 14 days, `n` lines; the same file for our purge and for
 * the peer's. */
static int write_log(const char *dir, unsigned n, int64_t now)
{
	char path[4096], peer[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/log", dir);
	(void)dp_mkdir_p(path, 0700);
	snprintf(path, sizeof(path), "%s/log/deskphone.log", dir);
	f = fopen(path, "w");
	if (!f)
		return errno;
	for (unsigned i = 0; i < n; i++) {
		time_t t = (time_t)(now - 14 * 86400 + (int64_t)i * 14 * 86400 /
				    n);
		struct tm tm;
		char stamp[32];

		gmtime_r(&t, &tm);
		strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%SZ", &tm);
		fprintf(f, "%s call: connecting to 'sip:+2721555%04u@pbx."
			"example.test'..\n", stamp, i % 10000);
	}
	fclose(f);

	snprintf(peer, sizeof(peer), "%s/peer.log", dir);

	return copy(path, peer);
}


static int cmd_logs(const char *dir, unsigned n)
{
	struct dp_log_purge how;
	struct dp_log_report r;
	char path[4096];
	int64_t now = 1798761600;
	double t;
	int err = write_log(dir, n, now);

	if (err)
		return err;

	memset(&how, 0, sizeof(how));
	how.cutoff_s = now - 7 * 86400;
	snprintf(path, sizeof(path), "%s/log", dir);
	t = bench_now();
	err = dp_logs_purge(path, &how, &r);
	t = bench_now() - t;
	if (err)
		return err;
	printf("ours ms %.1f ms\n", t * 1e3);
	printf("ours lines_removed %" PRIu64 " n\n", r.lines_removed);
	printf("ours peak_rss_kb %lu kB\n", bench_peak_rss_kb());

	return 0;
}


static int cmd_export(const char *dir)
{
	struct dp_privacy_paths pp;
	struct dp_clock_sample s;
	struct dp_privacy *p = NULL;
	char store[4096], pdir[4096], logs[4096], audit[4096], sec[4096];
	struct mbuf *mb = mbuf_alloc(1 << 20);
	uint64_t first;
	double t;
	int err;

	snprintf(store, sizeof(store), "%s/export.ring", dir);
	snprintf(pdir, sizeof(pdir), "%s/privacy", dir);
	snprintf(logs, sizeof(logs), "%s/log", dir);
	snprintf(audit, sizeof(audit), "%s/audit.jsonl", dir);
	snprintf(sec, sizeof(sec), "%s/secret", dir);

	err = mb ? 0 : ENOMEM;
	if (!err)
		err = fill(store, &first);
	if (!err)
		err = write_log(dir, 10000, 1798761600);
	if (!err)
		err = dp_write_atomic(sec, secret, sizeof(secret), 0600);

	memset(&pp, 0, sizeof(pp));
	pp.dir = pdir;
	pp.secret_file = sec;
	pp.audit_log = audit;
	pp.store = store;
	pp.log_dir = logs;
	if (!err)
		err = dp_privacy_alloc(&p, &pp, NULL);
	if (!err)
		err = dp_clock_sample_now(&s);
	t = bench_now();
	if (!err)
		err = dp_privacy_export(p, &s, mb);
	t = bench_now() - t;
	if (!err) {
		printf("ours ms %.1f ms\n", t * 1e3);
		printf("ours bytes %zu B\n", mb->end);
		printf("ours peak_rss_kb %lu kB\n", bench_peak_rss_kb());
	}
	mem_deref(p);
	mem_deref(mb);

	return err;
}


int main(int argc, char **argv)
{
	int err;

	if (argc < 3) {
		fprintf(stderr, "usage: privacy-bench shred|logs|export DIR"
			" [LINES]\n");
		return 2;
	}

	err = dp_random(secret, sizeof(secret));
	if (err)
		return 1;

	if (!strcmp(argv[1], "shred"))
		err = cmd_shred(argv[2]);
	else if (!strcmp(argv[1], "logs") && argc > 3)
		err = cmd_logs(argv[2], (unsigned)strtoul(argv[3], NULL, 10));
	else if (!strcmp(argv[1], "export"))
		err = cmd_export(argv[2]);
	else
		return 2;

	if (err)
		fprintf(stderr, "privacy-bench %s: %s\n", argv[1],
			strerror(err));

	return err ? 1 : 0;
}
