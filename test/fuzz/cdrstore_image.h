/**
 * @file cdrstore_image.h  How fuzz_cdrstore's inputs describe a store
 *                         image, shared with the tool that makes its
 *                         seeds from real stores (test/tools/
 *                         cdr_fuzz_seed.c)
 *
 * A store is at least 16 sectors of 4 KiB, mostly zeros; an input is
 * small and says only where the bytes that are not zero go:
 *
 *   byte 0      ring sectors: 6 + byte % 11 (an image of 16 to 26 sectors)
 *   byte 1      what the harness does besides reading (CDRIMG_* flags)
 *   then        patches, each: offset / 16 (2 bytes, little-endian),
 *               length (2 bytes, little-endian), the bytes; a patch
 *               reaching past the image is cut at its end
 *
 * The device secret is fixed, so a store made with it (and only such a
 * store) has records that verify.
 */
#ifndef DESKPHONE_FUZZ_CDRSTORE_IMAGE_H
#define DESKPHONE_FUZZ_CDRSTORE_IMAGE_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

enum {
	CDRIMG_SECTOR    = 4096,
	CDRIMG_META      = 10,           /* control and key sectors */
	CDRIMG_MIN_RING  = 6,
	CDRIMG_RINGS     = 11,
	CDRIMG_MAX_SIZE  = (CDRIMG_META + CDRIMG_MIN_RING + CDRIMG_RINGS - 1)
			   * CDRIMG_SECTOR,
	CDRIMG_HEAD      = 2,

	CDRIMG_WRITER    = 0x01,   /* open as the daemon does, append, reread */
	CDRIMG_DESTROY   = 0x02,   /* ... and destroy old epoch keys */
	CDRIMG_DROP      = 0x04,   /* ... and drop old records */
};

static const uint8_t cdrimg_secret[32] =
	"fuzz-cdr-store-device-secret-01";

static inline size_t cdrimg_size(uint8_t b0)
{
	return (size_t)(CDRIMG_META + CDRIMG_MIN_RING + b0 % CDRIMG_RINGS) *
		CDRIMG_SECTOR;
}


/* The image an input describes, into `img` (cdrimg_size() bytes). */
static inline void cdrimg_decode(const uint8_t *in, size_t n, uint8_t *img,
				 size_t size)
{
	size_t i = CDRIMG_HEAD;

	memset(img, 0, size);
	while (i + 4 <= n) {
		size_t off = (size_t)(in[i] | in[i + 1] << 8) * 16;
		size_t len = (size_t)(in[i + 2] | in[i + 3] << 8);

		i += 4;
		if (len > n - i)
			len = n - i;
		if (off < size)
			memcpy(img + off, in + i,
			       len < size - off ? len : size - off);
		i += len;
	}
}

#endif
