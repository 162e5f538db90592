/**
 * @file codec_bench.c  dp-codec-bench-LIB: one library's coder over one
 *                      file, 20 ms a frame, for test/bench/codec.sh
 *
 *   dp-codec-bench-LIB CODEC OP FILE [REPEAT]
 *
 * LIB ours|spandsp|ffmpeg|librem is the program (each links only its
 * library, codec_bench_LIB.c), CODEC g722|pcmu|pcma, OP encode|decode,
 * FILE headerless 16-bit samples (16 kHz for G.722, 8 kHz for G.711).
 * Decoding runs on the same library's encoding of FILE, made first.
 * All coding happens inside run_frames(), so callgrind's
 * --toggle-collect=run_frames counts the coder and nothing else (and a
 * qemu log counter starts at run_frames and stops when main runs
 * again).  With REPEAT the frames are coded REPEAT more times with fresh
 * state and the fastest pass is printed: `frames N ns_per_frame T`.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "codec_bench.h"

struct job {
	enum peer_codec codec;
	int encode;
	size_t spf;             /* samples per frame */
	size_t opf;             /* octets per frame */
	size_t frames;
	int16_t *pcm, *out_pcm;
	uint8_t *coded, *out_coded;
	struct peer *peer;
};

static int setup(struct job *j, int encode)
{
	peer_close(j->peer);
	j->peer = peer_open(bench_lib, j->codec, encode);
	return j->peer ? 0 : -1;
}

/* The measured part: every frame through the coder. */
__attribute__((noinline)) void run_frames(struct job *j);
__attribute__((noinline)) void run_frames(struct job *j)
{
	for (size_t f = 0; f < j->frames; f++) {
		if (j->encode)
			peer_encode(j->peer, j->out_coded + f * j->opf,
				    j->pcm + f * j->spf, j->spf);
		else
			peer_decode(j->peer, j->out_pcm + f * j->spf,
				    j->coded + f * j->opf, j->opf);
	}
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
	int repeat = argc > 4 ? atoi(argv[4]) : 0;
	double best = 0;

	if (argc < 4 || (strcmp(argv[1], "g722") && strcmp(argv[1], "pcmu") &&
			 strcmp(argv[1], "pcma"))) {
		fprintf(stderr, "usage: dp-codec-bench-%s g722|pcmu|pcma"
			" encode|decode FILE [REPEAT]\n", bench_lib->name);
		return 2;
	}
	j.codec = !strcmp(argv[1], "g722") ? PEER_G722 :
		  !strcmp(argv[1], "pcmu") ? PEER_PCMU : PEER_PCMA;
	j.encode = !strcmp(argv[2], "encode");
	j.spf = j.codec == PEER_G722 ? 320 : 160;
	j.opf = 160;

	f = fopen(argv[3], "rb");
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
		fprintf(stderr, "dp-codec-bench-%s: %s has no %s\n",
			bench_lib->name, bench_lib->name, argv[1]);
		return 1;
	}
	for (size_t k = 0; k < j.frames; k++)
		peer_encode(j.peer, j.coded + k * j.opf, j.pcm + k * j.spf, j.spf);
	if (setup(&j, j.encode))
		return 1;

	run_frames(&j);

	for (int r = 0; r < repeat; r++) {
		double t0, t;

		if (setup(&j, j.encode))
			return 1;
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
