/**
 * @file cdr_fuzz_seed.c  dp-cdr-fuzz-seed: real call-record stores as
 *                        fuzz_cdrstore inputs (test/fuzz/cdrstore_image.h)
 *
 *   dp-cdr-fuzz-seed DIR
 *
 * Writes a few stores with the harness's fixed secret and the fixture
 * records (store_fixture.h) through the store's own code: a fresh one, a
 * ring gone round, one with old epoch keys destroyed, one with old
 * records dropped, one with a control copy lost; each goes to DIR as the
 * harness's input format (the bytes that are not zero, as patches).
 * What the seeds in test/fuzz/corpus/cdrstore/ were made with.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "privacy/store/cdr_store.h"
#include "test/fuzz/cdrstore_image.h"
#include "test/unit/store_fixture.h"

struct scenario {
	const char *name;
	unsigned ring;            /* ring sectors */
	unsigned records;
	unsigned destroy_before;  /* serial whose start time ends epochs */
	unsigned drop_before;     /* serial whose start time drops */
	bool lose_ctrl_copy;
};

static const struct scenario scenarios[] = {
	{ "fresh-5-records",        6,   5,  0,  0, false },
	{ "ring-gone-round",        6, 170,  0,  0, false },
	{ "old-epoch-keys-gone",    8,  90, 75,  0, false },
	{ "old-records-dropped",    7,  40,  0, 12, false },
	{ "one-control-copy-lost", 10,  12,  0,  0, true  },
};


static int make_store(const char *path, const struct scenario *sc)
{
	struct cdr_store_params prm = {
		.path = path, .secret = cdrimg_secret,
		.size = (uint64_t)(CDRIMG_META + sc->ring) * CDRIMG_SECTOR,
	};
	struct cdr_store *st = NULL;
	int err = cdr_store_open(&st, &prm);

	for (unsigned s = 1; !err && s <= sc->records; s++) {
		struct cdr_record rec;

		fixture_record(s, &rec);
		err = cdr_store_append(st, &rec);
		if (!err && rec.seq != s)
			err = EPROTO;     /* the harness relies on seq == serial */
	}
	if (!err && sc->destroy_before)
		err = cdr_store_destroy_epoch_keys_before(st,
			(FIXTURE_T0_MS + (int64_t)sc->destroy_before *
			 FIXTURE_STEP_MS) / 1000, NULL);
	if (!err && sc->drop_before)
		err = cdr_store_drop_before(st, FIXTURE_T0_MS +
					    (int64_t)sc->drop_before *
					    FIXTURE_STEP_MS);
	cdr_store_close(st);

	return err;
}


/* The image as patches: runs of bytes that are not zero, gaps of fewer
 * than 8 zeros kept inside a run; offsets on 16-byte units. */
static int encode(const uint8_t *img, size_t size, unsigned ring, FILE *out)
{
	size_t i = 0;

	fputc((int)(ring - CDRIMG_MIN_RING), out);
	fputc(0, out);

	while (i < size) {
		size_t start, end, zeros = 0;

		if (!img[i]) {
			i++;
			continue;
		}
		start = i & ~(size_t)15;
		for (end = i; end < size && zeros < 8 &&
			     end - start < 60000; end++)
			zeros = img[end] ? 0 : zeros + 1;
		end -= zeros;

		fputc((int)((start / 16) & 0xff), out);
		fputc((int)((start / 16) >> 8), out);
		fputc((int)((end - start) & 0xff), out);
		fputc((int)((end - start) >> 8), out);
		fwrite(img + start, 1, end - start, out);
		i = end;
	}

	return ferror(out) ? EIO : 0;
}


int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: dp-cdr-fuzz-seed DIR\n");
		return 2;
	}

	for (size_t k = 0; k < sizeof(scenarios) / sizeof(scenarios[0]); k++) {
		const struct scenario *sc = &scenarios[k];
		size_t size = (CDRIMG_META + sc->ring) * CDRIMG_SECTOR;
		char store[4096], seed[4096];
		uint8_t *img = calloc(1, size);
		FILE *f;
		int err;

		snprintf(store, sizeof(store), "%s/%s.store", argv[1], sc->name);
		snprintf(seed, sizeof(seed), "%s/%s", argv[1], sc->name);
		(void)unlink(store);

		err = img ? make_store(store, sc) : ENOMEM;
		f = err ? NULL : fopen(store, "rb");
		if (!err && (!f || fread(img, 1, size, f) != size))
			err = EIO;
		if (f)
			fclose(f);
		if (!err && sc->lose_ctrl_copy)
			memset(img, 0, CDRIMG_SECTOR);
		f = err ? NULL : fopen(seed, "wb");
		if (!err)
			err = f ? encode(img, size, sc->ring, f) : errno;
		if (f && fclose(f) && !err)
			err = errno;
		(void)unlink(store);
		free(img);
		if (err) {
			fprintf(stderr, "dp-cdr-fuzz-seed: %s: %s\n", sc->name,
				strerror(err));
			return 1;
		}
	}

	return 0;
}
