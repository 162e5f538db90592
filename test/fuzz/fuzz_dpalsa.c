/**
 * @file fuzz_dpalsa.c  dpalsa's volume file (modules/alsa/volfile.c) and
 *                      its command parameters (modules/alsa/cmdparse.c)
 *
 * The input is read as a volume file and, line by line, as the
 * parameter of /dpalsa_volume, /dpalsa_route and /dpalsa_fault.  Each is
 * checked against the rules written out again here, from the headers:
 *
 * - volume file: `route volume` a line, '#' comments, blank lines; an
 *   unknown route, a number that is not 0-100, a missing volume, text
 *   after it or a line of 256 bytes or more is an error naming the line,
 *   the lines before it kept; a file that loads saves and loads back the
 *   same;
 * - parameters: words split at blanks; more words than the command
 *   takes, or a word too long to hold, is an error (never a word cut
 *   short or dropped); a volume is up, down, + , - or 0-100 in digits.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <re.h>
#include "modules/alsa/audio_io.h"
#include "modules/alsa/cmdparse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(c) do { if (!(c)) __builtin_trap(); } while (0)

static char volpath[256];


/* --- the volume file ---------------------------------------------------- */

static bool blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r';
}


/* Digits only, 0-100 (leading zeros allowed). */
static bool volume_ok(const char *s, size_t n, unsigned *v)
{
	unsigned long x = 0;

	if (!n)
		return false;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		x = x * 10 + (unsigned long)(s[i] - '0');
		if (x > 100)
			return false;
	}
	*v = (unsigned)x;

	return true;
}


/* The reference: what `rt` should hold after parsing, 0 or EINVAL. */
static int reference_volumes(const char *text, unsigned vol[DPA_ROUTES])
{
	const char *line = text;

	while (*line) {
		const char *nl = strchr(line, '\n');
		size_t len = nl ? (size_t)(nl - line) : strlen(line);
		const char *w[3];
		size_t wl[3], nw = 0, i = 0;
		enum dpa_route r;
		char name[256];
		unsigned v;

		if (len >= 256)
			return EINVAL;

		while (i < len && nw < 3) {
			while (i < len && blank(line[i]))
				i++;
			if (i >= len)
				break;
			w[nw] = line + i;
			while (i < len && !blank(line[i]))
				i++;
			wl[nw] = (size_t)(line + i - w[nw]);
			nw++;
		}

		if (nw && w[0][0] != '#') {
			snprintf(name, sizeof(name), "%.*s", (int)wl[0], w[0]);
			if (nw < 2 || dpa_route_parse(name, &r) ||
			    !volume_ok(w[1], wl[1], &v) || nw > 2)
				return EINVAL;
			vol[r] = v;
		}

		line += len + (nl ? 1 : 0);
	}

	return 0;
}


static void volume_file(const char *text)
{
	struct dpa_routes rt, back;
	unsigned want[DPA_ROUTES];
	char err[256] = "";
	int e, ref;

	dpa_routes_init(&rt);
	for (unsigned i = 0; i < DPA_ROUTES; i++)
		rt.volume[i] = want[i] = 77;

	e = dpa_volume_parse(&rt, text, err, sizeof(err));
	ref = reference_volumes(text, want);
	CHECK(e == ref);
	if (e)
		CHECK(!strncmp(err, "line ", 5));

	/* on an error, the lines before it are kept (both stopped there) */
	for (unsigned i = 0; i < DPA_ROUTES; i++)
		CHECK(rt.volume[i] == want[i] && rt.volume[i] <= 100);

	if (e)
		return;

	dpa_routes_init(&back);
	CHECK(0 == dpa_volume_save(&rt, volpath));
	CHECK(0 == dpa_volume_load(&back, volpath, err, sizeof(err)));
	for (unsigned i = 0; i < DPA_ROUTES; i++)
		CHECK(back.volume[i] == rt.volume[i]);
}


/* --- command parameters ----------------------------------------------- */

struct words {
	char w[8][DPA_WORD];
	unsigned n;
	bool too_long;
};


static void split(const char *s, struct words *ws)
{
	memset(ws, 0, sizeof(*ws));
	while (*s) {
		size_t l;

		while (*s == ' ' || *s == '\t')
			s++;
		if (!*s)
			break;
		l = strcspn(s, " \t");
		if (l >= DPA_WORD)
			ws->too_long = true;
		if (ws->n < 8)
			snprintf(ws->w[ws->n], DPA_WORD, "%.*s", (int)l, s);
		ws->n++;
		s += l;
	}
}


static void parameter(const char *prm)
{
	struct words ws;
	char a[DPA_WORD], b[DPA_WORD], route[DPA_WORD];
	unsigned n, v, ms;
	int e;

	split(prm, &ws);

	e = dpa_cmd_words(prm, a, b, &n);
	if (ws.n > 2 || ws.too_long) {
		CHECK(e == EINVAL);
	}
	else {
		CHECK(e == 0 && n == ws.n);
		CHECK(n < 1 || !strcmp(a, ws.w[0]));
		CHECK(n < 2 || !strcmp(b, ws.w[1]));
	}

	if (ws.n == 1 && !ws.too_long) {
		bool up = !strcmp(a, "up") || !strcmp(a, "+");
		bool down = !strcmp(a, "down") || !strcmp(a, "-");
		unsigned want;

		e = dpa_volume_arg(a, 55, &v);
		if (up || down)
			CHECK(e == 0 && v == (up ? 65 : 45));
		else if (volume_ok(a, strlen(a), &want))
			CHECK(e == 0 && v == want);
		else
			CHECK(e == EINVAL);
	}

	e = dpa_fault_args(prm, &ms, route);
	if (ws.n < 2 || ws.n > 3 || ws.too_long ||
	    strcmp(ws.w[0], "stall")) {
		CHECK(e == EINVAL);
	}
	else {
		bool digits = ws.w[1][0] != '\0';
		unsigned long want = 0;

		for (const char *c = ws.w[1]; *c; c++) {
			digits &= *c >= '0' && *c <= '9';
			if (want <= 10000)
				want = want * 10 + (unsigned long)(*c - '0');
		}
		if (!digits || want > 10000) {
			CHECK(e == EINVAL);
		}
		else {
			CHECK(e == 0 && ms == want);
			CHECK(!strcmp(route, ws.n == 3 ? ws.w[2] : ""));
		}
	}
}


static void cleanup(void)
{
	char *slash = strrchr(volpath, '/');

	(void)unlink(volpath);
	if (slash) {
		*slash = '\0';
		(void)rmdir(volpath);
	}
}


int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static bool inited;
	char *text = malloc(size + 1);

	if (!inited) {
		const char *base = access("/dev/shm", W_OK) ? "/tmp" :
			"/dev/shm";

		snprintf(volpath, sizeof(volpath), "%s/fuzz-dpalsa-%d/volume",
			 base, (int)getpid());
		atexit(cleanup);
		inited = true;
	}
	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';

	volume_file(text);

	for (char *line = text, *nl; line; line = nl ? nl + 1 : NULL) {
		nl = strchr(line, '\n');
		if (nl)
			*nl = '\0';
		parameter(line);
	}

	free(text);

	return 0;
}
