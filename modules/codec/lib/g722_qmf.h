/**
 * @file g722_qmf.h  The G.722 quadrature mirror filters, block by block
 *                   (internal)
 *
 * Neither filter depends on the ADPCM coders' state, so each runs over a
 * whole block: the analysis before the encoder's coders, the synthesis
 * after the decoder's.  The 24 coefficients h[0..23] come in pairs
 * (h[2j], h[2j + 1]), oldest sample first; every sum is exact in 32 bits
 * (32768 * sum |h| = 32768 * 12964 < 2^31), so any order of summing
 * gives the reference's result.
 *
 * Analysis, over a window w[0..23] of input samples: with
 * A = sum h[2j] w[2j] and B = sum h[2j + 1] w[2j + 1], the lower band is
 * (A + B) >> 14 and the higher (B - A) >> 14, both limited to 15 bits.
 * Synthesis, over the last twelve reconstructed pairs (rl, rh), oldest
 * first: the earlier output sample is sum h[2j + 1] (rl - rh) >> 11, the
 * later sum h[2j] (rl + rh) >> 11, both saturated to 16 bits.
 */
#ifndef DESKPHONE_G722_QMF_H
#define DESKPHONE_G722_QMF_H

#include <stddef.h>
#include <stdint.h>

/* X(h[2j], h[2j + 1], h[2j + 2], h[2j + 3]) for j = 0, 2, .. 10 */
#define G722_QMF_QUADS(X) \
	X(3, -11, -11, 53) X(12, -156, 32, 362) X(-210, -805, 951, 3876) \
	X(3876, 951, -805, -210) X(362, 32, -156, 12) X(53, -11, -11, 3)
#define G722_QMF_EVEN(a0, b0, a1, b1) a0, a1,
#define G722_QMF_ODD(a0, b0, a1, b1) b0, b1,

/* Octets coded per block, and the zeroed slack after a block's data that
 * the vector filters may read (they work four octets at a time). */
#define G722_BLOCK 160
#define G722_SLACK 16

static inline int32_t g722_qmf_clamp(int32_t v, int32_t lo, int32_t hi)
{
	return v < lo ? lo : (v > hi ? hi : v);
}

/*
 * Analysis of `n` octets: `in` holds 22 older samples and then 2n new
 * ones; `sub` receives n pairs (xl, xh).
 */
static inline void g722_qmf_analysis_c(const int16_t *restrict in,
				       int16_t *restrict sub, size_t n)
{
	static const int16_t he[12] = { G722_QMF_QUADS(G722_QMF_EVEN) };
	static const int16_t ho[12] = { G722_QMF_QUADS(G722_QMF_ODD) };

	for (size_t i = 0; i < n; i++) {
		const int16_t *w = in + 2 * i;
		int32_t a = 0, b = 0;

		for (int j = 0; j < 12; j++) {
			a += he[j] * w[2 * j];
			b += ho[j] * w[2 * j + 1];
		}
		/* the reference limits both sub-band signals to 15 bits */
		sub[2 * i] = (int16_t)g722_qmf_clamp((a + b) >> 14, -16384, 16383);
		sub[2 * i + 1] = (int16_t)g722_qmf_clamp((b - a) >> 14, -16384,
							 16383);
	}
}

/*
 * Synthesis of `n` octets: `r` holds 11 older pairs (rl, rh) and then n
 * new ones; `out` receives 2n samples.
 */
static inline void g722_qmf_synthesis_c(const int16_t *restrict r,
					int16_t *restrict out, size_t n)
{
	static const int16_t he[12] = { G722_QMF_QUADS(G722_QMF_EVEN) };
	static const int16_t ho[12] = { G722_QMF_QUADS(G722_QMF_ODD) };

	for (size_t i = 0; i < n; i++) {
		const int16_t *p = r + 2 * i;
		int32_t first = 0, second = 0;

		for (int j = 0; j < 12; j++) {
			/* rl and rh are 15-bit: sum and difference fit 16 */
			first += ho[j] * (p[2 * j] - p[2 * j + 1]);
			second += he[j] * (p[2 * j] + p[2 * j + 1]);
		}
		/* the reference's L_shl(.., 4) and extract_h: >> 11, saturated */
		out[2 * i] = (int16_t)g722_qmf_clamp(first >> 11, -32768, 32767);
		out[2 * i + 1] = (int16_t)g722_qmf_clamp(second >> 11, -32768,
							 32767);
	}
}

#endif
