/**
 * @file peer_codecs.c  See peer_codecs.h
 */
#include <stdlib.h>
#include <string.h>
#include <libavcodec/avcodec.h>
#include <libavutil/channel_layout.h>
#include <spandsp.h>
#include <re.h>
#include <rem_g711.h>
#include "peer_codecs.h"

struct peer {
	enum peer_lib lib;
	enum peer_codec codec;
	bool encoder;
	AVCodecContext *ctx;
	AVFrame *frame;
	AVPacket *pkt;
	uint8_t *pktbuf;
	g722_encode_state_t *g722enc;
	g722_decode_state_t *g722dec;
	g711_state_t *g711;
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


static int open_ffmpeg(struct peer *p)
{
	const AVCodec *c = p->encoder ? avcodec_find_encoder(av_id(p->codec))
				      : avcodec_find_decoder(av_id(p->codec));

	if (!c)
		return -1;
	p->ctx = avcodec_alloc_context3(c);
	p->frame = av_frame_alloc();
	p->pkt = av_packet_alloc();
	p->pktbuf = av_mallocz(MAX_OCTETS + AV_INPUT_BUFFER_PADDING_SIZE);
	if (!p->ctx || !p->frame || !p->pkt || !p->pktbuf)
		return -1;

	p->ctx->sample_rate = p->codec == PEER_G722 ? 16000 : 8000;
	p->ctx->sample_fmt = AV_SAMPLE_FMT_S16;
	av_channel_layout_default(&p->ctx->ch_layout, 1);
	p->ctx->trellis = 0;
	if (avcodec_open2(p->ctx, c, NULL) < 0)
		return -1;

	return 0;
}


struct peer *peer_open(enum peer_lib lib, enum peer_codec codec,
		       bool encoder)
{
	struct peer *p = calloc(1, sizeof(*p));
	int err = 0;

	if (!p)
		return NULL;
	p->lib = lib;
	p->codec = codec;
	p->encoder = encoder;

	switch (lib) {
	case PEER_FFMPEG:
		err = open_ffmpeg(p);
		break;
	case PEER_SPANDSP:
		if (codec == PEER_G722 && encoder)
			err = !(p->g722enc = g722_encode_init(NULL, 64000, 0));
		else if (codec == PEER_G722)
			err = !(p->g722dec = g722_decode_init(NULL, 64000, 0));
		else
			err = !(p->g711 = g711_init(NULL, codec == PEER_PCMU
						    ? G711_ULAW : G711_ALAW));
		break;
	case PEER_LIBREM:
		err = codec == PEER_G722;
		break;
	}

	if (err) {
		peer_close(p);
		return NULL;
	}

	return p;
}


void peer_close(struct peer *p)
{
	if (!p)
		return;
	avcodec_free_context(&p->ctx);
	av_frame_free(&p->frame);
	av_packet_free(&p->pkt);
	av_free(p->pktbuf);
	if (p->g722enc)
		g722_encode_free(p->g722enc);
	if (p->g722dec)
		g722_decode_free(p->g722dec);
	if (p->g711)
		g711_free(p->g711);
	free(p);
}


static int ffmpeg_encode(struct peer *p, uint8_t *out, const int16_t *in,
			 size_t nsamples)
{
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


static int ffmpeg_decode(struct peer *p, int16_t *out, const uint8_t *in,
			 size_t noctets)
{
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


int peer_encode(struct peer *p, uint8_t *out, const int16_t *in,
		size_t nsamples)
{
	size_t i;

	switch (p->lib) {
	case PEER_FFMPEG:
		return ffmpeg_encode(p, out, in, nsamples);
	case PEER_SPANDSP:
		if (p->codec == PEER_G722)
			return g722_encode(p->g722enc, out, in, (int)nsamples);
		return g711_encode(p->g711, out, in, (int)nsamples);
	case PEER_LIBREM:
		/* as baresip's stock g711 module runs it */
		for (i = 0; i < nsamples; i++)
			out[i] = p->codec == PEER_PCMU ? g711_pcm2ulaw(in[i])
						       : g711_pcm2alaw(in[i]);
		return (int)nsamples;
	}

	return -1;
}


int peer_decode(struct peer *p, int16_t *out, const uint8_t *in,
		size_t noctets)
{
	size_t i;

	switch (p->lib) {
	case PEER_FFMPEG:
		return ffmpeg_decode(p, out, in, noctets);
	case PEER_SPANDSP:
		if (p->codec == PEER_G722)
			return g722_decode(p->g722dec, out, in, (int)noctets);
		return g711_decode(p->g711, out, in, (int)noctets);
	case PEER_LIBREM:
		for (i = 0; i < noctets; i++)
			out[i] = p->codec == PEER_PCMU ? g711_ulaw2pcm(in[i])
						       : g711_alaw2pcm(in[i]);
		return (int)noctets;
	}

	return -1;
}
