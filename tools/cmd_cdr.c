/**
 * @file cmd_cdr.c  `deskphone cdr`: the call records, read-only
 *
 * Opens the store the daemon writes (read-only: it never changes it and
 * never sees a record half written, even while the daemon appends) with
 * the device secret, both found through the settings.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <cjson/cJSON.h>
#include <re.h>
#include "base/settings.h"
#include "privacy/crypto/crypto.h"
#include "privacy/store/cdr_store.h"
#include "cli.h"
#include "privacy_cli.h"

extern const struct dp_command dp_command_cdr;

enum format { FMT_JSON, FMT_CSV };


/* "2026-11-30T08:00:00.000Z"; "" for 0 (never) */
static const char *iso(int64_t ms, char *buf, size_t sz)
{
	time_t t = (time_t)(ms / 1000);
	struct tm tm;

	if (!ms || !gmtime_r(&t, &tm)) {
		buf[0] = '\0';
		return buf;
	}

	snprintf(buf, sz, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ",
		 tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
		 tm.tm_min, tm.tm_sec, (int)(ms % 1000));

	return buf;
}


static const char *local_time(int64_t ms, char *buf, size_t sz)
{
	time_t t = (time_t)(ms / 1000);
	struct tm tm;

	if (!ms || !localtime_r(&t, &tm) ||
	    !strftime(buf, sz, "%Y-%m-%d %H:%M:%S", &tm))
		snprintf(buf, sz, "-");

	return buf;
}


static int print_list(const struct cdr_record *r, void *arg)
{
	char when[32];

	(void)arg;
	printf("%6" PRIu64 "  %s  %-3s  %-9s  %3u  %6us  %-12s  %s%s%s\n",
	       r->seq, local_time(r->start_ms, when, sizeof(when)),
	       cdr_direction_name(r->dir), cdr_result_name(r->result),
	       r->sip_status, r->duration_s, r->codec[0] ? r->codec : "-",
	       r->personal_erased ? "(erased)" : r->remote_uri,
	       r->remote_name[0] ? "  " : "", r->remote_name);

	return ferror(stdout) ? EIO : 0;
}


struct export {
	enum format fmt;
	uint64_t n;
};


static int print_json(const struct cdr_record *r, struct export *x)
{
	char a[80], b[80], c[80];
	cJSON *o = cJSON_CreateObject();
	char *text;

	if (!o)
		return ENOMEM;

	cJSON_AddNumberToObject(o, "seq", (double)r->seq);
	cJSON_AddStringToObject(o, "start", iso(r->start_ms, a, sizeof(a)));
	if (r->answer_ms)
		cJSON_AddStringToObject(o, "answer",
					iso(r->answer_ms, b, sizeof(b)));
	else
		cJSON_AddNullToObject(o, "answer");
	cJSON_AddStringToObject(o, "end", iso(r->end_ms, c, sizeof(c)));
	cJSON_AddNumberToObject(o, "duration_s", r->duration_s);
	cJSON_AddStringToObject(o, "direction", cdr_direction_name(r->dir));
	cJSON_AddStringToObject(o, "result", cdr_result_name(r->result));
	cJSON_AddNumberToObject(o, "sip_status", r->sip_status);
	cJSON_AddStringToObject(o, "codec", r->codec);
	cJSON_AddBoolToObject(o, "personal_erased", r->personal_erased);
	if (r->personal_erased) {
		cJSON_AddNullToObject(o, "local_uri");
		cJSON_AddNullToObject(o, "remote_uri");
		cJSON_AddNullToObject(o, "remote_name");
	}
	else {
		cJSON_AddStringToObject(o, "local_uri", r->local_uri);
		cJSON_AddStringToObject(o, "remote_uri", r->remote_uri);
		cJSON_AddStringToObject(o, "remote_name", r->remote_name);
	}

	text = cJSON_PrintUnformatted(o);
	cJSON_Delete(o);
	if (!text)
		return ENOMEM;

	printf("%s%s", x->n ? ",\n" : "[\n", text);
	cJSON_free(text);

	return 0;
}


/* RFC 4180: quoted when it holds a comma, a quote or a line break */
static void csv_field(const char *s, bool last)
{
	if (strpbrk(s, ",\"\r\n")) {
		putchar('"');
		for (; *s; s++) {
			if (*s == '"')
				putchar('"');
			putchar(*s);
		}
		putchar('"');
	}
	else {
		fputs(s, stdout);
	}
	fputs(last ? "\r\n" : ",", stdout);
}


static int print_csv(const struct cdr_record *r, struct export *x)
{
	char a[80], b[80], c[80], num[3][24];

	if (!x->n)
		fputs("seq,start,answer,end,duration_s,direction,result,"
		      "sip_status,codec,personal_erased,local_uri,remote_uri,"
		      "remote_name\r\n", stdout);

	snprintf(num[0], sizeof(num[0]), "%" PRIu64, r->seq);
	snprintf(num[1], sizeof(num[1]), "%u", r->duration_s);
	snprintf(num[2], sizeof(num[2]), "%u", r->sip_status);
	csv_field(num[0], false);
	csv_field(iso(r->start_ms, a, sizeof(a)), false);
	csv_field(iso(r->answer_ms, b, sizeof(b)), false);
	csv_field(iso(r->end_ms, c, sizeof(c)), false);
	csv_field(num[1], false);
	csv_field(cdr_direction_name(r->dir), false);
	csv_field(cdr_result_name(r->result), false);
	csv_field(num[2], false);
	csv_field(r->codec, false);
	csv_field(r->personal_erased ? "true" : "false", false);
	csv_field(r->local_uri, false);
	csv_field(r->remote_uri, false);
	csv_field(r->remote_name, true);

	return 0;
}


static int print_export(const struct cdr_record *r, void *arg)
{
	struct export *x = arg;
	int err = x->fmt == FMT_JSON ? print_json(r, x) : print_csv(r, x);

	x->n++;

	return err ? err : ferror(stdout) ? EIO : 0;
}


static void print_verify(const struct cdr_store_info *i, bool *clean)
{
	*clean = !i->skipped && !i->damaged_sectors && !i->seq_gaps &&
		i->ctrl_copies_ok == 2;

	printf("records:                  %" PRIu64 " verified\n", i->records);
	printf("dropped (drop horizon):   %" PRIu64 "\n", i->dropped);
	printf("damaged spans skipped:    %" PRIu64 " (%" PRIu64 " bytes)\n",
	       i->skipped, i->damaged_bytes);
	printf("damaged sector headers:   %u\n", i->damaged_sectors);
	printf("missing sequence numbers: %" PRIu64 "\n", i->seq_gaps);
	printf("control block copies ok:  %u of 2\n", i->ctrl_copies_ok);
	printf("personal fields erased:   %" PRIu64 " records\n",
	       i->personal_erased);
	printf("verify: %s\n", *clean ? "ok" : "DAMAGE FOUND (skipped, never"
	       " returned)");
}


static void print_stats(const struct cdr_store_info *i, const char *path)
{
	char a[32], b[32];

	printf("store:             %s\n", path);
	printf("size:              %" PRIu64 " bytes, %u ring sectors of"
	       " 4096, %u in use\n", i->size, i->ring_sectors,
	       i->sectors_used);
	printf("records:           %" PRIu64 " (sequence %" PRIu64 "..%"
	       PRIu64 ")\n", i->records, i->first_seq, i->last_seq);
	printf("oldest, newest:    %s, %s\n",
	       local_time(i->records ? i->oldest_ms : 0, a, sizeof(a)),
	       local_time(i->records ? i->newest_ms : 0, b, sizeof(b)));
	printf("sectors written:   %" PRIu64 " (%" PRIu64 " rounds of the"
	       " ring; wear spread %u)\n", i->sector_writes,
	       i->ring_sectors ? i->sector_writes / i->ring_sectors : 0,
	       i->wear_spread);
	printf("epoch keys:        %u live, %u destroyed, %u slots\n",
	       i->epoch_keys_live, i->epoch_keys_destroyed, i->epoch_slots);
	printf("personal erased:   %" PRIu64 " records\n", i->personal_erased);
	printf("damaged, skipped:  %" PRIu64 "\n", i->skipped);
	printf("nonces reserved:   %" PRIu64 "\n", i->nonce_reserved);
}


static int open_store(const struct cli_settings_opts *opts,
		      const char *store_opt, const char *secret_opt,
		      struct cdr_store **stp, char **pathp)
{
	uint8_t secret[DP_KEY_LEN];
	struct dp_settings *s = NULL;
	char *path = NULL, *secret_path = NULL;
	struct cdr_store_params prm = { .secret = secret, .readonly = true };
	int err;

	if (!store_opt || !secret_opt) {
		if (cli_settings_load(opts, &s))
			return DP_EXIT_USAGE;
		if (!store_opt)
			path = cli_setting(s, "cdr_store_path");
		if (!secret_opt)
			secret_path = cli_setting(s, "device_secret_file");
		mem_deref(s);
		if ((!store_opt && !path) || (!secret_opt && !secret_path)) {
			mem_deref(path);
			mem_deref(secret_path);
			return DP_EXIT_USAGE;
		}
	}
	if (store_opt)
		str_dup(&path, store_opt);
	if (secret_opt)
		str_dup(&secret_path, secret_opt);
	if (!path || !secret_path) {
		mem_deref(path);
		mem_deref(secret_path);
		return DP_EXIT_FAIL;
	}

	err = dp_device_secret_load(secret_path, false, secret);
	if (err) {
		fprintf(stderr, "deskphone cdr: device secret %s: %s\n",
			secret_path, strerror(err));
		goto out;
	}

	prm.path = path;
	err = cdr_store_open(stp, &prm);
	dp_wipe(secret, sizeof(secret));
	if (err)
		fprintf(stderr, "deskphone cdr: %s: %s%s\n", path,
			err == EBADMSG ? "not a call-record store of this"
			" phone" : strerror(err), err == ENOENT ?
			" (no call recorded yet?)" : "");

 out:
	mem_deref(secret_path);
	if (err) {
		mem_deref(path);
		return DP_EXIT_FAIL;
	}
	*pathp = path;

	return DP_EXIT_OK;
}


static int cdr_main(int argc, char **argv)
{
	struct cli_settings_opts opts;
	const char *store_opt = NULL, *secret_opt = NULL, *verb = NULL;
	enum format fmt = FMT_JSON;
	struct cdr_store_info info;
	struct cdr_store *st = NULL;
	struct export x = { 0 };
	char *path = NULL;
	bool clean = true;
	int i, rc, err;

	memset(&opts, 0, sizeof(opts));

	for (i = 1; i < argc; i++) {
		if (cli_settings_option(&opts, argc, argv, &i))
			continue;
		if (!strcmp(argv[i], "--store") && i + 1 < argc)
			store_opt = argv[++i];
		else if (!strcmp(argv[i], "--secret") && i + 1 < argc)
			secret_opt = argv[++i];
		else if (!strcmp(argv[i], "--format") && i + 1 < argc) {
			const char *f = argv[++i];

			if (!strcmp(f, "json"))
				fmt = FMT_JSON;
			else if (!strcmp(f, "csv"))
				fmt = FMT_CSV;
			else
				return cli_usage(&dp_command_cdr);
		}
		else if (argv[i][0] == '-' || verb)
			return cli_usage(&dp_command_cdr);
		else
			verb = argv[i];
	}

	if (!verb)
		return cli_missing(&dp_command_cdr,
				   "list | export | verify | stats");
	if (strcmp(verb, "list") && strcmp(verb, "export") &&
	    strcmp(verb, "verify") && strcmp(verb, "stats"))
		return cli_usage(&dp_command_cdr);

	/* a restriction refuses showing stored calls; counts stay */
	if ((!strcmp(verb, "list") || !strcmp(verb, "export")) &&
	    (!store_opt || !secret_opt || opts.config_dir)) {
		struct dp_settings *s = NULL;
		bool refused = false;

		if (!cli_settings_load(&opts, &s))
			refused = cli_privacy_refuse(s, "deskphone cdr",
						     !strcmp(verb, "list") ?
						     "cdr_list" : "cdr_export");
		else if (!store_opt || !secret_opt)
			return DP_EXIT_USAGE;  /* said why; said once */
		mem_deref(s);
		if (refused)
			return DP_EXIT_FAIL;
	}

	rc = open_store(&opts, store_opt, secret_opt, &st, &path);
	if (rc)
		return rc;

	if (!strcmp(verb, "list")) {
		err = cdr_store_foreach(st, print_list, NULL, &info);
		if (!err && !info.records)
			printf("no call records\n");
	}
	else if (!strcmp(verb, "export")) {
		x.fmt = fmt;
		err = cdr_store_foreach(st, print_export, &x, &info);
		if (!err && fmt == FMT_JSON)
			printf("%s]\n", x.n ? "\n" : "[");
	}
	else {
		err = cdr_store_info(st, &info);
		if (!err && !strcmp(verb, "verify"))
			print_verify(&info, &clean);
		else if (!err)
			print_stats(&info, path);
	}

	if (!err && fflush(stdout))
		err = errno;
	if (err)
		fprintf(stderr, "deskphone cdr: %s: %s\n", path, strerror(err));

	cdr_store_close(st);
	mem_deref(path);

	return err || !clean ? DP_EXIT_FAIL : DP_EXIT_OK;
}


const struct dp_command dp_command_cdr = {
	.name    = "cdr",
	.summary = "call records: list, export, verify, stats",
	.usage   =
	"deskphone cdr [options] list | export [--format json|csv] | verify"
	" | stats\n"
	"\n"
	"  list     one line per call, oldest first\n"
	"  export   every record, machine-readable (JSON array by default)\n"
	"  verify   check every record; exit status 1 if anything is"
	" damaged\n"
	"  stats    size, use, wear and keys of the store\n"
	"\n"
	"The store and the device secret come from the settings\n"
	"(cdr_store_path, device_secret_file); the store is only read.\n"
	"While processing is restricted (`deskphone privacy restrict on`),\n"
	"list and export are refused; `deskphone privacy export` gives the\n"
	"person their data.\n"
	"\n"
	"options:\n"
	"  --config DIR, --local FILE, --set key=value   settings, as for"
	" `run`\n"
	"  --store PATH, --secret FILE                   instead of the"
	" settings\n",
	.main    = cdr_main,
};
