/**
 * @file phone_identity.c  Collect what identifies this phone
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <ifaddrs.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>
#include <re.h>
#include "base/fileutil.h"
#include "base/settings.h"
#include "provision/provision.h"
#include "privacy/crypto/crypto.h"
#include "privacy/bundle/sanitize.h"
#include "cli.h"
#include "phone_identity.h"

enum { FILE_MAX = 1 << 20 };


static void id_destructor(void *arg)
{
	struct dp_phone_id *id = arg;

	if (id->value)
		dp_wipe(id->value, strlen(id->value));
	mem_deref(id->value);
}


static int add_piece(struct list *ids, enum dp_identity kind, const char *v,
		     size_t n)
{
	struct dp_phone_id *id;

	while (n && (v[0] == ' ' || v[0] == '\t')) {
		v++;
		n--;
	}
	while (n && (v[n - 1] == ' ' || v[n - 1] == '\t' ||
		     v[n - 1] == '\r' || v[n - 1] == '\n'))
		n--;
	if (n < 3)
		return 0;

	for (struct le *le = ids->head; le; le = le->next) {
		struct dp_phone_id *o = le->data;

		if (o->kind == kind && strlen(o->value) == n &&
		    0 == memcmp(o->value, v, n))
			return 0;
	}

	id = mem_zalloc(sizeof(*id), id_destructor);
	if (!id)
		return ENOMEM;
	id->kind = kind;
	id->value = mem_alloc(n + 1, NULL);
	if (!id->value) {
		mem_deref(id);
		return ENOMEM;
	}
	memcpy(id->value, v, n);
	id->value[n] = '\0';
	list_append(ids, &id->le, id);

	return 0;
}


/*
 * Identities are C strings (the redactor's, and the wipe on free), so a
 * value holding NUL bytes, such as a binary device secret, is looked for
 * piece by piece; otherwise all after its first NUL would be missed.
 */
static int add(struct list *ids, enum dp_identity kind, const char *v,
	       size_t n)
{
	const char *nul;
	int err = 0;

	while ((nul = memchr(v, '\0', n))) {
		size_t k = (size_t)(nul - v);

		err |= add_piece(ids, kind, v, k);
		v += k + 1;
		n -= k + 1;
	}

	return err | add_piece(ids, kind, v, n);
}


/* --- values -------------------------------------------------------------- */

static bool is_number(const char *v, size_t n)
{
	size_t digits = 0;

	for (size_t i = 0; i < n; i++) {
		if (v[i] >= '0' && v[i] <= '9')
			digits++;
		else if (!strchr("+-. ()/", v[i]))
			return false;
	}

	return digits >= 3;
}


/* scheme:user[:password]@host[:port][;params] */
static int uri_ids(struct list *ids, const char *p, size_t len)
{
	const char *c = memchr(p, ':', len), *v, *at;
	size_t n;
	int err = 0;

	if (!c)
		return 0;
	v = c + 1;
	n = len - (size_t)(v - p);
	for (size_t i = 0; i < n; i++) {
		if (!v[i] || strchr(";?>, \t\"", v[i])) {
			n = i;
			break;
		}
	}

	at = memchr(v, '@', n);
	if (at) {
		const char *pw = memchr(v, ':', (size_t)(at - v));
		size_t ul = pw ? (size_t)(pw - v) : (size_t)(at - v);

		err |= add(ids, is_number(v, ul) ? DP_ID_NUMBER : DP_ID_USER,
			   v, ul);
		if (pw)
			err |= add(ids, DP_ID_SECRET, pw + 1,
				   (size_t)(at - pw - 1));
		n -= (size_t)(at + 1 - v);
		v = at + 1;
	}

	if (n && v[0] == '[') {
		const char *rb = memchr(v, ']', n);

		if (rb)
			err |= add(ids, DP_ID_HOST, v + 1, (size_t)(rb - v - 1));
	}
	else {
		const char *colon = memchr(v, ':', n);

		err |= add(ids, DP_ID_HOST, v, colon ? (size_t)(colon - v) : n);
	}

	return err;
}


static int guess(struct list *ids, const char *v, size_t n)
{
	uint8_t a[16];
	char buf[64];
	const char *at;

	while (n && (v[0] == ' ' || v[0] == '"' || v[0] == '<')) {
		v++;
		n--;
	}
	while (n && (v[n - 1] == ' ' || v[n - 1] == '"' || v[n - 1] == '>'))
		n--;
	if (n < 3)
		return 0;

	if (n == 17 || n == 14 || n == 12) {
		/* a MAC in one of its notations */
		size_t hex = 0;

		for (size_t i = 0; i < n; i++)
			hex += isxdigit((unsigned char)v[i]) ? 1 : 0;
		if (hex == 12 && (n == 12 || v[2] == ':' || v[2] == '-' ||
				  v[4] == '.'))
			return add(ids, DP_ID_MAC, v, n);
	}

	if (n < sizeof(buf)) {
		memcpy(buf, v, n);
		buf[n] = '\0';
		if (inet_pton(AF_INET, buf, a) == 1 ||
		    inet_pton(AF_INET6, buf, a) == 1)
			return add(ids, DP_ID_HOST, v, n);
	}

	if (memchr(v, ':', n) && (0 == strncasecmp(v, "sip", 3) ||
				  0 == strncasecmp(v, "tel:", 4)))
		return uri_ids(ids, v, n);

	at = memchr(v, '@', n);
	if (at) {
		size_t ul = (size_t)(at - v);

		return add(ids, is_number(v, ul) ? DP_ID_NUMBER : DP_ID_USER,
			   v, ul) |
			add(ids, DP_ID_HOST, at + 1, n - ul - 1);
	}

	if (is_number(v, n))
		return add(ids, DP_ID_NUMBER, v, n);
	if (memchr(v, '.', n) && !memchr(v, ' ', n))
		return add(ids, DP_ID_HOST, v, n);

	return add(ids, DP_ID_NAME, v, n);
}


int dp_identity_add_guess(struct dp_redactor *r, const char *value)
{
	struct list ids = LIST_INIT;
	int err;

	if (!value || strlen(value) < 3)
		return EINVAL;

	err = guess(&ids, value, strlen(value));
	if (!err && list_isempty(&ids))
		err = EINVAL;
	if (!err)
		err = dp_phone_ids_seed(&ids, r);
	list_flush(&ids);

	return err;
}


/* --- the device secret and other secret files ---------------------------- */

static int secret_forms(struct list *ids, const uint8_t *b, size_t n)
{
	static const char hx[] = "0123456789abcdef";
	char *hex = mem_alloc(2 * n + 1, NULL);
	char *b64 = mem_alloc(4 * ((n + 2) / 3) + 1, NULL);
	bool text = true;
	int err = 0;

	if (!hex || !b64) {
		err = ENOMEM;
		goto out;
	}

	for (size_t i = 0; i < n; i++) {
		hex[2 * i] = hx[b[i] >> 4];
		hex[2 * i + 1] = hx[b[i] & 15];
		text &= b[i] >= 0x20 && b[i] < 0x7f;
	}
	err |= add(ids, DP_ID_SECRET, hex, 2 * n);

	{
		size_t k = 4 * ((n + 2) / 3) + 1;

		if (n && !base64_encode(b, n, b64, &k)) {
			err |= add(ids, DP_ID_SECRET, b64, k);
			/* base64url, unpadded */
			while (k > 0 && b64[k - 1] == '=')
				k--;
			for (size_t i = 0; i < k; i++) {
				if (b64[i] == '+')
					b64[i] = '-';
				else if (b64[i] == '/')
					b64[i] = '_';
			}
			err |= add(ids, DP_ID_SECRET, b64, k);
		}
	}

	/* as it is; a log is lines, so a binary secret with line breaks
	 * is looked for piece by piece (pieces under 3 bytes cannot be) */
	if (text || !memchr(b, '\n', n)) {
		err |= add(ids, DP_ID_SECRET, (const char *)b, n);
	}
	else {
		for (size_t i = 0; i < n; ) {
			size_t e = i;

			while (e < n && b[e] != '\n' && b[e] != '\r')
				e++;
			err |= add(ids, DP_ID_SECRET, (const char *)b + i, e - i);
			i = e + 1;
		}
	}

 out:
	if (hex)
		dp_wipe(hex, 2 * n);
	if (b64)
		dp_wipe(b64, 4 * ((n + 2) / 3));
	mem_deref(hex);
	mem_deref(b64);

	return err;
}


static int secret_file(struct list *ids, const char *path)
{
	char *buf = NULL;
	size_t len = 0, a = 0, b;
	int err = dp_read_file(path, 4096, &buf, &len);

	if (err == ENOENT)
		return 0;     /* not created yet: nothing to hide */
	if (err) {
		fprintf(stderr, "deskphone: cannot read %s\n", path);
		return err;
	}

	b = len;
	while (a < b && isspace((unsigned char)buf[a]))
		a++;
	while (b > a && isspace((unsigned char)buf[b - 1]))
		b--;
	if (b - a != len)
		err = add(ids, DP_ID_SECRET, buf + a, b - a);
	err |= secret_forms(ids, (const uint8_t *)buf, len);

	dp_wipe(buf, len);
	mem_deref(buf);

	return err;
}


/* --- settings ------------------------------------------------------------ */

static bool identity_key(const char *k, size_t n)
{
	static const char *const words[] = {
		"name", "number", "user", "display", "owner", "extension",
		"phone", "email", "mail", "domain", "host", "registrar",
		"proxy", "server", "realm", "aor", "account", "caller",
		"location", "address", "contact", "url", "uri", NULL
	};

	if (0 == strncmp(k, "board", 5) || dp_key_has(k, n, "module") ||
	    dp_key_has(k, n, "audio") || dp_key_has(k, n, "template"))
		return false;
	for (size_t i = 0; words[i]; i++) {
		if (dp_key_has(k, n, words[i]))
			return true;
	}

	return false;
}


static int setting_ids(struct list *ids, const struct dp_settings *s,
		       const char *key)
{
	char *v = NULL;
	char err_buf[DP_ERRBUF];
	size_t kn = strlen(key), n;
	int err = 0;

	if (dp_settings_get(s, key, &v, err_buf, sizeof(err_buf)))
		return 0;
	n = strlen(v);

	if (dp_key_has(key, kn, "secret") && dp_key_ends(key, kn, "_file")) {
		err = secret_file(ids, v);
	}
	else if (dp_secret_key(key, kn)) {
		err = add(ids, DP_ID_SECRET, v, n);
	}
	else if (0 == strcmp(key, "sip_listen") ||
		 0 == strcmp(key, "net_interface")) {
		/* an address, maybe with a port; an interface name is no one's */
		const char *colon = strrchr(v, ':'), *h = v;
		size_t hl = colon && colon == strchr(v, ':') ?
			(size_t)(colon - v) : n;
		uint8_t a[16];
		char buf[64];

		if (v[0] == '[' && strchr(v, ']')) {    /* [2001:db8::1]:5060 */
			h = v + 1;
			hl = (size_t)(strchr(v, ']') - h);
		}
		if (hl < sizeof(buf)) {
			memcpy(buf, h, hl);
			buf[hl] = '\0';
			if (inet_pton(AF_INET, buf, a) == 1 ||
			    inet_pton(AF_INET6, buf, a) == 1)
				err = add(ids, DP_ID_HOST, buf, hl);
		}
	}
	else if (n && v[0] != '/' && identity_key(key, kn)) {
		err = guess(ids, v, n);
	}

	dp_wipe(v, n);
	mem_deref(v);

	return err;
}


/* The keys a settings file sets (the values come from the layering). */
static int keys_of_file(struct list *keys, const char *path)
{
	char *buf = NULL;
	size_t len = 0;
	int err = dp_read_file(path, FILE_MAX, &buf, &len);

	if (err)
		return err == ENOENT ? 0 : err;

	for (char *line = buf, *nl; line && *line; line = nl) {
		size_t k = 0;

		nl = strchr(line, '\n');
		if (nl)
			*nl++ = '\0';
		while (line[k] && (isalnum((unsigned char)line[k]) ||
				   line[k] == '_'))
			k++;
		if (k && (!line[k] || isspace((unsigned char)line[k])))
			err |= add(keys, DP_ID_NAME, line, k);
	}

	mem_deref(buf);

	return err;
}


/* --- accounts ------------------------------------------------------------ */

static int account_line(struct list *ids, const char *p, size_t n)
{
	size_t i = 0;
	int err = 0;

	while (i < n && isspace((unsigned char)p[i]))
		i++;
	if (i >= n || p[i] == '#')
		return 0;

	/* display name */
	if (p[i] == '"') {
		size_t e = i + 1;

		while (e < n && p[e] != '"')
			e++;
		err |= add(ids, DP_ID_NAME, p + i + 1, e - i - 1);
		i = e < n ? e + 1 : n;
	}
	else if (p[i] != '<' && memchr(p + i, '<', n - i)) {
		size_t e = (size_t)((const char *)memchr(p + i, '<', n - i) - p);

		err |= add(ids, DP_ID_NAME, p + i, e - i);
		i = e;
	}
	while (i < n && isspace((unsigned char)p[i]))
		i++;

	/* the address of record */
	if (i < n && p[i] == '<') {
		const char *gt = memchr(p + i, '>', n - i);
		size_t e = gt ? (size_t)(gt - p) : n;

		err |= uri_ids(ids, p + i + 1, e - i - 1);
		i = gt ? e + 1 : n;
	}
	else {
		size_t e = i;

		while (e < n && p[e] != ';')
			e++;
		err |= uri_ids(ids, p + i, e - i);
		i = e;
	}

	/* ;key=value parameters */
	while (i < n) {
		size_t k0, k1, v0, v1;

		while (i < n && (p[i] == ';' || isspace((unsigned char)p[i])))
			i++;
		k0 = i;
		while (i < n && p[i] != '=' && p[i] != ';')
			i++;
		k1 = i;
		if (i >= n || p[i] != '=')
			continue;
		i++;
		if (i < n && p[i] == '"') {
			v0 = ++i;
			while (i < n && p[i] != '"')
				i++;
			v1 = i;
			if (i < n)
				i++;
		}
		else {
			v0 = i;
			while (i < n && p[i] != ';')
				i++;
			v1 = i;
		}

		if (dp_secret_key(p + k0, k1 - k0))
			err |= add(ids, DP_ID_SECRET, p + v0, v1 - v0);
		else if (k1 - k0 == 9 && 0 == strncmp(p + k0, "auth_user", 9))
			err |= add(ids, is_number(p + v0, v1 - v0) ?
				   DP_ID_NUMBER : DP_ID_USER, p + v0, v1 - v0);
		else if (memchr(p + v0, ':', v1 - v0) &&
			 (dp_key_has(p + k0, k1 - k0, "outbound") ||
			  dp_key_has(p + k0, k1 - k0, "stun") ||
			  dp_key_has(p + k0, k1 - k0, "turn") ||
			  dp_key_has(p + k0, k1 - k0, "proxy")))
			err |= uri_ids(ids, p + v0, v1 - v0);
	}

	return err;
}


static int accounts_ids(struct list *ids, const char *path)
{
	char *buf = NULL;
	size_t len = 0;
	int err = dp_read_file(path, FILE_MAX, &buf, &len);

	if (err)
		return err == ENOENT ? 0 : err;

	for (char *line = buf, *nl; line && *line; line = nl) {
		nl = strchr(line, '\n');
		if (nl)
			*nl++ = '\0';
		err |= account_line(ids, line, strlen(line));
	}

	dp_wipe(buf, len);
	mem_deref(buf);

	return err;
}


/*
 * A provisioned phone's accounts are in the provisioning store, their
 * passwords sealed with the device key, and its accounts file is an
 * empty placeholder.  They are read through the store's own reader
 * (which needs the device secret: root or the daemon's user), unsealed
 * in memory only, like the accounts file's: password, display name,
 * address of record, auth_user, outbound proxy.  A store that is there
 * but cannot be read or unsealed is said and reported as EACCES.
 */
static int provisioned_ids(struct list *ids, const struct dp_settings *s)
{
	static const char *const keys[] = { "provision_dir", "local_conf",
					    "device_secret_file" };
	char *v[3] = { NULL, NULL, NULL }, err_buf[DP_ERRBUF], why[512] = "";
	struct list accounts = LIST_INIT;
	struct prov_phone_cfg cfg;
	int err = 0;

	for (size_t i = 0; i < 3; i++) {
		if (dp_settings_get(s, keys[i], &v[i], err_buf,
				    sizeof(err_buf)))
			goto out;     /* not a phone that provisions */
	}

	memset(&cfg, 0, sizeof(cfg));
	cfg.provision_dir = v[0];
	cfg.local_conf = v[1];
	cfg.device_secret_file = v[2];
	err = prov_accounts_load(&cfg, &accounts, why, sizeof(why));
	if (err == ENOENT && !why[0]) {
		err = 0;      /* not provisioned */
		goto out;
	}
	if (err) {
		fprintf(stderr, "deskphone: the provisioned accounts: %s\n",
			why[0] ? why : strerror(err));
		err = EACCES;
		goto out;
	}

	for (struct le *le = accounts.head; le && !err; le = le->next) {
		const struct prov_account *a = le->data;

		err = add(ids, DP_ID_SECRET, a->password, strlen(a->password));
		if (!err)
			err = account_line(ids, a->line, strlen(a->line));
		if (!err)
			err = uri_ids(ids, a->aor, strlen(a->aor));
	}

 out:
	list_flush(&accounts);
	for (size_t i = 0; i < 3; i++)
		mem_deref(v[i]);

	return err;
}


/* --- the machine --------------------------------------------------------- */

static int machine_ids(struct list *ids)
{
	struct ifaddrs *ifa = NULL;
	char host[256];
	DIR *d;
	int err = 0;

	if (0 == getifaddrs(&ifa)) {
		for (struct ifaddrs *i = ifa; i; i = i->ifa_next) {
			char buf[INET6_ADDRSTRLEN];
			const void *a;

			if (!i->ifa_addr)
				continue;
			if (i->ifa_addr->sa_family == AF_INET)
				a = &((struct sockaddr_in *)(void *)
				      i->ifa_addr)->sin_addr;
			else if (i->ifa_addr->sa_family == AF_INET6)
				a = &((struct sockaddr_in6 *)(void *)
				      i->ifa_addr)->sin6_addr;
			else
				continue;
			if (inet_ntop(i->ifa_addr->sa_family, a, buf,
				      sizeof(buf)))
				err |= add(ids, DP_ID_HOST, buf, strlen(buf));
		}
		freeifaddrs(ifa);
	}

	d = opendir("/sys/class/net");
	if (d) {
		struct dirent *de;

		while ((de = readdir(d)) != NULL) {
			char path[512], mac[64];
			FILE *f;

			if (de->d_name[0] == '.')
				continue;
			snprintf(path, sizeof(path), "/sys/class/net/%s/address",
				 de->d_name);
			f = fopen(path, "r");
			if (!f)
				continue;
			if (fgets(mac, sizeof(mac), f)) {
				mac[strcspn(mac, "\r\n")] = '\0';
				if (strlen(mac) == 17 &&
				    strcmp(mac, "00:00:00:00:00:00"))
					err |= add(ids, DP_ID_MAC, mac, 17);
			}
			fclose(f);
		}
		closedir(d);
	}

	if (0 == gethostname(host, sizeof(host))) {
		host[sizeof(host) - 1] = '\0';
		if (strcmp(host, "localhost"))
			err |= add(ids, DP_ID_HOST, host, strlen(host));
	}

	return err;
}


int dp_phone_ids_collect(struct list *ids,
			 const struct cli_settings_opts *opts,
			 const struct dp_settings *s)
{
	struct list keys = LIST_INIT;
	const char *dir = opts->config_dir;
	char path[4096], *v = NULL, err_buf[DP_ERRBUF];
	bool unreadable = false;
	int err = 0;

	if (!dir)
		dir = getenv("DESKPHONE_CONFIG");
	if (!dir)
		dir = "/etc/deskphone";

	/* the settings loaded, so their files are readable */
	snprintf(path, sizeof(path), "%s/deskphone.conf", dir);
	err = keys_of_file(&keys, path);
	if (!err && !dp_settings_get(s, "board_file", &v, err_buf,
				     sizeof(err_buf)))
		err = keys_of_file(&keys, v);
	v = mem_deref(v);
	if (!err && !dp_settings_get(s, "local_conf", &v, err_buf,
				     sizeof(err_buf)))
		err = keys_of_file(&keys, v);
	v = mem_deref(v);
	for (size_t i = 0; !err && i < opts->nlocals; i++)
		err = keys_of_file(&keys, opts->locals[i]);
	for (size_t i = 0; !err && i < opts->nsets; i++) {
		const char *eq = strchr(opts->sets[i], '=');

		if (eq)
			err = add(&keys, DP_ID_NAME, opts->sets[i],
				  (size_t)(eq - opts->sets[i]));
	}

	/* a file that cannot be read (not the daemon's user) is said, and
	 * reported as EACCES after everything else was collected */
	for (struct le *le = keys.head; le && !err; le = le->next) {
		struct dp_phone_id *k = le->data;
		int e = setting_ids(ids, s, k->value);

		if (e == EACCES)
			unreadable = true;
		else
			err = e;
	}
	list_flush(&keys);
	if (err)
		goto out;

	if (!dp_settings_get(s, "accounts_file", &v, err_buf, sizeof(err_buf))) {
		err = accounts_ids(ids, v);
		if (err == EACCES) {
			fprintf(stderr, "deskphone: cannot read %s\n", v);
			unreadable = true;
			err = 0;
		}
	}
	mem_deref(v);
	if (!err) {
		err = provisioned_ids(ids, s);
		if (err == EACCES) {
			unreadable = true;
			err = 0;
		}
	}
	if (!err)
		err = machine_ids(ids);
	if (!err && unreadable)
		err = EACCES;

 out:
	return err;
}


int dp_phone_ids_seed(const struct list *ids, struct dp_redactor *r)
{
	for (struct le *le = ids->head; le; le = le->next) {
		const struct dp_phone_id *id = le->data;
		int err = dp_redactor_identity(r, id->kind, id->value);

		/* too short to match safely, or a malformed MAC */
		if (err && err != EINVAL)
			return err;
	}

	return 0;
}


int dp_phone_identity_seed(struct dp_redactor *r,
			   const struct cli_settings_opts *opts,
			   struct dp_settings **sp, struct list *ids)
{
	struct dp_settings *s = NULL;
	struct list own = LIST_INIT;
	int err;

	if (cli_settings_load(opts, &s))
		return EINVAL;

	if (!ids)
		ids = &own;
	err = dp_phone_ids_collect(ids, opts, s);
	if (err == EACCES) {
		/* redacting by patterns and what could be read is still
		 * better than not redacting */
		fprintf(stderr, "deskphone: some of the phone's identities"
			" could not be read; continuing without them\n");
		err = 0;
	}
	else if (err) {
		fprintf(stderr, "deskphone: reading the phone's identities:"
			" %s\n", strerror(err));
	}
	if (!err)
		err = dp_phone_ids_seed(ids, r);
	list_flush(&own);

	if (sp && !err)
		*sp = s;
	else
		mem_deref(s);

	return err;
}


int dp_key_file_read(const char *path, uint8_t key[32])
{
	char *buf = NULL;
	size_t len = 0;
	int err = dp_read_file(path, FILE_MAX, &buf, &len);

	if (err) {
		fprintf(stderr, "deskphone: key file %s: %s\n", path,
			strerror(err));
		return err;
	}
	if (len < DP_REDACT_KEY_MIN) {
		fprintf(stderr, "deskphone: key file %s: %zu bytes; at least"
			" %d needed\n", path, len, DP_REDACT_KEY_MIN);
		dp_wipe(buf, len);
		mem_deref(buf);
		return EINVAL;
	}

	if (dp_sha256(buf, len, key))
		err = EIO;
	dp_wipe(buf, len);
	mem_deref(buf);

	return err;
}
