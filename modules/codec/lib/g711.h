/**
 * @file g711.h  ITU-T G.711 (PCMU and PCMA), bit-exact with ITU-T G.191
 *
 * Linear samples are 16-bit; each law keeps only the bits it codes
 * (µ-law the top 14, A-law the top 13), as G.191's reference does.
 * Negative samples are truncated towards minus infinity (one's
 * complement magnitude), which is where other implementations part
 * from the reference.  Every function handles all 65536 inputs and all
 * 256 codes; none allocates or keeps state.
 */
#ifndef DESKPHONE_G711_H
#define DESKPHONE_G711_H

#include <stddef.h>
#include <stdint.h>

/* Generated at build time by tables_gen.c (see build.mk). */
extern const uint8_t dp_g711_ulaw_enc[16384];  /* index: (x >> 2) & 0x3fff */
extern const uint8_t dp_g711_alaw_enc[4096];   /* index: (x >> 4) & 0x0fff */
extern const int16_t dp_g711_ulaw_dec[256];
extern const int16_t dp_g711_alaw_dec[256];

static inline uint8_t dp_pcmu_from_linear(int16_t x)
{
	return dp_g711_ulaw_enc[((uint16_t)x >> 2) & 0x3fff];
}

static inline uint8_t dp_pcma_from_linear(int16_t x)
{
	return dp_g711_alaw_enc[((uint16_t)x >> 4) & 0x0fff];
}

static inline int16_t dp_pcmu_to_linear(uint8_t code)
{
	return dp_g711_ulaw_dec[code];
}

static inline int16_t dp_pcma_to_linear(uint8_t code)
{
	return dp_g711_alaw_dec[code];
}

/* n samples in, n octets out (and the reverse); src and dst may not overlap. */
void dp_pcmu_encode(uint8_t *dst, const int16_t *src, size_t n);
void dp_pcmu_decode(int16_t *dst, const uint8_t *src, size_t n);
void dp_pcma_encode(uint8_t *dst, const int16_t *src, size_t n);
void dp_pcma_decode(int16_t *dst, const uint8_t *src, size_t n);

#endif
