/** @file codec_bench_librem.c  dp-codec-bench-librem measures librem's coders */
#include "codec_bench.h"

const struct peer_lib *const bench_lib = &peer_librem;
