/**
 * @file ctrl.c  The local control socket: a UNIX stream socket, never a
 *               network port.  Access is by file permissions.
 *
 * Each connection sends command lines and reads one JSON line back per
 * command.  A connection that sent `events` also receives every UA event
 * as a JSON line.  Writes never block the re main loop: a reader that
 * falls more than MAX_OUTBUF behind is disconnected.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>
#include "core.h"
#include "cmdline.h"

enum {
	MAX_CLIENTS = 16,
	MAX_LINE    = 4096,
	MAX_OUTBUF  = 256 * 1024,
};

struct ctrl {
	int fd;
	char *path;
	struct list clients;
};

struct client {
	struct le le;
	struct ctrl *ctrl;
	int fd;
	bool events;
	bool closing;
	bool dead;
	struct mbuf *in;
	struct mbuf *out;
};


static void client_destructor(void *arg)
{
	struct client *cl = arg;

	list_unlink(&cl->le);
	if (cl->fd >= 0) {
		fd_close(cl->fd);
		close(cl->fd);
	}
	mem_deref(cl->in);
	mem_deref(cl->out);
}


static void ctrl_destructor(void *arg)
{
	struct ctrl *ctrl = arg;

	list_flush(&ctrl->clients);
	if (ctrl->fd >= 0) {
		fd_close(ctrl->fd);
		close(ctrl->fd);
	}
	if (ctrl->path)
		(void)unlink(ctrl->path);
	mem_deref(ctrl->path);
}


static void client_io(int flags, void *arg);


/* Drop the connection; safe to call while a handler still holds a ref. */
static void client_close(struct client *cl)
{
	if (cl->dead)
		return;

	cl->dead = true;
	list_unlink(&cl->le);
	mem_deref(cl);
}


static void client_flush(struct client *cl)
{
	while (mbuf_get_left(cl->out)) {
		ssize_t n = send(cl->fd, mbuf_buf(cl->out),
				 mbuf_get_left(cl->out), MSG_NOSIGNAL);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			break;
		if (n <= 0) {
			client_close(cl);
			return;
		}
		mbuf_advance(cl->out, n);
	}

	if (!mbuf_get_left(cl->out)) {
		mbuf_rewind(cl->out);
		if (cl->closing) {
			client_close(cl);
			return;
		}
		(void)fd_listen(cl->fd, FD_READ, client_io, cl);
	}
	else {
		(void)fd_listen(cl->fd, FD_READ | FD_WRITE, client_io, cl);
	}
}


static void client_send(struct client *cl, const uint8_t *buf, size_t len)
{
	size_t pos = cl->out->pos;

	if (cl->dead)
		return;

	if (mbuf_get_left(cl->out) + len + 1 > MAX_OUTBUF) {
		warning("dpcore: control client too slow, disconnecting\n");
		client_close(cl);
		return;
	}

	cl->out->pos = cl->out->end;
	if (mbuf_write_mem(cl->out, buf, len) ||
	    mbuf_write_u8(cl->out, '\n')) {
		client_close(cl);
		return;
	}
	cl->out->pos = pos;

	client_flush(cl);
}


static void client_line(struct client *cl, const char *line)
{
	struct mbuf *reply = mbuf_alloc(256);
	bool subscribe = false;

	if (!reply) {
		client_close(cl);
		return;
	}

	(void)core_command(reply, line, &subscribe);
	if (subscribe)
		cl->events = true;

	client_send(cl, reply->buf, reply->end);
	mem_deref(reply);
}


static bool take_line(char *line, void *arg)
{
	struct client *cl = arg;

	client_line(cl, line);

	return !cl->dead;
}


static void client_io(int flags, void *arg)
{
	struct client *cl = arg;
	uint8_t buf[1024];
	ssize_t n;

	mem_ref(cl);

	if (flags & FD_WRITE)
		client_flush(cl);

	if (cl->dead || !(flags & (FD_READ | FD_EXCEPT)))
		goto out;

	n = recv(cl->fd, buf, sizeof(buf), 0);
	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		goto out;
	if (n <= 0) {
		client_close(cl);
		goto out;
	}

	cl->in->pos = cl->in->end;
	if (mbuf_write_mem(cl->in, buf, (size_t)n)) {
		client_close(cl);
		goto out;
	}

	/* Handle every complete line; keep a partial one for later. */
	if (cmdline_take(cl->in, MAX_LINE, take_line, cl) == E2BIG &&
	    !cl->dead) {
		static const char msg[] =
			"{\"ok\":false,\"error\":\"line too long\"}";

		cl->closing = true;
		client_send(cl, (const uint8_t *)msg, sizeof(msg) - 1);
	}

 out:
	mem_deref(cl);
}


static void accept_handler(int flags, void *arg)
{
	struct ctrl *ctrl = arg;
	struct client *cl;
	int fd;
	(void)flags;

	fd = accept4(ctrl->fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
	if (fd < 0)
		return;

	if (list_count(&ctrl->clients) >= MAX_CLIENTS) {
		warning("dpcore: too many control connections\n");
		close(fd);
		return;
	}

	cl = mem_zalloc(sizeof(*cl), client_destructor);
	if (!cl) {
		close(fd);
		return;
	}

	cl->ctrl = ctrl;
	cl->fd   = fd;
	cl->in   = mbuf_alloc(512);
	cl->out  = mbuf_alloc(512);
	list_append(&ctrl->clients, &cl->le, cl);

	if (!cl->in || !cl->out || fd_listen(fd, FD_READ, client_io, cl))
		client_close(cl);
}


void ctrl_broadcast(struct ctrl *ctrl, const char *line)
{
	struct le *le;

	if (!ctrl || !line)
		return;

	le = ctrl->clients.head;
	while (le) {
		struct client *cl = le->data;

		le = le->next;
		if (cl->events)
			client_send(cl, (const uint8_t *)line, strlen(line));
	}
}


int ctrl_alloc(struct ctrl **ctrlp, const char *path, uint32_t mode)
{
	struct sockaddr_un sun;
	struct ctrl *ctrl;
	int err;

	if (!ctrlp || !path || !*path)
		return EINVAL;

	if (strlen(path) >= sizeof(sun.sun_path)) {
		warning("dpcore: control socket path too long: %s\n", path);
		return ENAMETOOLONG;
	}

	ctrl = mem_zalloc(sizeof(*ctrl), ctrl_destructor);
	if (!ctrl)
		return ENOMEM;

	ctrl->fd = -1;
	list_init(&ctrl->clients);

	ctrl->fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
			  0);
	if (ctrl->fd < 0) {
		err = errno;
		goto out;
	}

	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	memcpy(sun.sun_path, path, strlen(path));

	/* A socket file left by a daemon that died is stale: replace it. */
	(void)unlink(path);

	if (bind(ctrl->fd, (struct sockaddr *)&sun, sizeof(sun)) < 0) {
		err = errno;
		warning("dpcore: bind %s: %m\n", path, err);
		goto out;
	}

	err = str_dup(&ctrl->path, path);
	if (err)
		goto out;

	if (chmod(path, (mode_t)mode) < 0 || listen(ctrl->fd, 8) < 0) {
		err = errno;
		goto out;
	}

	err = fd_listen(ctrl->fd, FD_READ, accept_handler, ctrl);

 out:
	if (err)
		mem_deref(ctrl);
	else
		*ctrlp = ctrl;

	return err;
}
