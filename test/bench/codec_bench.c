/**
 * @file codec_bench.c  dp-codec-bench: one coder over one file, 20 ms a
 *                      frame, for test/bench/codec.sh
 *
 *   dp-codec-bench CODEC LIB OP FILE [REPEAT]
 *
 * CODEC g722|pcmu|pcma, LIB ours|spandsp|ffmpeg|librem, OP encode|decode,
 * FILE headerless 16-bit samples (16 kHz for G.722, 8 kHz for G.711).
 * Decoding runs on the same library's encoding of FILE, made first.
 * All coding happens inside run_frames(), so callgrind's
 * --toggle-collect=run_frames counts the coder and nothing else.  With
 * REPEAT the frames are coded REPEAT more times with fresh state and the
 * fastest pass is printed: `frames N ns_per_frame T`.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "modules/codec/lib/g711.h"
#include "modules/codec/lib/g722.h"
#include "test/tools/peer_codecs.h"

struct job {
	const char *codec, *lib;
	int encode;
	size_t spf;             /* samples per frame */
	size_t opf;             /* octets per frame */
	size_t frames;
	int16_t *pcm, *out_pcm;
	uint8_t *coded, *out_coded;
	struct dp_g722_encoder enc;
	struct dp_g722_decoder dec;
	struct peer *peer;
};

static enum peer_lib peer_lib(const char *lib)
{
	return !strcmp(lib, "ffmpeg") ? PEER_FFMPEG :
	       !strcmp(lib, "spandsp") ? PEER_SPANDSP : PEER_LIBREM;
}

static enum peer_codec peer_codec(const char *codec)
{
	return !strcmp(codec, "g722") ? PEER_G722 :
	       !strcmp(codec, "pcmu") ? PEER_PCMU : PEER_PCMA;
}

static int setup(struct job *j, int encode)
{
	peer_close(j->peer);
	j->peer = NULL;
	if (!strcmp(j->lib, "ours")) {
		dp_g722_encoder_init(&j->enc);
		return dp_g722_decoder_init(&j->dec, 1);
	}
	j->peer = peer_open(peer_lib(j->lib), peer_codec(j->codec), encode);
	return j->peer ? 0 : -1;
}

static void code_frame(struct job *j, int encode, size_t f)
{
	const int16_t *in = j->pcm + f * j->spf;
	uint8_t *out = (encode ? j->out_coded : j->coded) + f * j->opf;
	int16_t *pcm = j->out_pcm + f * j->spf;
	const uint8_t *code = j->coded + f * j->opf;

	if (j->peer) {
		if (encode)
			peer_encode(j->peer, out, in, j->spf);
		else
			peer_decode(j->peer, pcm, code, j->opf);
	}
	else if (!strcmp(j->codec, "g722")) {
		if (encode)
			dp_g722_encode(&j->enc, out, in, j->spf);
		else
			dp_g722_decode(&j->dec, pcm, code, j->opf);
	}
	else if (!strcmp(j->codec, "pcmu")) {
		if (encode)
			dp_pcmu_encode(out, in, j->spf);
		else
			dp_pcmu_decode(pcm, code, j->opf);
	}
	else {
		if (encode)
			dp_pcma_encode(out, in, j->spf);
		else
			dp_pcma_decode(pcm, code, j->opf);
	}
}

/* The measured part: every frame through the coder. */
__attribute__((noinline)) void run_frames(struct job *j);
__attribute__((noinline)) void run_frames(struct job *j)
{
	for (size_t f = 0; f < j->frames; f++)
		code_frame(j, j->encode, f);
}

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

int main(int argc, char **argv)
{
	struct job j = { 0 };
	FILE *f;
	long size;
	int repeat = argc > 5 ? atoi(argv[5]) : 0;
	double best = 0;

	if (argc < 5) {
		fprintf(stderr, "usage: dp-codec-bench g722|pcmu|pcma"
			" ours|spandsp|ffmpeg|librem encode|decode FILE"
			" [REPEAT]\n");
		return 2;
	}
	j.codec = argv[1];
	j.lib = argv[2];
	j.encode = !strcmp(argv[3], "encode");
	j.spf = !strcmp(j.codec, "g722") ? 320 : 160;
	j.opf = !strcmp(j.codec, "g722") ? 160 : 160;

	f = fopen(argv[4], "rb");
	if (!f)
		return 1;
	fseek(f, 0, SEEK_END);
	size = ftell(f);
	rewind(f);
	j.frames = (size_t)size / 2 / j.spf;
	j.pcm = malloc(j.frames * j.spf * 2);
	j.out_pcm = malloc(j.frames * j.spf * 2);
	j.coded = malloc(j.frames * j.opf);
	j.out_coded = malloc(j.frames * j.opf);
	if (!j.pcm || !j.out_pcm || !j.coded || !j.out_coded ||
	    fread(j.pcm, 2, j.frames * j.spf, f) != j.frames * j.spf)
		return 1;
	fclose(f);

	/* the stream to decode: this library's own encoding */
	if (setup(&j, 1)) {
		fprintf(stderr, "dp-codec-bench: %s has no %s\n", j.lib, j.codec);
		return 1;
	}
	for (size_t k = 0; k < j.frames; k++)
		code_frame(&j, 1, k);
	if (setup(&j, j.encode))
		return 1;

	run_frames(&j);

	for (int r = 0; r < repeat; r++) {
		double t0, t;

		setup(&j, j.encode);
		t0 = now_ns();
		run_frames(&j);
		t = now_ns() - t0;
		if (!r || t < best)
			best = t;
	}
	if (repeat)
		printf("frames %zu ns_per_frame %.0f\n", j.frames,
		       best / (double)j.frames);
	else
		printf("frames %zu\n", j.frames);
	peer_close(j.peer);
	free(j.pcm);
	free(j.out_pcm);
	free(j.coded);
	free(j.out_coded);

	return 0;
}
