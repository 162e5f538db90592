/**
 * @file regretry.c  Registration back-off of our own
 *
 * When a registrar is missing or unreachable, libre's register client
 * waits 15 to 60 s before its first retry and up to half an hour later
 * on.  A desk phone that was switched on before the PBX should recover
 * within seconds of the PBX coming back, without hammering it while it
 * is down: we retry after min_s, doubling to max_s, each wait shortened
 * by a random part of up to a quarter so that a whole office does not
 * retry in step.  A success resets the back-off.
 *
 * Entries are keyed by AOR, not by UA pointer, so a UA that goes away
 * (re-provisioning) leaves nothing dangling.
 */
#include "core.h"

struct retry {
	struct le le;
	char *aor;
	uint32_t failc;
	struct tmr tmr;
};

static struct list retries;
static uint32_t wait_min_s = 2, wait_max_s = 300;


static void retry_destructor(void *arg)
{
	struct retry *r = arg;

	tmr_cancel(&r->tmr);
	list_unlink(&r->le);
	mem_deref(r->aor);
}


static struct retry *retry_find(const char *aor)
{
	struct le *le;

	for (le = retries.head; le; le = le->next) {
		struct retry *r = le->data;

		if (0 == str_cmp(r->aor, aor))
			return r;
	}

	return NULL;
}


static uint32_t backoff_ms(uint32_t failc)
{
	uint64_t wait = (uint64_t)wait_min_s * 1000;
	uint32_t jitter;

	for (uint32_t i = 1; i < failc && wait < (uint64_t)wait_max_s * 1000;
	     i++)
		wait *= 2;

	if (wait > (uint64_t)wait_max_s * 1000)
		wait = (uint64_t)wait_max_s * 1000;

	jitter = (uint32_t)(wait / 4);

	return (uint32_t)wait - (jitter ? rand_u32() % jitter : 0);
}


static void retry_timeout(void *arg)
{
	struct retry *r = arg;
	struct ua *ua = uag_find_aor(r->aor);
	int err;

	if (!ua) {
		mem_deref(r);
		return;
	}

	info("dpcore: retrying registration (attempt %u)\n", r->failc + 1);

	err = ua_register(ua);
	if (err)
		warning("dpcore: register: %m\n", err);
}


static void ua_event_handler(struct ua *ua, enum ua_event ev,
			     struct call *call, const char *prm, void *arg)
{
	struct retry *r;
	uint32_t ms;
	(void)call;
	(void)arg;

	switch (ev) {

	case UA_EVENT_REGISTER_OK:
		r = retry_find(ua_aor(ua));
		mem_deref(r);
		break;

	case UA_EVENT_REGISTER_FAIL:
		r = retry_find(ua_aor(ua));
		if (!r) {
			r = mem_zalloc(sizeof(*r), retry_destructor);
			if (!r || str_dup(&r->aor, ua_aor(ua))) {
				mem_deref(r);
				return;
			}
			tmr_init(&r->tmr);
			list_append(&retries, &r->le, r);
		}

		ms = backoff_ms(++r->failc);
		info("dpcore: registration failed (%s); next attempt in"
		     " %u.%03u s\n", prm ? prm : "", ms / 1000, ms % 1000);
		tmr_start(&r->tmr, ms, retry_timeout, r);
		break;

	case UA_EVENT_SHUTDOWN:
		list_flush(&retries);
		break;

	default:
		break;
	}
}


int regretry_init(uint32_t min_s, uint32_t max_s)
{
	if (min_s == 0 || max_s < min_s)
		return EINVAL;

	wait_min_s = min_s;
	wait_max_s = max_s;
	list_init(&retries);

	return uag_event_register(ua_event_handler, NULL);
}


void regretry_close(void)
{
	uag_event_unregister(ua_event_handler);
	list_flush(&retries);
}
