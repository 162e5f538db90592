/**
 * @file fuzz_cdrstore.c  The call-record store (privacy/store/) on
 *                        arbitrary store images
 *
 * The input describes an image (cdrstore_image.h); it goes into a memfd,
 * which the store opens by path as it opens its file.  The image is read
 * as `deskphone cdr` reads it (read-only open, every record, the info),
 * and, when the input asks, opened as the daemon opens it (recovery),
 * appended to, its old epoch keys destroyed or its old records dropped,
 * and read again.
 *
 * The seeds are real stores written with the fixed secret by
 * dp-cdr-fuzz-seed, holding the fixture records of store_fixture.h
 * (record N: serial N in its remote URI, start time T0 + N steps).  A
 * fuzzer cannot forge a record that verifies, so every record the store
 * hands out must be a fixture record, field for field, with its own
 * sequence number (seq == serial), or the one this harness appended;
 * personal fields are either the fixture's or erased (all empty).
 * Records come in increasing sequence; the info counts what the walk
 * handed out; recovery never brings back a record a reader did not see.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include <re.h>
#include "privacy/store/cdr_store.h"
#include "test/unit/store_fixture.h"
#include "cdrstore_image.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(c) do { if (!(c)) __builtin_trap(); } while (0)

enum { APPENDED = 900000, MAX_SEEN = 4096 };

struct walk {
	uint64_t seq[MAX_SEEN];
	size_t n;
	uint64_t appended_seq;    /* 0: none appended yet */
};


/* A record from the store must be one that was sealed: see the top. */
static int check_record(const struct cdr_record *rec, void *arg)
{
	struct walk *w = arg;
	struct cdr_record want;
	int64_t since = rec->start_ms - FIXTURE_T0_MS;
	uint64_t serial;

	CHECK(since > 0 && since % FIXTURE_STEP_MS == 0);
	serial = (uint64_t)(since / FIXTURE_STEP_MS);
	fixture_record(serial, &want);

	CHECK(rec->start_ms == want.start_ms &&
	      rec->answer_ms == want.answer_ms &&
	      rec->end_ms == want.end_ms &&
	      rec->duration_s == want.duration_s && rec->dir == want.dir &&
	      rec->result == want.result &&
	      rec->sip_status == want.sip_status &&
	      !strcmp(rec->codec, want.codec));
	if (rec->personal_erased)
		CHECK(!rec->local_uri[0] && !rec->remote_uri[0] &&
		      !rec->remote_name[0]);
	else
		CHECK(!strcmp(rec->local_uri, want.local_uri) &&
		      !strcmp(rec->remote_uri, want.remote_uri) &&
		      !strcmp(rec->remote_name, want.remote_name));

	if (serial == APPENDED)
		CHECK(w->appended_seq && rec->seq == w->appended_seq);
	else
		CHECK(rec->seq == serial);

	CHECK(!w->n || rec->seq > w->seq[w->n - 1]);
	CHECK(w->n < MAX_SEEN);
	w->seq[w->n++] = rec->seq;

	return 0;
}


static void walk_all(struct cdr_store *st, struct walk *w)
{
	struct cdr_store_info info;
	int err;

	w->n = 0;
	err = cdr_store_foreach(st, check_record, w, &info);
	if (err)
		return;
	CHECK(info.records == w->n);
	CHECK(!w->n || (info.first_seq == w->seq[0] &&
			info.last_seq == w->seq[w->n - 1]));
	CHECK(info.sectors_used <= info.ring_sectors);
	CHECK(info.ctrl_copies_ok <= 2);
}


static bool seen(const struct walk *w, uint64_t seq)
{
	for (size_t i = 0; i < w->n; i++)
		if (w->seq[i] == seq)
			return true;

	return false;
}


static void as_writer(const char *path, const struct walk *before,
		      bool reader_opened, uint8_t flags)
{
	static struct walk w;
	struct cdr_store_params prm = { .path = path, .secret = cdrimg_secret };
	struct cdr_store *st = NULL;
	struct cdr_record rec;

	memset(&w, 0, sizeof(w));
	if (cdr_store_open(&st, &prm))
		return;

	walk_all(st, &w);
	if (reader_opened)
		for (size_t i = 0; i < w.n; i++)
			CHECK(seen(before, w.seq[i]));

	fixture_record(APPENDED, &rec);
	if (0 == cdr_store_append(st, &rec)) {
		w.appended_seq = rec.seq;
		walk_all(st, &w);
		CHECK(w.n && w.seq[w.n - 1] == rec.seq);
	}

	if (flags & CDRIMG_DESTROY)
		(void)cdr_store_destroy_epoch_keys_before(
			st, (FIXTURE_T0_MS + 40 * FIXTURE_STEP_MS) / 1000,
			NULL);
	if (flags & CDRIMG_DROP)
		(void)cdr_store_drop_before(st, FIXTURE_T0_MS +
					    20 * FIXTURE_STEP_MS);
	walk_all(st, &w);
	cdr_store_close(st);

	/* and as `deskphone cdr` reads it afterwards */
	prm.readonly = true;
	if (0 == cdr_store_open(&st, &prm)) {
		walk_all(st, &w);
		cdr_store_close(st);
	}
}


int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t img[CDRIMG_MAX_SIZE];
	static struct walk w;
	struct cdr_store_params prm = { .secret = cdrimg_secret,
					.readonly = true };
	struct cdr_store *st = NULL;
	char path[64];
	size_t isize;
	bool opened;
	int fd;

	if (size < CDRIMG_HEAD)
		return 0;

	isize = cdrimg_size(data[0]);
	cdrimg_decode(data, size, img, isize);

	fd = memfd_create("fuzz-cdrstore", MFD_CLOEXEC);
	if (fd < 0)
		return 0;
	if (write(fd, img, isize) != (ssize_t)isize)
		goto out;
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	prm.path = path;

	memset(&w, 0, sizeof(w));
	opened = 0 == cdr_store_open(&st, &prm);
	if (opened) {
		walk_all(st, &w);
		CHECK(EROFS == cdr_store_append(st, &(struct cdr_record){
			.dir = CDR_DIR_INCOMING, .result = CDR_ANSWERED }));
		cdr_store_close(st);
	}

	if (data[1] & CDRIMG_WRITER)
		as_writer(path, &w, opened, data[1]);

 out:
	close(fd);

	return 0;
}
