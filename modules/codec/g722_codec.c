/**
 * @file g722_codec.c  G.722 for baresip: 64 kbit/s, two samples an octet
 *
 * The states are the library's plain structs inside mem_zalloc'd objects
 * (the core releases them with mem_deref).  An update call on a state
 * that exists keeps it: the core calls update more than once per stream,
 * and resetting the ADPCM state mid-stream would be audible.
 */
#include <errno.h>
#include <stddef.h>
#include <rem_au.h>
#include "modules/codec/lib/g722.h"
#include "codec.h"

struct auenc_state {
	struct dp_g722_encoder enc;
};

struct audec_state {
	struct dp_g722_decoder dec;
};


int dpcodec_g722_encode_update(struct auenc_state **aesp,
			       const struct aucodec *ac,
			       struct auenc_param *prm, const char *fmtp)
{
	struct auenc_state *st;

	(void)ac;
	(void)prm;
	(void)fmtp;
	if (!aesp)
		return EINVAL;
	if (*aesp)
		return 0;

	st = mem_zalloc(sizeof(*st), NULL);
	if (!st)
		return ENOMEM;
	dp_g722_encoder_init(&st->enc);
	*aesp = st;

	return 0;
}


int dpcodec_g722_encode(struct auenc_state *aes, bool *marker, uint8_t *buf,
			size_t *len, int fmt, const void *sampv, size_t sampc)
{
	(void)marker;
	if (!aes || !buf || !len || !sampv || !sampc || sampc % 2)
		return EINVAL;
	if (fmt != AUFMT_S16LE)
		return ENOTSUP;
	if (*len < sampc / 2)
		return ENOMEM;

	*len = dp_g722_encode(&aes->enc, buf, sampv, sampc);

	return 0;
}


int dpcodec_g722_decode_update(struct audec_state **adsp,
			       const struct aucodec *ac, const char *fmtp)
{
	struct audec_state *st;
	int err;

	(void)ac;
	(void)fmtp;
	if (!adsp)
		return EINVAL;
	if (*adsp)
		return 0;

	st = mem_zalloc(sizeof(*st), NULL);
	if (!st)
		return ENOMEM;
	err = dp_g722_decoder_init(&st->dec, 1);
	if (err) {
		mem_deref(st);
		return err;
	}
	*adsp = st;

	return 0;
}


int dpcodec_g722_decode(struct audec_state *ads, int fmt, void *sampv,
			size_t *sampc, bool marker, const uint8_t *buf,
			size_t len)
{
	(void)marker;
	if (!ads || !sampv || !sampc || !buf || !len)
		return EINVAL;
	if (fmt != AUFMT_S16LE)
		return ENOTSUP;
	if (len > *sampc / 2)
		return ENOMEM;

	*sampc = dp_g722_decode(&ads->dec, sampv, buf, len);

	return 0;
}
