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
 * later sum h[2j] (rl + rh) >> 11, both saturated to 16 bits (rl and rh
 * are 15-bit, so every product may as well be taken apart:
 * h (rl - rh) = h rl - h rh).
 */
#ifndef DESKPHONE_G722_QMF_H
#define DESKPHONE_G722_QMF_H

#include <stddef.h>
#include <stdint.h>

/* X(h[2j], h[2j + 1], h[2j + 2], h[2j + 3]) for j = 0, 2, .. 10 */
#define G722_QMF_QUADS(X) \
	X(3, -11, -11, 53) X(12, -156, 32, 362) X(-210, -805, 951, 3876) \
	X(3876, 951, -805, -210) X(362, 32, -156, 12) X(53, -11, -11, 3)

/* Octets coded per block, and the zeroed slack after a block's data that
 * the vector filters may read (they work four or eight octets at a time,
 * each reading eleven more). */
#define G722_BLOCK 160
#define G722_SLACK 32

static inline int32_t g722_qmf_clamp(int32_t v, int32_t lo, int32_t hi)
{
	return v < lo ? lo : (v > hi ? hi : v);
}

/* the filters as four rows of 24 over their windows, oldest first */
#define G722_ROW_SUM(a0, b0, a1, b1) a0, b0, a1, b1,
#define G722_ROW_DIFF(a0, b0, a1, b1) -(a0), b0, -(a1), b1,
#define G722_ROW_FIRST(a0, b0, a1, b1) b0, -(b0), b1, -(b1),
#define G722_ROW_SECOND(a0, b0, a1, b1) a0, a0, a1, a1,

/* two dot products over a window of 24, in a form compilers vectorize */
static inline void g722_qmf_dot2(const int16_t *restrict w,
				 const int16_t *restrict c1,
				 const int16_t *restrict c2,
				 int32_t *s1, int32_t *s2)
{
	int32_t a = 0, b = 0;

	for (int i = 0; i < 24; i++) {
		a += c1[i] * w[i];
		b += c2[i] * w[i];
	}
	*s1 = a;
	*s2 = b;
}

/*
 * Analysis of `n` octets: `in` holds 22 older samples and then 2n new
 * ones; `sub` receives n pairs (xl, xh).
 */
static inline void g722_qmf_analysis_c(const int16_t *restrict in,
				       int16_t *restrict sub, size_t n)
{
	static const int16_t sum[24] = { G722_QMF_QUADS(G722_ROW_SUM) };
	static const int16_t diff[24] = { G722_QMF_QUADS(G722_ROW_DIFF) };

	for (size_t i = 0; i < n; i++) {
		int32_t lo, hi;

		g722_qmf_dot2(in + 2 * i, sum, diff, &lo, &hi);
		/* the reference limits both sub-band signals to 15 bits */
		sub[2 * i] = (int16_t)g722_qmf_clamp(lo >> 14, -16384, 16383);
		sub[2 * i + 1] = (int16_t)g722_qmf_clamp(hi >> 14, -16384, 16383);
	}
}

/*
 * Synthesis of `n` octets: `r` holds 11 older pairs (rl, rh) and then n
 * new ones; `out` receives 2n samples.
 */
static inline void g722_qmf_synthesis_c(const int16_t *restrict r,
					int16_t *restrict out, size_t n)
{
	static const int16_t first[24] = { G722_QMF_QUADS(G722_ROW_FIRST) };
	static const int16_t second[24] = { G722_QMF_QUADS(G722_ROW_SECOND) };

	for (size_t i = 0; i < n; i++) {
		int32_t f, s;

		g722_qmf_dot2(r + 2 * i, first, second, &f, &s);
		/* the reference's L_shl(.., 4) and extract_h: >> 11, saturated */
		out[2 * i] = (int16_t)g722_qmf_clamp(f >> 11, -32768, 32767);
		out[2 * i + 1] = (int16_t)g722_qmf_clamp(s >> 11, -32768, 32767);
	}
}

#undef G722_ROW_SUM
#undef G722_ROW_DIFF
#undef G722_ROW_FIRST
#undef G722_ROW_SECOND

#endif
