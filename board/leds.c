/**
 * @file leds.c  LED class devices in sysfs
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <re.h>
#include "log.h"
#include "leds.h"

struct leds {
	char *dir[BLED_COUNT];
	unsigned max[BLED_COUNT];
	bool warned[BLED_COUNT];
};


static void destructor(void *arg)
{
	struct leds *l = arg;

	for (int i = 0; i < BLED_COUNT; i++)
		mem_deref(l->dir[i]);
}


static int write_attr(const char *dir, const char *attr, const char *val)
{
	char path[512];
	size_t len = strlen(val);
	ssize_t n;
	int fd;

	re_snprintf(path, sizeof(path), "%s/%s", dir, attr);
	fd = open(path, O_WRONLY | O_CLOEXEC | O_TRUNC);
	if (fd < 0)
		return errno;

	n = write(fd, val, len);
	close(fd);

	return n == (ssize_t)len ? 0 : (n < 0 ? errno : EIO);
}


static unsigned read_max(const char *dir)
{
	char path[512], buf[16] = "";
	unsigned long v;
	ssize_t n;
	int fd;

	re_snprintf(path, sizeof(path), "%s/max_brightness", dir);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 1;

	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return 1;

	buf[n] = '\0';
	v = strtoul(buf, NULL, 10);

	return v ? (unsigned)v : 1;
}


int leds_alloc(struct leds **lp, const struct board_desc *d)
{
	struct leds *l;
	int err = 0;

	if (!lp || !d)
		return EINVAL;

	l = mem_zalloc(sizeof(*l), destructor);
	if (!l)
		return ENOMEM;

	for (int i = 0; i < BLED_COUNT && !err; i++) {
		if (!d->led_root || !d->leds[i])
			continue;
		err = re_sdprintf(&l->dir[i], "%s/%s", d->led_root,
				  d->leds[i]);
		if (!err)
			l->max[i] = read_max(l->dir[i]);
	}

	if (err) {
		mem_deref(l);
		return err;
	}

	*lp = l;

	return 0;
}


int leds_set(struct leds *l, enum board_led led, enum led_state st)
{
	char val[16];
	int err;

	if (!l || led >= BLED_COUNT)
		return EINVAL;

	if (!l->dir[led])
		return 0;

	re_snprintf(val, sizeof(val), "%u", l->max[led]);

	if (st == LED_BLINK) {
		/* the timer trigger blinks at the brightness set before it */
		(void)write_attr(l->dir[led], "brightness", val);
		err = write_attr(l->dir[led], "trigger", "timer");
		if (!err) {
			(void)write_attr(l->dir[led], "delay_on", "500");
			(void)write_attr(l->dir[led], "delay_off", "500");
		}
		else {
			/* no trigger support: steady on says as much */
			err = write_attr(l->dir[led], "brightness", val);
		}
	}
	else {
		(void)write_attr(l->dir[led], "trigger", "none");
		re_snprintf(val, sizeof(val), "%u",
			    st == LED_ON ? l->max[led] : 0);
		err = write_attr(l->dir[led], "brightness", val);
	}

	if (err && !l->warned[led]) {
		l->warned[led] = true;
		board_warn("led %s: %m", l->dir[led], err);
	}
	else if (!err) {
		l->warned[led] = false;
	}

	return err;
}
