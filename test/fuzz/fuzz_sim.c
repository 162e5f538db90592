/**
 * @file fuzz_sim.c  The sim board's socket protocol (board/sim.c), both
 *                   ends: the server reading a terminal client's lines,
 *                   and the client's view (board/sim_view.c) reading
 *                   whatever a server sends
 *
 * Input: one byte of options (display geometry, how the bytes are cut),
 * then lines.  A real sim server (libre's loop, a UNIX socket in a
 * temporary directory) gets a real client connection; the lines go to
 * it in pieces of 1 to 300 bytes, each taken in before the next is sent.
 * Each line is also drawn on a screen (board/screen.c) that the server
 * shows, and sets an LED.  What the server sends back is read by the
 * client view, as `deskphone sim` reads it.
 *
 * Checks: every line the server sends is one the protocol has (hello,
 * row with exactly COLS characters of UTF-8, led, end, error); the keys
 * the phone gets are exactly those the client's lines ask for, and every
 * line not understood gets one error line, computed here from sim.h's
 * rules (up to where the server drops a client whose line grew past its
 * limit); the view shows the screen as drawn, from the row updates alone
 * and again after `screen`.  The raw input is also fed to a second view
 * as if a server had sent it: it must stay within its bounds.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>
#include <linux/sockios.h>
#include <re.h>
#include "board/glyph.h"
#include "board/log.h"
#include "board/screen.h"
#include "board/sim.h"
#include "board/sim_view.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(c) do { if (!(c)) __builtin_trap(); } while (0)

enum {
	SERVER_MAX_LINE = 256,    /* sim.c: a client buffering more is dropped */
	MAX_EVENTS = 4096,
	OUT_MAX = 1 << 20,
};

struct expect {
	enum phone_key key[MAX_EVENTS];
	enum key_action act[MAX_EVENTS];
	size_t nkeys;
	unsigned errors;
	char buf[SERVER_MAX_LINE + 512];
	size_t len;
	bool dropped;             /* the server closed on us */
};

struct got {
	enum phone_key key[MAX_EVENTS];
	enum key_action act[MAX_EVENTS];
	size_t nkeys;
};

static int ready[2] = { -1, -1 };
static char sock_path[128];


static void quiet(bool error, const char *msg)
{
	(void)error;
	(void)msg;
}


static void stop(int flags, void *arg)
{
	(void)flags;
	(void)arg;
	re_cancel();
}


/* One pass of libre's loop (the always-ready pipe ends it). */
static void loop_once(void)
{
	(void)re_main(NULL);
}


static void on_key(enum phone_key key, enum key_action act, void *arg)
{
	struct got *g = arg;

	CHECK(g->nkeys < MAX_EVENTS);
	g->key[g->nkeys] = key;
	g->act[g->nkeys] = act;
	g->nkeys++;
}


static char sock_dir[64];


static void cleanup(void)
{
	(void)unlink(sock_path);
	(void)rmdir(sock_dir);
}


static void init_once(void)
{
	static bool done;
	char *dir = sock_dir;

	if (done)
		return;
	snprintf(sock_dir, sizeof(sock_dir), "/tmp/fuzz-sim-XXXXXX");
	CHECK(0 == libre_init());
	board_log_set(quiet);
	CHECK(0 == pipe2(ready, O_CLOEXEC | O_NONBLOCK));
	CHECK(1 == write(ready[1], "x", 1));
	CHECK(0 == fd_listen(ready[0], FD_READ, stop, NULL));
	CHECK(mkdtemp(dir) != NULL);
	snprintf(sock_path, sizeof(sock_path), "%s/sim", dir);
	atexit(cleanup);
	done = true;
}


/* --- what the server should do with the client's lines (sim.h) -------- */

static void expect_line(struct expect *e, char *raw, size_t len)
{
	char *arg, *line = raw;
	enum phone_key key = PK_NONE;

	if (len && raw[len - 1] == '\r')
		len--;
	raw[len] = '\0';                 /* then it is a C string */

	arg = strchr(line, ' ');
	if (arg) {
		*arg++ = '\0';
		key = phone_key_find(arg, strlen(arg));
	}
	if (!strcmp(line, "screen"))
		return;
	if (!arg || key == PK_NONE || (strcmp(line, "key") &&
				       strcmp(line, "press") &&
				       strcmp(line, "release"))) {
		e->errors++;
		return;
	}

	CHECK(e->nkeys + 2 <= MAX_EVENTS);
	if (strcmp(line, "release")) {
		e->key[e->nkeys] = key;
		e->act[e->nkeys++] = KEY_PRESS;
	}
	if (strcmp(line, "press")) {
		e->key[e->nkeys] = key;
		e->act[e->nkeys++] = KEY_RELEASE;
	}
}


/* One piece as the server takes it in: lines, then the length limit. */
static void expect_piece(struct expect *e, const uint8_t *p, size_t n)
{
	if (e->dropped)
		return;
	CHECK(e->len + n <= sizeof(e->buf));
	memcpy(e->buf + e->len, p, n);
	e->len += n;

	for (;;) {
		char *nl = memchr(e->buf, '\n', e->len);
		size_t l;

		if (!nl)
			break;
		l = (size_t)(nl - e->buf);
		expect_line(e, e->buf, l);
		memmove(e->buf, nl + 1, e->len - l - 1);
		e->len -= l + 1;
	}
	if (e->len > SERVER_MAX_LINE)
		e->dropped = true;
}


/* --- what the server sends ------------------------------------------- */

/* Valid UTF-8 without control characters; its characters are counted. */
static bool utf8_chars(const char *s, size_t *nchars)
{
	const uint8_t *p = (const uint8_t *)s;

	*nchars = 0;
	while (*p) {
		size_t more;

		if (*p < 0x20 || *p == 0x7f)
			return false;
		if (*p < 0x80)
			more = 0;
		else if ((*p & 0xe0) == 0xc0)
			more = 1;
		else if ((*p & 0xf0) == 0xe0)
			more = 2;
		else if ((*p & 0xf8) == 0xf0)
			more = 3;
		else
			return false;
		p++;
		for (size_t i = 0; i < more; i++, p++)
			if ((*p & 0xc0) != 0x80)
				return false;
		++*nchars;
	}

	return true;
}


static void check_server_line(const char *line, unsigned rows, unsigned cols)
{
	unsigned a, b;
	int used = 0;

	if (!strncmp(line, "error ", 6) || !strcmp(line, "end"))
		return;
	if (2 == sscanf(line, "hello deskphone-sim 1 %u %u%n", &a, &b, &used)) {
		CHECK(a == rows && b == cols && !line[used]);
		return;
	}
	if (!strncmp(line, "row ", 4)) {
		char *end;
		unsigned long r = strtoul(line + 4, &end, 10);
		size_t n;

		CHECK(end != line + 4 && *end == ' ' && r < rows);
		CHECK(utf8_chars(end + 1, &n) && n == cols);
		return;
	}
	if (!strncmp(line, "led ", 4)) {
		char name[16], st[8];
		bool known = false;

		CHECK(2 == sscanf(line + 4, "%15s %7s%n", name, st, &used));
		CHECK(!line[4 + used]);
		for (int i = 0; i < SIM_VIEW_LEDS; i++)
			known |= !strcmp(name, sim_view_led_names[i]);
		CHECK(known && (!strcmp(st, "off") || !strcmp(st, "on") ||
				!strcmp(st, "blink")));
		return;
	}

	__builtin_trap();    /* not a line of the protocol */
}


struct client {
	int fd;
	bool eof;
	struct sim_view view;
	char out[OUT_MAX];        /* the server's bytes, split into lines */
	size_t outlen;
	unsigned errors;
	unsigned rows, cols;
};


static void on_error_line(const char *why, void *arg)
{
	struct client *c = arg;

	(void)why;
	c->errors++;
}


static void client_read(struct client *c)
{
	char buf[4096];
	ssize_t n;

	while ((n = recv(c->fd, buf, sizeof(buf), 0)) > 0) {
		sim_view_feed(&c->view, buf, (size_t)n);

		CHECK(c->outlen + (size_t)n <= sizeof(c->out));
		memcpy(c->out + c->outlen, buf, (size_t)n);
		c->outlen += (size_t)n;
		for (;;) {
			char *nl = memchr(c->out, '\n', c->outlen);
			size_t l;

			if (!nl)
				break;
			l = (size_t)(nl - c->out);
			*nl = '\0';
			CHECK(strlen(c->out) == l);   /* no NUL in a line */
			check_server_line(c->out, c->rows, c->cols);
			memmove(c->out, nl + 1, c->outlen - l - 1);
			c->outlen -= l + 1;
		}
	}
	if (n == 0)
		c->eof = true;
	else
		CHECK(errno == EAGAIN);
}


static size_t unread(int fd)
{
	int n = 0;

	CHECK(0 == ioctl(fd, SIOCOUTQ, &n));

	return (size_t)n;
}


/* Run the loop until the server took in what we sent, then read. */
static void settle(struct client *c)
{
	for (int spins = 0; !c->eof && unread(c->fd); spins++) {
		CHECK(spins < 10000);
		loop_once();
	}
	loop_once();
	client_read(c);
}


/* The row as the terminal shows it: glyphs as their characters. */
static void row_text(const struct screen *scr, unsigned r, char *out,
		     size_t sz)
{
	const uint8_t *cells = screen_row(scr, r);
	size_t at = 0;

	for (unsigned i = 0; i < screen_cols(scr); i++) {
		const char *g = glyph_utf8(cells[i]);
		size_t l = g ? strlen(g) : 1;

		CHECK(at + l < sz);
		if (g)
			memcpy(out + at, g, l);
		else
			out[at] = (char)cells[i];
		at += l;
	}
	out[at] = '\0';
}


static void check_view(const struct client *c, const struct screen *scr,
		       const enum led_state *leds)
{
	char want[SIM_VIEW_TEXT * 2];

	CHECK(c->view.rows == c->rows && c->view.cols == c->cols);
	for (unsigned r = 0; r < c->rows; r++) {
		row_text(scr, r, want, sizeof(want));
		CHECK(!strcmp(c->view.row[r], want));
	}
	for (int i = 0; i < SIM_VIEW_LEDS; i++)
		CHECK(!strcmp(c->view.led[i], led_state_name(leds[i])));
}


static void draw(struct screen *scr, struct sim *sim, enum led_state *leds,
		 const char *line, size_t len, unsigned i)
{
	unsigned rows = screen_rows(scr), cols = screen_cols(scr);

	switch (i % 3) {
	case 0:
		screen_line(scr, i % rows, "%s", line);
		break;
	case 1:
		screen_right(scr, i % rows, line);
		break;
	default:
		screen_put(scr, i % rows, (unsigned)len % cols, line);
		screen_cell(scr, (i + 1) % rows, (unsigned)len % cols,
			    len ? (uint8_t)line[0] : 0);
		break;
	}
	CHECK(0 == screen_flush(scr, sim_write, sim, NULL));
	sim_flush(sim);

	leds[i % SIM_VIEW_LEDS] = (enum led_state)(len % 3);
	sim_led(sim, (enum board_led)(i % SIM_VIEW_LEDS),
		leds[i % SIM_VIEW_LEDS]);
}


/* The raw bytes as if a server had sent them: the view stays bounded. */
static void hostile_server(const uint8_t *p, size_t n, uint32_t cut)
{
	static struct sim_view v;
	size_t off = 0;

	sim_view_init(&v, NULL, NULL);
	while (off < n) {
		size_t len;

		cut = cut * 1103515245u + 12345u;
		len = 1 + (cut >> 8) % 700;
		if (len > n - off)
			len = n - off;
		sim_view_feed(&v, (const char *)p + off, len);
		off += len;
	}
	CHECK(v.rows <= SIM_VIEW_ROWS && v.cols <= SIM_VIEW_COLS);
	CHECK(v.inlen < SIM_VIEW_LINE);
	for (int r = 0; r < SIM_VIEW_ROWS; r++)
		CHECK(memchr(v.row[r], '\0', sizeof(v.row[r])) != NULL);
	for (int i = 0; i < SIM_VIEW_LEDS; i++)
		CHECK(memchr(v.led[i], '\0', sizeof(v.led[i])) != NULL);
}


int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint8_t geometry[][2] = {
		{ 4, 20 }, { 2, 16 }, { 2, 40 }, { 1, 8 }, { 4, 40 },
		{ 3, 12 },
	};
	static struct expect e;
	static struct got g;
	static struct client c;
	enum led_state leds[SIM_VIEW_LEDS] = { LED_OFF };
	struct sockaddr_un sun;
	struct sim *sim = NULL;
	struct screen *scr = NULL;
	const uint8_t *p;
	size_t n, off = 0, lstart = 0;
	unsigned nline = 0;
	uint32_t cut;

	init_once();
	if (size < 1)
		return 0;

	memset(&e, 0, sizeof(e));
	memset(&g, 0, sizeof(g));
	memset(&c, 0, sizeof(c));
	c.rows = geometry[data[0] % 6][0];
	c.cols = geometry[data[0] % 6][1];
	cut = 0x9e3779b9u * (data[0] | 1u);
	p = data + 1;
	n = size - 1;

	hostile_server(p, n, cut);

	CHECK(0 == sim_alloc(&sim, sock_path, c.rows, c.cols, on_key, &g));
	CHECK(0 == screen_alloc(&scr, c.rows, c.cols));

	c.fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	CHECK(c.fd >= 0);
	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	memcpy(sun.sun_path, sock_path, strlen(sock_path));
	CHECK(0 == connect(c.fd, (struct sockaddr *)&sun, sizeof(sun)));
	sim_view_init(&c.view, on_error_line, &c);

	/* accepted, and the first picture in */
	for (int spins = 0; !c.view.complete; spins++) {
		CHECK(spins < 10000);
		loop_once();
		client_read(&c);
	}
	CHECK(sim_clients(sim) == 1);

	while (off < n && !c.eof) {
		size_t len;
		ssize_t w;

		cut = cut * 1103515245u + 12345u;
		len = 1 + (cut >> 8) % 300;
		if (len > n - off)
			len = n - off;

		w = send(c.fd, p + off, len, MSG_NOSIGNAL);
		CHECK(w == (ssize_t)len);
		expect_piece(&e, p + off, len);

		/* each line that ends in this piece is also drawn */
		for (size_t i = off; i < off + len; i++) {
			char text[512];
			size_t l = i - lstart;

			if (p[i] != '\n')
				continue;
			if (l >= sizeof(text))
				l = sizeof(text) - 1;
			memcpy(text, p + lstart, l);
			text[l] = '\0';
			draw(scr, sim, leds, text, l, nline++);
			lstart = i + 1;
		}
		off += len;
		settle(&c);
	}

	/* the picture from row updates alone */
	if (!c.eof)
		check_view(&c, scr, leds);

	/* then in full: end a last partial line, ask for the screen */
	if (!c.eof) {
		const char *fin = e.len ? "\nscreen\n" : "screen\n";

		c.view.complete = false;
		CHECK(send(c.fd, fin, strlen(fin), MSG_NOSIGNAL) ==
		      (ssize_t)strlen(fin));
		expect_piece(&e, (const uint8_t *)fin, strlen(fin));
		for (int spins = 0; !c.view.complete && !c.eof; spins++) {
			CHECK(spins < 10000);
			settle(&c);
		}
		CHECK(c.view.complete);
		check_view(&c, scr, leds);
	}

	/* the keys asked for, in order; one error line per line not
	 * understood */
	CHECK(c.eof == e.dropped);
	CHECK(g.nkeys == e.nkeys);
	for (size_t i = 0; i < e.nkeys; i++)
		CHECK(g.key[i] == e.key[i] && g.act[i] == e.act[i]);
	CHECK(c.errors == e.errors);

	close(c.fd);
	mem_deref(scr);
	mem_deref(sim);

	return 0;
}
