/**
 * @file ring.c  The ringer: rings while an incoming call waits
 *
 * baresip 1.0.0 leaves ringing to its UI module (menu); the phone has no
 * such module, so we ring: the ring tone is played through the core's
 * player on the `audio_alert` device (by default dpalsa's ringer route),
 * from the first CALL_INCOMING until no call is waiting any more.
 */
#include <math.h>
#include <string.h>
#include "dpalsa.h"

enum {
	RING_SRATE = 8000,
	RING_ON_MS = 1000,      /* 1 s of tone, 2 s of silence */
	RING_OFF_MS = 2000,
	RING_AMPLITUDE = 6000,  /* each of the two tones */
};

static struct {
	struct play *play;
	struct mbuf *tone;
	char mod[32];
	char dev[64];
	bool enabled;
} ring;


/* The two tones of North American ringing, 440 and 480 Hz, mixed. */
static struct mbuf *make_tone(void)
{
	const size_t on = RING_SRATE * RING_ON_MS / 1000;
	const size_t total = on + RING_SRATE * RING_OFF_MS / 1000;
	struct mbuf *mb = mbuf_alloc(total * sizeof(int16_t));

	if (!mb)
		return NULL;

	for (size_t i = 0; i < total; i++) {
		double t = (double)i / RING_SRATE, v = 0;
		int16_t s;

		if (i < on)
			v = RING_AMPLITUDE * (sin(2 * M_PI * 440 * t) +
					      sin(2 * M_PI * 480 * t));
		s = (int16_t)lrint(v);
		(void)mbuf_write_mem(mb, (const uint8_t *)&s, sizeof(s));
	}

	mb->pos = 0;

	return mb;
}


static bool call_waiting(const struct call *closing)
{
	for (struct le *le = uag_list()->head; le; le = le->next) {
		for (struct le *cle = ua_calls(le->data)->head; cle;
		     cle = cle->next) {
			const struct call *call = cle->data;

			if (call != closing &&
			    call_state(call) == CALL_STATE_INCOMING)
				return true;
		}
	}

	return false;
}


static void ring_update(const struct call *closing, bool incoming)
{
	bool want = ring.enabled && (incoming || call_waiting(closing));
	int err;

	if (want && !ring.play) {
		err = play_tone(&ring.play, baresip_player(), ring.tone,
				RING_SRATE, 1, -1, ring.mod, ring.dev);
		if (err)
			warning("dpalsa: cannot ring on %s,%s: %m\n",
				ring.mod, ring.dev, err);
	}
	else if (!want && ring.play) {
		ring.play = mem_deref(ring.play);
	}
}


static void ua_event_handler(struct ua *ua, enum ua_event ev,
			     struct call *call, const char *prm, void *arg)
{
	(void)ua;
	(void)prm;
	(void)arg;

	switch (ev) {

	case UA_EVENT_CALL_INCOMING:
		ring_update(NULL, true);
		break;

	case UA_EVENT_CALL_ESTABLISHED:
	case UA_EVENT_CALL_PROGRESS:
	case UA_EVENT_CALL_RINGING:
		ring_update(NULL, false);
		break;

	case UA_EVENT_CALL_CLOSED:
		/* still listed while its CLOSED handlers run */
		ring_update(call, false);
		break;

	default:
		break;
	}
}


/* The player for alerts: "module,device" of audio_alert. */
static void read_alert_device(void)
{
	struct pl val, mod, dev;

	str_ncpy(ring.mod, "dpalsa", sizeof(ring.mod));
	str_ncpy(ring.dev, "ringer", sizeof(ring.dev));

	if (conf_get(conf_cur(), "audio_alert", &val))
		return;

	if (0 == re_regex(val.p, val.l, "[^,]+,[~]*", &mod, &dev)) {
		pl_strcpy(&mod, ring.mod, sizeof(ring.mod));
		pl_strcpy(&dev, ring.dev, sizeof(ring.dev));
	}
	else {
		pl_strcpy(&val, ring.mod, sizeof(ring.mod));
		ring.dev[0] = '\0';
	}
}


int dpalsa_ring_init(bool enabled)
{
	memset(&ring, 0, sizeof(ring));
	ring.enabled = enabled;
	read_alert_device();

	ring.tone = make_tone();
	if (!ring.tone)
		return ENOMEM;

	return uag_event_register(ua_event_handler, NULL);
}


void dpalsa_ring_close(void)
{
	uag_event_unregister(ua_event_handler);
	ring.play = mem_deref(ring.play);
	ring.tone = mem_deref(ring.tone);
}


void dpalsa_ring_enable(bool enabled)
{
	ring.enabled = enabled;
	ring_update(NULL, false);
}


bool dpalsa_ring_enabled(void)
{
	return ring.enabled;
}


bool dpalsa_ringing(void)
{
	return ring.play != NULL;
}
