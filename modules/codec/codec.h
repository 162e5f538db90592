/**
 * @file codec.h  The dpcodec module's codec handlers (internal)
 *
 * Handlers follow baresip's audio-codec contract (modules/baresip_api.h):
 * S16LE only (ENOTSUP otherwise); empty, odd-sized or missing input is
 * EINVAL; an output buffer too small is ENOMEM, found before anything is
 * written.  G.711 is stateless; G.722 keeps one state per direction,
 * allocated by the first update call and kept by later ones.
 */
#ifndef DESKPHONE_MODULES_CODEC_H
#define DESKPHONE_MODULES_CODEC_H

#include "modules/baresip_api.h"

int dpcodec_pcmu_encode(struct auenc_state *aes, bool *marker, uint8_t *buf,
			size_t *len, int fmt, const void *sampv, size_t sampc);
int dpcodec_pcmu_decode(struct audec_state *ads, int fmt, void *sampv,
			size_t *sampc, bool marker, const uint8_t *buf,
			size_t len);
int dpcodec_pcma_encode(struct auenc_state *aes, bool *marker, uint8_t *buf,
			size_t *len, int fmt, const void *sampv, size_t sampc);
int dpcodec_pcma_decode(struct audec_state *ads, int fmt, void *sampv,
			size_t *sampc, bool marker, const uint8_t *buf,
			size_t len);

int dpcodec_g722_encode_update(struct auenc_state **aesp,
			       const struct aucodec *ac,
			       struct auenc_param *prm, const char *fmtp);
int dpcodec_g722_encode(struct auenc_state *aes, bool *marker, uint8_t *buf,
			size_t *len, int fmt, const void *sampv, size_t sampc);
int dpcodec_g722_decode_update(struct audec_state **adsp,
			       const struct aucodec *ac, const char *fmtp);
int dpcodec_g722_decode(struct audec_state *ads, int fmt, void *sampv,
			size_t *sampc, bool marker, const uint8_t *buf,
			size_t len);

#endif
