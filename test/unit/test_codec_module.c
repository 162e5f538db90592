/**
 * @file test_codec_module.c  The dpcodec module's handlers against the
 *                            baresip codec contract
 */
#include <errno.h>
#include <stdlib.h>
#include <re.h>
#include <rem_au.h>
#include "dptest.h"
#include "modules/codec/codec.h"
#include "modules/codec/lib/g711.h"
#include "modules/codec/lib/g722.h"

typedef int (enc_h)(struct auenc_state *, bool *, uint8_t *, size_t *, int,
		    const void *, size_t);
typedef int (dec_h)(struct audec_state *, int, void *, size_t *, bool,
		    const uint8_t *, size_t);

static uint32_t lcg(uint32_t *s)
{
	*s = *s * 1103515245u + 12345u;
	return *s >> 1;
}

static void tone(int16_t *x, size_t n, uint32_t seed)
{
	for (size_t i = 0; i < n; i++)
		x[i] = (int16_t)((int)(lcg(&seed) % 20000) - 10000);
}


/* The checks every encoder makes, before it writes anything. */
static void encoder_rejects_bad_calls(struct auenc_state *st, enc_h *enc,
				      size_t octets_per_320)
{
	int16_t x[320];
	uint8_t buf[400];
	size_t len;
	bool marker = false;

	tone(x, 320, 1);
	memset(buf, 0xee, sizeof(buf));

	len = sizeof(buf);
	DP_ASSERT_EQ(enc(st, &marker, buf, &len, AUFMT_FLOAT, x, 320), ENOTSUP);
	DP_ASSERT_EQ(enc(st, &marker, buf, &len, AUFMT_PCMU, x, 320), ENOTSUP);
	DP_ASSERT_EQ(enc(st, &marker, buf, &len, AUFMT_S16LE, x, 0), EINVAL);
	DP_ASSERT_EQ(enc(st, &marker, buf, &len, AUFMT_S16LE, NULL, 320), EINVAL);
	DP_ASSERT_EQ(enc(st, &marker, NULL, &len, AUFMT_S16LE, x, 320), EINVAL);
	DP_ASSERT_EQ(enc(st, &marker, buf, NULL, AUFMT_S16LE, x, 320), EINVAL);

	/* one octet short: ENOMEM and nothing written */
	len = octets_per_320 - 1;
	DP_ASSERT_EQ(enc(st, &marker, buf, &len, AUFMT_S16LE, x, 320), ENOMEM);
	DP_ASSERT_EQ(len, octets_per_320 - 1);
	for (size_t i = 0; i < sizeof(buf); i++)
		DP_ASSERT_EQ(buf[i], 0xee);

	len = octets_per_320;
	DP_ASSERT_OK(enc(st, &marker, buf, &len, AUFMT_S16LE, x, 320));
	DP_ASSERT_EQ(len, octets_per_320);
	DP_ASSERT_EQ(buf[octets_per_320], 0xee);
}


static void decoder_rejects_bad_calls(struct audec_state *st, dec_h *dec,
				      size_t samples_per_octet)
{
	uint8_t c[160];
	int16_t y[400];
	size_t sampc;

	memset(c, 0x5a, sizeof(c));
	for (size_t i = 0; i < 400; i++)
		y[i] = 0x1234;

	sampc = 400;
	DP_ASSERT_EQ(dec(st, AUFMT_FLOAT, y, &sampc, false, c, 160), ENOTSUP);
	DP_ASSERT_EQ(dec(st, AUFMT_S16LE, y, &sampc, false, c, 0), EINVAL);
	DP_ASSERT_EQ(dec(st, AUFMT_S16LE, y, &sampc, false, NULL, 160), EINVAL);
	DP_ASSERT_EQ(dec(st, AUFMT_S16LE, NULL, &sampc, false, c, 160), EINVAL);
	DP_ASSERT_EQ(dec(st, AUFMT_S16LE, y, NULL, false, c, 160), EINVAL);

	sampc = 160 * samples_per_octet - 1;
	DP_ASSERT_EQ(dec(st, AUFMT_S16LE, y, &sampc, false, c, 160), ENOMEM);
	DP_ASSERT_EQ(sampc, 160 * samples_per_octet - 1);
	for (size_t i = 0; i < 400; i++)
		DP_ASSERT_EQ(y[i], 0x1234);

	sampc = 400;
	DP_ASSERT_OK(dec(st, AUFMT_S16LE, y, &sampc, false, c, 160));
	DP_ASSERT_EQ(sampc, 160 * samples_per_octet);
	DP_ASSERT_EQ(y[sampc], 0x1234);
}


DP_TEST(pcmu_contract)
{
	encoder_rejects_bad_calls(NULL, dpcodec_pcmu_encode, 320);
	decoder_rejects_bad_calls(NULL, dpcodec_pcmu_decode, 1);
}

DP_TEST(pcma_contract)
{
	encoder_rejects_bad_calls(NULL, dpcodec_pcma_encode, 320);
	decoder_rejects_bad_calls(NULL, dpcodec_pcma_decode, 1);
}

DP_TEST(g711_output_is_the_library_s)
{
	int16_t x[160], y[160];
	uint8_t c[160];
	size_t len = sizeof(c), sampc = 160;

	tone(x, 160, 5);
	DP_ASSERT_OK(dpcodec_pcmu_encode(NULL, NULL, c, &len, AUFMT_S16LE,
					 x, 160));
	for (size_t i = 0; i < 160; i++)
		DP_ASSERT_EQ(c[i], dp_pcmu_from_linear(x[i]));
	DP_ASSERT_OK(dpcodec_pcma_decode(NULL, AUFMT_S16LE, y, &sampc,
					 false, c, 160));
	for (size_t i = 0; i < 160; i++)
		DP_ASSERT_EQ(y[i], dp_pcma_to_linear(c[i]));
}

DP_TEST(g722_contract)
{
	struct auenc_state *enc = NULL;
	struct audec_state *dec = NULL;
	int16_t x[321];
	uint8_t buf[200];
	size_t len = sizeof(buf);

	DP_ASSERT_OK(dpcodec_g722_encode_update(&enc, NULL, NULL, NULL));
	DP_ASSERT_OK(dpcodec_g722_decode_update(&dec, NULL, NULL));
	DP_ASSERT(enc && dec);
	DP_ASSERT_EQ(dpcodec_g722_encode_update(NULL, NULL, NULL, NULL), EINVAL);
	DP_ASSERT_EQ(dpcodec_g722_decode_update(NULL, NULL, NULL), EINVAL);

	encoder_rejects_bad_calls(enc, dpcodec_g722_encode, 160);
	decoder_rejects_bad_calls(dec, dpcodec_g722_decode, 2);

	/* an odd sample count cannot be coded */
	tone(x, 321, 3);
	DP_ASSERT_EQ(dpcodec_g722_encode(enc, NULL, buf, &len, AUFMT_S16LE,
					 x, 321), EINVAL);
	DP_ASSERT_EQ(dpcodec_g722_encode(NULL, NULL, buf, &len, AUFMT_S16LE,
					 x, 320), EINVAL);

	mem_deref(enc);
	mem_deref(dec);
}

/* A second update (the core makes one per SDP exchange) keeps the stream
 * going: the output equals an uninterrupted encoding. */
DP_TEST(g722_update_twice_keeps_state)
{
	struct auenc_state *enc = NULL, *first;
	struct audec_state *dec = NULL, *dfirst;
	struct dp_g722_encoder ref;
	struct dp_g722_decoder dref;
	static int16_t x[3200], y[3200], yref[3200];
	static uint8_t c[1600], cref[1600];

	tone(x, 3200, 9);
	dp_g722_encoder_init(&ref);
	dp_g722_encode(&ref, cref, x, 3200);
	DP_ASSERT_OK(dp_g722_decoder_init(&dref, 1));
	dp_g722_decode(&dref, yref, cref, 1600);

	DP_ASSERT_OK(dpcodec_g722_encode_update(&enc, NULL, NULL, NULL));
	DP_ASSERT_OK(dpcodec_g722_decode_update(&dec, NULL, NULL));
	first = enc;
	dfirst = dec;
	for (size_t f = 0; f < 10; f++) {
		size_t len = 160, sampc = 320;

		DP_ASSERT_OK(dpcodec_g722_encode(enc, NULL, c + 160 * f, &len,
						 AUFMT_S16LE, x + 320 * f, 320));
		DP_ASSERT_EQ(len, 160);
		DP_ASSERT_OK(dpcodec_g722_decode(dec, AUFMT_S16LE, y + 320 * f,
						 &sampc, false, c + 160 * f,
						 160));
		DP_ASSERT_EQ(sampc, 320);
		if (f == 4) {
			DP_ASSERT_OK(dpcodec_g722_encode_update(&enc, NULL, NULL,
								"x=1"));
			DP_ASSERT_OK(dpcodec_g722_decode_update(&dec, NULL,
								NULL));
			DP_ASSERT(enc == first && dec == dfirst);
		}
	}
	DP_ASSERT_MEMEQ(c, cref, sizeof(c));
	DP_ASSERT_MEMEQ(y, yref, sizeof(y));
	mem_deref(enc);
	mem_deref(dec);
}

/* A datagram larger than the core's 5760-sample buffer can hold. */
DP_TEST(g722_oversized_packet_is_refused)
{
	struct audec_state *dec = NULL;
	static uint8_t c[2881];
	int16_t *y = malloc(5760 * sizeof(int16_t));
	size_t sampc = 5760;

	DP_ASSERT(y != NULL);
	DP_ASSERT_OK(dpcodec_g722_decode_update(&dec, NULL, NULL));
	DP_ASSERT_EQ(dpcodec_g722_decode(dec, AUFMT_S16LE, y, &sampc, false,
					 c, sizeof(c)), ENOMEM);
	sampc = 5760;
	DP_ASSERT_OK(dpcodec_g722_decode(dec, AUFMT_S16LE, y, &sampc, false,
					 c, 2880));
	DP_ASSERT_EQ(sampc, 5760);
	free(y);
	mem_deref(dec);
}

/*
 * Random payloads of random sizes into output buffers of random sizes,
 * each allocated to exactly its capacity: under AddressSanitizer a
 * single write past the end fails the test.
 */
DP_TEST(decoders_survive_random_payloads)
{
	struct audec_state *dec = NULL;
	uint32_t s = 77;
	unsigned decoded = 0, refused = 0;

	DP_ASSERT_OK(dpcodec_g722_decode_update(&dec, NULL, NULL));
	for (int round = 0; round < 3000; round++) {
		size_t len = 1 + lcg(&s) % 400;
		size_t cap = lcg(&s) % 900;
		uint8_t *buf = malloc(len);
		int16_t *out = malloc(cap ? cap * sizeof(int16_t) : 1);
		dec_h *h = round % 3 == 0 ? dpcodec_g722_decode :
			   round % 3 == 1 ? dpcodec_pcmu_decode :
					    dpcodec_pcma_decode;
		size_t per = round % 3 == 0 ? 2 : 1;
		size_t sampc = cap;
		int err;

		DP_ASSERT(buf && out);
		for (size_t i = 0; i < len; i++)
			buf[i] = (uint8_t)lcg(&s);
		err = h(round % 3 == 0 ? dec : NULL, AUFMT_S16LE, out, &sampc,
			false, buf, len);
		if (len * per <= cap) {
			DP_ASSERT_OK(err);
			DP_ASSERT_EQ(sampc, len * per);
			decoded++;
		}
		else {
			DP_ASSERT_EQ(err, ENOMEM);
			DP_ASSERT_EQ(sampc, cap);
			refused++;
		}
		free(buf);
		free(out);
	}
	DP_ASSERT(decoded > 500 && refused > 500);
	mem_deref(dec);
}
