/**
 * @file fuzz_codec.c  The codecs (modules/codec/) on arbitrary octets and
 *                     samples: G.722 in modes 1 to 3, PCMU and PCMA
 *
 * Input: one byte of options (bits 0-1: the G.722 decoder's mode, 1 to
 * 3; bits 2-7: the packet size), then the payload.  The payload is
 * decoded as a stream of packets through the module's handlers into
 * buffers of exactly the size they need, after a first call with one
 * sample less, which must be refused before anything is written.  The
 * same payload, read as 16-bit samples, is encoded the same way.
 *
 * Checks, beyond what the sanitizers see: the shipped build (SSE2 on
 * x86-64), the portable C build and the independent model
 * (test/unit/g722_model.c) give the same octets and samples, packet by
 * packet and on the sub-band entry points (the first REFERENCE_OCTETS); an odd last sample is ignored;
 * G.711 decode(encode(decode(c))) == decode(c).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <re.h>
#include <rem_au.h>
#include "modules/codec/codec.h"
#include "modules/codec/lib/g711.h"
#include "modules/codec/lib/g722.h"
#include "test/unit/g722_model.h"
#include "test/unit/g722_portable.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The second and third G.722 (portable build, model) see this much of the
 * payload: they are slow under coverage instrumentation, and the first
 * thousand octets reach every state the rest could. */
enum { REFERENCE_OCTETS = 1024 };

typedef int (enc_h)(struct auenc_state *, bool *, uint8_t *, size_t *, int,
		    const void *, size_t);
typedef int (dec_h)(struct audec_state *, int, void *, size_t *, bool,
		    const uint8_t *, size_t);

#define CHECK(c) do { if (!(c)) __builtin_trap(); } while (0)


/* Decode `n` octets in packets of `pkt` through `dec`, into `out`. */
static void decode_packets(dec_h *dec, struct audec_state *ads,
			   const uint8_t *in, size_t n, size_t pkt,
			   size_t samples_per_octet, int16_t *out)
{
	for (size_t off = 0; off < n; off += pkt) {
		size_t len = n - off < pkt ? n - off : pkt;
		size_t need = len * samples_per_octet, sampc;
		int16_t *exact = malloc(need * sizeof(int16_t));
		uint8_t *pkt_copy = malloc(len);
		bool marker = false;

		CHECK(exact && pkt_copy);
		memcpy(pkt_copy, in + off, len);

		/* one sample short: refused, nothing written (ASan would
		 * see a write past `exact` only on the call after) */
		sampc = need - 1;
		CHECK(ENOMEM == dec(ads, AUFMT_S16LE, exact, &sampc, marker,
				    pkt_copy, len));
		CHECK(sampc == need - 1);

		sampc = need;
		CHECK(0 == dec(ads, AUFMT_S16LE, exact, &sampc, marker,
			       pkt_copy, len));
		CHECK(sampc == need);
		memcpy(out + off * samples_per_octet, exact,
		       need * sizeof(int16_t));

		free(pkt_copy);
		free(exact);
	}
}


/* Encode `n` samples in packets of `pkt` samples (even) through `enc`. */
static void encode_packets(enc_h *enc, struct auenc_state *aes,
			   const int16_t *in, size_t n, size_t pkt,
			   size_t samples_per_octet, uint8_t *out)
{
	for (size_t off = 0; off < n; off += pkt) {
		size_t sampc = n - off < pkt ? n - off : pkt;
		size_t need = sampc / samples_per_octet, len;
		uint8_t *exact = malloc(need);
		int16_t *samples = malloc(sampc * sizeof(int16_t));
		bool marker = false;

		CHECK(exact && samples);
		memcpy(samples, in + off, sampc * sizeof(int16_t));

		len = need - 1;
		CHECK(ENOMEM == enc(aes, &marker, exact, &len, AUFMT_S16LE,
				    samples, sampc));
		CHECK(len == need - 1);

		len = need;
		CHECK(0 == enc(aes, &marker, exact, &len, AUFMT_S16LE,
			       samples, sampc));
		CHECK(len == need);
		memcpy(out + off / samples_per_octet, exact, need);

		free(samples);
		free(exact);
	}
}


/* The library's decoder in `mode`, packet by packet, into exact buffers. */
static void lib_decode_packets(int mode, const uint8_t *in, size_t n,
			       size_t pkt, int16_t *out)
{
	struct dp_g722_decoder d;

	CHECK(0 == dp_g722_decoder_init(&d, mode));
	for (size_t off = 0; off < n; off += pkt) {
		size_t len = n - off < pkt ? n - off : pkt;
		int16_t *exact = malloc(2 * len * sizeof(int16_t));

		CHECK(exact);
		CHECK(2 * len == dp_g722_decode(&d, exact, in + off, len));
		memcpy(out + 2 * off, exact, 2 * len * sizeof(int16_t));
		free(exact);
	}
}


static void g722_decoding(const uint8_t *in, size_t n, int mode, size_t pkt)
{
	struct audec_state *ads = NULL;
	struct dp_g722_decoder portable;
	struct g722_model model;
	size_t nref = n < REFERENCE_OCTETS ? n : REFERENCE_OCTETS;
	int16_t *ours = malloc(2 * n * sizeof(int16_t));
	int16_t *port = malloc(2 * n * sizeof(int16_t));
	int16_t *ref = malloc(2 * n * sizeof(int16_t));

	CHECK(ours && port && ref);

	/* the module's handler: RTP's G.722 is always mode 1 */
	CHECK(0 == dpcodec_g722_decode_update(&ads, NULL, NULL));
	decode_packets(dpcodec_g722_decode, ads, in, n, pkt, 2, ours);
	g722_model_reset(&model, 1);
	g722_model_decode(&model, ref, in, nref);
	CHECK(0 == memcmp(ours, ref, 2 * nref * sizeof(int16_t)));

	/* the library in the mode asked for */
	lib_decode_packets(mode, in, n, pkt, ours);
	CHECK(0 == g722p_decoder_init(&portable, mode));
	CHECK(2 * nref == g722p_decode(&portable, port, in, nref));
	g722_model_reset(&model, mode);
	g722_model_decode(&model, ref, in, nref);
	CHECK(0 == memcmp(ours, port, 2 * nref * sizeof(int16_t)));
	CHECK(0 == memcmp(ours, ref, 2 * nref * sizeof(int16_t)));

	/* the sub-band decoders, QMF bypassed */
	{
		struct dp_g722_decoder d;

		CHECK(0 == dp_g722_decoder_init(&d, mode));
		g722_model_reset(&model, mode);
		for (size_t i = 0; i < nref; i++) {
			int rl, rh, ml, mh;

			dp_g722_decode_subbands(&d, in[i], &rl, &rh);
			g722_model_decode_subbands(&model, in[i], &ml, &mh);
			CHECK(rl == ml && rh == mh);
			CHECK(rl >= -16384 && rl <= 16383);
			CHECK(rh >= -16384 && rh <= 16383);
		}
	}

	free(ref);
	free(port);
	free(ours);
	mem_deref(ads);
}


static void g722_encoding(const int16_t *x, size_t nsamp, size_t pkt)
{
	struct auenc_state *aes = NULL;
	struct dp_g722_encoder portable, whole;
	struct g722_model model;
	size_t even = nsamp & ~(size_t)1, noct = nsamp / 2;
	size_t nref = noct < REFERENCE_OCTETS ? noct : REFERENCE_OCTETS;
	uint8_t *ours = malloc(noct + 1), *port = malloc(noct + 1);
	uint8_t *ref = malloc(noct + 1), *odd = malloc(noct + 1);

	CHECK(ours && port && ref && odd);
	CHECK(0 == dpcodec_g722_encode_update(&aes, NULL, NULL, NULL));

	if (even)
		encode_packets(dpcodec_g722_encode, aes, x, even, pkt, 2,
			       ours);

	g722p_encoder_init(&portable);
	CHECK(nref == g722p_encode(&portable, port, x, 2 * nref));
	g722_model_reset(&model, 1);
	g722_model_encode(&model, ref, x, 2 * nref);
	CHECK(0 == memcmp(ours, port, nref));
	CHECK(0 == memcmp(ours, ref, nref));

	/* an odd count: the last sample is ignored, nothing more written */
	dp_g722_encoder_init(&whole);
	CHECK(noct == dp_g722_encode(&whole, odd, x, nsamp));
	CHECK(0 == memcmp(odd, ours, noct));

	/* the handler refuses an odd count (and zero) */
	if (nsamp % 2) {
		size_t len = noct + 1;
		bool marker = false;

		CHECK(EINVAL == dpcodec_g722_encode(aes, &marker, odd, &len,
						    AUFMT_S16LE, x, nsamp));
	}

	free(odd);
	free(ref);
	free(port);
	free(ours);
	mem_deref(aes);
}


static void g711(const uint8_t *in, size_t n, const int16_t *x, size_t nsamp,
		 size_t pkt)
{
	static dec_h *const dec[2] = { dpcodec_pcmu_decode,
				       dpcodec_pcma_decode };
	static enc_h *const enc[2] = { dpcodec_pcmu_encode,
				       dpcodec_pcma_encode };
	static int16_t (*const to_linear[2])(uint8_t) = {
		dp_pcmu_to_linear, dp_pcma_to_linear };
	static uint8_t (*const from_linear[2])(int16_t) = {
		dp_pcmu_from_linear, dp_pcma_from_linear };

	for (int law = 0; law < 2; law++) {
		int16_t *pcm = malloc((n ? n : 1) * sizeof(int16_t));
		uint8_t *codes = malloc(nsamp ? nsamp : 1);

		CHECK(pcm && codes);
		decode_packets(dec[law], NULL, in, n, pkt, 1, pcm);
		for (size_t i = 0; i < n; i++) {
			CHECK(pcm[i] == to_linear[law](in[i]));
			CHECK(to_linear[law](from_linear[law](pcm[i])) ==
			      pcm[i]);
		}

		encode_packets(enc[law], NULL, x, nsamp, pkt, 1, codes);
		for (size_t i = 0; i < nsamp; i++)
			CHECK(codes[i] == from_linear[law](x[i]));

		free(codes);
		free(pcm);
	}
}


int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *payload;
	size_t n, nsamp, pkt;
	int16_t *x;
	int mode;

	if (size < 1)
		return 0;

	mode = 1 + (data[0] & 3) % 3;
	pkt = 1 + (size_t)(data[0] >> 2) * 5;    /* 1 .. 316 */
	payload = data + 1;
	n = size - 1;

	/* samples: the payload's bytes, little-endian, an odd byte left */
	nsamp = n / 2;
	x = calloc(nsamp ? nsamp : 1, sizeof(int16_t));
	if (!x)
		return 0;
	for (size_t i = 0; i < nsamp; i++)
		x[i] = (int16_t)(payload[2 * i] | payload[2 * i + 1] << 8);

	if (n)
		g722_decoding(payload, n, mode, pkt);
	g722_encoding(x, nsamp, 2 * pkt);
	if (n)
		g711(payload, n, x, nsamp, pkt);

	free(x);

	return 0;
}
