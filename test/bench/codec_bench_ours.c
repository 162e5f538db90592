/**
 * @file codec_bench_ours.c  dp-codec-bench-ours measures our coders
 *                           (dpaucodec), behind the same interface as
 *                           the other libraries'
 */
#include <stdlib.h>
#include "modules/codec/lib/g711.h"
#include "modules/codec/lib/g722.h"
#include "codec_bench.h"

struct ours {
	enum peer_codec codec;
	struct dp_g722_encoder enc;
	struct dp_g722_decoder dec;
};


static void *ours_open(enum peer_codec codec, bool encoder)
{
	struct ours *p = calloc(1, sizeof(*p));

	(void)encoder;
	if (!p)
		return NULL;
	p->codec = codec;
	dp_g722_encoder_init(&p->enc);
	if (dp_g722_decoder_init(&p->dec, 1)) {
		free(p);
		return NULL;
	}

	return p;
}


static void ours_close(void *state)
{
	free(state);
}


static int ours_encode(void *state, uint8_t *out, const int16_t *in,
		       size_t nsamples)
{
	struct ours *p = state;

	switch (p->codec) {
	case PEER_G722:
		return (int)dp_g722_encode(&p->enc, out, in, nsamples);
	case PEER_PCMU:
		dp_pcmu_encode(out, in, nsamples);
		break;
	case PEER_PCMA:
		dp_pcma_encode(out, in, nsamples);
		break;
	}

	return (int)nsamples;
}


static int ours_decode(void *state, int16_t *out, const uint8_t *in,
		       size_t noctets)
{
	struct ours *p = state;

	switch (p->codec) {
	case PEER_G722:
		return (int)dp_g722_decode(&p->dec, out, in, noctets);
	case PEER_PCMU:
		dp_pcmu_decode(out, in, noctets);
		break;
	case PEER_PCMA:
		dp_pcma_decode(out, in, noctets);
		break;
	}

	return (int)noctets;
}


static const struct peer_lib peer_ours = {
	"ours", ours_open, ours_close, ours_encode, ours_decode
};

const struct peer_lib *const bench_lib = &peer_ours;
