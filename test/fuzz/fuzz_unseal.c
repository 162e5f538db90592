/**
 * @file fuzz_unseal.c  Sealed blobs (privacy/crypto/seal.c): dp_unseal on
 *                      arbitrary blobs, and seal/unseal round trips
 *
 * An arbitrary blob must be refused (it cannot carry a valid tag) without
 * touching memory outside it; a blob we sealed must open to the same
 * bytes, and must not open once any byte of it is changed.
 */
#include <string.h>
#include <re.h>
#include "privacy/crypto/crypto.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const uint8_t secret[DP_KEY_LEN] = "fuzz-device-secret-0123456789ab";


int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t *blob = NULL, *pt = NULL;
	size_t bloblen = 0, ptlen = 0;

	if (0 == dp_unseal(secret, "fuzz", data, size, &pt, &ptlen))
		__builtin_trap();   /* a forged blob opened */

	if (dp_seal(secret, "fuzz", data, size, &blob, &bloblen))
		return 0;

	if (dp_unseal(secret, "fuzz", blob, bloblen, &pt, &ptlen) ||
	    ptlen != size || (size && memcmp(pt, data, size)) || pt[size])
		__builtin_trap();
	pt = mem_deref(pt);

	/* another label must not open it */
	if (0 == dp_unseal(secret, "fuzz2", blob, bloblen, &pt, &ptlen))
		__builtin_trap();

	/* flip one bit, chosen by the input */
	blob[(size ? data[0] : 0) % bloblen] ^= 0x01;
	if (0 == dp_unseal(secret, "fuzz", blob, bloblen, &pt, &ptlen))
		__builtin_trap();

	mem_deref(blob);

	return 0;
}
