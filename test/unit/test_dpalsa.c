/**
 * @file test_dpalsa.c  dpalsa's engine against real alsa-lib devices
 *
 * The devices are alsa-lib's own: the null PCM (no clock: it never makes
 * anyone wait) and the file plugin (records playback into a file, plays
 * a file as capture), over null or over dp-clockpcm.so, our test card
 * with a clock that can also underrun, overrun and be unplugged.
 */
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <re.h>
#include "modules/alsa/audio_io.h"
#include "modules/alsa/cmdparse.h"
#include "dptest.h"

enum { RATE = 8000, CHUNK = 80, MAX_REPORTS = 64,
       MAX_SAMPLES = 8000 * 10 };


/* --- fixtures ------------------------------------------------------------ */

static char tdir[2048];

static const char *path_in(const char *name)
{
	static char buf[8][PATH_MAX];
	static unsigned n;
	char *p = buf[n++ % 8];

	snprintf(p, PATH_MAX, "%s/%s", tdir, name);

	return p;
}


static void write_file(const char *path, const void *data, size_t len)
{
	FILE *f = fopen(path, "wb");

	DP_ASSERT(f != NULL);
	DP_ASSERT_EQ(fwrite(data, 1, len, f), len);
	fclose(f);
}


static size_t read_file(const char *path, void *buf, size_t max)
{
	FILE *f = fopen(path, "rb");
	size_t n;

	DP_ASSERT_MSG(f != NULL, "%s: %s", path, strerror(errno));
	n = fread(buf, 1, max, f);
	fclose(f);

	return n;
}


/* A ramp that never repeats within the test: sample i is (i % 30000). */
static int16_t ramp(size_t i)
{
	return (int16_t)(i % 30000);
}


/*
 * An ALSA configuration of our own: the system's, plus
 *   mic     capture of mic.raw (file plugin over null)
 *   ear     playback into ear.raw (file plugin over null)
 *   cmic    capture of mic.raw over the clocked card
 *   cear    playback into cear.raw over the clocked card
 *   plugged playback and capture on the clocked card, present while
 *           the file `present` exists
 *   gone    capture of a file that does not exist
 */
static void alsa_setup(void)
{
	char exe[2048], lib[PATH_MAX], conf[8192];
	ssize_t n;
	int16_t mic[RATE * 4];

	str_ncpy(tdir, dptest_tmpdir(), sizeof(tdir));

	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	DP_ASSERT(n > 0);
	exe[n] = '\0';
	*strrchr(exe, '/') = '\0';
	snprintf(lib, sizeof(lib), "%s/dp-clockpcm.so", exe);
	DP_ASSERT_MSG(access(lib, R_OK) == 0, "%s missing", lib);

	for (size_t i = 0; i < sizeof(mic) / sizeof(mic[0]); i++)
		mic[i] = ramp(i);
	write_file(path_in("mic.raw"), mic, sizeof(mic));
	write_file(path_in("present"), "", 0);

	snprintf(conf, sizeof(conf),
		 "</usr/share/alsa/alsa.conf>\n"
		 "pcm_type.dpclock { lib \"%s\" }\n"
		 "pcm.clock { type dpclock }\n"
		 "pcm.mic { type file slave.pcm null file \"/dev/null\""
		 " infile \"%s\" format raw }\n"
		 "pcm.ear { type file slave.pcm null file \"%s\""
		 " format raw }\n"
		 "pcm.cmic { type file slave.pcm clock file \"/dev/null\""
		 " infile \"%s\" format raw }\n"
		 "pcm.cear { type file slave.pcm clock file \"%s\""
		 " format raw }\n"
		 "pcm.plugged { type dpclock present \"%s\" }\n"
		 "pcm.gone { type file slave.pcm null file \"/dev/null\""
		 " infile \"%s\" format raw }\n",
		 lib, path_in("mic.raw"), path_in("ear.raw"),
		 path_in("mic.raw"), path_in("cear.raw"),
		 path_in("present"), path_in("gone.raw"));
	write_file(path_in("asound.conf"), conf, strlen(conf));
	setenv("ALSA_CONFIG_PATH", path_in("asound.conf"), 1);
}


/* What the stream's thread hands us, kept under a lock. */
struct sink {
	pthread_mutex_t lock;
	int16_t samples[MAX_SAMPLES];
	size_t n;
	uint64_t last_ts;
	bool ts_ok;
	struct dpa_report reports[MAX_REPORTS];
	size_t nrep;
	size_t played;   /* playback: samples handed out */
};

static struct sink sink = { .lock = PTHREAD_MUTEX_INITIALIZER };


static void on_capture(void *sampv, size_t sampc, uint64_t ts_us, void *arg)
{
	struct sink *k = arg;

	pthread_mutex_lock(&k->lock);
	if (k->n && ts_us <= k->last_ts)
		k->ts_ok = false;
	k->last_ts = ts_us;
	for (size_t i = 0; i < sampc && k->n < MAX_SAMPLES; i++)
		k->samples[k->n++] = ((int16_t *)sampv)[i];
	pthread_mutex_unlock(&k->lock);
}


static void on_playback(void *sampv, size_t sampc, void *arg)
{
	struct sink *k = arg;
	int16_t *v = sampv;

	pthread_mutex_lock(&k->lock);
	for (size_t i = 0; i < sampc; i++)
		v[i] = ramp(k->played++);
	pthread_mutex_unlock(&k->lock);
}


static void on_report(const struct dpa_report *rep, void *arg)
{
	struct sink *k = arg;

	pthread_mutex_lock(&k->lock);
	if (k->nrep < MAX_REPORTS)
		k->reports[k->nrep++] = *rep;
	pthread_mutex_unlock(&k->lock);
}


static void sink_reset(void)
{
	pthread_mutex_lock(&sink.lock);
	sink.n = 0;
	sink.nrep = 0;
	sink.played = 0;
	sink.ts_ok = true;
	pthread_mutex_unlock(&sink.lock);
}


/* The first report of `kind` at or after index `from`; -1 if none. */
static int find_report(enum dpa_report_kind kind, size_t from)
{
	int found = -1;

	pthread_mutex_lock(&sink.lock);
	for (size_t i = from; i < sink.nrep && found < 0; i++) {
		if (sink.reports[i].kind == kind)
			found = (int)i;
	}
	pthread_mutex_unlock(&sink.lock);

	return found;
}


static bool wait_report(enum dpa_report_kind kind, size_t from,
			unsigned timeout_ms)
{
	for (unsigned t = 0; t < timeout_ms; t += 10) {
		if (find_report(kind, from) >= 0)
			return true;
		usleep(10000);
	}

	return false;
}


static size_t sink_count(void)
{
	size_t n;

	pthread_mutex_lock(&sink.lock);
	n = sink.n;
	pthread_mutex_unlock(&sink.lock);

	return n;
}


static void sleep_ms(unsigned ms)
{
	dpa_sleep_until(dpa_now_ns() + (uint64_t)ms * 1000000ull);
}


static uint64_t cpu_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);

	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}


static struct dpa_stream_prm prm_of(enum dpa_dir dir)
{
	struct dpa_stream_prm prm;

	memset(&prm, 0, sizeof(prm));
	prm.id = 7;
	prm.dir = dir;
	prm.f.fmt = DPA_FMT_S16LE;
	prm.f.rate = RATE;
	prm.f.ch = 1;
	prm.period_ms = 10;
	prm.buffer_periods = 3;
	prm.retry_ms = 100;
	prm.stall_ms = 500;
	prm.rt_priority = 10;

	return prm;
}


static struct dpa_stream *start(enum dpa_dir dir, const char *pcm,
				int32_t gain)
{
	struct dpa_stream_prm prm = prm_of(dir);
	struct dpa_stream *s = NULL;

	sink_reset();
	DP_ASSERT_OK(dpa_stream_alloc(&s, &prm, pcm, gain, on_capture,
				      on_playback, on_report, &sink));

	return s;
}


/* --- capture ------------------------------------------------------------- */

/* The file arrives whole and in order, paced in real time by our clock
 * although the device never blocks, and at a small fraction of a CPU. */
static void capture_paced(const char *pcm, bool clockless)
{
	struct dpa_stream *s;
	struct dpa_stats st;
	uint64_t t0, c0, wall, cpu;
	size_t n, due;
	int i;

	alsa_setup();
	t0 = dpa_now_ns();
	c0 = cpu_ns();
	s = start(DPA_CAPTURE, pcm, DPA_GAIN_UNITY);

	DP_ASSERT(wait_report(DPA_REP_OPENED, 0, 2000));
	i = find_report(DPA_REP_OPENED, 0);
	DP_ASSERT_EQ(sink.reports[i].period, CHUNK);
	DP_ASSERT_EQ(sink.reports[i].buffer, 3 * CHUNK);
	DP_ASSERT_EQ(sink.reports[i].clockless, clockless);

	sleep_ms(600);
	n = sink_count();
	wall = dpa_now_ns() - t0;
	dpa_stream_stats(s, &st);
	mem_deref(s);
	cpu = cpu_ns() - c0;

	due = (size_t)dpa_ns_frames(wall, RATE);
	/* never ahead of real time (that would be the busy loop), and not
	 * far behind (generous: the machine may be busy) */
	DP_ASSERT_MSG(n <= due + CHUNK, "%zu samples in %zu due", n, due);
	DP_ASSERT_MSG(n >= due / 3, "%zu samples, %zu due", n, due);
	DP_ASSERT_MSG(cpu * 4 < wall, "cpu %llu ns in %llu ns",
		      (unsigned long long)cpu, (unsigned long long)wall);

	for (size_t k = 0; k < n; k++)
		DP_ASSERT_MSG(sink.samples[k] == ramp(k), "sample %zu", k);
	DP_ASSERT(sink.ts_ok);
	DP_ASSERT_EQ(st.state, DPA_ST_RUNNING);
	DP_ASSERT_STREQ(st.pcm, pcm);
}


DP_TEST(capture_clockless_device_is_paced_by_our_clock)
{
	capture_paced("mic", true);
}


DP_TEST(capture_device_with_clock_paces_itself)
{
	capture_paced("cmic", false);
}


/* --- playback ------------------------------------------------------------ */

static void playback_paced(const char *pcm, const char *file, bool clockless)
{
	static int16_t out[MAX_SAMPLES];
	struct dpa_stream *s;
	struct dpa_stats st;
	uint64_t t0, wall;
	size_t n, played, prefill;
	int i;

	alsa_setup();
	t0 = dpa_now_ns();
	s = start(DPA_PLAYBACK, pcm, DPA_GAIN_UNITY / 2);
	DP_ASSERT(wait_report(DPA_REP_OPENED, 0, 2000));
	i = find_report(DPA_REP_OPENED, 0);
	DP_ASSERT_EQ(sink.reports[i].clockless, clockless);
	prefill = sink.reports[i].buffer - CHUNK;

	sleep_ms(600);
	dpa_stream_stats(s, &st);
	mem_deref(s);
	wall = dpa_now_ns() - t0;

	pthread_mutex_lock(&sink.lock);
	played = sink.played;
	pthread_mutex_unlock(&sink.lock);

	/* at most one buffer ahead of real time */
	DP_ASSERT_MSG(played <= dpa_ns_frames(wall, RATE) + 3 * CHUNK,
		      "%zu played in %llu ms", played,
		      (unsigned long long)(wall / 1000000));
	DP_ASSERT(played >= dpa_ns_frames(wall, RATE) / 3);

	n = read_file(path_in(file), out, sizeof(out)) / 2;
	DP_ASSERT(n >= prefill + played - CHUNK);
	for (size_t k = 0; k < prefill; k++)
		DP_ASSERT_EQ(out[k], 0);
	/* the gain: half */
	for (size_t k = prefill; k < n; k++)
		DP_ASSERT_MSG(out[k] == ramp(k - prefill) / 2 ||
			      st.xruns > 0, "sample %zu: %d", k, out[k]);
}


DP_TEST(playback_clockless_device_runs_one_buffer_ahead_at_most)
{
	playback_paced("ear", "ear.raw", true);
}


DP_TEST(playback_device_with_clock_paces_itself)
{
	playback_paced("cear", "cear.raw", false);
}


/* --- failures ------------------------------------------------------------ */

DP_TEST(missing_device_gives_paced_silence_until_retargeted)
{
	struct dpa_stream *s;
	struct dpa_stats st;
	size_t n;
	int i;

	alsa_setup();
	s = start(DPA_CAPTURE, "nosuchpcm", DPA_GAIN_UNITY);

	DP_ASSERT(wait_report(DPA_REP_OPEN_FAILED, 0, 2000));
	i = find_report(DPA_REP_OPEN_FAILED, 0);
	DP_ASSERT_EQ(sink.reports[i].err, ENOENT);
	DP_ASSERT_STREQ(sink.reports[i].pcm, "nosuchpcm");

	sleep_ms(300);
	/* retried every 100 ms, reported once */
	DP_ASSERT_EQ(find_report(DPA_REP_OPEN_FAILED, (size_t)i + 1), -1);
	dpa_stream_stats(s, &st);
	DP_ASSERT(st.open_failures >= 2);
	DP_ASSERT_EQ(st.state, DPA_ST_NODEVICE);

	n = sink_count();
	DP_ASSERT(n > 0);
	DP_ASSERT(n <= dpa_ns_frames(400000000ull, RATE));
	for (size_t k = 0; k < n; k++)
		DP_ASSERT_EQ(sink.samples[k], 0);

	dpa_stream_retarget(s, "mic", DPA_GAIN_UNITY);
	DP_ASSERT(wait_report(DPA_REP_OPENED, 0, 2000));
	sleep_ms(200);
	dpa_stream_stats(s, &st);
	DP_ASSERT_EQ(st.state, DPA_ST_RUNNING);
	DP_ASSERT_STREQ(st.pcm, "mic");

	/* the file's first samples follow the silence */
	pthread_mutex_lock(&sink.lock);
	DP_ASSERT(sink.n > n + CHUNK);
	for (size_t k = n; k < sink.n && sink.samples[k] == 0; k++)
		n = k + 1;
	DP_ASSERT_EQ(sink.samples[n], ramp(1));
	DP_ASSERT_EQ(sink.samples[n + 1], ramp(2));
	pthread_mutex_unlock(&sink.lock);

	mem_deref(s);
}


DP_TEST(device_appearing_later_is_opened_by_the_retries)
{
	struct dpa_stream *s;
	int16_t tone[RATE];

	alsa_setup();
	s = start(DPA_CAPTURE, "gone", DPA_GAIN_UNITY);
	DP_ASSERT(wait_report(DPA_REP_OPEN_FAILED, 0, 2000));
	DP_ASSERT_EQ(sink.reports[0].err, ENOENT);
	DP_ASSERT(sink.reports[0].detail[0] != '\0');

	for (size_t i = 0; i < RATE; i++)
		tone[i] = 1000;
	write_file(path_in("gone.raw"), tone, sizeof(tone));

	DP_ASSERT(wait_report(DPA_REP_OPENED, 0, 2000));
	sleep_ms(100);
	pthread_mutex_lock(&sink.lock);
	DP_ASSERT(sink.n > 0 && sink.samples[sink.n - 1] == 1000);
	pthread_mutex_unlock(&sink.lock);

	mem_deref(s);
}


/* A stalled thread on a card with a clock: a real underrun, recovered. */
static void stall_recovered(enum dpa_dir dir, const char *pcm)
{
	struct dpa_stream *s;
	struct dpa_stats st;
	uint64_t frames;
	int i;

	alsa_setup();
	s = start(dir, pcm, DPA_GAIN_UNITY);
	DP_ASSERT(wait_report(DPA_REP_OPENED, 0, 2000));
	sleep_ms(100);

	dpa_stream_fault(s, DPA_FAULT_STALL, 120);
	DP_ASSERT(wait_report(DPA_REP_XRUN, 0, 2000));
	i = find_report(DPA_REP_XRUN, 0);
	DP_ASSERT_EQ(sink.reports[i].err, EPIPE);
	/* (a machine busy enough can add xruns of its own) */
	DP_ASSERT(sink.reports[i].xruns >= 1);

	dpa_stream_stats(s, &st);
	frames = st.frames;
	sleep_ms(200);
	dpa_stream_stats(s, &st);
	DP_ASSERT_EQ(st.state, DPA_ST_RUNNING);
	DP_ASSERT(st.xruns >= 1);
	DP_ASSERT(st.frames > frames + CHUNK);
	DP_ASSERT_EQ(find_report(DPA_REP_LOST, 0), -1);

	mem_deref(s);
}


DP_TEST(playback_underrun_is_recovered_and_counted)
{
	stall_recovered(DPA_PLAYBACK, "cear");
}


DP_TEST(capture_overrun_is_recovered_and_counted)
{
	stall_recovered(DPA_CAPTURE, "cmic");
}


/* Unplugged while running: lost, then back when plugged in again. */
static void unplug_and_return(enum dpa_dir dir)
{
	struct dpa_stream *s;
	struct dpa_stats st;
	int i;

	alsa_setup();
	s = start(dir, "plugged", DPA_GAIN_UNITY);
	DP_ASSERT(wait_report(DPA_REP_OPENED, 0, 2000));
	sleep_ms(50);

	DP_ASSERT_OK(unlink(path_in("present")) ? errno : 0);
	DP_ASSERT(wait_report(DPA_REP_LOST, 0, 2000));
	i = find_report(DPA_REP_LOST, 0);
	DP_ASSERT_EQ(sink.reports[i].err, ENODEV);
	DP_ASSERT_EQ(dpa_pcm_probe("plugged", dir,
				   &sink.reports[i].f), ENODEV);

	sleep_ms(250);
	dpa_stream_stats(s, &st);
	DP_ASSERT_EQ(st.state, DPA_ST_NODEVICE);
	DP_ASSERT(st.open_failures >= 1);

	write_file(path_in("present"), "", 0);
	DP_ASSERT_EQ(dpa_pcm_probe("plugged", dir, &sink.reports[i].f), 0);
	DP_ASSERT(wait_report(DPA_REP_OPENED, (size_t)i, 2000));
	dpa_stream_stats(s, &st);
	DP_ASSERT_EQ(st.state, DPA_ST_RUNNING);
	DP_ASSERT_EQ(st.opens, 2);

	mem_deref(s);
}


DP_TEST(capture_device_unplugged_and_back)
{
	unplug_and_return(DPA_CAPTURE);
}


DP_TEST(playback_device_unplugged_and_back)
{
	unplug_and_return(DPA_PLAYBACK);
}


DP_TEST(streams_stop_promptly_in_every_state)
{
	const char *pcms[] = { "mic", "cmic", "nosuchpcm", "" };

	alsa_setup();

	/* each stream is freed while its thread sleeps, waits or retries:
	 * a destructor that hung would time the test out */
	for (int round = 0; round < 3; round++) {
		for (size_t i = 0; i < sizeof(pcms) / sizeof(pcms[0]); i++) {
			struct dpa_stream *s = start(DPA_CAPTURE, pcms[i],
						     DPA_GAIN_UNITY);
			sleep_ms(5 * (unsigned)round);
			mem_deref(s);
		}
	}

	DP_ASSERT(sink.nrep <= MAX_REPORTS);
}


DP_TEST(stream_rejects_bad_parameters)
{
	struct dpa_stream_prm prm = prm_of(DPA_CAPTURE);
	struct dpa_stream *s = NULL;

	prm.buffer_periods = 1;
	DP_ASSERT_EQ(dpa_stream_alloc(&s, &prm, "mic", DPA_GAIN_UNITY,
				      on_capture, NULL, NULL, &sink), EINVAL);
	prm = prm_of(DPA_CAPTURE);
	prm.f.fmt = (enum dpa_fmt)4;
	DP_ASSERT_EQ(dpa_stream_alloc(&s, &prm, "mic", DPA_GAIN_UNITY,
				      on_capture, NULL, NULL, &sink), EINVAL);
	prm = prm_of(DPA_PLAYBACK);
	DP_ASSERT_EQ(dpa_stream_alloc(&s, &prm, "ear", DPA_GAIN_UNITY,
				      on_capture, NULL, NULL, &sink), EINVAL);
	DP_ASSERT(s == NULL);
}


/* --- routes, gain, volume file, mixer --------------------------------------- */

DP_TEST(voice_route_falls_back_to_handset_then_speaker)
{
	struct dpa_routes rt;
	struct dpa_format f = { DPA_FMT_S16LE, 8000, 1 };
	enum dpa_route r;

	dpa_routes_init(&rt);
	str_ncpy(rt.pcm[DPA_HANDSET], "hs", DPA_NAME_MAX);
	str_ncpy(rt.pcm[DPA_HEADSET], "usb", DPA_NAME_MAX);
	str_ncpy(rt.pcm[DPA_SPEAKER], "spk", DPA_NAME_MAX);

	rt.selected = DPA_HEADSET;
	DP_ASSERT_EQ(dpa_routes_active(&rt), DPA_HEADSET);

	DP_ASSERT(dpa_routes_mark_lost(&rt, "usb", DPA_CAPTURE, &f, ENODEV));
	DP_ASSERT(!dpa_routes_mark_lost(&rt, "usb", DPA_CAPTURE, &f, ENODEV));
	DP_ASSERT_EQ(dpa_routes_active(&rt), DPA_HANDSET);

	DP_ASSERT(dpa_routes_mark_lost(&rt, "hs", DPA_PLAYBACK, &f, EIO));
	DP_ASSERT_EQ(dpa_routes_active(&rt), DPA_SPEAKER);

	DP_ASSERT(dpa_routes_mark_lost(&rt, "spk", DPA_PLAYBACK, &f, EIO));
	DP_ASSERT_EQ(dpa_routes_active(&rt), DPA_HEADSET);

	DP_ASSERT(dpa_routes_mark_found(&rt, "usb"));
	DP_ASSERT(!dpa_routes_mark_found(&rt, "usb"));
	DP_ASSERT_EQ(dpa_routes_active(&rt), DPA_HEADSET);
	DP_ASSERT_EQ(rt.nlost, 2);

	/* two routes on one device go together */
	str_ncpy(rt.pcm[DPA_SPEAKER], "hs", DPA_NAME_MAX);
	rt.selected = DPA_SPEAKER;
	DP_ASSERT_EQ(dpa_routes_active(&rt), DPA_SPEAKER);
	DP_ASSERT(dpa_routes_pcm_lost(&rt, "hs"));

	DP_ASSERT_OK(dpa_route_parse("speaker", &r));
	DP_ASSERT_EQ(r, DPA_SPEAKER);
	DP_ASSERT_EQ(dpa_route_parse("loud", &r), ENOENT);
	DP_ASSERT(!dpa_route_is_voice(DPA_RINGER));
	DP_ASSERT_STREQ(dpa_route_name(DPA_RINGER), "ringer");
}


DP_TEST(lost_set_forgets_the_oldest_when_full)
{
	struct dpa_routes rt;
	char name[16];

	dpa_routes_init(&rt);
	for (int i = 0; i < DPA_MAX_LOST + 2; i++) {
		snprintf(name, sizeof(name), "dev%d", i);
		DP_ASSERT(dpa_routes_mark_lost(&rt, name, DPA_CAPTURE, NULL,
					       EIO));
	}

	DP_ASSERT_EQ(rt.nlost, DPA_MAX_LOST);
	DP_ASSERT(!dpa_routes_pcm_lost(&rt, "dev0"));
	DP_ASSERT(dpa_routes_pcm_lost(&rt, "dev9"));
}


DP_TEST(gain_curve_and_saturation)
{
	int16_t s16[4] = { 32767, -32768, 1000, -1000 };
	float fl[2] = { 0.5f, -1.0f };

	DP_ASSERT_EQ(dpa_volume_gain(100), DPA_GAIN_UNITY);
	DP_ASSERT_EQ(dpa_volume_gain(150), DPA_GAIN_UNITY);
	DP_ASSERT_EQ(dpa_volume_gain(50), DPA_GAIN_UNITY / 4);
	DP_ASSERT_EQ(dpa_volume_gain(0), 0);

	dpa_gain_apply(s16, 4, DPA_FMT_S16LE, DPA_GAIN_UNITY / 2);
	DP_ASSERT_EQ(s16[0], 16383);
	DP_ASSERT_EQ(s16[1], -16384);
	DP_ASSERT_EQ(s16[2], 500);
	DP_ASSERT_EQ(s16[3], -500);

	dpa_gain_apply(s16, 4, DPA_FMT_S16LE, 4 * DPA_GAIN_UNITY);
	DP_ASSERT_EQ(s16[0], 32767);
	DP_ASSERT_EQ(s16[1], -32768);

	dpa_gain_apply(fl, 2, DPA_FMT_FLOAT, DPA_GAIN_UNITY / 4);
	DP_ASSERT(fl[0] == 0.125f && fl[1] == -0.25f);

	DP_ASSERT_EQ(dpa_volume_db100(100), 0);
	DP_ASSERT_EQ(dpa_volume_db100(50), -1204);
	DP_ASSERT_EQ(dpa_volume_db100(0), DPA_DB100_MUTE);
	DP_ASSERT_EQ(dpa_volume_to_range(50, 0, 31), 16);
	DP_ASSERT_EQ(dpa_volume_to_range(0, -10, 10), -10);
	DP_ASSERT_EQ(dpa_volume_to_range(100, -10, 10), 10);
}


DP_TEST(volume_file_round_trip_and_errors)
{
	struct dpa_routes rt, back;
	char err[256] = "", path[PATH_MAX];
	struct stat sb;

	dpa_routes_init(&rt);
	rt.volume[DPA_HANDSET] = 55;
	rt.volume[DPA_RINGER] = 0;
	snprintf(path, sizeof(path), "%s/state/sub/volume.conf",
		 dptest_tmpdir());
	DP_ASSERT_OK(dpa_volume_save(&rt, path));
	DP_ASSERT_OK(stat(path, &sb) ? errno : 0);
	DP_ASSERT_EQ(sb.st_mode & 0777, 0600);

	dpa_routes_init(&back);
	DP_ASSERT_OK(dpa_volume_load(&back, path, err, sizeof(err)));
	DP_ASSERT_EQ(back.volume[DPA_HANDSET], 55);
	DP_ASSERT_EQ(back.volume[DPA_RINGER], 0);
	DP_ASSERT_EQ(back.volume[DPA_SPEAKER], 100);

	dpa_routes_init(&back);
	DP_ASSERT_EQ(dpa_volume_parse(&back, "# c\n\nspeaker 30\nhandset 101\n"
				      "headset 20\n", err, sizeof(err)),
		     EINVAL);
	DP_ASSERT_STREQ(err, "line 4: volume '101' is not 0-100");
	DP_ASSERT_EQ(back.volume[DPA_SPEAKER], 30);   /* kept */
	DP_ASSERT_EQ(back.volume[DPA_HEADSET], 100);  /* not reached */

	DP_ASSERT_EQ(dpa_volume_parse(&back, "earpiece 3\n", err,
				      sizeof(err)), EINVAL);
	DP_ASSERT_STREQ(err, "line 1: unknown route 'earpiece'");
	DP_ASSERT_EQ(dpa_volume_parse(&back, "ringer\n", err, sizeof(err)),
		     EINVAL);
	DP_ASSERT_EQ(dpa_volume_parse(&back, "ringer -1\n", err,
				      sizeof(err)), EINVAL);
	DP_ASSERT_EQ(dpa_volume_parse(&back, "ringer 5 6\n", err,
				      sizeof(err)), EINVAL);
	/* digits only (fuzz_dpalsa: "+6" was taken) */
	DP_ASSERT_EQ(dpa_volume_parse(&back, "ringer +6\n", err,
				      sizeof(err)), EINVAL);

	snprintf(path, sizeof(path), "%s/none.conf", dptest_tmpdir());
	DP_ASSERT_EQ(dpa_volume_load(&back, path, err, sizeof(err)), ENOENT);
}


/* Found by fuzz_dpalsa: a third word was dropped and a long one cut
 * short, so `dpalsa_volume handset 50 60` set 50. */
DP_TEST(command_parameters_are_whole_words)
{
	char a[DPA_WORD], b[DPA_WORD], route[DPA_WORD];
	unsigned n, v, ms;

	DP_ASSERT_OK(dpa_cmd_words("  speaker\t80 ", a, b, &n));
	DP_ASSERT_EQ(n, 2);
	DP_ASSERT_STREQ(a, "speaker");
	DP_ASSERT_STREQ(b, "80");
	DP_ASSERT_OK(dpa_cmd_words(" ", a, b, &n));
	DP_ASSERT_EQ(n, 0);
	DP_ASSERT_EQ(dpa_cmd_words("handset 50 60", a, b, &n), EINVAL);
	DP_ASSERT_EQ(dpa_cmd_words("handset 00000000000000000000000000000050",
				   a, b, &n), EINVAL);

	DP_ASSERT_OK(dpa_volume_arg("up", 95, &v));
	DP_ASSERT_EQ(v, 100);
	DP_ASSERT_OK(dpa_volume_arg("-", 5, &v));
	DP_ASSERT_EQ(v, 0);
	DP_ASSERT_OK(dpa_volume_arg("007", 5, &v));
	DP_ASSERT_EQ(v, 7);
	DP_ASSERT_EQ(dpa_volume_arg("+7", 5, &v), EINVAL);
	DP_ASSERT_EQ(dpa_volume_arg("101", 5, &v), EINVAL);
	DP_ASSERT_EQ(dpa_volume_arg("", 5, &v), EINVAL);

	DP_ASSERT_OK(dpa_fault_args("stall 100 headset", &ms, route));
	DP_ASSERT_EQ(ms, 100);
	DP_ASSERT_STREQ(route, "headset");
	DP_ASSERT_OK(dpa_fault_args("stall 10000", &ms, route));
	DP_ASSERT_STREQ(route, "");
	DP_ASSERT_EQ(dpa_fault_args("stall 10001", &ms, route), EINVAL);
	DP_ASSERT_EQ(dpa_fault_args("stall 1 headset x", &ms, route), EINVAL);
	DP_ASSERT_EQ(dpa_fault_args("stall 0000000000000000100", &ms, route),
		     0);
	DP_ASSERT_EQ(ms, 100);
}


DP_TEST(mixer_errors_are_reported_not_fatal)
{
	char err[256] = "";

	alsa_setup();
	DP_ASSERT_EQ(dpa_mixer_set("@hw:0", 50, err, sizeof(err)), EINVAL);
	DP_ASSERT(strstr(err, "not Control") != NULL);

	err[0] = '\0';
	DP_ASSERT(dpa_mixer_set("Master@hw:7", 50, err, sizeof(err)) != 0);
	DP_ASSERT_MSG(strstr(err, "mixer hw:7: cannot") != NULL, "%s", err);
}
