/**
 * @file g722_neon.h  The G.722 coders with both sub-bands in NEON
 *                    registers, and the QMF eight octets at a time
 *                    (internal; arm64, and armhf built with -mfpu=neon)
 *
 * The layout is g722_sse2.h's: each predictor value is a pair of 16-bit
 * lanes, the lower band below the higher, and 64-bit registers hold two
 * pairs, [S, SZ], [A1, A2], [R0X, R1X], [SG1, SG2]; the zero sections
 * are D1 = [d0, d1, d2, d3], D2 = [d4, d5] and B1, B2 likewise.  Lanes
 * that carry nothing are never moved into lanes that do.
 *
 * NEON has the reference's operations as instructions: vqadd is its
 * saturating add, and vqdmulh, sat(2 a b >> 16), is its mult(a, b) =
 * sat(a b >> 15).  So A * 32640 >> 15 is one vqdmulh, and a FILTEZ term
 * mult(2 d, b) is one too, the delay line holding 2 d (|d| <= 10228, so
 * 2 d fits 16 bits).  The lower-band quantizer counts the decision
 * levels at or below the magnitude (they rise with k); that count, both
 * signs and the higher band's outcome are summed in one horizontal add
 * into the index of dp_g722_octet.  Lane order assumes little-endian
 * (as Debian's armhf and arm64 are).  All exact integer arithmetic: the
 * results are bit-exact with the portable coder (test_g722, run under
 * qemu by test/integration/codec_neon.sh).
 */
#ifndef DESKPHONE_G722_NEON_H
#define DESKPHONE_G722_NEON_H

#include <arm_neon.h>
#include <string.h>
#include "g722_adpcm.h"
#include "g722_qmf.h"

struct g722_vec {
	int16x8_t d1, b1;         /* zero sections, 2 d */
	int16x4_t d2, b2;
	int16x4_t ss;             /* S, SZ */
	int16x4_t a;              /* A1, A2 */
	int16x4_t r;              /* R1X (then R0X, R1X while updating) */
	int16x4_t sg;             /* SG1, SG2: signs of the last two P */
	int16x4_t nb;             /* NB */
	int16x4_t det;            /* DET, DET */
};

/* two pairs of 16-bit lanes as one register: [x's first, y's first] */
static inline int16x4_t g722_zip(int16x4_t x, int16x4_t y)
{
	return vreinterpret_s16_s32(vzip_s32(vreinterpret_s32_s16(x),
					     vreinterpret_s32_s16(y)).val[0]);
}

/* the pair in lanes 2, 3 moved to lanes 0, 1 and the other way */
static inline int16x4_t g722_swap(int16x4_t x)
{
	return vreinterpret_s16_s32(vrev64_s32(vreinterpret_s32_s16(x)));
}

/* a pair register's pair `lane` (0 or 1) in both places */
#define G722_DUP(x, lane) \
	vreinterpret_s16_s32(vdup_lane_s32(vreinterpret_s32_s16(x), lane))

static inline int16x4_t g722_pair(int32_t low, int32_t high)
{
	const int16_t v[4] = { (int16_t)low, (int16_t)high, 0, 0 };

	return vld1_s16(v);
}

static inline void g722_unpair(int16x4_t x, int lane, int32_t *low,
			       int32_t *high)
{
	int16_t v[4];

	vst1_s16(v, x);
	*low = v[2 * lane];
	*high = v[2 * lane + 1];
}

/* DET of both bands from the NB pair (SCALEL, SCALEH), twice */
__attribute__((always_inline))
static inline int16x4_t g722_vec_det(int16x4_t nb)
{
	const uint16x4_t idx = vshr_n_u16(vreinterpret_u16_s16(nb), 6);
	int16x4_t det = vdup_n_s16(0);

	det = vld1_lane_s16(&dp_g722_det[64 + vget_lane_u16(idx, 0)], det, 0);
	det = vld1_lane_s16(&dp_g722_det[vget_lane_u16(idx, 1)], det, 1);
	return G722_DUP(det, 0);
}

static inline void g722_vec_load(struct g722_vec *v,
				 const struct dp_g722_band *lo,
				 const struct dp_g722_band *hi)
{
	const int16x8x2_t d = vzipq_s16(vld1q_s16(lo->d), vld1q_s16(hi->d));
	const int16x8x2_t b = vzipq_s16(vld1q_s16(lo->b), vld1q_s16(hi->b));

	v->d1 = vshlq_n_s16(d.val[0], 1);
	v->d2 = vshl_n_s16(vget_low_s16(d.val[1]), 1);
	v->b1 = b.val[0];
	v->b2 = vget_low_s16(b.val[1]);
	v->ss = g722_zip(g722_pair(lo->s, hi->s), g722_pair(lo->sz, hi->sz));
	v->a = g722_zip(g722_pair(lo->a1, hi->a1), g722_pair(lo->a2, hi->a2));
	v->r = g722_pair(lo->r1x, hi->r1x);
	v->sg = g722_zip(g722_pair(lo->sg1, hi->sg1),
			 g722_pair(lo->sg2, hi->sg2));
	v->nb = g722_pair(lo->nb, hi->nb);
	v->det = g722_vec_det(v->nb);
}

static inline void g722_vec_store(const struct g722_vec *v,
				  struct dp_g722_band *lo,
				  struct dp_g722_band *hi)
{
	const int16x8x2_t d = vuzpq_s16(vshrq_n_s16(v->d1, 1),
					vcombine_s16(vshr_n_s16(v->d2, 1),
						     vdup_n_s16(0)));
	const int16x8x2_t b = vuzpq_s16(v->b1, vcombine_s16(v->b2,
							   vdup_n_s16(0)));

	vst1q_s16(lo->d, d.val[0]);
	vst1q_s16(hi->d, d.val[1]);
	vst1q_s16(lo->b, b.val[0]);
	vst1q_s16(hi->b, b.val[1]);
	g722_unpair(v->ss, 0, &lo->s, &hi->s);
	g722_unpair(v->ss, 1, &lo->sz, &hi->sz);
	g722_unpair(v->a, 0, &lo->a1, &hi->a1);
	g722_unpair(v->a, 1, &lo->a2, &hi->a2);
	g722_unpair(v->r, 0, &lo->r1x, &hi->r1x);
	g722_unpair(v->sg, 0, &lo->sg1, &hi->sg1);
	g722_unpair(v->sg, 1, &lo->sg2, &hi->sg2);
	g722_unpair(v->nb, 0, &lo->nb, &hi->nb);
	g722_unpair(v->det, 0, &lo->det, &hi->det);
}

/* the constant [a, a, b, b] (a for the first pair, b for the second) */
static inline int16x4_t g722_k4(int16_t a, int16_t b)
{
	return vcreate_s16((uint64_t)(uint16_t)a | (uint64_t)(uint16_t)a << 16 |
			   (uint64_t)(uint16_t)b << 32 | (uint64_t)(uint16_t)b << 48);
}

/*
 * Both predictors after the quantized difference pair dq (PARREC,
 * RECONS, UPZERO, FILTEZ, UPPOL2, UPPOL1, FILTEP, PREDIC).
 */
__attribute__((always_inline))
static inline void g722_vec_update(struct g722_vec *v, int16x4_t dq)
{
	const int16x4_t dqd = G722_DUP(dq, 0);
	const int16x8_t dqq = vcombine_s16(dqd, dqd);
	/* [S + DQ, SZ + DQ]: RECONS and PARREC with the old SZ (only the
	 * sign of the latter is used, and saturation keeps it) */
	const int16x4_t rp = vqadd_s16(v->ss, dqd);
	const int16x4_t sg0 = G722_DUP(vshr_n_s16(rp, 15), 1);
	/* [SG0 == SG1, SG0 == SG2] */
	const int16x4_t same = vreinterpret_s16_u16(vceq_s16(sg0, v->sg));
	/* [R0X, R1X]: RECONS doubled for FILTEP, sat(sat(s + dq) * 2) */
	const int16x4_t r = g722_zip(vqadd_s16(rp, rp), v->r);
	/* UPZERO's step: +128 where the signs of dq and d agree, -128 where
	 * they differ ((k ^ m) - m), 0 throughout a band whose dq is 0 */
	const int16x8_t k = vandq_s16(vreinterpretq_s16_u16(vtstq_s16(dqq, dqq)),
				      vdupq_n_s16(128));
	const int16x8_t m1 = vshrq_n_s16(veorq_s16(v->d1, dqq), 15);
	const int16x4_t m2 = vshr_n_s16(veor_s16(v->d2, dqd), 15);
	/* B * 32640 >> 15 is mult(B, 32640); with the step B stays within
	 * 16 bits */
	const int16x8_t b1 = vaddq_s16(vqdmulhq_n_s16(v->b1, 32640),
				       vsubq_s16(veorq_s16(k, m1), m1));
	const int16x4_t b2 = vadd_s16(vqdmulh_n_s16(v->b2, 32640),
				      vsub_s16(veor_s16(vget_low_s16(k), m2), m2));
	/* the delay line moves one pair on, 2 dq entering in front */
	const int16x8_t d1 = vextq_s16(vaddq_s16(dqq, dqq), v->d1, 6);
	const int16x4_t d2 = vext_s16(vget_high_s16(v->d1), v->d2, 2);
	/* FILTEZ terms mult(2 d, b), summed as the reference does, oldest
	 * first, saturating each time */
	const int16x8_t t1 = vqdmulhq_s16(d1, b1);
	const int16x4_t t2 = vqdmulh_s16(d2, b2);
	const int16x4_t t23 = vget_high_s16(t1), t01 = vget_low_s16(t1);
	int16x4_t sz, wd2, a, a2, sp;

	sz = vqadd_s16(g722_swap(t2), t2);
	sz = vqadd_s16(sz, g722_swap(t23));
	sz = vqadd_s16(sz, t23);
	sz = vqadd_s16(sz, g722_swap(t01));
	sz = vqadd_s16(sz, t01);

	/*
	 * UPPOL2 and UPPOL1 on [A1, A2]: mult(A, 32640) and mult(A, 32512),
	 * steps of +-192 and +-128, and A2 gets clamp(+-A1 >> 5, -256, 255)
	 * (the reference's sat(sat(A1 << 2) negated) >> 7).  Then A2 within
	 * +-12288 and A1 within +-(15360 - A2); the saturating
	 * subtractions leave the A2 lanes' second bounds out of reach.
	 */
	wd2 = vshr_n_s16(vbsl_s16(vreinterpret_u16_s16(same), vneg_s16(v->a),
				  v->a), 5);
	wd2 = vmin_s16(vmax_s16(wd2, vdup_n_s16(-256)), vdup_n_s16(255));
	a = vqdmulh_s16(v->a, g722_k4(32640, 32512));
	a = vadd_s16(a, vext_s16(vdup_n_s16(0), wd2, 2));
	a = vadd_s16(a, vbsl_s16(vreinterpret_u16_s16(same), g722_k4(192, 128),
				 g722_k4(-192, -128)));
	a = vmin_s16(vmax_s16(a, g722_k4(-32768, -12288)), g722_k4(32767, 12288));
	a2 = G722_DUP(a, 1);
	a = vmin_s16(a, vqsub_s16(g722_k4(15360, 32767), a2));
	a = vmax_s16(a, vqsub_s16(a2, g722_k4(15360, 32767)));

	/* FILTEP: [mult(A1, R0X), mult(A2, R1X)] summed; then PREDIC */
	sp = vqdmulh_s16(a, r);
	sp = vqadd_s16(sp, g722_swap(sp));

	v->ss = g722_zip(vqadd_s16(sp, sz), sz);
	v->d1 = d1;
	v->d2 = d2;
	v->b1 = b1;
	v->b2 = b2;
	v->a = a;
	v->r = r;
	v->sg = g722_zip(sg0, v->sg);
}

/*
 * An octet's code row (dp_g722_code), split: the even lanes are the
 * output and predictor levels, mult()-ed by DET into [lower output,
 * higher, lower 4-bit, higher] differences; the odd lanes the
 * LOGSCL/LOGSCH steps.
 */
__attribute__((always_inline))
static inline int16x8x2_t g722_vec_row(const int32_t *row)
{
	const int16x8_t x = vld1q_s16((const int16_t *)row);

	return vuzpq_s16(x, x);
}

/* LOGSCL, LOGSCH (NB * 32512 >> 15 = mult(NB, 32512)), SCALEL, SCALEH */
__attribute__((always_inline))
static inline void g722_vec_scale(struct g722_vec *v, int16x4_t step)
{
	int16x4_t nb = vadd_s16(vqdmulh_n_s16(v->nb, 32512), step);

	/* [18432, 22528, 0, 0] */
	nb = vmin_s16(vmax_s16(nb, vdup_n_s16(0)),
		      vcreate_s16(18432 | (uint64_t)22528 << 16));
	v->nb = nb;
	v->det = g722_vec_det(nb);
}

/* the sum of all lanes */
static inline int32_t g722_sum_lanes(int16x8_t x)
{
#ifdef __aarch64__
	return vaddvq_s16(x);
#else
	int16x4_t h = vadd_s16(vget_low_s16(x), vget_high_s16(x));

	h = vpadd_s16(h, h);
	h = vpadd_s16(h, h);
	return vget_lane_s16(h, 0);
#endif
}

/*
 * One octet from the sub-band pair x (QUANTL, QUANTH, then the rest).
 * Decision level k of the lower band is mult(8 Q6[k], DET), the
 * reference's own form; lanes 30 and 31 hold level 0, so the count of
 * levels at or below the magnitude is the interval (1..30) plus two.
 * Each mask is -1: summed with the signs weighted -32 and -64 and the
 * higher band's "below its level" weighted -128, the negated total less
 * two is the index of dp_g722_octet.
 */
__attribute__((always_inline))
static inline unsigned g722_vec_encode(struct g722_vec *v, int16x4_t x)
{
	static const int16_t level8[32] = {
		0, 280, 576, 880, 1200, 1520, 1864, 2208,
		2584, 2960, 3376, 3784, 4240, 4696, 5200, 5712,
		6288, 6864, 7520, 8184, 8968, 9752, 10712, 11664,
		12896, 14120, 15840, 17560, 20456, 23352, 0, 0
	};
	/* [0, 8 * 564, 0, 0], weights [-32, -64, 0, 0] and [0, -128, 0, 0] */
	const int16x4_t high8 = vcreate_s16((uint64_t)(8 * 564) << 16);
	const int16x4_t sign_weight = vcreate_s16((uint64_t)(uint16_t)-32 |
						  (uint64_t)(uint16_t)-64 << 16);
	const int16x4_t inner_weight = vcreate_s16((uint64_t)(uint16_t)-128 << 16);
	const int16x4_t e = vqsub_s16(x, v->ss);                  /* SUBTRA */
	const int16x4_t neg = vshr_n_s16(e, 15);
	const int16x4_t wd = veor_s16(e, neg);
	const int16x8_t w = vdupq_lane_s16(wd, 0);
	const int16x4_t inner = vreinterpret_s16_u16(
		vcgt_s16(vqdmulh_s16(v->det, high8), wd));
	int16x8_t count;
	int16x4_t extra;
	unsigned code;
	int16x8x2_t row;

#define G722_LEVELS(i) vreinterpretq_s16_u16(vcleq_s16( \
		vqdmulhq_lane_s16(vld1q_s16(level8 + 8 * (i)), v->det, 0), w))
	count = vaddq_s16(vaddq_s16(G722_LEVELS(0), G722_LEVELS(1)),
			  vaddq_s16(G722_LEVELS(2), G722_LEVELS(3)));
#undef G722_LEVELS
	extra = vadd_s16(vand_s16(neg, sign_weight), vand_s16(inner, inner_weight));
	count = vaddq_s16(count, vcombine_s16(extra, vdup_n_s16(0)));
	code = dp_g722_octet[-g722_sum_lanes(count) - 2];

	row = g722_vec_row(dp_g722_code[0][code]);
	g722_vec_update(v, g722_swap(vqdmulh_s16(vget_low_s16(row.val[0]),
						 v->det)));
	g722_vec_scale(v, vget_low_s16(row.val[1]));

	return code;
}

/* One octet to the reconstructed sub-band pair (lanes 0 and 1). */
__attribute__((always_inline))
static inline int16x4_t g722_vec_decode(struct g722_vec *v, unsigned code,
					const int32_t (*rows)[4])
{
	const int16x8x2_t row = g722_vec_row(rows[code]);
	const int16x4_t lev = vqdmulh_s16(vget_low_s16(row.val[0]), v->det);
	/* RECONS with the mode's level, limited to 15 bits */
	const int16x4_t r = vmin_s16(vmax_s16(vqadd_s16(v->ss, lev),
					      vdup_n_s16(-16384)),
				     vdup_n_s16(16383));

	g722_vec_update(v, g722_swap(lev));
	g722_vec_scale(v, vget_low_s16(row.val[1]));
	return r;
}


static inline void g722_encode_block(struct dp_g722_encoder *enc,
				     uint8_t *restrict dst,
				     const int16_t *restrict sub, size_t n)
{
	struct g722_vec v;

	g722_vec_load(&v, &enc->low, &enc->high);
	for (size_t i = 0; i < n; i++) {
		int32_t pair;

		memcpy(&pair, sub + 2 * i, 4);
		dst[i] = (uint8_t)g722_vec_encode(&v, vreinterpret_s16_s32(
			vdup_n_s32(pair)));
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
	for (size_t i = 0; i < n; i++) {
		const int32_t pair = vget_lane_s32(vreinterpret_s32_s16(
			g722_vec_decode(&v, src[i], rows)), 0);

		memcpy(r + 2 * i, &pair, 4);
	}
	g722_vec_store(&v, &dec->low, &dec->high);
}


/*
 * --- QMF ----------------------------------------------------------------
 *
 * Eight octets at a time: the two sequences each filter runs over are
 * taken apart (vld2), then every tap is one widening multiply-accumulate
 * per four octets.  The analysis's sequences are the even and odd input
 * samples (its sums A and B); the synthesis's rl - rh and rl + rh (exact
 * in 16 bits: rl and rh are 15-bit).
 */

/* the two 12-tap sums of octets i .. i + 7 over sequences x and y */
__attribute__((always_inline))
static inline void g722_qmf_fir(const int16_t *x, const int16_t *y,
				const int16_t *cx, const int16_t *cy,
				int32x4_t acc[4])
{
	const int16x4_t kx[3] = { vld1_s16(cx), vld1_s16(cx + 4), vld1_s16(cx + 8) };
	const int16x4_t ky[3] = { vld1_s16(cy), vld1_s16(cy + 4), vld1_s16(cy + 8) };
	int32x4_t xl = vdupq_n_s32(0), xh = vdupq_n_s32(0);
	int32x4_t yl = vdupq_n_s32(0), yh = vdupq_n_s32(0);

#define G722_TAP(j) do { \
		const int16x8_t a = vld1q_s16(x + (j)), b = vld1q_s16(y + (j)); \
		xl = vmlal_lane_s16(xl, vget_low_s16(a), kx[(j) / 4], (j) % 4); \
		xh = vmlal_lane_s16(xh, vget_high_s16(a), kx[(j) / 4], (j) % 4); \
		yl = vmlal_lane_s16(yl, vget_low_s16(b), ky[(j) / 4], (j) % 4); \
		yh = vmlal_lane_s16(yh, vget_high_s16(b), ky[(j) / 4], (j) % 4); \
	} while (0)
	G722_TAP(0); G722_TAP(1); G722_TAP(2); G722_TAP(3);
	G722_TAP(4); G722_TAP(5); G722_TAP(6); G722_TAP(7);
	G722_TAP(8); G722_TAP(9); G722_TAP(10); G722_TAP(11);
#undef G722_TAP
	acc[0] = xl;
	acc[1] = xh;
	acc[2] = yl;
	acc[3] = yh;
}

#define G722_QMF_EVEN(a0, b0, a1, b1) a0, a1,
#define G722_QMF_ODD(a0, b0, a1, b1) b0, b1,

/* how far the eight-at-a-time filters read: octets up to the next eight,
 * and eleven more */
#define G722_NEON_SEQ(n) ((((n) + 7) & ~(size_t)7) + 16)

static inline void g722_qmf_analysis(const int16_t *restrict in,
				     int16_t *restrict sub, size_t n)
{
	static const int16_t he[12] = { G722_QMF_QUADS(G722_QMF_EVEN) };
	static const int16_t ho[12] = { G722_QMF_QUADS(G722_QMF_ODD) };
	int16_t even[G722_NEON_SEQ(G722_BLOCK)], odd[G722_NEON_SEQ(G722_BLOCK)];
	const size_t nseq = G722_NEON_SEQ(n);

	for (size_t m = 0; m < nseq; m += 8) {
		const int16x8x2_t x = vld2q_s16(in + 2 * m);

		vst1q_s16(even + m, x.val[0]);
		vst1q_s16(odd + m, x.val[1]);
	}
	for (size_t i = 0; i < n; i += 8) {
		int32x4_t s[4];
		int16x8x2_t out;

		g722_qmf_fir(even + i, odd + i, he, ho, s);
		/* A + B and B - A, >> 14 (saturating to 16 bits), then
		 * limited to 15 bits as the reference does */
		out.val[0] = vcombine_s16(vqshrn_n_s32(vaddq_s32(s[0], s[2]), 14),
					  vqshrn_n_s32(vaddq_s32(s[1], s[3]), 14));
		out.val[1] = vcombine_s16(vqshrn_n_s32(vsubq_s32(s[2], s[0]), 14),
					  vqshrn_n_s32(vsubq_s32(s[3], s[1]), 14));
		out.val[0] = vminq_s16(vmaxq_s16(out.val[0], vdupq_n_s16(-16384)),
				       vdupq_n_s16(16383));
		out.val[1] = vminq_s16(vmaxq_s16(out.val[1], vdupq_n_s16(-16384)),
				       vdupq_n_s16(16383));
		vst2q_s16(sub + 2 * i, out);
	}
}

static inline void g722_qmf_synthesis(const int16_t *restrict r,
				      int16_t *restrict out, size_t n)
{
	static const int16_t he[12] = { G722_QMF_QUADS(G722_QMF_EVEN) };
	static const int16_t ho[12] = { G722_QMF_QUADS(G722_QMF_ODD) };
	int16_t diff[G722_NEON_SEQ(G722_BLOCK)], sum[G722_NEON_SEQ(G722_BLOCK)];
	const size_t nseq = G722_NEON_SEQ(n);

	for (size_t m = 0; m < nseq; m += 8) {
		const int16x8x2_t x = vld2q_s16(r + 2 * m);

		vst1q_s16(diff + m, vsubq_s16(x.val[0], x.val[1]));
		vst1q_s16(sum + m, vaddq_s16(x.val[0], x.val[1]));
	}
	for (size_t i = 0; i < n; i += 8) {
		int32x4_t s[4];
		int16x8x2_t y;

		g722_qmf_fir(diff + i, sum + i, ho, he, s);
		/* >> 11 and saturated */
		y.val[0] = vcombine_s16(vqshrn_n_s32(s[0], 11), vqshrn_n_s32(s[1], 11));
		y.val[1] = vcombine_s16(vqshrn_n_s32(s[2], 11), vqshrn_n_s32(s[3], 11));
		if (n - i >= 8) {
			vst2q_s16(out + 2 * i, y);
		}
		else {
			int16_t last[16];

			vst2q_s16(last, y);
			memcpy(out + 2 * i, last, 2 * (n - i) * sizeof(*out));
		}
	}
}

#undef G722_QMF_EVEN
#undef G722_QMF_ODD
#undef G722_NEON_SEQ

#endif
