/**
 * @file storeops.c  dpprivacy: the call-record store's writes go to its
 *                   one writer, the CDR module, as its commands
 *
 * Modules cannot call each other (baresip opens them RTLD_LOCAL), so
 * the dpcdr_* commands are the interface.  Without the CDR module (or
 * without a store) the call records cannot be purged: ENODEV, which the
 * purge report and the audit record carry.
 */
#include <errno.h>
#include <inttypes.h>
#include <string.h>
#include <cjson/cJSON.h>
#include "privacy.h"


static int pf_mbuf(const char *p, size_t size, void *arg)
{
	return mbuf_write_mem(arg, (const uint8_t *)p, size);
}


/* Run a dpcdr command; its JSON answer in *jp when it says ok. */
static int run(const char *text, cJSON **jp)
{
	struct mbuf *mb = mbuf_alloc(256);
	struct re_printf pf = { pf_mbuf, mb };
	const cJSON *e;
	cJSON *j = NULL;
	int err;

	if (!mb)
		return ENOMEM;

	err = cmd_process_long(baresip_commands(), text, strlen(text), &pf,
			       NULL);
	if (err == ENOTSUP)
		err = ENODEV;        /* no CDR module */
	if (!err) {
		j = cJSON_ParseWithLength((const char *)mb->buf, mb->end);
		if (!j)
			err = EPROTO;
		else if (!cJSON_IsTrue(cJSON_GetObjectItem(j, "ok"))) {
			e = cJSON_GetObjectItem(j, "errno");
			err = cJSON_IsNumber(e) && e->valueint > 0 ?
				e->valueint : EIO;
		}
	}
	mem_deref(mb);

	if (err || !jp)
		cJSON_Delete(j);
	else
		*jp = j;

	return err;
}


static uint64_t u64(const cJSON *j, const char *key)
{
	const cJSON *v = cJSON_GetObjectItem(j, key);

	return cJSON_IsNumber(v) ? (uint64_t)v->valuedouble : 0;
}


static int shred(void *arg, int64_t personal_before_s,
		 int64_t drop_before_ms, struct cdr_shred_counts *c)
{
	char text[96];
	cJSON *j = NULL;
	int err;

	(void)arg;
	memset(c, 0, sizeof(*c));
	re_snprintf(text, sizeof(text), "dpcdr_shred %lld %lld",
		    (long long)personal_before_s, (long long)drop_before_ms);
	err = run(text, &j);
	if (err)
		return err;

	c->keys_destroyed = (unsigned)u64(j, "keys_destroyed");
	c->records_dropped = u64(j, "records_dropped");
	c->records_voided = u64(j, "records_voided");
	c->personal_stripped = u64(j, "personal_stripped");
	c->sectors_zeroed = (uint32_t)u64(j, "sectors_zeroed");
	cJSON_Delete(j);

	return 0;
}


static int correct(void *arg, uint64_t seq, const struct dp_record_fix *fix,
		   uint64_t *now_seq)
{
	struct mbuf *mb = mbuf_alloc(512);
	cJSON *j = NULL;
	int err;

	(void)arg;
	if (!mb)
		return ENOMEM;
	err = mbuf_write_str(mb, "dpcdr_correct ");
	if (!err)
		err = dp_record_fix_json(mb, seq, fix);
	if (!err)
		err = mbuf_write_u8(mb, 0);
	if (!err)
		err = run((const char *)mb->buf, &j);
	if (!err && now_seq)
		*now_seq = u64(j, "seq");
	cJSON_Delete(j);
	memset(mb->buf, 0, mb->size);
	mem_deref(mb);

	return err;
}


static int erase(void *arg, uint64_t *records)
{
	cJSON *j = NULL;
	int err;

	(void)arg;
	*records = 0;
	err = run("dpcdr_erase", &j);
	if (!err)
		*records = u64(j, "records");
	cJSON_Delete(j);

	return err;
}


const struct dp_store_ops pm_store_ops = { shred, correct, erase };
