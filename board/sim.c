/**
 * @file sim.c  The simulated board's socket server
 */
#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>
#include <re.h>
#include "glyph.h"
#include "log.h"
#include "sim.h"

enum {
	MAX_CLIENTS = 8,
	MAX_LINE    = 256,
	MAX_OUTBUF  = 64 * 1024,
	MAX_QUOTE   = 64,     /* of a line not understood, in its error */
};

struct sim {
	int fd;
	char *path;
	unsigned rows, cols;
	uint8_t *cells;
	bool *dirty;
	enum led_state leds[BLED_COUNT];
	struct list clients;
	keypad_h *kh;
	void *arg;
};

struct sim_client {
	struct le le;
	struct sim *sim;
	int fd;
	bool dead;
	struct mbuf *in;
	struct mbuf *out;
};

static const char *const led_states[] = { "off", "on", "blink" };


const char *led_state_name(enum led_state st)
{
	return (unsigned)st < 3 ? led_states[st] : "?";
}


int sim_row_utf8(struct mbuf *mb, const uint8_t *cells, size_t n)
{
	int err = 0;

	for (size_t i = 0; i < n && !err; i++) {
		const char *g = glyph_utf8(cells[i]);

		if (g)
			err = mbuf_write_str(mb, g);
		else
			err = mbuf_write_u8(mb, cells[i]);
	}

	return err;
}


static void client_destructor(void *arg)
{
	struct sim_client *cl = arg;

	list_unlink(&cl->le);
	if (cl->fd >= 0) {
		fd_close(cl->fd);
		close(cl->fd);
	}
	mem_deref(cl->in);
	mem_deref(cl->out);
}


static void client_close(struct sim_client *cl)
{
	if (cl->dead)
		return;

	cl->dead = true;
	list_unlink(&cl->le);
	mem_deref(cl);
}


static void client_io(int flags, void *arg);


static void client_flush(struct sim_client *cl)
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
		(void)fd_listen(cl->fd, FD_READ, client_io, cl);
	}
	else {
		(void)fd_listen(cl->fd, FD_READ | FD_WRITE, client_io, cl);
	}
}


static void client_send(struct sim_client *cl, const uint8_t *buf,
			size_t len)
{
	size_t pos = cl->out->pos;

	if (cl->dead)
		return;

	if (mbuf_get_left(cl->out) + len > MAX_OUTBUF) {
		board_warn("sim: a client is not reading; disconnecting it");
		client_close(cl);
		return;
	}

	cl->out->pos = cl->out->end;
	if (mbuf_write_mem(cl->out, buf, len)) {
		client_close(cl);
		return;
	}
	cl->out->pos = pos;

	client_flush(cl);
}


static int print_row(struct mbuf *mb, const struct sim *sim, unsigned r)
{
	int err = mbuf_printf(mb, "row %u ", r);

	err |= sim_row_utf8(mb, &sim->cells[r * sim->cols], sim->cols);
	err |= mbuf_write_u8(mb, '\n');

	return err;
}


static void send_picture(struct sim_client *cl, bool hello)
{
	const struct sim *sim = cl->sim;
	struct mbuf *mb = mbuf_alloc(512);
	int err = 0;

	if (!mb)
		return;

	if (hello)
		err = mbuf_printf(mb, "hello deskphone-sim 1 %u %u\n",
				  sim->rows, sim->cols);
	for (unsigned r = 0; r < sim->rows; r++)
		err |= print_row(mb, sim, r);
	for (int i = 0; i < BLED_COUNT; i++)
		err |= mbuf_printf(mb, "led %s %s\n", board_led_name(i),
				   led_state_name(sim->leds[i]));
	err |= mbuf_printf(mb, "end\n");

	if (!err)
		client_send(cl, mb->buf, mb->end);
	mem_deref(mb);
}


static void broadcast(struct sim *sim, const struct mbuf *mb)
{
	struct le *le = sim->clients.head;

	while (le) {
		struct sim_client *cl = le->data;

		le = le->next;
		client_send(cl, mb->buf, mb->end);
	}
}


/* `fmt` quotes `what` with "%b%s": cut to MAX_QUOTE bytes, so that the
 * error line always fits (a client line may be ~700 bytes long). */
static void reply(struct sim_client *cl, const char *fmt, const char *what)
{
	char buf[160];
	size_t len = strlen(what);
	int n = re_snprintf(buf, sizeof(buf), fmt, what,
			    len > MAX_QUOTE ? (size_t)MAX_QUOTE : len,
			    len > MAX_QUOTE ? "..." : "");

	if (n > 0)
		client_send(cl, (const uint8_t *)buf, (size_t)n);
}


static void client_line(struct sim_client *cl, char *line)
{
	struct sim *sim = cl->sim;
	char *arg = strchr(line, ' ');
	enum phone_key key = PK_NONE;

	if (arg) {
		*arg++ = '\0';
		key = phone_key_find(arg, strlen(arg));
	}

	if (!strcmp(line, "screen")) {
		send_picture(cl, false);
		return;
	}

	if (!arg || key == PK_NONE) {
		reply(cl, "error no such phone key '%b%s'\n", arg ? arg : "");
		return;
	}

	if (!strcmp(line, "key")) {
		sim->kh(key, KEY_PRESS, sim->arg);
		sim->kh(key, KEY_RELEASE, sim->arg);
	}
	else if (!strcmp(line, "press")) {
		sim->kh(key, KEY_PRESS, sim->arg);
	}
	else if (!strcmp(line, "release")) {
		sim->kh(key, KEY_RELEASE, sim->arg);
	}
	else {
		reply(cl, "error unknown request '%b%s'\n", line);
	}
}


static void client_io(int flags, void *arg)
{
	struct sim_client *cl = arg;
	uint8_t buf[512];
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

	while (!cl->dead) {
		uint8_t *start = cl->in->buf;
		uint8_t *nl = memchr(start, '\n', cl->in->end);
		size_t len;

		if (!nl) {
			if (cl->in->end > MAX_LINE)
				client_close(cl);
			break;
		}

		len = (size_t)(nl - start);
		*nl = '\0';
		if (len && start[len - 1] == '\r')
			start[len - 1] = '\0';

		client_line(cl, (char *)start);
		if (cl->dead)
			break;

		memmove(start, nl + 1, cl->in->end - len - 1);
		cl->in->end -= len + 1;
	}

 out:
	mem_deref(cl);
}


static void accept_handler(int flags, void *arg)
{
	struct sim *sim = arg;
	struct sim_client *cl;
	int fd;
	(void)flags;

	fd = accept4(sim->fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
	if (fd < 0)
		return;

	if (list_count(&sim->clients) >= MAX_CLIENTS) {
		close(fd);
		return;
	}

	cl = mem_zalloc(sizeof(*cl), client_destructor);
	if (!cl) {
		close(fd);
		return;
	}

	cl->sim = sim;
	cl->fd  = fd;
	cl->in  = mbuf_alloc(256);
	cl->out = mbuf_alloc(1024);
	list_append(&sim->clients, &cl->le, cl);

	if (!cl->in || !cl->out || fd_listen(fd, FD_READ, client_io, cl)) {
		client_close(cl);
		return;
	}

	send_picture(cl, true);
}


static void sim_destructor(void *arg)
{
	struct sim *sim = arg;

	list_flush(&sim->clients);
	if (sim->fd >= 0) {
		fd_close(sim->fd);
		close(sim->fd);
	}
	if (sim->path)
		(void)unlink(sim->path);
	mem_deref(sim->path);
	mem_deref(sim->cells);
	mem_deref(sim->dirty);
}


int sim_alloc(struct sim **simp, const char *path, unsigned rows,
	      unsigned cols, keypad_h *kh, void *arg)
{
	struct sockaddr_un sun;
	struct sim *sim;
	int err;

	if (!simp || !path || !kh || !rows || !cols)
		return EINVAL;

	if (strlen(path) >= sizeof(sun.sun_path))
		return ENAMETOOLONG;

	sim = mem_zalloc(sizeof(*sim), sim_destructor);
	if (!sim)
		return ENOMEM;

	sim->fd   = -1;
	sim->rows = rows;
	sim->cols = cols;
	sim->kh   = kh;
	sim->arg  = arg;
	list_init(&sim->clients);

	sim->cells = mem_alloc(rows * cols, NULL);
	sim->dirty = mem_zalloc(rows * sizeof(bool), NULL);
	if (!sim->cells || !sim->dirty) {
		err = ENOMEM;
		goto out;
	}
	memset(sim->cells, ' ', rows * cols);

	sim->fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
			 0);
	if (sim->fd < 0) {
		err = errno;
		goto out;
	}

	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	memcpy(sun.sun_path, path, strlen(path));

	/* left over from a daemon that died: replace it */
	(void)unlink(path);

	if (bind(sim->fd, (struct sockaddr *)&sun, sizeof(sun)) < 0) {
		err = errno;
		goto out;
	}

	err = str_dup(&sim->path, path);
	if (err)
		goto out;

	if (chmod(path, 0660) < 0 || listen(sim->fd, 4) < 0) {
		err = errno;
		goto out;
	}

	err = fd_listen(sim->fd, FD_READ, accept_handler, sim);

 out:
	if (err)
		mem_deref(sim);
	else
		*simp = sim;

	return err;
}


int sim_write(unsigned row, unsigned col, const uint8_t *s, size_t n,
	      void *arg)
{
	struct sim *sim = arg;

	if (!sim || row >= sim->rows || col + n > sim->cols)
		return EINVAL;

	memcpy(&sim->cells[row * sim->cols + col], s, n);
	sim->dirty[row] = true;

	return 0;
}


void sim_flush(struct sim *sim)
{
	struct mbuf *mb;
	int err = 0;

	if (!sim)
		return;

	mb = mbuf_alloc(256);
	if (!mb)
		return;

	for (unsigned r = 0; r < sim->rows; r++) {
		if (!sim->dirty[r])
			continue;
		sim->dirty[r] = false;
		err |= print_row(mb, sim, r);
	}

	if (!err && mb->end)
		broadcast(sim, mb);

	mem_deref(mb);
}


void sim_led(struct sim *sim, enum board_led led, enum led_state st)
{
	struct mbuf *mb;

	if (!sim || led >= BLED_COUNT || sim->leds[led] == st)
		return;

	sim->leds[led] = st;

	mb = mbuf_alloc(64);
	if (mb && !mbuf_printf(mb, "led %s %s\n", board_led_name(led),
			       led_state_name(st)))
		broadcast(sim, mb);
	mem_deref(mb);
}


size_t sim_clients(const struct sim *sim)
{
	return sim ? list_count(&sim->clients) : 0;
}
