/**
 * @file g722.h  ITU-T G.722 sub-band ADPCM, bit-exact with the ITU-T
 *               reference (G.191 STL), QMF and saturation included
 *
 * Linear audio is 16 kHz, 16-bit; one octet codes two samples, with the
 * higher band's two bits on top (the octet as RFC 3551 sends it).  The
 * encoder always codes 64 kbit/s (mode 1); the decoder also takes modes
 * 2 and 3 (56 and 48 kbit/s: the lowest one or two bits of the lower
 * band are then ignored).
 *
 * States are plain structs the caller owns; nothing here allocates, locks
 * or keeps global state, so a state may live on the stack, in a codec
 * object or in a test.  The fields are private.
 *
 * The sub-band entry points run the two ADPCM coders without the QMF, as
 * the ITU-T Appendix II test sequences require.
 */
#ifndef DESKPHONE_G722_H
#define DESKPHONE_G722_H

#include <stddef.h>
#include <stdint.h>

/* One sub-band ADPCM coder (encoder and decoder keep the same state). */
struct dp_g722_band {
	/* the last six quantized differences, newest first, and the zero
	 * section's six coefficients; lanes 6 and 7 are spare (the vector
	 * code works on eight), b[6] and b[7] stay 0 */
	_Alignas(16) int16_t d[8];
	_Alignas(16) int16_t b[8];
	int32_t s;          /* predicted signal */
	int32_t sz;         /* its zero-section part */
	int32_t det;        /* quantizer scale factor */
	int32_t nb;         /* its logarithm */
	int32_t a1, a2;     /* pole-section coefficients */
	int32_t r1x;        /* last reconstructed signal, doubled and saturated */
	int32_t sg1, sg2;   /* signs (0 or -1) of the last two partial signals */
};

struct dp_g722_encoder {
	struct dp_g722_band low, high;
	int16_t qmf[22];    /* the last 22 input samples, oldest first */
};

struct dp_g722_decoder {
	struct dp_g722_band low, high;
	int16_t qmf[22];    /* the last 11 reconstructed sub-band pairs
			     * (lower, higher), oldest first */
	int mode;           /* 1, 2 or 3 */
};

void dp_g722_encoder_init(struct dp_g722_encoder *enc);

/*
 * Encode `nsamples` samples (an even number; an odd last one is ignored)
 * into nsamples / 2 octets.  Returns the octets written.
 */
size_t dp_g722_encode(struct dp_g722_encoder *enc, uint8_t *dst,
		      const int16_t *src, size_t nsamples);

/* Mode 1, 2 or 3; anything else is EINVAL and leaves `dec` untouched. */
int dp_g722_decoder_init(struct dp_g722_decoder *dec, int mode);

/* Decode `noctets` octets into 2 * noctets samples; returns the samples. */
size_t dp_g722_decode(struct dp_g722_decoder *dec, int16_t *dst,
		      const uint8_t *src, size_t noctets);

/*
 * Sub-band access, QMF bypassed.  `xl` and `xh` are 15-bit sub-band
 * samples (-16384..16383); the result is the octet.  The decoder gives
 * the two reconstructed 15-bit sub-band samples.  The init functions
 * above are the reset.
 */
uint8_t dp_g722_encode_subbands(struct dp_g722_encoder *enc, int xl, int xh);
void dp_g722_decode_subbands(struct dp_g722_decoder *dec, uint8_t code,
			     int *rl, int *rh);

/* The coders compiled in: "sse2", "neon" or "portable". */
const char *dp_g722_kernel(void);

#endif
