/**
 * @file commands.c  dpcdr: what the privacy module asks of the store's
 *                   one writer, as baresip commands
 *
 *   dpcdr_shred PERSONAL_BEFORE_S DROP_BEFORE_MS
 *       records that started before DROP_BEFORE_MS go, personal parts
 *       of epochs that ended by PERSONAL_BEFORE_S go, both overwritten
 *       in place (cdr_store_shred)
 *   dpcdr_correct {"seq":N,"delete":true} | {"seq":N,"strip_personal":
 *       true} | {"seq":N,"remote_uri":"...","remote_name":"..."}
 *   dpcdr_erase
 *       every key destroyed, the store zeroed and opened anew
 *
 * Each answers one JSON object: {"ok":true,...} or {"ok":false,
 * "errno":N,"error":"..."}.  Never a number or a name.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include "cdr.h"


static int fail(struct re_printf *pf, int err)
{
	return re_hprintf(pf, "{\"ok\":false,\"errno\":%d,\"error\":\"%m\"}",
			  err, err);
}


static int cmd_shred(struct re_printf *pf, void *arg)
{
	const struct cmd_arg *carg = arg;
	struct cdr_shred_counts c;
	long long personal, drop;
	int err;

	if (!carg->prm || sscanf(carg->prm, "%lld %lld", &personal, &drop)
	    != 2)
		return fail(pf, EINVAL);
	if (!cdr.store)
		return fail(pf, ENODEV);

	err = cdr_store_shred(cdr.store, personal, drop, &c);
	if (err) {
		warning("dpcdr: shredding: %m\n", err);
		return fail(pf, err);
	}

	return re_hprintf(pf, "{\"ok\":true,\"keys_destroyed\":%u,"
			  "\"records_dropped\":%" PRIu64 ",\"records_voided\":"
			  "%" PRIu64 ",\"personal_stripped\":%" PRIu64
			  ",\"sectors_zeroed\":%u}", c.keys_destroyed,
			  c.records_dropped, c.records_voided,
			  c.personal_stripped, c.sectors_zeroed);
}


static int cmd_correct(struct re_printf *pf, void *arg)
{
	const struct cmd_arg *carg = arg;
	struct dp_record_fix fix;
	char uri[CDR_TEXT_MAX], name[CDR_TEXT_MAX];
	uint64_t seq = 0, now_seq = 0;
	int err;

	err = dp_record_fix_parse(carg->prm, &seq, &fix, uri, name);
	if (!err && !cdr.store)
		err = ENODEV;
	if (!err)
		err = dp_cdr_correct(cdr.store, seq, &fix, &now_seq);
	dp_wipe(uri, sizeof(uri));
	dp_wipe(name, sizeof(name));

	return err ? fail(pf, err) : re_hprintf(pf, "{\"ok\":true,\"seq\":%"
						PRIu64 "}", now_seq);
}


static int cmd_erase(struct re_printf *pf, void *arg)
{
	uint64_t records = 0;
	int err;

	(void)arg;
	if (!cdr.prm.path) {
		return fail(pf, ENODEV);
	}

	err = dp_cdr_erase(&cdr.store, &cdr.prm, &records);
	if (err) {
		warning("dpcdr: erasing the call records: %m\n", err);
		return fail(pf, err);
	}
	info("dpcdr: call records erased: %llu\n",
	     (unsigned long long)records);

	return re_hprintf(pf, "{\"ok\":true,\"records\":%" PRIu64 "}",
			  records);
}


static const struct cmd cmds[] = {
	{ "dpcdr_shred",   0, CMD_PRM, "Forget old call records for good",
	  cmd_shred },
	{ "dpcdr_correct", 0, CMD_PRM, "Correct or delete one call record",
	  cmd_correct },
	{ "dpcdr_erase",   0, 0,       "Erase every call record",
	  cmd_erase },
};


int cdr_commands_register(void)
{
	return cmd_register(baresip_commands(), cmds,
			    sizeof(cmds) / sizeof(cmds[0]));
}


void cdr_commands_unregister(void)
{
	cmd_unregister(baresip_commands(), cmds);
}
