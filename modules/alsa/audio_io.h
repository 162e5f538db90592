/**
 * @file audio_io.h  dpalsa's audio engine: ALSA devices, one paced thread
 *                   per stream, routes, gain and the volume file
 *
 * Nothing here knows baresip, so the unit tests drive it directly with
 * alsa-lib's null and file PCMs.  libre is used for memory only
 * (mem_zalloc objects with destructors).
 *
 * Threads: dpa_stream_alloc() starts one thread that owns the ALSA PCM.
 * It calls the capture/playback handler for every chunk of audio and the
 * report handler when something happens to the device; all three run on
 * that thread.  Every other function here is for the thread that owns the
 * stream object (baresip's main thread in the module).
 */
#ifndef DPALSA_AUDIO_IO_H
#define DPALSA_AUDIO_IO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <alsa/asoundlib.h>


/* --- sample formats ------------------------------------------------------ */

/* The two formats the engine handles; values are librem's enum aufmt. */
enum dpa_fmt {
	DPA_FMT_S16LE = 0,
	DPA_FMT_FLOAT = 3,
};

struct dpa_format {
	enum dpa_fmt fmt;
	unsigned rate;        /* Hz */
	unsigned ch;
};

/* Bytes in one sample of `fmt`, 0 for a format we do not handle. */
size_t dpa_fmt_size(enum dpa_fmt fmt);


/* --- clock --------------------------------------------------------------- */

uint64_t dpa_now_ns(void);                    /* CLOCK_MONOTONIC */
void     dpa_sleep_until(uint64_t deadline_ns);  /* absolute, no drift */
uint64_t dpa_frames_ns(uint64_t frames, unsigned rate);
uint64_t dpa_ns_frames(uint64_t ns, unsigned rate);


/* --- one ALSA PCM ----------------------------------------------------------
 *
 * Always opened non-blocking: no call here can hang on a dead device.
 * Errors are positive errno values.
 */

enum dpa_dir {
	DPA_CAPTURE = 0,
	DPA_PLAYBACK
};

struct dpa_pcm {
	snd_pcm_t *pcm;
	enum dpa_dir dir;
	struct dpa_format f;
	size_t frame_bytes;
	unsigned period;      /* negotiated, frames */
	unsigned buffer;      /* negotiated, frames */
	unsigned chunk;       /* frames per I/O: as asked, <= buffer / 2 */
	unsigned prefill;     /* playback: silence written at start */
	bool clockless;       /* the device never makes us wait */
};

/*
 * Open `name` for `dir` at exactly the format, rate and channels of `f`,
 * with a period near `period` frames and a buffer near `buffer` frames.
 */
int  dpa_pcm_open(struct dpa_pcm *p, const char *name, enum dpa_dir dir,
		  const struct dpa_format *f, unsigned period,
		  unsigned buffer, unsigned chunk);
/*
 * Start the stream: capture starts; playback writes `prefill` frames of
 * silence.  Then tells whether the device has a clock of its own: a null
 * device produces (or swallows) a whole buffer at once.
 */
int  dpa_pcm_start(struct dpa_pcm *p);
/* Drop what is queued (never drain: that can block) and close. */
void dpa_pcm_close(struct dpa_pcm *p);
/* 1 when ready, 0 on timeout, or -errno. */
int  dpa_pcm_wait(struct dpa_pcm *p, int timeout_ms);
/* Up to `frames` frames; *done says how many.  EAGAIN: not ready. */
int  dpa_pcm_read(struct dpa_pcm *p, void *buf, size_t frames,
		  size_t *done);
int  dpa_pcm_write(struct dpa_pcm *p, const void *buf, size_t frames,
		   size_t *done);
/* After EPIPE (xrun) or ESTRPIPE (suspend): recover and start again. */
int  dpa_pcm_recover(struct dpa_pcm *p, int err);
/* Can `name` be opened and set up like this now?  (Opened, then closed.) */
int  dpa_pcm_probe(const char *name, enum dpa_dir dir,
		   const struct dpa_format *f);

/*
 * alsa-lib prints its own diagnostics to stderr.  Threads that call
 * dpa_alsa_quiet() keep the last message instead (per thread), so that a
 * device retried every second does not fill the log; dpa_alsa_msg()
 * returns it for our own report ("" when none).
 */
void        dpa_alsa_quiet(void);
void        dpa_alsa_msg_clear(void);
const char *dpa_alsa_msg(void);
/* The same for one piece of work on a thread that is not ours. */
snd_local_error_handler_t dpa_alsa_quiet_begin(void);
void        dpa_alsa_quiet_end(snd_local_error_handler_t prev);


/* --- a stream: one thread, one device, paced ----------------------------- */

struct dpa_stream;

/* What a stream's thread tells its owner. */
enum dpa_report_kind {
	DPA_REP_OPENED = 0,   /* device open; negotiated values in the report */
	DPA_REP_OPEN_FAILED,  /* could not open `pcm`; running on silence */
	DPA_REP_LOST,         /* device failed while running (unplugged) */
	DPA_REP_XRUN,         /* an xrun, recovered */
};

struct dpa_report {
	uint32_t stream_id;
	enum dpa_report_kind kind;
	enum dpa_dir dir;
	unsigned gen;          /* target generation it refers to */
	int err;               /* positive errno */
	char pcm[128];
	char detail[160];      /* alsa-lib's own words, if any */
	struct dpa_format f;
	unsigned period;       /* negotiated, frames */
	unsigned buffer;       /* negotiated, frames */
	bool clockless;        /* paced by our clock */
	uint64_t xruns;
	unsigned rt_priority;  /* the thread's SCHED_FIFO priority, 0: none */
	int rt_err;            /* why it has none although asked */
};

/* `sampc` counts samples over all channels. */
typedef void (dpa_capture_h)(void *sampv, size_t sampc, uint64_t ts_us,
			     void *arg);
typedef void (dpa_playback_h)(void *sampv, size_t sampc, void *arg);
typedef void (dpa_report_h)(const struct dpa_report *rep, void *arg);

struct dpa_stream_prm {
	uint32_t id;
	enum dpa_dir dir;
	struct dpa_format f;
	unsigned period_ms;       /* requested period */
	unsigned buffer_periods;  /* requested buffer, in periods (>= 2) */
	unsigned retry_ms;        /* reopen a failed device this often */
	unsigned stall_ms;        /* a device silent this long is lost */
	unsigned rt_priority;     /* SCHED_FIFO priority; 0: normal */
};

/* Test hooks: what a busy machine does to an audio thread. */
enum dpa_fault {
	DPA_FAULT_NONE = 0,
	DPA_FAULT_STALL,          /* the thread sleeps `ms` (a device with a
				     clock then overruns or underruns) */
};

enum dpa_state {
	DPA_ST_NODEVICE = 0,      /* no device: silence, paced by our clock */
	DPA_ST_RUNNING,
};

struct dpa_stats {
	enum dpa_state state;
	char pcm[128];            /* the device in use or being tried */
	unsigned period, buffer;  /* negotiated, frames */
	bool clockless;
	uint64_t frames;          /* handed to/from the handler */
	uint64_t xruns;
	uint64_t opens;           /* successful opens */
	uint64_t open_failures;
	uint64_t t0_ns;           /* device frame 0 of this session */
	uint64_t dev_frames;      /* device frames in this session */
	unsigned rt_priority;     /* SCHED_FIFO priority granted, 0: none */
};

/*
 * Start a stream on `pcm` (NULL or "": no device yet).  `gain` is Q16
 * (65536 = unity) and applies to playback only.
 */
int  dpa_stream_alloc(struct dpa_stream **sp,
		      const struct dpa_stream_prm *prm, const char *pcm,
		      int32_t gain, dpa_capture_h *captureh,
		      dpa_playback_h *playh, dpa_report_h *reporth,
		      void *arg);
/* Move to another device: the thread closes the old one, opens this. */
void dpa_stream_retarget(struct dpa_stream *s, const char *pcm,
			 int32_t gain);
void dpa_stream_set_gain(struct dpa_stream *s, int32_t gain);
void dpa_stream_fault(struct dpa_stream *s, enum dpa_fault fault,
		      unsigned ms);
void dpa_stream_stats(struct dpa_stream *s, struct dpa_stats *st);
/* The device the stream was last told to use. */
void dpa_stream_target(struct dpa_stream *s, char *buf, size_t size);
unsigned dpa_stream_gen(struct dpa_stream *s);


/* --- gain ----------------------------------------------------------------- */

enum { DPA_GAIN_UNITY = 65536 };

/* Volume 0..100 → Q16 gain: 100 is unity, 50 is -12 dB, 0 is silence. */
int32_t dpa_volume_gain(unsigned volume);
void    dpa_gain_apply(void *sampv, size_t sampc, enum dpa_fmt fmt,
		       int32_t gain);
/* Volume 0..100 → a mixer control's raw [min, max], evenly. */
long    dpa_volume_to_range(unsigned volume, long min, long max);
/* Volume 0..100 → the software gain's curve in dB × 100 (0 at 100). */
enum { DPA_DB100_MUTE = -100000 };
long    dpa_volume_db100(unsigned volume);


/* --- routes ----------------------------------------------------------------- */

enum dpa_route {
	DPA_HANDSET = 0,
	DPA_HEADSET,
	DPA_SPEAKER,
	DPA_RINGER,
	DPA_ROUTES
};

enum { DPA_MAX_LOST = 8, DPA_NAME_MAX = 128 };

struct dpa_lost {
	char pcm[DPA_NAME_MAX];
	enum dpa_dir dir;          /* how it failed, to probe it the same way */
	struct dpa_format f;
	int err;
};

struct dpa_routes {
	char pcm[DPA_ROUTES][DPA_NAME_MAX];
	char mixer[DPA_ROUTES][DPA_NAME_MAX];
	unsigned volume[DPA_ROUTES];
	enum dpa_route selected;   /* the voice route asked for */
	struct dpa_lost lost[DPA_MAX_LOST];
	unsigned nlost;
};

const char *dpa_route_name(enum dpa_route r);
/* "handset", "headset", "speaker" or "ringer"; ENOENT otherwise. */
int  dpa_route_parse(const char *name, enum dpa_route *r);
bool dpa_route_is_voice(enum dpa_route r);

void dpa_routes_init(struct dpa_routes *rt);
bool dpa_routes_pcm_lost(const struct dpa_routes *rt, const char *pcm);
/* Returns true when the set changed. */
bool dpa_routes_mark_lost(struct dpa_routes *rt, const char *pcm,
			  enum dpa_dir dir, const struct dpa_format *f,
			  int err);
bool dpa_routes_mark_found(struct dpa_routes *rt, const char *pcm);
/*
 * The voice route in use: the selected one while its device works, else
 * the handset, else the speaker; the selected one when none works.
 */
enum dpa_route dpa_routes_active(const struct dpa_routes *rt);


/* --- the volume file ------------------------------------------------------ */

/*
 * `route volume` a line, e.g. "handset 80".  Unknown routes, bad numbers
 * and volumes over 100 are errors naming the line (in errbuf); the lines
 * before it are kept in `rt`.
 */
int dpa_volume_parse(struct dpa_routes *rt, const char *text,
		     char *errbuf, size_t errsz);
int dpa_volume_load(struct dpa_routes *rt, const char *path,
		    char *errbuf, size_t errsz);
/* Written atomically: the old file stays whole if anything fails. */
int dpa_volume_save(const struct dpa_routes *rt, const char *path);


/* --- mixer controls ------------------------------------------------------- */

/*
 * A route's optional mixer control, "Control" or "Control@device"
 * (device default: "default").  Sets the control's playback volume.
 */
int dpa_mixer_set(const char *spec, unsigned volume, char *errbuf,
		  size_t errsz);

#endif
