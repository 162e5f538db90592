/**
 * @file peer_spandsp.c  spandsp's G.711/G.722 behind peer_codecs.h
 */
#include <stdlib.h>
#include <spandsp.h>
#include "peer_codecs.h"

struct spandsp {
	enum peer_codec codec;
	g722_encode_state_t *g722enc;
	g722_decode_state_t *g722dec;
	g711_state_t *g711;
};


static void spandsp_close(void *state)
{
	struct spandsp *p = state;

	if (p->g722enc)
		g722_encode_free(p->g722enc);
	if (p->g722dec)
		g722_decode_free(p->g722dec);
	if (p->g711)
		g711_free(p->g711);
	free(p);
}


static void *spandsp_open(enum peer_codec codec, bool encoder)
{
	struct spandsp *p = calloc(1, sizeof(*p));
	bool ok;

	if (!p)
		return NULL;
	p->codec = codec;
	if (codec == PEER_G722 && encoder)
		ok = (p->g722enc = g722_encode_init(NULL, 64000, 0)) != NULL;
	else if (codec == PEER_G722)
		ok = (p->g722dec = g722_decode_init(NULL, 64000, 0)) != NULL;
	else
		ok = (p->g711 = g711_init(NULL, codec == PEER_PCMU
					  ? G711_ULAW : G711_ALAW)) != NULL;
	if (!ok) {
		spandsp_close(p);
		return NULL;
	}

	return p;
}


static int spandsp_encode(void *state, uint8_t *out, const int16_t *in,
			  size_t nsamples)
{
	struct spandsp *p = state;

	if (p->codec == PEER_G722)
		return g722_encode(p->g722enc, out, in, (int)nsamples);
	return g711_encode(p->g711, out, in, (int)nsamples);
}


static int spandsp_decode(void *state, int16_t *out, const uint8_t *in,
			  size_t noctets)
{
	struct spandsp *p = state;

	if (p->codec == PEER_G722)
		return g722_decode(p->g722dec, out, in, (int)noctets);
	return g711_decode(p->g711, out, in, (int)noctets);
}


const struct peer_lib peer_spandsp = {
	"spandsp", spandsp_open, spandsp_close, spandsp_encode, spandsp_decode
};
