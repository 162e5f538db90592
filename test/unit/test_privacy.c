/**
 * @file test_privacy.c  The privacy rules on a simulated clock: policy,
 *                       the trusted clock, purge (and legal hold), export
 *                       against the ground truth, erase, restrict,
 *                       object, correct, the audit log
 *
 * Every test plants its own data (call records with known numbers, log
 * lines with known stamps, a contacts file) and checks every interface
 * (the library's readers, the export) and the raw bytes of every file.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>
#include <cjson/cJSON.h>
#include <re.h>
#include "base/fileutil.h"
#include "base/settings.h"
#include "privacy/audit/audit.h"
#include "privacy/policy/privacy.h"
#include "dptest.h"

#define DAY 86400LL
/* the simulated "now" the tests start at: 2027-01-01 */
#define T0 1798761600LL


/* A path in the test's directory; good for the next 32 calls: copy it
 * to keep it longer. */
static char *path(const char *name)
{
	static char buf[32][4200];
	static int k;
	char *p = buf[k++ % 32];

	snprintf(p, 4200, "%s/%s", dptest_tmpdir(), name);

	return p;
}


static void write_text(const char *p, const char *text)
{
	FILE *f = fopen(p, "w");

	DP_ASSERT(f != NULL);
	fputs(text, f);
	fclose(f);
}


static char *read_text(const char *p, size_t *lenp)
{
	FILE *f = fopen(p, "rb");
	char *buf;
	long n;

	if (!f) {
		*lenp = 0;
		return calloc(1, 1);
	}
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = calloc(1, (size_t)n + 1);
	DP_ASSERT(buf != NULL);
	DP_ASSERT_EQ(fread(buf, 1, (size_t)n, f), n);
	fclose(f);
	*lenp = (size_t)n;

	return buf;
}


static bool file_has(const char *p, const char *needle)
{
	size_t n;
	char *buf = read_text(p, &n);
	bool found = memmem(buf, n, needle, strlen(needle)) != NULL;

	free(buf);

	return found;
}


static void set_mtime(const char *p, int64_t t)
{
	struct timeval tv[2] = { { (time_t)t, 0 }, { (time_t)t, 0 } };

	DP_ASSERT_OK(utimes(p, tv));
}


static struct dp_clock_sample at(int64_t wall, int64_t boot, bool synced)
{
	struct dp_clock_sample s;

	memset(&s, 0, sizeof(s));
	s.wall_s = wall;
	s.boot_s = boot;
	s.synced = synced;
	snprintf(s.boot_id, sizeof(s.boot_id), "test-boot");

	return s;
}


/* --- the phone's data, planted ---------------------------------------- */

struct phone {
	struct dp_privacy *p;
	const char *store, *secret, *logs, *contacts, *audit;
};


static struct dp_privacy *open_privacy(const struct dp_settings *s)
{
	struct dp_privacy_paths pp;
	struct dp_privacy *p = NULL;

	memset(&pp, 0, sizeof(pp));
	pp.dir = path("privacy");
	pp.secret_file = path("device.secret");
	pp.audit_log = path("audit.jsonl");
	pp.store = path("cdr.ring");
	pp.store_size = 256 * 1024;
	pp.log_dir = path("log");
	pp.contacts_file = path("contacts");
	pp.recordings_dir = path("recordings");
	pp.push_dir = path("push");
	pp.create_secret = true;
	DP_ASSERT_OK(dp_privacy_alloc(&p, &pp, s));

	return p;
}


static void load_secret(uint8_t secret[DP_KEY_LEN])
{
	DP_ASSERT_OK(dp_device_secret_load(path("device.secret"), true,
					   secret));
}


/* A call `days_ago` before T0, with the number +2721555<nnnn>. */
static void plant_call(struct cdr_store *st, unsigned n, int64_t start_s,
		       enum cdr_direction dir)
{
	struct cdr_record r;

	memset(&r, 0, sizeof(r));
	r.start_ms = start_s * 1000;
	r.answer_ms = n % 2 ? r.start_ms + 3000 : 0;
	r.end_ms = r.start_ms + 60000;
	r.duration_s = n % 2 ? 57 : 0;
	r.dir = dir;
	r.result = n % 2 ? CDR_ANSWERED : CDR_MISSED;
	r.sip_status = n % 2 ? 200 : 487;
	snprintf(r.codec, sizeof(r.codec), "G722/16000/1");
	snprintf(r.local_uri, sizeof(r.local_uri), "sip:100@pbx.test");
	snprintf(r.remote_uri, sizeof(r.remote_uri),
		 "sip:+2721555%04u@pbx.test", n);
	snprintf(r.remote_name, sizeof(r.remote_name), "Planted Person %04u",
		 n);
	DP_ASSERT_OK(cdr_store_append(st, &r));
}


/*
 * Calls 1..N, one every 6 hours, the last one hour before T0 (about
 * N/4 days back); log lines every 6 hours naming the same numbers; a
 * contacts file; a recording and a push registration.
 */
static void plant(unsigned ncalls)
{
	uint8_t secret[DP_KEY_LEN];
	struct cdr_store_params prm = { .path = path("cdr.ring"),
		.size = 256 * 1024, .secret = secret };
	struct cdr_store *st = NULL;
	FILE *f;

	load_secret(secret);
	DP_ASSERT_OK(cdr_store_open(&st, &prm));
	for (unsigned n = 1; n <= ncalls; n++)
		plant_call(st, n, T0 - 3600 - (int64_t)(ncalls - n) * 6 * 3600,
			   n % 3 ? CDR_DIR_INCOMING : CDR_DIR_OUTGOING);
	cdr_store_close(st);
	dp_wipe(secret, sizeof(secret));

	DP_ASSERT_OK(mkdir(path("log"), 0700));
	f = fopen(path("log/deskphone.log"), "w");
	DP_ASSERT(f != NULL);
	for (unsigned n = 1; n <= ncalls; n++) {
		int64_t t = T0 - 3600 - (int64_t)(ncalls - n) * 6 * 3600;
		char stamp[32];
		time_t tt = (time_t)t;
		struct tm tm;

		gmtime_r(&tt, &tm);
		strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%SZ", &tm);
		fprintf(f, "%s call: connecting to 'sip:+2721555%04u@pbx.test'"
			"..\n", stamp, n);
	}
	fclose(f);

	write_text(path("contacts"), "# the directory\nReception <101>\n"
		   "Ann Other <sip:ann@pbx.test>\n");
	DP_ASSERT_OK(mkdir(path("recordings"), 0700));
	DP_ASSERT_OK(mkdir(path("push"), 0700));
	write_text(path("recordings/voicemail-1.json"), "{}");
	write_text(path("push/registration"), "token");
}


struct collected {
	unsigned n, erased;
	bool seen[1000];
	bool personal[1000];
};


static int collect(const struct cdr_record *r, void *arg)
{
	struct collected *c = arg;
	unsigned n;

	c->n++;
	if (r->personal_erased) {
		c->erased++;
		return 0;
	}
	n = (unsigned)strtoul(r->remote_uri + strlen("sip:+2721555"), NULL,
			      10);
	if (n < 1000) {
		c->seen[n] = true;
		c->personal[n] = true;
	}

	return 0;
}


static void read_store(struct collected *c)
{
	uint8_t secret[DP_KEY_LEN];
	struct cdr_store_params prm = { .path = path("cdr.ring"),
		.secret = secret, .readonly = true };
	struct cdr_store *st = NULL;

	memset(c, 0, sizeof(*c));
	load_secret(secret);
	DP_ASSERT_OK(cdr_store_open(&st, &prm));
	DP_ASSERT_OK(cdr_store_foreach(st, collect, c, NULL));
	cdr_store_close(st);
	dp_wipe(secret, sizeof(secret));
}


static cJSON *export_json(struct dp_privacy *p,
			  const struct dp_clock_sample *s)
{
	struct mbuf *mb = mbuf_alloc(4096);
	cJSON *j;

	DP_ASSERT_OK(dp_privacy_export(p, s, mb));
	j = cJSON_ParseWithLength((const char *)mb->buf, mb->end);
	DP_ASSERT(j != NULL);
	mem_deref(mb);

	return j;
}


static const cJSON *cls(const cJSON *j, const char *name)
{
	const cJSON *c = cJSON_GetObjectItemCaseSensitive(
		cJSON_GetObjectItemCaseSensitive(j, "classes"), name);

	DP_ASSERT_MSG(c != NULL, "no class %s in the export", name);

	return c;
}


static int count_of(const cJSON *j, const char *name)
{
	return cJSON_GetObjectItemCaseSensitive(cls(j, name), "count")->
		valueint;
}


static char *audit_text(void)
{
	size_t n;

	return read_text(path("audit.jsonl"), &n);
}


/* --- the policy --------------------------------------------------------- */

DP_TEST(policy_defaults_are_the_shipped_file)
{
	struct dp_policy def, file;
	char p[4200];

	snprintf(p, sizeof(p), "%s/../../firmware/etc/deskphone/privacy.conf",
		 dptest_datadir());
	dp_policy_defaults(&def);
	DP_ASSERT_OK(dp_policy_load(&file, p, NULL));
	DP_ASSERT_MSG(!file.errors[0], "%s", file.errors);

	for (int i = 0; i < DP_CLASS_COUNT; i++) {
		DP_ASSERT_EQ(file.cls[i].days, def.cls[i].days);
		DP_ASSERT_EQ(file.cls[i].max_days, def.cls[i].max_days);
		DP_ASSERT_STREQ(file.cls[i].purpose, def.cls[i].purpose);
		DP_ASSERT_STREQ(file.cls[i].holds, def.cls[i].holds);
		DP_ASSERT(strstr(file.cls[i].origin, "privacy.conf:"));
	}
	/* what the privacy policy promises and the issue asks */
	DP_ASSERT(def.cls[DP_CLASS_PUSH_REGISTRATION].max_days <= 6);
	DP_ASSERT(def.cls[DP_CLASS_CALL_RECORD_PERSONAL].days <
		  def.cls[DP_CLASS_CALL_RECORDS].days);
	DP_ASSERT(def.cls[DP_CLASS_CALL_HISTORY].days <=
		  def.cls[DP_CLASS_CALL_RECORD_PERSONAL].days);
	DP_ASSERT_EQ(file.purge_interval_s, def.purge_interval_s);
	DP_ASSERT_EQ(file.clock_trust_rtc, def.clock_trust_rtc);
}


DP_TEST(policy_settings_win_and_bad_values_are_refused_alone)
{
	struct dp_settings *s = NULL;
	struct dp_policy p;
	char errbuf[DP_ERRBUF];

	write_text(path("local.conf"),
		   "retention_call_records_days 90\n"
		   "retention_call_record_personal_fields_days\n"
		   "retention_push_registration_days 10\n"
		   "retention_sip_traces_and_logs_days seven\n"
		   "privacy_clock_trust sometimes\n");
	DP_ASSERT_OK(dp_settings_alloc(&s));
	DP_ASSERT_OK(dp_settings_load(s, path("local.conf"), errbuf,
				      sizeof(errbuf)));
	DP_ASSERT_OK(dp_policy_load(&p, NULL, s));

	DP_ASSERT_EQ(p.cls[DP_CLASS_CALL_RECORDS].days, 90);
	DP_ASSERT(strstr(p.cls[DP_CLASS_CALL_RECORDS].origin, "local.conf:1"));
	/* empty: the earlier value */
	DP_ASSERT_EQ(p.cls[DP_CLASS_CALL_RECORD_PERSONAL].days, 7);
	/* beyond the cap of 6 the policy promises: refused, 6 stays */
	DP_ASSERT_EQ(p.cls[DP_CLASS_PUSH_REGISTRATION].days, 6);
	DP_ASSERT(strstr(p.errors, "local.conf:3: "
			 "retention_push_registration_days: must be 0 to 6"));
	DP_ASSERT_EQ(p.cls[DP_CLASS_SIP_TRACES_AND_LOGS].days, 7);
	DP_ASSERT(strstr(p.errors, "local.conf:4: "
			 "retention_sip_traces_and_logs_days: not a whole"));
	DP_ASSERT(strstr(p.errors, "privacy_clock_trust: must be sync or"));
	DP_ASSERT(p.clock_trust_rtc);
	mem_deref(s);

	/* a policy file that cannot be read: the built-in one */
	DP_ASSERT_OK(dp_policy_load(&p, path("missing.conf"), NULL));
	DP_ASSERT(strstr(p.errors, "built-in policy is used"));
	DP_ASSERT_EQ(p.cls[DP_CLASS_CALL_RECORDS].days, 30);
}


/* --- the clock ------------------------------------------------------------ */

DP_TEST(clock_never_goes_back_and_runs_on_by_itself)
{
	struct dp_policy pol;
	struct dp_clock c;
	struct dp_clock_sample s;

	dp_policy_defaults(&pol);
	pol.clock_floor_s = T0 - 365 * DAY;
	memset(&c, 0, sizeof(c));

	s = at(T0, 1000, true);
	DP_ASSERT_EQ(dp_clock_advance(&c, &s, &pol), DP_CLOCK_FIRST);
	DP_ASSERT_EQ(c.trusted_s, T0);

	/* an hour later, in step */
	s = at(T0 + 3600, 4600, true);
	DP_ASSERT_EQ(dp_clock_advance(&c, &s, &pol), DP_CLOCK_FOLLOWED);
	DP_ASSERT_EQ(c.trusted_s, T0 + 3600);

	/* set back a month: ignored, and time still passes */
	s = at(T0 - 30 * DAY, 8200, true);
	DP_ASSERT_EQ(dp_clock_advance(&c, &s, &pol), DP_CLOCK_BEHIND);
	DP_ASSERT_EQ(c.trusted_s, T0 + 7200);

	/* reset to 1970 (before the floor): not usable at all */
	s = at(3600, 11800, true);
	DP_ASSERT_EQ(dp_clock_advance(&c, &s, &pol), DP_CLOCK_UNTRUSTED);
	DP_ASSERT_EQ(c.trusted_s, T0 + 10800);

	/* a year ahead: one step (a day) at a time beyond running time */
	s = at(T0 + 365 * DAY, 11800, true);
	DP_ASSERT_EQ(dp_clock_advance(&c, &s, &pol), DP_CLOCK_CATCHING_UP);
	DP_ASSERT_EQ(c.trusted_s, T0 + 10800 + DAY);
	DP_ASSERT_EQ(dp_clock_advance(&c, &s, &pol), DP_CLOCK_CATCHING_UP);
	DP_ASSERT_EQ(c.trusted_s, T0 + 10800 + 2 * DAY);

	/* a new boot: the running time starts again from T */
	s = at(T0 + 10800 + 2 * DAY + 600, 5, true);
	snprintf(s.boot_id, sizeof(s.boot_id), "another-boot");
	DP_ASSERT_EQ(dp_clock_advance(&c, &s, &pol), DP_CLOCK_FOLLOWED);
	DP_ASSERT_EQ(c.trusted_s, T0 + 10800 + 2 * DAY + 600);

	/* `sync`: an unsynchronised clock is not followed */
	pol.clock_trust_rtc = false;
	s = at(T0 + 10800 + 2 * DAY + 5000, 105, false);
	snprintf(s.boot_id, sizeof(s.boot_id), "another-boot");
	DP_ASSERT_EQ(dp_clock_advance(&c, &s, &pol), DP_CLOCK_UNTRUSTED);
	DP_ASSERT_EQ(c.trusted_s, T0 + 10800 + 2 * DAY + 700);

	/* saved and loaded, it goes on where it was */
	DP_ASSERT_OK(dp_clock_save(&c, path("clock")));
	{
		struct dp_clock d;

		DP_ASSERT_OK(dp_clock_load(&d, path("clock")));
		DP_ASSERT_EQ(d.trusted_s, c.trusted_s);
		DP_ASSERT_EQ(dp_clock_peek(&d, &s), c.trusted_s);
	}
	/* the first time without a usable clock: the floor */
	memset(&c, 0, sizeof(c));
	s = at(1000, 5, false);
	(void)dp_clock_advance(&c, &s, &pol);
	DP_ASSERT_EQ(c.trusted_s, pol.clock_floor_s);
}


DP_TEST(clock_stamps_new_records_within_trusted_time)
{
	struct dp_policy pol;
	struct dp_clock c;
	struct dp_clock_sample s;

	dp_policy_defaults(&pol);
	pol.clock_floor_s = T0 - 365 * DAY;
	memset(&c, 0, sizeof(c));

	/* no clock saved yet: the wall clock, when usable */
	s = at(T0, 100, true);
	DP_ASSERT_EQ(dp_clock_stamp_ms(&c, &s, &pol, T0 * 1000 + 123),
		     T0 * 1000 + 123);

	s = at(T0, 100, true);
	(void)dp_clock_advance(&c, &s, &pol);
	/* in step: the wall clock to the ms */
	s = at(T0 + 60, 160, true);
	DP_ASSERT_EQ(dp_clock_stamp_ms(&c, &s, &pol, (T0 + 60) * 1000 + 7),
		     (T0 + 60) * 1000 + 7);
	/* set back a month: the record does not land a month ago (where
	 * a purge would take it at once) */
	s = at(T0 - 30 * DAY, 220, true);
	DP_ASSERT_EQ(dp_clock_stamp_ms(&c, &s, &pol, 0),
		     (T0 + 120 - 300) * 1000);
	/* a year ahead: not a year ahead either (it would be kept a year
	 * too long) */
	s = at(T0 + 365 * DAY, 280, true);
	DP_ASSERT_EQ(dp_clock_stamp_ms(&c, &s, &pol, 0),
		     (T0 + 180 + DAY) * 1000);
	/* reset to 1970: the trusted time */
	s = at(5, 340, true);
	DP_ASSERT_EQ(dp_clock_stamp_ms(&c, &s, &pol, 0), (T0 + 240) * 1000);
}


/* --- the do-not-record list and the state ---------------------------------- */

DP_TEST(objections_match_numbers_and_addresses)
{
	struct dp_privacy_state st;
	char out[DP_OBJECTION_LEN];

	DP_ASSERT_OK(dp_objection_normalise(" +27 (21) 555-0100 ", out,
					    sizeof(out)));
	DP_ASSERT_STREQ(out, "+27215550100");
	DP_ASSERT_OK(dp_objection_normalise("Ann <SIP:Ann@PBX.test:5060;"
					    "transport=tcp>", out,
					    sizeof(out)));
	DP_ASSERT_STREQ(out, "ann@pbx.test");
	DP_ASSERT_OK(dp_objection_normalise("tel:+27215550101", out,
					    sizeof(out)));
	DP_ASSERT_STREQ(out, "+27215550101");
	DP_ASSERT_EQ(dp_objection_normalise("", out, sizeof(out)), EINVAL);
	DP_ASSERT_EQ(dp_objection_normalise("hello there", out, sizeof(out)),
		     EINVAL);

	memset(&st, 0, sizeof(st));
	st.nobjections = 2;
	snprintf(st.objections[0], DP_OBJECTION_LEN, "+27215550100");
	snprintf(st.objections[1], DP_OBJECTION_LEN, "ann@pbx.test");

	DP_ASSERT(!dp_privacy_keep_personal(&st,
					    "sip:+27215550100@pbx.test"));
	DP_ASSERT(!dp_privacy_keep_personal(&st, "<sip:ann@PBX.test;x=y>"));
	DP_ASSERT(!dp_privacy_keep_personal(&st, "tel:+27215550100"));
	DP_ASSERT(dp_privacy_keep_personal(&st, "sip:+272155501000@pbx"));
	DP_ASSERT(dp_privacy_keep_personal(&st, "sip:anne@pbx.test"));
	DP_ASSERT(dp_privacy_keep_personal(&st, "sip:101@pbx.test"));

	DP_ASSERT(dp_privacy_mentions_objected(&st, "to '+27215550100'", 17));
	DP_ASSERT(dp_privacy_mentions_objected(&st, "x 27215550100 y", 15));
	DP_ASSERT(!dp_privacy_mentions_objected(&st, "127215550100", 12));
	DP_ASSERT(dp_privacy_mentions_objected(&st, "<sip:ANN@pbx.test>",
					       18));
	DP_ASSERT(!dp_privacy_mentions_objected(&st, "joann@pbx.test", 14));

	/* restricted: no one's personal fields are kept */
	st.nobjections = 0;
	st.restricted = true;
	DP_ASSERT(!dp_privacy_keep_personal(&st, "sip:101@pbx.test"));
}


DP_TEST(state_is_sealed_and_a_damaged_one_means_restricted)
{
	struct dp_privacy_state a, b;
	uint8_t secret[DP_KEY_LEN];
	struct dp_privacy *p;
	struct dp_clock_sample s = at(T0, 10, true);

	load_secret(secret);
	memset(&a, 0, sizeof(a));
	a.legal_hold = true;
	a.nobjections = 1;
	snprintf(a.objections[0], DP_OBJECTION_LEN, "+27215559999");
	DP_ASSERT_OK(dp_mkdir_p(path("privacy"), 0700));
	DP_ASSERT_OK(dp_state_save(&a, path("privacy/state"), secret));
	DP_ASSERT(!file_has(path("privacy/state"), "27215559999"));
	DP_ASSERT_OK(dp_state_load(&b, path("privacy/state"), secret));
	DP_ASSERT(b.legal_hold);
	DP_ASSERT_EQ(b.nobjections, 1);
	DP_ASSERT_STREQ(b.objections[0], "+27215559999");

	/* one flipped byte: it does not open, and until it is put right
	 * the phone keeps nothing personal of new calls */
	{
		size_t n;
		char *t = read_text(path("privacy/state"), &n);
		FILE *f = fopen(path("privacy/state"), "wb");

		t[n / 2] ^= 1;
		fwrite(t, 1, n, f);
		fclose(f);
		free(t);
	}
	DP_ASSERT_EQ(dp_state_load(&b, path("privacy/state"), secret),
		     EBADMSG);
	p = open_privacy(NULL);
	DP_ASSERT(dp_privacy_state(p)->restricted);
	DP_ASSERT(!dp_privacy_keep_personal(dp_privacy_state(p),
					    "sip:1@x.test"));
	/* and it is not overwritten by a request that forgot it */
	DP_ASSERT_EQ(dp_privacy_restrict(p, false, &s), EBADMSG);
	mem_deref(p);
	dp_wipe(secret, sizeof(secret));
}


/* --- the audit log ---------------------------------------------------------- */

static struct dp_audit *audit_at(const char *log)
{
	uint8_t secret[DP_KEY_LEN];
	struct dp_audit *a = NULL;

	load_secret(secret);
	DP_ASSERT_OK(dp_audit_open(&a, log, secret));
	dp_wipe(secret, sizeof(secret));

	return a;
}


static void copy_file(const char *from, const char *to)
{
	size_t n;
	char *t = read_text(from, &n);
	FILE *f = fopen(to, "wb");

	DP_ASSERT(f != NULL);
	fwrite(t, 1, n, f);
	fclose(f);
	free(t);
}


/* A copy of the log (and its anchor) with `edit` applied to its text. */
static int verify_edited(const char *name, void (*edit)(char *text,
							 size_t *n),
			 struct dp_audit_report *rep)
{
	char log[4200], anchor[4300];
	struct dp_audit *a;
	size_t n;
	char *t = read_text(path("audit.jsonl"), &n);
	FILE *f;
	int err;

	snprintf(log, sizeof(log), "%s", path(name));
	snprintf(anchor, sizeof(anchor), "%s.anchor", log);
	edit(t, &n);
	f = fopen(log, "wb");
	fwrite(t, 1, n, f);
	fclose(f);
	free(t);
	copy_file(path("audit.jsonl.anchor"), anchor);

	a = audit_at(log);
	err = dp_audit_verify(a, rep);
	mem_deref(a);

	return err;
}


static void edit_count(char *t, size_t *n)
{
	(void)n;
	strstr(t, "\"files\":9")[8] = '8';
}


static void drop_second(char *t, size_t *n)
{
	char *l2 = strchr(t, '\n') + 1, *l3 = strchr(l2, '\n') + 1;

	memmove(l2, l3, strlen(l3) + 1);
	*n = strlen(t);
}


static void cut_last(char *t, size_t *n)
{
	t[*n - 1] = '\0';
	*strrchr(t, '\n') = '\0';
	*n = strlen(t) + 1;
	t[*n - 1] = '\n';
}


static void unchanged(char *t, size_t *n)
{
	(void)t;
	(void)n;
}


DP_TEST(audit_verifies_and_catches_edits_cuts_and_forgeries)
{
	struct dp_audit_report rep;
	struct dp_audit *a = audit_at(path("audit.jsonl"));
	char *t;

	DP_ASSERT_EQ(dp_audit_verify(a, &rep), ENOENT);
	DP_ASSERT_OK(dp_audit_append(a, T0, "purge", "\"files\":9"));
	DP_ASSERT_OK(dp_audit_append(a, T0 + 1, "erase", NULL));
	DP_ASSERT_OK(dp_audit_append(a, T0 + 2, "restrict", "\"on\":true"));
	DP_ASSERT_OK(dp_audit_verify(a, &rep));
	DP_ASSERT_EQ(rep.records, 3);
	DP_ASSERT_EQ(rep.anchor_seq, 3);
	DP_ASSERT_EQ(dp_audit_append(a, T0, "Bad Event", NULL), EINVAL);

	t = audit_text();
	DP_ASSERT(strstr(t, "{\"seq\":1,\"time\":\"2027-01-01T00:00:00Z\","
			 "\"event\":\"purge\",\"files\":9,\"prev\":\"0000"));
	DP_ASSERT(strstr(t, "\"mac\":\""));
	free(t);

	DP_ASSERT_OK(verify_edited("same.jsonl", unchanged, &rep));

	/* an edited record */
	DP_ASSERT_EQ(verify_edited("edited.jsonl", edit_count, &rep),
		     EBADMSG);
	DP_ASSERT_EQ(rep.bad, 1);
	/* a record taken out */
	DP_ASSERT_EQ(verify_edited("removed.jsonl", drop_second, &rep),
		     EBADMSG);
	DP_ASSERT_EQ(rep.bad, 2);
	/* the last record cut off: the chain alone cannot see it, the
	 * anchor does */
	DP_ASSERT_EQ(verify_edited("cut.jsonl", cut_last, &rep), EBADMSG);
	DP_ASSERT(strstr(rep.why, "cut short: the anchor says 3 records, the"
			 " log holds 2"));

	/* a record made without the device secret (hash chained right,
	 * MAC made with another key) */
	{
		uint8_t other[DP_KEY_LEN];
		struct dp_audit *o;

		copy_file(path("audit.jsonl"), path("forged.jsonl"));
		copy_file(path("audit.jsonl.anchor"),
			  path("forged.jsonl.anchor"));
		DP_ASSERT_OK(dp_random(other, sizeof(other)));
		DP_ASSERT_OK(dp_audit_open(&o, path("forged.jsonl"), other));
		/* its anchor does not open with the other key either */
		DP_ASSERT_EQ(dp_audit_append(o, T0, "purge", NULL), EBADMSG);
		unlink(path("forged.jsonl.anchor"));
		/* the forger's first record is the only one without an
		 * anchor: refused too (the log is not empty) */
		DP_ASSERT_EQ(dp_audit_append(o, T0, "purge", NULL), EBADMSG);
		mem_deref(o);
	}

	/* no anchor at all */
	copy_file(path("audit.jsonl"), path("noanchor.jsonl"));
	{
		struct dp_audit *b = audit_at(path("noanchor.jsonl"));

		DP_ASSERT_EQ(dp_audit_verify(b, &rep), EBADMSG);
		DP_ASSERT(strstr(rep.why, "anchor is missing"));
		mem_deref(b);
	}

	/* the anchor lagging by one (a power cut between the two writes)
	 * is told, not taken for tampering */
	copy_file(path("audit.jsonl.anchor"), path("lag.anchor"));
	DP_ASSERT_OK(dp_audit_append(a, T0 + 3, "purge", NULL));
	copy_file(path("lag.anchor"), path("audit.jsonl.anchor"));
	DP_ASSERT_OK(dp_audit_verify(a, &rep));
	DP_ASSERT_EQ(rep.anchor_lag, 1);
	DP_ASSERT_OK(dp_audit_append(a, T0 + 4, "purge", NULL));
	DP_ASSERT_OK(dp_audit_verify(a, &rep));
	DP_ASSERT_EQ(rep.anchor_lag, 0);
	DP_ASSERT_EQ(rep.records, 5);

	/* a record cut by a crash: nothing is chained to it */
	{
		FILE *f = fopen(path("audit.jsonl"), "a");

		fputs("{\"seq\":6,\"time\":", f);
		fclose(f);
	}
	DP_ASSERT_EQ(dp_audit_append(a, T0, "purge", NULL), EBADMSG);
	DP_ASSERT_EQ(dp_audit_verify(a, &rep), EBADMSG);
	DP_ASSERT_EQ(rep.bad, 6);
	mem_deref(a);
}


/* --- purge, on a simulated clock ---------------------------------------------- */

static void raw_has_none(unsigned from, unsigned to)
{
	const char *files[] = { "cdr.ring", "log/deskphone.log",
				"log/deskphone.log.1", "privacy/state",
				"audit.jsonl", "privacy/clock" };

	for (unsigned n = from; n <= to; n++) {
		char num[32];

		snprintf(num, sizeof(num), "2721555%04u", n);
		for (size_t f = 0; f < sizeof(files) / sizeof(files[0]); f++)
			DP_ASSERT_MSG(!file_has(path(files[f]), num),
				      "%s holds %s", files[f], num);
	}
}


DP_TEST(purge_erases_each_class_past_its_retention_everywhere)
{
	struct dp_purge_report r;
	struct dp_privacy *p;
	struct dp_clock_sample s;
	struct collected c;
	cJSON *j;
	char *t;

	/* 160 calls, every 6 hours: 40 days back */
	plant(160);
	set_mtime(path("contacts"), T0 - 100 * DAY);
	set_mtime(path("recordings/voicemail-1.json"), T0 - 40 * DAY);
	set_mtime(path("push/registration"), T0 - 7 * DAY);
	p = open_privacy(NULL);

	s = at(T0, 100, true);
	DP_ASSERT_OK(dp_privacy_purge(p, &s, &r));
	DP_ASSERT(!r.held);
	DP_ASSERT_EQ(r.trusted_s, T0);

	/* call records: those over 30 days gone (calls 1..40 started
	 * 39 days and 19 hours .. 30 days and 1 hour back) */
	read_store(&c);
	DP_ASSERT_EQ(r.removed[DP_CLASS_CALL_RECORDS], 40);
	DP_ASSERT_EQ(c.n, 120);
	/* personal fields: only the last 7 days' keep theirs (the epoch
	 * key of a day goes when the whole day is past) */
	DP_ASSERT(c.n - c.erased >= 28 && c.n - c.erased <= 32);
	for (unsigned n = 1; n <= 160 - 32; n++)
		DP_ASSERT_MSG(!c.personal[n], "call %u kept its number", n);
	DP_ASSERT(c.personal[160]);
	DP_ASSERT(r.store.keys_destroyed > 0);

	/* logs: the lines over 7 days are gone */
	DP_ASSERT(r.removed[DP_CLASS_SIP_TRACES_AND_LOGS] >= 128);
	DP_ASSERT(!file_has(path("log/deskphone.log"), "27215550100@"));
	DP_ASSERT(file_has(path("log/deskphone.log"), "27215550160@"));

	/* contacts over 90 days, the recording over 30, the push
	 * registration over 6 */
	DP_ASSERT(access(path("contacts"), F_OK));
	DP_ASSERT_EQ(r.removed[DP_CLASS_CONTACTS_CACHE], 2);
	DP_ASSERT(access(path("recordings/voicemail-1.json"), F_OK));
	DP_ASSERT(access(path("push/registration"), F_OK));

	/* gone from every interface: the export ... */
	j = export_json(p, &s);
	DP_ASSERT_EQ(count_of(j, "call_records"), 120);
	DP_ASSERT(count_of(j, "call_record_personal_fields") <= 32);
	DP_ASSERT_EQ(count_of(j, "contacts_cache"), 0);
	t = cJSON_Print(j);
	for (unsigned n = 1; n <= 128; n++) {
		char num[32];

		snprintf(num, sizeof(num), "2721555%04u", n);
		DP_ASSERT_MSG(!strstr(t, num), "the export names %s", num);
	}
	cJSON_free(t);
	cJSON_Delete(j);
	/* ... and the raw bytes of every file */
	raw_has_none(1, 128);

	/* the audit log says what and how many, never a number */
	t = audit_text();
	DP_ASSERT(strstr(t, "\"event\":\"purge\""));
	DP_ASSERT(strstr(t, "\"call_records\":40,"));
	DP_ASSERT(strstr(t, "\"contacts\":2,"));
	DP_ASSERT(strstr(t, "\"recordings\":1,\"push\":1,"));
	DP_ASSERT(!strstr(t, "2721555"));
	free(t);

	/* a second purge an hour on finds (almost) nothing to do */
	s = at(T0 + 3600, 3700, true);
	DP_ASSERT_OK(dp_privacy_purge(p, &s, &r));
	DP_ASSERT(r.removed[DP_CLASS_CALL_RECORDS] <= 1);
	mem_deref(p);
}


DP_TEST(legal_hold_keeps_everything_and_says_so)
{
	struct dp_purge_report r;
	struct dp_erase_report e;
	struct dp_privacy *p;
	struct dp_clock_sample s = at(T0, 100, true);
	struct collected c;
	struct mbuf *mb = mbuf_alloc(1024);
	char *t;

	plant(160);
	set_mtime(path("contacts"), T0 - 100 * DAY);
	p = open_privacy(NULL);
	DP_ASSERT_OK(dp_privacy_hold(p, true, "case 17", &s));

	DP_ASSERT_OK(dp_privacy_purge(p, &s, &r));
	DP_ASSERT(r.held);
	read_store(&c);
	DP_ASSERT_EQ(c.n, 160);
	DP_ASSERT_EQ(c.erased, 0);
	DP_ASSERT(file_has(path("log/deskphone.log"), "27215550001@"));
	DP_ASSERT(!access(path("contacts"), F_OK));

	/* an erase is refused as well, and the refusal recorded */
	DP_ASSERT_EQ(dp_privacy_erase(p, &s, &e), EPERM);
	read_store(&c);
	DP_ASSERT_EQ(c.n, 160);

	t = audit_text();
	DP_ASSERT(strstr(t, "\"event\":\"legal_hold\",\"on\":true"));
	DP_ASSERT(strstr(t, "\"event\":\"purge_held\""));
	DP_ASSERT(strstr(t, "\"event\":\"erase_refused\",\"reason\":"
			 "\"legal_hold\""));
	DP_ASSERT(!strstr(t, "case 17"));
	free(t);

	/* the status says so */
	DP_ASSERT_OK(dp_privacy_status(p, &s, false, mb));
	DP_ASSERT(memmem(mb->buf, mb->end, "\"legal_hold\":true", 17));
	mem_deref(mb);

	/* released, the next purge catches up */
	DP_ASSERT_OK(dp_privacy_hold(p, false, NULL, &s));
	s = at(T0 + 60, 160, true);
	DP_ASSERT_OK(dp_privacy_purge(p, &s, &r));
	DP_ASSERT(!r.held);
	DP_ASSERT_EQ(r.removed[DP_CLASS_CALL_RECORDS], 40);
	mem_deref(p);
}


DP_TEST(purge_on_a_wrong_clock_neither_all_at_once_nor_never)
{
	struct dp_purge_report r;
	struct dp_privacy *p;
	struct dp_clock_sample s;
	struct collected c;
	struct dp_settings *set = NULL;
	char errbuf[DP_ERRBUF];

	plant(160);
	write_text(path("local.conf"), "privacy_clock_floor_s 1700000000\n");
	DP_ASSERT_OK(dp_settings_alloc(&set));
	DP_ASSERT_OK(dp_settings_load(set, path("local.conf"), errbuf,
				      sizeof(errbuf)));
	p = open_privacy(set);

	s = at(T0, 100, true);
	DP_ASSERT_OK(dp_privacy_purge(p, &s, &r));
	read_store(&c);
	DP_ASSERT_EQ(c.n, 120);

	/* the clock jumps 10 years ahead, nothing else changed: one day
	 * more expires per purge, not ten years' worth */
	s = at(T0 + 3650 * DAY, 100, true);
	DP_ASSERT_OK(dp_privacy_purge(p, &s, &r));
	DP_ASSERT_EQ(r.clock, DP_CLOCK_CATCHING_UP);
	DP_ASSERT_EQ(r.trusted_s, T0 + DAY);
	read_store(&c);
	DP_ASSERT_EQ(c.n, 116);                /* one day's four calls */

	/* the clock goes back 10 years: nothing comes back, nothing is
	 * kept for ever: the running time still counts */
	s = at(T0 - 3650 * DAY, 100 + 5 * DAY, true);
	DP_ASSERT_OK(dp_privacy_purge(p, &s, &r));
	DP_ASSERT_EQ(r.clock, DP_CLOCK_UNTRUSTED);   /* before the floor */
	DP_ASSERT_EQ(r.trusted_s, T0 + 6 * DAY);
	read_store(&c);
	DP_ASSERT_EQ(c.n, 96);

	/* 40 days of running time, the clock still wrong: all of it is
	 * gone at last */
	s = at(T0 - 3650 * DAY, 100 + 46 * DAY, true);
	DP_ASSERT_OK(dp_privacy_purge(p, &s, &r));
	read_store(&c);
	DP_ASSERT_EQ(c.n, 0);
	mem_deref(p);
	mem_deref(set);
}


/* --- export, erase, restrict, object, correct -------------------------------- */

DP_TEST(export_round_trips_to_the_ground_truth)
{
	struct dp_privacy *p;
	struct dp_clock_sample s = at(T0, 100, true);
	const cJSON *items, *it;
	cJSON *j;
	unsigned n = 0;

	plant(20);       /* five days: every personal field still there */
	p = open_privacy(NULL);
	DP_ASSERT_OK(dp_privacy_object(p, true, "sip:nobody@pbx.test", &s));
	j = export_json(p, &s);

	DP_ASSERT_STREQ(cJSON_GetObjectItem(j, "format")->valuestring,
			"deskphone-privacy-export");
	for (int i = 0; i < DP_CLASS_COUNT; i++) {
		const cJSON *o = cls(j, dp_class_name(i));

		DP_ASSERT(cJSON_IsString(cJSON_GetObjectItem(o, "purpose")));
		DP_ASSERT_EQ(cJSON_GetObjectItem(o, "retention_days")->valueint,
			     dp_privacy_policy(p)->cls[i].days);
		DP_ASSERT(cJSON_IsArray(cJSON_GetObjectItem(o, "items")));
	}

	/* every call, field by field, as planted */
	items = cJSON_GetObjectItem(cls(j, "call_records"), "items");
	DP_ASSERT_EQ(cJSON_GetArraySize(items), 20);
	cJSON_ArrayForEach(it, items) {
		int64_t start = T0 - 3600 - (int64_t)(19 - n) * 6 * 3600;
		char want[32];
		time_t tt = (time_t)start;
		struct tm tm;

		n++;
		gmtime_r(&tt, &tm);
		strftime(want, sizeof(want), "%Y-%m-%dT%H:%M:%SZ", &tm);
		DP_ASSERT_EQ(cJSON_GetObjectItem(it, "seq")->valueint, n);
		DP_ASSERT_STREQ(cJSON_GetObjectItem(it, "start")->valuestring,
				want);
		DP_ASSERT_EQ(cJSON_GetObjectItem(it, "duration_s")->valueint,
			     n % 2 ? 57 : 0);
		DP_ASSERT_STREQ(cJSON_GetObjectItem(it, "result")->valuestring,
				n % 2 ? "answered" : "missed");
		DP_ASSERT_STREQ(cJSON_GetObjectItem(it, "direction")->
				valuestring, n % 3 ? "in" : "out");
		DP_ASSERT_EQ(cJSON_GetObjectItem(it, "sip_status")->valueint,
			     n % 2 ? 200 : 487);
		DP_ASSERT_STREQ(cJSON_GetObjectItem(it, "codec")->valuestring,
				"G722/16000/1");
	}
	n = 0;
	items = cJSON_GetObjectItem(cls(j, "call_record_personal_fields"),
				    "items");
	DP_ASSERT_EQ(cJSON_GetArraySize(items), 20);
	cJSON_ArrayForEach(it, items) {
		char uri[64], name[64];

		n++;
		snprintf(uri, sizeof(uri), "sip:+2721555%04u@pbx.test", n);
		snprintf(name, sizeof(name), "Planted Person %04u", n);
		DP_ASSERT_STREQ(cJSON_GetObjectItem(it, "remote_uri")->
				valuestring, uri);
		DP_ASSERT_STREQ(cJSON_GetObjectItem(it, "remote_name")->
				valuestring, name);
		DP_ASSERT_STREQ(cJSON_GetObjectItem(it, "local_uri")->
				valuestring, "sip:100@pbx.test");
	}

	/* the history: the 7 days the display lists, newest first */
	items = cJSON_GetObjectItem(cls(j, "call_history"), "items");
	DP_ASSERT_EQ(cJSON_GetArraySize(items), 20);
	DP_ASSERT_STREQ(cJSON_GetObjectItem(cJSON_GetArrayItem(items, 0),
					    "number")->valuestring,
			"+27215550020");
	DP_ASSERT_STREQ(cJSON_GetObjectItem(cJSON_GetArrayItem(items, 0),
					    "kind")->valuestring, "missed");

	/* the log, line for line */
	items = cJSON_GetObjectItem(cls(j, "sip_traces_and_logs"), "items");
	DP_ASSERT_EQ(cJSON_GetArraySize(items), 1);
	DP_ASSERT_EQ(cJSON_GetArraySize(cJSON_GetObjectItem(
		cJSON_GetArrayItem(items, 0), "lines")), 20);

	items = cJSON_GetObjectItem(cls(j, "contacts_cache"), "items");
	DP_ASSERT_EQ(cJSON_GetArraySize(items), 2);
	DP_ASSERT_STREQ(cJSON_GetObjectItem(cJSON_GetArrayItem(items, 1),
					    "uri")->valuestring,
			"sip:ann@pbx.test");
	DP_ASSERT_EQ(count_of(j, "recordings_and_voicemail"), 1);
	DP_ASSERT_EQ(count_of(j, "push_registration"), 1);
	DP_ASSERT_STREQ(cJSON_GetArrayItem(cJSON_GetObjectItem(j,
		"do_not_record"), 0)->valuestring, "nobody@pbx.test");
	DP_ASSERT(cJSON_IsTrue(cJSON_GetObjectItem(cJSON_GetObjectItem(j,
		"audit_log"), "verified")));
	cJSON_Delete(j);
	mem_deref(p);
}


DP_TEST(erase_leaves_nothing_readable_and_a_working_phone)
{
	struct dp_erase_report e;
	struct dp_privacy *p;
	struct dp_clock_sample s = at(T0, 100, true);
	uint8_t secret[DP_KEY_LEN];
	char store[4200];
	struct cdr_store_params prm = { .path = store, .secret = secret };
	struct cdr_store *st = NULL;
	struct collected c;
	cJSON *j;
	char *t;

	snprintf(store, sizeof(store), "%s", path("cdr.ring"));
	plant(40);
	p = open_privacy(NULL);
	DP_ASSERT_OK(dp_privacy_erase(p, &s, &e));
	DP_ASSERT_EQ(e.records, 40);
	DP_ASSERT_EQ(e.log_lines, 40);
	DP_ASSERT_EQ(e.contacts, 2);
	DP_ASSERT_EQ(e.files, 2);

	read_store(&c);
	DP_ASSERT_EQ(c.n, 0);
	raw_has_none(1, 40);
	{
		size_t n;
		char *raw = read_text(path("cdr.ring"), &n);
		size_t nonzero = 0;

		/* nothing but a fresh control block is left */
		for (size_t i = 0; i < n; i++)
			nonzero += raw[i] != 0;
		DP_ASSERT(nonzero <= 2 * 128);
		free(raw);
	}
	DP_ASSERT(access(path("contacts"), F_OK));
	j = export_json(p, &s);
	for (int i = 0; i < DP_CLASS_COUNT; i++)
		DP_ASSERT_EQ(count_of(j, dp_class_name(i)), 0);
	cJSON_Delete(j);

	t = audit_text();
	DP_ASSERT(strstr(t, "\"event\":\"erase\",\"call_records\":40,"
			 "\"log_lines\":40,\"contacts\":2,\"files\":2"));
	free(t);

	/* the phone works on: the store takes a new call */
	load_secret(secret);
	DP_ASSERT_OK(cdr_store_open(&st, &prm));
	plant_call(st, 41, T0 + 10, CDR_DIR_OUTGOING);
	cdr_store_close(st);
	read_store(&c);
	DP_ASSERT_EQ(c.n, 1);
	DP_ASSERT(c.personal[41]);
	mem_deref(p);
}


static const char trace[] =
	"2026-12-31T23:00:00Z ua: start\n"
	"2026-12-31T23:00:01Z #\n"
	"2026-12-31T23:00:01Z UDP 10.0.0.2:5060 -> 10.0.0.1:5060\n"
	"2026-12-31T23:00:01Z INVITE sip:+27215557777@pbx.test SIP/2.0\n"
	"2026-12-31T23:00:01Z To: <sip:+27215557777@pbx.test>\n"
	"2026-12-31T23:00:01Z Content-Length: 12\n"
	"2026-12-31T23:00:01Z \n"
	"2026-12-31T23:00:01Z v=0\n"
	"2026-12-31T23:00:01Z o=- 1\n"
	"2026-12-31T23:00:01Z \n"
	"2026-12-31T23:00:02Z call: ringing\n";


DP_TEST(restrict_keeps_no_personal_fields_traces_or_display)
{
	struct dp_privacy *p;
	struct dp_clock_sample s = at(T0, 100, true);
	struct dp_history_view v;
	struct dp_history_entry e[8];
	struct dp_log_info li;
	uint8_t secret[DP_KEY_LEN];
	size_t n;
	char *t;

	plant(4);
	write_text(path("log/deskphone.log"), trace);
	DP_ASSERT_OK(dp_logs_info(path("log"), &li));
	DP_ASSERT_EQ(li.trace_blocks, 1);

	p = open_privacy(NULL);
	DP_ASSERT_OK(dp_privacy_restrict(p, true, &s));
	DP_ASSERT(dp_privacy_state(p)->restricted);

	/* the trace went at once, the rest of the log stays */
	DP_ASSERT(!file_has(path("log/deskphone.log"), "27215557777"));
	DP_ASSERT(file_has(path("log/deskphone.log"), "ua: start"));
	DP_ASSERT(file_has(path("log/deskphone.log"), "call: ringing"));

	/* new records keep no personal fields */
	DP_ASSERT(!dp_privacy_keep_personal(dp_privacy_state(p),
					    "sip:101@pbx.test"));

	/* the display shows nothing stored */
	DP_ASSERT_OK(dp_privacy_history_view(p, &s, &v));
	DP_ASSERT(v.restricted);
	load_secret(secret);
	DP_ASSERT_OK(dp_history_read(path("cdr.ring"), secret, &v, 8, e, &n));
	DP_ASSERT_EQ(n, 0);

	/* the export still gives the person everything */
	{
		cJSON *j = export_json(p, &s);

		DP_ASSERT_EQ(count_of(j, "call_records"), 4);
		DP_ASSERT(cJSON_IsTrue(cJSON_GetObjectItem(j, "restricted")));
		cJSON_Delete(j);
	}

	t = audit_text();
	DP_ASSERT(strstr(t, "\"event\":\"restrict\",\"on\":true,"
			 "\"sip_traces\":1"));
	free(t);

	DP_ASSERT_OK(dp_privacy_restrict(p, false, &s));
	DP_ASSERT_OK(dp_privacy_history_view(p, &s, &v));
	DP_ASSERT_OK(dp_history_read(path("cdr.ring"), secret, &v, 8, e, &n));
	DP_ASSERT_EQ(n, 4);
	dp_wipe(secret, sizeof(secret));
	mem_deref(p);
}


DP_TEST(object_strips_the_party_from_records_and_logs)
{
	struct dp_privacy *p;
	struct dp_clock_sample s = at(T0, 100, true);
	struct collected c;
	char *t;

	plant(10);
	p = open_privacy(NULL);
	DP_ASSERT_OK(dp_privacy_object(p, true, "+27 21 555 0007", &s));
	DP_ASSERT_EQ(dp_privacy_object(p, true, "+27215550007", &s), EEXIST);

	/* new calls with the party keep nothing personal */
	DP_ASSERT(!dp_privacy_keep_personal(dp_privacy_state(p),
					    "sip:+27215550007@pbx.test"));
	DP_ASSERT(dp_privacy_keep_personal(dp_privacy_state(p),
					   "sip:+27215550008@pbx.test"));

	/* the stored ones lost theirs; the others did not */
	read_store(&c);
	DP_ASSERT_EQ(c.n, 10);
	DP_ASSERT_EQ(c.erased, 1);
	DP_ASSERT(!c.personal[7]);
	DP_ASSERT(c.personal[8]);
	DP_ASSERT(!file_has(path("log/deskphone.log"), "27215550007"));
	DP_ASSERT(file_has(path("log/deskphone.log"), "27215550008"));

	t = audit_text();
	DP_ASSERT(strstr(t, "\"event\":\"object_add\",\"entries\":1,"
			 "\"call_records\":1,\"log_lines\":1"));
	DP_ASSERT(!strstr(t, "0007"));
	free(t);

	DP_ASSERT_OK(dp_privacy_object(p, false, "+27215550007", &s));
	DP_ASSERT_EQ(dp_privacy_object(p, false, "+27215550007", &s),
		     ENOENT);
	DP_ASSERT(dp_privacy_keep_personal(dp_privacy_state(p),
					   "sip:+27215550007@pbx.test"));
	mem_deref(p);
}


DP_TEST(correct_fixes_or_deletes_a_record_or_a_contact)
{
	struct dp_privacy *p;
	struct dp_clock_sample s = at(T0, 100, true);
	struct dp_record_fix fix;
	struct collected c;
	const cJSON *items;
	char long_name[200];
	uint64_t moved = 0;
	cJSON *j;

	plant(6);
	p = open_privacy(NULL);

	memset(&fix, 0, sizeof(fix));
	fix.remote_name = "Corrected Name";
	DP_ASSERT_OK(dp_privacy_correct_record(p, 3, &fix, &s, NULL));
	/* longer than the record had room for: moved to the end */
	memset(long_name, 'L', sizeof(long_name) - 1);
	long_name[sizeof(long_name) - 1] = '\0';
	fix.remote_name = long_name;
	DP_ASSERT_OK(dp_privacy_correct_record(p, 4, &fix, &s, &moved));
	DP_ASSERT_EQ(moved, 7);          /* no room in place: at the end */
	memset(&fix, 0, sizeof(fix));
	fix.delete_record = true;
	DP_ASSERT_OK(dp_privacy_correct_record(p, 5, &fix, &s, NULL));
	DP_ASSERT_EQ(dp_privacy_correct_record(p, 5, &fix, &s, NULL), ENOENT);

	read_store(&c);
	DP_ASSERT_EQ(c.n, 5);
	DP_ASSERT(!c.seen[5]);
	DP_ASSERT(!file_has(path("cdr.ring"), "Planted Person 0003"));

	j = export_json(p, &s);
	items = cJSON_GetObjectItem(cls(j, "call_record_personal_fields"),
				    "items");
	DP_ASSERT_STREQ(cJSON_GetObjectItem(cJSON_GetArrayItem(items, 2),
					    "remote_name")->valuestring,
			"Corrected Name");
	/* the history (the display's cache) follows, newest first */
	items = cJSON_GetObjectItem(cls(j, "call_history"), "items");
	DP_ASSERT_EQ(cJSON_GetArraySize(items), 5);
	DP_ASSERT_STREQ(cJSON_GetObjectItem(cJSON_GetArrayItem(items, 1),
					    "name")->valuestring, long_name);
	DP_ASSERT_STREQ(cJSON_GetObjectItem(cJSON_GetArrayItem(items, 2),
					    "name")->valuestring,
			"Corrected Name");
	cJSON_Delete(j);

	/* contacts: renamed, then deleted */
	DP_ASSERT_OK(dp_privacy_correct_contact(p, "Ann Other", "Ann Smith",
						NULL, &s));
	DP_ASSERT(file_has(path("contacts"), "Ann Smith <sip:ann@pbx.test>"));
	DP_ASSERT(file_has(path("contacts"), "# the directory"));
	DP_ASSERT_OK(dp_privacy_correct_contact(p, "Ann Smith", NULL, NULL,
						&s));
	DP_ASSERT(!file_has(path("contacts"), "ann@pbx.test"));
	DP_ASSERT(file_has(path("contacts"), "Reception <101>"));
	DP_ASSERT_EQ(dp_privacy_correct_contact(p, "Nobody", NULL, NULL, &s),
		     ENOENT);
	mem_deref(p);
}


DP_TEST(history_clear_hides_what_was_shown)
{
	struct dp_privacy *p;
	struct dp_clock_sample s = at(T0, 100, true);
	struct dp_history_view v;
	struct dp_history_entry e[64];
	uint8_t secret[DP_KEY_LEN];
	size_t n;

	plant(40);       /* ten days: seven of them in the history */
	p = open_privacy(NULL);
	load_secret(secret);
	DP_ASSERT_OK(dp_privacy_history_view(p, &s, &v));
	DP_ASSERT_OK(dp_history_read(path("cdr.ring"), secret, &v, 64, e,
				     &n));
	DP_ASSERT_EQ(n, 28);
	DP_ASSERT(e[0].start_ms > e[1].start_ms);

	DP_ASSERT_OK(dp_privacy_history_clear(p, &s));
	DP_ASSERT_OK(dp_privacy_history_view(p, &s, &v));
	DP_ASSERT_OK(dp_history_read(path("cdr.ring"), secret, &v, 64, e,
				     &n));
	DP_ASSERT_EQ(n, 0);
	dp_wipe(secret, sizeof(secret));
	mem_deref(p);
}


/* --- logs ------------------------------------------------------------------ */

DP_TEST(logs_purge_by_age_never_before_an_earlier_line)
{
	struct dp_log_purge how;
	struct dp_log_report r;
	char *t;
	size_t n;

	DP_ASSERT_OK(mkdir(path("log"), 0700));
	write_text(path("log/deskphone.log.1"),
		   "2026-12-01T00:00:00Z old one\n"
		   "2026-12-02T00:00:00Z old two\n");
	/* the clock went back to 2026-11 while this was written: the
	 * line still counts as at least as new as the one before it */
	write_text(path("log/deskphone.log"),
		   "2026-12-30T00:00:00Z new one\n"
		   "2026-11-01T00:00:00Z written on a clock set back\n"
		   "no stamp: a continuation\n"
		   "2026-12-31T00:00:00Z new two\n");

	memset(&how, 0, sizeof(how));
	how.cutoff_s = T0 - 7 * DAY;     /* 2026-12-25 */
	DP_ASSERT_OK(dp_logs_purge(path("log"), &how, &r));
	DP_ASSERT_EQ(r.lines_removed, 2);
	DP_ASSERT(access(path("log/deskphone.log.1"), F_OK));
	t = read_text(path("log/deskphone.log"), &n);
	DP_ASSERT_STREQ(t, "2026-12-30T00:00:00Z new one\n"
			"2026-11-01T00:00:00Z written on a clock set back\n"
			"no stamp: a continuation\n"
			"2026-12-31T00:00:00Z new two\n");
	free(t);
}


DP_TEST(logs_find_baresip_trace_blocks)
{
	struct dp_log_info li;
	struct dp_log_purge how;
	struct dp_log_report r;
	char src[4200];
	size_t n;
	char *t;

	DP_ASSERT_OK(mkdir(path("log"), 0700));
	snprintf(src, sizeof(src), "%s/redact/baresip-trace.log",
		 dptest_datadir());
	copy_file(src, path("log/deskphone.log"));
	DP_ASSERT_OK(dp_logs_info(path("log"), &li));
	DP_ASSERT_EQ(li.trace_blocks, 7);     /* grep -c ' #$' */

	memset(&how, 0, sizeof(how));
	how.cutoff_s = INT64_MIN;
	how.drop_traces = true;
	DP_ASSERT_OK(dp_logs_purge(path("log"), &how, &r));
	DP_ASSERT_EQ(r.traces_removed, li.trace_blocks);
	t = read_text(path("log/deskphone.log"), &n);
	/* no SIP message is left, the daemon's own lines are */
	DP_ASSERT(!strstr(t, "SIP/2.0"));
	DP_ASSERT(!strstr(t, "Call-ID:"));
	DP_ASSERT(!strstr(t, " #\n"));
	DP_ASSERT(strstr(t, "dpcore: deskphone"));
	free(t);
}
