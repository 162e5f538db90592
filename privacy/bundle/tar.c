/**
 * @file tar.c  ustar, regular files only
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <re.h>
#include "privacy/crypto/crypto.h"
#include "tar.h"

enum { IO = 65536 };

struct dp_tar_writer {
	dp_tar_out_h *outh;
	void *arg;
	time_t mtime;
	uint64_t bytes;
	struct dp_sha256 *md;   /* of the entry being written */
	uint8_t buf[IO];
};


static void writer_destructor(void *arg)
{
	struct dp_tar_writer *w = arg;

	mem_deref(w->md);
}


int dp_tar_writer_alloc(struct dp_tar_writer **wp, time_t mtime,
			dp_tar_out_h *outh, void *arg)
{
	struct dp_tar_writer *w = mem_zalloc(sizeof(*w), writer_destructor);

	if (!w)
		return ENOMEM;
	w->outh = outh;
	w->arg = arg;
	w->mtime = mtime;
	if (dp_sha256_alloc(&w->md)) {
		mem_deref(w);
		return ENOMEM;
	}
	*wp = w;

	return 0;
}


bool dp_tar_name_ok(const char *name)
{
	size_t n = strlen(name);

	if (!n || n >= DP_TAR_NAME || name[0] == '/' || name[n - 1] == '/')
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = name[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9') || c == '.' || c == '_' ||
		      c == '-' || c == '/'))
			return false;
		if (c == '/' && name[i + 1] == '/')
			return false;
	}
	/* no "." or ".." component */
	for (const char *c = name; c; c = strchr(c, '/')) {
		if (*c == '/')
			c++;
		if ((c[0] == '.' && (c[1] == '/' || !c[1])) ||
		    (c[0] == '.' && c[1] == '.' && (c[2] == '/' || !c[2])))
			return false;
	}

	return true;
}


static int out(struct dp_tar_writer *w, const void *p, size_t n)
{
	w->bytes += n;

	return w->outh(p, n, w->arg);
}


static void octal(char *f, size_t width, uint64_t v)
{
	/* width includes the terminating NUL */
	snprintf(f, width, "%0*llo", (int)width - 1, (unsigned long long)v);
}


static unsigned checksum(const uint8_t h[DP_TAR_BLOCK])
{
	unsigned sum = 0;

	for (int i = 0; i < DP_TAR_BLOCK; i++)
		sum += (i >= 148 && i < 156) ? ' ' : h[i];

	return sum;
}


static int header(struct dp_tar_writer *w, const char *name, uint64_t size)
{
	uint8_t h[DP_TAR_BLOCK];
	char *c = (char *)h;

	if (!dp_tar_name_ok(name) || size >= 077777777777ULL)
		return EINVAL;

	memset(h, 0, sizeof(h));
	memcpy(c, name, strlen(name));
	octal(c + 100, 8, 0600);
	octal(c + 108, 8, 0);
	octal(c + 116, 8, 0);
	octal(c + 124, 12, size);
	octal(c + 136, 12, (uint64_t)w->mtime);
	c[156] = '0';
	memcpy(c + 257, "ustar", 6);
	memcpy(c + 263, "00", 2);
	memcpy(c + 265, "root", 4);
	memcpy(c + 297, "root", 4);
	snprintf(c + 148, 8, "%06o", checksum(h));
	c[155] = ' ';

	return out(w, h, sizeof(h));
}


static int pad(struct dp_tar_writer *w, uint64_t size)
{
	static const uint8_t zero[DP_TAR_BLOCK];
	size_t r = (size_t)(size % DP_TAR_BLOCK);

	return r ? out(w, zero, DP_TAR_BLOCK - r) : 0;
}


static int digest_end(struct dp_tar_writer *w, uint8_t sha256[32])
{
	return dp_sha256_final(w->md, sha256) ? EIO : 0;
}


int dp_tar_add_mem(struct dp_tar_writer *w, const char *name, const void *p,
		   size_t n, uint8_t sha256[32])
{
	int err = header(w, name, n);

	if (err)
		return err;
	if (dp_sha256_update(w->md, p, n))
		return EIO;
	if (n)
		err = out(w, p, n);
	if (!err)
		err = pad(w, n);
	if (!err)
		err = digest_end(w, sha256);

	return err;
}


int dp_tar_add_fd(struct dp_tar_writer *w, const char *name, int fd,
		  uint64_t size, uint8_t sha256[32])
{
	uint64_t done = 0;
	int err = header(w, name, size);

	if (err)
		return err;

	while (done < size) {
		size_t want = size - done > IO ? IO : (size_t)(size - done);
		ssize_t k = read(fd, w->buf, want);

		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			return k < 0 ? errno : EIO;   /* it shrank */
		if (dp_sha256_update(w->md, w->buf, (size_t)k))
			return EIO;
		err = out(w, w->buf, (size_t)k);
		if (err)
			return err;
		done += (uint64_t)k;
	}

	err = pad(w, size);
	if (!err)
		err = digest_end(w, sha256);

	return err;
}


int dp_tar_finish(struct dp_tar_writer *w)
{
	static const uint8_t zero[2 * DP_TAR_BLOCK];

	return out(w, zero, sizeof(zero));
}


uint64_t dp_tar_bytes(const struct dp_tar_writer *w)
{
	return w ? w->bytes : 0;
}


/* --- reading --------------------------------------------------------------- */

static bool parse_octal(const char *f, size_t width, uint64_t *v)
{
	size_t i = 0;

	*v = 0;
	while (i < width && f[i] == ' ')
		i++;
	if (i >= width || f[i] < '0' || f[i] > '7')
		return false;
	for (; i < width && f[i] >= '0' && f[i] <= '7'; i++)
		*v = *v * 8 + (uint64_t)(f[i] - '0');
	for (; i < width; i++) {
		if (f[i] != ' ' && f[i] != '\0')
			return false;
	}

	return true;
}


static int read_block(dp_tar_in_h *inh, void *arg, uint8_t *b, size_t n)
{
	size_t got = 0;
	int err = inh(b, n, &got, arg);

	if (err)
		return err;

	return got == n ? 0 : EBADMSG;
}


int dp_tar_read(dp_tar_in_h *inh, void *in_arg, dp_tar_entry_h *eh,
		void *arg)
{
	static const uint8_t zero[DP_TAR_BLOCK];
	uint8_t h[DP_TAR_BLOCK], *buf = mem_alloc(IO, NULL);
	struct dp_sha256 *md = NULL;
	int err = 0;

	if (!buf || dp_sha256_alloc(&md)) {
		err = ENOMEM;
		goto out;
	}

	for (;;) {
		char name[DP_TAR_NAME + 1];
		uint64_t size, sum, left;
		uint8_t sha[32];

		err = read_block(inh, in_arg, h, sizeof(h));
		if (err)
			break;
		if (!memcmp(h, zero, sizeof(h))) {
			/* the end: a second zero block follows */
			err = read_block(inh, in_arg, h, sizeof(h));
			if (!err && memcmp(h, zero, sizeof(h)))
				err = EBADMSG;
			break;
		}

		memcpy(name, h, DP_TAR_NAME);
		name[DP_TAR_NAME] = '\0';
		if (memcmp(h + 257, "ustar", 5) ||
		    !parse_octal((char *)h + 148, 8, &sum) ||
		    sum != checksum(h) ||
		    !parse_octal((char *)h + 124, 12, &size) ||
		    (h[156] != '0' && h[156] != '\0') || h[345] != '\0' ||
		    !dp_tar_name_ok(name)) {
			err = EBADMSG;
			break;
		}

		err = eh(DP_TAR_BEGIN, name, size, NULL, 0, NULL, arg);
		if (err)
			break;

		for (left = size; left && !err; ) {
			size_t want = left > IO ? IO : (size_t)left;

			err = read_block(inh, in_arg, buf, want);
			if (err)
				break;
			if (dp_sha256_update(md, buf, want)) {
				err = EIO;
				break;
			}
			err = eh(DP_TAR_DATA, name, size, buf, want, NULL, arg);
			left -= want;
		}
		if (err)
			break;
		if (size % DP_TAR_BLOCK) {
			err = read_block(inh, in_arg, buf,
					 DP_TAR_BLOCK - size % DP_TAR_BLOCK);
			if (err)
				break;
		}

		if (dp_sha256_final(md, sha)) {
			err = EIO;
			break;
		}
		err = eh(DP_TAR_END, name, size, NULL, 0, sha, arg);
		if (err)
			break;
	}

 out:
	mem_deref(md);
	mem_deref(buf);

	return err;
}
