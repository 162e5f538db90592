/**
 * @file g722_model.c  See g722_model.h
 */
#include <string.h>
#include "g722_model.h"

/* --- 16-bit operations with saturation -------------------------------- */

static int sat(long v)
{
	return v > 32767 ? 32767 : (v < -32768 ? -32768 : (int)v);
}

static int add(int a, int b) { return sat((long)a + b); }
static int sub(int a, int b) { return sat((long)a - b); }
static int mult(int a, int b) { return sat(((long)a * b) >> 15); }
static int shl(int a, int n) { return sat((long)a * (1L << n)); }
static int neg(int a) { return sat(-(long)a); }
static int sign(int a) { return a < 0 ? -1 : 0; }

static int limit15(int v)
{
	return v > 16383 ? 16383 : (v < -16384 ? -16384 : v);
}

/* --- tables, in the Recommendation's form --------------------------- */

/* QUANTL decision levels, interval 1..30 */
static const int Q6[31] = {
	0, 35, 72, 110, 150, 190, 233, 276, 323, 370, 422, 473, 530, 587,
	650, 714, 786, 858, 940, 1023, 1121, 1219, 1339, 1458, 1612, 1765,
	1980, 2195, 2557, 2919, 3200
};
/* Output levels of the 4-, 5- and 6-bit inverse quantizers (magnitudes) */
static const int OQ4[8] = { 0, 150, 323, 530, 786, 1121, 1612, 2557 };
static const int OQ5[16] = {
	0, 35, 110, 190, 276, 370, 473, 587, 714, 858, 1023, 1219, 1458,
	1765, 2195, 2919
};
static const int OQ6[31] = {
	0, 17, 54, 91, 130, 170, 211, 254, 300, 347, 396, 447, 501, 558,
	618, 682, 750, 822, 899, 982, 1072, 1170, 1279, 1399, 1535, 1689,
	1873, 2088, 2376, 2738, 3101
};
static const int OQ2[3] = { 0, 202, 926 };
static const int WL[8] = { -60, -30, 58, 172, 334, 538, 1198, 3042 };
static const int WH[3] = { 0, -214, 798 };
static const int ILB[32] = {
	2048, 2093, 2139, 2186, 2233, 2282, 2332, 2383, 2435, 2489, 2543,
	2599, 2656, 2714, 2774, 2834, 2896, 2960, 3025, 3091, 3158, 3228,
	3298, 3371, 3444, 3520, 3597, 3676, 3756, 3838, 3922, 4008
};
static const int QMF[12] = {
	3, -11, 12, 32, -210, 951, 3876, -805, 362, -156, 53, -11
};

/*
 * The code words.  Lower band: interval `m` (1..30) of a negative
 * difference is coded 63, 62, then 31 down to 4; of a positive one 61
 * down to 32.  Read back, the 4-bit code (top four bits) gives a level
 * 0..7 and a sign; the 5- and 6-bit codes likewise.
 */
static int lower_code(int negative, int m)
{
	if (negative)
		return m == 1 ? 63 : (m == 2 ? 62 : 34 - m);
	return 62 - m;
}

static void level4(int i4, int *lev, int *negative)
{
	/* 0: zero, 1..7 negative, 8..15 positive, 15 being level 0 */
	*negative = i4 >= 1 && i4 <= 7;
	*lev = i4 == 0 || i4 == 15 ? 0 : (i4 < 8 ? 8 - i4 : 15 - i4);
}

static void level5(int i5, int *lev, int *negative)
{
	*negative = i5 < 16 || i5 == 31;
	if (i5 < 2 || i5 >= 30)
		*lev = 1;
	else
		*lev = i5 < 16 ? 17 - i5 : 31 - i5;
}

static void level6(int i6, int *lev, int *negative)
{
	*negative = i6 < 32 || i6 >= 62;
	if (i6 < 4)
		*lev = 1;
	else if (i6 < 32)
		*lev = 34 - i6;
	else if (i6 < 62)
		*lev = 62 - i6;
	else
		*lev = 64 - i6;
}

/* --- the blocks ------------------------------------------------------ */

static void band_reset(struct g722_model_band *p, int det)
{
	memset(p, 0, sizeof(*p));
	p->det = det;
}

static int quantl(int el, int det)
{
	int wd = el < 0 ? -(el + 1) : el;   /* |el| by one's complement */
	int m = 1;

	while (m < 30 && mult(shl(Q6[m], 3), det) <= wd)
		m++;
	return lower_code(el < 0, m);
}

static int quanth(int eh, int det)
{
	int wd = eh < 0 ? -(eh + 1) : eh;
	int outer = wd >= mult(shl(564, 3), det);

	if (eh < 0)
		return outer ? 0 : 1;
	return outer ? 2 : 3;
}

static int invqal(int il, int det)
{
	int lev, negative;

	level4(il >> 2, &lev, &negative);
	return mult(det, negative ? neg(shl(OQ4[lev], 3)) : shl(OQ4[lev], 3));
}

static int invqbl(int il, int det, int mode)
{
	int lev, negative, wd;

	if (mode == 3) {
		level4(il >> 2, &lev, &negative);
		wd = shl(OQ4[lev], 3);
	}
	else if (mode == 2) {
		level5(il >> 1, &lev, &negative);
		wd = shl(OQ5[lev], 3);
	}
	else {
		level6(il, &lev, &negative);
		wd = shl(OQ6[lev], 3);
	}
	return mult(det, negative ? neg(wd) : wd);
}

static int invqah(int ih, int det)
{
	int lev = (ih & 1) ? 1 : 2;         /* 1 and 3 are the inner levels */

	return mult(ih < 2 ? neg(shl(OQ2[lev], 3)) : shl(OQ2[lev], 3), det);
}

static int logscl(int il, int nb)
{
	int lev, negative, v;

	level4(il >> 2, &lev, &negative);
	v = add(mult(nb, 32512), WL[lev]);
	return v < 0 ? 0 : (v > 18432 ? 18432 : v);
}

static int logsch(int ih, int nb)
{
	int v = add(mult(nb, 32512), WH[(ih & 1) ? 1 : 2]);

	return v < 0 ? 0 : (v > 22528 ? 22528 : v);
}

/* SCALEL/SCALEH: 2^(nb/2048) from the 32-entry mantissa table */
static int scale(int nb, int shift_base)
{
	int wd1 = (nb >> 6) & 31, wd2 = nb >> 11;
	int sh = shift_base - wd2;
	int wd3 = sh >= 0 ? ILB[wd1] >> sh : ILB[wd1] << -sh;

	return wd3 << 2;
}

static void upzero(struct g722_model_band *p)
{
	int wd1 = p->d[0] == 0 ? 0 : 128;

	for (int i = 6; i >= 1; i--) {
		int wd2 = sign(p->d[0]) == sign(p->d[i]) ? wd1 : neg(wd1);

		p->b[i] = add(wd2, mult(p->b[i], 32640));
	}
	for (int i = 6; i >= 1; i--)
		p->d[i] = p->d[i - 1];
}

static void uppol2(struct g722_model_band *p)
{
	int wd1 = shl(p->a[1], 2);
	int wd2 = sign(p->p[0]) == sign(p->p[1]) ? neg(wd1) : wd1;
	int wd3 = sign(p->p[0]) == sign(p->p[2]) ? 128 : -128;
	int v = add(add(wd2 >> 7, wd3), mult(p->a[2], 32512));

	p->a[2] = v > 12288 ? 12288 : (v < -12288 ? -12288 : v);
}

static void uppol1(struct g722_model_band *p)
{
	int wd1 = sign(p->p[0]) == sign(p->p[1]) ? 192 : -192;
	int v = add(wd1, mult(p->a[1], 32640));
	int wd3 = sub(15360, p->a[2]);

	if (v > wd3)
		v = wd3;
	else if (v < neg(wd3))
		v = neg(wd3);
	p->a[1] = v;
	p->p[2] = p->p[1];
	p->p[1] = p->p[0];
}

static int filtez(const struct g722_model_band *p)
{
	int sz = 0;

	for (int i = 6; i >= 1; i--)
		sz = add(sz, mult(add(p->d[i], p->d[i]), p->b[i]));
	return sz;
}

static int filtep(struct g722_model_band *p)
{
	p->r[2] = p->r[1];
	p->r[1] = p->r[0];
	return add(mult(p->a[1], add(p->r[1], p->r[1])),
		   mult(p->a[2], add(p->r[2], p->r[2])));
}

/* The predictor update that follows each new difference `dq`. */
static void adapt(struct g722_model_band *p, int dq)
{
	p->d[0] = dq;
	p->p[0] = add(dq, p->sz);            /* PARREC */
	p->r[0] = add(p->s, dq);             /* RECONS */
	upzero(p);
	uppol2(p);
	uppol1(p);
	p->sz = filtez(p);
	p->sp = filtep(p);
	p->s = add(p->sp, p->sz);            /* PREDIC */
}

/* --- entry points ---------------------------------------------------- */

void g722_model_reset(struct g722_model *m, int mode)
{
	memset(m, 0, sizeof(*m));
	band_reset(&m->lo, 32);
	band_reset(&m->hi, 8);
	m->mode = mode;
}

unsigned g722_model_encode_subbands(struct g722_model *m, int xl, int xh)
{
	struct g722_model_band *lo = &m->lo, *hi = &m->hi;
	int il, ih, dq, det;

	il = quantl(sub(xl, lo->s), lo->det);
	det = lo->det;
	dq = invqal(il, det);
	lo->nb = logscl(il, lo->nb);
	lo->det = scale(lo->nb, 8);
	adapt(lo, dq);

	ih = quanth(sub(xh, hi->s), hi->det);
	det = hi->det;
	dq = invqah(ih, det);
	hi->nb = logsch(ih, hi->nb);
	hi->det = scale(hi->nb, 10);
	adapt(hi, dq);

	return (unsigned)(ih << 6 | il);
}

void g722_model_decode_subbands(struct g722_model *m, unsigned code,
				int *rl, int *rh)
{
	struct g722_model_band *lo = &m->lo, *hi = &m->hi;
	int il = code & 63, ih = (code >> 6) & 3, dq, det;

	det = lo->det;
	*rl = limit15(add(lo->s, invqbl(il, det, m->mode)));
	dq = invqal(il, det);
	lo->nb = logscl(il, lo->nb);
	lo->det = scale(lo->nb, 8);
	adapt(lo, dq);

	det = hi->det;
	dq = invqah(ih, det);
	hi->nb = logsch(ih, hi->nb);
	hi->det = scale(hi->nb, 10);
	adapt(hi, dq);
	*rh = limit15(hi->r[1]);             /* RECONS, moved by FILTEP */
}

void g722_model_encode(struct g722_model *m, uint8_t *dst,
		       const int16_t *src, size_t nsamples)
{
	for (size_t n = 0; n + 1 < nsamples; n += 2) {
		long even = 0, odd = 0;

		for (int i = 23; i >= 2; i--)
			m->tx[i] = m->tx[i - 2];
		m->tx[1] = src[n];
		m->tx[0] = src[n + 1];
		/* QMF taps: delay 2i and 2i+1 take coefficients i and 11-i
		 * of the symmetric 24-tap filter */
		for (int i = 0; i < 12; i++) {
			even += (long)QMF[i] * m->tx[2 * i];
			odd += (long)QMF[11 - i] * m->tx[2 * i + 1];
		}
		dst[n / 2] = (uint8_t)g722_model_encode_subbands(m,
			limit15((int)((even + odd) >> 14)),
			limit15((int)((even - odd) >> 14)));
	}
}

void g722_model_decode(struct g722_model *m, int16_t *dst,
		       const uint8_t *src, size_t noctets)
{
	for (size_t n = 0; n < noctets; n++) {
		long even = 0, odd = 0;
		int rl, rh;

		g722_model_decode_subbands(m, src[n], &rl, &rh);
		for (int i = 23; i >= 2; i--)
			m->rx[i] = m->rx[i - 2];
		m->rx[1] = add(rl, rh);
		m->rx[0] = sub(rl, rh);
		for (int i = 0; i < 12; i++) {
			even += (long)QMF[i] * m->rx[2 * i];
			odd += (long)QMF[11 - i] * m->rx[2 * i + 1];
		}
		dst[2 * n] = (int16_t)sat(even >> 11);
		dst[2 * n + 1] = (int16_t)sat(odd >> 11);
	}
}
