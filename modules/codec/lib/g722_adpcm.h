/**
 * @file g722_adpcm.h  The G.722 sub-band ADPCM coders (internal)
 *
 * Block names in comments are those of ITU-T G.722 section 6.  The
 * arithmetic is the reference's 16-bit arithmetic with saturation, done
 * in 32-bit integers: where a value provably never leaves 16 bits the
 * saturation is left out, and the reasons are given.  Bounds used below:
 * DET <= 16384 (NB is limited, SCALEL/SCALEH top out at 16384), so a
 * lower-band difference |DLT| <= 16384 * 20456 >> 15 = 10228 and a
 * higher-band |DH| <= 16384 * 7408 >> 15 = 3704.
 *
 * Right shifts of negative values are arithmetic (gcc and clang define
 * them so; the reference relies on the same).
 */
#ifndef DESKPHONE_G722_ADPCM_H
#define DESKPHONE_G722_ADPCM_H

#include <stdint.h>
#include "g722.h"
#include "g722_tables.h"

/* Written as two independent selects, which compilers turn into
 * conditional moves rather than branches. */
static inline int32_t g722_clamp(int32_t v, int32_t lo, int32_t hi)
{
	v = v < lo ? lo : v;
	v = v > hi ? hi : v;
	return v;
}

static inline int32_t g722_sat16(int32_t v)
{
	return g722_clamp(v, -32768, 32767);
}

/* Inverse quantizers: the reference's tables with sign and scale applied. */
static const int16_t g722_qm4[16] = {
	0, -20456, -12896, -8968, -6288, -4240, -2584, -1200,
	20456, 12896, 8968, 6288, 4240, 2584, 1200, 0
};

static const int16_t g722_qm5[32] = {
	-280, -280, -23352, -17560, -14120, -11664, -9752, -8184,
	-6864, -5712, -4696, -3784, -2960, -2208, -1520, -880,
	23352, 17560, 14120, 11664, 9752, 8184, 6864, 5712,
	4696, 3784, 2960, 2208, 1520, 880, 280, -280
};

static const int16_t g722_qm6[64] = {
	-136, -136, -136, -136, -24808, -21904, -19008, -16704,
	-14984, -13512, -12280, -11192, -10232, -9360, -8576, -7856,
	-7192, -6576, -6000, -5456, -4944, -4464, -4008, -3576,
	-3168, -2776, -2400, -2032, -1688, -1360, -1040, -728,
	24808, 21904, 19008, 16704, 14984, 13512, 12280, 11192,
	10232, 9360, 8576, 7856, 7192, 6576, 6000, 5456,
	4944, 4464, 4008, 3576, 3168, 2776, 2400, 2032,
	1688, 1360, 1040, 728, 432, 136, -432, -136
};

static const int16_t g722_qm2[4] = { -7408, -1616, 7408, 1616 };

/* LOGSCL/LOGSCH increments, indexed by the 4-bit code and the 2-bit code */
static const int16_t g722_wl[16] = {
	-60, 3042, 1198, 538, 334, 172, 58, -30,
	3042, 1198, 538, 334, 172, 58, -30, -60
};
static const int16_t g722_wh[4] = { 798, -214, 798, -214 };

/*
 * QUANTL decision levels (Q12 of DETL); the last two repeat the 29th so
 * a five-step binary search over 32 entries stays monotonic.
 */
static const int16_t g722_q6[32] = {
	0, 35, 72, 110, 150, 190, 233, 276,
	323, 370, 422, 473, 530, 587, 650, 714,
	786, 858, 940, 1023, 1121, 1219, 1339, 1458,
	1612, 1765, 1980, 2195, 2557, 2919, 2919, 2919
};

/* QUANTL output codes by interval, for negative and positive differences */
static const uint8_t g722_iln[32] = {
	0, 63, 62, 31, 30, 29, 28, 27, 26, 25, 24, 23, 22, 21, 20, 19,
	18, 17, 16, 15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 0
};
static const uint8_t g722_ilp[32] = {
	0, 61, 60, 59, 58, 57, 56, 55, 54, 53, 52, 51, 50, 49, 48, 47,
	46, 45, 44, 43, 42, 41, 40, 39, 38, 37, 36, 35, 34, 33, 32, 0
};


static inline void g722_band_reset(struct dp_g722_band *p, int32_t det)
{
	*p = (struct dp_g722_band){ .det = det };
}


/*
 * SCALEL / SCALEH: DET = 2^(NB/2048) in the reference's table form,
 * computed at build time; the lower band's table starts 64 entries in.
 */
static inline int32_t g722_scale(int32_t nb, int lower)
{
	return dp_g722_det[(nb >> 6) + (lower ? 64 : 0)];
}


/*
 * UPZERO then FILTEZ, for a new difference `dq`; returns SZ.
 *
 * UPZERO: B * 32640 >> 15 lies in -32640..32639, so adding +-128 stays
 * inside 16 bits: no saturation.  FILTEZ: each term is
 * mult(DLT + DLT, B) = (2d * b) >> 15 = (d * b) >> 14 (2d fits 16 bits).
 * The reference adds the terms from the oldest with a saturating add;
 * the plain sum is the same unless a partial sum leaves 16 bits, which
 * is checked for, and only then are the terms added the slow way.
 */
static inline int32_t g722_sum_saturating(const int32_t t[6])
{
	int32_t sum = t[5];

	for (int i = 4; i >= 0; i--)
		sum = g722_sat16(sum + t[i]);
	return sum;
}

#define G722_TAP(i, dnew) do { \
		int32_t m_ = (sgd ^ d[i]) >> 31;    /* -1: signs differ */ \
		b[i] = ((p->b[i] * 32640) >> 15) + ((inc ^ m_) - m_); \
		t[i] = ((dnew) * b[i]) >> 14; \
	} while (0)

static inline int32_t g722_zeros_update(struct dp_g722_band *p, int32_t dq)
{
	const int32_t inc = dq ? 128 : 0;
	const int32_t sgd = dq >> 31;
	int32_t d[6], b[6], t[6], sum, seen;

	d[0] = p->d[0]; d[1] = p->d[1]; d[2] = p->d[2];
	d[3] = p->d[3]; d[4] = p->d[4]; d[5] = p->d[5];
	G722_TAP(0, dq);
	G722_TAP(1, d[0]);
	G722_TAP(2, d[1]);
	G722_TAP(3, d[2]);
	G722_TAP(4, d[3]);
	G722_TAP(5, d[4]);
	p->b[0] = (int16_t)b[0]; p->b[1] = (int16_t)b[1];
	p->b[2] = (int16_t)b[2]; p->b[3] = (int16_t)b[3];
	p->b[4] = (int16_t)b[4]; p->b[5] = (int16_t)b[5];
	p->d[5] = (int16_t)d[4]; p->d[4] = (int16_t)d[3];
	p->d[3] = (int16_t)d[2]; p->d[2] = (int16_t)d[1];
	p->d[1] = (int16_t)d[0]; p->d[0] = (int16_t)dq;

	/* a biased partial sum outside 0..65535 sets a high bit */
	sum = t[5] + t[4];
	seen = sum + 32768;
	sum += t[3];
	seen |= sum + 32768;
	sum += t[2];
	seen |= sum + 32768;
	sum += t[1];
	seen |= sum + 32768;
	sum += t[0];
	seen |= sum + 32768;
	if ((uint32_t)seen <= 0xffff)
		return sum;
	return g722_sum_saturating(t);
}

#undef G722_TAP


/*
 * The adaptive predictor after a new quantized difference `dq`
 * (PARREC, RECONS, UPZERO, FILTEZ, UPPOL2, UPPOL1, FILTEP, PREDIC).
 */
/* Inlined into each coder, where it is most of the work. */
__attribute__((always_inline))
static inline void g722_band_update(struct dp_g722_band *p, int32_t dq)
{
	/* PARREC with the old SZ: only the sign of PLT is used, and
	 * saturation keeps it */
	const int32_t sg0 = (dq + p->sz) >> 31;
	/* RECONS, doubled for FILTEP: sat(sat(s + dq) * 2) == sat(2(s + dq)) */
	const int32_t r0x = g722_sat16(2 * (p->s + dq));
	int32_t wd2, a1, a2, lim, sp;

	p->sz = g722_zeros_update(p, dq);

	/*
	 * UPPOL2.  The reference's sat(sat(A1 << 2) negated) >> 7 equals
	 * clamp(+-A1 >> 5, -256, 255).
	 */
	wd2 = (sg0 == p->sg1) ? -p->a1 : p->a1;
	wd2 = g722_clamp(wd2 >> 5, -256, 255);
	a2 = wd2 + ((sg0 == p->sg2) ? 128 : -128) + ((p->a2 * 32512) >> 15);
	a2 = g722_clamp(a2, -12288, 12288);

	/* UPPOL1 */
	a1 = ((p->a1 * 32640) >> 15) + ((sg0 == p->sg1) ? 192 : -192);
	lim = 15360 - a2;
	a1 = g722_clamp(a1, -lim, lim);

	p->a1 = a1;
	p->a2 = a2;
	p->sg2 = p->sg1;
	p->sg1 = sg0;

	/* FILTEP, PREDIC */
	sp = g722_sat16(((a1 * r0x) >> 15) + ((a2 * p->r1x) >> 15));
	p->r1x = r0x;
	p->s = g722_sat16(sp + p->sz);
}


/*
 * QUANTL: the 6-bit code of the difference `el` (whose one's complement
 * magnitude is `wd`) with scale `det`.
 */
static inline unsigned g722_quantl(int32_t el, int32_t wd, int32_t det)
{
	unsigned k = 0;

	/* the largest k with Q6[k] * DET >> 12 <= wd */
	if (((g722_q6[k + 16] * det) >> 12) <= wd) k += 16;
	if (((g722_q6[k + 8] * det) >> 12) <= wd) k += 8;
	if (((g722_q6[k + 4] * det) >> 12) <= wd) k += 4;
	if (((g722_q6[k + 2] * det) >> 12) <= wd) k += 2;
	if (((g722_q6[k + 1] * det) >> 12) <= wd) k += 1;
	if (k > 29)
		k = 29;
	return el < 0 ? g722_iln[k + 1] : g722_ilp[k + 1];
}

/* QUANTH: the 2-bit code. */
static inline unsigned g722_quanth(int32_t eh, int32_t wd, int32_t det)
{
	const unsigned outer = wd >= ((564 * det) >> 12);

	return eh < 0 ? 1 - outer : 3 - outer;
}

/* LOGSCL and LOGSCH: the new NB after a 4-bit or 2-bit code. */
static inline int32_t g722_low_nb(int32_t nb, unsigned ril)
{
	return g722_clamp(((nb * 32512) >> 15) + g722_wl[ril], 0, 18432);
}

static inline int32_t g722_high_nb(int32_t nb, unsigned ih)
{
	return g722_clamp(((nb * 32512) >> 15) + g722_wh[ih], 0, 22528);
}


/* Lower-band encoder: SUBTRA, QUANTL, INVQAL, LOGSCL, SCALEL, update. */
static inline unsigned g722_low_encode(struct dp_g722_band *p, int32_t xl)
{
	const int32_t el = g722_sat16(xl - p->s);
	const int32_t det = p->det;
	const unsigned il = g722_quantl(el, el ^ (el >> 31), det);
	const unsigned ril = il >> 2;

	p->nb = g722_low_nb(p->nb, ril);
	p->det = g722_scale(p->nb, 1);
	g722_band_update(p, (det * g722_qm4[ril]) >> 15);

	return il;
}


/* Higher-band encoder: SUBTRA, QUANTH, INVQAH, LOGSCH, SCALEH, update. */
static inline unsigned g722_high_encode(struct dp_g722_band *p, int32_t xh)
{
	const int32_t eh = g722_sat16(xh - p->s);
	const int32_t det = p->det;
	const unsigned ih = g722_quanth(eh, eh ^ (eh >> 31), det);

	p->nb = g722_high_nb(p->nb, ih);
	p->det = g722_scale(p->nb, 0);
	g722_band_update(p, (det * g722_qm2[ih]) >> 15);

	return ih;
}


/* Lower-band decoder; `qm`/`shift`: the mode's inverse quantizer. */
static inline int32_t g722_low_decode(struct dp_g722_band *p, unsigned il,
				      const int16_t *qm, unsigned shift)
{
	const int32_t det = p->det;
	const unsigned ril = il >> 2;
	const int32_t rl = g722_clamp(p->s + ((det * qm[il >> shift]) >> 15),
				      -16384, 16383);

	p->nb = g722_low_nb(p->nb, ril);
	p->det = g722_scale(p->nb, 1);
	g722_band_update(p, (det * g722_qm4[ril]) >> 15);

	return rl;
}


/* Higher-band decoder: the output is the predictor's own RH, limited. */
static inline int32_t g722_high_decode(struct dp_g722_band *p, unsigned ih)
{
	const int32_t det = p->det;
	const int32_t dh = (det * g722_qm2[ih]) >> 15;
	const int32_t rh = g722_clamp(p->s + dh, -16384, 16383);

	p->nb = g722_high_nb(p->nb, ih);
	p->det = g722_scale(p->nb, 0);
	g722_band_update(p, dh);

	return rh;
}

#endif
