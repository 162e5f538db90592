/**
 * @file test_store.c  The call-record store: round trips, tampering,
 *                     wrap-around, epoch keys, nonces, power loss, and
 *                     the other crypto back-end reading what this one
 *                     wrote.  Built once per back-end.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <re.h>
#include "privacy/crypto/crypto.h"
#include "privacy/store/cdr_store.h"
#include "store_fixture.h"
#include "dptest.h"

enum { SECTOR = 4096, RING_FIRST = 10, KEY_FIRST = 2, KEY_HALF = 4 };

static uint8_t secret[DP_KEY_LEN];


static const char *path_in_tmp(const char *name)
{
	static char path[4200];

	snprintf(path, sizeof(path), "%s/%s", dptest_tmpdir(), name);

	return path;
}


static void init_secret(void)
{
	DP_ASSERT_OK(dp_random(secret, sizeof(secret)));
}


static struct cdr_store *open_store(const char *path, uint64_t size,
				    bool readonly)
{
	struct cdr_store_params prm = {
		.path = path, .size = size, .secret = secret,
		.readonly = readonly,
	};
	struct cdr_store *st = NULL;

	DP_ASSERT_OK(cdr_store_open(&st, &prm));

	return st;
}


static void append_serials(struct cdr_store *st, uint64_t from, uint64_t to)
{
	for (uint64_t s = from; s <= to; s++) {
		struct cdr_record rec;

		fixture_record(s, &rec);
		DP_ASSERT_OK(cdr_store_append(st, &rec));
	}
}


/* What a walk saw: serials in order, and whether each was right. */
struct seen {
	uint64_t n, first, last, prev_seq;
	bool ordered, contiguous, intact;
	uint64_t erased;
	struct { uint64_t off; size_t len; uint64_t serial; } loc[4096];
	struct cdr_store *st;
};


static int collect(const struct cdr_record *rec, void *arg)
{
	struct seen *s = arg;
	struct cdr_record want;
	uint64_t serial = fixture_serial(rec);

	if (rec->personal_erased) {
		/* the serial is personal: recover it from the start time */
		serial = (uint64_t)((rec->start_ms - FIXTURE_T0_MS) /
				    FIXTURE_STEP_MS);
		s->erased++;
	}

	fixture_record(serial, &want);
	if (rec->personal_erased) {
		want.personal_erased = true;
		want.local_uri[0] = want.remote_uri[0] = '\0';
		want.remote_name[0] = '\0';
	}

	if (!fixture_equal(rec, &want))
		s->intact = false;
	if (s->n && rec->seq <= s->prev_seq)
		s->ordered = false;
	if (s->n && serial != s->last + 1)
		s->contiguous = false;
	if (!s->n)
		s->first = serial;

	if (s->n < sizeof(s->loc) / sizeof(s->loc[0])) {
		cdr_store_last_location(s->st, &s->loc[s->n].off,
					&s->loc[s->n].len);
		s->loc[s->n].serial = serial;
	}

	s->last = serial;
	s->prev_seq = rec->seq;
	s->n++;

	return 0;
}


static void walk(struct cdr_store *st, struct seen *s,
		 struct cdr_store_info *info)
{
	memset(s, 0, sizeof(*s));
	s->ordered = s->contiguous = s->intact = true;
	s->st = st;
	DP_ASSERT_OK(cdr_store_foreach(st, collect, s, info));
}


static uint8_t *read_all(const char *path, size_t *lenp)
{
	struct stat sb;
	uint8_t *buf;
	FILE *f;

	DP_ASSERT_OK(stat(path, &sb));
	buf = malloc((size_t)sb.st_size);
	DP_ASSERT(buf != NULL);
	f = fopen(path, "rb");
	DP_ASSERT(f != NULL);
	DP_ASSERT_EQ(fread(buf, 1, (size_t)sb.st_size, f), sb.st_size);
	fclose(f);
	*lenp = (size_t)sb.st_size;

	return buf;
}


static void write_all(const char *path, const uint8_t *buf, size_t len)
{
	int fd = open(path, O_WRONLY);

	DP_ASSERT(fd >= 0);
	DP_ASSERT_EQ(pwrite(fd, buf, len, 0), (ssize_t)len);
	close(fd);
}


static void flip_bit(const char *path, uint64_t off, unsigned bit)
{
	uint8_t b;
	int fd = open(path, O_RDWR);

	DP_ASSERT(fd >= 0);
	DP_ASSERT_EQ(pread(fd, &b, 1, (off_t)off), 1);
	b ^= (uint8_t)(1u << bit);
	DP_ASSERT_EQ(pwrite(fd, &b, 1, (off_t)off), 1);
	close(fd);
}


DP_TEST(round_trip_every_field)
{
	const char *path = path_in_tmp("cdr.ring");
	struct cdr_store_info info;
	struct cdr_store *st;
	struct seen *s = calloc(1, sizeof(*s));
	struct stat sb;

	init_secret();
	st = open_store(path, 256 * 1024, false);
	append_serials(st, 1, 50);
	cdr_store_close(st);

	DP_ASSERT_OK(stat(path, &sb));
	DP_ASSERT_EQ(sb.st_size, 256 * 1024);
	DP_ASSERT_EQ(sb.st_mode & 0777, 0600);

	st = open_store(path, 0, true);
	walk(st, s, &info);
	DP_ASSERT_EQ(s->n, 50);
	DP_ASSERT(s->intact && s->ordered && s->contiguous);
	DP_ASSERT_EQ(s->first, 1);
	DP_ASSERT_EQ(info.records, 50);
	DP_ASSERT_EQ(info.first_seq, 1);
	DP_ASSERT_EQ(info.last_seq, 50);
	DP_ASSERT_EQ(info.skipped, 0);
	DP_ASSERT_EQ(info.seq_gaps, 0);
	DP_ASSERT_EQ(info.ctrl_copies_ok, 2);
	DP_ASSERT_EQ(info.oldest_ms, FIXTURE_T0_MS + FIXTURE_STEP_MS);
	DP_ASSERT_EQ(info.newest_ms, FIXTURE_T0_MS + 50 * FIXTURE_STEP_MS);
	DP_ASSERT(info.epoch_keys_live >= 1);
	cdr_store_close(st);

	/* a writer picks up where the last one stopped */
	st = open_store(path, 0, false);
	append_serials(st, 51, 60);
	walk(st, s, &info);
	DP_ASSERT_EQ(s->n, 60);
	DP_ASSERT(s->intact && s->ordered && s->contiguous);
	DP_ASSERT_EQ(info.last_seq, 60);
	cdr_store_close(st);
	free(s);
}


DP_TEST(no_plaintext_on_flash)
{
	const char *path = path_in_tmp("cdr.ring");
	struct cdr_store *st;
	struct cdr_record rec;
	uint8_t *img;
	size_t len;

	init_secret();
	st = open_store(path, 128 * 1024, false);
	append_serials(st, 1, 30);
	cdr_store_close(st);

	img = read_all(path, &len);
	fixture_record(7, &rec);
	DP_ASSERT(!memmem(img, len, "peer.example", 12));
	DP_ASSERT(!memmem(img, len, "office.example", 14));
	DP_ASSERT(!memmem(img, len, "Caller", 6));
	DP_ASSERT(!memmem(img, len, "G722", 4));
	DP_ASSERT(!memmem(img, len, "PCMU", 4));
	DP_ASSERT(!memmem(img, len, &rec.start_ms, 8));
	DP_ASSERT(!memmem(img, len, secret, 8));
	free(img);
}


DP_TEST(flipped_bit_rejects_that_record_only)
{
	const char *path = path_in_tmp("cdr.ring");
	struct cdr_store_info info;
	struct cdr_store *st;
	struct seen *s = calloc(1, sizeof(*s)), *t = calloc(1, sizeof(*t));
	unsigned trials = 0;

	init_secret();
	st = open_store(path, 128 * 1024, false);
	append_serials(st, 1, 80);
	cdr_store_close(st);

	st = open_store(path, 0, true);
	walk(st, s, &info);
	DP_ASSERT_EQ(s->n, 80);
	srand((unsigned)time(NULL));

	/* every record once, at a random bit: that one goes, no other */
	for (uint64_t k = 0; k < s->n; k++) {
		uint64_t off = s->loc[k].off + (uint64_t)rand() % s->loc[k].len;
		unsigned bit = (unsigned)rand() % 8;

		flip_bit(path, off, bit);
		walk(st, t, &info);
		DP_ASSERT_MSG(t->n == s->n - 1 && t->intact && t->ordered,
			      "bit %u at %" PRIu64 " in record %" PRIu64
			      ": %" PRIu64 " records back", bit, off,
			      s->loc[k].serial, t->n);
		DP_ASSERT(info.skipped >= 1 || info.seq_gaps >= 1);
		DP_ASSERT_EQ(info.skipped + info.seq_gaps >= 1, 1);
		for (uint64_t j = 0; j < t->n; j++)
			DP_ASSERT(t->loc[j].serial != s->loc[k].serial);
		flip_bit(path, off, bit);
		trials++;
	}
	DP_ASSERT_EQ(trials, 80);

	/* and back: all there again */
	walk(st, t, &info);
	DP_ASSERT_EQ(t->n, 80);
	DP_ASSERT_EQ(info.skipped, 0);
	cdr_store_close(st);

	/* a writer after a flip: the damage stays reported, the rest
	 * stays readable, new records go on */
	flip_bit(path, s->loc[10].off + 40, 3);
	st = open_store(path, 0, false);
	append_serials(st, 81, 90);
	walk(st, t, &info);
	DP_ASSERT_EQ(t->n, 89);
	DP_ASSERT(t->intact && t->ordered);
	DP_ASSERT(info.skipped == 1 && info.seq_gaps == 1);
	cdr_store_close(st);
	free(s);
	free(t);
}


DP_TEST(damaged_headers_control_and_keys)
{
	const char *path = path_in_tmp("cdr.ring");
	struct cdr_store_info info;
	struct cdr_store *st;
	struct seen *s = calloc(1, sizeof(*s));

	init_secret();
	st = open_store(path, 128 * 1024, false);
	append_serials(st, 1, 60);
	cdr_store_close(st);

	/* one copy of the control block and one half of the key area */
	flip_bit(path, 0 * SECTOR + 30, 1);
	flip_bit(path, (KEY_FIRST) * SECTOR + 60, 5);
	st = open_store(path, 0, true);
	walk(st, s, &info);
	DP_ASSERT_EQ(s->n, 60);
	DP_ASSERT(s->intact && !s->erased);
	DP_ASSERT_EQ(info.ctrl_copies_ok, 1);
	cdr_store_close(st);

	/* a writer mends the key half and writes a good control copy */
	st = open_store(path, 0, false);
	cdr_store_close(st);
	st = open_store(path, 0, true);
	walk(st, s, &info);
	DP_ASSERT_EQ(s->n, 60);
	DP_ASSERT(s->intact && !s->erased);
	DP_ASSERT_EQ(info.ctrl_copies_ok, 2);

	/* a sector header: its records go, the others stay */
	flip_bit(path, (RING_FIRST + 1) * SECTOR + 9, 0);
	walk(st, s, &info);
	DP_ASSERT(s->n > 0 && s->n < 60);
	DP_ASSERT(s->intact && s->ordered);
	DP_ASSERT_EQ(info.damaged_sectors, 1);
	DP_ASSERT(info.seq_gaps > 0);
	cdr_store_close(st);
	flip_bit(path, (RING_FIRST + 1) * SECTOR + 9, 0);

	/* both control copies gone: the writer rebuilds them from the
	 * records, and new records carry on after the old ones */
	{
		int fd = open(path, O_WRONLY);
		uint8_t zeros[2 * SECTOR] = { 0 };

		DP_ASSERT_EQ(pwrite(fd, zeros, sizeof(zeros), 0),
			     (ssize_t)sizeof(zeros));
		close(fd);
	}
	st = open_store(path, 0, false);
	append_serials(st, 61, 65);
	walk(st, s, &info);
	DP_ASSERT_EQ(s->n, 65);
	DP_ASSERT(s->intact && s->ordered && s->contiguous);
	DP_ASSERT_EQ(info.seq_gaps, 0);
	cdr_store_close(st);
	free(s);
}


DP_TEST(wrap_around_many_generations)
{
	const char *path = path_in_tmp("cdr.ring");
	const uint64_t size = (RING_FIRST + 8) * SECTOR;   /* 8 ring sectors */
	struct cdr_store_info info;
	struct cdr_store *st;
	struct seen *s = calloc(1, sizeof(*s));
	uint64_t serial = 0, prev_first = 0;
	unsigned checks = 0;

	init_secret();
	st = open_store(path, size, false);

	while (serial < 2000) {
		append_serials(st, serial + 1, serial + 50);
		serial += 50;

		if (serial % 400 == 0) {
			/* now and then a new writer session */
			cdr_store_close(st);
			st = open_store(path, 0, false);
		}

		walk(st, s, &info);
		DP_ASSERT(s->intact && s->ordered && s->contiguous);
		DP_ASSERT_EQ(s->last, serial);
		DP_ASSERT_EQ(info.last_seq, serial);
		DP_ASSERT_EQ(info.last_seq - info.first_seq + 1, info.records);
		DP_ASSERT_EQ(info.seq_gaps, 0);
		DP_ASSERT_EQ(info.skipped, 0);
		DP_ASSERT(s->first >= prev_first);
		prev_first = s->first;
		if (info.sector_writes > 8) {
			/* full: 7 whole sectors at least, never more than 8 */
			DP_ASSERT(info.records >= 7 * 14);
			DP_ASSERT(info.records <= 8 * 32);
			DP_ASSERT_EQ(info.sectors_used, 8);
			/* every sector was written in its turn */
			DP_ASSERT_EQ(info.wear_spread, 0);
		}
		checks++;
	}

	DP_ASSERT(info.sector_writes >= 8 * 10);   /* ten rounds and more */
	DP_ASSERT_EQ(checks, 40);
	cdr_store_close(st);
	free(s);
}


DP_TEST(epoch_keys_destroyed_erase_personal_fields_only)
{
	const char *path = path_in_tmp("cdr.ring");
	const int64_t day = 86400;
	struct cdr_store_info info;
	struct cdr_store *st;
	struct seen *s = calloc(1, sizeof(*s));
	uint8_t *before, *after;
	size_t len;
	int64_t cut_s;
	unsigned n = 0;

	init_secret();
	st = open_store(path, 256 * 1024, false);
	append_serials(st, 1, 72 * 5);      /* five days of calls */
	walk(st, s, &info);
	DP_ASSERT(info.epoch_keys_live >= 5);
	before = read_all(path, &len);

	/* keys of epochs that ended by the start of day 3 */
	cut_s = (FIXTURE_T0_MS + 72 * 2 * FIXTURE_STEP_MS) / 1000;
	cut_s -= cut_s % day;
	DP_ASSERT_OK(cdr_store_destroy_epoch_keys_before(st, cut_s, &n));
	DP_ASSERT(n >= 2);
	cdr_store_close(st);

	after = read_all(path, &len);
	/* the wrapped keys are overwritten in both halves on flash */
	for (size_t off = KEY_FIRST * SECTOR;
	     off < (KEY_FIRST + 2 * KEY_HALF) * SECTOR; off += 128) {
		if (!memcmp(before + off, "DPEK", 4) &&
		    (int64_t)(before[off + 16] | (uint64_t)before[off + 17] << 8 |
			      (uint64_t)before[off + 18] << 16 |
			      (uint64_t)before[off + 19] << 24 |
			      (uint64_t)before[off + 20] << 32) <= cut_s) {
			DP_ASSERT(!memcmp(after + off, "DPEX", 4));
			DP_ASSERT(!memmem(after, len, before + off + 48, 32));
		}
	}
	free(before);
	free(after);

	st = open_store(path, 0, true);
	walk(st, s, &info);
	DP_ASSERT_EQ(s->n, 72 * 5);
	DP_ASSERT(s->intact && s->ordered && s->contiguous);
	DP_ASSERT(s->erased > 0);
	DP_ASSERT_EQ(info.personal_erased, s->erased);
	for (uint64_t k = 0; k < s->n; k++) {
		struct cdr_record want;

		fixture_record(s->loc[k].serial, &want);
		/* erased exactly when its epoch ended by the cut */
		DP_ASSERT_EQ(k < s->erased, want.start_ms / 1000 < cut_s);
	}
	DP_ASSERT_EQ(info.epoch_keys_destroyed, n);
	cdr_store_close(st);

	/* later calls get keys of their own and stay readable */
	st = open_store(path, 0, false);
	append_serials(st, 72 * 5 + 1, 72 * 6);
	walk(st, s, &info);
	DP_ASSERT_EQ(s->n, 72 * 6);
	DP_ASSERT(s->intact);
	DP_ASSERT_EQ(info.personal_erased, s->erased);
	DP_ASSERT(s->erased < 72 * 3);
	cdr_store_close(st);
	free(s);
}


DP_TEST(drop_before_hides_and_zeroes_old_records)
{
	const char *path = path_in_tmp("cdr.ring");
	struct cdr_store_info info;
	struct cdr_store *st;
	struct seen *s = calloc(1, sizeof(*s));
	struct cdr_record cut;

	init_secret();
	st = open_store(path, 256 * 1024, false);
	append_serials(st, 1, 300);
	fixture_record(201, &cut);
	DP_ASSERT_OK(cdr_store_drop_before(st, cut.start_ms));
	walk(st, s, &info);
	DP_ASSERT_EQ(s->n, 100);
	DP_ASSERT_EQ(s->first, 201);
	DP_ASSERT(s->intact && s->contiguous);
	DP_ASSERT(info.sectors_used < 20);
	append_serials(st, 301, 310);
	cdr_store_close(st);

	st = open_store(path, 0, true);
	walk(st, s, &info);
	DP_ASSERT_EQ(s->n, 110);
	DP_ASSERT_EQ(s->first, 201);
	DP_ASSERT_EQ(info.last_seq, 310);
	DP_ASSERT_EQ(info.horizon_ms, cut.start_ms);
	DP_ASSERT_EQ(info.seq_gaps, 0);
	cdr_store_close(st);
	free(s);
}


/* (session, counter) of every record on flash, read from its header */
static size_t nonces(const char *path, uint64_t (*out)[2], size_t max)
{
	struct cdr_store *st = open_store(path, 0, true);
	struct seen *s = calloc(1, sizeof(*s));
	size_t len, n = 0;
	uint8_t *img;

	walk(st, s, NULL);
	cdr_store_close(st);
	img = read_all(path, &len);
	for (uint64_t k = 0; k < s->n && n < max; k++, n++) {
		const uint8_t *h = img + s->loc[k].off;

		memcpy(&out[n][0], h + 24, 8);
		memcpy(&out[n][1], h + 16, 8);
	}
	free(img);
	free(s);

	return n;
}


DP_TEST(nonce_never_reused_after_power_cut_or_restore)
{
	const char *path = path_in_tmp("cdr.ring");
	uint64_t a[64][2], b[64][2];
	size_t na, nb, len, same_ctr = 0;
	struct cdr_store *st;
	uint8_t *image;

	init_secret();
	st = open_store(path, 128 * 1024, false);
	append_serials(st, 1, 10);
	cdr_store_close(st);
	image = read_all(path, &len);

	/* a plain reopen: counters only go up */
	st = open_store(path, 0, false);
	append_serials(st, 11, 20);
	cdr_store_close(st);
	na = nonces(path, a, 64);
	DP_ASSERT_EQ(na, 20);
	for (size_t i = 1; i < na; i++)
		DP_ASSERT(a[i][1] > a[i - 1][1]);

	/* the old image comes back and the phone writes again */
	write_all(path, image, len);
	st = open_store(path, 0, false);
	append_serials(st, 11, 20);
	cdr_store_close(st);
	nb = nonces(path, b, 64);
	DP_ASSERT_EQ(nb, 20);

	for (size_t i = 10; i < 20; i++) {
		for (size_t j = 10; j < 20; j++) {
			DP_ASSERT(a[i][0] != b[j][0] || a[i][1] != b[j][1]);
			same_ctr += a[i][1] == b[j][1];
		}
	}
	/* the counter did rewind: only the session salt kept them apart */
	DP_ASSERT(same_ctr > 0);
	free(image);
}


DP_TEST(one_writer_many_readers)
{
	const char *path = path_in_tmp("cdr.ring");
	struct cdr_store_params prm = { .path = path, .secret = secret };
	struct cdr_store_info info;
	struct cdr_store *w, *w2 = NULL, *r;

	init_secret();
	w = open_store(path, 128 * 1024, false);
	DP_ASSERT_EQ(cdr_store_open(&w2, &prm), EBUSY);
	r = open_store(path, 0, true);
	append_serials(w, 1, 5);
	DP_ASSERT_OK(cdr_store_info(r, &info));
	DP_ASSERT_EQ(info.records, 5);
	append_serials(w, 6, 9);
	DP_ASSERT_OK(cdr_store_info(r, &info));
	DP_ASSERT_EQ(info.records, 9);
	DP_ASSERT_EQ(cdr_store_drop_before(r, 0), EROFS);
	cdr_store_close(w);
	w = open_store(path, 0, false);
	cdr_store_close(w);
	cdr_store_close(r);
}


DP_TEST(foreign_or_garbage_files_refused_untouched)
{
	const char *path = path_in_tmp("cdr.ring");
	const char *junk = path_in_tmp("junk");
	struct cdr_store_params prm = { .path = path, .secret = secret };
	struct cdr_store *st = NULL;
	uint8_t *a, *b, noise[8192];
	size_t la, lb;
	FILE *f;

	init_secret();
	st = open_store(path, 128 * 1024, false);
	append_serials(st, 1, 5);
	cdr_store_close(st);
	a = read_all(path, &la);

	/* another device's secret, writer or reader */
	init_secret();
	DP_ASSERT_EQ(cdr_store_open(&st, &prm), EBADMSG);
	prm.readonly = true;
	DP_ASSERT_EQ(cdr_store_open(&st, &prm), EBADMSG);
	prm.readonly = false;
	b = read_all(path, &lb);
	DP_ASSERT(la == lb && !memcmp(a, b, la));
	free(a);
	free(b);

	/* random bytes, short or long */
	DP_ASSERT_OK(dp_random(noise, sizeof(noise)));
	f = fopen(junk, "wb");
	fwrite(noise, 1, sizeof(noise), f);
	fclose(f);
	prm.path = junk;
	DP_ASSERT_EQ(cdr_store_open(&st, &prm), EINVAL);
	f = fopen(junk, "ab");
	for (int i = 0; i < 20; i++)
		fwrite(noise, 1, sizeof(noise), f);
	fclose(f);
	DP_ASSERT_EQ(cdr_store_open(&st, &prm), EBADMSG);
	b = read_all(junk, &lb);
	DP_ASSERT_EQ(lb, 21 * sizeof(noise));
	DP_ASSERT(!memcmp(b, noise, sizeof(noise)));
	free(b);

	/* a reader does not make a store */
	prm.path = path_in_tmp("absent");
	prm.readonly = true;
	DP_ASSERT_EQ(cdr_store_open(&st, &prm), ENOENT);
	DP_ASSERT(access(prm.path, F_OK) != 0);
}


static int copy_out(const struct cdr_record *rec, void *arg)
{
	*(struct cdr_record *)arg = *rec;

	return 0;
}


DP_TEST(long_text_cut_at_utf8_boundary)
{
	const char *path = path_in_tmp("cdr.ring");
	char name[300], uri[400];
	struct cdr_store *st;
	struct cdr_record rec, back;

	init_secret();
	fixture_record(1, &rec);
	/* 254 ASCII bytes, then a two-byte letter crossing byte 255 */
	memset(name, 'a', 254);
	memcpy(name + 254, "\xc3\xa9zz", 5);
	cdr_text_set(rec.remote_name, sizeof(rec.remote_name), name);
	DP_ASSERT_EQ(strlen(rec.remote_name), 254);
	memset(uri, 'b', sizeof(uri) - 1);
	uri[sizeof(uri) - 1] = '\0';
	cdr_text_set(rec.remote_uri, sizeof(rec.remote_uri), uri);
	DP_ASSERT_EQ(strlen(rec.remote_uri), 255);
	cdr_text_set(rec.codec, sizeof(rec.codec), "PCMA/8000/1");

	st = open_store(path, 128 * 1024, false);
	DP_ASSERT_OK(cdr_store_append(st, &rec));
	rec.dir = (enum cdr_direction)7;
	DP_ASSERT_EQ(cdr_store_append(st, &rec), EINVAL);
	cdr_store_close(st);

	st = open_store(path, 0, true);
	memset(&back, 0, sizeof(back));
	DP_ASSERT_OK(cdr_store_foreach(st, copy_out, &back, NULL));
	cdr_store_close(st);

	DP_ASSERT_EQ(back.seq, 1);
	DP_ASSERT_STREQ(back.remote_name, rec.remote_name);
	DP_ASSERT_STREQ(back.remote_uri, rec.remote_uri);
	DP_ASSERT_STREQ(back.local_uri, rec.local_uri);
	DP_ASSERT_STREQ(back.codec, "PCMA/8000/1");
}


/* --- power loss --------------------------------------------------------
 *
 * A writer process appends fixture records as fast as it can and is
 * killed (SIGKILL) after a random delay: during start-up and recovery,
 * between appends, or inside one.  Before every write it saves what the
 * sector held (shared memory survives the kill), so afterwards the last
 * write can be torn the way flash tears: cut at a random byte of what it
 * changed, the rest left as it was ("cut") or read back as zeros
 * ("zero").  Then the store is reopened and must hold every record whose
 * append returned, intact and in order, and nothing else but possibly the
 * one in flight.
 */

struct powerloss {
	uint64_t acked;          /* last serial whose append returned 0 */
	int undo_valid;
	uint64_t off;
	uint32_t first, last;    /* bytes the last write changes */
	uint8_t pre[SECTOR];
	uint8_t post[SECTOR];
};

static struct powerloss *pl;
static int pl_rfd = -1;


static void undo_hook(uint64_t off, const void *data, size_t len, void *arg)
{
	const uint8_t *d = data;
	ssize_t n;
	uint32_t first = SECTOR, last = 0;

	(void)arg;
	/* a write that a sync has covered can no longer tear */
	__atomic_store_n(&pl->undo_valid, 0, __ATOMIC_SEQ_CST);
	if (len != SECTOR)
		return;

	n = pread(pl_rfd, pl->pre, SECTOR, (off_t)off);
	if (n < SECTOR)
		memset(pl->pre + (n > 0 ? n : 0), 0,
		       SECTOR - (size_t)(n > 0 ? n : 0));
	memcpy(pl->post, d, SECTOR);
	for (uint32_t i = 0; i < SECTOR; i++) {
		if (pl->pre[i] != d[i]) {
			if (first == SECTOR)
				first = i;
			last = i;
		}
	}
	if (first == SECTOR)
		return;

	pl->off = off;
	pl->first = first;
	pl->last = last;
	__atomic_store_n(&pl->undo_valid, 1, __ATOMIC_SEQ_CST);
}


static void __attribute__((noreturn)) pl_writer(const char *path,
						uint64_t serial,
						uint64_t size)
{
	struct cdr_store_params prm = {
		.path = path, .size = size, .secret = secret,
		.write_hook = undo_hook,
	};
	struct cdr_store *st;

	pl_rfd = open(path, O_RDONLY | O_CREAT, 0600);
	if (pl_rfd < 0 || cdr_store_open(&st, &prm))
		_exit(3);

	for (int i = 0; i < 100000; i++, serial++) {
		struct cdr_record rec;

		fixture_record(serial, &rec);
		if (cdr_store_append(st, &rec))
			_exit(4);
		__atomic_store_n(&pl->acked, serial, __ATOMIC_SEQ_CST);
	}

	_exit(0);
}


struct pl_stats {
	unsigned trials, torn_ring, torn_other, cut, zeroed, readers;
};


static void pl_check(struct cdr_store *st, uint64_t acked, bool recovered,
		     uint32_t nring, struct seen *s, unsigned trial,
		     const char *when)
{
	struct cdr_store_info info;
	uint64_t bound = (uint64_t)(nring - 1) * 20;

	walk(st, s, &info);
	DP_ASSERT_MSG(s->intact && s->ordered && s->contiguous,
		      "trial %u %s: a wrong record came back", trial, when);
	DP_ASSERT_EQ(s->erased, 0);
	DP_ASSERT_EQ(info.seq_gaps, 0);
	/* (a reader may find a store whose creation was cut short) */
	if (recovered)
		DP_ASSERT_EQ(info.ring_sectors, nring);
	if (recovered)
		DP_ASSERT_MSG(info.skipped == 0, "trial %u: %" PRIu64
			      " damaged spans left after recovery", trial,
			      info.skipped);
	if (acked) {
		DP_ASSERT_MSG(s->n && (s->last == acked || s->last == acked + 1),
			      "trial %u %s: acked up to %" PRIu64 ", store "
			      "ends at %" PRIu64, trial, when, acked, s->last);
		DP_ASSERT_MSG(s->n >= (s->last < bound ? s->last : bound),
			      "trial %u %s: only %" PRIu64 " records kept",
			      trial, when, s->n);
	}
	else {
		DP_ASSERT(s->n <= 1);
	}
}


static double now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);

	return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}


/* How long a writer takes here to start, and then to append a record. */
struct pace {
	unsigned startup_us, append_us;
};

static struct pace calibrate(uint64_t size)
{
	const char *cal = path_in_tmp("calibrate.ring");
	double t0, first = 0;
	struct pace pace;
	pid_t pid;

	memset(pl, 0, sizeof(*pl));
	t0 = now_us();
	pid = fork();
	DP_ASSERT(pid >= 0);
	if (pid == 0)
		pl_writer(cal, 1, size);

	while (now_us() - t0 < 20e6) {
		uint64_t a = __atomic_load_n(&pl->acked, __ATOMIC_SEQ_CST);

		if (a >= 1 && !first)
			first = now_us() - t0;
		if (a >= 30)
			break;
		usleep(50);
	}
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	unlink(cal);
	DP_ASSERT_MSG(first > 0, "a writer never appended");

	pace.startup_us = (unsigned)first + 1;
	pace.append_us = (unsigned)((now_us() - t0 - first) / 29) + 1;

	return pace;
}


/* Kill the writer: a quarter of the time at a random moment of its
 * start-up and recovery, else a random number of appends in, at a random
 * moment of an append. */
static void kill_writer(pid_t pid, const struct pace *pace, uint64_t base)
{
	if (rand() % 4 == 0) {
		usleep((useconds_t)((unsigned)rand() % pace->startup_us));
	}
	else {
		uint64_t want = base + (uint64_t)(rand() % 20);
		double t0 = now_us();

		while (__atomic_load_n(&pl->acked, __ATOMIC_SEQ_CST) < want &&
		       now_us() - t0 < 10e6)
			usleep(20);
		usleep((useconds_t)((unsigned)rand() %
				    (2 * pace->append_us)));
	}

	kill(pid, SIGKILL);
}


static uint64_t sector_writes(const char *path)
{
	struct cdr_store *st = open_store(path, 0, true);
	struct cdr_store_info info;

	DP_ASSERT_OK(cdr_store_info(st, &info));
	cdr_store_close(st);

	return info.sector_writes;
}


static void powerloss_trials(unsigned trials, unsigned seed)
{
	const uint32_t nring = 12;
	const uint64_t size = (RING_FIRST + nring) * SECTOR;
	const char *path = path_in_tmp("cdr.ring");
	struct seen *s = calloc(1, sizeof(*s));
	struct pl_stats ps = { 0 };
	struct cdr_store_info info;
	uint64_t next = 1, acked = 0;
	struct cdr_store *st;
	uint64_t wrapped = 0;
	struct pace pace;
	int fd;

	pl = mmap(NULL, sizeof(*pl), PROT_READ | PROT_WRITE,
		  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	DP_ASSERT(pl != MAP_FAILED);
	printf("# power-loss trials, seed %u (DP_CDR_SEED)\n", seed);
	fflush(stdout);
	srand(seed);
	init_secret();
	pace = calibrate(size);

	/* the trials asked for, and more until the ring went round twice */
	for (unsigned t = 0; t < trials || (t < 4 * trials &&
					   wrapped < 2 * nring); t++) {
		int mode = rand() % 3, status;
		pid_t pid;

		memset(pl, 0, sizeof(*pl));
		pl->acked = acked;

		pid = fork();
		DP_ASSERT(pid >= 0);
		if (pid == 0)
			pl_writer(path, next, size);

		kill_writer(pid, &pace, acked);
		DP_ASSERT_EQ(waitpid(pid, &status, 0), pid);
		DP_ASSERT_MSG(WIFSIGNALED(status),
			      "trial %u: the writer stopped by itself (%d)",
			      t, status);
		acked = __atomic_load_n(&pl->acked, __ATOMIC_SEQ_CST);

		/* tear the last write */
		if (mode && __atomic_load_n(&pl->undo_valid, __ATOMIC_SEQ_CST)) {
			uint32_t p = pl->first +
				(uint32_t)rand() % (pl->last - pl->first + 1);
			uint8_t zeros[SECTOR] = { 0 };

			fd = open(path, O_WRONLY);
			DP_ASSERT(fd >= 0);
			if (mode == 1) {
				DP_ASSERT_EQ(pwrite(fd, pl->pre + p, SECTOR - p,
						    (off_t)(pl->off + p)),
					     SECTOR - p);
				ps.cut++;
			}
			else {
				DP_ASSERT_EQ(pwrite(fd, zeros, SECTOR - p,
						    (off_t)(pl->off + p)),
					     SECTOR - p);
				ps.zeroed++;
			}
			close(fd);
			if (pl->off >= RING_FIRST * SECTOR)
				ps.torn_ring++;
			else
				ps.torn_other++;
		}

		/* a reader before recovery: no wrong record either */
		if (t % 4 == 0 && access(path, F_OK) == 0) {
			struct cdr_store_params prm = {
				.path = path, .secret = secret,
				.readonly = true,
			};

			if (!cdr_store_open(&st, &prm)) {
				pl_check(st, acked, false, nring, s, t,
					 "before recovery");
				cdr_store_close(st);
				ps.readers++;
			}
		}

		st = open_store(path, size, false);
		pl_check(st, acked, true, nring, s, t, "after recovery");
		cdr_store_close(st);

		next = s->n ? s->last + 1 : 1;
		if (s->n)
			acked = s->last;   /* what the store now holds */
		wrapped = sector_writes(path);
		ps.trials++;
	}

	st = open_store(path, 0, true);
	DP_ASSERT_OK(cdr_store_info(st, &info));
	cdr_store_close(st);

	printf("# %u power-loss trials (seed %u; start-up %u us, append %u us):"
	       " %u ring writes torn, "
	       "%u control/key writes torn (%u cut, %u zeroed), %u reader "
	       "checks; %" PRIu64 " records in the end, %" PRIu64
	       " sectors written (ring of %u)\n", ps.trials, seed,
	       pace.startup_us, pace.append_us,
	       ps.torn_ring, ps.torn_other, ps.cut, ps.zeroed, ps.readers,
	       next - 1, info.sector_writes, nring);

	DP_ASSERT(ps.trials >= trials);
	/* the trials did reach what they are for */
	DP_ASSERT(ps.torn_ring >= trials / 6);
	DP_ASSERT(info.sector_writes > 2 * nring);
	munmap(pl, sizeof(*pl));
	free(s);
}


static unsigned env_uint(const char *name, unsigned dflt)
{
	const char *v = getenv(name);

	return v && *v ? (unsigned)strtoul(v, NULL, 10) : dflt;
}


DP_TEST(power_loss_trials)
{
	powerloss_trials(env_uint("DP_CDR_TRIALS", 150),
			 env_uint("DP_CDR_SEED", (unsigned)time(NULL) ^
				  (unsigned)getpid()));
}


/* --- the other back-end ------------------------------------------------ */

static void other_tool(char *path, size_t size)
{
	char self[4096];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	bool openssl = !strncmp(dp_crypto_backend(), "OpenSSL", 7);
	char *slash;

	DP_ASSERT(n > 0);
	self[n] = '\0';
	slash = strrchr(self, '/');
	DP_ASSERT(slash != NULL);
	*slash = '\0';
	snprintf(path, size, "%s/%s", self,
		 openssl ? "cdr-tool-mbedtls" : "cdr-tool");
	DP_ASSERT_MSG(access(path, X_OK) == 0, "%s: not built", path);
}


static int print_rec(const struct cdr_record *rec, void *arg)
{
	fixture_print(arg, rec);

	return 0;
}


/* Our dump, in the format of `cdr-tool dump`. */
static char *dump_here(const char *path)
{
	struct cdr_store_info info;
	struct cdr_store *st = open_store(path, 0, true);
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	DP_ASSERT(f != NULL);
	DP_ASSERT_OK(cdr_store_foreach(st, print_rec, f, &info));
	fprintf(f, "info records=%" PRIu64 " skipped=%" PRIu64 " erased=%"
		PRIu64 " gaps=%" PRIu64 "\n", info.records, info.skipped,
		info.personal_erased, info.seq_gaps);
	fclose(f);
	cdr_store_close(st);

	return text;
}


static char *run_capture(const char *cmd)
{
	char *text = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&text, &len);
	FILE *p = popen(cmd, "r");
	char buf[4096];
	size_t n;

	DP_ASSERT(out != NULL && p != NULL);
	while ((n = fread(buf, 1, sizeof(buf), p)) > 0)
		fwrite(buf, 1, n, out);
	DP_ASSERT_EQ(pclose(p), 0);
	fclose(out);

	return text;
}


DP_TEST(other_backend_reads_identically)
{
	char tool[4200], cmd[20000], a[4200], b[4200], secret_path[4200];
	char *mine, *theirs;
	struct cdr_store *st;
	struct cdr_record day3;
	int64_t cut;

	other_tool(tool, sizeof(tool));
	snprintf(secret_path, sizeof(secret_path), "%s",
		 path_in_tmp("device.secret"));
	DP_ASSERT_OK(dp_device_secret_load(secret_path, true, secret));
	snprintf(a, sizeof(a), "%s", path_in_tmp("theirs.ring"));
	snprintf(b, sizeof(b), "%s", path_in_tmp("mine.ring"));
	fixture_record(72 * 2, &day3);
	cut = day3.start_ms / 1000 - (day3.start_ms / 1000) % 86400;

	/* written there (three days, the first epochs' keys destroyed),
	 * read here and there */
	snprintf(cmd, sizeof(cmd), "'%s' write '%s' '%s' 300 %" PRId64, tool,
		 a, secret_path, cut);
	DP_ASSERT_EQ(system(cmd), 0);
	mine = dump_here(a);
	snprintf(cmd, sizeof(cmd), "'%s' dump '%s' '%s'", tool, a,
		 secret_path);
	theirs = run_capture(cmd);
	DP_ASSERT_MSG(strstr(mine, "info records=300 skipped=0 erased=") != NULL, "len %zu: %.200s", strlen(mine), mine);
	DP_ASSERT(strstr(mine, "erased=0 ") == NULL);
	DP_ASSERT_STREQ(mine, theirs);
	free(mine);
	free(theirs);

	/* written here, read there */
	st = open_store(b, 256 * 1024, false);
	append_serials(st, 1, 300);
	DP_ASSERT_OK(cdr_store_destroy_epoch_keys_before(st, cut, NULL));
	cdr_store_close(st);
	mine = dump_here(b);
	snprintf(cmd, sizeof(cmd), "'%s' dump '%s' '%s'", tool, b,
		 secret_path);
	theirs = run_capture(cmd);
	DP_ASSERT(strstr(mine, "info records=300 skipped=0") != NULL);
	DP_ASSERT_STREQ(mine, theirs);
	free(mine);
	free(theirs);
}
