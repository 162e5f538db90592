/**
 * @file clock.c  The trusted time purges are measured on
 *
 * A retention is only as good as the clock it is measured on.  The wall
 * clock of a phone can be unset at boot (an RTC reset to 1970 or 2000),
 * set back by hand, or jump ahead (a wrong RTC, a bad time server).
 * Trusted time T is what the purges and new records use instead:
 *
 *   - T never goes back, so nothing is kept again because the clock did;
 *   - T always advances by the running time measured since it was last
 *     set (CLOCK_BOOTTIME, which no one can set), so an untrusted clock
 *     never keeps data forever;
 *   - T follows a usable wall clock forward, at most clock_step_s beyond
 *     the running time at a time, so a jump ahead expires data a step at
 *     a time rather than all at once.
 *
 * A wall clock is usable when it is not earlier than the floor (the
 * build's date: no real time is earlier) and the kernel says it is
 * synchronised, or when clock_trust_rtc allows a battery clock.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/timex.h>
#include <time.h>
#include <re.h>
#include "base/fileutil.h"
#include "privacy.h"


const char *dp_clock_verdict_name(enum dp_clock_verdict v)
{
	switch (v) {

	case DP_CLOCK_FIRST:       return "first";
	case DP_CLOCK_FOLLOWED:    return "followed";
	case DP_CLOCK_UNTRUSTED:   return "untrusted";
	case DP_CLOCK_BEHIND:      return "behind";
	case DP_CLOCK_CATCHING_UP: return "catching_up";
	}

	return "?";
}


static void read_boot_id(char *out, size_t sz)
{
	char *text = NULL;
	size_t len = 0;

	if (dp_read_file("/proc/sys/kernel/random/boot_id", 128, &text,
			 &len)) {
		str_ncpy(out, "unknown", sz);
		return;
	}
	while (len && (text[len - 1] == '\n' || text[len - 1] == ' '))
		text[--len] = '\0';
	str_ncpy(out, text, sz);
	mem_deref(text);
}


static int64_t boottime_s(void)
{
	struct timespec ts;

	if (clock_gettime(CLOCK_BOOTTIME, &ts))
		clock_gettime(CLOCK_MONOTONIC, &ts);

	return (int64_t)ts.tv_sec;
}


int dp_clock_sample_now(struct dp_clock_sample *s)
{
	struct timex tx;

	memset(s, 0, sizeof(*s));
	s->wall_s = (int64_t)time(NULL);
	s->boot_s = boottime_s();
	read_boot_id(s->boot_id, sizeof(s->boot_id));

	memset(&tx, 0, sizeof(tx));
	s->synced = adjtimex(&tx) != TIME_ERROR && !(tx.status & STA_UNSYNC);

	return 0;
}


int dp_clock_sample_file(struct dp_clock_sample *s, const char *path)
{
	char *text = NULL, sync[16] = "synced";
	long long wall = 0, boot = -1;
	size_t len;
	int err, n;

	err = dp_clock_sample_now(s);
	if (err)
		return err;

	err = dp_read_file(path, 256, &text, &len);
	if (err)
		return err;

	n = sscanf(text, "%lld %15s %lld", &wall, sync, &boot);
	mem_deref(text);
	if (n < 1 || (strcmp(sync, "synced") && strcmp(sync, "unsynced")))
		return EINVAL;

	s->wall_s = wall;
	s->synced = !strcmp(sync, "synced");
	if (n == 3) {
		s->boot_s = boot;
		str_ncpy(s->boot_id, "simulated", sizeof(s->boot_id));
	}

	return 0;
}


int dp_clock_load(struct dp_clock *c, const char *path)
{
	char *text = NULL, id[40] = "";
	long long t = 0, b = 0;
	size_t len;
	int err;

	memset(c, 0, sizeof(*c));
	err = dp_read_file(path, 256, &text, &len);
	if (err)
		return err;

	if (sscanf(text, "deskphone-clock 1 %lld %lld %39s", &t, &b, id) != 3)
		err = EBADMSG;
	mem_deref(text);
	if (err)
		return err;

	c->known = true;
	c->trusted_s = t;
	c->boot_s = b;
	str_ncpy(c->boot_id, id, sizeof(c->boot_id));

	return 0;
}


int dp_clock_save(const struct dp_clock *c, const char *path)
{
	char text[160];
	int n = snprintf(text, sizeof(text), "deskphone-clock 1 %lld %lld %s\n",
			 (long long)c->trusted_s, (long long)c->boot_s,
			 c->boot_id[0] ? c->boot_id : "unknown");

	return dp_write_atomic(path, text, (size_t)n, 0600);
}


static bool usable(const struct dp_clock_sample *s, const struct dp_policy *p)
{
	return s->wall_s >= p->clock_floor_s &&
		(s->synced || p->clock_trust_rtc);
}


int64_t dp_clock_peek(const struct dp_clock *c,
		      const struct dp_clock_sample *s)
{
	int64_t elapsed = 0;

	if (!c->known)
		return s->wall_s;

	if (!strcmp(c->boot_id, s->boot_id) && s->boot_s > c->boot_s)
		elapsed = s->boot_s - c->boot_s;

	return c->trusted_s + elapsed;
}


enum dp_clock_verdict dp_clock_advance(struct dp_clock *c,
				       const struct dp_clock_sample *s,
				       const struct dp_policy *p)
{
	enum dp_clock_verdict v;
	int64_t tmin;

	if (!c->known) {
		c->trusted_s = usable(s, p) ? s->wall_s : p->clock_floor_s;
		v = DP_CLOCK_FIRST;
	}
	else {
		tmin = dp_clock_peek(c, s);

		if (!usable(s, p)) {
			c->trusted_s = tmin;
			v = DP_CLOCK_UNTRUSTED;
		}
		else if (s->wall_s < tmin) {
			c->trusted_s = tmin;
			v = s->wall_s + (int64_t)p->clock_slack_s < tmin ?
				DP_CLOCK_BEHIND : DP_CLOCK_FOLLOWED;
		}
		else if (s->wall_s - tmin > (int64_t)p->clock_step_s) {
			c->trusted_s = tmin + p->clock_step_s;
			v = DP_CLOCK_CATCHING_UP;
		}
		else {
			c->trusted_s = s->wall_s;
			v = DP_CLOCK_FOLLOWED;
		}
	}

	/* never earlier than any real time */
	if (c->trusted_s < p->clock_floor_s)
		c->trusted_s = p->clock_floor_s;

	c->known = true;
	c->boot_s = s->boot_s;
	str_ncpy(c->boot_id, s->boot_id, sizeof(c->boot_id));

	return v;
}


int64_t dp_clock_stamp_ms(const struct dp_clock *c,
			  const struct dp_clock_sample *s,
			  const struct dp_policy *p, int64_t wall_ms)
{
	int64_t t, lo, hi;

	if (!wall_ms)
		wall_ms = s->wall_s * 1000;

	if (!c->known)
		return usable(s, p) ? wall_ms : p->clock_floor_s * 1000;

	t = dp_clock_peek(c, s);
	if (!usable(s, p))
		return t * 1000;

	lo = (t - (int64_t)p->clock_slack_s) * 1000;
	hi = (t + (int64_t)p->clock_step_s) * 1000;

	return wall_ms < lo ? lo : wall_ms > hi ? hi : wall_ms;
}
