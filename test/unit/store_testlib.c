/**
 * @file store_testlib.c  What the store's unit tests share
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

uint8_t secret[DP_KEY_LEN];


const char *path_in_tmp(const char *name)
{
	static char path[4200];

	snprintf(path, sizeof(path), "%s/%s", dptest_tmpdir(), name);

	return path;
}


void init_secret(void)
{
	DP_ASSERT_OK(dp_random(secret, sizeof(secret)));
}


struct cdr_store *open_store(const char *path, uint64_t size,
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


void append_serials(struct cdr_store *st, uint64_t from, uint64_t to)
{
	for (uint64_t s = from; s <= to; s++) {
		struct cdr_record rec;

		fixture_record(s, &rec);
		DP_ASSERT_OK(cdr_store_append(st, &rec));
	}
}




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


void walk(struct cdr_store *st, struct seen *s,
		 struct cdr_store_info *info)
{
	memset(s, 0, sizeof(*s));
	s->ordered = s->contiguous = s->intact = true;
	s->st = st;
	DP_ASSERT_OK(cdr_store_foreach(st, collect, s, info));
}


uint8_t *read_all(const char *path, size_t *lenp)
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


void write_all(const char *path, const uint8_t *buf, size_t len)
{
	int fd = open(path, O_WRONLY);

	DP_ASSERT(fd >= 0);
	DP_ASSERT_EQ(pwrite(fd, buf, len, 0), (ssize_t)len);
	close(fd);
}


void flip_bit(const char *path, uint64_t off, unsigned bit)
{
	uint8_t b;
	int fd = open(path, O_RDWR);

	DP_ASSERT(fd >= 0);
	DP_ASSERT_EQ(pread(fd, &b, 1, (off_t)off), 1);
	b ^= (uint8_t)(1u << bit);
	DP_ASSERT_EQ(pwrite(fd, &b, 1, (off_t)off), 1);
	close(fd);
}
