/** @file codec_bench_ffmpeg.c  dp-codec-bench-ffmpeg measures ffmpeg's coders */
#include "codec_bench.h"

const struct peer_lib *const bench_lib = &peer_ffmpeg;
