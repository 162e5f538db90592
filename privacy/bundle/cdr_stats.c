/**
 * @file cdr_stats.c  The call records in counts, for debug bundles
 *
 * Reads the store the settings name (cdr_store_path, opened read-only
 * with the device secret).  Counts only: no number, name or time of any
 * single call leaves through here, and the ages are whole days.  The
 * text is redacted like everything else in the bundle all the same.
 */
#include <errno.h>
#include <inttypes.h>
#include <string.h>
#include <time.h>
#include <re.h>
#include "base/settings.h"
#include "privacy/crypto/crypto.h"
#include "privacy/store/cdr_store.h"
#include "bundle.h"

struct counts {
	uint64_t dir[3];
	uint64_t result[CDR_CANCELLED + 1];
	uint64_t talk[4];      /* 0 s, < 1 min, 1-10 min, > 10 min */
};


static int count(const struct cdr_record *r, void *arg)
{
	struct counts *c = arg;

	if ((unsigned)r->dir < 3)
		c->dir[r->dir]++;
	if ((unsigned)r->result <= CDR_CANCELLED)
		c->result[r->result]++;
	c->talk[!r->duration_s ? 0 : r->duration_s < 60 ? 1 :
		r->duration_s <= 600 ? 2 : 3]++;

	return 0;
}


static char *get(const struct dp_settings *s, const char *key)
{
	char errbuf[DP_ERRBUF], *v = NULL;

	if (!dp_settings_has(s, key) ||
	    dp_settings_get(s, key, &v, errbuf, sizeof(errbuf)))
		return NULL;

	return v;
}


int dp_bundle_cdr_stats(const struct dp_settings *s, struct mbuf *out)
{
	uint8_t secret[DP_KEY_LEN];
	struct cdr_store_params prm = { .secret = secret, .readonly = true };
	struct cdr_store_info i;
	struct cdr_store *st = NULL;
	struct counts c;
	char *path = get(s, "cdr_store_path");
	char *secret_file = get(s, "device_secret_file");
	int64_t now_ms = (int64_t)time(NULL) * 1000;
	int err;

	memset(&c, 0, sizeof(c));
	err = path && secret_file ? dp_device_secret_load(secret_file, false,
							  secret) : ENOENT;
	prm.path = path;
	if (!err)
		err = cdr_store_open(&st, &prm);
	dp_wipe(secret, sizeof(secret));
	if (!err)
		err = cdr_store_foreach(st, count, &c, &i);
	cdr_store_close(st);
	mem_deref(path);
	mem_deref(secret_file);

	if (err == ENOENT)
		return mbuf_printf(out, "CDR statistics: no call recorded"
				   " yet\n");
	if (err)
		return mbuf_printf(out, "CDR statistics: the store cannot be"
				   " read (%m)\n", err);

	return mbuf_printf(out,
		"CDR statistics (counts only)\n"
		"records:        %" PRIu64 ", personal fields erased in %"
		PRIu64 "\n"
		"direction:      incoming %" PRIu64 ", outgoing %" PRIu64 "\n"
		"result:         answered %" PRIu64 ", missed %" PRIu64
		", rejected %" PRIu64 ", busy %" PRIu64 ", failed %" PRIu64
		", cancelled %" PRIu64 "\n"
		"talk time:      none %" PRIu64 ", under a minute %" PRIu64
		", 1 to 10 minutes %" PRIu64 ", longer %" PRIu64 "\n"
		"age in days:    oldest %lld, newest %lld\n"
		"store:          %u of %u sectors in use, %" PRIu64
		" sector writes, wear spread %u\n"
		"epoch keys:     %u live, %u destroyed\n"
		"damage:         %" PRIu64 " spans skipped, %u sector headers,"
		" %" PRIu64 " sequence gaps; %" PRIu64 " voided by request\n",
		i.records, i.personal_erased,
		c.dir[CDR_DIR_INCOMING], c.dir[CDR_DIR_OUTGOING],
		c.result[CDR_ANSWERED], c.result[CDR_MISSED],
		c.result[CDR_REJECTED], c.result[CDR_BUSY],
		c.result[CDR_FAILED], c.result[CDR_CANCELLED],
		c.talk[0], c.talk[1], c.talk[2], c.talk[3],
		i.records ? (long long)((now_ms - i.oldest_ms) / 86400000) : 0,
		i.records ? (long long)((now_ms - i.newest_ms) / 86400000) : 0,
		i.sectors_used, i.ring_sectors, i.sector_writes,
		i.wear_spread, i.epoch_keys_live, i.epoch_keys_destroyed,
		i.skipped, i.damaged_sectors, i.seq_gaps, i.voided);
}
