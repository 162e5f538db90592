/**
 * @file codec.c  dpcodec: our G.722, PCMU and PCMA in baresip
 *
 * Registered in order of preference: G.722 (HD voice; SDP rtpmap
 * G722/8000 as RFC 3551 requires, while the audio runs at 16 kHz), then
 * PCMU, then PCMA.  Load it on a `module` line before account.so, as
 * every codec module must be.
 */
#include "codec.h"

static struct aucodec codecs[] = {
	{
		.pt = "9", .name = "G722", .srate = 16000, .crate = 8000,
		.ch = 1, .pch = 1,
		.encupdh = dpcodec_g722_encode_update,
		.ench = dpcodec_g722_encode,
		.decupdh = dpcodec_g722_decode_update,
		.dech = dpcodec_g722_decode,
	},
	{
		.pt = "0", .name = "PCMU", .srate = 8000, .crate = 8000,
		.ch = 1, .pch = 1,
		.ench = dpcodec_pcmu_encode, .dech = dpcodec_pcmu_decode,
	},
	{
		.pt = "8", .name = "PCMA", .srate = 8000, .crate = 8000,
		.ch = 1, .pch = 1,
		.ench = dpcodec_pcma_encode, .dech = dpcodec_pcma_decode,
	},
};

enum { NCODECS = sizeof(codecs) / sizeof(codecs[0]) };


static int module_init(void)
{
	for (size_t i = 0; i < NCODECS; i++)
		aucodec_register(baresip_aucodecl(), &codecs[i]);

	return 0;
}


static int module_close(void)
{
	for (size_t i = 0; i < NCODECS; i++)
		aucodec_unregister(&codecs[i]);

	return 0;
}


const struct mod_export exports = {
	"dpcodec",
	"codec",
	module_init,
	module_close
};
