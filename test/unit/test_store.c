/**
 * @file test_store.c  The call-record store: round trips, tampering,
 *                     wrap-around, epoch keys, nonces, readers and
 *                     writers.  Built once per crypto back-end, with
 *                     test_store_powerloss.c and test_store_cross.c.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <re.h>
#include "store_fixture.h"
#include "store_testlib.h"
#include "dptest.h"


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


DP_TEST(full_key_area_gives_up_the_oldest_epoch)
{
	const char *path = path_in_tmp("cdr.ring");
	struct cdr_store_params prm = {
		.path = path, .size = 1 << 20, .secret = secret,
		.epoch_s = 1200,   /* one fixture call per epoch */
	};
	struct cdr_store_info info;
	struct cdr_store *st = NULL;
	struct seen *s = calloc(1, sizeof(*s));

	init_secret();
	DP_ASSERT_OK(cdr_store_open(&st, &prm));
	append_serials(st, 1, 200);
	walk(st, s, &info);
	DP_ASSERT_EQ(s->n, 200);
	DP_ASSERT(s->intact && s->ordered && s->contiguous);
	/* 128 slots: the 72 oldest epochs gave their keys up, in order */
	DP_ASSERT_EQ(info.epoch_keys_live, 128);
	DP_ASSERT_EQ(s->erased, 72);
	DP_ASSERT_EQ(info.personal_erased, 72);
	for (uint64_t k = 0; k < s->n; k++)
		DP_ASSERT_EQ(s->loc[k].serial, k + 1);
	cdr_store_close(st);

	/* and across a reopen, by a reader */
	st = open_store(path, 0, true);
	walk(st, s, &info);
	DP_ASSERT_EQ(s->n, 200);
	DP_ASSERT_EQ(s->erased, 72);
	DP_ASSERT(s->intact);
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
