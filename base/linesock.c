/**
 * @file linesock.c  A line-oriented server on a UNIX stream socket
 */
#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>
#include <re.h>
#include "linesock.h"

enum { BACKLOG = 8 };

struct linesock {
	int fd;
	char *path;
	struct list conns;
	struct linesock_opts opts;
	linesock_conn_h *connh;
	linesock_line_h *lineh;
	linesock_drop_h *droph;
	void *arg;
};

struct linesock_conn {
	struct le le;
	struct linesock *ls;
	int fd;
	bool subscribed;
	bool closing;             /* drop once the output is out */
	bool dead;
	struct mbuf *in;
	struct mbuf *out;
};


static void conn_destructor(void *arg)
{
	struct linesock_conn *conn = arg;

	list_unlink(&conn->le);
	if (conn->fd >= 0) {
		fd_close(conn->fd);
		close(conn->fd);
	}
	mem_deref(conn->in);
	mem_deref(conn->out);
}


static void linesock_destructor(void *arg)
{
	struct linesock *ls = arg;

	list_flush(&ls->conns);
	if (ls->fd >= 0) {
		fd_close(ls->fd);
		close(ls->fd);
	}
	if (ls->path)
		(void)unlink(ls->path);
	mem_deref(ls->path);
}


static void dropped(const struct linesock *ls, int err)
{
	if (ls->droph)
		ls->droph(err, ls->arg);
}


/* Safe to call while a handler still holds a reference. */
void linesock_close(struct linesock_conn *conn)
{
	if (!conn || conn->dead)
		return;

	conn->dead = true;
	list_unlink(&conn->le);
	mem_deref(conn);
}


static void conn_io(int flags, void *arg);


static void conn_flush(struct linesock_conn *conn)
{
	while (mbuf_get_left(conn->out)) {
		ssize_t n = send(conn->fd, mbuf_buf(conn->out),
				 mbuf_get_left(conn->out), MSG_NOSIGNAL);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			break;
		if (n <= 0) {
			linesock_close(conn);
			return;
		}
		mbuf_advance(conn->out, n);
	}

	if (!mbuf_get_left(conn->out)) {
		mbuf_rewind(conn->out);
		if (conn->closing) {
			linesock_close(conn);
			return;
		}
		(void)fd_listen(conn->fd, FD_READ, conn_io, conn);
	}
	else {
		(void)fd_listen(conn->fd, FD_READ | FD_WRITE, conn_io, conn);
	}
}


static void queue(struct linesock_conn *conn, const void *buf, size_t len,
		  bool newline)
{
	size_t pos;

	if (!conn || conn->dead || (!buf && len))
		return;

	pos = conn->out->pos;
	if (mbuf_get_left(conn->out) + len + newline >
	    conn->ls->opts.max_outbuf) {
		dropped(conn->ls, ENOBUFS);
		linesock_close(conn);
		return;
	}

	conn->out->pos = conn->out->end;
	if (mbuf_write_mem(conn->out, buf, len) ||
	    (newline && mbuf_write_u8(conn->out, '\n'))) {
		linesock_close(conn);
		return;
	}
	conn->out->pos = pos;

	conn_flush(conn);
}


void linesock_send(struct linesock_conn *conn, const void *buf, size_t len)
{
	queue(conn, buf, len, false);
}


void linesock_send_line(struct linesock_conn *conn, const void *buf,
			size_t len)
{
	queue(conn, buf, len, true);
}


static void broadcast(struct linesock *ls, const void *buf, size_t len,
		      bool newline)
{
	struct le *le;

	if (!ls)
		return;

	le = ls->conns.head;
	while (le) {
		struct linesock_conn *conn = le->data;

		/* a send may drop this connection, never the next */
		le = le->next;
		if (conn->subscribed)
			queue(conn, buf, len, newline);
	}
}


void linesock_broadcast(struct linesock *ls, const void *buf, size_t len)
{
	broadcast(ls, buf, len, false);
}


void linesock_broadcast_line(struct linesock *ls, const void *buf,
			     size_t len)
{
	broadcast(ls, buf, len, true);
}


void linesock_subscribe(struct linesock_conn *conn)
{
	if (conn)
		conn->subscribed = true;
}


size_t linesock_count(const struct linesock *ls)
{
	return ls ? list_count(&ls->conns) : 0;
}


int linesock_take(struct mbuf *in, size_t max_line, linesock_take_h *lineh,
		  void *arg)
{
	if (!in || !lineh)
		return EINVAL;

	for (;;) {
		uint8_t *start = in->buf;
		uint8_t *nl = start ? memchr(start, '\n', in->end) : NULL;
		size_t len;
		bool more;

		if (!nl) {
			if (in->end > max_line) {
				mbuf_rewind(in);
				return E2BIG;
			}
			return 0;
		}

		len = (size_t)(nl - start);
		*nl = '\0';
		if (len && start[len - 1] == '\r')
			start[len - 1] = '\0';

		more = lineh((char *)start, arg);

		/* lineh may not keep the line: its bytes are reused now */
		memmove(start, nl + 1, in->end - len - 1);
		in->end -= len + 1;
		in->pos = in->end;

		if (!more)
			return 0;
	}
}


static bool take_line(char *line, void *arg)
{
	struct linesock_conn *conn = arg;

	conn->ls->lineh(conn, line, conn->ls->arg);

	return !conn->dead;
}


static void conn_io(int flags, void *arg)
{
	struct linesock_conn *conn = arg;
	const struct linesock_opts *opts = &conn->ls->opts;
	uint8_t buf[LINESOCK_READ];
	ssize_t n;

	/* the handlers may drop it: keep it until we are done here */
	mem_ref(conn);

	if (flags & FD_WRITE)
		conn_flush(conn);

	if (conn->dead || !(flags & (FD_READ | FD_EXCEPT)))
		goto out;

	n = recv(conn->fd, buf, sizeof(buf), 0);
	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		goto out;
	if (n <= 0) {
		linesock_close(conn);
		goto out;
	}

	conn->in->pos = conn->in->end;
	if (mbuf_write_mem(conn->in, buf, (size_t)n)) {
		linesock_close(conn);
		goto out;
	}

	if (linesock_take(conn->in, opts->max_line, take_line, conn) != E2BIG ||
	    conn->dead)
		goto out;

	dropped(conn->ls, E2BIG);
	if (opts->too_long_reply) {
		conn->closing = true;
		linesock_send_line(conn, opts->too_long_reply,
				   strlen(opts->too_long_reply));
	}
	else {
		linesock_close(conn);
	}

 out:
	mem_deref(conn);
}


static void accept_handler(int flags, void *arg)
{
	struct linesock *ls = arg;
	struct linesock_conn *conn;
	int fd;
	(void)flags;

	fd = accept4(ls->fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
	if (fd < 0)
		return;

	if (list_count(&ls->conns) >= ls->opts.max_conns) {
		dropped(ls, EMFILE);
		close(fd);
		return;
	}

	conn = mem_zalloc(sizeof(*conn), conn_destructor);
	if (!conn) {
		close(fd);
		return;
	}

	conn->ls  = ls;
	conn->fd  = fd;
	conn->in  = mbuf_alloc(512);
	conn->out = mbuf_alloc(1024);
	list_append(&ls->conns, &conn->le, conn);

	if (!conn->in || !conn->out ||
	    fd_listen(fd, FD_READ, conn_io, conn)) {
		linesock_close(conn);
		return;
	}

	if (ls->connh)
		ls->connh(conn, ls->arg);
}


int linesock_alloc(struct linesock **lsp, const char *path,
		   const struct linesock_opts *opts, linesock_conn_h *connh,
		   linesock_line_h *lineh, linesock_drop_h *droph, void *arg)
{
	struct sockaddr_un sun;
	struct linesock *ls;
	int err;

	if (!lsp || !path || !*path || !opts || !lineh || !opts->max_line ||
	    !opts->max_outbuf || !opts->max_conns)
		return EINVAL;

	if (strlen(path) >= sizeof(sun.sun_path))
		return ENAMETOOLONG;

	ls = mem_zalloc(sizeof(*ls), linesock_destructor);
	if (!ls)
		return ENOMEM;

	ls->fd    = -1;
	ls->opts  = *opts;
	ls->connh = connh;
	ls->lineh = lineh;
	ls->droph = droph;
	ls->arg   = arg;
	list_init(&ls->conns);

	ls->fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (ls->fd < 0) {
		err = errno;
		goto out;
	}

	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	memcpy(sun.sun_path, path, strlen(path));

	/* A socket file left by a daemon that died is stale: replace it. */
	(void)unlink(path);

	if (bind(ls->fd, (struct sockaddr *)&sun, sizeof(sun)) < 0) {
		err = errno;
		goto out;
	}

	err = str_dup(&ls->path, path);
	if (err)
		goto out;

	if (chmod(path, (mode_t)opts->mode) < 0 ||
	    listen(ls->fd, BACKLOG) < 0) {
		err = errno;
		goto out;
	}

	err = fd_listen(ls->fd, FD_READ, accept_handler, ls);

 out:
	if (err)
		mem_deref(ls);
	else
		*lsp = ls;

	return err;
}
