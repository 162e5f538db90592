/**
 * @file sim.c  The simulated board's socket server
 */
#include <errno.h>
#include <string.h>
#include <re.h>
#include "base/linesock.h"
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
	struct linesock *ls;
	unsigned rows, cols;
	uint8_t *cells;
	bool *dirty;
	enum led_state leds[BLED_COUNT];
	keypad_h *kh;
	void *arg;
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


static int print_row(struct mbuf *mb, const struct sim *sim, unsigned r)
{
	int err = mbuf_printf(mb, "row %u ", r);

	err |= sim_row_utf8(mb, &sim->cells[r * sim->cols], sim->cols);
	err |= mbuf_write_u8(mb, '\n');

	return err;
}


static void send_picture(struct linesock_conn *conn,
			 const struct sim *sim, bool hello)
{
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
		linesock_send(conn, mb->buf, mb->end);
	mem_deref(mb);
}


/* `fmt` quotes `what` with "%b%s": cut to MAX_QUOTE bytes, so that the
 * error line always fits (a client line may be ~1300 bytes long). */
static void reply(struct linesock_conn *conn, const char *fmt,
		  const char *what)
{
	char buf[160];
	size_t len = strlen(what);
	int n = re_snprintf(buf, sizeof(buf), fmt, what,
			    len > MAX_QUOTE ? (size_t)MAX_QUOTE : len,
			    len > MAX_QUOTE ? "..." : "");

	if (n > 0)
		linesock_send(conn, buf, (size_t)n);
}


static void client_line(struct linesock_conn *conn, char *line,
			void *simp)
{
	struct sim *sim = simp;
	char *arg = strchr(line, ' ');
	enum phone_key key = PK_NONE;

	if (arg) {
		*arg++ = '\0';
		key = phone_key_find(arg, strlen(arg));
	}

	if (!strcmp(line, "screen")) {
		send_picture(conn, sim, false);
		return;
	}

	if (!arg || key == PK_NONE) {
		reply(conn, "error no such phone key '%b%s'\n", arg ? arg : "");
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
		reply(conn, "error unknown request '%b%s'\n", line);
	}
}


/* Every client sees every change, from a full first picture on. */
static void client_new(struct linesock_conn *conn, void *arg)
{
	linesock_subscribe(conn);
	send_picture(conn, arg, true);
}


static void client_dropped(int err, void *arg)
{
	(void)arg;

	if (err == ENOBUFS)
		board_warn("sim: a client is not reading; disconnecting it");
}


static void sim_destructor(void *arg)
{
	struct sim *sim = arg;

	mem_deref(sim->ls);
	mem_deref(sim->cells);
	mem_deref(sim->dirty);
}


int sim_alloc(struct sim **simp, const char *path, unsigned rows,
	      unsigned cols, keypad_h *kh, void *arg)
{
	static const struct linesock_opts opts = {
		.max_line   = MAX_LINE,
		.max_outbuf = MAX_OUTBUF,
		.max_conns  = MAX_CLIENTS,
		.mode       = 0660,
	};
	struct sim *sim;
	int err;

	if (!simp || !path || !kh || !rows || !cols)
		return EINVAL;

	sim = mem_zalloc(sizeof(*sim), sim_destructor);
	if (!sim)
		return ENOMEM;

	sim->rows = rows;
	sim->cols = cols;
	sim->kh   = kh;
	sim->arg  = arg;

	sim->cells = mem_alloc(rows * cols, NULL);
	sim->dirty = mem_zalloc(rows * sizeof(bool), NULL);
	if (!sim->cells || !sim->dirty) {
		err = ENOMEM;
		goto out;
	}
	memset(sim->cells, ' ', rows * cols);

	/* a line too long: the client is dropped without a word */
	err = linesock_alloc(&sim->ls, path, &opts, client_new, client_line,
			     client_dropped, sim);

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
		linesock_broadcast(sim->ls, mb->buf, mb->end);

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
		linesock_broadcast(sim->ls, mb->buf, mb->end);
	mem_deref(mb);
}


size_t sim_clients(const struct sim *sim)
{
	return sim ? linesock_count(sim->ls) : 0;
}


static void flush_op(void *sim)
{
	sim_flush(sim);
}


static void led_op(void *sim, enum board_led led, enum led_state st)
{
	sim_led(sim, led, st);
}


const struct lcd_ops sim_lcd_ops = {
	.write = sim_write,
	.flush = flush_op,
	.led   = led_op,
};
