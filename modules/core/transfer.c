/**
 * @file transfer.c  Blind transfer: following a REFER (the transferee)
 *                   and keeping the call when a transfer fails
 *
 * baresip 1.0 answers an in-dialog REFER itself (202, then a NOTIFY
 * "100 Trying") and raises UA_EVENT_CALL_TRANSFER with the Refer-To
 * value; placing the call to the target is left to the application.
 * We place it here, in the core, so that a phone is transferable with
 * or without its user interface.  The new call inherits the REFER
 * subscription of the call it replaces (ua_call_alloc's xcall), so the
 * core NOTIFYs the transferor of its progress and of the answer; the
 * transferor then hangs up.  Should it not, we end the replaced call a
 * little later ourselves.
 *
 * Policy: only a REFER on an established call is followed, and only to
 * a sip: or sips: URI in our account's own domain (the host of our AOR,
 * whatever the port: the registrar's), so that a far end cannot make
 * the phone call, under our identity, a host or number we would not
 * reach by dialing an extension.  A URI with headers (Replaces:
 * attended transfer) or another method than INVITE is not supported.
 * A refused REFER ends its subscription with a final NOTIFY (403 or
 * 501: the transferor sees the transfer fail), the call stays up, and
 * the reason is logged.
 *
 * baresip 1.0 passes the Refer-To value to ua_event() as a format
 * string (fixed upstream in 3.0): a value with a '%' would crash the
 * core (a "%s") or arrive garbled (a percent-encoded "%3B") before any
 * event handler runs.  So a SIP listener of ours sees every REFER before
 * baresip's session layer and refuses such a one itself (403).
 *
 * Both sides: baresip 1.0 frees the call after raising
 * UA_EVENT_CALL_TRANSFER_FAILED (the transferor's REFER refused or the
 * NOTIFY reporting an error; the transferee's subscription failing),
 * without CALL_CLOSED.  A failed transfer must leave the call as it was,
 * so that reference is given back here before the core drops it.
 */
#include <string.h>
#include "core.h"

enum {
	HANGUP_GRACE_MS = 2000,  /* the transferor's own BYE goes first */
};

/* A call being replaced by a call to the transfer target. */
struct xfer {
	struct le le;
	struct call *orig;       /* the call that was transferred */
	struct call *target;     /* the call to the transfer target */
	struct tmr tmr;          /* ends orig if the transferor does not */
	bool answered;           /* the target answered */
};

static struct list xfers;
static struct sip_lsnr *refer_lsnr;


static void xfer_destructor(void *arg)
{
	struct xfer *x = arg;

	tmr_cancel(&x->tmr);
	list_unlink(&x->le);
}


static struct xfer *xfer_find(const struct call *call)
{
	struct le *le;

	for (le = xfers.head; le; le = le->next) {
		struct xfer *x = le->data;

		if (x->orig == call || x->target == call)
			return x;
	}

	return NULL;
}


/* Why a Refer-To value may not be followed (NULL: it may); sets scode. */
static const char *refer_refusal(const struct call *call,
				 const struct sip_addr *to, uint16_t *scode)
{
	const struct uri *luri = account_luri(ua_account(call_get_ua(call)));
	struct pl method;

	*scode = 403;

	if (call_state(call) != CALL_STATE_ESTABLISHED)
		return "the call is not established";
	if (xfer_find(call))
		return "a transfer of this call is already under way";
	if (pl_strcasecmp(&to->uri.scheme, "sip") &&
	    pl_strcasecmp(&to->uri.scheme, "sips"))
		return "the target is not a sip: or sips: URI";
	if (!luri || pl_casecmp(&to->uri.host, &luri->host))
		return "the target is outside our account's domain";

	*scode = 501;
	if (pl_isset(&to->uri.headers))
		return "URI headers (attended transfer) are not supported";
	if (0 == uri_param_get(&to->uri.params, &(struct pl)PL("method"),
			       &method) && pl_strcasecmp(&method, "INVITE"))
		return "only INVITE may be referred";

	return NULL;
}


static void refuse(struct call *call, const char *refer_to,
		   uint16_t scode, const char *why)
{
	warning("dpcore: REFER from %s to %s refused (%u): %s\n",
		call_peeruri(call), refer_to, scode, why);
	(void)call_notify_sipfrag(call, scode, "%s",
				  scode == 400 ? "Bad Request" :
				  scode == 403 ? "Forbidden" :
				  scode == 501 ? "Not Implemented" :
				  "Server Internal Error");
}


static void follow_refer(struct ua *ua, struct call *orig,
			 const char *refer_to)
{
	struct call *target = NULL;
	struct sip_addr to;
	struct pl pl;
	struct xfer *x;
	const char *why;
	uint16_t scode;
	int err;

	pl_set_str(&pl, refer_to);
	if (sip_addr_decode(&to, &pl) && uri_decode(&to.uri, &pl)) {
		refuse(orig, refer_to, 400, "Refer-To is not a URI");
		return;
	}

	why = refer_refusal(orig, &to, &scode);
	if (why) {
		refuse(orig, refer_to, scode, why);
		return;
	}

	x = mem_zalloc(sizeof(*x), xfer_destructor);
	if (!x) {
		refuse(orig, refer_to, 500, "out of memory");
		return;
	}

	err = ua_call_alloc(&target, ua, VIDMODE_OFF, NULL, orig,
			    call_localuri(orig), true);
	if (!err)
		err = call_connect(target, &pl);
	if (err) {
		char why_err[64];

		re_snprintf(why_err, sizeof(why_err), "call failed: %m", err);
		mem_deref(target);
		mem_deref(x);
		refuse(orig, refer_to, 500, why_err);
		return;
	}

	info("dpcore: transferred by %s: calling %s\n",
	     call_peeruri(orig), refer_to);

	/* we no longer talk to the transferor: one call has the audio
	 * device (a board has one), and it is the new one */
	audio_stop(call_audio(orig));

	x->orig = orig;
	x->target = target;
	list_append(&xfers, &x->le, x);
}


static void hangup_orig(void *arg)
{
	struct xfer *x = arg;
	struct call *orig = x->orig;

	mem_deref(x);
	info("dpcore: transfer complete; ending the transferred call\n");
	ua_hangup(call_get_ua(orig), orig, 0, "Call transferred");
}


static void transfer_event(struct ua *ua, enum ua_event ev,
			   struct call *call, const char *prm, void *arg)
{
	struct xfer *x;
	(void)arg;

	if (!call)
		return;

	switch (ev) {

	case UA_EVENT_CALL_TRANSFER:
		follow_refer(ua, call, prm ? prm : "");
		break;

	case UA_EVENT_CALL_TRANSFER_FAILED:
		/* the core drops a reference when this returns: see above */
		mem_ref(call);
		info("dpcore: transfer failed (%s); the call stays\n",
		     prm ? prm : "");
		break;

	case UA_EVENT_CALL_ESTABLISHED:
		x = xfer_find(call);
		if (x && x->target == call) {
			x->answered = true;
			tmr_start(&x->tmr, HANGUP_GRACE_MS, hangup_orig, x);
		}
		break;

	case UA_EVENT_CALL_CLOSED:
		/* either call gone: the transfer is over (the core has
		 * NOTIFYed the target call's final answer) */
		x = xfer_find(call);
		if (x && x->target == call && !x->answered) {
			info("dpcore: transfer to %s failed (%s); back to %s\n",
			     call_peeruri(call), prm ? prm : "",
			     call_peeruri(x->orig));
			(void)audio_start(call_audio(x->orig));
		}
		mem_deref(x);
		break;

	default:
		break;
	}
}


/* A REFER whose Refer-To baresip 1.0 cannot pass on intact: see above. */
static bool refer_guard(const struct sip_msg *msg, void *arg)
{
	const struct sip_hdr *hdr;
	(void)arg;

	if (pl_strcmp(&msg->met, "REFER"))
		return false;

	hdr = sip_msg_hdr(msg, SIP_HDR_REFER_TO);
	if (!hdr || !pl_strchr(&hdr->val, '%'))
		return false;

	warning("dpcore: REFER from %r refused (403): a '%%' in Refer-To\n",
		&msg->from.auri);
	(void)sip_reply(uag_sip(), msg, 403, "Forbidden");

	return true;
}


/*
 * libre calls its SIP listeners in the order they were registered, and
 * baresip's session layer registered long before us: move ours to the
 * front.  A struct sip_lsnr begins with its list element (libre 1.1.0,
 * src/sip/sip.h), like the baresip structs baresip_api.h describes.
 */
static int refer_guard_listen(void)
{
	struct le *le;
	struct list *lst;
	int err;

	err = sip_listen(&refer_lsnr, uag_sip(), true, refer_guard, NULL);
	if (err)
		return err;

	le = (struct le *)(void *)refer_lsnr;
	lst = le->list;
	list_unlink(le);
	list_prepend(lst, le, refer_lsnr);

	return 0;
}


int transfer_init(void)
{
	list_init(&xfers);

	return refer_guard_listen() |
		uag_event_register(transfer_event, NULL);
}


void transfer_close(void)
{
	uag_event_unregister(transfer_event);
	refer_lsnr = mem_deref(refer_lsnr);
	list_flush(&xfers);
}
