/**
 * @file g722.c  G.722 encoder and decoder: blocks of up to 160 octets
 *               through the QMF and the two ADPCM coders
 *
 * The coders come from one of three headers, chosen at compile time:
 * g722_sse2.h (x86-64), g722_neon.h (ARM with NEON) or the portable C of
 * g722_adpcm.h and g722_qmf.h (DP_G722_PORTABLE forces it).  Each gives
 * g722_encode_block, g722_decode_block, g722_qmf_analysis and
 * g722_qmf_synthesis with the same meaning.
 */
#include <errno.h>
#include <string.h>
#include "g722.h"
#include "g722_adpcm.h"
#include "g722_qmf.h"

#if defined(__SSE2__) && !defined(DP_G722_PORTABLE)
#include "g722_sse2.h"
#define G722_KERNEL "sse2"
#elif defined(__ARM_NEON) && !defined(DP_G722_PORTABLE)
#include "g722_neon.h"
#define G722_KERNEL "neon"
#else
#define G722_KERNEL "portable"

static inline void g722_encode_block(struct dp_g722_encoder *enc,
				     uint8_t *restrict dst,
				     const int16_t *restrict sub, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned il = g722_low_encode(&enc->low, sub[2 * i]);
		unsigned ih = g722_high_encode(&enc->high, sub[2 * i + 1]);

		dst[i] = (uint8_t)(ih << 6 | il);
	}
}

static inline void g722_decode_block(struct dp_g722_decoder *dec,
				     int16_t *restrict r,
				     const uint8_t *restrict src, size_t n)
{
	const int16_t *qm = dec->mode == 3 ? g722_qm4 :
			    dec->mode == 2 ? g722_qm5 : g722_qm6;
	const unsigned shift = (unsigned)dec->mode - 1;

	for (size_t i = 0; i < n; i++) {
		r[2 * i] = (int16_t)g722_low_decode(&dec->low, src[i] & 0x3f,
						    qm, shift);
		r[2 * i + 1] = (int16_t)g722_high_decode(&dec->high, src[i] >> 6);
	}
}

#define g722_qmf_analysis  g722_qmf_analysis_c
#define g722_qmf_synthesis g722_qmf_synthesis_c

#endif


const char *dp_g722_kernel(void)
{
	return G722_KERNEL;
}


void dp_g722_encoder_init(struct dp_g722_encoder *enc)
{
	memset(enc, 0, sizeof(*enc));
	g722_band_reset(&enc->low, 32);
	g722_band_reset(&enc->high, 8);
}


int dp_g722_decoder_init(struct dp_g722_decoder *dec, int mode)
{
	if (mode < 1 || mode > 3)
		return EINVAL;

	memset(dec, 0, sizeof(*dec));
	g722_band_reset(&dec->low, 32);
	g722_band_reset(&dec->high, 8);
	dec->mode = mode;

	return 0;
}


uint8_t dp_g722_encode_subbands(struct dp_g722_encoder *enc, int xl, int xh)
{
	const int16_t sub[2] = { (int16_t)xl, (int16_t)xh };
	uint8_t code;

	g722_encode_block(enc, &code, sub, 1);
	return code;
}


void dp_g722_decode_subbands(struct dp_g722_decoder *dec, uint8_t code,
			     int *rl, int *rh)
{
	int16_t r[2];

	g722_decode_block(dec, r, &code, 1);
	*rl = r[0];
	*rh = r[1];
}


size_t dp_g722_encode(struct dp_g722_encoder *enc, uint8_t *dst,
		      const int16_t *src, size_t nsamples)
{
	/* the QMF's window: 22 older samples, then the block */
	_Alignas(16) int16_t in[22 + 2 * G722_BLOCK + G722_SLACK];
	_Alignas(16) int16_t sub[2 * G722_BLOCK];
	const size_t total = nsamples / 2;

	for (size_t done = 0; done < total; ) {
		const size_t n = total - done < G722_BLOCK ? total - done
							   : G722_BLOCK;

		memcpy(in, enc->qmf, sizeof(enc->qmf));
		memcpy(in + 22, src + 2 * done, 2 * n * sizeof(*src));
		memset(in + 22 + 2 * n, 0, G722_SLACK * sizeof(*in));
		memcpy(enc->qmf, in + 2 * n, sizeof(enc->qmf));

		g722_qmf_analysis(in, sub, n);
		g722_encode_block(enc, dst + done, sub, n);
		done += n;
	}

	return total;
}


size_t dp_g722_decode(struct dp_g722_decoder *dec, int16_t *dst,
		      const uint8_t *src, size_t noctets)
{
	/* 11 older pairs, then the block's */
	_Alignas(16) int16_t r[22 + 2 * G722_BLOCK + G722_SLACK];

	for (size_t done = 0; done < noctets; ) {
		const size_t n = noctets - done < G722_BLOCK ? noctets - done
							     : G722_BLOCK;

		memcpy(r, dec->qmf, sizeof(dec->qmf));
		g722_decode_block(dec, r + 22, src + done, n);
		memset(r + 22 + 2 * n, 0, G722_SLACK * sizeof(*r));
		memcpy(dec->qmf, r + 2 * n, sizeof(dec->qmf));

		g722_qmf_synthesis(r, dst + 2 * done, n);
		done += n;
	}

	return 2 * noctets;
}
