/**
 * @file g711.c  G.711 buffers: table look-ups, four samples a round
 */
#include "g711.h"


void dp_pcmu_encode(uint8_t *restrict dst, const int16_t *restrict src,
		    size_t n)
{
	size_t i = 0;

	for (; i + 4 <= n; i += 4) {
		dst[i]     = dp_pcmu_from_linear(src[i]);
		dst[i + 1] = dp_pcmu_from_linear(src[i + 1]);
		dst[i + 2] = dp_pcmu_from_linear(src[i + 2]);
		dst[i + 3] = dp_pcmu_from_linear(src[i + 3]);
	}
	for (; i < n; i++)
		dst[i] = dp_pcmu_from_linear(src[i]);
}


void dp_pcmu_decode(int16_t *restrict dst, const uint8_t *restrict src,
		    size_t n)
{
	size_t i = 0;

	for (; i + 4 <= n; i += 4) {
		dst[i]     = dp_pcmu_to_linear(src[i]);
		dst[i + 1] = dp_pcmu_to_linear(src[i + 1]);
		dst[i + 2] = dp_pcmu_to_linear(src[i + 2]);
		dst[i + 3] = dp_pcmu_to_linear(src[i + 3]);
	}
	for (; i < n; i++)
		dst[i] = dp_pcmu_to_linear(src[i]);
}


void dp_pcma_encode(uint8_t *restrict dst, const int16_t *restrict src,
		    size_t n)
{
	size_t i = 0;

	for (; i + 4 <= n; i += 4) {
		dst[i]     = dp_pcma_from_linear(src[i]);
		dst[i + 1] = dp_pcma_from_linear(src[i + 1]);
		dst[i + 2] = dp_pcma_from_linear(src[i + 2]);
		dst[i + 3] = dp_pcma_from_linear(src[i + 3]);
	}
	for (; i < n; i++)
		dst[i] = dp_pcma_from_linear(src[i]);
}


void dp_pcma_decode(int16_t *restrict dst, const uint8_t *restrict src,
		    size_t n)
{
	size_t i = 0;

	for (; i + 4 <= n; i += 4) {
		dst[i]     = dp_pcma_to_linear(src[i]);
		dst[i + 1] = dp_pcma_to_linear(src[i + 1]);
		dst[i + 2] = dp_pcma_to_linear(src[i + 2]);
		dst[i + 3] = dp_pcma_to_linear(src[i + 3]);
	}
	for (; i < n; i++)
		dst[i] = dp_pcma_to_linear(src[i]);
}
