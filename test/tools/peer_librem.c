/**
 * @file peer_librem.c  librem's G.711 behind peer_codecs.h, run as
 *                      baresip's stock g711 module runs it
 */
#include <stdlib.h>
#include <re.h>
#include <rem_g711.h>
#include "peer_codecs.h"

struct librem {
	enum peer_codec codec;
};


static void *librem_open(enum peer_codec codec, bool encoder)
{
	struct librem *p;

	(void)encoder;
	if (codec == PEER_G722)
		return NULL;
	p = calloc(1, sizeof(*p));
	if (p)
		p->codec = codec;

	return p;
}


static void librem_close(void *state)
{
	free(state);
}


static int librem_encode(void *state, uint8_t *out, const int16_t *in,
			 size_t nsamples)
{
	const struct librem *p = state;

	for (size_t i = 0; i < nsamples; i++)
		out[i] = p->codec == PEER_PCMU ? g711_pcm2ulaw(in[i])
					       : g711_pcm2alaw(in[i]);
	return (int)nsamples;
}


static int librem_decode(void *state, int16_t *out, const uint8_t *in,
			 size_t noctets)
{
	const struct librem *p = state;

	for (size_t i = 0; i < noctets; i++)
		out[i] = p->codec == PEER_PCMU ? g711_ulaw2pcm(in[i])
					       : g711_alaw2pcm(in[i]);
	return (int)noctets;
}


const struct peer_lib peer_librem = {
	"librem", librem_open, librem_close, librem_encode, librem_decode
};
