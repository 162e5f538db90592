/**
 * @file stream.c  One audio stream: a thread that owns one ALSA device
 *
 * Pacing.  A device with a clock of its own paces the thread: it waits
 * (snd_pcm_wait, with a timeout) until a chunk can be read or written.  A
 * device without one (alsa-lib's null PCM, the file plugin over null)
 * would let the thread spin, so there the thread sleeps to absolute
 * deadlines on CLOCK_MONOTONIC instead: capture chunk k is read when it
 * would have been recorded, playback never runs more than one buffer
 * ahead.  dpa_pcm_start() tells the two apart; a device that turns out to
 * run much faster than real time, or that makes us wait after all,
 * switches mode.  With no device at all the thread keeps the call's audio
 * going on the same clock: silence out, samples pulled and dropped.
 *
 * Failures.  EPIPE/ESTRPIPE are xruns: recovered (snd_pcm_recover),
 * counted and reported.  Anything else, or a device that stays silent
 * for stall_ms, means the device is gone: it is closed, reported, and
 * tried again every retry_ms until the owner points the stream elsewhere.
 */
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <string.h>
#include <re.h>
#include "audio_io.h"


struct dpa_stream {
	struct dpa_stream_prm prm;
	unsigned chunk;             /* frames per handler call */
	unsigned period_req;        /* frames */
	unsigned buffer_req;        /* frames */
	size_t frame_bytes;
	void *buf;                  /* one chunk; mem_alloc, so mem_ref-able */
	dpa_capture_h *captureh;
	dpa_playback_h *playh;
	dpa_report_h *reporth;
	void *arg;

	pthread_t thread;
	bool started;
	bool have_lock;
	atomic_bool run;

	pthread_mutex_t lock;       /* target, current */
	char target[DPA_NAME_MAX];
	char current[DPA_NAME_MAX];
	atomic_uint gen;
	atomic_int gain;
	atomic_int fault;
	atomic_uint fault_ms;

	/* statistics: written by the thread, read by anyone */
	atomic_int state;
	atomic_uint period;
	atomic_uint buffer;
	atomic_bool clockless;
	atomic_uint rt_priority;    /* granted */
	atomic_int rt_err;          /* why not */
	atomic_uint_least64_t frames;
	atomic_uint_least64_t xruns;
	atomic_uint_least64_t opens;
	atomic_uint_least64_t open_failures;
	atomic_uint_least64_t t0_ns;
	atomic_uint_least64_t dev_frames;
};

/* The thread's own view of its device. */
struct session {
	struct dpa_pcm pcm;
	bool open;
	bool have_gen;
	unsigned gen;
	uint64_t t0;            /* device frame 0 (or silence frame 0) */
	uint64_t dev_frames;    /* device frames since t0 */
	size_t fill;            /* capture: frames in buf; playback: to write */
	size_t off;             /* playback: frames of buf written */
	uint64_t next_retry;
	uint64_t stall_since;
	unsigned spins;         /* "ready" without progress, in a row */
	int last_err;
	bool fail_reported;
};


static void publish_position(struct dpa_stream *s, const struct session *ss)
{
	atomic_store(&s->t0_ns, ss->t0);
	atomic_store(&s->dev_frames, ss->dev_frames);
}


static void report(struct dpa_stream *s, const struct session *ss,
		   enum dpa_report_kind kind, int err, const char *pcm)
{
	struct dpa_report rep;

	if (!s->reporth)
		return;

	memset(&rep, 0, sizeof(rep));
	rep.stream_id = s->prm.id;
	rep.kind      = kind;
	rep.dir       = s->prm.dir;
	rep.gen       = ss->gen;
	rep.err       = err;
	rep.f         = s->prm.f;
	rep.xruns     = atomic_load(&s->xruns);
	rep.rt_priority = atomic_load(&s->rt_priority);
	rep.rt_err    = atomic_load(&s->rt_err);
	str_ncpy(rep.pcm, pcm, sizeof(rep.pcm));
	str_ncpy(rep.detail, dpa_alsa_msg(), sizeof(rep.detail));

	if (ss->open) {
		rep.period    = ss->pcm.period;
		rep.buffer    = ss->pcm.buffer;
		rep.clockless = ss->pcm.clockless;
	}

	s->reporth(&rep, s->arg);
}


static void enter_silence(struct dpa_stream *s, struct session *ss)
{
	ss->t0 = dpa_now_ns();
	ss->dev_frames = 0;
	ss->fill = 0;
	ss->off = 0;
	atomic_store(&s->state, DPA_ST_NODEVICE);
	publish_position(s, ss);
}


static void session_close(struct session *ss)
{
	if (!ss->open)
		return;

	dpa_pcm_close(&ss->pcm);
	ss->open = false;
	ss->fill = 0;
	ss->off = 0;
}


static void session_open(struct dpa_stream *s, struct session *ss)
{
	char name[DPA_NAME_MAX];
	int err;

	pthread_mutex_lock(&s->lock);
	str_ncpy(name, s->target, sizeof(name));
	str_ncpy(s->current, name, sizeof(s->current));
	pthread_mutex_unlock(&s->lock);

	if (!name[0]) {
		ss->next_retry = UINT64_MAX;
		enter_silence(s, ss);
		return;
	}

	dpa_alsa_msg_clear();
	err = dpa_pcm_open(&ss->pcm, name, s->prm.dir, &s->prm.f,
			   s->period_req, s->buffer_req, s->chunk);
	if (!err) {
		err = dpa_pcm_start(&ss->pcm);
		if (err)
			dpa_pcm_close(&ss->pcm);
	}

	if (err) {
		atomic_fetch_add(&s->open_failures, 1);
		ss->next_retry = dpa_now_ns() +
			(uint64_t)s->prm.retry_ms * 1000000ull;
		if (!ss->fail_reported || err != ss->last_err)
			report(s, ss, DPA_REP_OPEN_FAILED, err, name);
		ss->fail_reported = true;
		ss->last_err = err;
		/* silence already running keeps its clock */
		if (atomic_load(&s->state) != DPA_ST_NODEVICE)
			enter_silence(s, ss);
		return;
	}

	ss->open = true;
	ss->fail_reported = false;
	ss->last_err = 0;
	ss->t0 = dpa_now_ns();
	ss->dev_frames = s->prm.dir == DPA_PLAYBACK ? ss->pcm.prefill : 0;
	ss->fill = 0;
	ss->off = 0;
	ss->stall_since = 0;

	atomic_fetch_add(&s->opens, 1);
	atomic_store(&s->period, ss->pcm.period);
	atomic_store(&s->buffer, ss->pcm.buffer);
	atomic_store(&s->clockless, ss->pcm.clockless);
	atomic_store(&s->state, DPA_ST_RUNNING);
	publish_position(s, ss);

	report(s, ss, DPA_REP_OPENED, 0, name);
}


static void stall_for(struct dpa_stream *s, unsigned ms)
{
	uint64_t end = dpa_now_ns() + (uint64_t)ms * 1000000ull;

	while (atomic_load(&s->run)) {
		uint64_t now = dpa_now_ns(), step;

		if (now >= end)
			break;

		step = end - now;
		if (step > 10000000ull)
			step = 10000000ull;
		dpa_sleep_until(now + step);
	}
}


/* A test hook: the thread stalls, as on a machine too busy to run it. */
static void take_fault(struct dpa_stream *s)
{
	if (atomic_exchange(&s->fault, DPA_FAULT_NONE) == DPA_FAULT_STALL)
		stall_for(s, atomic_load(&s->fault_ms));
}


static int wait_ms(const struct dpa_stream *s)
{
	unsigned ms = s->prm.period_ms * s->prm.buffer_periods * 2;

	if (ms < 20)
		ms = 20;
	if (ms > 100)
		ms = 100;

	return (int)ms;
}


/* The device did not become ready: lost once it stays so too long. */
static int stalled(struct dpa_stream *s, struct session *ss)
{
	uint64_t now = dpa_now_ns();

	if (!ss->stall_since)
		ss->stall_since = now;
	else if (now - ss->stall_since >=
		 (uint64_t)s->prm.stall_ms * 1000000ull)
		return EIO;

	return 0;
}


/* A device that says it is ready and then is not, again and again,
 * must not make us spin. */
static void not_ready(struct dpa_stream *s, struct session *ss)
{
	if (ss->pcm.clockless) {
		/* it does make us wait: it has a clock after all */
		ss->pcm.clockless = false;
		atomic_store(&s->clockless, false);
	}

	if (++ss->spins > 10)
		dpa_sleep_until(dpa_now_ns() + 1000000ull);
}


/* A device said to have a clock that runs far ahead of real time has
 * none: pace it ourselves from here on. */
static void check_runaway(struct dpa_stream *s, struct session *ss)
{
	const unsigned rate = s->prm.f.rate;
	uint64_t now = dpa_now_ns();
	uint64_t due = dpa_ns_frames(now - ss->t0, rate) + ss->pcm.buffer +
		rate / 2;

	if (ss->dev_frames <= due)
		return;

	ss->pcm.clockless = true;
	ss->t0 = now - dpa_frames_ns(ss->dev_frames -
				     (s->prm.dir == DPA_PLAYBACK ?
				      ss->pcm.buffer : 0), rate);
	atomic_store(&s->clockless, true);
	publish_position(s, ss);
}


static void deliver(struct dpa_stream *s, size_t frames)
{
	uint64_t total = atomic_load(&s->frames);
	uint64_t ts = total / s->prm.f.rate * 1000000ull +
		total % s->prm.f.rate * 1000000ull / s->prm.f.rate;

	s->captureh(s->buf, frames * s->prm.f.ch, ts, s->arg);
	atomic_store(&s->frames, total + frames);
}


static void pull(struct dpa_stream *s, size_t frames)
{
	s->playh(s->buf, frames * s->prm.f.ch, s->arg);
	dpa_gain_apply(s->buf, frames * s->prm.f.ch, s->prm.f.fmt,
		       atomic_load(&s->gain));
	atomic_fetch_add(&s->frames, frames);
}


static int capture_step(struct dpa_stream *s, struct session *ss)
{
	struct dpa_pcm *p = &ss->pcm;
	size_t want, done;
	int err;

	take_fault(s);
	want = p->chunk - ss->fill;

	if (p->clockless) {
		dpa_sleep_until(ss->t0 + dpa_frames_ns(ss->dev_frames + want,
						       p->f.rate));
	}
	else {
		int r = dpa_pcm_wait(p, wait_ms(s));

		if (r < 0)
			return -r;
		if (r == 0)
			return stalled(s, ss);
	}

	err = dpa_pcm_read(p, (uint8_t *)s->buf + ss->fill * p->frame_bytes,
			   want, &done);
	if (err == EAGAIN || (!err && !done)) {
		not_ready(s, ss);
		return 0;
	}
	if (err)
		return err;

	ss->stall_since = 0;
	ss->spins = 0;
	ss->fill += done;
	ss->dev_frames += done;

	if (ss->fill < p->chunk)
		return 0;

	deliver(s, p->chunk);
	ss->fill = 0;

	if (!p->clockless)
		check_runaway(s, ss);
	atomic_store(&s->dev_frames, ss->dev_frames);

	return 0;
}


static int playback_step(struct dpa_stream *s, struct session *ss)
{
	struct dpa_pcm *p = &ss->pcm;
	size_t done;
	int err;

	take_fault(s);

	if (p->clockless) {
		/* at most one buffer ahead of the clock */
		if (!ss->fill && ss->dev_frames + p->chunk > p->buffer)
			dpa_sleep_until(ss->t0 + dpa_frames_ns(ss->dev_frames +
						p->chunk - p->buffer,
						p->f.rate));
	}
	else {
		int r = dpa_pcm_wait(p, wait_ms(s));

		if (r < 0)
			return -r;
		if (r == 0)
			return stalled(s, ss);
	}

	/* pulled only once there is room: the freshest audio goes out */
	if (!ss->fill) {
		pull(s, p->chunk);
		ss->fill = p->chunk;
		ss->off = 0;
	}

	err = dpa_pcm_write(p, (uint8_t *)s->buf + ss->off * p->frame_bytes,
			    ss->fill, &done);
	if (err == EAGAIN || (!err && !done)) {
		not_ready(s, ss);
		return 0;
	}
	if (err)
		return err;

	ss->stall_since = 0;
	ss->spins = 0;
	ss->off += done;
	ss->fill -= done;
	ss->dev_frames += done;

	if (!ss->fill && !p->clockless)
		check_runaway(s, ss);
	atomic_store(&s->dev_frames, ss->dev_frames);

	return 0;
}


/* No device: keep time with silence, so the call's audio flows on. */
static void silent_chunk(struct dpa_stream *s, struct session *ss)
{
	const unsigned n = s->chunk;

	if (s->prm.dir == DPA_CAPTURE) {
		dpa_sleep_until(ss->t0 + dpa_frames_ns(ss->dev_frames + n,
						       s->prm.f.rate));
		memset(s->buf, 0, n * s->frame_bytes);
		deliver(s, n);
	}
	else {
		dpa_sleep_until(ss->t0 + dpa_frames_ns(ss->dev_frames,
						       s->prm.f.rate));
		pull(s, n);
	}

	ss->dev_frames += n;
	atomic_store(&s->dev_frames, ss->dev_frames);
	(void)atomic_exchange(&s->fault, DPA_FAULT_NONE);
}


static void on_error(struct dpa_stream *s, struct session *ss, int err)
{
	char name[DPA_NAME_MAX];

	if (err == EPIPE || err == ESTRPIPE) {
		int rerr;

		atomic_fetch_add(&s->xruns, 1);
		rerr = dpa_pcm_recover(&ss->pcm, err);
		if (!rerr) {
			/* the time lost is lost: count from now */
			ss->t0 = dpa_now_ns();
			ss->dev_frames = s->prm.dir == DPA_PLAYBACK ?
				ss->pcm.prefill : 0;
			ss->stall_since = 0;
			atomic_store(&s->clockless, ss->pcm.clockless);
			publish_position(s, ss);
			report(s, ss, DPA_REP_XRUN, err, s->current);
			return;
		}
		err = rerr;
	}

	pthread_mutex_lock(&s->lock);
	str_ncpy(name, s->current, sizeof(name));
	pthread_mutex_unlock(&s->lock);

	report(s, ss, DPA_REP_LOST, err, name);
	session_close(ss);
	enter_silence(s, ss);
	ss->fail_reported = true;
	ss->last_err = err;
	ss->next_retry = dpa_now_ns() + (uint64_t)s->prm.retry_ms * 1000000ull;
}


/* Real-time priority, so that a busy machine does not make us late: the
 * thread never spins (it sleeps or waits for the device every chunk), so
 * it cannot starve the rest of the system. */
static void set_priority(struct dpa_stream *s)
{
	struct sched_param sp;
	int err;

	if (!s->prm.rt_priority)
		return;

	memset(&sp, 0, sizeof(sp));
	sp.sched_priority = (int)s->prm.rt_priority;
	err = pthread_setschedparam(pthread_self(), SCHED_FIFO, &sp);
	atomic_store(&s->rt_err, err);
	if (!err)
		atomic_store(&s->rt_priority, s->prm.rt_priority);
}


static void *stream_thread(void *arg)
{
	struct dpa_stream *s = arg;
	struct session ss;

	memset(&ss, 0, sizeof(ss));
	set_priority(s);
	dpa_alsa_quiet();
	enter_silence(s, &ss);

	while (atomic_load(&s->run)) {
		unsigned gen = atomic_load(&s->gen);
		int err;

		if (!ss.have_gen || gen != ss.gen) {
			ss.have_gen = true;
			ss.gen = gen;
			ss.fail_reported = false;
			session_close(&ss);
			session_open(s, &ss);
			continue;
		}

		if (!ss.open) {
			if (dpa_now_ns() >= ss.next_retry) {
				session_open(s, &ss);
				if (ss.open)
					continue;
			}
			silent_chunk(s, &ss);
			continue;
		}

		if (s->prm.dir == DPA_CAPTURE)
			err = capture_step(s, &ss);
		else
			err = playback_step(s, &ss);

		if (err)
			on_error(s, &ss, err);
	}

	session_close(&ss);

	return NULL;
}


static void stream_destructor(void *data)
{
	struct dpa_stream *s = data;

	if (s->started) {
		atomic_store(&s->run, false);
		pthread_join(s->thread, NULL);
	}

	if (s->have_lock)
		pthread_mutex_destroy(&s->lock);
	mem_deref(s->buf);
}


int dpa_stream_alloc(struct dpa_stream **sp,
		     const struct dpa_stream_prm *prm, const char *pcm,
		     int32_t gain, dpa_capture_h *captureh,
		     dpa_playback_h *playh, dpa_report_h *reporth, void *arg)
{
	struct dpa_stream *s;
	int err;

	if (!sp || !prm || !dpa_fmt_size(prm->f.fmt) || !prm->f.rate ||
	    !prm->f.ch || !prm->period_ms || prm->period_ms > 1000 ||
	    prm->buffer_periods < 2 || prm->buffer_periods > 64 ||
	    prm->rt_priority > 99)
		return EINVAL;
	if (prm->dir == DPA_CAPTURE ? !captureh : !playh)
		return EINVAL;

	s = mem_zalloc(sizeof(*s), stream_destructor);
	if (!s)
		return ENOMEM;

	s->prm         = *prm;
	s->frame_bytes = dpa_fmt_size(prm->f.fmt) * prm->f.ch;
	s->chunk       = prm->f.rate * prm->period_ms / 1000;
	if (!s->chunk)
		s->chunk = 1;
	s->period_req  = s->chunk;
	s->buffer_req  = s->chunk * prm->buffer_periods;
	if (!s->prm.retry_ms)
		s->prm.retry_ms = 1000;
	if (!s->prm.stall_ms)
		s->prm.stall_ms = 1000;
	s->captureh    = captureh;
	s->playh       = playh;
	s->reporth     = reporth;
	s->arg         = arg;

	s->buf = mem_zalloc(s->chunk * s->frame_bytes, NULL);
	if (!s->buf) {
		mem_deref(s);
		return ENOMEM;
	}

	err = pthread_mutex_init(&s->lock, NULL);
	if (err) {
		mem_deref(s);
		return err;
	}
	s->have_lock = true;

	str_ncpy(s->target, pcm ? pcm : "", sizeof(s->target));
	atomic_init(&s->gain, gain);
	atomic_init(&s->run, true);

	err = pthread_create(&s->thread, NULL, stream_thread, s);
	if (err) {
		mem_deref(s);
		return err;
	}
	s->started = true;

	*sp = s;

	return 0;
}


void dpa_stream_retarget(struct dpa_stream *s, const char *pcm,
			 int32_t gain)
{
	if (!s)
		return;

	pthread_mutex_lock(&s->lock);
	str_ncpy(s->target, pcm ? pcm : "", sizeof(s->target));
	pthread_mutex_unlock(&s->lock);

	atomic_store(&s->gain, gain);
	atomic_fetch_add(&s->gen, 1);
}


void dpa_stream_set_gain(struct dpa_stream *s, int32_t gain)
{
	if (s)
		atomic_store(&s->gain, gain);
}


void dpa_stream_fault(struct dpa_stream *s, enum dpa_fault fault,
		      unsigned ms)
{
	if (!s)
		return;

	atomic_store(&s->fault_ms, ms);
	atomic_store(&s->fault, fault);
}


void dpa_stream_stats(struct dpa_stream *s, struct dpa_stats *st)
{
	if (!s || !st)
		return;

	memset(st, 0, sizeof(*st));

	pthread_mutex_lock(&s->lock);
	str_ncpy(st->pcm, s->current, sizeof(st->pcm));
	pthread_mutex_unlock(&s->lock);

	st->state         = atomic_load(&s->state);
	st->period        = atomic_load(&s->period);
	st->buffer        = atomic_load(&s->buffer);
	st->clockless     = atomic_load(&s->clockless);
	st->frames        = atomic_load(&s->frames);
	st->xruns         = atomic_load(&s->xruns);
	st->opens         = atomic_load(&s->opens);
	st->open_failures = atomic_load(&s->open_failures);
	st->t0_ns         = atomic_load(&s->t0_ns);
	st->dev_frames    = atomic_load(&s->dev_frames);
	st->rt_priority   = atomic_load(&s->rt_priority);
}


void dpa_stream_target(struct dpa_stream *s, char *buf, size_t size)
{
	if (!s || !buf || !size)
		return;

	pthread_mutex_lock(&s->lock);
	str_ncpy(buf, s->target, size);
	pthread_mutex_unlock(&s->lock);
}


unsigned dpa_stream_gen(struct dpa_stream *s)
{
	return s ? atomic_load(&s->gen) : 0;
}
