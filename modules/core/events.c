/**
 * @file events.c  Every UA event, in order, as one JSON line on the
 *                 control socket's event stream
 *
 * The sequence number lets a reader prove it saw every event in order.
 * VU meter reports are left out: they arrive many times a second and
 * carry nothing a reader of the stream acts on.
 */
#include <time.h>
#include "core.h"

static struct ctrl *events_ctrl;
static uint64_t events_seq;


static uint64_t wallclock_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);

	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}


static int print_event(struct mbuf *mb, struct ua *ua,
		       enum ua_event ev, struct call *call, const char *prm)
{
	int err;

	err = mbuf_printf(mb, "{\"type\":\"event\",\"seq\":%llu,"
			 "\"time_ms\":%llu,\"event\":%H",
			 (unsigned long long)++events_seq,
			 (unsigned long long)wallclock_ms(),
			 dp_json_str, uag_event_str(ev));

	if (ua)
		err |= mbuf_printf(mb, ",\"aor\":%H", dp_json_str, ua_aor(ua));

	if (call) {
		err |= mbuf_printf(mb, ",\"call_id\":%H,\"line\":%u,"
				  "\"dir\":\"%s\",\"peer\":%H,"
				  "\"peer_name\":%H,\"state\":%d",
				  dp_json_str, call_id(call),
				  call_linenum(call),
				  call_is_outgoing(call) ? "out" : "in",
				  dp_json_str, call_peeruri(call),
				  dp_json_str, call_peername(call),
				  (int)call_state(call));
	}

	err |= mbuf_printf(mb, ",\"prm\":%H}", dp_json_str, prm ? prm : "");

	return err;
}


static void ua_event_handler(struct ua *ua, enum ua_event ev,
			     struct call *call, const char *prm, void *arg)
{
	struct mbuf *mb;
	(void)arg;

	if (ev == UA_EVENT_VU_TX || ev == UA_EVENT_VU_RX)
		return;

	mb = mbuf_alloc(256);
	if (!mb)
		return;

	if (0 == print_event(mb, ua, ev, call, prm) &&
	    0 == mbuf_write_u8(mb, 0))
		ctrl_broadcast(events_ctrl, (const char *)mb->buf);

	mem_deref(mb);
}


int events_init(struct ctrl *ctrl)
{
	events_ctrl = ctrl;
	events_seq  = 0;

	return uag_event_register(ua_event_handler, NULL);
}


void events_close(void)
{
	uag_event_unregister(ua_event_handler);
	events_ctrl = NULL;
}
