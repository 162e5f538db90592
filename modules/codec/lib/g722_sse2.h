/**
 * @file g722_sse2.h  The G.722 coders with both sub-bands in one SSE2
 *                    register (internal)
 *
 * The adaptive predictors of the two bands do the same arithmetic with
 * different numbers, so here each predictor value lives in a 16-bit lane
 * of one register (lane 0 the lower band, lane 1 the higher): one
 * instruction updates both.  Every value involved fits 16 bits (see
 * g722_adpcm.h for the bounds), and the reference's saturating 16-bit
 * additions are the saturating lane additions of SSE2 (paddsw); its
 * clamps are pmaxsw/pminsw.  The quantizers and the scale factors stay
 * scalar.  Everything is exact integer arithmetic: the results are
 * bit-exact with the portable code in g722_adpcm.h, which the unit
 * tests check on loud signals and random streams.
 *
 * The zero sections keep one register per band: six taps in lanes 0..5,
 * lanes 6 and 7 spare with b = 0.
 */
#ifndef DESKPHONE_G722_SSE2_H
#define DESKPHONE_G722_SSE2_H

#include <emmintrin.h>
#include "g722_adpcm.h"

/* Both bands' predictor state, in registers while a buffer is coded
 * (the per-octet functions below are forced inline so that it can be). */
struct g722_vec {
	__m128i s, sz, a1, a2, r1x, sg1, sg2;   /* lanes 0 (low) and 1 (high) */
	/* the zero sections stay in the band states: x86-64 has too few
	 * registers to hold them too, and spilling costs more than this */
	int16_t *dl, *bl, *dh, *bh;
	int32_t detl, deth, nbl, nbh;           /* scale factors, scalar */
};

static inline __m128i g722_pair(int32_t low, int32_t high)
{
	return _mm_cvtsi32_si128((int32_t)(((uint32_t)high << 16) |
					   ((uint32_t)low & 0xffff)));
}

static inline void g722_vec_load(struct g722_vec *v,
				 struct dp_g722_band *lo,
				 struct dp_g722_band *hi)
{
	v->s = g722_pair(lo->s, hi->s);
	v->sz = g722_pair(lo->sz, hi->sz);
	v->a1 = g722_pair(lo->a1, hi->a1);
	v->a2 = g722_pair(lo->a2, hi->a2);
	v->r1x = g722_pair(lo->r1x, hi->r1x);
	v->sg1 = g722_pair(lo->sg1, hi->sg1);
	v->sg2 = g722_pair(lo->sg2, hi->sg2);
	v->dl = (int16_t *)lo->d;
	v->bl = (int16_t *)lo->b;
	v->dh = (int16_t *)hi->d;
	v->bh = (int16_t *)hi->b;
	v->detl = lo->det;
	v->deth = hi->det;
	v->nbl = lo->nb;
	v->nbh = hi->nb;
}

static inline void g722_unpair(__m128i x, int32_t *low, int32_t *high)
{
	int32_t w = _mm_cvtsi128_si32(x);

	*low = (int16_t)w;
	*high = w >> 16;
}

static inline void g722_vec_store(const struct g722_vec *v,
				  struct dp_g722_band *lo,
				  struct dp_g722_band *hi)
{
	g722_unpair(v->s, &lo->s, &hi->s);
	g722_unpair(v->sz, &lo->sz, &hi->sz);
	g722_unpair(v->a1, &lo->a1, &hi->a1);
	g722_unpair(v->a2, &lo->a2, &hi->a2);
	g722_unpair(v->r1x, &lo->r1x, &hi->r1x);
	g722_unpair(v->sg1, &lo->sg1, &hi->sg1);
	g722_unpair(v->sg2, &lo->sg2, &hi->sg2);
	lo->det = v->detl;
	hi->det = v->deth;
	lo->nb = v->nbl;
	hi->nb = v->nbh;
}

/* x * y >> 15 for 16-bit lanes whose result fits 16 bits: the high
 * product doubled plus the top bit of the low product. */
__attribute__((always_inline))
static inline __m128i g722_mul15(__m128i x, __m128i y)
{
	__m128i hi = _mm_mulhi_epi16(x, y);

	return _mm_add_epi16(_mm_add_epi16(hi, hi),
			     _mm_srli_epi16(_mm_mullo_epi16(x, y), 15));
}

/*
 * UPZERO for one band, then its six FILTEZ terms (d * b >> 14, exact in
 * 16 bits since |term| <= 20456: the high product times four plus the
 * low product's top two bits).
 */
__attribute__((always_inline))
static inline __m128i g722_zero_terms(int16_t *dp, int16_t *bp, int32_t dq)
{
	static const _Alignas(16) int16_t taps[8] = {
		-1, -1, -1, -1, -1, -1, 0, 0
	};
	const __m128i vdq = _mm_set1_epi16((int16_t)dq);
	const __m128i zero = _mm_setzero_si128();
	const __m128i d = _mm_load_si128((const __m128i *)dp);
	const __m128i b = _mm_load_si128((const __m128i *)bp);
	__m128i same, step, leak, nb, nd;

	same = _mm_cmpeq_epi16(_mm_srai_epi16(d, 15), _mm_srai_epi16(vdq, 15));
	step = _mm_sub_epi16(_mm_and_si128(same, _mm_set1_epi16(256)),
			     _mm_set1_epi16(128));
	/* no step in the spare lanes, nor when dq is 0 */
	step = _mm_andnot_si128(_mm_cmpeq_epi16(vdq, zero),
				_mm_and_si128(step, _mm_load_si128(
					(const __m128i *)taps)));
	/* B * 32640 >> 15: unsigned high product with 0xFF00, less 256 for b < 0 */
	leak = _mm_mulhi_epu16(b, _mm_set1_epi16((int16_t)0xff00));
	leak = _mm_sub_epi16(leak, _mm_slli_epi16(_mm_srai_epi16(b, 15), 8));
	nb = _mm_add_epi16(leak, step);
	nd = _mm_insert_epi16(_mm_slli_si128(d, 2), dq, 0);
	_mm_store_si128((__m128i *)bp, nb);
	_mm_store_si128((__m128i *)dp, nd);

	return _mm_add_epi16(_mm_slli_epi16(_mm_mulhi_epi16(nd, nb), 2),
			     _mm_srli_epi16(_mm_mullo_epi16(nd, nb), 14));
}

/* The reference's sum of one band's terms, oldest first, saturating. */
static inline int32_t g722_terms_sum_slow(__m128i t)
{
	_Alignas(16) int16_t v[8];
	int32_t sum;

	_mm_store_si128((__m128i *)v, t);
	sum = v[5];
	for (int i = 4; i >= 0; i--)
		sum = g722_sat16(sum + v[i]);
	return sum;
}

/*
 * FILTEZ for both bands: the new SZ pair in lanes 0 and 1.  When the
 * magnitudes of a band's terms add up to no more than 32767, no partial
 * sum in any order can leave 16 bits and the plain sum is the
 * reference's saturating one; otherwise that band is summed the slow way.
 */
__attribute__((always_inline))
static inline __m128i g722_filtez2(__m128i tl, __m128i th)
{
	const __m128i zero = _mm_setzero_si128();
	__m128i s, a, al, ah;
	int32_t szl, szh;

	s = _mm_add_epi16(_mm_unpacklo_epi16(tl, th), _mm_unpackhi_epi16(tl, th));
	s = _mm_add_epi16(s, _mm_srli_si128(s, 8));
	s = _mm_add_epi16(s, _mm_srli_si128(s, 4));

	al = _mm_max_epi16(tl, _mm_sub_epi16(zero, tl));
	ah = _mm_max_epi16(th, _mm_sub_epi16(zero, th));
	a = _mm_adds_epu16(_mm_unpacklo_epi16(al, ah), _mm_unpackhi_epi16(al, ah));
	a = _mm_adds_epu16(a, _mm_srli_si128(a, 8));
	a = _mm_adds_epu16(a, _mm_srli_si128(a, 4));

	/* the top bits of lanes 0 and 1: a sum of magnitudes over 32767 */
	if (!(_mm_movemask_epi8(a) & 0x0a))
		return s;

	g722_unpair(s, &szl, &szh);
	if (_mm_movemask_epi8(a) & 0x02)
		szl = g722_terms_sum_slow(tl);
	if (_mm_movemask_epi8(a) & 0x08)
		szh = g722_terms_sum_slow(th);
	return g722_pair(szl, szh);
}

/*
 * Both predictors after the quantized differences dql and dqh (PARREC,
 * RECONS, UPZERO, FILTEZ, UPPOL2, UPPOL1, FILTEP, PREDIC).
 */
__attribute__((always_inline))
static inline void g722_vec_update(struct g722_vec *v, int32_t dql,
				   int32_t dqh)
{
	const __m128i dq = g722_pair(dql, dqh);
	const __m128i sg0 = _mm_srai_epi16(_mm_adds_epi16(dq, v->sz), 15);
	const __m128i r = _mm_adds_epi16(v->s, dq);
	const __m128i r0x = _mm_adds_epi16(r, r);
	const __m128i m1 = _mm_cmpeq_epi16(sg0, v->sg1);   /* -1: same sign */
	const __m128i m2 = _mm_cmpeq_epi16(sg0, v->sg2);
	__m128i tl, th, wd2, a1, a2, lim, sp;

	tl = g722_zero_terms(v->dl, v->bl, dql);
	th = g722_zero_terms(v->dh, v->bh, dqh);
	v->sz = g722_filtez2(tl, th);

	/* UPPOL2: clamp(+-A1 >> 5, -256, 255) + (+-128) + A2 * 32512 >> 15 */
	wd2 = _mm_srai_epi16(_mm_sub_epi16(_mm_xor_si128(v->a1, m1), m1), 5);
	wd2 = _mm_min_epi16(_mm_max_epi16(wd2, _mm_set1_epi16(-256)),
			    _mm_set1_epi16(255));
	a2 = _mm_add_epi16(v->a2, _mm_srai_epi16(_mm_sub_epi16(
		_mm_setzero_si128(), v->a2), 7));          /* A2 * 32512 >> 15 */
	a2 = _mm_add_epi16(a2, wd2);
	a2 = _mm_add_epi16(a2, _mm_sub_epi16(_mm_and_si128(m2,
		_mm_set1_epi16(256)), _mm_set1_epi16(128)));
	a2 = _mm_min_epi16(_mm_max_epi16(a2, _mm_set1_epi16(-12288)),
			   _mm_set1_epi16(12288));

	/* UPPOL1: A1 * 32640 >> 15 + (+-192), within +-(15360 - A2) */
	a1 = _mm_add_epi16(v->a1, _mm_srai_epi16(_mm_sub_epi16(
		_mm_setzero_si128(), v->a1), 8));          /* A1 * 32640 >> 15 */
	a1 = _mm_add_epi16(a1, _mm_sub_epi16(_mm_and_si128(m1,
		_mm_set1_epi16(384)), _mm_set1_epi16(192)));
	lim = _mm_sub_epi16(_mm_set1_epi16(15360), a2);
	a1 = _mm_min_epi16(a1, lim);
	a1 = _mm_max_epi16(a1, _mm_sub_epi16(_mm_setzero_si128(), lim));

	/* FILTEP, PREDIC */
	sp = _mm_adds_epi16(g722_mul15(a1, r0x), g722_mul15(a2, v->r1x));
	v->s = _mm_adds_epi16(sp, v->sz);

	v->a1 = a1;
	v->a2 = a2;
	v->r1x = r0x;
	v->sg2 = v->sg1;
	v->sg1 = sg0;
}

/*
 * QUANTL with all decision levels at once: level k is
 * Q6[k] * DET >> 12 = (8 * Q6[k]) * (2 * DET) >> 16, an unsigned high
 * product (8 * Q6 <= 23352, 2 * DET <= 32768).  The levels rise with k,
 * so the interval is the first k (1..29) whose level exceeds wd, or 30.
 * `wd` holds the magnitude in lane 0.
 */
static inline unsigned g722_vec_quantl(__m128i wd, int32_t det, int negative)
{
	static const _Alignas(16) uint16_t q6x8[32] = {
		0, 280, 576, 880, 1200, 1520, 1864, 2208,
		2584, 2960, 3376, 3784, 4240, 4696, 5200, 5712,
		6288, 6864, 7520, 8184, 8968, 9752, 10712, 11664,
		12896, 14120, 15840, 17560, 20456, 23352, 0, 0
	};
	const __m128i *q = (const __m128i *)q6x8;
	const __m128i w = _mm_shuffle_epi32(_mm_shufflelo_epi16(wd, 0), 0);
	const __m128i d2 = _mm_set1_epi16((int16_t)(2 * det));
	__m128i m0, m1, m2, m3;
	uint32_t above;

	m0 = _mm_cmpgt_epi16(_mm_mulhi_epu16(_mm_load_si128(q), d2), w);
	m1 = _mm_cmpgt_epi16(_mm_mulhi_epu16(_mm_load_si128(q + 1), d2), w);
	m2 = _mm_cmpgt_epi16(_mm_mulhi_epu16(_mm_load_si128(q + 2), d2), w);
	m3 = _mm_cmpgt_epi16(_mm_mulhi_epu16(_mm_load_si128(q + 3), d2), w);
	/* bit k: level k above wd; 30 and 31 count as above */
	above = (uint32_t)_mm_movemask_epi8(_mm_packs_epi16(m0, m1)) |
		(uint32_t)_mm_movemask_epi8(_mm_packs_epi16(m2, m3)) << 16 |
		0xc0000000u;

	return negative ? g722_iln[__builtin_ctz(above)]
			: g722_ilp[__builtin_ctz(above)];
}

/* One octet from the sub-band pair x = [xl, xh] (15-bit each). */
__attribute__((always_inline))
static inline unsigned g722_vec_encode(struct g722_vec *v, __m128i x)
{
	const __m128i e = _mm_subs_epi16(x, v->s);           /* SUBTRA */
	const __m128i wd = _mm_xor_si128(e, _mm_srai_epi16(e, 15));
	const int32_t w = _mm_cvtsi128_si32(wd);
	const int sign = _mm_movemask_epi8(e);
	const int32_t detl = v->detl, deth = v->deth;
	unsigned il, ih, ril;

	il = g722_vec_quantl(wd, detl, sign & 0x02);
	ih = g722_quanth((sign & 0x08) ? -1 : 0, (int32_t)((uint32_t)w >> 16),
			 deth);
	ril = il >> 2;

	v->nbl = g722_low_nb(v->nbl, ril);
	v->detl = g722_scale(v->nbl, 1);
	v->nbh = g722_high_nb(v->nbh, ih);
	v->deth = g722_scale(v->nbh, 0);
	g722_vec_update(v, (detl * g722_qm4[ril]) >> 15,
			(deth * g722_qm2[ih]) >> 15);

	return ih << 6 | il;
}

/* One octet to the reconstructed sub-band pair. */
__attribute__((always_inline))
static inline void g722_vec_decode(struct g722_vec *v, unsigned code,
				   const int16_t *qm, unsigned shift,
				   int32_t *rl, int32_t *rh)
{
	const unsigned il = code & 0x3f, ih = code >> 6, ril = il >> 2;
	const int32_t detl = v->detl, deth = v->deth;
	const int32_t dqh = (deth * g722_qm2[ih]) >> 15;
	int32_t sl, sh;

	g722_unpair(v->s, &sl, &sh);
	*rl = g722_clamp(sl + ((detl * qm[il >> shift]) >> 15), -16384, 16383);
	*rh = g722_clamp(sh + dqh, -16384, 16383);

	v->nbl = g722_low_nb(v->nbl, ril);
	v->detl = g722_scale(v->nbl, 1);
	v->nbh = g722_high_nb(v->nbh, ih);
	v->deth = g722_scale(v->nbh, 0);
	g722_vec_update(v, (detl * g722_qm4[ril]) >> 15, dqh);
}

#endif
