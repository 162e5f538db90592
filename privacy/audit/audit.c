/**
 * @file audit.c  Append-only, hash-chained, authenticated audit records
 *                and their anchor
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <re.h>
#include "base/fileutil.h"
#include "privacy/crypto/crypto.h"
#include "audit.h"

enum { TAIL = 8192, LINE_MAX_LEN = 4096, HEX = DP_AUDIT_HASH_HEX };

struct dp_audit {
	char *path;
	char *anchor;
	uint8_t key[DP_KEY_LEN];
};

static const char zero_hash[] =
	"0000000000000000000000000000000000000000000000000000000000000000";
static const char hash_key[] = ",\"hash\":\"";
static const char mac_key[]  = "\",\"mac\":\"";
static const char prev_key[] = ",\"prev\":\"";

/* ,"hash":"<64>","mac":"<64>"} */
#define SUFFIX_LEN (sizeof(hash_key) - 1 + HEX + sizeof(mac_key) - 1 + HEX + 2)


static void destructor(void *arg)
{
	struct dp_audit *a = arg;

	dp_wipe(a->key, sizeof(a->key));
	mem_deref(a->path);
	mem_deref(a->anchor);
}


int dp_audit_open(struct dp_audit **ap, const char *path,
		  const uint8_t *secret)
{
	struct dp_audit *a;
	int err;

	if (!ap || !path || !*path || !secret)
		return EINVAL;

	a = mem_zalloc(sizeof(*a), destructor);
	if (!a)
		return ENOMEM;

	err = str_dup(&a->path, path);
	if (!err)
		err = re_sdprintf(&a->anchor, "%s.anchor", path);
	if (!err)
		err = dp_derive_key(secret, "audit-log-v1", a->key);
	if (err)
		mem_deref(a);
	else
		*ap = a;

	return err;
}


const char *dp_audit_path(const struct dp_audit *a)
{
	return a ? a->path : NULL;
}


static void to_hex(const uint8_t *b, size_t n, char *hex)
{
	static const char d[] = "0123456789abcdef";

	for (size_t i = 0; i < n; i++) {
		hex[2 * i] = d[b[i] >> 4];
		hex[2 * i + 1] = d[b[i] & 15];
	}
	hex[2 * n] = '\0';
}


static int sha_hex(const char *p, size_t n, char hex[HEX + 1])
{
	uint8_t h[DP_SHA256_LEN];
	int err = dp_sha256(p, n, h);

	if (!err)
		to_hex(h, sizeof(h), hex);

	return err;
}


static int mac_hex(const struct dp_audit *a, const char *p, size_t n,
		   char hex[HEX + 1])
{
	uint8_t h[DP_SHA256_LEN];
	int err = dp_hmac_sha256(a->key, sizeof(a->key), p, n, h);

	if (!err)
		to_hex(h, sizeof(h), hex);

	return err;
}


static bool is_hex(const char *p, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (!((p[i] >= '0' && p[i] <= '9') ||
		      (p[i] >= 'a' && p[i] <= 'f')))
			return false;
	}

	return true;
}


/*
 * One record checked on its own: its hash and MAC match; its seq and
 * prev are returned.
 */
static int check_line(const struct dp_audit *a, const char *l, size_t n,
		      unsigned *seq, char prev[HEX + 1], char hash[HEX + 1])
{
	char want[HEX + 1], mac[HEX + 1];
	const char *h, *pv = NULL;
	char *end;

	if (n < SUFFIX_LEN + 16 || strncmp(l, "{\"seq\":", 7))
		return EBADMSG;

	h = l + n - SUFFIX_LEN;
	if (memcmp(h, hash_key, sizeof(hash_key) - 1) ||
	    memcmp(h + sizeof(hash_key) - 1 + HEX, mac_key,
		   sizeof(mac_key) - 1) ||
	    l[n - 2] != '"' || l[n - 1] != '}')
		return EBADMSG;

	memcpy(hash, h + sizeof(hash_key) - 1, HEX);
	hash[HEX] = '\0';
	memcpy(mac, h + sizeof(hash_key) - 1 + HEX + sizeof(mac_key) - 1,
	       HEX);
	mac[HEX] = '\0';
	if (!is_hex(hash, HEX) || !is_hex(mac, HEX))
		return EBADMSG;

	if (sha_hex(l, (size_t)(h - l), want) || strcmp(want, hash))
		return EBADMSG;
	if (mac_hex(a, hash, HEX, want) || strcmp(want, mac))
		return EBADMSG;

	for (const char *f = l; (f = memmem(f, (size_t)(h - f), prev_key,
					     sizeof(prev_key) - 1)); f++)
		pv = f;
	if (!pv || h - pv != (long)(sizeof(prev_key) - 1 + HEX + 1))
		return EBADMSG;
	memcpy(prev, pv + sizeof(prev_key) - 1, HEX);
	prev[HEX] = '\0';

	*seq = (unsigned)strtoul(l + 7, &end, 10);
	if (end == l + 7 || *end != ',')
		return EBADMSG;

	return 0;
}


/* The last record's seq and hash (0 and zeros for an empty log). */
static int tail_of(const struct dp_audit *a, int fd, unsigned *seq,
		   char hash[HEX + 1])
{
	char buf[TAIL + 1], prev[HEX + 1];
	struct stat st;
	off_t from;
	ssize_t k;
	char *start, *nl;

	if (fstat(fd, &st))
		return errno;
	if (st.st_size == 0) {
		*seq = 0;
		memcpy(hash, zero_hash, sizeof(zero_hash));
		return 0;
	}

	from = st.st_size > TAIL ? st.st_size - TAIL : 0;
	k = pread(fd, buf, (size_t)(st.st_size - from), from);
	if (k <= 0)
		return k < 0 ? errno : EIO;
	buf[k] = '\0';

	/* a line cut by a crash cannot be chained to */
	if (buf[k - 1] != '\n')
		return EBADMSG;
	buf[k - 1] = '\0';
	nl = strrchr(buf, '\n');
	start = nl ? nl + 1 : buf;
	if (!nl && from > 0)
		return EBADMSG;

	return check_line(a, start, strlen(start), seq, prev, hash);
}


static int anchor_mac(const struct dp_audit *a, unsigned seq,
		      const char *hash, char mac[HEX + 1])
{
	char text[32 + HEX];
	int n = snprintf(text, sizeof(text), "anchor:%u:%s", seq, hash);

	return mac_hex(a, text, (size_t)n, mac);
}


/* The anchor: ENOENT when there is none, EBADMSG when it is forged or
 * damaged. */
static int anchor_read(const struct dp_audit *a, unsigned *seq,
		       char hash[HEX + 1])
{
	char mac[HEX + 1], want[HEX + 1];
	char *text = NULL;
	size_t len;
	int err, n = 0;

	err = dp_read_file(a->anchor, 1024, &text, &len);
	if (err)
		return err;

	if (sscanf(text, "{\"seq\":%u,\"hash\":\"%64[0-9a-f]\",\"mac\":"
		   "\"%64[0-9a-f]\"}%n", seq, hash, mac, &n) != 3 || !n ||
	    strlen(hash) != HEX || strlen(mac) != HEX ||
	    anchor_mac(a, *seq, hash, want) || strcmp(want, mac))
		err = EBADMSG;

	mem_deref(text);

	return err;
}


/*
 * Run as root (a technician's `deskphone bundle create`), a file we make
 * goes to the owner of the log (or of its directory): the daemon, which
 * runs as that user, must go on reading and appending.
 */
static void give_to_owner(const char *path, int fd, const char *like)
{
	char dir[4096], *slash;
	struct stat st;

	if (geteuid() != 0)
		return;

	if (like && !stat(like, &st))
		goto chown;

	str_ncpy(dir, path, sizeof(dir));
	slash = strrchr(dir, '/');
	if (slash)
		*slash = '\0';
	if (stat(slash ? dir : ".", &st))
		return;

 chown:
	if (st.st_uid == 0)
		return;
	if (fd >= 0)
		(void)fchown(fd, st.st_uid, st.st_gid);
	else
		(void)chown(path, st.st_uid, st.st_gid);
}


static int anchor_write(const struct dp_audit *a, unsigned seq,
			const char *hash)
{
	char mac[HEX + 1], text[64 + 2 * HEX];
	int n, err;

	err = anchor_mac(a, seq, hash, mac);
	if (err)
		return err;
	n = snprintf(text, sizeof(text), "{\"seq\":%u,\"hash\":\"%s\","
		     "\"mac\":\"%s\"}\n", seq, hash, mac);

	err = dp_write_atomic(a->anchor, text, (size_t)n, 0600);
	if (!err)
		give_to_owner(a->anchor, -1, a->path);

	return err;
}


static bool event_ok(const char *event)
{
	if (!event || !*event)
		return false;
	for (const char *c = event; *c; c++) {
		if (!((*c >= 'a' && *c <= 'z') || *c == '_' ||
		      (*c >= '0' && *c <= '9')))
			return false;
	}

	return true;
}


int dp_audit_append(struct dp_audit *a, int64_t when_s, const char *event,
		    const char *fields)
{
	char line[LINE_MAX_LEN], prevhash[HEX + 1], hash[HEX + 1];
	char mac[HEX + 1], when[32], ahash[HEX + 1];
	unsigned seq, aseq = 0;
	time_t t = (time_t)when_s;
	struct tm tm;
	int fd, err, n;

	if (!a || !event_ok(event))
		return EINVAL;

	fd = open(a->path, O_RDWR | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0)
		return errno;
	give_to_owner(a->path, fd, NULL);
	if (flock(fd, LOCK_EX)) {
		err = errno;
		goto out;
	}

	err = tail_of(a, fd, &seq, prevhash);
	if (err)
		goto out;

	/* a log shorter than its anchor was cut: do not chain over it */
	err = anchor_read(a, &aseq, ahash);
	if (err == ENOENT)
		err = seq ? EBADMSG : 0;
	else if (!err && (aseq > seq ||
			  (aseq == seq && strcmp(ahash, prevhash))))
		err = EBADMSG;
	if (err)
		goto out;

	if (!gmtime_r(&t, &tm))
		memset(&tm, 0, sizeof(tm));
	strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &tm);
	n = snprintf(line, sizeof(line),
		     "{\"seq\":%u,\"time\":\"%s\",\"event\":\"%s\"%s%s,"
		     "\"prev\":\"%s\"", seq + 1, when, event,
		     fields && *fields ? "," : "", fields ? fields : "",
		     prevhash);
	if (n < 0 || (size_t)n + SUFFIX_LEN + 2 > sizeof(line) ||
	    memchr(line, '\n', (size_t)n)) {
		err = EINVAL;
		goto out;
	}
	err = sha_hex(line, (size_t)n, hash);
	if (!err)
		err = mac_hex(a, hash, HEX, mac);
	if (err)
		goto out;
	n += snprintf(line + n, sizeof(line) - (size_t)n,
		      "%s%s%s%s\"}\n", hash_key, hash, mac_key, mac);

	/* one write: a record is there whole or not at all */
	if (write(fd, line, (size_t)n) != n) {
		err = errno ? errno : EIO;
		goto out;
	}
	if (fsync(fd)) {
		err = errno;
		goto out;
	}

	/* an anchor that could not be written lags behind: verify says so,
	 * the next append puts it right */
	(void)anchor_write(a, seq + 1, hash);

 out:
	close(fd);

	return err;
}


static void why(struct dp_audit_report *rep, const char *fmt, unsigned v,
		unsigned w)
{
	snprintf(rep->why, sizeof(rep->why), fmt, v, w);
}


int dp_audit_verify(struct dp_audit *a, struct dp_audit_report *rep)
{
	char prev[HEX + 1], hash[HEX + 1], last[HEX + 1];
	char ahash[HEX + 1], at_anchor[HEX + 1];
	struct dp_audit_report dummy;
	FILE *f;
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	unsigned n = 0, seq, aseq = 0;
	int err = 0, aerr;

	if (!rep)
		rep = &dummy;
	memset(rep, 0, sizeof(*rep));
	if (!a)
		return EINVAL;

	aerr = anchor_read(a, &aseq, ahash);
	if (aerr && aerr != ENOENT && aerr != EBADMSG)
		return aerr;

	f = fopen(a->path, "r");
	if (!f) {
		if (errno != ENOENT)
			return errno;
		if (aerr == ENOENT)
			return ENOENT;
		snprintf(rep->why, sizeof(rep->why), "the log is missing but"
			 " its anchor is there: the log was removed");
		return EBADMSG;
	}

	memcpy(last, zero_hash, sizeof(zero_hash));
	memcpy(at_anchor, zero_hash, sizeof(zero_hash));
	while ((len = getline(&line, &cap, f)) > 0) {
		n++;
		if (line[len - 1] != '\n' ||
		    check_line(a, line, (size_t)len - 1, &seq, prev, hash)) {
			why(rep, "record %u: damaged, edited or not made with"
			    " this phone's key", n, 0);
			err = EBADMSG;
			break;
		}
		if (seq != n || strcmp(prev, last)) {
			why(rep, "record %u: out of its place in the chain"
			    " (a record before it was removed or moved)",
			    n, 0);
			err = EBADMSG;
			break;
		}
		memcpy(last, hash, sizeof(last));
		if (!aerr && seq == aseq)
			memcpy(at_anchor, hash, sizeof(at_anchor));
	}
	free(line);
	fclose(f);

	if (err) {
		rep->bad = n;
		rep->records = n - 1;
		return err;
	}
	rep->records = n;

	if (aerr == ENOENT) {
		if (!n)
			return ENOENT;
		snprintf(rep->why, sizeof(rep->why), "the anchor is missing");
		return EBADMSG;
	}
	if (aerr == EBADMSG) {
		snprintf(rep->why, sizeof(rep->why), "the anchor is damaged"
			 " or was not made with this phone's key");
		return EBADMSG;
	}

	rep->anchor_seq = aseq;
	if (aseq > n) {
		why(rep, "cut short: the anchor says %u records, the log"
		    " holds %u", aseq, n);
		return EBADMSG;
	}
	if (strcmp(at_anchor, ahash)) {
		why(rep, "record %u is not the one the anchor names", aseq, 0);
		rep->bad = aseq;
		return EBADMSG;
	}
	rep->anchor_lag = n - aseq;

	return 0;
}
