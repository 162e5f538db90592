/**
 * @file store.c  dpcdr: the store's writer side of what the privacy
 *                module asks (purge, correct, erase), registered with the
 *                application core (modules/app) as its struct dp_store_ops
 *
 *   shred    records that started before DROP_BEFORE_MS go, personal
 *            parts of epochs that ended by PERSONAL_BEFORE_S go, both
 *            overwritten in place (cdr_store_shred)
 *   correct  one record deleted, stripped or rewritten
 *   erase    every key destroyed, the store zeroed and opened anew
 *
 * ENODEV without a store.  Nothing personal is logged.
 */
#include <errno.h>
#include <string.h>
#include "modules/app/app.h"
#include "cdr.h"


static int shred(void *arg, int64_t personal_before_s,
		 int64_t drop_before_ms, struct cdr_shred_counts *c)
{
	int err;

	(void)arg;
	memset(c, 0, sizeof(*c));
	if (!cdr.store)
		return ENODEV;

	err = cdr_store_shred(cdr.store, personal_before_s, drop_before_ms,
			      c);
	if (err)
		warning("dpcdr: shredding: %m\n", err);

	return err;
}


static int correct(void *arg, uint64_t seq, const struct dp_record_fix *fix,
		   uint64_t *now_seq)
{
	(void)arg;
	if (!cdr.store)
		return ENODEV;

	return dp_cdr_correct(cdr.store, seq, fix, now_seq);
}


static int erase(void *arg, uint64_t *records)
{
	int err;

	(void)arg;
	*records = 0;
	if (!cdr.prm.path)
		return ENODEV;

	err = dp_cdr_erase(&cdr.store, &cdr.prm, records);
	if (err) {
		warning("dpcdr: erasing the call records: %m\n", err);
		return err;
	}
	info("dpcdr: call records erased: %llu\n",
	     (unsigned long long)*records);

	return 0;
}


static const struct dp_store_ops store_ops = { shred, correct, erase };


int cdr_writer_register(void)
{
	return dpapp_store_register(&store_ops, NULL);
}


void cdr_writer_unregister(void)
{
	dpapp_store_unregister(&store_ops);
}
