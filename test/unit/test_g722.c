/**
 * @file test_g722.c  G.722: the ITU-T Appendix II sequences, the full
 *                    codec against an independent model and FFmpeg,
 *                    loud signals, odd sizes, random streams
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include "dptest.h"
#include "g722_model.h"
#include "g722_portable.h"
#include "modules/codec/lib/g722.h"
#include "test/tools/peer_codecs.h"
#include "test/tools/speechlike.h"

enum { SECONDS = 4, RATE = 16000, NSAMP = SECONDS * RATE };


/* A little-endian 16-bit word file from test/data/g722-itu-appendix2. */
static uint16_t *read_words(const char *name, size_t *count)
{
	char path[1024];
	uint8_t *raw;
	uint16_t *w;
	FILE *f;
	long size;

	snprintf(path, sizeof(path), "%s/g722-itu-appendix2/%s",
		 dptest_datadir(), name);
	f = fopen(path, "rb");
	DP_ASSERT_MSG(f != NULL, "cannot open %s", path);
	fseek(f, 0, SEEK_END);
	size = ftell(f);
	rewind(f);
	raw = malloc((size_t)size);
	w = malloc((size_t)size);
	DP_ASSERT(raw && w);
	DP_ASSERT_EQ(fread(raw, 1, (size_t)size, f), size);
	fclose(f);
	for (long i = 0; i < size / 2; i++)
		w[i] = (uint16_t)(raw[2 * i] | raw[2 * i + 1] << 8);
	free(raw);
	*count = (size_t)size / 2;

	return w;
}


/* Both builds of the library: the one shipped and the portable C one. */
struct impl {
	const char *name;
	void (*enc_init)(struct dp_g722_encoder *);
	uint8_t (*enc_subbands)(struct dp_g722_encoder *, int, int);
	int (*dec_init)(struct dp_g722_decoder *, int);
	void (*dec_subbands)(struct dp_g722_decoder *, uint8_t, int *, int *);
	size_t (*encode)(struct dp_g722_encoder *, uint8_t *, const int16_t *,
			 size_t);
	size_t (*decode)(struct dp_g722_decoder *, int16_t *, const uint8_t *,
			 size_t);
};

static const struct impl impls[2] = {
	{ "built", dp_g722_encoder_init, dp_g722_encode_subbands,
	  dp_g722_decoder_init, dp_g722_decode_subbands, dp_g722_encode,
	  dp_g722_decode },
	{ "portable", g722p_encoder_init, g722p_encode_subbands,
	  g722p_decoder_init, g722p_decode_subbands, g722p_encode,
	  g722p_decode },
};


/* The build's own coders are its platform's vector ones: a build that
 * fell back to the portable C would test that twice and nothing else. */
DP_TEST(built_coders_are_the_platforms)
{
#if defined(__SSE2__)
	DP_ASSERT_STREQ(dp_g722_kernel(), "sse2");
#elif defined(__ARM_NEON)
	DP_ASSERT_STREQ(dp_g722_kernel(), "neon");
#else
	DP_ASSERT_STREQ(dp_g722_kernel(), "portable");
#endif
	DP_ASSERT_STREQ(g722p_kernel(), "portable");
}


/* Encoder test: bit 0 of an input word resets, bits 15..1 are the sample. */
static void appendix2_encode_with(const struct impl *im, const char *in_name,
				  const char *ref_name, size_t expect_words)
{
	struct dp_g722_encoder enc;
	size_t n, nref, resets = 0;
	uint16_t *in = read_words(in_name, &n);
	uint16_t *ref = read_words(ref_name, &nref);

	DP_ASSERT_EQ(n, expect_words);
	DP_ASSERT_EQ(nref, n);
	im->enc_init(&enc);

	for (size_t i = 0; i < n; i++) {
		uint16_t out;

		if (in[i] & 1) {
			im->enc_init(&enc);
			out = 1;
			resets++;
		}
		else {
			int x = (int16_t)in[i] >> 1;

			out = (uint16_t)(im->enc_subbands(&enc, x, x) << 8);
		}
		DP_ASSERT_MSG(out == ref[i], "%s (%s) word %zu: 0x%04x,"
			      " expected 0x%04x", in_name, im->name, i, out,
			      ref[i]);
	}
	DP_ASSERT(resets > 0 && resets < n);
	free(in);
	free(ref);
}


/* Decoder test: one .cod input, the lower-band output of `mode` and the
 * higher-band output, both as 15-bit values shifted left by one. */
static void appendix2_decode_with(const struct impl *im, const char *in_name,
				  const char *low_name, const char *high_name,
				  int mode)
{
	struct dp_g722_decoder dec;
	size_t n, nl, nh;
	uint16_t *in = read_words(in_name, &n);
	uint16_t *low = read_words(low_name, &nl);
	uint16_t *high = read_words(high_name, &nh);

	DP_ASSERT(n == 800 || n == 16416);
	DP_ASSERT_EQ(nl, n);
	DP_ASSERT_EQ(nh, n);
	DP_ASSERT_OK(im->dec_init(&dec, mode));

	for (size_t i = 0; i < n; i++) {
		uint16_t ol, oh;

		if (in[i] & 1) {
			DP_ASSERT_OK(im->dec_init(&dec, mode));
			ol = oh = 1;
		}
		else {
			int rl, rh;

			im->dec_subbands(&dec, (uint8_t)(in[i] >> 8), &rl, &rh);
			ol = (uint16_t)(rl * 2) & 0xfffe;
			oh = (uint16_t)(rh * 2) & 0xfffe;
		}
		DP_ASSERT_MSG(ol == low[i], "%s (%s) mode %d word %zu: lower"
			      " band 0x%04x, expected 0x%04x", in_name,
			      im->name, mode, i, ol, low[i]);
		DP_ASSERT_MSG(oh == high[i], "%s (%s) mode %d word %zu: higher"
			      " band 0x%04x, expected 0x%04x", in_name,
			      im->name, mode, i, oh, high[i]);
	}
	free(in);
	free(low);
	free(high);
}

static void appendix2_encode(const char *in_name, const char *ref_name,
			     size_t expect_words)
{
	for (int k = 0; k < 2; k++)
		appendix2_encode_with(&impls[k], in_name, ref_name, expect_words);
}

static void appendix2_decode(const char *in_name, const char *low_name,
			     const char *high_name, int mode)
{
	for (int k = 0; k < 2; k++)
		appendix2_decode_with(&impls[k], in_name, low_name, high_name,
				      mode);
}

DP_TEST(appendix2_encoder_bt1c1) { appendix2_encode("bt1c1.xmt", "bt2r1.cod", 16416); }
DP_TEST(appendix2_encoder_bt1c2) { appendix2_encode("bt1c2.xmt", "bt2r2.cod", 800); }

DP_TEST(appendix2_decoder_bt2r1)
{
	appendix2_decode("bt2r1.cod", "bt3l1.rc1", "bt3h1.rc0", 1);
	appendix2_decode("bt2r1.cod", "bt3l1.rc2", "bt3h1.rc0", 2);
	appendix2_decode("bt2r1.cod", "bt3l1.rc3", "bt3h1.rc0", 3);
}

DP_TEST(appendix2_decoder_bt2r2)
{
	appendix2_decode("bt2r2.cod", "bt3l2.rc1", "bt3h2.rc0", 1);
	appendix2_decode("bt2r2.cod", "bt3l2.rc2", "bt3h2.rc0", 2);
	appendix2_decode("bt2r2.cod", "bt3l2.rc3", "bt3h2.rc0", 3);
}

DP_TEST(appendix2_decoder_bt1d3)
{
	appendix2_decode("bt1d3.cod", "bt3l3.rc1", "bt3h3.rc0", 1);
	appendix2_decode("bt1d3.cod", "bt3l3.rc2", "bt3h3.rc0", 2);
	appendix2_decode("bt1d3.cod", "bt3l3.rc3", "bt3h3.rc0", 3);
}


/* --- test signals ------------------------------------------------------ */

static uint32_t lcg(uint32_t *s)
{
	*s = *s * 1103515245u + 12345u;
	return *s >> 1;
}

enum signal { SPEECH, SPEECH_CLIPPED, SQUARE_SLOW, SQUARE_FAST, NOISE_CLIPPED,
	      DC_STEPS, NSIGNALS };

static const char *const signal_names[NSIGNALS] = {
	"speech", "speech overdriven", "full-scale square 216 Hz",
	"full-scale square 2.7 kHz", "clipped noise", "full-scale steps"
};

static void make_signal(enum signal sig, int16_t *x, size_t n)
{
	uint32_t s = 12345;

	switch (sig) {
	case SPEECH:
		speechlike(x, n, RATE, 1, 16000);
		break;
	case SPEECH_CLIPPED:
		speechlike(x, n, RATE, 2, 32767);
		for (size_t i = 0; i < n; i++)
			x[i] = (int16_t)(x[i] * 3 > 32767 ? 32767 :
					 x[i] * 3 < -32768 ? -32768 : x[i] * 3);
		break;
	case SQUARE_SLOW:
	case SQUARE_FAST:
		for (size_t i = 0; i < n; i++) {
			size_t half = sig == SQUARE_SLOW ? 37 : 3;

			x[i] = (i / half) % 2 ? 32767 : -32768;
		}
		break;
	case NOISE_CLIPPED:
		for (size_t i = 0; i < n; i++) {
			int v = (int)(lcg(&s) % 131072) - 65536;

			x[i] = (int16_t)(v > 32767 ? 32767 : v < -32768 ? -32768 : v);
		}
		break;
	case DC_STEPS:
		for (size_t i = 0; i < n; i++)
			x[i] = (i / 4000) % 3 == 0 ? 32767 :
			       (i / 4000) % 3 == 1 ? -32768 : 0;
		break;
	default:
		break;
	}
}


/* Ours against the model: every octet and every sample, all signals. */
DP_TEST(full_codec_matches_model_on_all_signals)
{
	static int16_t x[NSAMP], ours_pcm[NSAMP], model_pcm[NSAMP];
	static uint8_t ours[NSAMP / 2], model[NSAMP / 2];

	for (int run = 0; run < 2 * NSIGNALS; run++) {
		const struct impl *im = &impls[run % 2];
		const int sig = run / 2;
		struct dp_g722_encoder enc;
		struct g722_model m;

		make_signal(sig, x, NSAMP);
		im->enc_init(&enc);
		g722_model_reset(&m, 1);
		/* in 20 ms frames, as the module runs it */
		for (size_t i = 0; i < NSAMP; i += 320)
			DP_ASSERT_EQ(im->encode(&enc, ours + i / 2, x + i, 320),
				     160);
		g722_model_encode(&m, model, x, NSAMP);
		for (size_t i = 0; i < NSAMP / 2; i++)
			DP_ASSERT_MSG(ours[i] == model[i], "%s (%s): octet %zu"
				      " is 0x%02x, model 0x%02x",
				      signal_names[sig], im->name, i, ours[i],
				      model[i]);

		for (int mode = 1; mode <= 3; mode++) {
			struct dp_g722_decoder dec;

			DP_ASSERT_OK(im->dec_init(&dec, mode));
			g722_model_reset(&m, mode);
			DP_ASSERT_EQ(im->decode(&dec, ours_pcm, ours, NSAMP / 2),
				     NSAMP);
			g722_model_decode(&m, model_pcm, ours, NSAMP / 2);
			for (size_t i = 0; i < NSAMP; i++)
				DP_ASSERT_MSG(ours_pcm[i] == model_pcm[i],
					      "%s (%s) mode %d: sample %zu is"
					      " %d, model %d", signal_names[sig],
					      im->name, mode, i, ours_pcm[i],
					      model_pcm[i]);
		}
	}
}


/* The loud signals do reach the saturating paths: a test of them must
 * not pass by accident on quiet data. */
DP_TEST(loud_signals_saturate)
{
	static int16_t x[NSAMP], y[NSAMP];
	static uint8_t c[NSAMP / 2];
	struct dp_g722_encoder enc;
	struct dp_g722_decoder dec;
	size_t railed = 0;

	make_signal(SQUARE_SLOW, x, NSAMP);
	dp_g722_encoder_init(&enc);
	dp_g722_encode(&enc, c, x, NSAMP);
	DP_ASSERT_OK(dp_g722_decoder_init(&dec, 1));
	dp_g722_decode(&dec, y, c, NSAMP / 2);
	for (size_t i = 0; i < NSAMP; i++)
		railed += y[i] == 32767 || y[i] == -32768;
	DP_ASSERT_MSG(railed > 100, "only %zu samples at full scale", railed);
}


/*
 * FFmpeg's libavcodec as a third-party oracle.  Its decoder agrees with
 * the ITU reference on any stream; its encoder (trellis off) on signals
 * that do not drive the sub-bands past 15 bits: it does not limit them
 * as the reference does, so loud signals are checked against the model.
 *
 * Builds without libavcodec (the ARM cross builds that
 * test/integration/codec_neon.sh runs under qemu) define
 * DP_G722_FFMPEG_REPLAY: they read FFmpeg's inputs and outputs from the
 * directory in $DP_G722_FFMPEG_DIR, where a native run of this program
 * with $DP_G722_FFMPEG_RECORD set wrote them, and code the recorded input
 * (the test signals come through libm, whose last bits may differ
 * between machines).
 */
static void ffmpeg_file(const char *dir, const char *name, const char *what,
			void *data, size_t size, bool write)
{
	char path[1024];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s.%s", dir, name, what);
	f = fopen(path, write ? "wb" : "rb");
	DP_ASSERT_MSG(f != NULL, "cannot open %s", path);
	if (write)
		DP_ASSERT_EQ(fwrite(data, 1, size, f), size);
	else
		DP_ASSERT_MSG(fread(data, 1, size, f) == size && fgetc(f) == EOF,
			      "%s is not %zu bytes", path, size);
	DP_ASSERT_EQ(fclose(f), 0);
}

/*
 * FFmpeg's result `out` (osize bytes) for the input `in` (isize bytes);
 * a replaying build replaces `in` with the recorded input.
 */
static void ffmpeg_run(const char *name, bool encode, void *in,
		       size_t isize, void *out, size_t osize)
{
#ifdef DP_G722_FFMPEG_REPLAY
	const char *dir = getenv("DP_G722_FFMPEG_DIR");

	(void)encode;
	DP_ASSERT_MSG(dir != NULL, "DP_G722_FFMPEG_DIR is not set: this build"
		      " replays FFmpeg's results recorded by a native run");
	ffmpeg_file(dir, name, "in", in, isize, false);
	ffmpeg_file(dir, name, "out", out, osize, false);
#else
	const char *dir = getenv("DP_G722_FFMPEG_RECORD");
	struct peer *p = peer_open(&peer_ffmpeg, PEER_G722, encode);

	DP_ASSERT(p != NULL);
	/* in 20 ms frames */
	for (size_t i = 0; i < isize / (encode ? 640 : 160); i++) {
		if (encode)
			DP_ASSERT_EQ(peer_encode(p, (uint8_t *)out + 160 * i,
						 (const int16_t *)in + 320 * i,
						 320), 160);
		else
			DP_ASSERT_EQ(peer_decode(p, (int16_t *)out + 320 * i,
						 (const uint8_t *)in + 160 * i,
						 160), 320);
	}
	peer_close(p);
	if (dir) {
		ffmpeg_file(dir, name, "in", in, isize, true);
		ffmpeg_file(dir, name, "out", out, osize, true);
	}
#endif
}

DP_TEST(encoder_matches_ffmpeg_on_speech)
{
	static int16_t x[NSAMP];
	static uint8_t theirs[NSAMP / 2];
	uint8_t *ours = malloc(NSAMP / 2);

	DP_ASSERT(ours != NULL);
	make_signal(SPEECH, x, NSAMP);
	ffmpeg_run("encode_speech", true, x, sizeof(x), theirs, sizeof(theirs));
	for (int k = 0; k < 2; k++) {
		struct dp_g722_encoder enc;

		impls[k].enc_init(&enc);
		impls[k].encode(&enc, ours, x, NSAMP);
		for (size_t i = 0; i < NSAMP / 2; i++)
			DP_ASSERT_MSG(ours[i] == theirs[i], "%s: octet %zu:"
				      " 0x%02x, FFmpeg 0x%02x", impls[k].name,
				      i, ours[i], theirs[i]);
	}
	free(ours);
}

DP_TEST(decoder_matches_ffmpeg_on_all_signals_and_noise)
{
	static int16_t x[NSAMP], ours[NSAMP], theirs[NSAMP];
	static uint8_t c[NSAMP / 2];
	uint32_t s = 99;

	for (int sig = 0; sig <= NSIGNALS; sig++) {
		char name[32];

		if (sig < NSIGNALS) {
			struct dp_g722_encoder enc;

			make_signal(sig, x, NSAMP);
			dp_g722_encoder_init(&enc);
			dp_g722_encode(&enc, c, x, NSAMP);
		}
		else {
			/* any octet sequence is a valid stream */
			for (size_t i = 0; i < NSAMP / 2; i++)
				c[i] = (uint8_t)lcg(&s);
		}
		snprintf(name, sizeof(name), "decode_%d", sig);
		ffmpeg_run(name, false, c, sizeof(c), theirs, sizeof(theirs));
		for (int k = 0; k < 2; k++) {
			struct dp_g722_decoder dec;

			DP_ASSERT_OK(impls[k].dec_init(&dec, 1));
			impls[k].decode(&dec, ours, c, NSAMP / 2);
			for (size_t i = 0; i < NSAMP; i++)
				DP_ASSERT_MSG(ours[i] == theirs[i], "%s (%s):"
					      " sample %zu is %d, FFmpeg %d",
					      sig < NSIGNALS ? signal_names[sig]
					      : "random octets", impls[k].name,
					      i, ours[i], theirs[i]);
		}
	}
}


/*
 * Random sub-band signals straight into the ADPCM coders (no QMF to
 * smooth them): runs of full-scale extremes, random jumps and quiet
 * stretches drive every saturation in the predictors, for both builds,
 * against the model.
 */
DP_TEST(subband_encoder_matches_model_on_random_signals)
{
	uint32_t s = 7;

	for (int round = 0; round < 40; round++) {
		struct dp_g722_encoder enc[2];
		struct g722_model m;
		int xl = 0, xh = 0;

		impls[0].enc_init(&enc[0]);
		impls[1].enc_init(&enc[1]);
		g722_model_reset(&m, 1);
		for (int i = 0; i < 4000; i++) {
			uint32_t r = lcg(&s);
			unsigned expect;

			switch ((i / 200 + round) % 4) {
			case 0:         /* full-scale extremes */
				xl = r & 1 ? 16383 : -16384;
				xh = r & 2 ? 16383 : -16384;
				break;
			case 1:         /* random jumps */
				xl = (int)(r % 32768) - 16384;
				xh = (int)((r >> 8) % 32768) - 16384;
				break;
			case 2:         /* a slow square wave with noise */
				xl = ((i / 25) % 2 ? 12000 : -12000) +
				     (int)(r % 2001) - 1000;
				xh = ((i / 7) % 2 ? 9000 : -9000);
				break;
			default:        /* quiet */
				xl = (int)(r % 65) - 32;
				xh = (int)((r >> 8) % 17) - 8;
				break;
			}
			expect = g722_model_encode_subbands(&m, xl, xh);
			for (int k = 0; k < 2; k++) {
				unsigned got = impls[k].enc_subbands(&enc[k], xl, xh);

				DP_ASSERT_MSG(got == expect, "%s, round %d, pair %d:"
					      " 0x%02x, model 0x%02x",
					      impls[k].name, round, i, got,
					      expect);
			}
		}
	}
}


/* --- streaming and bad input -------------------------------------------- */

DP_TEST(chunking_does_not_change_the_stream)
{
	static int16_t x[NSAMP], y1[NSAMP], y2[NSAMP];
	static uint8_t whole[NSAMP / 2], parts[NSAMP / 2];
	struct dp_g722_encoder e1, e2;
	struct dp_g722_decoder d1, d2;
	size_t done = 0, step = 2;

	make_signal(SPEECH, x, NSAMP);
	dp_g722_encoder_init(&e1);
	dp_g722_encoder_init(&e2);
	dp_g722_encode(&e1, whole, x, NSAMP);
	while (done < NSAMP) {
		size_t n = step < NSAMP - done ? step : NSAMP - done;

		dp_g722_encode(&e2, parts + done / 2, x + done, n);
		done += n;
		step = step * 3 % 998 + 2 - (step * 3 % 998) % 2;
	}
	DP_ASSERT_MEMEQ(whole, parts, sizeof(whole));

	DP_ASSERT_OK(dp_g722_decoder_init(&d1, 1));
	DP_ASSERT_OK(dp_g722_decoder_init(&d2, 1));
	dp_g722_decode(&d1, y1, whole, NSAMP / 2);
	for (size_t i = 0; i < NSAMP / 2; i += 7) {
		size_t n = NSAMP / 2 - i < 7 ? NSAMP / 2 - i : 7;

		dp_g722_decode(&d2, y2 + 2 * i, whole + i, n);
	}
	DP_ASSERT_MEMEQ(y1, y2, sizeof(y1));
}

DP_TEST(bad_mode_is_einval_and_keeps_state)
{
	struct dp_g722_decoder dec;

	DP_ASSERT_OK(dp_g722_decoder_init(&dec, 2));
	DP_ASSERT_EQ(dp_g722_decoder_init(&dec, 0), EINVAL);
	DP_ASSERT_EQ(dp_g722_decoder_init(&dec, 4), EINVAL);
	DP_ASSERT_EQ(dp_g722_decoder_init(&dec, -1), EINVAL);
	DP_ASSERT_EQ(dec.mode, 2);
}

DP_TEST(odd_and_empty_input)
{
	struct dp_g722_encoder enc;
	struct dp_g722_decoder dec;
	int16_t x[3] = { 1000, -1000, 5 }, y[4] = { 0 };
	uint8_t c[2] = { 0xaa, 0xbb };

	dp_g722_encoder_init(&enc);
	DP_ASSERT_EQ(dp_g722_encode(&enc, c, x, 0), 0);
	DP_ASSERT_EQ(c[0], 0xaa);
	/* the odd last sample is left alone: one octet, c[1] untouched */
	DP_ASSERT_EQ(dp_g722_encode(&enc, c, x, 3), 1);
	DP_ASSERT_EQ(c[1], 0xbb);
	DP_ASSERT_OK(dp_g722_decoder_init(&dec, 1));
	DP_ASSERT_EQ(dp_g722_decode(&dec, y, c, 0), 0);
	DP_ASSERT_EQ(dp_g722_decode(&dec, y, c, 1), 2);
	DP_ASSERT_EQ(y[2], 0);
}

/*
 * Random streams of random lengths, each decoded into a buffer of exactly
 * the right size on the heap (AddressSanitizer catches any write past
 * it), in every mode, and compared with the model.
 */
DP_TEST(decoder_survives_random_streams)
{
	uint32_t s = 2024;

	for (int round = 0; round < 300; round++) {
		size_t n = lcg(&s) % 700;
		int mode = 1 + round % 3;
		uint8_t *in = malloc(n ? n : 1);
		int16_t *out = malloc(2 * n * sizeof(int16_t) + 1);
		int16_t *ref = malloc(2 * n * sizeof(int16_t) + 1);
		struct dp_g722_decoder dec;
		struct g722_model m;

		DP_ASSERT(in && out && ref);
		for (size_t i = 0; i < n; i++)
			in[i] = (uint8_t)lcg(&s);
		g722_model_reset(&m, mode);
		g722_model_decode(&m, ref, in, n);
		for (int k = 0; k < 2; k++) {
			DP_ASSERT_OK(impls[k].dec_init(&dec, mode));
			DP_ASSERT_EQ(impls[k].decode(&dec, out, in, n), 2 * n);
			DP_ASSERT_MSG(n == 0 || !memcmp(out, ref, 2 * n *
							sizeof(int16_t)),
				      "%s decoder differs from the model",
				      impls[k].name);
		}
		free(in);
		free(out);
		free(ref);
	}
}
