/**
 * @file fuzz_input.c  The keypad and hook reader (board/input.c,
 *                     board/keypad.c) on arbitrary byte streams
 *
 * Input: one byte of options (how the stream is cut into writes; the
 * hook as a switch or a key, inverted or not), then the bytes a device
 * would deliver.  They go, in writes of varying size, into a pipe that a
 * keypad reads as its device (through /proc/self/fd/N, opened by path as
 * the keypad opens /dev/input/eventN), with libre's loop run until the
 * pipe is empty after each write; then the write end is closed, as a
 * device that goes away.  Records split across writes are the point:
 * a pipe may split a `struct input_event`, a device never does.
 *
 * Checks: the keys that come out are exactly those of the complete
 * records in the stream, in order, each decoded as keypad.h says
 * (computed here independently of keypad_decode); the bytes of a last,
 * partial record give nothing; the device is seen to go away at the end.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <linux/input.h>
#include <re.h>
#include "board/desc.h"
#include "board/input.h"
#include "board/log.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(c) do { if (!(c)) __builtin_trap(); } while (0)

enum { MAX_KEYS = 16384 / sizeof(struct input_event) + 4 };

struct seen {
	enum phone_key key[MAX_KEYS];
	enum key_action act[MAX_KEYS];
	size_t n;
	bool overflow;
};

static const char keymap[] = "KEY_NUMERIC_0=0 KEY_NUMERIC_1=1 KEY_UP=up "
	"KEY_DOWN=down KEY_OK=ok KEY_F1=soft1 KEY_VOLUMEUP=volume_up "
	"KEY_PAUSE=hold KEY_SPACE=hook 2=2 3=3 4=4";


static void quiet(bool error, const char *msg)
{
	(void)error;
	(void)msg;
}


static void on_key(enum phone_key key, enum key_action act, void *arg)
{
	struct seen *s = arg;

	if (s->n >= MAX_KEYS) {
		s->overflow = true;
		return;
	}
	s->key[s->n] = key;
	s->act[s->n] = act;
	s->n++;
}


/* A pipe that always holds a byte: its handler ends each pass of the
 * loop without the millisecond a timer would wait. */
static int ready[2] = { -1, -1 };


static void stop(int flags, void *arg)
{
	(void)flags;
	(void)arg;
	re_cancel();
}


/* One pass of libre's loop: what is ready is handled, then we are back. */
static void loop_once(void)
{
	(void)re_main(NULL);
}


/* keypad.h's rules, written out again */
static enum phone_key expected(const struct board_desc *d,
			       const struct input_event *ev,
			       enum key_action *act)
{
	enum phone_key key;

	if (ev->type == EV_SYN || ev->type == EV_MSC)
		return PK_NONE;
	if (d->hook_type == ev->type && d->hook_code == ev->code) {
		if (ev->value == 2)
			return PK_NONE;
		*act = KEY_PRESS;
		return ((ev->value != 0) != d->hook_invert) ? PK_ONHOOK :
			PK_OFFHOOK;
	}
	if (ev->type != EV_KEY)
		return PK_NONE;
	key = keymap_lookup(&d->keymap, ev->code);
	if (key == PK_NONE || ev->value < 0 || ev->value > 2)
		return PK_NONE;
	if (ev->value == 2 && !phone_key_repeats(key))
		return PK_NONE;
	*act = ev->value == 0 ? KEY_RELEASE :
		ev->value == 1 ? KEY_PRESS : KEY_REPEAT;

	return key;
}


static size_t pipe_holds(int fd)
{
	int n = 0;

	CHECK(0 == ioctl(fd, FIONREAD, &n));

	return (size_t)n;
}


int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static bool inited;
	static struct seen got;
	struct board_desc d;
	struct keypad *kp = NULL;
	char path[64], err[256];
	const uint8_t *stream;
	size_t n, off = 0, want = 0, nrec;
	uint32_t cut;
	int p[2];

	if (!inited) {
		CHECK(0 == libre_init());
		board_log_set(quiet);
		CHECK(0 == pipe2(ready, O_CLOEXEC | O_NONBLOCK));
		CHECK(1 == write(ready[1], "x", 1));
		CHECK(0 == fd_listen(ready[0], FD_READ, stop, NULL));
		inited = true;
	}
	if (size < 1)
		return 0;

	memset(&d, 0, sizeof(d));
	CHECK(0 == keymap_parse(&d.keymap, keymap, "fuzz", err, sizeof(err)));
	d.keypad_grab = true;
	switch (data[0] & 3) {
	case 0:  d.hook_type = EV_SW;  d.hook_code = SW_LID;      break;
	case 1:  d.hook_type = EV_SW;  d.hook_code = SW_HEADPHONE_INSERT;
		 break;
	case 2:  d.hook_type = EV_KEY; d.hook_code = KEY_SPACE;   break;
	default: d.hook_type = 0;                                  break;
	}
	d.hook_invert = data[0] & 4;
	cut = 0x9e3779b9u * (data[0] | 1u);
	stream = data + 1;
	n = size - 1;

	if (pipe2(p, O_CLOEXEC | O_NONBLOCK))
		return 0;
	snprintf(path, sizeof(path), "/proc/self/fd/%d", p[0]);
	d.keypads[0] = path;
	d.nkeypads = 1;

	memset(&got, 0, sizeof(got));
	CHECK(0 == keypad_alloc(&kp, &d, on_key, &got));
	CHECK(input_dev_present(keypad_dev(kp, 0)));

	while (off < n) {
		/* writes of 1 to 64 bytes, or a few records at once */
		size_t len;
		ssize_t w;

		cut = cut * 1103515245u + 12345u;
		len = (cut >> 16) % 4 ? 1 + (cut >> 8) % 64 :
			1 + (cut >> 8) % (4 * sizeof(struct input_event));
		if (len > n - off)
			len = n - off;

		w = write(p[1], stream + off, len);
		CHECK(w == (ssize_t)len);
		off += len;

		for (int spins = 0; pipe_holds(p[0]); spins++) {
			CHECK(spins < 1000);
			loop_once();
		}
		loop_once();
	}

	/* every complete record, decoded independently */
	nrec = n / sizeof(struct input_event);
	for (size_t i = 0; i < nrec; i++) {
		struct input_event ev;
		enum key_action act = KEY_PRESS;
		enum phone_key key;

		memcpy(&ev, stream + i * sizeof(ev), sizeof(ev));
		key = expected(&d, &ev, &act);
		if (key == PK_NONE)
			continue;
		CHECK(want < got.n);
		CHECK(got.key[want] == key && got.act[want] == act);
		want++;
	}
	CHECK(!got.overflow && want == got.n);

	/* the device goes away: end of file on the pipe */
	close(p[1]);
	for (int spins = 0; input_dev_present(keypad_dev(kp, 0)); spins++) {
		CHECK(spins < 1000);
		loop_once();
	}
	CHECK(got.n == want);

	mem_deref(kp);
	close(p[0]);

	return 0;
}
