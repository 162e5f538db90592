/**
 * @file keypad.c  Input events to phone keys: keymap, repeat, hook
 */
#include <errno.h>
#include <linux/input.h>
#include <re.h>
#include "log.h"
#include "input.h"

struct keypad_port {
	struct keypad *kp;
	struct input_dev *dev;
};

struct keypad {
	const struct board_desc *desc;
	struct keypad_port ports[BOARD_MAX_KEYPADS];
	size_t nports;
	keypad_h *h;
	void *arg;
};


enum phone_key keypad_decode(const struct board_desc *d, uint16_t type,
			     uint16_t code, int32_t value,
			     enum key_action *actp)
{
	enum phone_key key;
	bool on_hook;

	if (!d || !actp)
		return PK_NONE;

	if (d->hook_type && type == d->hook_type && code == d->hook_code) {
		if (value == 2)
			return PK_NONE;
		on_hook = (value != 0) != d->hook_invert;
		*actp = KEY_PRESS;
		return on_hook ? PK_ONHOOK : PK_OFFHOOK;
	}

	if (type != EV_KEY)
		return PK_NONE;

	key = keymap_lookup(&d->keymap, code);
	if (key == PK_NONE)
		return PK_NONE;

	switch (value) {

	case 0:
		*actp = KEY_RELEASE;
		break;

	case 1:
		*actp = KEY_PRESS;
		break;

	case 2:
		if (!phone_key_repeats(key))
			return PK_NONE;
		*actp = KEY_REPEAT;
		break;

	default:
		return PK_NONE;
	}

	return key;
}


static void event_handler(uint16_t type, uint16_t code, int32_t value,
			  void *arg)
{
	struct keypad_port *port = arg;
	struct keypad *kp = port->kp;
	enum key_action act;
	enum phone_key key;

	key = keypad_decode(kp->desc, type, code, value, &act);
	if (key != PK_NONE)
		kp->h(key, act, kp->arg);
}


/* On (re)connection, report where the hook switch is now. */
static void state_handler(bool present, void *arg)
{
	struct keypad_port *port = arg;
	struct keypad *kp = port->kp;
	bool closed;

	if (!present || !port->dev || kp->desc->hook_type != EV_SW)
		return;

	if (input_dev_switch(port->dev, kp->desc->hook_code, &closed))
		return;

	kp->h(closed != kp->desc->hook_invert ? PK_ONHOOK : PK_OFFHOOK,
	      KEY_PRESS, kp->arg);
}


static void keypad_destructor(void *arg)
{
	struct keypad *kp = arg;

	for (size_t i = 0; i < kp->nports; i++)
		mem_deref(kp->ports[i].dev);
}


int keypad_alloc(struct keypad **kpp, const struct board_desc *d,
		 keypad_h *h, void *arg)
{
	struct keypad *kp;
	int err = 0;

	if (!kpp || !d || !h)
		return EINVAL;

	kp = mem_zalloc(sizeof(*kp), keypad_destructor);
	if (!kp)
		return ENOMEM;

	kp->desc = d;
	kp->h    = h;
	kp->arg  = arg;

	for (size_t i = 0; i < d->nkeypads && !err; i++) {
		struct keypad_port *port = &kp->ports[kp->nports++];

		port->kp = kp;
		err = input_dev_open(&port->dev, d->keypads[i], d->keypad_grab,
				     event_handler, state_handler, port);
	}

	if (err) {
		mem_deref(kp);
		return err;
	}

	*kpp = kp;

	/* where the hook switch is at start-up */
	for (size_t i = 0; i < kp->nports; i++)
		state_handler(input_dev_present(kp->ports[i].dev),
			      &kp->ports[i]);

	return 0;
}


struct input_dev *keypad_dev(const struct keypad *kp, size_t i)
{
	if (!kp || i >= kp->nports)
		return NULL;

	return kp->ports[i].dev;
}
