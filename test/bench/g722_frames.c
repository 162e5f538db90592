/**
 * @file g722_frames.c  dp-g722-frames: our G.722 alone over one file, 20 ms
 *                      a frame, for the instruction counts of builds for
 *                      other machines (test/bench/codec.sh runs it under
 *                      qemu-user)
 *
 *   dp-g722-frames encode|decode FILE
 *
 * FILE holds headerless 16-bit samples at 16 kHz; decoding runs on our
 * own encoding of it, made first.  All coding of the measured pass
 * happens inside run_frames(), so a counter can start at its entry and
 * stop when main() runs again.  Prints `frames N`.  No other library is
 * linked, so it builds statically with a bare cross compiler.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "modules/codec/lib/g722.h"

enum { SPF = 320, OPF = 160 };

struct job {
	struct dp_g722_encoder enc;
	struct dp_g722_decoder dec;
	int16_t *pcm, *out;
	uint8_t *coded;
	size_t frames;
	int encode;
};

/* The measured part: every frame through the coder. */
__attribute__((noinline)) void run_frames(struct job *j);
__attribute__((noinline)) void run_frames(struct job *j)
{
	for (size_t f = 0; f < j->frames; f++) {
		if (j->encode)
			dp_g722_encode(&j->enc, j->coded + f * OPF,
				       j->pcm + f * SPF, SPF);
		else
			dp_g722_decode(&j->dec, j->out + f * SPF,
				       j->coded + f * OPF, OPF);
	}
}

int main(int argc, char **argv)
{
	struct job j;
	FILE *f;
	long size;

	if (argc != 3 || (strcmp(argv[1], "encode") && strcmp(argv[1], "decode"))) {
		fprintf(stderr, "usage: dp-g722-frames encode|decode FILE\n");
		return 2;
	}
	memset(&j, 0, sizeof(j));
	j.encode = !strcmp(argv[1], "encode");
	f = fopen(argv[2], "rb");
	if (!f || fseek(f, 0, SEEK_END) || (size = ftell(f)) < 0) {
		fprintf(stderr, "dp-g722-frames: cannot read %s\n", argv[2]);
		return 1;
	}
	rewind(f);
	j.frames = (size_t)size / 2 / SPF;
	j.pcm = malloc(j.frames * SPF * 2 + 1);
	j.out = malloc(j.frames * SPF * 2 + 1);
	j.coded = malloc(j.frames * OPF + 1);
	if (!j.pcm || !j.out || !j.coded ||
	    fread(j.pcm, 2, j.frames * SPF, f) != j.frames * SPF) {
		fprintf(stderr, "dp-g722-frames: cannot read %s\n", argv[2]);
		return 1;
	}
	fclose(f);

	dp_g722_encoder_init(&j.enc);
	dp_g722_encode(&j.enc, j.coded, j.pcm, j.frames * SPF);
	dp_g722_encoder_init(&j.enc);
	if (dp_g722_decoder_init(&j.dec, 1))
		return 1;
	run_frames(&j);
	printf("frames %zu\n", j.frames);
	free(j.pcm);
	free(j.out);
	free(j.coded);

	return 0;
}
