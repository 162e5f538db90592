/**
 * @file test_linesock.c  The line-oriented UNIX socket server: real
 *                        sockets in libre's loop, checked by the bytes a
 *                        client reads
 */
#include <errno.h>
#include <stdio.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>
#include <re.h>
#include "base/linesock.h"
#include "dptest.h"
#include "loop_until.h"


struct server {
	struct linesock *ls;
	bool greet;               /* send "hello" to each new connection */
	bool subscribe_all;
	unsigned drops[3];        /* E2BIG, EMFILE, ENOBUFS */
};

struct peer {
	int fd;
	char buf[4096];
	size_t len;
	bool eof;
};


static const char *sock_path(void)
{
	static char path[4096];

	snprintf(path, sizeof(path), "%s/s.sock", dptest_tmpdir());

	return path;
}


static void on_conn(struct linesock_conn *conn, void *arg)
{
	struct server *srv = arg;

	if (srv->greet)
		linesock_send(conn, "hello\n", 6);
	if (srv->subscribe_all)
		linesock_subscribe(conn);
}


/* "sub" subscribes, "bye" closes, "x" is sent back as "got x". */
static void on_line(struct linesock_conn *conn, char *line, void *arg)
{
	char reply[512];
	int n;
	(void)arg;

	if (!strcmp(line, "sub")) {
		linesock_subscribe(conn);
		linesock_send_line(conn, "ok", 2);
		return;
	}
	if (!strcmp(line, "bye")) {
		linesock_close(conn);
		return;
	}

	n = snprintf(reply, sizeof(reply), "got %s", line);
	linesock_send_line(conn, reply, (size_t)n);
}


static void on_drop(int err, void *arg)
{
	struct server *srv = arg;

	if (err == E2BIG)
		srv->drops[0]++;
	else if (err == EMFILE)
		srv->drops[1]++;
	else if (err == ENOBUFS)
		srv->drops[2]++;
}


static void server_start(struct server *srv, const struct linesock_opts *o)
{
	DP_ASSERT_OK(libre_init());
	DP_ASSERT_OK(linesock_alloc(&srv->ls, sock_path(), o, on_conn,
				    on_line, on_drop, srv));
}


static void server_stop(struct server *srv)
{
	srv->ls = mem_deref(srv->ls);
	libre_close();
}


static const struct linesock_opts default_opts = {
	.max_line = 32, .max_outbuf = 4096, .max_conns = 4, .mode = 0640,
};


/* --- the loop and a client ------------------------------------------- */

static bool always(void *arg)
{
	(void)arg;
	return true;
}


/* A few passes of the loop, for what should not happen. */
static void spin(void)
{
	for (int i = 0; i < 5; i++)
		(void)run_until(always, NULL, 0);
}


static void peer_read(struct peer *p)
{
	ssize_t n;

	while (!p->eof && p->len < sizeof(p->buf) - 1) {
		n = recv(p->fd, p->buf + p->len, sizeof(p->buf) - 1 - p->len,
			 MSG_DONTWAIT);
		if (n > 0) {
			p->len += (size_t)n;
			p->buf[p->len] = '\0';
		}
		else if (n == 0) {
			p->eof = true;
		}
		else {
			break;
		}
	}
}


static bool peer_eof(void *arg)
{
	struct peer *p = arg;

	peer_read(p);

	return p->eof;
}


struct want {
	struct peer *p;
	const char *text;
};


static bool peer_has(void *arg)
{
	struct want *w = arg;

	peer_read(w->p);

	return w->p->len >= strlen(w->text);
}


static void peer_connect(struct peer *p)
{
	struct sockaddr_un sun;

	memset(p, 0, sizeof(*p));
	p->fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	DP_ASSERT(p->fd >= 0);
	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	memcpy(sun.sun_path, sock_path(), strlen(sock_path()));
	DP_ASSERT_OK(connect(p->fd, (struct sockaddr *)&sun, sizeof(sun)) ?
		     errno : 0);
}


static void peer_send(struct peer *p, const void *buf, size_t len)
{
	DP_ASSERT_EQ(send(p->fd, buf, len, MSG_NOSIGNAL), (ssize_t)len);
}


/* The client has read exactly `text` (so far), then clears its buffer. */
static void expect(struct peer *p, const char *text)
{
	struct want w = { p, text };

	(void)run_until(peer_has, &w, 2000);
	DP_ASSERT_MSG(p->len == strlen(text) && !memcmp(p->buf, text, p->len),
		      "want \"%s\", got \"%.*s\"", text, (int)p->len, p->buf);
	p->len = 0;
}


/* --- tests ------------------------------------------------------------ */

DP_TEST(linesock_lines_crlf_nul_and_partial)
{
	struct server srv = { .greet = true };
	struct stat st;
	struct peer p;

	server_start(&srv, &default_opts);
	DP_ASSERT_OK(stat(sock_path(), &st));
	DP_ASSERT(S_ISSOCK(st.st_mode));
	DP_ASSERT_EQ(st.st_mode & 0777, 0640);

	peer_connect(&p);
	expect(&p, "hello\n");
	DP_ASSERT_EQ(linesock_count(srv.ls), 1);

	/* "\r\n" and "\n" end lines; a NUL ends the line as seen; a
	 * partial line waits for the rest */
	peer_send(&p, "one\r\ntw\0o\nthr", 13);
	expect(&p, "got one\ngot tw\n");
	spin();
	peer_read(&p);
	DP_ASSERT_EQ(p.len, 0);
	peer_send(&p, "ee\n\n", 4);
	expect(&p, "got three\ngot \n");

	/* a handler may close its own connection, later lines unseen */
	peer_send(&p, "bye\nlost\n", 9);
	DP_ASSERT(run_until(peer_eof, &p, 2000));
	DP_ASSERT_EQ(p.len, 0);
	DP_ASSERT_EQ(linesock_count(srv.ls), 0);
	close(p.fd);

	/* freeing the server removes its socket file */
	server_stop(&srv);
	DP_ASSERT_EQ(stat(sock_path(), &st), -1);
	DP_ASSERT_EQ(errno, ENOENT);
}


DP_TEST(linesock_line_too_long_drops_silently)
{
	struct server srv = { 0 };
	char line[100];
	struct peer p;

	server_start(&srv, &default_opts);
	peer_connect(&p);

	/* a whole line in one read may be longer than max_line ... */
	memset(line, 'a', 40);
	line[40] = '\n';
	peer_send(&p, line, 41);
	expect(&p, "got aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\n");

	/* ... a partial one may not: dropped without a word */
	peer_send(&p, "ok\n", 3);
	expect(&p, "got ok\n");
	memset(line, 'b', 33);
	peer_send(&p, line, 33);
	DP_ASSERT(run_until(peer_eof, &p, 2000));
	DP_ASSERT_EQ(p.len, 0);
	DP_ASSERT_EQ(srv.drops[0], 1);
	DP_ASSERT_EQ(linesock_count(srv.ls), 0);
	close(p.fd);

	server_stop(&srv);
}


DP_TEST(linesock_line_too_long_gets_reply_then_close)
{
	struct linesock_opts o = default_opts;
	struct server srv = { 0 };
	char line[64];
	struct peer p;

	o.too_long_reply = "{\"error\":\"line too long\"}";
	server_start(&srv, &o);
	peer_connect(&p);

	peer_send(&p, "x\n", 2);
	memset(line, 'c', sizeof(line));
	peer_send(&p, line, sizeof(line));
	DP_ASSERT(run_until(peer_eof, &p, 2000));
	DP_ASSERT_STREQ(p.buf, "got x\n{\"error\":\"line too long\"}\n");
	DP_ASSERT_EQ(srv.drops[0], 1);
	DP_ASSERT_EQ(linesock_count(srv.ls), 0);
	close(p.fd);

	server_stop(&srv);
}


DP_TEST(linesock_broadcast_reaches_subscribers_only)
{
	struct server srv = { 0 };
	struct peer a, b;

	server_start(&srv, &default_opts);
	peer_connect(&a);
	peer_connect(&b);
	peer_send(&a, "sub\n", 4);
	expect(&a, "ok\n");
	peer_send(&b, "ping\n", 5);
	expect(&b, "got ping\n");

	linesock_broadcast_line(srv.ls, "event 1", 7);
	linesock_broadcast(srv.ls, "raw\nbytes\n", 10);
	expect(&a, "event 1\nraw\nbytes\n");
	spin();
	peer_read(&b);
	DP_ASSERT_EQ(b.len, 0);

	close(a.fd);
	close(b.fd);
	server_stop(&srv);
}


static bool one_conn(void *arg)
{
	return linesock_count(arg) == 1;
}


DP_TEST(linesock_refuses_connections_past_the_limit)
{
	struct linesock_opts o = default_opts;
	struct server srv = { .greet = true };
	struct peer p[3];

	o.max_conns = 2;
	server_start(&srv, &o);
	for (int i = 0; i < 3; i++)
		peer_connect(&p[i]);

	expect(&p[0], "hello\n");
	expect(&p[1], "hello\n");
	DP_ASSERT(run_until(peer_eof, &p[2], 2000));
	DP_ASSERT_EQ(p[2].len, 0);
	DP_ASSERT_EQ(srv.drops[1], 1);
	DP_ASSERT_EQ(linesock_count(srv.ls), 2);

	/* a place freed is taken again */
	close(p[0].fd);
	close(p[2].fd);
	DP_ASSERT(run_until(one_conn, srv.ls, 2000));
	peer_connect(&p[2]);
	expect(&p[2], "hello\n");
	DP_ASSERT_EQ(linesock_count(srv.ls), 2);

	close(p[1].fd);
	close(p[2].fd);
	server_stop(&srv);
}


DP_TEST(linesock_drops_a_peer_that_does_not_read)
{
	struct linesock_opts o = default_opts;
	struct server srv = { .subscribe_all = true };
	static char chunk[16 * 1024];
	struct peer p;
	int rounds = 0;

	o.max_outbuf = 4 * sizeof(chunk);
	server_start(&srv, &o);
	peer_connect(&p);
	DP_ASSERT(run_until(one_conn, srv.ls, 2000));

	/* the socket's own buffer fills first, then ours, then it goes */
	memset(chunk, 'z', sizeof(chunk));
	while (linesock_count(srv.ls) && rounds++ < 1000) {
		linesock_broadcast(srv.ls, chunk, sizeof(chunk));
		spin();
	}
	DP_ASSERT_EQ(linesock_count(srv.ls), 0);
	DP_ASSERT_EQ(srv.drops[2], 1);
	DP_ASSERT(rounds > 4);

	/* what reached the socket before is readable, then the end */
	for (int i = 0; i < 10000 && !p.eof; i++) {
		p.len = 0;
		peer_read(&p);
	}
	DP_ASSERT(p.eof);

	close(p.fd);
	server_stop(&srv);
}


DP_TEST(linesock_alloc_checks_and_replaces_a_stale_file)
{
	struct server srv = { .greet = true };
	struct linesock *ls = NULL;
	struct linesock_opts o = default_opts;
	char longpath[200];
	struct peer p;
	FILE *f;

	DP_ASSERT_OK(libre_init());
	DP_ASSERT_EQ(linesock_alloc(&ls, "", &o, NULL, on_line, NULL, NULL),
		     EINVAL);
	DP_ASSERT_EQ(linesock_alloc(&ls, sock_path(), &o, NULL, NULL, NULL,
				    NULL), EINVAL);
	o.max_line = 0;
	DP_ASSERT_EQ(linesock_alloc(&ls, sock_path(), &o, NULL, on_line,
				    NULL, NULL), EINVAL);
	memset(longpath, 'p', sizeof(longpath) - 1);
	longpath[0] = '/';
	longpath[sizeof(longpath) - 1] = '\0';
	DP_ASSERT_EQ(linesock_alloc(&ls, longpath, &default_opts, NULL,
				    on_line, NULL, NULL), ENAMETOOLONG);
	DP_ASSERT(ls == NULL);
	libre_close();

	/* a file left by a server that died is replaced */
	f = fopen(sock_path(), "w");
	DP_ASSERT(f != NULL);
	fclose(f);
	server_start(&srv, &default_opts);
	peer_connect(&p);
	expect(&p, "hello\n");
	close(p.fd);
	server_stop(&srv);
}


/* --- the framing alone ------------------------------------------------ */

struct taken {
	char lines[4][64];
	unsigned n, stop_after;
};


static bool take(char *line, void *arg)
{
	struct taken *t = arg;

	if (t->n < 4)
		snprintf(t->lines[t->n], sizeof(t->lines[0]), "%s", line);
	t->n++;

	return t->n != t->stop_after;
}


DP_TEST(linesock_take_frames_lines)
{
	struct mbuf *in = mbuf_alloc(64);
	struct taken t = { .stop_after = 2 };

	DP_ASSERT(in != NULL);
	DP_ASSERT_OK(mbuf_write_str(in, "a\r\nb\nc\npart"));
	DP_ASSERT_OK(linesock_take(in, 8, take, &t));
	DP_ASSERT_EQ(t.n, 2);                    /* stopped after "b" */
	DP_ASSERT_STREQ(t.lines[0], "a");
	DP_ASSERT_STREQ(t.lines[1], "b");
	DP_ASSERT_EQ(in->end, 6);
	DP_ASSERT_MEMEQ(in->buf, "c\npart", 6);

	DP_ASSERT_OK(linesock_take(in, 8, take, &t));
	DP_ASSERT_EQ(t.n, 3);
	DP_ASSERT_STREQ(t.lines[2], "c");
	DP_ASSERT_EQ(in->end, 4);                /* "part" waits */

	in->pos = in->end;
	DP_ASSERT_OK(mbuf_write_str(in, "toolong"));
	DP_ASSERT_EQ(linesock_take(in, 8, take, &t), E2BIG);
	DP_ASSERT_EQ(in->end, 0);
	DP_ASSERT_EQ(t.n, 3);

	DP_ASSERT_EQ(linesock_take(NULL, 8, take, &t), EINVAL);
	mem_deref(in);
}
