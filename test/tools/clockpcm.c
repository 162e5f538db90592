/**
 * @file clockpcm.c  dp-clockpcm.so: a sound card for tests, with a clock
 *
 * An alsa-lib external PCM plugin (ioplug) that behaves like a card with
 * nothing plugged into it: playback is consumed and capture produces
 * silence, at the configured rate, by CLOCK_MONOTONIC.  So unlike the
 * null PCM it makes its user wait, underruns when fed too late, overruns
 * when read too late, and can be unplugged.  Put alsa-lib's file plugin
 * over it to play into and record from files.
 *
 *   pcm_type.dpclock { lib "/path/to/dp-clockpcm.so" }
 *   pcm.card { type dpclock  present "/path/flag"  timeline "/path/log" }
 *
 * `present` (optional): while that file is missing the card is gone:
 * opening fails, and a running stream fails, with ENODEV.
 * `timeline` (optional): each start appends "capture|playback NS FRAMES"
 * to that file: NS the CLOCK_MONOTONIC time of the start, FRAMES the
 * frames transferred before it since the PCM was opened.  Frame FRAMES+n
 * is then recorded (or heard) at NS + n/rate: latency measured on the
 * card's own clock, whoever drives it, across restarts after xruns.
 */
/* alsa-lib's plugin macros export the versioned entry point only when
 * told they build a shared object */
#define PIC 1

#include <errno.h>
#include <poll.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>
#include <alsa/asoundlib.h>
#include <alsa/pcm_external.h>

struct clockpcm {
	snd_pcm_ioplug_t io;
	int timerfd;
	char *present;
	char *timeline;
	uint64_t start_ns;
	uint64_t xfer;          /* frames transferred since prepare */
	uint64_t total;         /* frames transferred since open */
	bool running;
};


static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);

	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}


static bool is_present(const struct clockpcm *c)
{
	return !c->present || 0 == access(c->present, F_OK);
}


/* What a real card does when it is pulled out. */
static int unplugged(snd_pcm_ioplug_t *io)
{
	(void)snd_pcm_ioplug_set_state(io, SND_PCM_STATE_DISCONNECTED);

	return -ENODEV;
}


static int arm(struct clockpcm *c, bool on)
{
	struct itimerspec its;
	uint64_t ns = 0;

	if (on && c->io.rate)
		ns = (uint64_t)c->io.period_size * 1000000000ull / c->io.rate;

	memset(&its, 0, sizeof(its));
	its.it_value.tv_sec  = (time_t)(ns / 1000000000ull);
	its.it_value.tv_nsec = (long)(ns % 1000000000ull);
	its.it_interval = its.it_value;

	return timerfd_settime(c->timerfd, 0, &its, NULL) < 0 ? -errno : 0;
}


static int cp_start(snd_pcm_ioplug_t *io)
{
	struct clockpcm *c = io->private_data;

	if (!is_present(c))
		return -ENODEV;

	c->start_ns = now_ns();
	c->running = true;

	if (c->timeline) {
		FILE *f = fopen(c->timeline, "a");

		if (f) {
			fprintf(f, "%s %llu %llu\n",
				io->stream == SND_PCM_STREAM_CAPTURE ?
				"capture" : "playback",
				(unsigned long long)c->start_ns,
				(unsigned long long)(c->total - c->xfer));
			fclose(f);
		}
	}

	return arm(c, true);
}


static int cp_stop(snd_pcm_ioplug_t *io)
{
	struct clockpcm *c = io->private_data;

	c->running = false;

	return arm(c, false);
}


static int cp_prepare(snd_pcm_ioplug_t *io)
{
	struct clockpcm *c = io->private_data;

	if (!is_present(c))
		return -ENODEV;

	c->xfer = 0;
	c->running = false;

	return arm(c, false);
}


/* Frames the card has played or recorded since it started. */
static uint64_t elapsed(const struct clockpcm *c)
{
	uint64_t ns = now_ns() - c->start_ns;

	return ns / 1000000000ull * c->io.rate +
		ns % 1000000000ull * c->io.rate / 1000000000ull;
}


static snd_pcm_sframes_t cp_pointer(snd_pcm_ioplug_t *io)
{
	struct clockpcm *c = io->private_data;
	uint64_t hw;

	if (!is_present(c))
		return unplugged(io);
	if (!c->running)
		return (snd_pcm_sframes_t)(c->xfer % io->buffer_size);

	hw = elapsed(c);

	if (io->stream == SND_PCM_STREAM_PLAYBACK) {
		if (hw > c->xfer)
			return -EPIPE;          /* played out what it had */
	}
	else if (hw > c->xfer + io->buffer_size) {
		return -EPIPE;                  /* recorded over unread data */
	}

	return (snd_pcm_sframes_t)(hw % io->buffer_size);
}


static snd_pcm_sframes_t cp_transfer(snd_pcm_ioplug_t *io,
				     const snd_pcm_channel_area_t *areas,
				     snd_pcm_uframes_t offset,
				     snd_pcm_uframes_t size)
{
	struct clockpcm *c = io->private_data;

	if (!is_present(c))
		return unplugged(io);

	if (io->stream == SND_PCM_STREAM_CAPTURE)
		snd_pcm_areas_silence(areas, offset, io->channels, size,
				      io->format);

	c->xfer += size;
	c->total += size;

	return (snd_pcm_sframes_t)size;
}


static int cp_poll_revents(snd_pcm_ioplug_t *io, struct pollfd *pfd,
			   unsigned int nfds, unsigned short *revents)
{
	struct clockpcm *c = io->private_data;
	uint64_t ticks;

	*revents = 0;
	if (nfds < 1)
		return 0;

	if (!is_present(c)) {
		(void)unplugged(io);
		*revents = POLLERR;
		return 0;
	}

	if (pfd[0].revents & POLLIN) {
		if (read(c->timerfd, &ticks, sizeof(ticks)) < 0 &&
		    errno != EAGAIN)
			return -errno;
		*revents = io->stream == SND_PCM_STREAM_PLAYBACK ?
			POLLOUT : POLLIN;
	}

	return 0;
}


static int cp_close(snd_pcm_ioplug_t *io)
{
	struct clockpcm *c = io->private_data;

	close(c->timerfd);
	free(c->present);
	free(c->timeline);
	free(c);

	return 0;
}


static const snd_pcm_ioplug_callback_t clockpcm_callbacks = {
	.start        = cp_start,
	.stop         = cp_stop,
	.prepare      = cp_prepare,
	.pointer      = cp_pointer,
	.transfer     = cp_transfer,
	.poll_revents = cp_poll_revents,
	.close        = cp_close,
};


static int set_constraints(snd_pcm_ioplug_t *io)
{
	static const unsigned int access[] = {
		SND_PCM_ACCESS_RW_INTERLEAVED,
		SND_PCM_ACCESS_MMAP_INTERLEAVED,
	};
	static const unsigned int formats[] = {
		SND_PCM_FORMAT_S16_LE,
		SND_PCM_FORMAT_FLOAT_LE,
	};
	int err;

	err = snd_pcm_ioplug_set_param_list(io, SND_PCM_IOPLUG_HW_ACCESS,
					    2, access);
	if (err >= 0)
		err = snd_pcm_ioplug_set_param_list(io,
			SND_PCM_IOPLUG_HW_FORMAT, 2, formats);
	if (err >= 0)
		err = snd_pcm_ioplug_set_param_minmax(io,
			SND_PCM_IOPLUG_HW_CHANNELS, 1, 2);
	if (err >= 0)
		err = snd_pcm_ioplug_set_param_minmax(io,
			SND_PCM_IOPLUG_HW_RATE, 8000, 48000);
	if (err >= 0)
		err = snd_pcm_ioplug_set_param_minmax(io,
			SND_PCM_IOPLUG_HW_PERIOD_BYTES, 16, 64 * 1024);
	if (err >= 0)
		err = snd_pcm_ioplug_set_param_minmax(io,
			SND_PCM_IOPLUG_HW_PERIODS, 2, 64);

	return err;
}


/* alsa-lib finds it by name; declared for -Wmissing-prototypes */
int SND_PCM_PLUGIN_ENTRY(dpclock)(snd_pcm_t **pcmp, const char *name,
				  snd_config_t *root, snd_config_t *conf,
				  snd_pcm_stream_t stream, int mode);

SND_PCM_PLUGIN_DEFINE_FUNC(dpclock)
{
	snd_config_iterator_t i, next;
	const char *present = NULL, *timeline = NULL;
	struct clockpcm *c;
	int err;

	(void)root;

	snd_config_for_each(i, next, conf) {
		snd_config_t *n = snd_config_iterator_entry(i);
		const char *id;

		if (snd_config_get_id(n, &id) < 0)
			continue;
		if (!strcmp(id, "comment") || !strcmp(id, "type") ||
		    !strcmp(id, "hint"))
			continue;
		if (!strcmp(id, "present")) {
			if (snd_config_get_string(n, &present) < 0) {
				SNDERR("present must be a file name");
				return -EINVAL;
			}
			continue;
		}
		if (!strcmp(id, "timeline")) {
			if (snd_config_get_string(n, &timeline) < 0) {
				SNDERR("timeline must be a file name");
				return -EINVAL;
			}
			continue;
		}
		SNDERR("unknown field %s", id);
		return -EINVAL;
	}

	if (present && access(present, F_OK))
		return -ENODEV;

	c = calloc(1, sizeof(*c));
	if (!c)
		return -ENOMEM;

	c->timerfd = timerfd_create(CLOCK_MONOTONIC,
				    TFD_NONBLOCK | TFD_CLOEXEC);
	if (c->timerfd < 0) {
		err = -errno;
		free(c);
		return err;
	}

	if ((present && !(c->present = strdup(present))) ||
	    (timeline && !(c->timeline = strdup(timeline)))) {
		close(c->timerfd);
		free(c->present);
		free(c);
		return -ENOMEM;
	}

	c->io.version      = SND_PCM_IOPLUG_VERSION;
	c->io.name         = "deskphone test card with a clock";
	c->io.callback     = &clockpcm_callbacks;
	c->io.private_data = c;
	c->io.poll_fd      = c->timerfd;
	c->io.poll_events  = POLLIN;
	c->io.mmap_rw      = 0;

	err = snd_pcm_ioplug_create(&c->io, name, stream, mode);
	if (err < 0) {
		close(c->timerfd);
		free(c->present);
		free(c->timeline);
		free(c);
		return err;
	}

	err = set_constraints(&c->io);
	if (err < 0) {
		snd_pcm_ioplug_delete(&c->io);
		return err;
	}

	*pcmp = c->io.pcm;

	return 0;
}

SND_PCM_PLUGIN_SYMBOL(dpclock);
