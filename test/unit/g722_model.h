/**
 * @file g722_model.h  A second G.722, written block by block from the
 *                     Recommendation's 16-bit description, for tests only
 *
 * Every block of G.722 section 6 is a function here, every addition
 * saturates, every product is the 16-bit "mult" (a * b >> 15), tables
 * are in the Recommendation's own form (magnitudes and sign tables).  It
 * is slow and obvious; the library's fast code must agree with it on any
 * input, including the loud ones where saturation decides.
 */
#ifndef DESKPHONE_G722_MODEL_H
#define DESKPHONE_G722_MODEL_H

#include <stddef.h>
#include <stdint.h>

struct g722_model_band {
	int a[3], b[7], d[7], p[3], r[3];
	int det, nb, s, sp, sz;
};

struct g722_model {
	struct g722_model_band lo, hi;
	int tx[24], rx[24];   /* QMF delay lines, [0] newest */
	int mode;
};

void g722_model_reset(struct g722_model *m, int mode);
unsigned g722_model_encode_subbands(struct g722_model *m, int xl, int xh);
void g722_model_decode_subbands(struct g722_model *m, unsigned code,
				int *rl, int *rh);
void g722_model_encode(struct g722_model *m, uint8_t *dst,
		       const int16_t *src, size_t nsamples);
void g722_model_decode(struct g722_model *m, int16_t *dst,
		       const uint8_t *src, size_t noctets);

#endif
