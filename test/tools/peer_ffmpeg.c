/**
 * @file peer_ffmpeg.c  FFmpeg's libavcodec G.711/G.722 behind
 *                      peer_codecs.h
 */
#include <stdlib.h>
#include <string.h>
#include <libavcodec/avcodec.h>
#include <libavutil/channel_layout.h>
#include "peer_codecs.h"

struct ffmpeg {
	AVCodecContext *ctx;
	AVFrame *frame;
	AVPacket *pkt;
	uint8_t *pktbuf;
};

enum { MAX_OCTETS = 4096 };


static enum AVCodecID av_id(enum peer_codec codec)
{
	switch (codec) {
	case PEER_G722: return AV_CODEC_ID_ADPCM_G722;
	case PEER_PCMU: return AV_CODEC_ID_PCM_MULAW;
	default:        return AV_CODEC_ID_PCM_ALAW;
	}
}


static void ffmpeg_close(void *state)
{
	struct ffmpeg *p = state;

	avcodec_free_context(&p->ctx);
	av_frame_free(&p->frame);
	av_packet_free(&p->pkt);
	av_free(p->pktbuf);
	free(p);
}


static void *ffmpeg_open(enum peer_codec codec, bool encoder)
{
	const AVCodec *c = encoder ? avcodec_find_encoder(av_id(codec))
				   : avcodec_find_decoder(av_id(codec));
	struct ffmpeg *p;

	if (!c)
		return NULL;
	p = calloc(1, sizeof(*p));
	if (!p)
		return NULL;
	p->ctx = avcodec_alloc_context3(c);
	p->frame = av_frame_alloc();
	p->pkt = av_packet_alloc();
	p->pktbuf = av_mallocz(MAX_OCTETS + AV_INPUT_BUFFER_PADDING_SIZE);
	if (!p->ctx || !p->frame || !p->pkt || !p->pktbuf)
		goto fail;

	p->ctx->sample_rate = codec == PEER_G722 ? 16000 : 8000;
	p->ctx->sample_fmt = AV_SAMPLE_FMT_S16;
	av_channel_layout_default(&p->ctx->ch_layout, 1);
	p->ctx->trellis = 0;
	if (avcodec_open2(p->ctx, c, NULL) < 0)
		goto fail;

	return p;
 fail:
	ffmpeg_close(p);
	return NULL;
}


static int ffmpeg_encode(void *state, uint8_t *out, const int16_t *in,
			 size_t nsamples)
{
	struct ffmpeg *p = state;
	int n;

	p->frame->nb_samples = (int)nsamples;
	p->frame->format = AV_SAMPLE_FMT_S16;
	if (av_channel_layout_copy(&p->frame->ch_layout, &p->ctx->ch_layout))
		return -1;
	if (!p->frame->data[0] && av_frame_get_buffer(p->frame, 0) < 0)
		return -1;
	if (av_frame_make_writable(p->frame) < 0)
		return -1;
	memcpy(p->frame->data[0], in, nsamples * sizeof(*in));

	if (avcodec_send_frame(p->ctx, p->frame) < 0 ||
	    avcodec_receive_packet(p->ctx, p->pkt) < 0)
		return -1;
	n = p->pkt->size;
	memcpy(out, p->pkt->data, (size_t)n);
	av_packet_unref(p->pkt);

	return n;
}


static int ffmpeg_decode(void *state, int16_t *out, const uint8_t *in,
			 size_t noctets)
{
	struct ffmpeg *p = state;
	int n;

	if (noctets > MAX_OCTETS)
		return -1;
	memcpy(p->pktbuf, in, noctets);
	p->pkt->data = p->pktbuf;
	p->pkt->size = (int)noctets;

	if (avcodec_send_packet(p->ctx, p->pkt) < 0 ||
	    avcodec_receive_frame(p->ctx, p->frame) < 0)
		return -1;
	n = p->frame->nb_samples;
	memcpy(out, p->frame->data[0], (size_t)n * sizeof(*out));
	av_frame_unref(p->frame);

	return n;
}


const struct peer_lib peer_ffmpeg = {
	"ffmpeg", ffmpeg_open, ffmpeg_close, ffmpeg_encode, ffmpeg_decode
};
