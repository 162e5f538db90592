/**
 * @file adapter.c  The phone's host in baresip: UA events become phone
 *                  events, the phone's actions become baresip calls
 *
 * Thin on purpose: what the phone does is decided in phone.c (tested
 * without baresip, test/unit/test_ui_fsm.c); here a call handle is the
 * struct call, a timer is a libre tmr, and each action is one call.
 */
#include <stdarg.h>
#include <string.h>
#include <time.h>
#include "ui.h"


struct ua *ui_ua(void)
{
	struct ua *ua = uag_current();

	if (!ua && uag_list()->head)
		ua = uag_list()->head->data;

	return ua;
}


/* The account may come and go: the phone shows what there is now. */
static void account_refresh(struct ui *ui)
{
	struct ua *ua = ui_ua();

	phone_account(ui->phone, ua ? ua_aor(ua) : NULL);
}


void ui_note(struct ui *ui, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	phone_notev(ui->phone, fmt, ap);
	va_end(ap);
}


void ui_key(enum phone_key key, enum key_action act, void *arg)
{
	struct ui *ui = arg;

	if (ui->phone)
		phone_key(ui->phone, key, act);
}


static void call_info(struct phone_call *c, struct call *call)
{
	memset(c, 0, sizeof(*c));
	c->call = call;
	c->peer_uri = call_peeruri(call);
	c->peer_name = call_peername(call);
	c->outgoing = call_is_outgoing(call);
	c->duration_s = call_duration(call);
}


/*
 * The call that replaces `gone` when we were transferred: the core
 * placed it to the transfer target and it is answered (dpcore
 * transfer.c).
 */
static bool transfer_target(struct phone_call *c, struct call *gone)
{
	for (struct le *le = ua_calls(call_get_ua(gone))->head; le;
	     le = le->next) {
		struct call *call = le->data;

		if (call != gone && call_state(call) == CALL_STATE_ESTABLISHED) {
			call_info(c, call);
			return true;
		}
	}

	return false;
}


void ui_event(struct ua *ua, enum ua_event ev, struct call *call,
	      const char *prm, void *arg)
{
	static const enum phone_call_event call_ev[] = {
		[UA_EVENT_CALL_INCOMING]        = PCALL_INCOMING,
		[UA_EVENT_CALL_RINGING]         = PCALL_RINGING,
		[UA_EVENT_CALL_PROGRESS]        = PCALL_RINGING,
		[UA_EVENT_CALL_ESTABLISHED]     = PCALL_ESTABLISHED,
		[UA_EVENT_CALL_TRANSFER_FAILED] = PCALL_TRANSFER_FAILED,
		[UA_EVENT_CALL_CLOSED]          = PCALL_CLOSED,
	};
	struct ui *ui = arg;
	struct phone_call c, next;
	(void)ua;

	account_refresh(ui);

	switch (ev) {

	case UA_EVENT_REGISTER_OK:
		phone_registration(ui->phone, PREG_OK, NULL);
		break;

	case UA_EVENT_REGISTER_FAIL:
		phone_registration(ui->phone, PREG_FAIL, prm);
		break;

	case UA_EVENT_UNREGISTERING:
		phone_registration(ui->phone, PREG_UNREGISTERING, NULL);
		break;

	case UA_EVENT_MWI_NOTIFY:
		phone_mwi(ui->phone, prm);
		break;

	case UA_EVENT_CALL_INCOMING:
	case UA_EVENT_CALL_RINGING:
	case UA_EVENT_CALL_PROGRESS:
	case UA_EVENT_CALL_ESTABLISHED:
	case UA_EVENT_CALL_TRANSFER_FAILED:
	case UA_EVENT_CALL_CLOSED:
		if (!call)
			break;
		call_info(&c, call);
		if (ev == UA_EVENT_CALL_CLOSED) {
			/* baresip's reason when the REFER we sent succeeded */
			c.transferred = prm && !strcmp(prm, "Call transfered");
			if (!c.transferred && transfer_target(&next, call))
				c.next = &next;
		}
		phone_call_event(ui->phone, call_ev[ev], &c);
		break;

	default:
		break;
	}
}


/* --- the phone's actions --------------------------------------------------- */

static int op_dial(void *arg, const char *number, void **callp)
{
	struct ua *ua = ui_ua();
	struct call *call = NULL;
	int err;
	(void)arg;

	if (!ua)
		return ENODEV;

	err = ua_connect(ua, &call, NULL, number, VIDMODE_OFF);
	if (err) {
		warning("dpui: dial %s: %m\n", number, err);
		return err == ENODEV ? EIO : err;   /* ENODEV: no account */
	}
	*callp = call;

	return 0;
}


static int op_answer(void *arg, void *call)
{
	int err = ua_answer(call_get_ua(call), call, VIDMODE_OFF);
	(void)arg;

	if (err)
		warning("dpui: answer: %m\n", err);

	return err;
}


static void op_hangup(void *arg, void *call, uint16_t scode,
		      const char *reason)
{
	(void)arg;
	/* CALL_CLOSED comes from inside ua_hangup() */
	ua_hangup(call_get_ua(call), call, scode, reason);
}


static int op_hold(void *arg, void *call, bool hold)
{
	(void)arg;
	return call_hold(call, hold);
}


static int op_transfer(void *arg, void *call, const char *target)
{
	(void)arg;
	return call_transfer(call, target);
}


static void op_send_digit(void *arg, void *call, char key)
{
	(void)arg;
	(void)call_send_digit(call, key);
	(void)call_send_digit(call, KEYCODE_REL);
}


static int op_mute(void *arg, void *call, bool mute)
{
	struct audio *au = call_audio(call);
	(void)arg;

	if (!au)
		return ENOENT;
	audio_mute(au, mute);

	return 0;
}


static void op_route(void *arg, enum route r)
{
	audio_route(arg, r);
}


static void op_volume(void *arg, enum route r, unsigned percent)
{
	audio_volume(arg, r, percent);
}


static void op_ring(void *arg, bool on)
{
	if (on)
		audio_ring_start(arg);
	else
		audio_ring_stop(arg);
}


static void timer_fired(void *arg)
{
	struct ui_timer *t = arg;

	phone_timer_fired(t->ui->phone, t->t);
}


static void op_timer(void *arg, enum phone_timer t, uint32_t ms)
{
	struct ui *ui = arg;

	if (t >= PT_COUNT)
		return;
	ui->tmr[t].ui = ui;
	ui->tmr[t].t = t;
	if (ms)
		tmr_start(&ui->tmr[t].tmr, ms, timer_fired, &ui->tmr[t]);
	else
		tmr_cancel(&ui->tmr[t].tmr);
}


void ui_timers_cancel(struct ui *ui)
{
	for (int t = 0; t < PT_COUNT; t++)
		tmr_cancel(&ui->tmr[t].tmr);
}


static uint64_t op_now_ms(void *arg)
{
	(void)arg;
	return tmr_jiffies();
}


static time_t op_wall(void *arg)
{
	(void)arg;
	return time(NULL);
}


static void op_local_addr(void *arg, char *buf, size_t sz)
{
	struct sa laddr;
	(void)arg;

	sa_init(&laddr, AF_INET);
	if (0 == net_default_source_addr_get(AF_INET, &laddr))
		re_snprintf(buf, sz, "%j", &laddr);
	else
		str_ncpy(buf, "?", sz);
}


static int op_provision_start(void *arg)
{
	return job_provision_start(arg);
}


static int op_bundle_start(void *arg)
{
	return job_bundle_start(arg);
}


static void op_privacy_load(void *arg)
{
	privacy_page_load(arg);
}


static void op_privacy_restrict(void *arg, bool on)
{
	privacy_restrict(arg, on);
}


static void op_privacy_erase(void *arg)
{
	privacy_erase(arg);
}


static void op_history_opened(void *arg)
{
	privacy_history_opened(arg);
}


static int op_trust_answer(void *arg, bool yes, const char *what)
{
	struct ui *ui = arg;

	return trust_prompt_answer(ui->trust, yes, what);
}


const struct phone_ops ui_phone_ops = {
	.dial             = op_dial,
	.answer           = op_answer,
	.hangup           = op_hangup,
	.hold             = op_hold,
	.transfer         = op_transfer,
	.send_digit       = op_send_digit,
	.mute             = op_mute,
	.route            = op_route,
	.volume           = op_volume,
	.ring             = op_ring,
	.timer            = op_timer,
	.now_ms           = op_now_ms,
	.wall             = op_wall,
	.local_addr       = op_local_addr,
	.provision_start  = op_provision_start,
	.bundle_start     = op_bundle_start,
	.privacy_load     = op_privacy_load,
	.privacy_restrict = op_privacy_restrict,
	.privacy_erase    = op_privacy_erase,
	.history_opened   = op_history_opened,
	.trust_answer     = op_trust_answer,
};
