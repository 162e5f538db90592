/**
 * @file peer_codecs.h  Other projects' G.711/G.722, for tests and the
 *                      benchmark: FFmpeg's libavcodec, spandsp, librem
 *
 * One interface over all of them: open a coder, run it on one frame at
 * a time, close it.  A frame is 20 ms: 160 samples at 8 kHz (G.711) or
 * 320 at 16 kHz (G.722).  FFmpeg is driven as an application would,
 * through send/receive with reused frame and packet objects; its G.722
 * encoder runs with trellis search off (its default).
 *
 * Each library is one file (peer_ffmpeg.c, peer_spandsp.c,
 * peer_librem.c) defining one `struct peer_lib`, so a program links
 * only the library it drives: the benchmark counts each coder in a
 * process that loads nothing else (test/bench/codec.sh).
 */
#ifndef DESKPHONE_PEER_CODECS_H
#define DESKPHONE_PEER_CODECS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum peer_codec { PEER_G722, PEER_PCMU, PEER_PCMA };

/* One library's coders; the state is the library's own. */
struct peer_lib {
	const char *name;
	/* NULL when the library lacks that coder (librem has no G.722) */
	void *(*open)(enum peer_codec codec, bool encoder);
	void (*close)(void *state);
	int (*encode)(void *state, uint8_t *out, const int16_t *in,
		      size_t nsamples);
	int (*decode)(void *state, int16_t *out, const uint8_t *in,
		      size_t noctets);
};

extern const struct peer_lib peer_ffmpeg;   /* peer_ffmpeg.c */
extern const struct peer_lib peer_spandsp;  /* peer_spandsp.c */
extern const struct peer_lib peer_librem;   /* peer_librem.c */

struct peer;

/* NULL when the library lacks that coder or cannot open it. */
struct peer *peer_open(const struct peer_lib *lib, enum peer_codec codec,
		       bool encoder);
void peer_close(struct peer *p);

/*
 * Encode `nsamples` samples into `out` (room for nsamples octets);
 * returns the octets written, or -1.
 */
int peer_encode(struct peer *p, uint8_t *out, const int16_t *in,
		size_t nsamples);

/* Decode `noctets` octets into `out` (room for 2 * noctets samples). */
int peer_decode(struct peer *p, int16_t *out, const uint8_t *in,
		size_t noctets);

#endif
