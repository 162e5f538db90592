/**
 * @file audit.c  Append-only, hash-chained audit records
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
#include <openssl/evp.h>
#include "audit.h"

enum { TAIL = 8192, LINE_MAX_LEN = 4096 };

static const char zero_hash[] =
	"0000000000000000000000000000000000000000000000000000000000000000";


static int sha_hex(const char *p, size_t n, char hex[DP_AUDIT_HASH_HEX + 1])
{
	static const char d[] = "0123456789abcdef";
	unsigned char h[EVP_MAX_MD_SIZE];
	unsigned hl = 0;

	if (!EVP_Digest(p, n, h, &hl, EVP_sha256(), NULL) || hl != 32)
		return EIO;
	for (unsigned i = 0; i < 32; i++) {
		hex[2 * i] = d[h[i] >> 4];
		hex[2 * i + 1] = d[h[i] & 15];
	}
	hex[64] = '\0';

	return 0;
}


/*
 * One record checked on its own: its hash matches, and its seq and prev
 * are returned.
 */
static int check_line(const char *l, size_t n, unsigned *seq,
		      char prev[DP_AUDIT_HASH_HEX + 1],
		      char hash[DP_AUDIT_HASH_HEX + 1])
{
	static const char hk[] = ",\"hash\":\"", pk[] = ",\"prev\":\"";
	char want[DP_AUDIT_HASH_HEX + 1];
	const char *h = NULL, *pv = NULL;
	char *end;

	if (n < sizeof(hk) + 66 || strncmp(l, "{\"seq\":", 7))
		return EBADMSG;

	/* the last ,"hash":" ... "} */
	for (const char *f = l; (f = memmem(f, n - (size_t)(f - l), hk,
					     sizeof(hk) - 1)); f++)
		h = f;
	if (!h || (size_t)(l + n - h) != sizeof(hk) - 1 + 64 + 2 ||
	    l[n - 2] != '"' || l[n - 1] != '}')
		return EBADMSG;
	memcpy(hash, h + sizeof(hk) - 1, 64);
	hash[64] = '\0';

	if (sha_hex(l, (size_t)(h - l), want) || strcmp(want, hash))
		return EBADMSG;

	for (const char *f = l; (f = memmem(f, (size_t)(h - f), pk,
					     sizeof(pk) - 1)); f++)
		pv = f;
	if (!pv || h - pv != (long)(sizeof(pk) - 1 + 64 + 1))
		return EBADMSG;
	memcpy(prev, pv + sizeof(pk) - 1, 64);
	prev[64] = '\0';

	*seq = (unsigned)strtoul(l + 7, &end, 10);
	if (end == l + 7 || *end != ',')
		return EBADMSG;

	return 0;
}


/* The last record's seq and hash (0 and zeros for an empty log). */
static int tail_of(int fd, unsigned *seq, char hash[DP_AUDIT_HASH_HEX + 1])
{
	char buf[TAIL + 1], prev[DP_AUDIT_HASH_HEX + 1];
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

	return check_line(start, strlen(start), seq, prev, hash);
}


int dp_audit_append(const char *path, const char *event, const char *fields)
{
	char line[LINE_MAX_LEN], prevhash[DP_AUDIT_HASH_HEX + 1];
	char hash[DP_AUDIT_HASH_HEX + 1], when[32];
	unsigned seq;
	time_t now = time(NULL);
	struct tm tm;
	int fd, err, n;

	if (!path || !event || !*event)
		return EINVAL;
	for (const char *c = event; *c; c++) {
		if (!((*c >= 'a' && *c <= 'z') || *c == '_' ||
		      (*c >= '0' && *c <= '9')))
			return EINVAL;
	}

	fd = open(path, O_RDWR | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0)
		return errno;
	if (flock(fd, LOCK_EX)) {
		err = errno;
		goto out;
	}

	err = tail_of(fd, &seq, prevhash);
	if (err)
		goto out;

	gmtime_r(&now, &tm);
	strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &tm);
	n = snprintf(line, sizeof(line),
		     "{\"seq\":%u,\"time\":\"%s\",\"event\":\"%s\"%s%s,"
		     "\"prev\":\"%s\"", seq + 1, when, event,
		     fields && *fields ? "," : "", fields ? fields : "",
		     prevhash);
	if (n < 0 || (size_t)n + 80 > sizeof(line) || memchr(line, '\n', (size_t)n)) {
		err = EINVAL;
		goto out;
	}
	err = sha_hex(line, (size_t)n, hash);
	if (err)
		goto out;
	n += snprintf(line + n, sizeof(line) - (size_t)n, ",\"hash\":\"%s\"}\n",
		      hash);

	/* one write: a record is there whole or not at all */
	if (write(fd, line, (size_t)n) != n) {
		err = errno ? errno : EIO;
		goto out;
	}
	if (fsync(fd))
		err = errno;

 out:
	close(fd);

	return err;
}


int dp_audit_verify(const char *path, unsigned *count, unsigned *bad)
{
	char prev[DP_AUDIT_HASH_HEX + 1], hash[DP_AUDIT_HASH_HEX + 1];
	char last[DP_AUDIT_HASH_HEX + 1];
	FILE *f = fopen(path, "r");
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	unsigned n = 0, seq;
	int err = 0;

	if (count)
		*count = 0;
	if (bad)
		*bad = 0;
	if (!f)
		return errno;

	memcpy(last, zero_hash, sizeof(zero_hash));
	while ((len = getline(&line, &cap, f)) > 0) {
		n++;
		if (line[len - 1] != '\n' ||
		    check_line(line, (size_t)len - 1, &seq, prev, hash) ||
		    seq != n || strcmp(prev, last)) {
			err = EBADMSG;
			break;
		}
		memcpy(last, hash, sizeof(last));
	}

	free(line);
	fclose(f);
	if (err && bad)
		*bad = n;
	if (!err && count)
		*count = n;

	return err;
}
