/**
 * @file linesock.h  A line-oriented server on a UNIX stream socket, in
 *                   libre's main loop (dpcore's control socket, the sim
 *                   board's socket)
 *
 * The socket file is created at `path` (a stale one left there is
 * replaced), given permissions `mode` and removed again when the server
 * is freed.  Access is by those permissions alone.
 *
 * Input: each connection's bytes are cut into lines at "\n"; a "\r"
 * before it is dropped and the line is NUL-terminated in place, so a
 * line holding a NUL ends there for the handler.  After each read
 * (up to LINESOCK_READ bytes), a partial line longer than max_line
 * drops the connection: at once, or after sending `too_long_reply` when
 * that is set.  A complete line may thus be up to max_line +
 * LINESOCK_READ bytes long.
 *
 * Output is queued per connection and written as the peer reads it;
 * writes never block the loop.  A peer with more than max_outbuf bytes
 * waiting is dropped.
 *
 * Objects are from mem_zalloc(); freeing the server closes every
 * connection.  Handlers may send, close or subscribe any connection.
 */
#ifndef DESKPHONE_LINESOCK_H
#define DESKPHONE_LINESOCK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum { LINESOCK_READ = 1024 };

struct mbuf;
struct linesock;
struct linesock_conn;

struct linesock_opts {
	size_t   max_line;        /* longest partial line kept after a read */
	size_t   max_outbuf;      /* queued bytes before a peer is dropped */
	unsigned max_conns;       /* more are accepted and closed at once */
	uint32_t mode;            /* permissions of the socket file */
	const char *too_long_reply; /* line (no "\n") sent before dropping a
				     * peer whose line is too long; NULL:
				     * drop it without a word */
};

/* A new connection, already able to send. */
typedef void (linesock_conn_h)(struct linesock_conn *conn, void *arg);
/* One line of `conn`; `line` is only valid during the call. */
typedef void (linesock_line_h)(struct linesock_conn *conn, char *line,
			       void *arg);
/* The server drops a connection on its own: EMFILE (max_conns reached),
 * ENOBUFS (the peer is not reading), E2BIG (a line too long). */
typedef void (linesock_drop_h)(int err, void *arg);

/* EINVAL (no or an empty path, a zero limit), ENAMETOOLONG, or the
 * errno of socket/bind/chmod/listen.  connh and droph may be NULL. */
int  linesock_alloc(struct linesock **lsp, const char *path,
		    const struct linesock_opts *opts, linesock_conn_h *connh,
		    linesock_line_h *lineh, linesock_drop_h *droph,
		    void *arg);
size_t linesock_count(const struct linesock *ls);

/* Queue bytes as they are, or as a line (a "\n" added), for `conn`;
 * a dropped connection takes nothing. */
void linesock_send(struct linesock_conn *conn, const void *buf, size_t len);
void linesock_send_line(struct linesock_conn *conn, const void *buf,
			size_t len);
/* The same for every connection subscribed to broadcasts. */
void linesock_broadcast(struct linesock *ls, const void *buf, size_t len);
void linesock_broadcast_line(struct linesock *ls, const void *buf,
			     size_t len);
void linesock_subscribe(struct linesock_conn *conn);
/* Drop the connection now, queued output and all. */
void linesock_close(struct linesock_conn *conn);

/*
 * The framing alone, without a socket: hand every complete line at the
 * front of `in` (bytes 0..end) to `lineh` and remove it; a partial line
 * stays for the next read.  Returns E2BIG, after dropping the buffered
 * bytes, when a partial line is already longer than `max_line`;
 * otherwise 0.  `lineh` returns false to stop taking lines.
 */
typedef bool (linesock_take_h)(char *line, void *arg);
int linesock_take(struct mbuf *in, size_t max_line, linesock_take_h *lineh,
		  void *arg);

#endif
