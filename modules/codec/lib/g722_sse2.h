/**
 * @file g722_sse2.h  The G.722 coders with both sub-bands in SSE2
 *                    registers, and the QMF four octets at a time
 *                    (internal)
 *
 * The adaptive predictors of the two bands do the same arithmetic with
 * different numbers, so each predictor value lives in a pair of 16-bit
 * lanes, the lower band below the higher: one instruction updates both.
 * Registers hold two or four such pairs: [S, SZ], [A1, A2], [R0X, R1X],
 * [SG1, SG2]; the zero sections D1 = [d0, d1, d2, d3], B1 = [b0, .. b3]
 * and DB2 = [d4, d5, b4, b5].  Lanes that carry nothing hold whatever
 * the instructions leave there and are never moved into lanes that do.
 *
 * Every value fits 16 bits (bounds in g722_adpcm.h); the reference's
 * saturating additions are paddsw, its clamps pmaxsw/pminsw, and its
 * products x * y >> 15 are taken apart exactly: a multiplication by
 * 32640 / 32768 is x + (x * -256 >> 16), and so on.  The results are
 * bit-exact with the portable coder, which the unit tests check.
 *
 * An octet's consequences (inverse quantizer levels, scale-factor steps)
 * come from one 16-byte row of dp_g722_code, multiplied by DET with one
 * pmaddwd; the lower-band quantizer compares with all 29 decision levels
 * at once, the higher-band one riding in a spare lane.
 */
#ifndef DESKPHONE_G722_SSE2_H
#define DESKPHONE_G722_SSE2_H

#include <emmintrin.h>
#include <string.h>
#include "g722_adpcm.h"
#include "g722_qmf.h"

struct g722_vec {
	__m128i d1, b1, db2;      /* zero sections */
	__m128i ss;               /* S, SZ */
	__m128i a;                /* A1, A2 */
	__m128i r;                /* R1X (then R0X, R1X while updating) */
	__m128i sg;               /* SG1, SG2: signs of the last two P */
	__m128i nb;               /* NB */
	__m128i det;              /* DET as 32-bit lanes: low, high, low, high */
};

#define G722_K16(v) _mm_set1_epi16((int16_t)(v))

static inline __m128i g722_pair(int32_t low, int32_t high)
{
	return _mm_cvtsi32_si128((int32_t)(((uint32_t)high << 16) |
					   ((uint32_t)low & 0xffff)));
}

static inline void g722_unpair(__m128i x, int32_t *low, int32_t *high)
{
	int32_t w = _mm_cvtsi128_si32(x);

	*low = (int16_t)w;
	*high = w >> 16;
}

/* DET of both bands from the NB pair (SCALEL, SCALEH) */
__attribute__((always_inline))
static inline __m128i g722_vec_det(__m128i nb)
{
	const uint32_t idx = (uint32_t)_mm_cvtsi128_si32(_mm_srli_epi16(nb, 6));
	__m128i det;

	det = _mm_cvtsi32_si128((uint16_t)dp_g722_det[64 + (idx & 0xffff)]);
	det = _mm_insert_epi16(det, (uint16_t)dp_g722_det[idx >> 16], 2);
	return _mm_shuffle_epi32(det, 0x44);
}

static inline void g722_vec_load(struct g722_vec *v,
				 const struct dp_g722_band *lo,
				 const struct dp_g722_band *hi)
{
	const __m128i dl = _mm_load_si128((const __m128i *)lo->d);
	const __m128i dh = _mm_load_si128((const __m128i *)hi->d);
	const __m128i bl = _mm_load_si128((const __m128i *)lo->b);
	const __m128i bh = _mm_load_si128((const __m128i *)hi->b);

	v->d1 = _mm_unpacklo_epi16(dl, dh);
	v->b1 = _mm_unpacklo_epi16(bl, bh);
	v->db2 = _mm_unpacklo_epi64(_mm_unpackhi_epi16(dl, dh),
				    _mm_unpackhi_epi16(bl, bh));
	v->ss = _mm_unpacklo_epi32(g722_pair(lo->s, hi->s),
				   g722_pair(lo->sz, hi->sz));
	v->a = _mm_unpacklo_epi32(g722_pair(lo->a1, hi->a1),
				  g722_pair(lo->a2, hi->a2));
	v->r = g722_pair(lo->r1x, hi->r1x);
	v->sg = _mm_unpacklo_epi32(g722_pair(lo->sg1, hi->sg1),
				   g722_pair(lo->sg2, hi->sg2));
	v->nb = g722_pair(lo->nb, hi->nb);
	v->det = g722_vec_det(v->nb);
}

static inline void g722_vec_store(const struct g722_vec *v,
				  struct dp_g722_band *lo,
				  struct dp_g722_band *hi)
{
	_Alignas(16) int16_t d[16], b[8];

	_mm_store_si128((__m128i *)d, v->d1);
	_mm_store_si128((__m128i *)(d + 8), v->db2);
	_mm_store_si128((__m128i *)b, v->b1);
	for (int i = 0; i < 4; i++) {
		lo->b[i] = b[2 * i];
		hi->b[i] = b[2 * i + 1];
	}
	for (int i = 0; i < 6; i++) {
		lo->d[i] = d[2 * i];
		hi->d[i] = d[2 * i + 1];
	}
	lo->b[4] = d[12];
	hi->b[4] = d[13];
	lo->b[5] = d[14];
	hi->b[5] = d[15];
	g722_unpair(v->ss, &lo->s, &hi->s);
	g722_unpair(_mm_srli_si128(v->ss, 4), &lo->sz, &hi->sz);
	g722_unpair(v->a, &lo->a1, &hi->a1);
	g722_unpair(_mm_srli_si128(v->a, 4), &lo->a2, &hi->a2);
	g722_unpair(v->r, &lo->r1x, &hi->r1x);
	g722_unpair(v->sg, &lo->sg1, &hi->sg1);
	g722_unpair(_mm_srli_si128(v->sg, 4), &lo->sg2, &hi->sg2);
	g722_unpair(v->nb, &lo->nb, &hi->nb);
	lo->det = _mm_cvtsi128_si32(v->det);
	hi->det = _mm_cvtsi128_si32(_mm_srli_si128(v->det, 4));
}

/*
 * The four products of a code row with DET, >> 15, as 16-bit lanes (and
 * again in lanes 4-7): the lower
 * band's output level, the higher band's, the lower band's 4-bit level
 * and the higher band's again (dp_g722_code).  |DET * level| >> 15 fits
 * 16 bits: DET <= 16384, |level| <= 24808.
 */
__attribute__((always_inline))
static inline __m128i g722_vec_levels(const struct g722_vec *v, __m128i row)
{
	__m128i p = _mm_srai_epi32(_mm_madd_epi16(row, v->det), 15);

	return _mm_packs_epi32(p, p);
}

/*
 * LOGSCL, LOGSCH, SCALEL, SCALEH after an octet, whose steps are the odd
 * lanes 1 and 3 of its code row: NB * 32512 >> 15 is NB + (NB * -512 >> 16).
 */
__attribute__((always_inline))
static inline void g722_vec_scale(struct g722_vec *v, __m128i row)
{
	static const _Alignas(16) int16_t nbmax[8] = {
		18432, 22528, 0, 0, 0, 0, 0, 0
	};
	__m128i nb = v->nb;

	nb = _mm_add_epi16(nb, _mm_mulhi_epi16(nb, G722_K16(-512)));
	nb = _mm_add_epi16(nb, _mm_shufflelo_epi16(row, 0x0d));
	nb = _mm_max_epi16(nb, _mm_setzero_si128());
	nb = _mm_min_epi16(nb, _mm_load_si128((const __m128i *)nbmax));
	v->nb = nb;
	v->det = g722_vec_det(nb);
}

#define G722_K4(a, b) _mm_setr_epi16((int16_t)(a), (int16_t)(a), \
	(int16_t)(b), (int16_t)(b), (int16_t)(a), (int16_t)(a), \
	(int16_t)(b), (int16_t)(b))

/*
 * Both predictors after the quantized difference pair dq (PARREC,
 * RECONS, UPZERO, FILTEZ, UPPOL2, UPPOL1, FILTEP, PREDIC).
 */
__attribute__((always_inline))
static inline void g722_vec_update(struct g722_vec *v, __m128i dq)
{
	const __m128i dqb = _mm_shuffle_epi32(dq, 0x00);
	/* [S + DQ, SZ + DQ]: RECONS and PARREC with the old SZ (only the
	 * sign of the latter is used, and saturation keeps it) */
	const __m128i rp = _mm_adds_epi16(v->ss, dqb);
	const __m128i sg0 = _mm_shuffle_epi32(_mm_srai_epi16(rp, 15), 0x55);
	/* [SG0 == SG1, SG0 == SG2] */
	const __m128i same = _mm_cmpeq_epi16(sg0, v->sg);
	/* [R0X, R1X]: RECONS doubled for FILTEP, sat(sat(s + dq) * 2) */
	const __m128i r = _mm_unpacklo_epi32(_mm_adds_epi16(rp, rp), v->r);
	/* UPZERO's step: +128 where the signs of dq and d agree, -128 where
	 * they differ, 0 throughout a band whose dq is 0 */
	const __m128i zero = _mm_cmpeq_epi16(dqb, _mm_setzero_si128());
	const __m128i stepmask = _mm_andnot_si128(zero, G722_K16(-256));
	const __m128i stepbase = _mm_andnot_si128(zero, G722_K16(128));
	__m128i d1 = v->d1, b1 = v->b1, db2 = v->db2;
	__m128i step, t1, t2, sz, wd2, a, a2, sp;

	/* B * 32640 >> 15 = B + (B * -256 >> 16); with the step it stays
	 * within 16 bits.  DB2's step is made in its d lanes and moved up
	 * to its b lanes. */
	step = _mm_srai_epi16(_mm_xor_si128(d1, dqb), 15);
	step = _mm_add_epi16(_mm_and_si128(step, stepmask), stepbase);
	b1 = _mm_add_epi16(b1, _mm_add_epi16(_mm_mulhi_epi16(b1, G722_K16(-256)),
					     step));
	step = _mm_srai_epi16(_mm_xor_si128(db2, dqb), 15);
	step = _mm_add_epi16(_mm_and_si128(step, stepmask), stepbase);
	step = _mm_slli_si128(step, 8);
	db2 = _mm_add_epi16(db2, _mm_add_epi16(_mm_mulhi_epi16(db2,
		_mm_setr_epi16(0, 0, 0, 0, -256, -256, -256, -256)), step));
	/* the delay line moves one pair on, dq entering in front */
	db2 = _mm_castpd_si128(_mm_move_sd(_mm_castsi128_pd(db2), _mm_castsi128_pd(
		_mm_unpacklo_epi32(_mm_srli_si128(d1, 12), db2))));
	d1 = _mm_castps_si128(_mm_move_ss(_mm_castsi128_ps(_mm_slli_si128(d1, 4)),
					  _mm_castsi128_ps(dq)));

	/* FILTEZ terms d * b >> 14 (|term| <= 20456): the high product
	 * times four plus the top two bits of the low one */
	t1 = _mm_add_epi16(_mm_slli_epi16(_mm_mulhi_epi16(d1, b1), 2),
			   _mm_srli_epi16(_mm_mullo_epi16(d1, b1), 14));
	t2 = _mm_shuffle_epi32(db2, 0x4e);
	t2 = _mm_add_epi16(_mm_slli_epi16(_mm_mulhi_epi16(db2, t2), 2),
			   _mm_srli_epi16(_mm_mullo_epi16(db2, t2), 14));
	/* summed as the reference does, oldest first, saturating each time */
	sz = _mm_adds_epi16(_mm_shuffle_epi32(t2, 0x55), t2);
	sz = _mm_adds_epi16(sz, _mm_shuffle_epi32(t1, 0xff));
	sz = _mm_adds_epi16(sz, _mm_shuffle_epi32(t1, 0xaa));
	sz = _mm_adds_epi16(sz, _mm_shuffle_epi32(t1, 0x55));
	sz = _mm_adds_epi16(sz, t1);

	/*
	 * UPPOL2 and UPPOL1 on [A1, A2]: A * 32640 >> 15 and A * 32512 >> 15
	 * as A + (A * -256 >> 16) and A + (A * -512 >> 16), steps of +-192
	 * and +-128, and A2 gets clamp(+-A1 >> 5, -256, 255) (the
	 * reference's sat(sat(A1 << 2) negated) >> 7).  Then A2 within
	 * +-12288 and A1 within +-(15360 - A2); the saturating
	 * subtractions leave the A2 lanes' second bounds out of reach.
	 */
	wd2 = _mm_srai_epi16(_mm_sub_epi16(_mm_xor_si128(v->a, same), same), 5);
	wd2 = _mm_min_epi16(_mm_max_epi16(wd2, G722_K16(-256)), G722_K16(255));
	a = _mm_add_epi16(v->a, _mm_mulhi_epi16(v->a, G722_K4(-256, -512)));
	a = _mm_add_epi16(a, _mm_slli_si128(wd2, 4));
	a = _mm_add_epi16(a, _mm_add_epi16(_mm_and_si128(same, G722_K4(384, 256)),
					   G722_K4(-192, -128)));
	a = _mm_min_epi16(_mm_max_epi16(a, G722_K4(-32768, -12288)),
			  G722_K4(32767, 12288));
	a2 = _mm_shuffle_epi32(a, 0x55);
	a = _mm_min_epi16(a, _mm_subs_epi16(G722_K4(15360, 32767), a2));
	a = _mm_max_epi16(a, _mm_subs_epi16(a2, G722_K4(15360, 32767)));

	/* FILTEP: [A1 * R0X >> 15, A2 * R1X >> 15] as the high product
	 * doubled plus the low product's top bit, summed; then PREDIC */
	sp = _mm_mulhi_epi16(a, r);
	sp = _mm_add_epi16(_mm_add_epi16(sp, sp),
			   _mm_srli_epi16(_mm_mullo_epi16(a, r), 15));
	sp = _mm_adds_epi16(sp, _mm_shuffle_epi32(sp, 0x55));

	v->ss = _mm_unpacklo_epi32(_mm_adds_epi16(sp, sz), sz);
	v->d1 = d1;
	v->b1 = b1;
	v->db2 = db2;
	v->a = a;
	v->r = r;
	v->sg = _mm_unpacklo_epi32(sg0, v->sg);
}

/*
 * One octet from the sub-band pair x (QUANTL, QUANTH, then the rest).
 * Decision level k of the lower band is Q6[k] * DET >> 12, the unsigned
 * high product of 16 Q6[k] (<= 46704) and DET; the higher band's level
 * 564 * DET >> 12 takes lane 30.  Bit k of `above` is set where the
 * level exceeds the magnitude; the interval is the first such k (1..30).
 */
__attribute__((always_inline))
static inline unsigned g722_vec_encode(struct g722_vec *v, __m128i x)
{
	static const _Alignas(16) uint16_t level16[32] = {
		0, 560, 1152, 1760, 2400, 3040, 3728, 4416,
		5168, 5920, 6752, 7568, 8480, 9392, 10400, 11424,
		12576, 13728, 15040, 16368, 17936, 19504, 21424, 23328,
		25792, 28240, 31680, 35120, 40912, 46704, 16 * 564, 0
	};
	const __m128i *q = (const __m128i *)level16;
	const __m128i e = _mm_subs_epi16(x, v->ss);                /* SUBTRA */
	const __m128i wd = _mm_xor_si128(e, _mm_srai_epi16(e, 15));
	const unsigned sign = (unsigned)_mm_movemask_epi8(e);
	/* DET and the magnitude in every lane; the last register's lanes
	 * 6 and 7 the higher band's */
	const __m128i det3 = _mm_shufflehi_epi16(_mm_shufflelo_epi16(v->det, 0x00),
						 0xa0);
	const __m128i det0 = _mm_shuffle_epi32(det3, 0x00);
	const __m128i wd3 = _mm_shuffle_epi32(_mm_shufflelo_epi16(wd, 0x50), 0x40);
	const __m128i wd0 = _mm_shuffle_epi32(wd3, 0x00);
	__m128i m0, m1, m2, m3, row;
	unsigned above, idx, code;

	m0 = _mm_cmpgt_epi16(_mm_mulhi_epu16(_mm_load_si128(q), det0), wd0);
	m1 = _mm_cmpgt_epi16(_mm_mulhi_epu16(_mm_load_si128(q + 1), det0), wd0);
	m2 = _mm_cmpgt_epi16(_mm_mulhi_epu16(_mm_load_si128(q + 2), det0), wd0);
	m3 = _mm_cmpgt_epi16(_mm_mulhi_epu16(_mm_load_si128(q + 3), det3), wd3);
	above = (unsigned)_mm_movemask_epi8(_mm_packs_epi16(m0, m1)) |
		(unsigned)_mm_movemask_epi8(_mm_packs_epi16(m2, m3)) << 16;
	idx = (unsigned)__builtin_ctz(above | 0xc0000000u) |
	      (sign & 0x02) << 4 | (sign & 0x08) << 3 | (above >> 23 & 0x80);
	code = dp_g722_octet[idx];

	row = _mm_load_si128((const __m128i *)dp_g722_code[0][code]);
	g722_vec_update(v, _mm_shufflelo_epi16(g722_vec_levels(v, row), 0xee));
	g722_vec_scale(v, row);

	return code;
}

/* One octet to the reconstructed sub-band pair (lanes 0 and 1). */
__attribute__((always_inline))
static inline __m128i g722_vec_decode(struct g722_vec *v, unsigned code,
				      const int32_t (*rows)[4])
{
	const __m128i row = _mm_load_si128((const __m128i *)rows[code]);
	const __m128i lev = g722_vec_levels(v, row);
	/* RECONS with the mode's level, limited to 15 bits */
	const __m128i r = _mm_min_epi16(_mm_max_epi16(_mm_adds_epi16(v->ss, lev),
						      G722_K16(-16384)),
					G722_K16(16383));

	g722_vec_update(v, _mm_shufflelo_epi16(lev, 0xee));
	g722_vec_scale(v, row);
	return r;
}


static inline void g722_encode_block(struct dp_g722_encoder *enc,
				     uint8_t *restrict dst,
				     const int16_t *restrict sub, size_t n)
{
	struct g722_vec v;

	g722_vec_load(&v, &enc->low, &enc->high);
	/* two octets a round: the state registers then need no copying
	 * from one round to the next */
	for (size_t i = 0; i < n; i += 2) {
		int32_t pair;

		memcpy(&pair, sub + 2 * i, 4);
		dst[i] = (uint8_t)g722_vec_encode(&v, _mm_cvtsi32_si128(pair));
		if (i + 1 == n)
			break;
		memcpy(&pair, sub + 2 * i + 2, 4);
		dst[i + 1] = (uint8_t)g722_vec_encode(&v, _mm_cvtsi32_si128(pair));
	}
	g722_vec_store(&v, &enc->low, &enc->high);
}

static inline void g722_decode_block(struct dp_g722_decoder *dec,
				     int16_t *restrict r,
				     const uint8_t *restrict src, size_t n)
{
	const int32_t (*rows)[4] = dp_g722_code[dec->mode - 1];
	struct g722_vec v;

	g722_vec_load(&v, &dec->low, &dec->high);
	/* two octets a round, as in the encoder */
	for (size_t i = 0; i < n; i += 2) {
		int32_t pair = _mm_cvtsi128_si32(g722_vec_decode(&v, src[i], rows));

		memcpy(r + 2 * i, &pair, 4);
		if (i + 1 == n)
			break;
		pair = _mm_cvtsi128_si32(g722_vec_decode(&v, src[i + 1], rows));
		memcpy(r + 2 * i + 2, &pair, 4);
	}
	g722_vec_store(&v, &dec->low, &dec->high);
}


/*
 * --- QMF ----------------------------------------------------------------
 *
 * Both filters go two taps of two octets per pmaddwd: a 16-byte load of
 * a table of "quads" q[m] = (x[m], x[m + 1], y[m], y[m + 1]), 64 bits
 * each, brings taps j, j + 1 of the sequences x and y for octets i and
 * i + 1; six loads and pmaddwd give both octets' two sums in four 32-bit
 * lanes.  The analysis's x and y are the even and odd input samples (its
 * sums A and B); the synthesis's rl - rh and rl + rh.
 */
#define G722_ANALYSIS(a0, b0, a1, b1) { a0, a1, b0, b1, a0, a1, b0, b1 },
#define G722_SYNTHESIS(a0, b0, a1, b1) { b0, b1, a0, a1, b0, b1, a0, a1 },

/* sum of the six taps pairs of octets i and i + 1 (quads from q[i]) */
__attribute__((always_inline))
static inline __m128i g722_qmf_taps(const int16_t *q, const int16_t (*c)[8])
{
	__m128i acc, x;

#define G722_TAP(j) \
	x = _mm_madd_epi16(_mm_loadu_si128((const __m128i *)(q + 8 * (j))), \
			   _mm_load_si128((const __m128i *)c[j]));
	G722_TAP(0) acc = x;
	G722_TAP(1) acc = _mm_add_epi32(acc, x);
	G722_TAP(2) acc = _mm_add_epi32(acc, x);
	G722_TAP(3) acc = _mm_add_epi32(acc, x);
	G722_TAP(4) acc = _mm_add_epi32(acc, x);
	G722_TAP(5) acc = _mm_add_epi32(acc, x);
#undef G722_TAP
	return acc;
}

/* quads of x[m] = seq[2m], y[m] = seq[2m + 1] for m = 0.. n - 1 (n a
 * multiple of 4); seq is read up to seq[2n + 9] */
static inline void g722_qmf_quads(const int16_t *restrict seq,
				  int16_t *restrict q, size_t n)
{
	for (size_t m = 0; m < n; m += 4) {
		const __m128i a = _mm_loadu_si128((const __m128i *)(seq + 2 * m));
		const __m128i b = _mm_loadu_si128((const __m128i *)(seq + 2 * m + 2));

		_mm_store_si128((__m128i *)(q + 4 * m), _mm_unpacklo_epi16(a, b));
		_mm_store_si128((__m128i *)(q + 4 * m + 8), _mm_unpackhi_epi16(a, b));
	}
}

/* quads the filters read for n octets: up to the last group of four and
 * eleven more, with the four-at-a-time slack */
#define G722_QUADS(n) ((((n) + 3) & ~(size_t)3) + 12)

static inline void g722_qmf_analysis(const int16_t *restrict in,
				     int16_t *restrict sub, size_t n)
{
	static const _Alignas(16) int16_t c[6][8] = {
		G722_QMF_QUADS(G722_ANALYSIS)
	};
	/* B - A and A + B from [A, B]: swap, negate A, add */
	static const _Alignas(16) int32_t neg_odd[4] = { 0, -1, 0, -1 };
	const __m128i neg = _mm_load_si128((const __m128i *)neg_odd);
	_Alignas(16) int16_t q[4 * G722_QUADS(G722_BLOCK)];

	g722_qmf_quads(in, q, G722_QUADS(n));
	for (size_t i = 0; i < n; i += 4) {
		__m128i s0 = g722_qmf_taps(q + 4 * i, c);          /* A, B, A, B */
		__m128i s1 = g722_qmf_taps(q + 4 * i + 8, c);
		__m128i t0 = _mm_shuffle_epi32(s0, 0xb1);          /* B, A, B, A */
		__m128i t1 = _mm_shuffle_epi32(s1, 0xb1);
		__m128i x;

		s0 = _mm_add_epi32(s0, _mm_sub_epi32(_mm_xor_si128(t0, neg), neg));
		s1 = _mm_add_epi32(s1, _mm_sub_epi32(_mm_xor_si128(t1, neg), neg));
		/* >> 14, then limited to 15 bits as the reference does */
		x = _mm_packs_epi32(_mm_srai_epi32(s0, 14), _mm_srai_epi32(s1, 14));
		x = _mm_min_epi16(_mm_max_epi16(x, G722_K16(-16384)),
				  G722_K16(16383));
		_mm_storeu_si128((__m128i *)(sub + 2 * i), x);
	}
}

static inline void g722_qmf_synthesis(const int16_t *restrict r,
				      int16_t *restrict out, size_t n)
{
	static const _Alignas(16) int16_t c[6][8] = {
		G722_QMF_QUADS(G722_SYNTHESIS)
	};
	static const _Alignas(16) int16_t diff_sum[2][8] = {
		{ 1, -1, 1, -1, 1, -1, 1, -1 }, { 1, 1, 1, 1, 1, 1, 1, 1 }
	};
	const size_t nq = G722_QUADS(n);
	_Alignas(16) int16_t ds[2 * G722_QUADS(G722_BLOCK) + 8];
	_Alignas(16) int16_t q[4 * G722_QUADS(G722_BLOCK)];

	/* (rl - rh, rl + rh) of every pair, 15-bit values: exact in 16 */
	for (size_t m = 0; m < nq + 4; m += 4) {
		const __m128i x = _mm_load_si128((const __m128i *)(r + 2 * m));
		const __m128i d = _mm_madd_epi16(x, _mm_load_si128(
			(const __m128i *)diff_sum[0]));
		const __m128i s = _mm_madd_epi16(x, _mm_load_si128(
			(const __m128i *)diff_sum[1]));

		_mm_store_si128((__m128i *)(ds + 2 * m), _mm_packs_epi32(
			_mm_unpacklo_epi32(d, s), _mm_unpackhi_epi32(d, s)));
	}
	g722_qmf_quads(ds, q, nq);

	for (size_t i = 0; i < n; i += 4) {
		/* first and second output of octets i .. i + 3, >> 11 and
		 * saturated */
		__m128i s0 = _mm_srai_epi32(g722_qmf_taps(q + 4 * i, c), 11);
		__m128i s1 = _mm_srai_epi32(g722_qmf_taps(q + 4 * i + 8, c), 11);
		__m128i y = _mm_packs_epi32(s0, s1);

		if (n - i >= 4) {
			_mm_storeu_si128((__m128i *)(out + 2 * i), y);
		}
		else {
			_Alignas(16) int16_t last[8];

			_mm_store_si128((__m128i *)last, y);
			memcpy(out + 2 * i, last, 2 * (n - i) * sizeof(*out));
		}
	}
}

#undef G722_ANALYSIS
#undef G722_SYNTHESIS
#undef G722_QUADS

#endif
