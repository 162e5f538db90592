/** @file codec_bench_spandsp.c  dp-codec-bench-spandsp measures spandsp's coders */
#include "codec_bench.h"

const struct peer_lib *const bench_lib = &peer_spandsp;
