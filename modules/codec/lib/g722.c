/**
 * @file g722.c  G.722 encoder and decoder: QMF and the two ADPCM coders
 */
#include <errno.h>
#include <string.h>
#include "g722.h"
#include "g722_adpcm.h"

#if defined(__SSE2__) && !defined(DP_G722_PORTABLE)
#define G722_SSE2 1
#include "g722_sse2.h"
#endif

/*
 * The 24 QMF coefficients over a window of 24 samples, oldest first.  The
 * analysis sums them over the window for the lower band and with the
 * even positions negated for the higher; the synthesis uses the odd and
 * the even positions apart.  Keeping four 24-entry rows lets each
 * filter be two plain dot products.
 */
static const _Alignas(16) int16_t qmf_sum[24] = {
	3, -11, -11, 53, 12, -156, 32, 362, -210, -805, 951, 3876,
	3876, 951, -805, -210, 362, 32, -156, 12, 53, -11, -11, 3
};
static const _Alignas(16) int16_t qmf_diff[24] = {
	-3, -11, 11, 53, -12, -156, -32, 362, 210, -805, -951, 3876,
	-3876, 951, 805, -210, -362, 32, 156, 12, -53, -11, 11, 3
};
/* the newest sample of a decoder pair is rl - rh: its taps first */
static const _Alignas(16) int16_t qmf_newer[24] = {
	0, -11, 0, 53, 0, -156, 0, 362, 0, -805, 0, 3876,
	0, 951, 0, -210, 0, 32, 0, 12, 0, -11, 0, 3
};
static const _Alignas(16) int16_t qmf_older[24] = {
	3, 0, -11, 0, 12, 0, 32, 0, -210, 0, 951, 0,
	3876, 0, -805, 0, 362, 0, -156, 0, 53, 0, -11, 0
};


/*
 * Append two samples (`older` first in time) and return the window of the
 * last 24, oldest first.
 */
static inline const int16_t *qmf_push(int16_t *hist, unsigned *pos,
				      int16_t older, int16_t newer)
{
	unsigned p = *pos;

	if (p > DP_G722_QMF_HISTORY - 2) {
		memmove(hist, hist + p - 22, 22 * sizeof(*hist));
		p = 22;
	}
	hist[p] = older;
	hist[p + 1] = newer;
	*pos = p + 2;

	return hist + p + 2 - 24;
}


void dp_g722_encoder_init(struct dp_g722_encoder *enc)
{
	memset(enc, 0, sizeof(*enc));
	g722_band_reset(&enc->low, 32);
	g722_band_reset(&enc->high, 8);
	enc->qmf_pos = 22;
}


int dp_g722_decoder_init(struct dp_g722_decoder *dec, int mode)
{
	if (mode < 1 || mode > 3)
		return EINVAL;

	memset(dec, 0, sizeof(*dec));
	g722_band_reset(&dec->low, 32);
	g722_band_reset(&dec->high, 8);
	dec->qmf_pos = 22;
	dec->mode = mode;

	return 0;
}


static void mode_quantizer(int mode, const int16_t **qm, unsigned *shift)
{
	switch (mode) {
	case 2:  *qm = g722_qm5; *shift = 1; break;
	case 3:  *qm = g722_qm4; *shift = 2; break;
	default: *qm = g722_qm6; *shift = 0; break;
	}
}


/*
 * The QMF filters are dot products of the 24-sample window with
 * coefficient rows.  Every sum is exact in 32 bits:
 * 32768 * sum(|c|) = 32768 * 12964 < 2^31.
 */
#ifdef G722_SSE2

/* Two dot products, returned in lanes 0 and 1 (pmaddwd is exact). */
static inline __m128i qmf_dot2(const int16_t *w, const int16_t *c1,
			       const int16_t *c2)
{
	const __m128i w0 = _mm_loadu_si128((const __m128i *)w);
	const __m128i w1 = _mm_loadu_si128((const __m128i *)(w + 8));
	const __m128i w2 = _mm_loadu_si128((const __m128i *)(w + 16));
	const __m128i *k1 = (const __m128i *)c1, *k2 = (const __m128i *)c2;
	__m128i a, b, x;

	a = _mm_add_epi32(_mm_madd_epi16(w0, _mm_load_si128(k1)),
			  _mm_madd_epi16(w1, _mm_load_si128(k1 + 1)));
	a = _mm_add_epi32(a, _mm_madd_epi16(w2, _mm_load_si128(k1 + 2)));
	b = _mm_add_epi32(_mm_madd_epi16(w0, _mm_load_si128(k2)),
			  _mm_madd_epi16(w1, _mm_load_si128(k2 + 1)));
	b = _mm_add_epi32(b, _mm_madd_epi16(w2, _mm_load_si128(k2 + 2)));

	/* both horizontal sums at once: [a0+a2, b0+b2, a1+a3, b1+b3] */
	x = _mm_add_epi32(_mm_unpacklo_epi32(a, b), _mm_unpackhi_epi32(a, b));
	return _mm_add_epi32(x, _mm_srli_si128(x, 8));
}


uint8_t dp_g722_encode_subbands(struct dp_g722_encoder *enc, int xl, int xh)
{
	struct g722_vec v;
	unsigned code;

	g722_vec_load(&v, &enc->low, &enc->high);
	code = g722_vec_encode(&v, g722_pair(xl, xh));
	g722_vec_store(&v, &enc->low, &enc->high);

	return (uint8_t)code;
}


size_t dp_g722_encode(struct dp_g722_encoder *enc, uint8_t *dst,
		      const int16_t *src, size_t nsamples)
{
	const __m128i lo15 = _mm_set1_epi16(-16384), hi15 = _mm_set1_epi16(16383);
	size_t n = nsamples / 2;
	struct g722_vec v;

	g722_vec_load(&v, &enc->low, &enc->high);
	for (size_t i = 0; i < n; i++) {
		const int16_t *w = qmf_push(enc->qmf, &enc->qmf_pos,
					    src[2 * i], src[2 * i + 1]);
		__m128i x = _mm_srai_epi32(qmf_dot2(w, qmf_sum, qmf_diff), 14);

		/* the reference limits both sub-band signals to 15 bits */
		x = _mm_packs_epi32(x, x);
		x = _mm_min_epi16(_mm_max_epi16(x, lo15), hi15);
		dst[i] = (uint8_t)g722_vec_encode(&v, x);
	}
	g722_vec_store(&v, &enc->low, &enc->high);

	return n;
}


void dp_g722_decode_subbands(struct dp_g722_decoder *dec, uint8_t code,
			     int *rl, int *rh)
{
	const int16_t *qm;
	unsigned shift;
	struct g722_vec v;
	int32_t l, h;

	mode_quantizer(dec->mode, &qm, &shift);
	g722_vec_load(&v, &dec->low, &dec->high);
	g722_vec_decode(&v, code, qm, shift, &l, &h);
	g722_vec_store(&v, &dec->low, &dec->high);
	*rl = l;
	*rh = h;
}


/* One loop per mode, so that each has its inverse quantizer as a constant. */
__attribute__((always_inline))
static inline void decode_loop(struct dp_g722_decoder *dec, int16_t *dst,
			       const uint8_t *src, size_t noctets,
			       const int16_t *qm, unsigned shift)
{
	struct g722_vec v;

	g722_vec_load(&v, &dec->low, &dec->high);
	for (size_t i = 0; i < noctets; i++) {
		int32_t rl, rh;
		const int16_t *w;
		__m128i y;

		g722_vec_decode(&v, src[i], qm, shift, &rl, &rh);
		/* rl and rh are 15-bit: their sum and difference fit 16 bits */
		w = qmf_push(dec->qmf, &dec->qmf_pos, (int16_t)(rl + rh),
			     (int16_t)(rl - rh));
		/* >> 11 and saturate: the reference's L_shl(.., 4), extract_h */
		y = _mm_srai_epi32(qmf_dot2(w, qmf_newer, qmf_older), 11);
		y = _mm_packs_epi32(y, y);
		memcpy(dst + 2 * i, &(int32_t){ _mm_cvtsi128_si32(y) }, 4);
	}
	g722_vec_store(&v, &dec->low, &dec->high);
}


size_t dp_g722_decode(struct dp_g722_decoder *dec, int16_t *dst,
		      const uint8_t *src, size_t noctets)
{
	switch (dec->mode) {
	case 2:
		decode_loop(dec, dst, src, noctets, g722_qm5, 1);
		break;
	case 3:
		decode_loop(dec, dst, src, noctets, g722_qm4, 2);
		break;
	default:
		decode_loop(dec, dst, src, noctets, g722_qm6, 0);
		break;
	}

	return 2 * noctets;
}

#else   /* portable C */

static inline void qmf_dot2(const int16_t *restrict w,
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


static inline uint8_t encode_pair(struct dp_g722_encoder *enc, int32_t xl,
				  int32_t xh)
{
	unsigned il = g722_low_encode(&enc->low, xl);
	unsigned ih = g722_high_encode(&enc->high, xh);

	return (uint8_t)(ih << 6 | il);
}


uint8_t dp_g722_encode_subbands(struct dp_g722_encoder *enc, int xl, int xh)
{
	return encode_pair(enc, xl, xh);
}


size_t dp_g722_encode(struct dp_g722_encoder *enc, uint8_t *dst,
		      const int16_t *src, size_t nsamples)
{
	size_t n = nsamples / 2;

	for (size_t i = 0; i < n; i++) {
		const int16_t *w = qmf_push(enc->qmf, &enc->qmf_pos,
					    src[2 * i], src[2 * i + 1]);
		int32_t lo, hi, xl, xh;

		qmf_dot2(w, qmf_sum, qmf_diff, &lo, &hi);
		/* the reference limits both sub-band signals to 15 bits */
		xl = g722_clamp(lo >> 14, -16384, 16383);
		xh = g722_clamp(hi >> 14, -16384, 16383);

		dst[i] = encode_pair(enc, xl, xh);
	}

	return n;
}


static inline void decode_octet(struct dp_g722_decoder *dec, uint8_t code,
				const int16_t *qm, unsigned shift,
				int32_t *rl, int32_t *rh)
{
	*rl = g722_low_decode(&dec->low, code & 0x3f, qm, shift);
	*rh = g722_high_decode(&dec->high, code >> 6);
}


void dp_g722_decode_subbands(struct dp_g722_decoder *dec, uint8_t code,
			     int *rl, int *rh)
{
	const int16_t *qm;
	unsigned shift;
	int32_t l, h;

	mode_quantizer(dec->mode, &qm, &shift);
	decode_octet(dec, code, qm, shift, &l, &h);
	*rl = l;
	*rh = h;
}


size_t dp_g722_decode(struct dp_g722_decoder *dec, int16_t *dst,
		      const uint8_t *src, size_t noctets)
{
	const int16_t *qm;
	unsigned shift;

	mode_quantizer(dec->mode, &qm, &shift);

	for (size_t i = 0; i < noctets; i++) {
		int32_t rl, rh, first, second;
		const int16_t *w;

		decode_octet(dec, src[i], qm, shift, &rl, &rh);
		/* rl and rh are 15-bit: their sum and difference fit 16 bits */
		w = qmf_push(dec->qmf, &dec->qmf_pos, (int16_t)(rl + rh),
			     (int16_t)(rl - rh));
		qmf_dot2(w, qmf_newer, qmf_older, &first, &second);
		/* >> 11 and saturate: the reference's L_shl(.., 4), extract_h */
		dst[2 * i]     = (int16_t)g722_clamp(first >> 11, -32768, 32767);
		dst[2 * i + 1] = (int16_t)g722_clamp(second >> 11, -32768, 32767);
	}

	return 2 * noctets;
}

#endif
