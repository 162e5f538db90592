/**
 * @file logs.c  The daemon's log and SIP traces: purged by age, by
 *               restriction and by objection
 *
 * `deskphone run` writes ${log_dir}/deskphone.log, a UTC stamp at the
 * start of every line, and keeps one older file, deskphone.log.1.  With
 * sip_trace on, baresip's SIP trace is in the same log, one block per
 * message:
 *
 *   <stamp> #
 *   <stamp> UDP 10.0.0.2:5060 -> 10.0.0.1:5060
 *   <stamp> INVITE sip:... SIP/2.0
 *   <stamp> <headers>
 *   <stamp>
 *   <stamp> <body, Content-Length bytes>
 *   <stamp>
 *
 * which is how a trace block is recognised here.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <re.h>
#include "base/fileutil.h"
#include "priv.h"

enum { STAMP_LEN = 20, MAX_LOG = 64 << 20, MAX_BLOCK = 2000 };

struct line {
	const char *p;       /* the whole line, without its '\n' */
	size_t len;
	const char *text;    /* after the stamp */
	size_t tlen;
	int64_t t;           /* its stamp, or INT64_MIN */
	int64_t eff;         /* never earlier than a line before it */
	int block;           /* trace block number, 0 for none */
};


static int num(const char *p, int n)
{
	int v = 0;

	for (int i = 0; i < n; i++)
		v = v * 10 + (p[i] - '0');

	return v;
}


/* Days from 1970-01-01 to a date of the proleptic Gregorian calendar. */
static int64_t days_from_civil(int64_t y, int m, int d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;

	return era * 146097 + doe - 719468;
}


/* "2026-11-30T08:11:25Z " at the start: its time, or INT64_MIN.  Read
 * in place: a log line is not NUL-terminated here. */
static int64_t stamp_of(const char *p, size_t len)
{
	int mo, d, h, mi, s;

	if (len < STAMP_LEN || p[4] != '-' || p[7] != '-' || p[10] != 'T' ||
	    p[13] != ':' || p[16] != ':' || p[19] != 'Z')
		return INT64_MIN;
	for (int i = 0; i < 19; i++) {
		if (i != 4 && i != 7 && i != 10 && i != 13 && i != 16 &&
		    !isdigit((unsigned char)p[i]))
			return INT64_MIN;
	}

	mo = num(p + 5, 2);
	d = num(p + 8, 2);
	h = num(p + 11, 2);
	mi = num(p + 14, 2);
	s = num(p + 17, 2);
	if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 ||
	    s > 60)
		return INT64_MIN;

	return days_from_civil(num(p, 4), mo, d) * 86400 + h * 3600 +
		mi * 60 + s;
}


static size_t split(char *buf, size_t len, struct line **linesp)
{
	size_t n = 0, cap = 0;
	struct line *v = NULL;

	for (size_t i = 0; i < len; ) {
		const char *nl = memchr(buf + i, '\n', len - i);
		size_t l = nl ? (size_t)(nl - (buf + i)) : len - i;
		struct line *ln;

		if (n == cap) {
			struct line *w;

			cap = cap ? 2 * cap : 1024;
			w = realloc(v, cap * sizeof(*v));
			if (!w) {
				free(v);
				*linesp = NULL;
				return (size_t)-1;
			}
			v = w;
		}
		ln = &v[n++];
		memset(ln, 0, sizeof(*ln));
		ln->p = buf + i;
		ln->len = l;
		ln->t = stamp_of(ln->p, l);
		if (ln->t != INT64_MIN) {
			ln->text = ln->p + STAMP_LEN;
			ln->tlen = l - STAMP_LEN;
			if (ln->tlen && ln->text[0] == ' ') {
				ln->text++;
				ln->tlen--;
			}
		}
		else {
			ln->text = ln->p;
			ln->tlen = l;
		}
		i += l + (nl ? 1 : 0);
	}

	*linesp = v;

	return n;
}


static bool is_transport_line(const struct line *l)
{
	static const char *const tp[] = { "UDP ", "TCP ", "TLS ", "WS ",
					  "WSS " };

	for (size_t i = 0; i < sizeof(tp) / sizeof(tp[0]); i++) {
		size_t k = strlen(tp[i]);

		if (l->tlen > k && !memcmp(l->text, tp[i], k) &&
		    memmem(l->text, l->tlen, " -> ", 4))
			return true;
	}

	return false;
}


static bool header_is(const struct line *l, const char *name)
{
	size_t k = strlen(name);

	return l->tlen > k && !strncasecmp(l->text, name, k) &&
		l->text[k] == ':';
}


/* Mark the SIP trace blocks; returns how many there are. */
static int mark_blocks(struct line *v, size_t n)
{
	int blocks = 0;

	for (size_t i = 0; i + 1 < n; i++) {
		size_t j, end;
		long body = 0;

		if (!(v[i].tlen == 1 && v[i].text[0] == '#') ||
		    !is_transport_line(&v[i + 1]))
			continue;

		/* start line and headers, to the empty line */
		for (j = i + 2; j < n && j < i + MAX_BLOCK && v[j].tlen; j++) {
			if (header_is(&v[j], "Content-Length") ||
			    header_is(&v[j], "l")) {
				const char *c = memchr(v[j].text, ':',
						       v[j].tlen);

				body = strtol(c + 1, NULL, 10);
			}
		}
		end = j;                          /* the empty line */
		for (j = end + 1; body > 0 && j < n && j < end + MAX_BLOCK;
		     j++)
			body -= (long)v[j].tlen + 2;   /* CRLF, as sent */
		/* baresip ends a message with one more (empty) line */
		if (j < n && !v[j].tlen)
			j++;
		end = j < n ? j : n;

		++blocks;
		for (size_t k = i; k < end; k++)
			v[k].block = blocks;
		i = end - 1;
	}

	return blocks;
}


/* Each line's time: its stamp, but never before a line above it. */
static void effective_times(struct line *v, size_t n)
{
	int64_t t = INT64_MIN;

	/* lines before the first stamp belong with it */
	for (size_t i = 0; i < n && t == INT64_MIN; i++)
		t = v[i].t;

	for (size_t i = 0; i < n; i++) {
		if (v[i].t != INT64_MIN && v[i].t > t)
			t = v[i].t;
		v[i].eff = t;
	}
}


/* A buffer the file's size (and what may be added while we read), not
 * the most a log may be: a small board has no 64 MiB to spare. */
size_t priv_log_read_max(int fd)
{
	struct stat st;
	size_t max;

	if (fstat(fd, &st) || st.st_size < 0)
		return 1 << 20;
	max = (size_t)st.st_size + (256 << 10);

	return max < MAX_LOG ? max : MAX_LOG;
}


static int read_open(const char *path, int *fdp, char **bufp, size_t *lenp)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	int err;

	if (fd < 0)
		return errno;

	err = dp_read_fd(fd, priv_log_read_max(fd), bufp, lenp);
	if (err) {
		close(fd);
		return err;
	}
	*fdp = fd;

	return 0;
}


/* The file at `path` still is the one `fd` reads (not rotated away). */
static bool same_file(const char *path, int fd)
{
	struct stat a, b;

	return !stat(path, &a) && !fstat(fd, &b) && a.st_ino == b.st_ino &&
		a.st_dev == b.st_dev;
}


/* Lines the daemon added to the old file while we worked go on. */
static void carry_over(int fd, size_t from, const char *path)
{
	char buf[4096];
	int out = open(path, O_WRONLY | O_APPEND | O_CLOEXEC);
	ssize_t n;
	off_t at = (off_t)from;

	if (out < 0)
		return;
	while ((n = pread(fd, buf, sizeof(buf), at)) > 0) {
		if (write(out, buf, (size_t)n) != n)
			break;
		at += n;
	}
	close(out);
}


static int purge_file(const char *path, bool live,
		      const struct dp_log_purge *how,
		      struct dp_log_report *rep)
{
	struct line *v = NULL;
	struct mbuf *keep;
	char *buf = NULL;
	size_t len = 0, n;
	bool *drop_block = NULL;
	uint64_t removed = 0, traces = 0;
	int blocks, fd = -1, err;

	err = read_open(path, &fd, &buf, &len);
	if (err == ENOENT)
		return 0;
	if (err)
		return err;

	n = split(buf, len, &v);
	if (n == (size_t)-1) {
		err = ENOMEM;
		goto out;
	}
	blocks = mark_blocks(v, n);
	effective_times(v, n);

	drop_block = calloc((size_t)blocks + 1, sizeof(*drop_block));
	keep = mbuf_alloc(len + 1);
	if (!drop_block || !keep) {
		mem_deref(keep);
		err = ENOMEM;
		goto out;
	}

	/* a trace block naming an objected party goes whole */
	for (size_t i = 0; how->objections && i < n; i++) {
		if (v[i].block && !drop_block[v[i].block] &&
		    dp_privacy_mentions_objected(how->objections, v[i].text,
						 v[i].tlen))
			drop_block[v[i].block] = true;
	}

	for (size_t i = 0; i < n; i++) {
		struct line *l = &v[i];
		bool drop = how->everything ||
			(l->eff != INT64_MIN && l->eff < how->cutoff_s) ||
			(l->block && how->drop_traces) ||
			(l->block && drop_block[l->block]) ||
			(how->objections &&
			 dp_privacy_mentions_objected(how->objections,
						      l->text, l->tlen));

		if (drop) {
			removed++;
			rep->bytes_removed += l->len + 1;
			if (l->block && (i == 0 || v[i - 1].block != l->block))
				traces++;
			continue;
		}
		rep->lines_kept++;
		err = mbuf_write_mem(keep, (const uint8_t *)l->p, l->len);
		if (!err && (l->p + l->len < buf + len))
			err = mbuf_write_u8(keep, '\n');
		if (err)
			break;
	}

	if (!err && removed) {
		if (!live && !keep->end) {
			if (same_file(path, fd) && unlink(path))
				err = errno;
		}
		else if (!same_file(path, fd)) {
			/* rotated while we read: the next purge does it */
			removed = traces = 0;
		}
		else {
			err = dp_write_atomic(path, keep->buf, keep->end, 0600);
			if (!err && live)
				carry_over(fd, len, path);
		}
		if (!err && removed)
			rep->files++;
	}
	if (!err) {
		rep->lines_removed += removed;
		rep->traces_removed += traces;
	}

	if (keep->buf)
		dp_wipe(keep->buf, keep->size);
	mem_deref(keep);

 out:
	free(drop_block);
	free(v);
	if (buf) {
		dp_wipe(buf, len);
		mem_deref(buf);
	}
	if (fd >= 0)
		close(fd);

	return err;
}


int dp_logs_purge(const char *dir, const struct dp_log_purge *how,
		  struct dp_log_report *rep)
{
	char path[4096];
	int err;

	memset(rep, 0, sizeof(*rep));
	if (!dir || !*dir)
		return 0;

	re_snprintf(path, sizeof(path), "%s/deskphone.log.1", dir);
	err = purge_file(path, false, how, rep);
	if (err)
		return err;

	re_snprintf(path, sizeof(path), "%s/deskphone.log", dir);

	return purge_file(path, true, how, rep);
}


static int info_file(const char *path, struct dp_log_info *info)
{
	struct line *v = NULL;
	char *buf = NULL;
	size_t len = 0, n;
	int fd = -1, err;

	err = read_open(path, &fd, &buf, &len);
	close(fd);
	if (err == ENOENT)
		return 0;
	if (err)
		return err;

	n = split(buf, len, &v);
	if (n == (size_t)-1) {
		mem_deref(buf);
		return ENOMEM;
	}
	info->bytes += len;
	info->lines += n;
	info->trace_blocks += (uint64_t)mark_blocks(v, n);
	for (size_t i = 0; i < n; i++) {
		if (v[i].t == INT64_MIN)
			continue;
		if (!info->oldest_s || v[i].t < info->oldest_s)
			info->oldest_s = v[i].t;
		if (v[i].t > info->newest_s)
			info->newest_s = v[i].t;
	}
	free(v);
	dp_wipe(buf, len);
	mem_deref(buf);

	return 0;
}


int dp_logs_info(const char *dir, struct dp_log_info *info)
{
	char path[4096];
	int err;

	memset(info, 0, sizeof(*info));
	if (!dir || !*dir)
		return 0;

	re_snprintf(path, sizeof(path), "%s/deskphone.log.1", dir);
	err = info_file(path, info);
	if (err)
		return err;
	re_snprintf(path, sizeof(path), "%s/deskphone.log", dir);

	return info_file(path, info);
}
