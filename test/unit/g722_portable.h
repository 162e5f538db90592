/**
 * @file g722_portable.h  The library's portable-C G.722 under other
 *                        names (g722_portable.c), so that a test can run
 *                        it beside the build's own (SSE2 on x86-64)
 */
#ifndef DESKPHONE_G722_PORTABLE_H
#define DESKPHONE_G722_PORTABLE_H

#include "modules/codec/lib/g722.h"

void g722p_encoder_init(struct dp_g722_encoder *enc);
size_t g722p_encode(struct dp_g722_encoder *enc, uint8_t *dst,
		    const int16_t *src, size_t nsamples);
int g722p_decoder_init(struct dp_g722_decoder *dec, int mode);
size_t g722p_decode(struct dp_g722_decoder *dec, int16_t *dst,
		    const uint8_t *src, size_t noctets);
uint8_t g722p_encode_subbands(struct dp_g722_encoder *enc, int xl, int xh);
void g722p_decode_subbands(struct dp_g722_decoder *dec, uint8_t code,
			   int *rl, int *rh);
const char *g722p_kernel(void);

#endif
