/**
 * @file endpoint.c  Sources and players, the voice route, failed devices
 *
 * Each source or player baresip opens is an endpoint with one stream
 * (one thread).  The streams report what happens to their devices
 * through an mqueue; here, on the main thread, a device that failed is
 * marked lost, the voice route falls back (the selected route, else the
 * handset, else the speaker), a timer probes lost devices and the voice
 * route returns when the device does.
 *
 * A failure is not passed to the source's error handler: in baresip
 * 1.0.0 that handler ends the call, and a call must survive a pulled
 * headset.  It is announced as an AUDIO_ERROR event instead (the event
 * the core itself uses for audio errors).  The error handler is called
 * only when the source cannot run anywhere: every device that is left
 * refuses the call's sample format.
 */
#include <stdlib.h>
#include <string.h>
#include "dpalsa.h"

enum { MQ_REPORT = 1, SAVE_DELAY_MS = 500 };

struct ausrc_st {
	const struct ausrc *as;         /* first: the 1.0.0 core reads it */
	struct dpalsa_endpoint ep;
};

struct auplay_st {
	struct auplay *ap;              /* first: the 1.0.0 core reads it */
	struct dpalsa_endpoint ep;
};

static struct ausrc *dpalsa_ausrc;
static struct auplay *dpalsa_auplay;


static const char *dir_name(enum dpa_dir dir)
{
	return dir == DPA_CAPTURE ? "capture" : "playback";
}


const char *dpalsa_binding_name(const struct dpalsa_endpoint *ep)
{
	switch (ep->binding) {

	case DPALSA_VOICE: return "voice";
	case DPALSA_ROUTE: return dpa_route_name(ep->route);
	default:           return "pcm";
	}
}


static struct dpalsa_endpoint *find_endpoint(uint32_t id)
{
	for (struct le *le = dpalsa.endpoints.head; le; le = le->next) {
		struct dpalsa_endpoint *ep = le->data;

		if (ep->id == id)
			return ep;
	}

	return NULL;
}


/* --- routes and volume ------------------------------------------------------ */

static int32_t gain_for(enum dpa_dir dir, int route)
{
	if (dir == DPA_CAPTURE || route < 0 || dpalsa.mixer_ok[route])
		return DPA_GAIN_UNITY;

	return dpa_volume_gain(dpalsa.routes.volume[route]);
}


static void apply_mixer(enum dpa_route r)
{
	char why[256] = "";
	int err;

	if (!dpalsa.routes.mixer[r][0])
		return;

	err = dpa_mixer_set(dpalsa.routes.mixer[r], dpalsa.routes.volume[r],
			    why, sizeof(why));
	dpalsa.mixer_ok[r] = !err;

	if (err && !dpalsa.mixer_warned[r]) {
		warning("dpalsa: %s: %s; its volume is set in software\n",
			dpa_route_name(r), why);
		dpalsa.mixer_warned[r] = true;
	}
}


void dpalsa_apply_mixers(void)
{
	for (unsigned r = 0; r < DPA_ROUTES; r++)
		apply_mixer((enum dpa_route)r);
}


static void retarget(struct dpalsa_endpoint *ep, enum dpa_route route)
{
	ep->route = route;
	str_ncpy(ep->pcm, dpalsa.routes.pcm[route], sizeof(ep->pcm));
	dpa_stream_retarget(ep->stream, ep->pcm, gain_for(ep->dir, route));
}


static void probe_start(void);


/* After the selection or the set of lost devices changed. */
static void route_update(void)
{
	enum dpa_route act = dpa_routes_active(&dpalsa.routes);

	if (act != dpalsa.active) {
		if (act != dpalsa.routes.selected)
			info("dpalsa: voice route %s (%s '%s' is not"
			     " available)\n", dpa_route_name(act),
			     dpa_route_name(dpalsa.routes.selected),
			     dpalsa.routes.pcm[dpalsa.routes.selected]);
		else
			info("dpalsa: voice route %s\n", dpa_route_name(act));
		dpalsa.active = act;
	}

	for (struct le *le = dpalsa.endpoints.head; le; le = le->next) {
		struct dpalsa_endpoint *ep = le->data;

		if (ep->binding != DPALSA_VOICE)
			continue;
		if (ep->route != act || strcmp(ep->pcm, dpalsa.routes.pcm[act]))
			retarget(ep, act);
	}

	probe_start();
}


int dpalsa_select_route(enum dpa_route route)
{
	struct dpa_routes *rt = &dpalsa.routes;
	const char *pcm;

	if (!dpa_route_is_voice(route))
		return EINVAL;

	rt->selected = route;

	/* a key press is a hint the device may be back: do not wait for
	 * the next probe */
	pcm = rt->pcm[route];
	for (unsigned i = 0; i < rt->nlost; i++) {
		if (strcmp(rt->lost[i].pcm, pcm))
			continue;
		if (!dpa_pcm_probe(pcm, rt->lost[i].dir, &rt->lost[i].f))
			dpa_routes_mark_found(rt, pcm);
		break;
	}

	route_update();

	return 0;
}


static void save_volumes(void *arg)
{
	int err;

	(void)arg;

	if (!dpalsa.volume_dirty || !dpalsa.volume_file[0])
		return;

	err = dpa_volume_save(&dpalsa.routes, dpalsa.volume_file);
	if (err)
		warning("dpalsa: cannot save the volumes to %s: %m\n",
			dpalsa.volume_file, err);
	else
		dpalsa.volume_dirty = false;
}


void dpalsa_flush_volume(void)
{
	tmr_cancel(&dpalsa.save_tmr);
	save_volumes(NULL);
}


int dpalsa_set_volume(enum dpa_route route, unsigned volume)
{
	if ((unsigned)route >= DPA_ROUTES || volume > 100)
		return EINVAL;

	dpalsa.routes.volume[route] = volume;
	apply_mixer(route);

	for (struct le *le = dpalsa.endpoints.head; le; le = le->next) {
		struct dpalsa_endpoint *ep = le->data;

		if (ep->binding != DPALSA_PCM && ep->route == route)
			dpa_stream_set_gain(ep->stream,
					    gain_for(ep->dir, (int)route));
	}

	/* volume keys come in bursts: write once they stop */
	dpalsa.volume_dirty = true;
	tmr_start(&dpalsa.save_tmr, SAVE_DELAY_MS, save_volumes, NULL);

	return 0;
}


unsigned dpalsa_fault(int route, enum dpa_fault fault, unsigned ms)
{
	unsigned n = 0;

	for (struct le *le = dpalsa.endpoints.head; le; le = le->next) {
		struct dpalsa_endpoint *ep = le->data;

		if (route >= 0 && (ep->binding == DPALSA_PCM ||
				   (int)ep->route != route))
			continue;

		dpa_stream_fault(ep->stream, fault, ms);
		++n;
	}

	return n;
}


/* --- lost devices ----------------------------------------------------------- */

static void probe_lost(void *arg)
{
	struct dpa_routes *rt = &dpalsa.routes;
	bool changed = false;

	(void)arg;

	for (unsigned i = 0; i < rt->nlost; ) {
		struct dpa_lost *l = &rt->lost[i];

		if (dpa_pcm_probe(l->pcm, l->dir, &l->f)) {
			++i;
			continue;
		}

		info("dpalsa: '%s' is back\n", l->pcm);
		dpa_routes_mark_found(rt, l->pcm);
		changed = true;
	}

	if (changed)
		route_update();
	else
		probe_start();
}


static void probe_start(void)
{
	if (!dpalsa.routes.nlost)
		tmr_cancel(&dpalsa.probe_tmr);
	else if (!tmr_isrunning(&dpalsa.probe_tmr))
		tmr_start(&dpalsa.probe_tmr, dpalsa.retry_ms, probe_lost,
			  NULL);
}


/* The call a source belongs to: its handler argument is the call's audio. */
static struct call *call_of(const struct dpalsa_endpoint *ep)
{
	if (ep->dir != DPA_CAPTURE)
		return NULL;

	for (struct le *le = uag_list()->head; le; le = le->next) {
		for (struct le *cle = ua_calls(le->data)->head; cle;
		     cle = cle->next) {
			if (call_audio(cle->data) == ep->arg)
				return cle->data;
		}
	}

	return NULL;
}


static void announce(const struct dpalsa_endpoint *ep, const char *route,
		     const struct dpa_report *rep)
{
	struct call *call = call_of(ep);
	struct ua *ua = call ? call_get_ua(call) : uag_current();

	ua_event(ua, UA_EVENT_AUDIO_ERROR, call,
		 "%d,dpalsa: %s %s '%s' %s: %m; voice route %s",
		 rep->err, route, dir_name(ep->dir), rep->pcm,
		 rep->kind == DPA_REP_LOST ? "failed" : "cannot be opened",
		 rep->err, dpa_route_name(dpalsa.active));
}


/* The source cannot run on any device that is left: end the call. */
static void check_hopeless(struct dpalsa_endpoint *ep,
			   const struct dpa_report *rep)
{
	char why[160];

	if (ep->dir != DPA_CAPTURE || !ep->errh || ep->errh_called)
		return;
	if (rep->err != EINVAL && rep->err != ENOTSUP)
		return;
	if (strcmp(ep->pcm, rep->pcm))
		return;      /* moved to another device */

	ep->errh_called = true;
	re_snprintf(why, sizeof(why), "dpalsa: '%s' cannot record %u Hz,"
		    " %u channels", rep->pcm, rep->f.rate, rep->f.ch);
	ep->errh(rep->err, why, ep->arg);
}


static void on_report(const struct dpa_report *rep)
{
	struct dpalsa_endpoint *ep = find_endpoint(rep->stream_id);
	const char *use = ep ? dpalsa_binding_name(ep) : "closed";
	const char *route = ep && ep->binding != DPALSA_PCM ?
		dpa_route_name(ep->route) : "-";

	switch (rep->kind) {

	case DPA_REP_OPENED:
		info("dpalsa: %s %s (%s) '%s': %u Hz, %u ch, period %u"
		     " frames (%u.%u ms), buffer %u frames (%u.%u ms),"
		     " paced by %s\n", route, dir_name(rep->dir), use,
		     rep->pcm, rep->f.rate, rep->f.ch, rep->period,
		     rep->period * 1000 / rep->f.rate,
		     rep->period * 10000 / rep->f.rate % 10, rep->buffer,
		     rep->buffer * 1000 / rep->f.rate,
		     rep->buffer * 10000 / rep->f.rate % 10,
		     rep->clockless ? "our clock (the device has none)" :
		     "the device");
		if (rep->rt_err && !dpalsa.rt_warned) {
			warning("dpalsa: audio threads run without real-time"
				" priority (SCHED_FIFO %u: %m); raise"
				" RLIMIT_RTPRIO or set dpalsa_rt_priority"
				" 0\n", dpalsa.rt_priority, rep->rt_err);
			dpalsa.rt_warned = true;
		}
		if (dpa_routes_mark_found(&dpalsa.routes, rep->pcm))
			route_update();
		break;

	case DPA_REP_XRUN:
		info("dpalsa: %s %s '%s': %s, recovered (%llu so far)\n",
		     route, dir_name(rep->dir), rep->pcm,
		     rep->dir == DPA_CAPTURE ? "overrun" : "underrun",
		     (unsigned long long)rep->xruns);
		break;

	case DPA_REP_OPEN_FAILED:
	case DPA_REP_LOST:
		warning("dpalsa: %s %s (%s) '%s' %s: %m%s%s%s\n", route,
			dir_name(rep->dir), use, rep->pcm,
			rep->kind == DPA_REP_LOST ? "failed" :
			"cannot be opened", rep->err,
			rep->detail[0] ? " (" : "", rep->detail,
			rep->detail[0] ? ")" : "");

		/* about a device it has already been moved away from */
		if (!ep || rep->gen != dpa_stream_gen(ep->stream))
			break;

		if (dpa_routes_mark_lost(&dpalsa.routes, rep->pcm, rep->dir,
					 &rep->f, rep->err))
			route_update();

		announce(ep, route, rep);
		check_hopeless(ep, rep);
		break;
	}
}


static void mq_handler(int id, void *data, void *arg)
{
	(void)arg;

	if (id == MQ_REPORT)
		on_report(data);

	free(data);
}


/* On the stream's own thread: copy, and over to the main thread. */
static void report_handler(const struct dpa_report *rep, void *arg)
{
	struct dpa_report *copy = malloc(sizeof(*copy));

	(void)arg;

	if (!copy)
		return;

	*copy = *rep;
	if (mqueue_push(dpalsa.mq, MQ_REPORT, copy))
		free(copy);
}


/* --- the audio threads' side ----------------------------------------------- */

static void capture_handler(void *sampv, size_t sampc, uint64_t ts_us,
			    void *arg)
{
	struct dpalsa_endpoint *ep = arg;
	struct auframe af;

	af.fmt       = ep->fmt;
	af.sampv     = sampv;
	af.sampc     = sampc;
	af.timestamp = ts_us;

	ep->rh(&af, ep->arg);
}


static void playback_handler(void *sampv, size_t sampc, void *arg)
{
	struct dpalsa_endpoint *ep = arg;

	ep->wh(sampv, sampc, ep->arg);
}


/* --- sources and players ------------------------------------------------- */

static int endpoint_start(struct dpalsa_endpoint *ep, enum dpa_dir dir,
			  uint32_t srate, uint8_t ch, int fmt,
			  const char *device)
{
	struct dpa_stream_prm prm;
	enum dpa_route route;
	int err;

	if (!dpa_fmt_size((enum dpa_fmt)fmt)) {
		warning("dpalsa: sample format %d is not supported (s16 and"
			" float are)\n", fmt);
		return ENOTSUP;
	}

	ep->id  = ++dpalsa.next_id;
	ep->dir = dir;
	ep->fmt = fmt;

	if (!device || !*device || 0 == strcmp(device, "voice")) {
		ep->binding = DPALSA_VOICE;
		ep->route = dpalsa.active;
	}
	else if (0 == dpa_route_parse(device, &route)) {
		ep->binding = DPALSA_ROUTE;
		ep->route = route;
	}
	else {
		ep->binding = DPALSA_PCM;
		str_ncpy(ep->pcm, device, sizeof(ep->pcm));
	}

	if (ep->binding != DPALSA_PCM)
		str_ncpy(ep->pcm, dpalsa.routes.pcm[ep->route],
			 sizeof(ep->pcm));

	memset(&prm, 0, sizeof(prm));
	prm.id             = ep->id;
	prm.dir            = dir;
	prm.f.fmt          = (enum dpa_fmt)fmt;
	prm.f.rate         = srate;
	prm.f.ch           = ch;
	prm.period_ms      = dpalsa.period_ms;
	prm.buffer_periods = dpalsa.buffer_periods;
	prm.retry_ms       = dpalsa.retry_ms;
	prm.stall_ms       = dpalsa.stall_ms;
	prm.rt_priority    = dpalsa.rt_priority;

	err = dpa_stream_alloc(&ep->stream, &prm, ep->pcm,
			       gain_for(dir, ep->binding == DPALSA_PCM ?
					-1 : (int)ep->route),
			       capture_handler, playback_handler,
			       report_handler, ep);
	if (err) {
		warning("dpalsa: cannot start a %s stream: %m\n",
			dir_name(dir), err);
		return err;
	}

	list_append(&dpalsa.endpoints, &ep->le, ep);

	return 0;
}


static void endpoint_stop(struct dpalsa_endpoint *ep)
{
	list_unlink(&ep->le);
	/* stops and joins the thread: it closes the device itself */
	ep->stream = mem_deref(ep->stream);
}


static void src_destructor(void *arg)
{
	struct ausrc_st *st = arg;

	endpoint_stop(&st->ep);
}


static void play_destructor(void *arg)
{
	struct auplay_st *st = arg;

	endpoint_stop(&st->ep);
}


static int src_alloc(struct ausrc_st **stp, const struct ausrc *as,
		     struct media_ctx **ctx, struct ausrc_prm *prm,
		     const char *device, ausrc_read_h *rh,
		     ausrc_error_h *errh, void *arg)
{
	struct ausrc_st *st;
	int err;

	(void)ctx;

	if (!stp || !as || !prm || !rh)
		return EINVAL;

	st = mem_zalloc(sizeof(*st), src_destructor);
	if (!st)
		return ENOMEM;

	st->as     = as;
	st->ep.rh  = rh;
	st->ep.errh = errh;
	st->ep.arg = arg;

	err = endpoint_start(&st->ep, DPA_CAPTURE, prm->srate, prm->ch,
			     prm->fmt, device);
	if (err) {
		mem_deref(st);
		return err;
	}

	*stp = st;

	return 0;
}


static int play_alloc(struct auplay_st **stp, const struct auplay *ap,
		      struct auplay_prm *prm, const char *device,
		      auplay_write_h *wh, void *arg)
{
	struct auplay_st *st;
	int err;

	if (!stp || !ap || !prm || !wh)
		return EINVAL;

	st = mem_zalloc(sizeof(*st), play_destructor);
	if (!st)
		return ENOMEM;

	st->ap     = (struct auplay *)ap;
	st->ep.wh  = wh;
	st->ep.arg = arg;

	err = endpoint_start(&st->ep, DPA_PLAYBACK, prm->srate, prm->ch,
			     prm->fmt, device);
	if (err) {
		mem_deref(st);
		return err;
	}

	*stp = st;

	return 0;
}


int dpalsa_endpoints_init(void)
{
	int err;

	list_init(&dpalsa.endpoints);
	dpalsa.active = dpa_routes_active(&dpalsa.routes);

	err = mqueue_alloc(&dpalsa.mq, mq_handler, NULL);
	if (!err)
		err = ausrc_register(&dpalsa_ausrc, baresip_ausrcl(), "dpalsa",
				     src_alloc);
	if (!err)
		err = auplay_register(&dpalsa_auplay, baresip_auplayl(),
				      "dpalsa", play_alloc);

	return err;
}


void dpalsa_endpoints_close(void)
{
	tmr_cancel(&dpalsa.probe_tmr);
	dpalsa_flush_volume();
	dpalsa_auplay = mem_deref(dpalsa_auplay);
	dpalsa_ausrc = mem_deref(dpalsa_ausrc);
	dpalsa.mq = mem_deref(dpalsa.mq);
}
