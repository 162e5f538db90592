/**
 * @file input.c  Reading Linux input events, with grab and reopen
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <linux/input.h>
#include <re.h>
#include "log.h"
#include "input.h"

struct input_dev {
	char *path;
	int fd;
	bool grab;
	bool present;
	bool was_present;
	unsigned reopens;
	struct tmr tmr;
	input_event_h *eh;
	input_state_h *sh;
	void *arg;
	uint8_t partial[sizeof(struct input_event)];
	size_t npartial;
};


static void dev_close(struct input_dev *dev)
{
	if (dev->fd < 0)
		return;

	fd_close(dev->fd);
	close(dev->fd);
	dev->fd = -1;
	dev->npartial = 0;
}


static void dev_destructor(void *arg)
{
	struct input_dev *dev = arg;

	tmr_cancel(&dev->tmr);
	dev_close(dev);
	mem_deref(dev->path);
}


static void reopen_handler(void *arg);


static void gone(struct input_dev *dev, int err)
{
	dev_close(dev);
	if (dev->present) {
		dev->present = false;
		if (err)
			board_warn("input %s went away (%m); waiting for it",
				   dev->path, err);
		else
			board_warn("input %s closed; waiting for it",
				   dev->path);
		if (dev->sh)
			dev->sh(false, dev->arg);
	}
	tmr_start(&dev->tmr, INPUT_REOPEN_MS, reopen_handler, dev);
}


static void deliver(struct input_dev *dev, const struct input_event *ev)
{
	if (ev->type == EV_SYN || ev->type == EV_MSC)
		return;

	dev->eh(ev->type, ev->code, ev->value, dev->arg);
}


static void read_handler(int flags, void *arg)
{
	struct input_dev *dev = arg;
	uint8_t buf[64 * sizeof(struct input_event)];
	size_t have, off = 0;
	ssize_t n;
	(void)flags;

	memcpy(buf, dev->partial, dev->npartial);
	n = read(dev->fd, buf + dev->npartial, sizeof(buf) - dev->npartial);
	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n <= 0) {
		gone(dev, n < 0 ? errno : 0);
		return;
	}

	have = dev->npartial + (size_t)n;
	mem_ref(dev);
	while (have - off >= sizeof(struct input_event)) {
		struct input_event ev;

		memcpy(&ev, buf + off, sizeof(ev));
		off += sizeof(ev);
		deliver(dev, &ev);
		/* a handler may have closed us */
		if (dev->fd < 0)
			break;
	}

	/* A pipe may split a record; a device never does. */
	dev->npartial = dev->fd < 0 ? 0 : have - off;
	memcpy(dev->partial, buf + off, dev->npartial);
	mem_deref(dev);
}


static int dev_open(struct input_dev *dev)
{
	int fd, err;

	fd = open(dev->path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return errno;

	/* not an input device (ENOTTY, EINVAL; ENOSYS under qemu-user) */
	if (dev->grab && ioctl(fd, EVIOCGRAB, 1) < 0 && errno != ENOTTY &&
	    errno != EINVAL && errno != ENOSYS) {
		err = errno;
		board_warn("input %s: cannot grab: %m", dev->path, err);
		close(fd);
		return err;
	}

	err = fd_listen(fd, FD_READ, read_handler, dev);
	if (err) {
		close(fd);
		return err;
	}

	dev->fd = fd;
	dev->present = true;
	if (dev->was_present) {
		++dev->reopens;
		board_info("input %s is back", dev->path);
	}
	dev->was_present = true;
	if (dev->sh)
		dev->sh(true, dev->arg);

	return 0;
}


static void reopen_handler(void *arg)
{
	struct input_dev *dev = arg;

	if (dev_open(dev))
		tmr_start(&dev->tmr, INPUT_REOPEN_MS, reopen_handler, dev);
}


int input_dev_open(struct input_dev **devp, const char *path, bool grab,
		   input_event_h *eh, input_state_h *sh, void *arg)
{
	struct input_dev *dev;
	int err;

	if (!devp || !path || !eh)
		return EINVAL;

	dev = mem_zalloc(sizeof(*dev), dev_destructor);
	if (!dev)
		return ENOMEM;

	dev->fd   = -1;
	dev->grab = grab;
	dev->eh   = eh;
	dev->sh   = sh;
	dev->arg  = arg;
	tmr_init(&dev->tmr);

	err = str_dup(&dev->path, path);
	if (err) {
		mem_deref(dev);
		return err;
	}

	/* Not there yet is fine: it is plugged in later. */
	err = dev_open(dev);
	if (err) {
		board_warn("input %s: %m; will retry", path, err);
		tmr_start(&dev->tmr, INPUT_REOPEN_MS, reopen_handler, dev);
	}

	*devp = dev;

	return 0;
}


bool input_dev_present(const struct input_dev *dev)
{
	return dev && dev->present;
}


unsigned input_dev_reopens(const struct input_dev *dev)
{
	return dev ? dev->reopens : 0;
}


int input_dev_switch(const struct input_dev *dev, uint16_t code, bool *onp)
{
	uint8_t bits[(SW_MAX + 8) / 8];

	if (!dev || dev->fd < 0 || code > SW_MAX || !onp)
		return EINVAL;

	memset(bits, 0, sizeof(bits));
	if (ioctl(dev->fd, EVIOCGSW(sizeof(bits)), bits) < 0)
		return errno;

	*onp = (bits[code / 8] >> (code % 8)) & 1;

	return 0;
}
