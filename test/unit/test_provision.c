/**
 * @file test_provision.c  The provisioning library: parsers and their
 *                         messages, signatures, the stick reader, and
 *                         applying a stick with a failure injected at
 *                         every step
 */
#include <dirent.h>
#include <errno.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <re.h>
#include "base/fileutil.h"
#include "provision/phone_settings.h"
#include "provision/provision.h"
#include "provision/prov_int.h"
#include "privacy/crypto/crypto.h"
#include "privacy/policy/privacy.h"
#include "dptest.h"

#define MAC1 "02:00:00:00:00:01"
#define PW1  "Old-Secret-4711"
#define PW2  "New-Secret-0815"


static const char *path_of(const char *name)
{
	static char buf[32][4096];
	static int n;
	char *p = buf[n++ % 32];

	snprintf(p, 4096, "%s/%s", dptest_tmpdir(), name);

	return p;
}


static void put(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	DP_ASSERT_MSG(f != NULL, "cannot write %s", path);
	fputs(text, f);
	fclose(f);
}


static char *slurp(const char *path)
{
	char *text = NULL;

	DP_ASSERT_OK(dp_read_file(path, 8 * 1024 * 1024, &text, NULL));

	return text;
}


static void sh(const char *fmt, ...)
{
	char cmd[8192];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);

	DP_ASSERT_MSG(0 == system(cmd), "command failed: %s", cmd);
}


struct search {
	const char *want;
	bool found;
};


static void search_msg(const char *msg, void *arg)
{
	struct search *s = arg;

	if (strstr(msg, s->want))
		s->found = true;
}


static bool has_msg(const struct prov_report *rep, const char *want)
{
	struct search s = { want, false };

	prov_report_apply(rep, search_msg, &s);

	return s.found;
}


static void expect_msg(const struct prov_report *rep, const char *want)
{
	DP_ASSERT_MSG(has_msg(rep, want), "no message containing \"%s\""
		      " (first: %s)", want,
		      prov_report_first(rep) ? prov_report_first(rep) : "none");
}


/* --- fields, CSV, JSON ---------------------------------------------------- */

DP_TEST(mac_spellings)
{
	char mac[18], id[13];

	DP_ASSERT_OK(prov_mac_normalise("00:1A:2b:3C:4d:5E", mac));
	DP_ASSERT_STREQ(mac, "00:1a:2b:3c:4d:5e");
	DP_ASSERT_OK(prov_mac_normalise("00-1a-2b-3c-4d-5e", mac));
	DP_ASSERT_OK(prov_mac_normalise("001a2b3c4d5e", mac));
	prov_mac_id(mac, id);
	DP_ASSERT_STREQ(id, "001a2b3c4d5e");

	DP_ASSERT_EQ(prov_mac_normalise("00:1a:2b:3c:4d", mac), EINVAL);
	DP_ASSERT_EQ(prov_mac_normalise("00:1a:2b-3c:4d:5e", mac), EINVAL);
	DP_ASSERT_EQ(prov_mac_normalise("00:1a:2b:3c:4d:5e:6f", mac), EINVAL);
	DP_ASSERT_EQ(prov_mac_normalise("0:01a:2b:3c:4d:5e", mac), EINVAL);
	DP_ASSERT_EQ(prov_mac_normalise("00:1a:2b:3c:4d:5g", mac), EINVAL);
	DP_ASSERT_EQ(prov_mac_normalise("00::1a2b:3c:4d:5e", mac), EINVAL);
}


DP_TEST(field_rules)
{
	DP_ASSERT(!pv_host_port("pbx.example.com"));
	DP_ASSERT(!pv_host_port("10.0.0.1:5061"));
	DP_ASSERT(!pv_host_port("[2001:db8::1]:5060"));
	DP_ASSERT(pv_host_port("a..b"));
	DP_ASSERT(pv_host_port("-a.b"));
	DP_ASSERT(pv_host_port("pbx:0"));
	DP_ASSERT(pv_host_port("pbx:65536"));
	DP_ASSERT(pv_host_port("pbx;lr"));
	DP_ASSERT(pv_host_port("2001:db8::1"));

	DP_ASSERT(!pv_sip_user("+27115550100"));
	DP_ASSERT(pv_sip_user("a@b"));
	DP_ASSERT(pv_sip_user("a;b"));
	DP_ASSERT(pv_password("tab\there"));
	DP_ASSERT(pv_password(""));
	DP_ASSERT(!pv_password("p a s s ;\"<>$"));
	DP_ASSERT(pv_display_name("Bob \"B\""));
	DP_ASSERT(pv_display_name("x${y}"));
	DP_ASSERT(!pv_display_name("Zoë Ndlovu"));
	DP_ASSERT(pv_extension("10a"));
	DP_ASSERT(!pv_extension("*97#"));
	DP_ASSERT(!pv_time_zone("UTC"));
	DP_ASSERT(pv_time_zone("../../etc/passwd"));
	DP_ASSERT(pv_time_zone("/etc/passwd"));

	DP_ASSERT(pv_stick_path("site.json"));
	DP_ASSERT(pv_stick_path("phones/001a2b3c4d5e.json"));
	DP_ASSERT(!pv_stick_path("../site.json"));
	DP_ASSERT(!pv_stick_path("phones/../../x"));
	DP_ASSERT(!pv_stick_path("/etc/passwd"));
	DP_ASSERT(!pv_stick_path("a/b/c"));
	DP_ASSERT(!pv_stick_path("phones//x"));
	DP_ASSERT(!pv_stick_path(".hidden"));
	DP_ASSERT(!pv_stick_path("phones/"));

	DP_ASSERT(pv_phone_id("001a2b3c4d5e"));
	DP_ASSERT(pv_phone_id("serial-PX4-1"));
	DP_ASSERT(!pv_phone_id("001A2B3C4D5E"));
	DP_ASSERT(!pv_phone_id("serial-../x"));

	DP_ASSERT(pv_utf8("Zo\xc3\xab", 4));
	DP_ASSERT(!pv_utf8("\xc3", 1));
	DP_ASSERT(!pv_utf8("\xc0\xaf", 2));          /* overlong '/' */
	DP_ASSERT(!pv_utf8("\xed\xa0\x80", 3));      /* surrogate */
}


struct rows {
	unsigned n;
	struct prov_phone first, last;
	unsigned lines[8];
};


static int on_row(const struct prov_phone *p, unsigned line, void *arg)
{
	struct rows *r = arg;

	if (r->n < 8)
		r->lines[r->n] = line;
	if (r->n == 0)
		r->first = *p;
	r->n++;
	r->last = *p;

	return 0;
}


DP_TEST(csv_quotes_lines_and_errors)
{
	static const char good[] =
		"\xef\xbb\xbf# a comment\n"
		"serial,extension,display_name,sip_user,sip_password,line_keys\r\n"
		"PX-1,100,\"Desk, north\",100,\"p\"\"w\",line\r\n"
		"\n"
		"PX-2,101,\"Two\nlines\",101,\"p,w\",blf:100:Recep;speed:*97\n"
		"PX-3,102,Three,102,\"p,w\",blf:100:Recep;speed:*97\n";
	static const char bad[] =
		"mac,extension,display_name,sip_user,sip_password,line_keys\n"
		"02:00:00:00:00:01,100,A,100,,line\n"
		"02:00:00:00:00:02,101,B,101,pw,blf\n"
		"02:00:00:00:00:03,102,C,102\n"
		"02:00:00:00:00:04,103,D,103,pw,fax:1\n";
	struct prov_report rep;
	struct rows r;

	memset(&r, 0, sizeof(r));
	prov_report_init(&rep);
	DP_ASSERT_EQ(prov_phones_csv("phones.csv", good, sizeof(good) - 1,
				     on_row, &r, &rep), EINVAL);
	DP_ASSERT_EQ(r.n, 2);
	DP_ASSERT_EQ(r.lines[0], 3);
	DP_ASSERT_EQ(r.lines[1], 7);
	DP_ASSERT_STREQ(r.last.serial, "PX-3");
	DP_ASSERT_STREQ(r.first.display_name, "Desk, north");
	DP_ASSERT_STREQ(r.first.sip_password, "p\"w");
	DP_ASSERT_STREQ(r.last.sip_password, "p,w");
	DP_ASSERT_EQ(r.last.nkeys, 2);
	DP_ASSERT_STREQ(r.last.keys[0].target, "100");
	DP_ASSERT_STREQ(r.last.keys[0].label, "Recep");
	DP_ASSERT_STREQ(r.last.keys[1].target, "*97");

	/* the quoted display name spanning lines 5-6 is refused */
	DP_ASSERT_EQ(rep.count, 1);
	expect_msg(&rep, "phones.csv:5: display_name: contains a control");
	prov_report_reset(&rep);

	memset(&r, 0, sizeof(r));
	DP_ASSERT_EQ(prov_phones_csv("phones.csv", bad, sizeof(bad) - 1,
				     on_row, &r, &rep), EINVAL);
	expect_msg(&rep, "phones.csv:2: sip_password: empty");
	expect_msg(&rep, "phones.csv:3: line_keys[1]: target: missing");
	expect_msg(&rep, "phones.csv:4: has 4 fields, the header has 6");
	expect_msg(&rep, "phones.csv:5: line_keys[1]: type must be line");
	DP_ASSERT_EQ(rep.count, 4);
	prov_report_reset(&rep);

	DP_ASSERT_EQ(prov_phones_csv("p.csv", "mac,extension\n", 14, on_row,
				     &r, &rep), EINVAL);
	expect_msg(&rep, "p.csv:1: display_name: column missing");
	prov_report_reset(&rep);

	DP_ASSERT_EQ(prov_phones_csv("p.csv", "a,\"b\nc", 6, on_row, &r,
				     &rep), EINVAL);
	expect_msg(&rep, "p.csv:1: a quoted field is not closed");
	prov_report_reset(&rep);
}


static const char site_ok[] =
	"{\"site\":\"HQ\",\"sip\":{\"registrar\":\"pbx.example:5060\","
	"\"transport\":\"tcp\",\"codecs\":[\"PCMA\",\"G722\"]},"
	"\"time_zone\":\"UTC\",\"privacy\":{\"retention_days\":"
	"{\"call_records\":90}}}";


DP_TEST(site_fields_named_by_path)
{
	struct prov_site site, again;
	struct prov_report rep;
	char *text = NULL;

	prov_report_init(&rep);
	DP_ASSERT_OK(prov_site_parse(&site, "site.json", site_ok,
				     strlen(site_ok), &rep));
	DP_ASSERT_EQ(site.transport, PROV_TCP);
	DP_ASSERT_EQ(site.ncodecs, 2);
	DP_ASSERT_EQ(site.register_interval_s, 600);
	DP_ASSERT_EQ(site.retention_days[PROV_RET_CALL_RECORDS], 90);

	/* what make writes, the phone reads back identically */
	DP_ASSERT_OK(prov_site_print(&site, &text));
	DP_ASSERT_OK(prov_site_parse(&again, "site.json", text, strlen(text),
				     &rep));
	DP_ASSERT_MEMEQ(&site, &again, sizeof(site));
	mem_deref(text);

	text = "{\"site\":\"HQ\",\"sip\":{\"registrar\":\"pbx\","
		"\"transport\":\"sctp\",\"codecs\":[],\"colour\":1},"
		"\"time_zone\":\"UTC\",\"privacy\":{\"retention_days\":"
		"{\"call_records\":0}}}";
	DP_ASSERT_EQ(prov_site_parse(&site, "site.json", text, strlen(text),
				     &rep), EINVAL);
	expect_msg(&rep, "site.json: sip.transport: must be udp, tcp or tls");
	expect_msg(&rep, "site.json: sip.colour: unknown field");
	expect_msg(&rep, "site.json: sip.codecs: empty");
	expect_msg(&rep, "site.json: privacy.retention_days.call_records:"
		   " must be a whole number from 1 to 3650");
	prov_report_reset(&rep);

	/* push registrations: at most the 6 days the privacy policy says */
	text = "{\"site\":\"HQ\",\"sip\":{\"registrar\":\"pbx\","
		"\"transport\":\"udp\",\"codecs\":[\"PCMA\"]},"
		"\"time_zone\":\"UTC\",\"privacy\":{\"retention_days\":"
		"{\"push_registration\":7,\"recordings_and_voicemail\":9}}}";
	DP_ASSERT_EQ(prov_site_parse(&site, "site.json", text, strlen(text),
				     &rep), EINVAL);
	expect_msg(&rep, "site.json: privacy.retention_days.push_registration:"
		   " must be a whole number from 1 to 6");
	prov_report_reset(&rep);

	text = "{\"sip\":{\"transport\":\"udp\",\"codecs\":[\"G729\","
		"\"PCMA\",\"PCMA\"]},\"site\":\"HQ\",\"site\":\"x\"}";
	DP_ASSERT_EQ(prov_site_parse(&site, "site.json", text, strlen(text),
				     &rep), EINVAL);
	expect_msg(&rep, "site.json: sip.registrar: missing");
	expect_msg(&rep, "site.json: time_zone: missing");
	expect_msg(&rep, "site.json: site: appears twice");
	expect_msg(&rep, "site.json: sip.codecs[1]: must be G722, PCMU or");
	expect_msg(&rep, "site.json: sip.codecs[3]: listed twice");
	prov_report_reset(&rep);
}


/* Every provisioned text that becomes a setting refuses control
 * characters, naming the field: a newline would add a settings line of
 * the stick's choosing (issue 15, finding 6; dp_settings_load refuses
 * it again when the phone reads the provisioned settings). */
DP_TEST(provisioned_settings_refuse_control_characters)
{
	struct prov_site site;
	struct prov_report rep;
	const char *text;

	prov_report_init(&rep);
	text = "{\"site\":\"HQ\\nsip_tls_verify no\",\"sip\":"
		"{\"registrar\":\"pbx\",\"transport\":\"udp\","
		"\"codecs\":[\"PCMA\"]},\"time_zone\":\"UTC\"}";
	DP_ASSERT_EQ(prov_site_parse(&site, "site.json", text, strlen(text),
				     &rep), EINVAL);
	expect_msg(&rep, "site.json: site: contains a control character");
	prov_report_reset(&rep);

	DP_ASSERT(pv_text("HQ\rx"));
	DP_ASSERT(pv_display_name("Bob\nsip_tls_verify no"));
	DP_ASSERT(pv_label("Alice\x7f"));
	DP_ASSERT(pv_label("Alice\tJones"));
	DP_ASSERT(pv_target("101\n"));
	DP_ASSERT(pv_sip_user("100\n"));
	DP_ASSERT(pv_extension("100\n"));
	DP_ASSERT(pv_time_zone("UTC\n"));
	DP_ASSERT(!pv_label("Alice Jones"));
}


DP_TEST(json_malformed_refused)
{
	static const struct {
		const char *text;
		size_t len;
		const char *msg;
	} cases[] = {
		{"{\"site\": \"HQ\",\n  \"sip\": }", 0, "site.json:2:10:"
		 " malformed JSON"},
		{"{\"site\":\"HQ\"} {}", 0, "malformed JSON"},
		{"[1,2]", 0, "must hold one JSON object"},
		{"{\"site\":\"H\\u0000Q\"}", 0, "contains \\u0000"},
		{"{\"site\":\"H\xffQ\"}", 0, "not valid UTF-8"},
		{"{\"site\":\"HQ\"}\0", 14, "contains a NUL byte"},
		{"", 0, "malformed JSON"},
	};
	struct prov_report rep;
	struct prov_site site;

	prov_report_init(&rep);

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		size_t len = cases[i].len ? cases[i].len :
			strlen(cases[i].text);

		DP_ASSERT_EQ(prov_site_parse(&site, "site.json",
					     cases[i].text, len, &rep),
			     EINVAL);
		expect_msg(&rep, cases[i].msg);
		prov_report_reset(&rep);
	}
}


DP_TEST(phone_entry_never_echoes_the_password)
{
	struct prov_report rep;
	struct prov_phone p;
	const char *text =
		"{\"mac\":\"" MAC1 "\",\"extension\":\"201\","
		"\"display_name\":\"Desk\",\"sip_user\":\"201\","
		"\"sip_password\":\"tab\\there-Secret\",\"fax\":true}";

	prov_report_init(&rep);
	DP_ASSERT_EQ(prov_phone_parse(&p, "phones/x.json", text, strlen(text),
				      &rep), EINVAL);
	expect_msg(&rep, "phones/x.json: sip_password: must be printable"
		   " ASCII");
	expect_msg(&rep, "phones/x.json: fax: unknown field");
	DP_ASSERT(!has_msg(&rep, "Secret"));
	prov_report_reset(&rep);

	text = "{\"extension\":\"201\",\"display_name\":\"Desk\","
		"\"sip_user\":\"201\",\"sip_password\":\"x\","
		"\"line_keys\":[{\"type\":\"blf\"},{\"type\":\"line\","
		"\"target\":\"1\"}]}";
	DP_ASSERT_EQ(prov_phone_parse(&p, "phones/x.json", text, strlen(text),
				      &rep), EINVAL);
	expect_msg(&rep, "phones/x.json: line_keys[1].target: missing");
	expect_msg(&rep, "phones/x.json: line_keys[2].target: a line key has"
		   " no target");
	prov_report_reset(&rep);

	text = "{\"extension\":\"201\",\"display_name\":\"Desk\","
		"\"sip_user\":\"201\",\"sip_password\":\"x\"}";
	DP_ASSERT_EQ(prov_phone_parse(&p, "phones/x.json", text, strlen(text),
				      &rep), EINVAL);
	expect_msg(&rep, "mac, serial: give at least one");
	prov_report_reset(&rep);
}


/* --- keys and signatures -------------------------------------------------- */

DP_TEST(ed25519_sign_verify_tamper)
{
	struct prov_key *k = NULL, *pub = NULL, *back = NULL;
	uint8_t sig[PROV_SIG_LEN];
	char *pem = NULL, msg[] = "manifest bytes";

	DP_ASSERT_OK(prov_key_generate(&k));
	DP_ASSERT_EQ(strlen(prov_key_id(k)), 16);
	DP_ASSERT_OK(prov_sign(k, msg, sizeof(msg), sig));

	DP_ASSERT_OK(prov_key_public_pem(k, &pem));
	DP_ASSERT_OK(prov_key_load_public(&pub, pem, strlen(pem)));
	DP_ASSERT_STREQ(prov_key_id(pub), prov_key_id(k));
	DP_ASSERT_OK(prov_verify(pub, msg, sizeof(msg), sig));

	msg[0] ^= 1;
	DP_ASSERT_EQ(prov_verify(pub, msg, sizeof(msg), sig), EBADMSG);
	msg[0] ^= 1;
	sig[10] ^= 0x40;
	DP_ASSERT_EQ(prov_verify(pub, msg, sizeof(msg), sig), EBADMSG);

	/* saved, 0600, and never overwritten */
	DP_ASSERT_OK(prov_key_save(k, path_of("acme")));
	DP_ASSERT_EQ(prov_key_save(k, path_of("acme")), EEXIST);
	{
		struct stat st;

		DP_ASSERT_OK(stat(path_of("acme.key"), &st));
		DP_ASSERT_EQ(st.st_mode & 0777, 0600);
	}
	DP_ASSERT_OK(prov_key_load_private(&back, path_of("acme.key")));
	DP_ASSERT_STREQ(prov_key_id(back), prov_key_id(k));
	DP_ASSERT_EQ(prov_key_load_private(&pub, path_of("acme.pub")), EINVAL);

	mem_deref(pem);
	mem_deref(k);
	mem_deref(pub);
	mem_deref(back);
}


/* --- sticks and the phone ------------------------------------------------- */

struct phone {
	char root[4096];        /* the stick */
	char state[4096];
	char trusted[4096];
	char local_conf[4096];
	char provdir[4096];
	char secret[4096];
	struct prov_phone_cfg cfg;
};


static void phone_init(struct phone *ph, const char *name)
{
	memset(ph, 0, sizeof(*ph));
	snprintf(ph->state, sizeof(ph->state), "%s/%s", dptest_tmpdir(), name);
	snprintf(ph->trusted, sizeof(ph->trusted), "%s/trusted",
		 dptest_tmpdir());
	re_snprintf(ph->local_conf, sizeof(ph->local_conf),
		    "%s/deskphone.local.conf", ph->state);
	re_snprintf(ph->provdir, sizeof(ph->provdir), "%s/provision",
		    ph->state);
	re_snprintf(ph->secret, sizeof(ph->secret), "%s/device.secret",
		    ph->state);
	DP_ASSERT_OK(dp_mkdir_p(ph->state, 0700));

	ph->cfg.provision_dir = ph->provdir;
	ph->cfg.local_conf = ph->local_conf;
	ph->cfg.device_secret_file = ph->secret;
	ph->cfg.trusted_keys_dir = ph->trusted;
	ph->cfg.mac = MAC1;
}


static void installer_files(const char *password, const char *extra_phone)
{
	char csv[1024];

	put(path_of("site.json"),
	    "{\"site\":\"Test office\",\"sip\":{\"registrar\":\"127.0.0.1:5999\","
	    "\"transport\":\"udp\",\"register_interval_s\":60,"
	    "\"codecs\":[\"PCMU\"]},\"time_zone\":\"UTC\"}");
	snprintf(csv, sizeof(csv),
		 "mac,extension,display_name,sip_user,sip_password,line_keys\n"
		 MAC1 ",201,Desk one,201,%s,line;blf:202:Two\n"
		 "02:00:00:00:00:02,202,Desk two,202,Other-pw-2,line\n%s",
		 password, extra_phone ? extra_phone : "");
	put(path_of("phones.csv"), csv);
}


static void make_key_once(void)
{
	struct prov_key *k = NULL;

	if (0 == access(path_of("acme.key"), F_OK))
		return;

	DP_ASSERT_OK(prov_key_generate(&k));
	DP_ASSERT_OK(prov_key_save(k, path_of("acme")));
	mem_deref(k);
	DP_ASSERT_OK(dp_mkdir_p(path_of("trusted"), 0700));
	sh("cp '%s' '%s/'", path_of("acme.pub"), path_of("trusted"));
}


static void make_stick(const char *root_in, uint64_t version,
		       const char *password, bool tofu)
{
	struct prov_make_opts o;
	struct prov_report rep;
	char root[4096];

	str_ncpy(root, root_in, sizeof(root));

	make_key_once();
	installer_files(password, NULL);
	DP_ASSERT_OK(dp_mkdir_p(root, 0755));

	memset(&o, 0, sizeof(o));
	o.site_path = path_of("site.json");
	o.phones_path = path_of("phones.csv");
	o.key_path = path_of("acme.key");
	o.out_root = root;
	o.version = version;
	o.trust_on_first_use = tofu;

	prov_report_init(&rep);
	DP_ASSERT_MSG(0 == prov_make(&o, &rep, NULL), "make: %s",
		      prov_report_first(&rep));
	prov_report_reset(&rep);
}


static const char *password_now(struct phone *ph)
{
	static char pw[129];
	struct list l = LIST_INIT;
	char why[300] = "";
	int err;

	err = prov_accounts_load(&ph->cfg, &l, why, sizeof(why));
	if (err == ENOENT)
		return "(none)";
	DP_ASSERT_MSG(err == 0, "accounts: %s", why);
	DP_ASSERT(l.head != NULL);
	str_ncpy(pw, ((struct prov_account *)l.head->data)->password,
		 sizeof(pw));
	list_flush(&l);

	return pw;
}


static const char *needle;
static bool found_plain;


static int grep_file(const char *path, const struct stat *st, int flag,
		     struct FTW *ftw)
{
	char *text = NULL;
	size_t len = 0;
	(void)ftw;

	if (flag != FTW_F || !S_ISREG(st->st_mode))
		return 0;

	if (0 == dp_read_file(path, 16 * 1024 * 1024, &text, &len)) {
		if (memmem(text, len, needle, strlen(needle))) {
			fprintf(stderr, "plaintext password in %s\n", path);
			found_plain = true;
		}
		mem_deref(text);
	}

	return 0;
}


static bool plaintext_in(const char *dir, const char *secret)
{
	needle = secret;
	found_plain = false;
	(void)nftw(dir, grep_file, 16, FTW_PHYS);

	return found_plain;
}


static enum prov_result apply(struct phone *ph, const char *root,
			      struct prov_outcome *out)
{
	DP_ASSERT_OK(prov_apply(&ph->cfg, root, out));

	return out->result;
}


DP_TEST(apply_replay_and_rollback)
{
	struct prov_outcome out;
	struct prov_current cur;
	struct phone ph;
	char *result;

	phone_init(&ph, "phone");
	make_stick(path_of("v5"), 5, PW1, false);
	make_stick(path_of("v7"), 7, PW2, false);
	make_stick(path_of("v6"), 6, PW1, false);

	DP_ASSERT_EQ(apply(&ph, path_of("v5"), &out), PROV_APPLIED);
	DP_ASSERT_STREQ(password_now(&ph), PW1);
	DP_ASSERT(out.result_written);
	DP_ASSERT_STREQ(out.phone_id, "020000000001");

	result = slurp(path_of("v5/" PROV_FOLDER "/results/020000000001.json"));
	DP_ASSERT(strstr(result, "\"result\":\"applied\"") != NULL);
	DP_ASSERT(strstr(result, "\"version\":5") != NULL);
	DP_ASSERT_EQ(strlen(result), PROV_RESULT_SIZE);
	mem_deref(result);

	DP_ASSERT_EQ(apply(&ph, path_of("v5"), &out), PROV_UNCHANGED);

	DP_ASSERT_EQ(apply(&ph, path_of("v7"), &out), PROV_APPLIED);
	DP_ASSERT_STREQ(password_now(&ph), PW2);

	/* replay of an older, validly signed stick */
	DP_ASSERT_EQ(apply(&ph, path_of("v6"), &out), PROV_REFUSED);
	DP_ASSERT(strstr(out.reason, "version 6 is older than version 7"));
	DP_ASSERT_STREQ(password_now(&ph), PW2);

	/* rollback swaps v5 back; twice undoes it */
	DP_ASSERT_OK(prov_rollback(&ph.cfg, &out));
	DP_ASSERT_EQ(out.result, PROV_APPLIED);
	DP_ASSERT_STREQ(password_now(&ph), PW1);
	DP_ASSERT_OK(prov_current(ph.local_conf, &cur));
	DP_ASSERT_EQ(cur.version, 5);

	/* rolled back: v6 still counts as a replay (v7 was applied) */
	DP_ASSERT_EQ(apply(&ph, path_of("v6"), &out), PROV_REFUSED);
	/* the same v7 stick may be applied again */
	DP_ASSERT_EQ(apply(&ph, path_of("v7"), &out), PROV_APPLIED);
	DP_ASSERT_STREQ(password_now(&ph), PW2);

	DP_ASSERT_OK(prov_rollback(&ph.cfg, &out));
	DP_ASSERT_OK(prov_rollback(&ph.cfg, &out));
	DP_ASSERT_STREQ(password_now(&ph), PW2);

	DP_ASSERT(!plaintext_in(ph.state, PW1));
	DP_ASSERT(!plaintext_in(ph.state, PW2));
}


DP_TEST(rollback_to_unprovisioned_keeps_other_lines)
{
	struct prov_outcome out;
	struct phone ph;
	char *text;

	phone_init(&ph, "phone");
	put(ph.local_conf, "# the user's own\nring_volume 7\n");
	make_stick(path_of("v1"), 1, PW1, false);

	DP_ASSERT_EQ(apply(&ph, path_of("v1"), &out), PROV_APPLIED);
	text = slurp(ph.local_conf);
	DP_ASSERT(strstr(text, "ring_volume 7\n") != NULL);
	DP_ASSERT(strstr(text, "provision_version 1\n") != NULL);
	DP_ASSERT(strstr(text, "line_key_2 blf 202 Two\n") != NULL);
	mem_deref(text);

	DP_ASSERT_OK(prov_rollback(&ph.cfg, &out));
	DP_ASSERT_EQ(out.result, PROV_APPLIED);
	text = slurp(ph.local_conf);
	DP_ASSERT_STREQ(text, "# the user's own\nring_volume 7\n");
	mem_deref(text);
	DP_ASSERT_STREQ(password_now(&ph), "(none)");

	DP_ASSERT_OK(prov_rollback(&ph.cfg, &out));
	DP_ASSERT_EQ(out.result, PROV_REFUSED);
}


/* Re-sign a stick whose files were edited (for forged but signed input). */
static void resign(const char *root, const char *manifest)
{
	struct prov_key *k = NULL;
	struct prov_sig sig;
	char path[4096], *text = NULL;

	DP_ASSERT_OK(prov_key_load_private(&k, path_of("acme.key")));
	snprintf(path, sizeof(path), "%s/" PROV_FOLDER "/manifest.json", root);
	put(path, manifest);
	memset(&sig, 0, sizeof(sig));
	str_ncpy(sig.key_id, prov_key_id(k), sizeof(sig.key_id));
	DP_ASSERT_OK(prov_sign(k, manifest, strlen(manifest), sig.sig));
	DP_ASSERT_OK(prov_sig_print(&sig, &text));
	snprintf(path, sizeof(path), "%s/" PROV_FOLDER "/manifest.sig", root);
	put(path, text);
	mem_deref(text);
	mem_deref(k);
}


static char *manifest_with(const char *root, const char *from, const char *to)
{
	char path[4096], *text, *at, *out = NULL;

	snprintf(path, sizeof(path), "%s/" PROV_FOLDER "/manifest.json", root);
	text = slurp(path);
	at = strstr(text, from);
	DP_ASSERT_MSG(at != NULL, "manifest has no \"%s\"", from);
	DP_ASSERT_OK(re_sdprintf(&out, "%b%s%s", text, (size_t)(at - text),
				 to, at + strlen(from)));
	mem_deref(text);

	return out;
}


DP_TEST(bad_sticks_refused_state_untouched)
{
	struct prov_outcome out;
	struct phone ph;
	char *before, *after, *m, path[4096];
	const char *root;

	phone_init(&ph, "phone");
	make_stick(path_of("good"), 10, PW1, false);
	DP_ASSERT_EQ(apply(&ph, path_of("good"), &out), PROV_APPLIED);
	before = slurp(ph.local_conf);

#define REFUSED(why) do { \
		DP_ASSERT_EQ(apply(&ph, root, &out), PROV_REFUSED); \
		DP_ASSERT_MSG(strstr(out.reason, why), "reason: %s", \
			      out.reason); \
		after = slurp(ph.local_conf); \
		DP_ASSERT_STREQ(after, before); \
		mem_deref(after); \
		DP_ASSERT_STREQ(password_now(&ph), PW1); \
	} while (0)

	/* no folder at all */
	root = path_of("empty");
	DP_ASSERT_OK(dp_mkdir_p(root, 0755));
	REFUSED("no deskphone-provisioning folder");

	/* edited after signing */
	root = path_of("edited");
	make_stick(root, 11, PW2, false);
	snprintf(path, sizeof(path), "%s/" PROV_FOLDER "/phones/020000000001.json",
		 root);
	sh("sed -i 's/Desk one/Desk One/' '%s'", path);
	REFUSED("phones/020000000001.json: does not match manifest.json");

	/* manifest edited after signing */
	root = path_of("badsig");
	make_stick(root, 12, PW2, false);
	sh("sed -i 's/Test office/Test 0ffice/' '%s/" PROV_FOLDER
	   "/manifest.json'", root);
	REFUSED("manifest.sig: the signature does not verify");

	/* no signature */
	root = path_of("nosig");
	make_stick(root, 13, PW2, false);
	sh("rm '%s/" PROV_FOLDER "/manifest.sig'", root);
	REFUSED("manifest.sig: missing");

	/* signed by a key the phone does not trust */
	root = path_of("otherkey");
	make_stick(root, 14, PW2, false);
	{
		struct prov_key *k = NULL;

		DP_ASSERT_OK(prov_key_generate(&k));
		sh("rm -f '%s'", path_of("acme.key"));
		sh("mv '%s' '%s'", path_of("acme.pub"), path_of("acme.pub.keep"));
		DP_ASSERT_OK(prov_key_save(k, path_of("acme")));
		m = manifest_with(root, "\"key_id\":", "\"key_id\":");
		resign(root, m);
		mem_deref(m);
		mem_deref(k);
	}
	REFUSED("which this phone does not trust");

	mem_deref(before);
#undef REFUSED
}


DP_TEST(forged_content_refused_with_reasons)
{
	struct prov_outcome out;
	struct phone ph;
	char *before, *after, *m, path[4096];
	const char *root;

	phone_init(&ph, "phone");
	make_stick(path_of("good"), 10, PW1, false);
	DP_ASSERT_EQ(apply(&ph, path_of("good"), &out), PROV_APPLIED);
	before = slurp(ph.local_conf);

#define REFUSED(why) do { \
		DP_ASSERT_EQ(apply(&ph, root, &out), PROV_REFUSED); \
		DP_ASSERT_MSG(strstr(out.reason, why), "reason: %s", \
			      out.reason); \
		after = slurp(ph.local_conf); \
		DP_ASSERT_STREQ(after, before); \
		mem_deref(after); \
	} while (0)

	/* a listed path that leaves the folder */
	root = path_of("escape");
	make_stick(root, 20, PW2, false);
	m = manifest_with(root, "\"site.json\":", "\"../../etc/passwd\":"
			  "{\"size\":1,\"sha256\":\"" "00000000000000000000"
			  "000000000000000000000000000000000000000000000\"},"
			  "\"site.json\":");
	resign(root, m);
	mem_deref(m);
	REFUSED("manifest.json: files.../../etc/passwd: not a path");

	/* this phone's entry is a symbolic link out of the stick */
	root = path_of("symlink");
	make_stick(root, 21, PW2, false);
	snprintf(path, sizeof(path), "%s/" PROV_FOLDER "/phones/020000000001.json",
		 root);
	sh("cp '%s' '%s.x' && rm '%s' && ln -s /etc/passwd '%s'", path,
	   path_of("copy"), path, path);
	REFUSED("phones/020000000001.json: a symbolic link (refused)");

	/* the whole folder a symbolic link */
	root = path_of("linkfolder");
	DP_ASSERT_OK(dp_mkdir_p(root, 0755));
	sh("ln -s '%s/" PROV_FOLDER "' '%s/" PROV_FOLDER "'", path_of("good"),
	   root);
	REFUSED("deskphone-provisioning is a symbolic link");

	/* far too large a file, signed */
	root = path_of("large");
	make_stick(root, 22, PW2, false);
	snprintf(path, sizeof(path), "%s/" PROV_FOLDER "/site.json", root);
	sh("head -c 200000 /dev/zero | tr '\\0' ' ' >> '%s'", path);
	m = manifest_with(root, "\"site.json\":", "\"site.json\":");
	resign(root, m);
	mem_deref(m);
	REFUSED("site.json: larger than 65536 bytes");

	/* no entry for this phone */
	root = path_of("noentry");
	make_stick(root, 23, PW2, false);
	ph.cfg.mac = "02:00:00:00:00:99";
	DP_ASSERT_EQ(apply(&ph, root, &out), PROV_REFUSED);
	DP_ASSERT(strstr(out.reason, "no entry for this phone (MAC"
			 " 02:00:00:00:00:99)"));
	ph.cfg.mac = MAC1;
	snprintf(path, sizeof(path), "%s/" PROV_FOLDER
		 "/results/020000000099.json", root);
	after = slurp(path);
	DP_ASSERT(strstr(after, "\"result\":\"refused\""));
	mem_deref(after);

	/* an entry that is for another phone */
	root = path_of("swapped");
	make_stick(root, 24, PW2, false);
	m = manifest_with(root, "\"020000000001\":\t\"phones/020000000001",
			  "\"020000000001\":\t\"phones/020000000002");
	resign(root, m);
	mem_deref(m);
	REFUSED("phones/020000000002.json: mac: is not this phone's MAC");

	/* a signed but invalid field */
	root = path_of("badfield");
	make_stick(root, 25, PW2, false);
	snprintf(path, sizeof(path), "%s/" PROV_FOLDER "/site.json", root);
	sh("sed -i 's/\"udp\"/\"xyz\"/' '%s'", path);
	{
		/* new hash for the edited file */
		char *site = slurp(path), sha[65];
		uint8_t d[32];
		char *old;

		DP_ASSERT_OK(dp_sha256(site, strlen(site), d));
		re_snprintf(sha, sizeof(sha), "%w", d, (size_t)32);
		old = manifest_with(root, "\"site.json\":", "\"site.json\":");
		{
			char *p = strstr(old, "\"site.json\":");
			char *s = strstr(p, "\"sha256\":\t\"") + 11;

			memcpy(s, sha, 64);
		}
		resign(root, old);
		mem_deref(old);
		mem_deref(site);
	}
	REFUSED("site.json: sip.transport: must be udp, tcp or tls");

	mem_deref(before);
#undef REFUSED
}


DP_TEST(trust_on_first_use_needs_both_sides_and_a_person)
{
	struct prov_outcome out;
	struct phone ph;
	char key[17], digest[65], pin[4096];

	phone_init(&ph, "phone");
	make_stick(path_of("plain"), 30, PW1, false);
	make_stick(path_of("tofu"), 31, PW1, true);
	ph.cfg.trusted_keys_dir = path_of("no-such-dir");
	re_snprintf(pin, sizeof(pin), "%s/trusted-keys", ph.provdir);

	ph.cfg.tofu = PROV_TOFU_NO;
	ph.cfg.trust.confirm = PROV_CONFIRM_YES;
	DP_ASSERT_EQ(apply(&ph, path_of("tofu"), &out), PROV_REFUSED);
	DP_ASSERT(strstr(out.reason, "trust on first use is off"));

	ph.cfg.tofu = PROV_TOFU_ASK;
	DP_ASSERT_EQ(apply(&ph, path_of("plain"), &out), PROV_REFUSED);
	DP_ASSERT(strstr(out.reason, "does not ask to be trusted"));
	DP_ASSERT(!out.trust_asked);

	/* nobody asked yet: refused, the question in the outcome, nothing
	 * pinned, nothing applied */
	ph.cfg.trust.confirm = PROV_CONFIRM_NONE;
	DP_ASSERT_EQ(apply(&ph, path_of("tofu"), &out), PROV_REFUSED);
	DP_ASSERT(out.trust_asked);
	DP_ASSERT(strstr(out.reason, "a person at the phone must confirm"));
	DP_ASSERT_EQ(strlen(out.key_id), 16);
	DP_ASSERT_STREQ(out.site, "Test office");
	DP_ASSERT_EQ(strlen(out.manifest_sha256), 64);
	DP_ASSERT(access(pin, F_OK) != 0);
	DP_ASSERT_STREQ(password_now(&ph), "(none)");
	str_ncpy(key, out.key_id, sizeof(key));
	str_ncpy(digest, out.manifest_sha256, sizeof(digest));

	/* the person said no: refused, and why */
	ph.cfg.trust.confirm = PROV_CONFIRM_NO;
	str_ncpy(ph.cfg.trust.why, "nobody answered within 60 s",
		 sizeof(ph.cfg.trust.why));
	DP_ASSERT_EQ(apply(&ph, path_of("tofu"), &out), PROV_REFUSED);
	DP_ASSERT(!out.trust_asked);
	DP_ASSERT(strstr(out.reason, "not confirmed at the phone: nobody"
			 " answered within 60 s"));
	DP_ASSERT(access(pin, F_OK) != 0);

	/* a yes for another key, or for another manifest, pins nothing */
	memset(&ph.cfg.trust, 0, sizeof(ph.cfg.trust));
	ph.cfg.trust.confirm = PROV_CONFIRM_YES;
	str_ncpy(ph.cfg.trust.key_id, "0123456789abcdef",
		 sizeof(ph.cfg.trust.key_id));
	DP_ASSERT_EQ(apply(&ph, path_of("tofu"), &out), PROV_REFUSED);
	DP_ASSERT(strstr(out.reason, "which was confirmed at the phone"));
	str_ncpy(ph.cfg.trust.key_id, key, sizeof(ph.cfg.trust.key_id));
	str_ncpy(ph.cfg.trust.manifest_sha256, "00",
		 sizeof(ph.cfg.trust.manifest_sha256));
	DP_ASSERT_EQ(apply(&ph, path_of("tofu"), &out), PROV_REFUSED);
	DP_ASSERT(strstr(out.reason, "changed after key"));
	DP_ASSERT(access(pin, F_OK) != 0);

	/* yes for this key and this manifest: applied and pinned */
	str_ncpy(ph.cfg.trust.manifest_sha256, digest,
		 sizeof(ph.cfg.trust.manifest_sha256));
	DP_ASSERT_EQ(apply(&ph, path_of("tofu"), &out), PROV_APPLIED);
	DP_ASSERT(out.key_pinned);
	DP_ASSERT_STREQ(password_now(&ph), PW1);
	re_snprintf(pin, sizeof(pin), "%s/trusted-keys/%s.pub", ph.provdir,
		    key);
	DP_ASSERT(access(pin, F_OK) == 0);

	/* pinned now: another key is refused without a question, even
	 * with --trust-on-first-use and a yes for any key */
	sh("rm -f '%s' '%s'", path_of("acme.key"), path_of("acme.pub"));
	make_stick(path_of("tofu2"), 32, PW2, true);
	memset(&ph.cfg.trust, 0, sizeof(ph.cfg.trust));
	ph.cfg.trust.confirm = PROV_CONFIRM_YES;
	DP_ASSERT_EQ(apply(&ph, path_of("tofu2"), &out), PROV_REFUSED);
	DP_ASSERT(strstr(out.reason, "which this phone does not trust"));
	DP_ASSERT(!out.trust_asked);
	DP_ASSERT_STREQ(password_now(&ph), PW1);
}


DP_TEST(trust_on_first_use_setting)
{
	enum prov_tofu t = PROV_TOFU_NO;
	bool old_yes = true;

	DP_ASSERT_OK(prov_tofu_parse("ask", &t, &old_yes));
	DP_ASSERT_EQ(t, PROV_TOFU_ASK);
	DP_ASSERT(!old_yes);
	DP_ASSERT_OK(prov_tofu_parse("no", &t, &old_yes));
	DP_ASSERT_EQ(t, PROV_TOFU_NO);
	/* the old unattended "yes" asks a person now */
	DP_ASSERT_OK(prov_tofu_parse("yes", &t, &old_yes));
	DP_ASSERT_EQ(t, PROV_TOFU_ASK);
	DP_ASSERT(old_yes);
	DP_ASSERT_EQ(prov_tofu_parse("always", &t, NULL), EINVAL);
	DP_ASSERT_EQ(prov_tofu_parse("", &t, NULL), EINVAL);
}


struct faults {
	unsigned n;
	unsigned fail_at;
	char what[64];
};


static int fault_hook(const char *op, const char *path, void *arg)
{
	struct faults *f = arg;
	(void)path;

	if (++f->n != f->fail_at)
		return 0;

	snprintf(f->what, sizeof(f->what), "%s", op);

	return 0 == strcmp(op, "read") ? EIO : ENOSPC;
}


/*
 * Pull the stick, fill the flash or fill the stick at every single step
 * of an apply: the phone ends up exactly on the old configuration or
 * exactly on the new one, never between.
 */
DP_TEST(failure_at_every_step_is_all_or_nothing)
{
	struct prov_outcome out;
	struct faults f;
	struct phone ph;
	char *before;
	unsigned steps, refused = 0, applied = 0, pending = 0;

	phone_init(&ph, "base");
	make_stick(path_of("v1"), 1, PW1, false);
	make_stick(path_of("v2"), 2, PW2, false);
	DP_ASSERT_EQ(apply(&ph, path_of("v1"), &out), PROV_APPLIED);
	before = slurp(ph.local_conf);

	/* count the steps of a clean run */
	sh("cp -a '%s' '%s'", ph.state, path_of("count"));
	phone_init(&ph, "count");
	memset(&f, 0, sizeof(f));
	ph.cfg.io.fault = fault_hook;
	ph.cfg.io.arg = &f;
	DP_ASSERT_EQ(apply(&ph, path_of("v2"), &out), PROV_APPLIED);
	steps = f.n;
	DP_ASSERT(steps >= 10);

	for (unsigned k = 1; k <= steps; k++) {
		char name[32], *now;
		struct prov_current cur;

		snprintf(name, sizeof(name), "run%u", k);
		sh("cp -a '%s' '%s'", path_of("base"), path_of(name));
		sh("rm -rf '%s/" PROV_FOLDER "/results'", path_of("v2"));
		phone_init(&ph, name);
		memset(&f, 0, sizeof(f));
		f.fail_at = k;
		ph.cfg.io.fault = fault_hook;
		ph.cfg.io.arg = &f;

		apply(&ph, path_of("v2"), &out);
		DP_ASSERT_OK(prov_current(ph.local_conf, &cur));

		if (out.result == PROV_REFUSED) {
			now = slurp(ph.local_conf);
			DP_ASSERT_MSG(0 == strcmp(now, before), "step %u (%s):"
				      " refused but the configuration changed",
				      k, f.what);
			mem_deref(now);
			DP_ASSERT_EQ(cur.version, 1);
			DP_ASSERT_STREQ(password_now(&ph), PW1);
			++refused;
		}
		else {
			DP_ASSERT_EQ(out.result, PROV_APPLIED);
			DP_ASSERT_EQ(cur.version, 2);
			DP_ASSERT_STREQ(password_now(&ph), PW2);
			++applied;

			/* the final result could not be written: the stick
			 * keeps saying "pending", the outcome says why */
			if (0 == strcmp(f.what, "result")) {
				now = slurp(path_of("v2/" PROV_FOLDER
						    "/results/020000000001.json"));
				DP_ASSERT(strstr(now, "\"result\":\"pending\""));
				mem_deref(now);
				DP_ASSERT(!out.result_written);
				DP_ASSERT(strstr(out.result_note, "could not be"
						 " written"));
				++pending;
			}
		}

		DP_ASSERT(!plaintext_in(ph.state, PW1));
		DP_ASSERT(!plaintext_in(ph.state, PW2));
	}

	/* failures before the commit refuse, the ones after it do not */
	fprintf(stderr, "# failure injected at each of %u steps: %u refused,"
		" %u applied\n", steps, refused, applied);
	DP_ASSERT(refused >= 8);
	DP_ASSERT(applied >= 2);
	DP_ASSERT_EQ(pending, 1);
	mem_deref(before);
}


DP_TEST(full_stick_refused_before_anything_changes)
{
	struct prov_outcome out;
	struct phone ph;
	char *before, *after;

	phone_init(&ph, "phone");
	make_stick(path_of("v1"), 1, PW1, false);
	make_stick(path_of("v2"), 2, PW2, false);
	DP_ASSERT_EQ(apply(&ph, path_of("v1"), &out), PROV_APPLIED);
	before = slurp(ph.local_conf);

	/* a results directory that cannot be made stands for a full stick */
	sh("rm -rf '%s/" PROV_FOLDER "/results' && touch '%s/" PROV_FOLDER
	   "/results'", path_of("v2"), path_of("v2"));
	DP_ASSERT_EQ(apply(&ph, path_of("v2"), &out), PROV_REFUSED);
	DP_ASSERT_MSG(strstr(out.reason, "the result file could not be written"
			     " to the stick") &&
		      strstr(out.reason, "nothing was changed"), "reason: %s",
		      out.reason);
	after = slurp(ph.local_conf);
	DP_ASSERT_STREQ(after, before);
	mem_deref(after);
	DP_ASSERT_STREQ(password_now(&ph), PW1);

	/* --no-result: applied without writing to the stick */
	ph.cfg.no_result = true;
	DP_ASSERT_EQ(apply(&ph, path_of("v2"), &out), PROV_APPLIED);
	DP_ASSERT_STREQ(password_now(&ph), PW2);

	mem_deref(before);
}


DP_TEST(sealed_store_bound_to_this_phone)
{
	struct prov_outcome out;
	struct list l = LIST_INIT;
	struct phone ph;
	char why[300] = "";
	uint8_t other[DP_KEY_LEN];

	phone_init(&ph, "phone");
	make_stick(path_of("v1"), 1, PW1, false);
	DP_ASSERT_EQ(apply(&ph, path_of("v1"), &out), PROV_APPLIED);
	DP_ASSERT(!plaintext_in(ph.state, PW1));

	/* another phone's device secret opens nothing */
	DP_ASSERT_OK(dp_random(other, sizeof(other)));
	DP_ASSERT_OK(dp_write_atomic(ph.secret, other, sizeof(other), 0600));
	DP_ASSERT_EQ(prov_accounts_load(&ph.cfg, &l, why, sizeof(why)),
		     EBADMSG);
	DP_ASSERT(strstr(why, "cannot be unsealed"));
	DP_ASSERT(l.head == NULL);
}


DP_TEST(verify_checks_every_entry)
{
	struct prov_stick_summary sum;
	struct prov_key *pub = NULL;
	struct prov_report rep;
	char *pem, path[4096];
	const char *root = path_of("stick");

	make_stick(root, 3, PW1, false);
	pem = slurp(path_of("acme.pub"));
	DP_ASSERT_OK(prov_key_load_public(&pub, pem, strlen(pem)));
	mem_deref(pem);

	prov_report_init(&rep);
	DP_ASSERT_OK(prov_verify_stick(root, pub, &rep, &sum));
	DP_ASSERT_EQ(sum.version, 3);
	DP_ASSERT_EQ(sum.phones, 2);

	snprintf(path, sizeof(path), "%s/" PROV_FOLDER
		 "/phones/020000000002.json", root);
	sh("sed -i 's/Desk two/Desk 2/' '%s'", path);
	DP_ASSERT_EQ(prov_verify_stick(root, pub, &rep, &sum), EINVAL);
	expect_msg(&rep, "phones/020000000002.json: does not match");
	prov_report_reset(&rep);
	mem_deref(pub);
}


DP_TEST(make_refuses_duplicates_and_writes_nothing)
{
	struct prov_make_opts o;
	struct prov_report rep;
	const char *root = path_of("stick");

	make_key_once();
	installer_files(PW1, "02:00:00:00:00:03,201,Dup,203,pw,line\n");
	DP_ASSERT_OK(dp_mkdir_p(root, 0755));

	memset(&o, 0, sizeof(o));
	o.site_path = path_of("site.json");
	o.phones_path = path_of("phones.csv");
	o.key_path = path_of("acme.key");
	o.out_root = root;

	prov_report_init(&rep);
	DP_ASSERT_EQ(prov_make(&o, &rep, NULL), EINVAL);
	expect_msg(&rep, "phones.csv:4: extension: the same as on line 2");
	DP_ASSERT(access(path_of("stick/" PROV_FOLDER), F_OK) != 0);
	prov_report_reset(&rep);

	/* versions only go up */
	make_stick(root, 9, PW1, false);
	o.version = 9;
	installer_files(PW1, NULL);
	DP_ASSERT_EQ(prov_make(&o, &rep, NULL), EINVAL);
	expect_msg(&rep, "the stick already holds version 9");
	prov_report_reset(&rep);
}


DP_TEST(identity_from_interfaces_and_settings)
{
	struct prov_phone_cfg cfg;
	struct prov_identity id;
	char why[200];
	const char *net = path_of("net");

	sh("mkdir -p '%s/lo' '%s/dummy0' '%s/eth0' '%s/wlan0'", net, net, net,
	   net);
	put(path_of("net/lo/address"), "00:00:00:00:00:00\n");
	put(path_of("net/dummy0/address"), "00:00:00:00:00:00\n");
	put(path_of("net/eth0/address"), "02:AB:cd:00:00:10\n");
	put(path_of("net/wlan0/address"), "02:ab:cd:00:00:20\n");

	memset(&cfg, 0, sizeof(cfg));
	cfg.sysfs_net = net;

	/* the first interface by name with a real MAC */
	DP_ASSERT_OK(prov_identity(&cfg, &id, why, sizeof(why)));
	DP_ASSERT_STREQ(id.mac, "02:ab:cd:00:00:10");
	DP_ASSERT_STREQ(id.mac_id, "02abcd000010");
	DP_ASSERT_STREQ(id.interface, "eth0");

	cfg.mac_interface = "wlan0";
	DP_ASSERT_OK(prov_identity(&cfg, &id, why, sizeof(why)));
	DP_ASSERT_STREQ(id.mac, "02:ab:cd:00:00:20");

	cfg.mac_interface = "eth9";
	DP_ASSERT_EQ(prov_identity(&cfg, &id, why, sizeof(why)), ENOENT);
	DP_ASSERT(strstr(why, "interface eth9"));

	cfg.mac_interface = NULL;
	cfg.mac = "02-00-00-00-00-05";
	cfg.serial = "PX4-7";
	DP_ASSERT_OK(prov_identity(&cfg, &id, why, sizeof(why)));
	DP_ASSERT_STREQ(id.mac_id, "020000000005");
	DP_ASSERT_STREQ(id.serial_id, "serial-PX4-7");

	cfg.serial = "../x";
	DP_ASSERT_EQ(prov_identity(&cfg, &id, why, sizeof(why)), EINVAL);

	cfg.mac = NULL;
	cfg.serial = NULL;
	cfg.sysfs_net = path_of("nothing-here");
	DP_ASSERT_EQ(prov_identity(&cfg, &id, why, sizeof(why)), ENOENT);
	DP_ASSERT(strstr(why, "neither a MAC address nor a serial"));
}


DP_TEST(serial_finds_the_entry_when_the_mac_does_not)
{
	struct prov_make_opts o;
	struct prov_report rep;
	struct prov_outcome out;
	struct phone ph;

	make_key_once();
	installer_files(PW1, NULL);
	put(path_of("phones.csv"),
	    "serial,mac,extension,display_name,sip_user,sip_password\n"
	    "PX-9,,209,By serial,209," PW2 "\n");
	DP_ASSERT_OK(dp_mkdir_p(path_of("stick"), 0755));
	memset(&o, 0, sizeof(o));
	o.site_path = path_of("site.json");
	o.phones_path = path_of("phones.csv");
	o.key_path = path_of("acme.key");
	o.out_root = path_of("stick");
	prov_report_init(&rep);
	DP_ASSERT_OK(prov_make(&o, &rep, NULL));
	prov_report_reset(&rep);

	phone_init(&ph, "phone");
	ph.cfg.serial = "PX-9";
	DP_ASSERT_EQ(apply(&ph, path_of("stick"), &out), PROV_APPLIED);
	DP_ASSERT_STREQ(out.phone_id, "serial-PX-9");
	DP_ASSERT_STREQ(password_now(&ph), PW2);
	DP_ASSERT(access(path_of("stick/" PROV_FOLDER
				 "/results/serial-PX-9.json"), F_OK) == 0);

	/* another serial: no entry, and the reason names both ids */
	phone_init(&ph, "other");
	ph.cfg.serial = "PX-10";
	DP_ASSERT_EQ(apply(&ph, path_of("stick"), &out), PROV_REFUSED);
	DP_ASSERT(strstr(out.reason, "no entry for this phone (MAC "
			 MAC1 ", serial PX-10)"));
}


/* Every retention a stick may set is a class the privacy policy knows
 * (the phone reads them as retention_<class>_days). */
DP_TEST(site_retentions_are_the_privacy_classes)
{
	for (int r = 0; r < PROV_RET_MAX; r++) {
		enum dp_class c;

		DP_ASSERT_MSG(!dp_class_find(prov_retention_name(r), &c),
			      "%s is no privacy class", prov_retention_name(r));
	}
	DP_ASSERT_EQ(PROV_RET_MAX, DP_CLASS_COUNT);
}


/* --- the phone side's settings: one reader for the daemon and the CLI --- */

struct kv { const char *k, *v; };

static int kv_get(const char *name, char *buf, size_t sz, void *arg)
{
	for (const struct kv *kv = arg; kv->k; kv++) {
		if (!strcmp(kv->k, name)) {
			snprintf(buf, sz, "%s", kv->v);
			return 0;
		}
	}

	return ENOENT;
}


DP_TEST(phone_settings_read_by_their_settings_names)
{
	struct kv set[] = {
		{ "provision_dir", "/var/lib/deskphone/provision" },
		{ "local_conf", "/var/lib/deskphone/deskphone.local.conf" },
		{ "device_secret_file", "/var/lib/deskphone/device.secret" },
		{ "provision_allow_tofu", "ask" },
		{ "provision_watch_dir", "/media/deskphone-usb" },
		{ "device_serial", "" },
		{ NULL, NULL }
	};
	struct kv none[] = {
		{ "provision_dir", "/p" }, { "local_conf", "/l" },
		{ NULL, NULL }
	};
	struct prov_phone_settings ps;
	const char *missing = NULL;

	DP_ASSERT_OK(prov_phone_settings_read(&ps, kv_get, set, &missing));
	DP_ASSERT_STREQ(ps.cfg.provision_dir, "/var/lib/deskphone/provision");
	DP_ASSERT_STREQ(ps.cfg.device_secret_file,
			"/var/lib/deskphone/device.secret");
	DP_ASSERT_STREQ(ps.watch_dir, "/media/deskphone-usb");
	DP_ASSERT_EQ(ps.cfg.tofu, PROV_TOFU_ASK);
	DP_ASSERT_EQ(ps.poll_ms, 2000);          /* the defaults */
	DP_ASSERT_EQ(ps.trust_timeout_s, 60);
	DP_ASSERT_STREQ(ps.cfg.serial, "");

	/* a required one missing: named */
	DP_ASSERT_EQ(prov_phone_settings_read(&ps, kv_get, none, &missing),
		     ENOENT);
	DP_ASSERT_STREQ(missing, "device_secret_file");

	/* trust on first use: yes reads as ask, nonsense as no */
	set[3].v = "yes";
	DP_ASSERT_OK(prov_phone_settings_read(&ps, kv_get, set, NULL));
	DP_ASSERT(ps.tofu_old_yes && !ps.tofu_bad);
	DP_ASSERT_EQ(ps.cfg.tofu, PROV_TOFU_ASK);
	set[3].v = "always";
	DP_ASSERT_OK(prov_phone_settings_read(&ps, kv_get, set, NULL));
	DP_ASSERT(ps.tofu_bad);
	DP_ASSERT_EQ(ps.cfg.tofu, PROV_TOFU_NO);
}
