/**
 * @file cdr.c  dpcdr: one call detail record per call, sealed on flash
 *
 * Loaded as a module_app after dpcore.  Every call the UA events show
 * gets exactly one record, written when the call closes (or, for calls
 * still up when baresip shuts down, at shutdown): start, answer and end
 * times, direction, local account, remote URI and display name, talk
 * time, result, final SIP status and codec.  A call is tracked from the
 * first event that names it, whichever that is: baresip 1.0 raises no
 * CALL_INCOMING for calls it answers by itself.  The call object dies
 * after CALL_CLOSED, so everything is copied before.
 *
 * Nothing personal is logged: not a number, not a name.  A store that
 * will not open is reported and left untouched; the phone works on.
 *
 * The person's choices (privacy.c): while processing is restricted, or
 * for a party on the do-not-record list, a record keeps no personal
 * fields; times come from the trusted clock's rule, so a wrong wall
 * clock cannot stamp a call into the past (where a purge would take it
 * at once) or far into the future.  The store's one writer also does
 * what the privacy module asks of it (store.c, through the application
 * core).
 *
 * Config keys (baresip `config`, written by `deskphone run`):
 *   cdr_store_path     the store: a file (made if missing) or partition
 *   dpcdr_store_size   its size in bytes when it is made
 *   device_secret_file the device secret file (made if missing)
 *   dpcdr_epoch_s      how long one epoch key covers, default 86400
 *   dpprivacy_dir      the privacy state and trusted clock (privacy.c; the
 *                      privacy module's key, read here too)
 */
#include <errno.h>
#include <string.h>
#include <time.h>
#include "modules/baresip_api.h"
#include "base/fileutil.h"
#include "privacy/crypto/crypto.h"
#include "privacy/store/cdr_store.h"
#include "cdr.h"
#include "classify.h"

struct tracked {
	struct le le;
	const struct call *call;   /* only compared once it may be gone */
	const struct ua *ua;
	bool established;
	struct cdr_record rec;
};

struct cdr_module cdr;


static int64_t now_ms(void)
{
	return cdr_privacy_now_ms();
}


static void tracked_destructor(void *arg)
{
	struct tracked *t = arg;

	list_unlink(&t->le);
	dp_wipe(&t->rec, sizeof(t->rec));
}


static struct tracked *find(const struct call *call)
{
	for (struct le *le = cdr.calls.head; le; le = le->next) {
		struct tracked *t = le->data;

		if (t->call == call)
			return t;
	}

	return NULL;
}


static void take_codec(struct tracked *t, const struct call *call)
{
	const struct aucodec *ac;
	struct audio *au = call_audio(call);

	ac = au ? audio_codec(au, true) : NULL;
	if (ac && ac->name)
		re_snprintf(t->rec.codec, sizeof(t->rec.codec), "%s/%u/%u",
			    ac->name, ac->srate, ac->ch);
}


static struct tracked *track(struct ua *ua, struct call *call)
{
	struct tracked *t = find(call);
	struct account *acc;

	if (t)
		return t;

	t = mem_zalloc(sizeof(*t), tracked_destructor);
	if (!t)
		return NULL;

	t->call = call;
	t->ua = ua;
	t->rec.start_ms = now_ms();
	t->rec.dir = call_is_outgoing(call) ? CDR_DIR_OUTGOING :
		CDR_DIR_INCOMING;
	acc = ua ? ua_account(ua) : NULL;
	cdr_text_set(t->rec.local_uri, sizeof(t->rec.local_uri),
		     acc ? account_aor(acc) : NULL);
	cdr_text_set(t->rec.remote_uri, sizeof(t->rec.remote_uri),
		     call_peeruri(call));
	cdr_text_set(t->rec.remote_name, sizeof(t->rec.remote_name),
		     call_peername(call));
	list_append(&cdr.calls, &t->le, t);

	return t;
}


static void store(struct tracked *t)
{
	int err;

	cdr_privacy_screen(&t->rec);
	err = cdr.store ? cdr_store_append(cdr.store, &t->rec) : ENODEV;

	if (err) {
		cdr.failed++;
		warning("dpcdr: a call record could not be stored: %m\n", err);
	}
	else {
		cdr.written++;
	}

	mem_deref(t);
}


static void closed(struct tracked *t, struct call *call, const char *reason)
{
	struct call_end end = {
		.outgoing = t->rec.dir == CDR_DIR_OUTGOING,
		.established = t->established,
		.local_hangup = call_state(call) == CALL_STATE_TERMINATED,
		.reason = reason,
		.scode = call_scode(call),
	};

	t->rec.end_ms = now_ms();
	if (t->established)
		t->rec.duration_s = call_duration(call);
	if (!t->rec.codec[0] && t->established)
		take_codec(t, call);
	/* the far end's number may only be known now (outgoing) */
	if (!t->rec.remote_uri[0])
		cdr_text_set(t->rec.remote_uri, sizeof(t->rec.remote_uri),
			     call_peeruri(call));

	cdr_classify(&end, &t->rec.result, &t->rec.sip_status);
	store(t);
}


/* Calls still up when their UA goes (baresip frees them unannounced). */
static void flush(const struct ua *ua)
{
	struct le *le = cdr.calls.head;

	while (le) {
		struct tracked *t = le->data;

		le = le->next;
		if (ua && t->ua != ua)
			continue;

		t->rec.end_ms = now_ms();
		if (t->established) {
			t->rec.result = CDR_ANSWERED;
			t->rec.sip_status = 200;
			t->rec.duration_s = (uint32_t)((t->rec.end_ms -
							t->rec.answer_ms) /
						       1000);
		}
		else if (t->rec.dir == CDR_DIR_OUTGOING) {
			t->rec.result = CDR_CANCELLED;
			t->rec.sip_status = 487;
		}
		else {
			t->rec.result = CDR_MISSED;
			t->rec.sip_status = 487;
		}
		store(t);
	}
}


static void ua_event_handler(struct ua *ua, enum ua_event ev,
			     struct call *call, const char *prm, void *arg)
{
	struct tracked *t;

	(void)arg;

	if (ev == UA_EVENT_SHUTDOWN) {
		flush(ua);
		return;
	}

	if (!call || ev == UA_EVENT_VU_TX || ev == UA_EVENT_VU_RX)
		return;

	t = track(ua, call);
	if (!t) {
		cdr.failed++;
		warning("dpcdr: out of memory; a call goes unrecorded\n");
		return;
	}

	switch (ev) {

	case UA_EVENT_CALL_ESTABLISHED:
		if (!t->established) {
			t->established = true;
			t->rec.answer_ms = now_ms();
			take_codec(t, call);
		}
		break;

	case UA_EVENT_CALL_CLOSED:
		closed(t, call, prm);
		break;

	default:
		break;
	}
}


static int open_store(void)
{
	char secret_path[256] = "";
	struct cdr_store_params *prm = &cdr.prm;
	struct cdr_store_info si;
	uint32_t size = 0, epoch_s = 0;
	char *slash;
	int err;

	if (conf_get_str(conf_cur(), "cdr_store_path", cdr.path,
			 sizeof(cdr.path)) || !cdr.path[0] ||
	    conf_get_str(conf_cur(), "device_secret_file", secret_path,
			 sizeof(secret_path)) || !secret_path[0]) {
		warning("dpcdr: config keys cdr_store_path and"
			" device_secret_file are required\n");
		return EINVAL;
	}
	(void)conf_get_u32(conf_cur(), "dpcdr_store_size", &size);
	(void)conf_get_u32(conf_cur(), "dpcdr_epoch_s", &epoch_s);
	prm->path = cdr.path;
	prm->secret = cdr.secret;
	prm->size = size;
	prm->epoch_s = epoch_s;

	slash = strrchr(cdr.path, '/');
	if (slash && slash != cdr.path) {
		*slash = '\0';
		err = dp_mkdir_p(cdr.path, 0700);
		*slash = '/';
		if (err) {
			warning("dpcdr: %s: %m\n", cdr.path, err);
			return err;
		}
	}

	err = dp_device_secret_load(secret_path, true, cdr.secret);
	if (err) {
		warning("dpcdr: device secret %s: %m\n", secret_path, err);
		return err;
	}

	err = cdr_store_open(&cdr.store, prm);
	if (err) {
		warning("dpcdr: call-record store %s: %m\n", cdr.path, err);
		return err;
	}

	err = cdr_store_info(cdr.store, &si);
	if (!err)
		info("dpcdr: call records in %s: %llu kept, %llu damaged"
		     " spans skipped\n", cdr.path,
		     (unsigned long long)si.records,
		     (unsigned long long)si.skipped);

	return 0;
}


static int module_init(void)
{
	int err;

	memset(&cdr, 0, sizeof(cdr));
	list_init(&cdr.calls);

	/* A store that cannot be opened (damaged, another phone's, a full
	 * disk) must not keep the phone from making calls: it is left as it
	 * is, and every call says that its record was not kept. */
	if (open_store())
		warning("dpcdr: call records will not be kept\n");

	err = cdr_privacy_init();
	if (!err)
		err = cdr_writer_register();
	if (!err)
		err = uag_event_register(ua_event_handler, NULL);
	if (err) {
		cdr_writer_unregister();
		cdr_privacy_close();
		cdr_store_close(cdr.store);
		cdr.store = NULL;
		dp_wipe(cdr.secret, sizeof(cdr.secret));
	}

	return err;
}


static int module_close(void)
{
	uag_event_unregister(ua_event_handler);
	cdr_writer_unregister();
	flush(NULL);
	cdr_store_close(cdr.store);
	cdr.store = NULL;
	cdr_privacy_close();
	dp_wipe(cdr.secret, sizeof(cdr.secret));

	return 0;
}


const struct mod_export exports = {
	"dpcdr",
	"application",
	module_init,
	module_close,
};
