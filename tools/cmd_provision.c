/**
 * @file cmd_provision.c  `deskphone provision`: make and check a signed
 *                        provisioning stick (installer), apply it, roll
 *                        it back and show the state (phone)
 */
#include <dirent.h>
#include <errno.h>
#include <grp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cjson/cJSON.h>
#include <re.h>
#include "base/fileutil.h"
#include "base/settings.h"
#include "provision/phone_settings.h"
#include "provision/provision.h"
#include "cli.h"

extern const struct dp_command dp_command_provision;

/* What a phone-side subcommand takes from the settings: provisioning's
 * own (read as the daemon reads them), and where the daemon is. */
struct phone_settings {
	struct prov_phone_settings prov;
	char *state_dir;
	char *ctrl_socket;
};


static void print_msg(const char *msg, void *arg)
{
	(void)arg;
	fprintf(stderr, "deskphone provision: %s\n", msg);
}


static int print_report(const struct prov_report *rep)
{
	prov_report_apply(rep, print_msg, NULL);
	if (rep->count > 200)
		fprintf(stderr, "deskphone provision: ... and %u more\n",
			rep->count - 200);

	return DP_EXIT_USAGE;
}


/* --- installer ------------------------------------------------------------ */

static int keygen_main(int argc, char **argv)
{
	struct prov_key *k = NULL;
	const char *prefix = NULL;
	int err;

	for (int i = 1; i < argc; i++) {
		if (0 == strcmp(argv[i], "--out") && i + 1 < argc)
			prefix = argv[++i];
		else
			return cli_usage(&dp_command_provision);
	}
	if (!prefix)
		return cli_missing(&dp_command_provision,
				   "keygen --out PREFIX");

	err = prov_key_generate(&k);
	if (!err)
		err = prov_key_save(k, prefix);
	if (err) {
		fprintf(stderr, "deskphone provision keygen: %s: %s\n", prefix,
			err == EEXIST ? "PREFIX.key or PREFIX.pub exists;"
			" not overwriting a key" : strerror(err));
		mem_deref(k);
		return DP_EXIT_FAIL;
	}

	printf("wrote %s.key (private: keep it offline, mode 0600) and"
	       " %s.pub\nkey id %s\n", prefix, prefix, prov_key_id(k));
	mem_deref(k);

	return DP_EXIT_OK;
}


static int make_main(int argc, char **argv)
{
	struct prov_make_opts o;
	struct prov_stick_summary sum;
	struct prov_report rep;
	int err;

	memset(&o, 0, sizeof(o));

	for (int i = 1; i < argc; i++) {
		const char *v = i + 1 < argc ? argv[i + 1] : NULL;

		if (0 == strcmp(argv[i], "--site") && v)
			o.site_path = argv[++i];
		else if (0 == strcmp(argv[i], "--phones") && v)
			o.phones_path = argv[++i];
		else if (0 == strcmp(argv[i], "--key") && v)
			o.key_path = argv[++i];
		else if (0 == strcmp(argv[i], "--out") && v)
			o.out_root = argv[++i];
		else if (0 == strcmp(argv[i], "--version") && v) {
			char *end;

			o.version = strtoull(argv[++i], &end, 10);
			if (*end || !o.version ||
			    o.version >> PROV_MAX_VERSION_BITS) {
				fprintf(stderr, "deskphone provision make:"
					" --version must be a whole number"
					" from 1 to 2^53-1\n");
				return DP_EXIT_USAGE;
			}
		}
		else if (0 == strcmp(argv[i], "--trust-on-first-use"))
			o.trust_on_first_use = true;
		else
			return cli_usage(&dp_command_provision);
	}

	if (!o.site_path || !o.phones_path || !o.key_path || !o.out_root) {
		char what[160];

		re_snprintf(what, sizeof(what), "make%s%s%s%s",
			    o.site_path ? "" : " --site site.json",
			    o.phones_path ? "" : " --phones phones.csv",
			    o.key_path ? "" : " --key PREFIX.key",
			    o.out_root ? "" : " --out STICK");
		return cli_missing(&dp_command_provision, what);
	}

	prov_report_init(&rep);
	err = prov_make(&o, &rep, &sum);
	if (err) {
		int rc = print_report(&rep);

		prov_report_reset(&rep);
		fprintf(stderr, "deskphone provision make: nothing written\n");
		return rc;
	}
	prov_report_reset(&rep);

	printf("wrote %s/%s: version %llu, site \"%s\", %u phones, signed by"
	       " key %s%s\n", o.out_root, PROV_FOLDER,
	       (unsigned long long)sum.version, sum.site, sum.phones,
	       sum.key_id, sum.trust_on_first_use ?
	       " (phones without a trusted key will trust it)" : "");
	printf("The stick now holds SIP passwords: keep it with you and wipe"
	       " it after the roll-out.\n");

	return DP_EXIT_OK;
}


static int verify_main(int argc, char **argv)
{
	const char *pubpath = NULL, *dir = NULL;
	struct prov_stick_summary sum;
	struct prov_key *pub = NULL;
	struct prov_report rep;
	char *pem = NULL;
	size_t len = 0;
	int err;

	for (int i = 1; i < argc; i++) {
		if (0 == strcmp(argv[i], "--pub") && i + 1 < argc)
			pubpath = argv[++i];
		else if (argv[i][0] != '-' && !dir)
			dir = argv[i];
		else
			return cli_usage(&dp_command_provision);
	}
	if (!pubpath || !dir)
		return cli_missing(&dp_command_provision, !pubpath ?
				   "verify --pub PREFIX.pub" : "verify STICK");

	err = dp_read_file(pubpath, PROV_MAX_PUBKEY, &pem, &len);
	if (!err && prov_key_load_public(&pub, pem, len))
		err = EPROTO;
	mem_deref(pem);
	if (err) {
		fprintf(stderr, "deskphone provision verify: %s: %s\n",
			pubpath, err == EPROTO ? "not an Ed25519 public key" :
			strerror(err));
		return DP_EXIT_USAGE;
	}

	prov_report_init(&rep);
	err = prov_verify_stick(dir, pub, &rep, &sum);
	mem_deref(pub);
	if (err) {
		int rc = print_report(&rep);

		prov_report_reset(&rep);
		fprintf(stderr, "deskphone provision verify: %s: NOT valid\n",
			dir);
		return rc;
	}
	prov_report_reset(&rep);

	printf("OK: %s/%s: version %llu, site \"%s\", %u phones, signed by"
	       " key %s%s\n", dir, PROV_FOLDER, (unsigned long long)sum.version,
	       sum.site, sum.phones, sum.key_id, sum.trust_on_first_use ?
	       ", trust on first use" : "");

	return DP_EXIT_OK;
}


static const char *jstr(const cJSON *o, const char *name)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, name);

	return cJSON_IsString(v) ? v->valuestring : "";
}


static double jnum(const cJSON *o, const char *name)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, name);

	return cJSON_IsNumber(v) ? v->valuedouble : 0;
}


/* `<id>.json` in `name`: the id's length, else 0. */
static size_t json_id_len(const char *name)
{
	size_t len = strlen(name);

	if (name[0] == '.' || len < 6 || strcmp(name + len - 5, ".json"))
		return 0;

	return len - 5;
}


/* One phone's line: what results/<id>.json says; `counts` by result. */
static void print_result(const char *stick, const char *id, size_t idlen,
			 unsigned counts[5])
{
	char path[4400], *text = NULL;
	cJSON *o;
	int err;

	re_snprintf(path, sizeof(path), "%s/%s/results/%b.json", stick,
		    PROV_FOLDER, id, idlen);
	err = dp_read_file(path, 64 * 1024, &text, NULL);
	if (err == ENOENT) {
		printf("%-20.*s %-9s %-12s %-20s %s\n", (int)idlen, id,
		       "unvisited", "-", "-", "not yet visited");
		counts[4]++;
	}
	else if (!err && (o = cJSON_Parse(text)) != NULL) {
		const char *r = jstr(o, "result");

		printf("%-20s %-9s %-12.0f %-20s %s\n", jstr(o, "phone"),
		       r, jnum(o, "version"), jstr(o, "time"),
		       jstr(o, "reason"));
		counts[0 == strcmp(r, "applied") ? 0 :
		       0 == strcmp(r, "unchanged") ? 1 :
		       0 == strcmp(r, "refused") ? 2 : 3]++;
		cJSON_Delete(o);
	}
	else {
		printf("%-20.*s %-9s\n", (int)idlen, id, "unreadable");
		counts[3]++;
	}

	mem_deref(text);
}


/* Is `id` (a results/ file's) one of the stick's phones/ entries? */
static bool listed(struct dirent **phones, int nphones, const char *name)
{
	for (int i = 0; i < nphones; i++) {
		if (0 == strcmp(phones[i]->d_name, name))
			return true;
	}

	return false;
}


/*
 * Every phone of the stick's phones/ folder, visited (its results/ file)
 * or not yet; then any result whose phone is not listed (a stick remade
 * for fewer phones).  A stick no phone visited has no results/ folder.
 */
static int results_main(int argc, char **argv)
{
	char dir[4096];
	struct dirent **phones = NULL, **results = NULL;
	unsigned counts[5] = {0};
	int nphones, nresults;

	if (argc < 2)
		return cli_missing(&dp_command_provision, "results STICK");
	if (argc != 2)
		return cli_usage(&dp_command_provision);

	re_snprintf(dir, sizeof(dir), "%s/%s/phones", argv[1], PROV_FOLDER);
	nphones = scandir(dir, &phones, NULL, alphasort);
	if (nphones < 0) {
		fprintf(stderr, "deskphone provision results: %s: %s\n", dir,
			errno == ENOENT ? "no phones list: not a provisioning"
			" stick (see `deskphone provision make`)" :
			strerror(errno));
		return DP_EXIT_FAIL;
	}

	re_snprintf(dir, sizeof(dir), "%s/%s/results", argv[1], PROV_FOLDER);
	nresults = scandir(dir, &results, NULL, alphasort);
	if (nresults < 0 && errno != ENOENT) {
		fprintf(stderr, "deskphone provision results: %s: %s\n", dir,
			strerror(errno));
		for (int i = 0; i < nphones; i++)
			free(phones[i]);
		free(phones);
		return DP_EXIT_FAIL;
	}

	printf("%-20s %-9s %-12s %-20s %s\n", "phone", "result", "version",
	       "time", "reason");

	for (int i = 0; i < nphones; i++) {
		const char *name = phones[i]->d_name;
		size_t idlen = json_id_len(name);

		if (idlen)
			print_result(argv[1], name, idlen, counts);
	}

	for (int i = 0; i < nresults; i++) {
		const char *name = results[i]->d_name;
		size_t idlen = json_id_len(name);

		if (idlen && !listed(phones, nphones, name))
			print_result(argv[1], name, idlen, counts);
		free(results[i]);
	}
	free(results);
	for (int i = 0; i < nphones; i++)
		free(phones[i]);
	free(phones);

	printf("%u applied, %u unchanged, %u refused, %u pending or"
	       " unreadable, %u not yet visited\n", counts[0], counts[1],
	       counts[2], counts[3], counts[4]);

	return DP_EXIT_OK;
}


/* --- phone ------------------------------------------------------------- */

static void phone_settings_reset(struct phone_settings *ps)
{
	mem_deref(ps->state_dir);
	mem_deref(ps->ctrl_socket);
	memset(ps, 0, sizeof(*ps));
}


/* prov_phone_settings_read()'s getter: the settings files. */
static int settings_get(const char *name, char *buf, size_t sz, void *arg)
{
	const struct dp_settings *s = arg;
	char *v;
	int err = 0;

	if (!dp_settings_has(s, name))
		return ENOENT;
	v = cli_setting(s, name);
	if (!v)
		return EINVAL;
	if (strlen(v) >= sz) {
		fprintf(stderr, "deskphone: %s is longer than %zu\n", name,
			sz - 1);
		err = ENAMETOOLONG;
	}
	else {
		str_ncpy(buf, v, sz);
	}
	mem_deref(v);

	return err;
}


static int phone_settings_load(const struct cli_settings_opts *opts,
			       struct phone_settings *ps)
{
	struct dp_settings *s = NULL;
	const char *missing = NULL;
	int err;

	memset(ps, 0, sizeof(*ps));

	if (cli_settings_load(opts, &s))
		return DP_EXIT_USAGE;

	err = prov_phone_settings_read(&ps->prov, settings_get, s, &missing);
	if (err == ENOENT)
		fprintf(stderr, "deskphone: setting %s is not set\n", missing);
	ps->state_dir = cli_setting(s, "state_dir");
	if (dp_settings_has(s, "ctrl_socket"))
		ps->ctrl_socket = cli_setting(s, "ctrl_socket");
	else
		(void)str_dup(&ps->ctrl_socket, "");
	mem_deref(s);

	if (err || !ps->state_dir || !ps->ctrl_socket) {
		phone_settings_reset(ps);
		return DP_EXIT_USAGE;
	}

	if (ps->prov.tofu_bad) {
		fprintf(stderr, "deskphone provision: provision_allow_tofu"
			" must be ask or no\n");
		phone_settings_reset(ps);
		return DP_EXIT_USAGE;
	}
	if (ps->prov.tofu_old_yes)
		fprintf(stderr, "deskphone provision: provision_allow_tofu"
			" yes is read as ask: a new key is trusted only when"
			" confirmed at the phone (or with --trust-new-key)\n");

	return DP_EXIT_OK;
}


/*
 * The daemon runs as the owner of ${state_dir}.  Run as root, we act as
 * that user too, so that what we write stays readable to the daemon.
 */
static int become_state_owner(const char *state_dir)
{
	struct stat st;

	if (geteuid() != 0 || stat(state_dir, &st) < 0 || st.st_uid == 0)
		return 0;

	if (setgroups(0, NULL) < 0 || setgid(st.st_gid) < 0 ||
	    setuid(st.st_uid) < 0) {
		fprintf(stderr, "deskphone provision: cannot switch to the"
			" owner of %s: %s\n", state_dir, strerror(errno));
		return errno;
	}

	return 0;
}


/* Ask a running daemon to load the new accounts; quiet if none runs. */
static void tell_daemon(const char *socket_path)
{
	char *output = NULL;
	const cJSON *accounts;
	cJSON *o = NULL;
	int fd, err;

	if (!socket_path[0])
		return;
	fd = cli_connect_unix(socket_path, 0);
	if (fd < 0) {
		if (errno != ENAMETOOLONG)
			printf("The daemon is not running; it uses the new"
			       " configuration when it starts.\n");
		return;
	}

	err = cli_ctl_cmd(fd, "dpprov_reload", 10000, NULL, &output);
	close(fd);
	if (!err)
		o = cJSON_Parse(output);
	mem_deref(output);
	accounts = cJSON_GetObjectItemCaseSensitive(o, "accounts");

	if (!cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(o, "ok")))
		fprintf(stderr, "deskphone provision: the daemon did not"
			" confirm the switch; restart it to use the new"
			" configuration\n");
	else if (cJSON_IsString(accounts) &&
		 !strncmp(accounts->valuestring, "pending", 7))
		printf("A call is up: the running daemon switches to the new"
		       " accounts when the current call ends.\n");
	else
		printf("The running daemon switched to the new accounts.\n");
	cJSON_Delete(o);
}


static int report_outcome(const char *what, const struct prov_outcome *o)
{
	switch (o->result) {

	case PROV_APPLIED:
		printf("%s: %s%s%s%s\n", what, o->reason,
		       o->site[0] ? " (site \"" : "", o->site,
		       o->site[0] ? "\")" : "");
		break;

	case PROV_UNCHANGED:
		printf("unchanged: %s\n", o->reason);
		break;

	default:
		fprintf(stderr, "refused: %s\n", o->reason);
		if (o->trust_asked)
			fprintf(stderr, "This phone trusts no provisioning key"
				" yet.  If key %s (site \"%s\") is yours, run"
				" again with --trust-new-key to pin it.\n",
				o->key_id, o->site);
		break;
	}

	if (o->key_pinned)
		printf("pinned key %s: this phone now accepts sticks signed"
		       " by it only\n", o->key_id);

	if (o->result_note[0] && strcmp(o->result_note, "not asked for") &&
	    strcmp(what, "rolled back"))
		fprintf(stderr, "note: %s\n", o->result_note);

	return o->result == PROV_REFUSED ? DP_EXIT_USAGE : DP_EXIT_OK;
}


/* The phone's settings, loaded by a process that now acts as the owner
 * of ${state_dir} (apply and rollback write there). */
static int phone_settings_as_owner(const struct cli_settings_opts *opts,
				   struct phone_settings *ps)
{
	int rc = phone_settings_load(opts, ps);

	if (rc)
		return rc;

	if (become_state_owner(ps->state_dir)) {
		phone_settings_reset(ps);
		return DP_EXIT_FAIL;
	}

	return DP_EXIT_OK;
}


/* Report an apply or a rollback; a running daemon loads what changed. */
static int finish_change(const char *what, const struct prov_outcome *out,
			 struct phone_settings *ps)
{
	int rc = report_outcome(what, out);

	if (out->result == PROV_APPLIED)
		tell_daemon(ps->ctrl_socket);

	phone_settings_reset(ps);

	return rc;
}


static int apply_main(int argc, char **argv)
{
	struct cli_settings_opts opts;
	struct phone_settings ps;
	struct prov_outcome out;
	const char *dir = NULL;
	bool no_result = false, trust_new_key = false;
	int rc;

	memset(&opts, 0, sizeof(opts));
	for (int i = 1; i < argc; i++) {
		if (cli_settings_option(&opts, argc, argv, &i))
			continue;
		if (0 == strcmp(argv[i], "--no-result"))
			no_result = true;
		else if (0 == strcmp(argv[i], "--trust-new-key"))
			trust_new_key = true;
		else if (argv[i][0] != '-' && !dir)
			dir = argv[i];
		else
			return cli_usage(&dp_command_provision);
	}
	if (!dir)
		return cli_missing(&dp_command_provision, "apply STICK");

	rc = phone_settings_as_owner(&opts, &ps);
	if (rc)
		return rc;

	ps.prov.cfg.no_result = no_result;
	/* the person running this as root on the phone answers yes, but
	 * only when asked to on the command line */
	if (trust_new_key)
		ps.prov.cfg.trust.confirm = PROV_CONFIRM_YES;
	(void)prov_apply(&ps.prov.cfg, dir, &out);

	return finish_change("applied", &out, &ps);
}


static int rollback_main(int argc, char **argv)
{
	struct cli_settings_opts opts;
	struct phone_settings ps;
	struct prov_outcome out;
	int rc;

	memset(&opts, 0, sizeof(opts));
	for (int i = 1; i < argc; i++) {
		if (!cli_settings_option(&opts, argc, argv, &i))
			return cli_usage(&dp_command_provision);
	}

	rc = phone_settings_as_owner(&opts, &ps);
	if (rc)
		return rc;

	(void)prov_rollback(&ps.prov.cfg, &out);

	return finish_change("rolled back", &out, &ps);
}


static int status_main(int argc, char **argv)
{
	struct cli_settings_opts opts;
	struct phone_settings ps;
	struct prov_current cur;
	struct prov_identity id;
	char why[300] = "", *last = NULL;
	uint64_t highest = 0;
	int rc, err;

	memset(&opts, 0, sizeof(opts));
	for (int i = 1; i < argc; i++) {
		if (!cli_settings_option(&opts, argc, argv, &i))
			return cli_usage(&dp_command_provision);
	}

	rc = phone_settings_load(&opts, &ps);
	if (rc)
		return rc;

	if (0 == prov_identity(&ps.prov.cfg, &id, why, sizeof(why))) {
		if (id.mac[0])
			printf("mac: %s (%s); looks for phones entry %s\n",
			       id.mac, id.interface, id.mac_id);
		if (id.serial[0])
			printf("serial: %s; looks for phones entry %s\n",
			       id.serial, id.serial_id);
	}
	else {
		printf("identity: %s\n", why);
	}

	err = prov_current(ps.prov.local_conf, &cur);
	if (err) {
		fprintf(stderr, "deskphone provision: %s: %s\n", ps.prov.local_conf,
			strerror(err));
		phone_settings_reset(&ps);
		return DP_EXIT_FAIL;
	}

	(void)prov_highest(ps.prov.provision_dir, &highest);

	if (cur.provisioned) {
		printf("provisioned: version %llu, site \"%s\", entry %s\n",
		       (unsigned long long)cur.version, cur.site, cur.phone);
		printf("applied at: %s, signed by key %s\n", cur.applied_at,
		       cur.key_id);
		printf("rollback: %s\n", cur.previous[0] ?
		       "to the previous provisioned configuration" :
		       "to the unprovisioned configuration");
	}
	else {
		printf("provisioned: no\n");
	}
	printf("highest version applied: %llu\n",
	       (unsigned long long)highest);

	if (0 == prov_last_result(ps.prov.provision_dir, &last))
		printf("last result: %s", last);
	mem_deref(last);

	phone_settings_reset(&ps);

	return DP_EXIT_OK;
}


static const struct {
	const char *name;
	int (*main)(int argc, char **argv);
} subcommands[] = {
	{"keygen",   keygen_main},
	{"make",     make_main},
	{"verify",   verify_main},
	{"results",  results_main},
	{"apply",    apply_main},
	{"rollback", rollback_main},
	{"status",   status_main},
};


static int provision_main(int argc, char **argv)
{
	if (argc < 2)
		return cli_missing(&dp_command_provision, "a SUBCOMMAND");

	for (size_t i = 0; i < sizeof(subcommands) / sizeof(subcommands[0]);
	     i++) {
		if (0 == strcmp(argv[1], subcommands[i].name))
			return subcommands[i].main(argc - 1, argv + 1);
	}

	return cli_usage(&dp_command_provision);
}


const struct dp_command dp_command_provision = {
	.name    = "provision",
	.summary = "make, check and apply a signed provisioning stick",
	.usage   =
	"deskphone provision SUBCOMMAND ...\n"
	"\n"
	"On the installer's laptop:\n"
	"  keygen --out PREFIX      an Ed25519 signing key: PREFIX.key (0600)\n"
	"                           and PREFIX.pub\n"
	"  make --site site.json --phones phones.csv --key PREFIX.key\n"
	"       --out STICK [--version N] [--trust-on-first-use]\n"
	"                           write STICK/" PROV_FOLDER "/, signed\n"
	"  verify --pub PREFIX.pub STICK\n"
	"                           check signature, version and every entry\n"
	"  results STICK            every phone on the stick: what it wrote\n"
	"                           back, or \"not yet visited\"\n"
	"\n"
	"On the phone (--config DIR, --local FILE, --set KEY=VALUE apply):\n"
	"  apply [--no-result] [--trust-new-key] STICK\n"
	"                           verify and apply this phone's entry;\n"
	"                           --trust-new-key: a phone that trusts no\n"
	"                           key yet pins the key of a stick made with\n"
	"                           --trust-on-first-use\n"
	"  rollback                 swap the previous configuration back in\n"
	"  status                   identity, what is applied, last result\n"
	"\n"
	"Exit status: 0 done (or already applied), 2 refused or bad input\n"
	"(every problem is printed, naming file and field), 1 failed.\n"
	"docs/provisioning.md walks through an office roll-out.\n",
	.main    = provision_main,
};
