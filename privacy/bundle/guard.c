/**
 * @file guard.c  Known secrets in redacted text
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <re.h>
#include "privacy/crypto/crypto.h"
#include "guard.h"

enum { MIN_SECRET = 6, MAX_SECRETS = 256, LINE_MAX_LEN = 1 << 20 };

struct dp_guard {
	char *secret[MAX_SECRETS];      /* lower case */
	size_t len[MAX_SECRETS];
	size_t n;
	char *line;                     /* one line, lower case */
	size_t llen;
	bool hit;
};


static void destructor(void *arg)
{
	struct dp_guard *g = arg;

	for (size_t i = 0; i < g->n; i++) {
		dp_wipe(g->secret[i], g->len[i]);
		mem_deref(g->secret[i]);
	}
	if (g->line)
		dp_wipe(g->line, LINE_MAX_LEN);
	mem_deref(g->line);
}


int dp_guard_alloc(struct dp_guard **gp)
{
	struct dp_guard *g = mem_zalloc(sizeof(*g), destructor);

	if (!g)
		return ENOMEM;
	g->line = mem_alloc(LINE_MAX_LEN, NULL);
	if (!g->line) {
		mem_deref(g);
		return ENOMEM;
	}
	*gp = g;

	return 0;
}


int dp_guard_secret(struct dp_guard *g, const char *secret)
{
	size_t l = strlen(secret);

	if (l < MIN_SECRET || l >= LINE_MAX_LEN)
		return 0;
	if (g->n >= MAX_SECRETS)
		return ENOSPC;

	g->secret[g->n] = mem_alloc(l + 1, NULL);
	if (!g->secret[g->n])
		return ENOMEM;
	for (size_t i = 0; i <= l; i++)
		g->secret[g->n][i] = (char)tolower((unsigned char)secret[i]);
	g->len[g->n++] = l;

	return 0;
}


/* Is [at, at+len) inside one of the redactor's tokens in this line? */
static bool in_token(const char *l, size_t n, size_t at, size_t len)
{
	size_t i = at + 1, j;

	/* the '<' that opens a token is at most 20 bytes back */
	while (i > 0 && at + 1 - i < 24 && l[i - 1] != '<')
		i--;
	if (i == 0 || l[i - 1] != '<')
		return false;
	for (j = i; j < n && j - i < 24 && l[j] != '>'; j++) {
		char c = l[j];

		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		      c == '-'))
			return false;
	}

	return j < n && l[j] == '>' && j >= at + len;
}


static void check_line(struct dp_guard *g)
{
	for (size_t s = 0; s < g->n; s++) {
		const char *f = g->line;
		size_t left = g->llen;

		while ((f = memmem(f, left, g->secret[s], g->len[s]))) {
			size_t at = (size_t)(f - g->line);

			if (!in_token(g->line, g->llen, at, g->len[s])) {
				g->hit = true;
				return;
			}
			f++;
			left = g->llen - at - 1;
		}
	}
}


static void feed(struct dp_guard *g, const char *p, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (p[i] == '\n' || g->llen == LINE_MAX_LEN) {
			check_line(g);
			g->llen = 0;
			if (p[i] == '\n')
				continue;
		}
		g->line[g->llen++] = (char)tolower((unsigned char)p[i]);
	}
}


bool dp_guard_text(struct dp_guard *g, const char *p, size_t n)
{
	g->llen = 0;
	feed(g, p, n);
	check_line(g);
	g->llen = 0;

	return g->hit;
}


int dp_guard_fd(struct dp_guard *g, int fd, bool *hit)
{
	char buf[65536];

	g->llen = 0;
	for (;;) {
		ssize_t k = read(fd, buf, sizeof(buf));

		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0)
			return errno;
		if (k == 0)
			break;
		feed(g, buf, (size_t)k);
	}
	check_line(g);
	g->llen = 0;
	dp_wipe(buf, sizeof(buf));
	*hit = g->hit;

	return 0;
}
