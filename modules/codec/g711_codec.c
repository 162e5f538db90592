/**
 * @file g711_codec.c  PCMU and PCMA for baresip: one octet per sample
 */
#include <errno.h>
#include <stddef.h>
#include <rem_au.h>
#include "modules/codec/lib/g711.h"
#include "codec.h"


static int check_encode(uint8_t *buf, size_t *len, int fmt,
			const void *sampv, size_t sampc)
{
	if (!buf || !len || !sampv || !sampc)
		return EINVAL;
	if (fmt != AUFMT_S16LE)
		return ENOTSUP;
	if (*len < sampc)
		return ENOMEM;

	return 0;
}


static int check_decode(int fmt, void *sampv, size_t *sampc,
			const uint8_t *buf, size_t len)
{
	if (!sampv || !sampc || !buf || !len)
		return EINVAL;
	if (fmt != AUFMT_S16LE)
		return ENOTSUP;
	if (*sampc < len)
		return ENOMEM;

	return 0;
}


int dpcodec_pcmu_encode(struct auenc_state *aes, bool *marker, uint8_t *buf,
			size_t *len, int fmt, const void *sampv, size_t sampc)
{
	int err = check_encode(buf, len, fmt, sampv, sampc);

	(void)aes;
	(void)marker;
	if (err)
		return err;

	dp_pcmu_encode(buf, sampv, sampc);
	*len = sampc;

	return 0;
}


int dpcodec_pcmu_decode(struct audec_state *ads, int fmt, void *sampv,
			size_t *sampc, bool marker, const uint8_t *buf,
			size_t len)
{
	int err = check_decode(fmt, sampv, sampc, buf, len);

	(void)ads;
	(void)marker;
	if (err)
		return err;

	dp_pcmu_decode(sampv, buf, len);
	*sampc = len;

	return 0;
}


int dpcodec_pcma_encode(struct auenc_state *aes, bool *marker, uint8_t *buf,
			size_t *len, int fmt, const void *sampv, size_t sampc)
{
	int err = check_encode(buf, len, fmt, sampv, sampc);

	(void)aes;
	(void)marker;
	if (err)
		return err;

	dp_pcma_encode(buf, sampv, sampc);
	*len = sampc;

	return 0;
}


int dpcodec_pcma_decode(struct audec_state *ads, int fmt, void *sampv,
			size_t *sampc, bool marker, const uint8_t *buf,
			size_t len)
{
	int err = check_decode(fmt, sampv, sampc, buf, len);

	(void)ads;
	(void)marker;
	if (err)
		return err;

	dp_pcma_decode(sampv, buf, len);
	*sampc = len;

	return 0;
}
