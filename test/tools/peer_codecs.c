/**
 * @file peer_codecs.c  See peer_codecs.h
 */
#include <stdlib.h>
#include "peer_codecs.h"

struct peer {
	const struct peer_lib *lib;
	void *state;
};


struct peer *peer_open(const struct peer_lib *lib, enum peer_codec codec,
		       bool encoder)
{
	struct peer *p = calloc(1, sizeof(*p));

	if (!p)
		return NULL;
	p->lib = lib;
	p->state = lib->open(codec, encoder);
	if (!p->state) {
		free(p);
		return NULL;
	}

	return p;
}


void peer_close(struct peer *p)
{
	if (!p)
		return;
	p->lib->close(p->state);
	free(p);
}


int peer_encode(struct peer *p, uint8_t *out, const int16_t *in,
		size_t nsamples)
{
	return p->lib->encode(p->state, out, in, nsamples);
}


int peer_decode(struct peer *p, int16_t *out, const uint8_t *in,
		size_t noctets)
{
	return p->lib->decode(p->state, out, in, noctets);
}
