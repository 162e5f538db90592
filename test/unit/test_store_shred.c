/**
 * @file test_store_shred.c  Forgetting for good: after cdr_store_shred()
 *                           and cdr_store_rewrite() nothing of what was
 *                           forgotten is left on flash, whatever key
 *                           material someone kept from before
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <re.h>
#include "store_fixture.h"
#include "store_testlib.h"
#include "dptest.h"

#define DAY_MS (86400LL * 1000)

/* the start of fixture record `serial` */
static int64_t start_of(uint64_t serial)
{
	struct cdr_record r;

	fixture_record(serial, &r);

	return r.start_ms;
}


static bool contains(const uint8_t *hay, size_t n, const uint8_t *needle,
		     size_t len)
{
	return memmem(hay, n, needle, len) != NULL;
}


/* Every record's bytes as they were on flash before, by location. */
struct snapshot {
	uint8_t *image;
	size_t len;
	struct seen seen;
};


static void take(struct snapshot *s, const char *path, struct cdr_store *st)
{
	walk(st, &s->seen, NULL);
	s->image = read_all(path, &s->len);
}


DP_TEST(shred_leaves_no_old_bytes_and_old_keys_open_nothing)
{
	const char *path = strdup(path_in_tmp("s.ring"));
	const char *mixed = strdup(path_in_tmp("mixed.ring"));
	struct cdr_shred_counts c;
	struct cdr_store_info info;
	struct snapshot before;
	struct cdr_store *st;
	struct seen after;
	int64_t personal_cut, drop_cut;
	uint8_t *now;
	size_t n;

	init_secret();
	st = open_store(path, 256 * 1024, false);
	append_serials(st, 1, 300);          /* a little over four days */
	take(&before, path, st);
	DP_ASSERT_EQ(before.seen.n, 300);

	/* records of the first day go; personal fields up to the third */
	drop_cut = start_of(60);
	personal_cut = (start_of(200) - DAY_MS) / 1000;
	DP_ASSERT_OK(cdr_store_shred(st, personal_cut, drop_cut, &c));
	DP_ASSERT(c.keys_destroyed >= 2);
	DP_ASSERT(c.records_voided > 0);      /* day one ends mid-sector */
	DP_ASSERT_EQ(c.records_dropped, 59);
	DP_ASSERT(c.personal_stripped > 0);

	walk(st, &after, &info);
	DP_ASSERT(after.intact && after.ordered && after.contiguous);
	DP_ASSERT_EQ(after.first, 60);
	DP_ASSERT_EQ(after.last, 300);
	DP_ASSERT_EQ(info.seq_gaps, 0);
	DP_ASSERT_EQ(info.skipped, 0);
	DP_ASSERT_EQ(info.voided, c.records_voided);
	DP_ASSERT(after.erased > 0 && after.erased < after.n);
	cdr_store_close(st);

	/* not one of the old bytes of a forgotten record is on flash:
	 * neither a dropped record nor a stripped one survives as it was */
	now = read_all(path, &n);
	for (uint64_t i = 0; i < before.seen.n; i++) {
		uint64_t serial = before.seen.loc[i].serial;
		const uint8_t *old = before.image + before.seen.loc[i].off;
		int64_t epoch_end = (start_of(serial) / 1000 / 86400 + 1) *
			86400;
		bool forgotten = serial < 60 || epoch_end <= personal_cut;

		if (!forgotten)
			continue;
		/* the sealed body, past the clear header */
		DP_ASSERT_MSG(!contains(now, n, old + 32,
					before.seen.loc[i].len - 32),
			      "record %llu is still on flash",
			      (unsigned long long)serial);
	}

	/* and the epoch keys that went are not there in any form: put the
	 * whole key area of before back (as if someone had kept it) and
	 * still nothing forgotten opens */
	memcpy(now + KEY_FIRST * SECTOR, before.image + KEY_FIRST * SECTOR,
	       2 * KEY_HALF * SECTOR);
	{
		FILE *f = fopen(mixed, "wb");

		DP_ASSERT(f != NULL);
		DP_ASSERT_EQ(fwrite(now, 1, n, f), n);
		fclose(f);
	}
	st = open_store(mixed, 0, true);
	walk(st, &after, &info);
	DP_ASSERT_EQ(after.first, 60);
	DP_ASSERT(after.intact);
	for (uint64_t i = 0; i < after.n; i++)
		DP_ASSERT(after.loc[i].serial >= 60);
	/* the stripped records stay without personal fields even though
	 * their old keys are back */
	DP_ASSERT(after.erased > 0);
	cdr_store_close(st);

	/* running it again finds nothing more to do */
	st = open_store(path, 0, false);
	DP_ASSERT_OK(cdr_store_shred(st, personal_cut, drop_cut, &c));
	DP_ASSERT_EQ(c.keys_destroyed, 0);
	DP_ASSERT_EQ(c.records_voided, 0);
	DP_ASSERT_EQ(c.personal_stripped, 0);
	cdr_store_close(st);

	free(before.image);
	free(now);
}


DP_TEST(shred_then_append_and_reopen_stay_consistent)
{
	const char *path = path_in_tmp("a.ring");
	struct cdr_store_info info;
	struct cdr_store *st;
	struct seen s;

	init_secret();
	st = open_store(path, 128 * 1024, false);
	append_serials(st, 1, 100);
	/* everything before record 95 goes, in the head sector too */
	DP_ASSERT_OK(cdr_store_shred(st, 0, start_of(95), NULL));
	append_serials(st, 101, 110);
	cdr_store_close(st);

	st = open_store(path, 0, false);
	walk(st, &s, &info);
	DP_ASSERT(s.intact && s.ordered && s.contiguous);
	DP_ASSERT_EQ(s.first, 95);
	DP_ASSERT_EQ(s.last, 110);
	DP_ASSERT_EQ(info.skipped, 0);
	DP_ASSERT_EQ(info.seq_gaps, 0);
	cdr_store_close(st);
}


static int nth(const struct cdr_record *rec, void *arg)
{
	struct cdr_record *want = arg;

	if (fixture_serial(rec) != fixture_serial(want))
		return 0;
	*want = *rec;

	return 1;
}


static int by_start(const struct cdr_record *rec, void *arg)
{
	struct cdr_record *want = arg;

	if (rec->start_ms != want->start_ms)
		return 0;
	*want = *rec;

	return 1;
}


DP_TEST(rewrite_voids_fixes_and_strips_one_record)
{
	const char *path = path_in_tmp("r.ring");
	struct cdr_store_info info;
	struct cdr_record r, got;
	struct cdr_store *st;
	struct seen s;
	uint8_t *img;
	size_t n;

	init_secret();
	st = open_store(path, 128 * 1024, false);
	append_serials(st, 1, 40);

	/* delete record 7: gone, no gap, nothing of it left */
	DP_ASSERT_OK(cdr_store_rewrite(st, 7, NULL));
	walk(st, &s, &info);
	DP_ASSERT_EQ(s.n, 39);
	DP_ASSERT(!s.contiguous);             /* serial 7 is missing */
	DP_ASSERT_EQ(info.voided, 1);
	DP_ASSERT_EQ(info.seq_gaps, 0);
	img = read_all(path, &n);
	DP_ASSERT(!memmem(img, n, "sip:7@peer", 10));
	free(img);
	DP_ASSERT_EQ(cdr_store_rewrite(st, 7, NULL), ENOENT);

	/* correct the name of record 12 (shorter fits in place) */
	fixture_record(12, &r);
	snprintf(r.remote_name, sizeof(r.remote_name), "Ann");
	DP_ASSERT_OK(cdr_store_rewrite(st, 12, &r));
	fixture_record(12, &got);
	DP_ASSERT_EQ(cdr_store_foreach(st, nth, &got, NULL), 1);
	DP_ASSERT_STREQ(got.remote_name, "Ann");
	DP_ASSERT_EQ(got.seq, 12);
	DP_ASSERT_EQ(got.start_ms, r.start_ms);

	/* a name that needs more room than the record had is refused,
	 * and the record stays as it was */
	memset(r.remote_name, 'x', 200);
	r.remote_name[200] = '\0';
	DP_ASSERT_EQ(cdr_store_rewrite(st, 12, &r), EFBIG);
	fixture_record(12, &got);
	DP_ASSERT_EQ(cdr_store_foreach(st, nth, &got, NULL), 1);
	DP_ASSERT_STREQ(got.remote_name, "Ann");

	/* strip record 20's personal part */
	fixture_record(20, &r);
	r.local_uri[0] = r.remote_uri[0] = r.remote_name[0] = '\0';
	DP_ASSERT_OK(cdr_store_rewrite(st, 20, &r));
	walk(st, &s, &info);
	DP_ASSERT_EQ(s.erased, 1);
	memset(&got, 0, sizeof(got));
	got.start_ms = r.start_ms;
	DP_ASSERT_EQ(cdr_store_foreach(st, by_start, &got, NULL), 1);
	DP_ASSERT(got.personal_erased);
	DP_ASSERT_EQ(got.seq, 20);
	DP_ASSERT_EQ(got.duration_s, r.duration_s);
	cdr_store_close(st);

	/* all of it holds after a reopen */
	st = open_store(path, 0, true);
	walk(st, &s, &info);
	DP_ASSERT_EQ(s.n, 39);
	DP_ASSERT_EQ(s.erased, 1);
	DP_ASSERT_EQ(info.skipped, 0);
	cdr_store_close(st);
}


DP_TEST(wipe_leaves_zeros_and_a_fresh_store)
{
	const char *path = path_in_tmp("w.ring");
	struct cdr_store_info info;
	struct cdr_store *st;
	uint8_t *img;
	size_t n;

	init_secret();
	st = open_store(path, 128 * 1024, false);
	append_serials(st, 1, 30);
	/* never under a running writer */
	DP_ASSERT_EQ(cdr_store_wipe(path), EBUSY);
	cdr_store_close(st);

	DP_ASSERT_OK(cdr_store_wipe(path));
	img = read_all(path, &n);
	DP_ASSERT_EQ(n, 128 * 1024);
	for (size_t i = 0; i < n; i++)
		DP_ASSERT_MSG(!img[i], "byte %zu is not zero", i);
	free(img);

	st = open_store(path, 128 * 1024, false);
	DP_ASSERT_OK(cdr_store_info(st, &info));
	DP_ASSERT_EQ(info.records, 0);
	append_serials(st, 31, 32);
	DP_ASSERT_OK(cdr_store_info(st, &info));
	DP_ASSERT_EQ(info.records, 2);
	cdr_store_close(st);
}


DP_TEST(a_record_without_personal_fields_has_no_personal_part)
{
	const char *path = path_in_tmp("n.ring");
	struct cdr_store_info info;
	struct cdr_record r, got;
	struct cdr_store *st;

	init_secret();
	st = open_store(path, 128 * 1024, false);
	fixture_record(5, &r);
	r.local_uri[0] = r.remote_uri[0] = r.remote_name[0] = '\0';
	DP_ASSERT_OK(cdr_store_append(st, &r));
	DP_ASSERT_OK(cdr_store_info(st, &info));
	/* nothing personal to seal: no epoch key was made for it */
	DP_ASSERT_EQ(info.epoch_keys_live, 0);
	DP_ASSERT_EQ(info.personal_erased, 1);

	memset(&got, 0, sizeof(got));
	got.start_ms = r.start_ms;
	DP_ASSERT_EQ(cdr_store_foreach(st, by_start, &got, NULL), 1);
	DP_ASSERT(got.personal_erased);
	DP_ASSERT_EQ(got.duration_s, r.duration_s);
	DP_ASSERT_STREQ(got.codec, r.codec);
	cdr_store_close(st);
}
