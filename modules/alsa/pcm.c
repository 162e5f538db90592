/**
 * @file pcm.c  One ALSA PCM: open, negotiate, start, read/write, recover
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "audio_io.h"


static _Thread_local char alsa_last_msg[160];


static void quiet_handler(const char *file, int line, const char *func,
			  int errcode, const char *fmt, va_list arg)
{
	(void)file;
	(void)line;
	(void)func;
	(void)errcode;

	vsnprintf(alsa_last_msg, sizeof(alsa_last_msg), fmt, arg);
}


void dpa_alsa_quiet(void)
{
	(void)snd_lib_error_set_local(quiet_handler);
}


snd_local_error_handler_t dpa_alsa_quiet_begin(void)
{
	alsa_last_msg[0] = '\0';

	return snd_lib_error_set_local(quiet_handler);
}


void dpa_alsa_quiet_end(snd_local_error_handler_t prev)
{
	(void)snd_lib_error_set_local(prev);
}


void dpa_alsa_msg_clear(void)
{
	alsa_last_msg[0] = '\0';
}


const char *dpa_alsa_msg(void)
{
	return alsa_last_msg;
}


size_t dpa_fmt_size(enum dpa_fmt fmt)
{
	switch (fmt) {

	case DPA_FMT_S16LE: return 2;
	case DPA_FMT_FLOAT: return 4;
	default:            return 0;
	}
}


static snd_pcm_format_t alsa_format(enum dpa_fmt fmt)
{
	switch (fmt) {

	case DPA_FMT_S16LE: return SND_PCM_FORMAT_S16_LE;
	case DPA_FMT_FLOAT: return SND_PCM_FORMAT_FLOAT_LE;
	default:            return SND_PCM_FORMAT_UNKNOWN;
	}
}


static snd_pcm_stream_t alsa_stream(enum dpa_dir dir)
{
	return dir == DPA_CAPTURE ? SND_PCM_STREAM_CAPTURE :
		SND_PCM_STREAM_PLAYBACK;
}


/* Access, format, channels and rate, all exactly as asked. */
static int set_hw_format(snd_pcm_t *pcm, snd_pcm_hw_params_t *hw,
			 const struct dpa_format *f)
{
	snd_pcm_format_t af = alsa_format(f->fmt);
	int err;

	if (af == SND_PCM_FORMAT_UNKNOWN)
		return -ENOTSUP;

	err = snd_pcm_hw_params_any(pcm, hw);
	if (err >= 0)
		err = snd_pcm_hw_params_set_access(pcm, hw,
					     SND_PCM_ACCESS_RW_INTERLEAVED);
	if (err >= 0)
		err = snd_pcm_hw_params_set_format(pcm, hw, af);
	if (err >= 0)
		err = snd_pcm_hw_params_set_channels(pcm, hw, f->ch);
	if (err >= 0)
		err = snd_pcm_hw_params_set_rate(pcm, hw, f->rate, 0);

	return err;
}


static int set_sw(struct dpa_pcm *p)
{
	snd_pcm_sw_params_t *sw;
	int err;

	snd_pcm_sw_params_alloca(&sw);

	err = snd_pcm_sw_params_current(p->pcm, sw);
	if (err >= 0)
		err = snd_pcm_sw_params_set_avail_min(p->pcm, sw, p->chunk);
	/* playback starts by itself once the prefill is queued; capture
	 * is started explicitly */
	if (err >= 0)
		err = snd_pcm_sw_params_set_start_threshold(p->pcm, sw,
			p->dir == DPA_PLAYBACK ? p->prefill : p->buffer);
	if (err >= 0)
		err = snd_pcm_sw_params_set_stop_threshold(p->pcm, sw,
							   p->buffer);
	if (err >= 0)
		err = snd_pcm_sw_params(p->pcm, sw);

	return err;
}


int dpa_pcm_open(struct dpa_pcm *p, const char *name, enum dpa_dir dir,
		 const struct dpa_format *f, unsigned period,
		 unsigned buffer, unsigned chunk)
{
	snd_pcm_hw_params_t *hw;
	snd_pcm_uframes_t per = period, buf = buffer;
	int err;

	if (!p || !name || !*name || !f || !dpa_fmt_size(f->fmt) ||
	    !f->rate || !f->ch || !period || !chunk)
		return EINVAL;

	memset(p, 0, sizeof(*p));
	p->dir = dir;
	p->f = *f;
	p->frame_bytes = dpa_fmt_size(f->fmt) * f->ch;

	err = snd_pcm_open(&p->pcm, name, alsa_stream(dir), SND_PCM_NONBLOCK);
	if (err < 0) {
		p->pcm = NULL;
		return -err;
	}

	snd_pcm_hw_params_alloca(&hw);

	err = set_hw_format(p->pcm, hw, f);
	if (err >= 0)
		err = snd_pcm_hw_params_set_period_size_near(p->pcm, hw, &per,
							     NULL);
	if (err >= 0)
		err = snd_pcm_hw_params_set_buffer_size_near(p->pcm, hw, &buf);
	if (err >= 0)
		err = snd_pcm_hw_params(p->pcm, hw);
	if (err >= 0)
		err = snd_pcm_hw_params_get_period_size(hw, &per, NULL);
	if (err >= 0)
		err = snd_pcm_hw_params_get_buffer_size(hw, &buf);
	if (err < 0)
		goto out;

	p->period = (unsigned)per;
	p->buffer = (unsigned)buf;
	p->chunk  = chunk;
	if (p->chunk > p->buffer / 2)
		p->chunk = p->buffer / 2 ? p->buffer / 2 : 1;
	p->prefill = p->buffer > p->chunk ? p->buffer - p->chunk : 0;

	err = set_sw(p);

 out:
	if (err < 0) {
		snd_pcm_close(p->pcm);
		p->pcm = NULL;
		return -err;
	}

	return 0;
}


void dpa_pcm_close(struct dpa_pcm *p)
{
	if (!p || !p->pcm)
		return;

	(void)snd_pcm_drop(p->pcm);
	(void)snd_pcm_close(p->pcm);
	p->pcm = NULL;
}


static int write_silence(struct dpa_pcm *p, unsigned frames)
{
	static const uint8_t zero[4096];
	size_t per_write = sizeof(zero) / p->frame_bytes;

	while (frames > 0) {
		size_t n = frames < per_write ? frames : per_write, done;
		int err = dpa_pcm_write(p, zero, n, &done);

		if (err)
			return err;
		if (!done)
			return EAGAIN;

		frames -= (unsigned)done;
	}

	return 0;
}


int dpa_pcm_start(struct dpa_pcm *p)
{
	snd_pcm_sframes_t avail;
	int err;

	if (!p || !p->pcm)
		return EINVAL;

	if (p->dir == DPA_CAPTURE) {
		err = snd_pcm_start(p->pcm);
		if (err < 0)
			return -err;
	}
	else {
		/* an empty buffer takes the whole prefill without waiting */
		err = write_silence(p, p->prefill);
		if (err)
			return err;
	}

	/* A real device has produced next to nothing a moment after the
	 * start (or has the prefill still queued); a null device hands
	 * over, or swallows, a whole buffer at once. */
	avail = snd_pcm_avail(p->pcm);
	if (avail < 0)
		return (int)-avail;

	if (p->dir == DPA_CAPTURE)
		p->clockless = (unsigned)avail >= p->chunk;
	else
		p->clockless = (unsigned)avail >= p->buffer - p->chunk / 2;

	return 0;
}


int dpa_pcm_wait(struct dpa_pcm *p, int timeout_ms)
{
	if (!p || !p->pcm)
		return -EINVAL;

	return snd_pcm_wait(p->pcm, timeout_ms);
}


int dpa_pcm_read(struct dpa_pcm *p, void *buf, size_t frames, size_t *done)
{
	snd_pcm_sframes_t n;

	*done = 0;
	n = snd_pcm_readi(p->pcm, buf, frames);
	if (n < 0)
		return (int)-n;

	*done = (size_t)n;

	return 0;
}


int dpa_pcm_write(struct dpa_pcm *p, const void *buf, size_t frames,
		  size_t *done)
{
	snd_pcm_sframes_t n;

	*done = 0;
	n = snd_pcm_writei(p->pcm, buf, frames);
	if (n < 0)
		return (int)-n;

	*done = (size_t)n;

	return 0;
}


int dpa_pcm_recover(struct dpa_pcm *p, int err)
{
	int r;

	if (!p || !p->pcm)
		return EINVAL;

	r = snd_pcm_recover(p->pcm, -err, 1);
	if (r < 0)
		return -r;

	return dpa_pcm_start(p);
}


int dpa_pcm_probe(const char *name, enum dpa_dir dir,
		  const struct dpa_format *f)
{
	snd_local_error_handler_t prev;
	snd_pcm_hw_params_t *hw;
	snd_pcm_t *pcm;
	int err;

	if (!name || !*name || !f)
		return EINVAL;

	prev = dpa_alsa_quiet_begin();

	err = snd_pcm_open(&pcm, name, alsa_stream(dir), SND_PCM_NONBLOCK);
	if (err >= 0) {
		snd_pcm_hw_params_alloca(&hw);
		err = set_hw_format(pcm, hw, f);
		if (err >= 0)
			err = snd_pcm_hw_params(pcm, hw);
		snd_pcm_close(pcm);
	}

	dpa_alsa_quiet_end(prev);

	return err < 0 ? -err : 0;
}
