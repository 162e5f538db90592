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
#include <string.h>
#include "core.h"
#include "base/linesock.h"

enum {
	MAX_CLIENTS = 16,
	MAX_LINE    = 4096,
	MAX_OUTBUF  = 256 * 1024,
};

struct ctrl {
	struct linesock *ls;
};


static void ctrl_destructor(void *arg)
{
	struct ctrl *ctrl = arg;

	mem_deref(ctrl->ls);
}


static void client_line(struct linesock_conn *conn, char *line, void *arg)
{
	struct mbuf *reply = mbuf_alloc(256);
	bool subscribe = false;
	(void)arg;

	if (!reply) {
		linesock_close(conn);
		return;
	}

	(void)core_command(reply, line, &subscribe);
	if (subscribe)
		linesock_subscribe(conn);

	linesock_send_line(conn, reply->buf, reply->end);
	mem_deref(reply);
}


static void client_dropped(int err, void *arg)
{
	(void)arg;

	if (err == EMFILE)
		warning("dpcore: too many control connections\n");
	else if (err == ENOBUFS)
		warning("dpcore: control client too slow, disconnecting\n");
}


void ctrl_broadcast(struct ctrl *ctrl, const char *line)
{
	if (!ctrl || !line)
		return;

	linesock_broadcast_line(ctrl->ls, line, strlen(line));
}


int ctrl_alloc(struct ctrl **ctrlp, const char *path, uint32_t mode)
{
	const struct linesock_opts opts = {
		.max_line       = MAX_LINE,
		.max_outbuf     = MAX_OUTBUF,
		.max_conns      = MAX_CLIENTS,
		.mode           = mode,
		.too_long_reply = "{\"ok\":false,\"error\":\"line too long\"}",
	};
	struct ctrl *ctrl;
	int err;

	if (!ctrlp || !path || !*path)
		return EINVAL;

	ctrl = mem_zalloc(sizeof(*ctrl), ctrl_destructor);
	if (!ctrl)
		return ENOMEM;

	err = linesock_alloc(&ctrl->ls, path, &opts, NULL, client_line,
			     client_dropped, ctrl);
	if (err == ENAMETOOLONG)
		warning("dpcore: control socket path too long: %s\n", path);
	else if (err)
		warning("dpcore: control socket %s: %m\n", path, err);

	if (err)
		mem_deref(ctrl);
	else
		*ctrlp = ctrl;

	return err;
}
