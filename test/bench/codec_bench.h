/**
 * @file codec_bench.h  The one coder a dp-codec-bench-LIB program
 *                      measures: each library's program links only that
 *                      library (codec_bench_LIB.c defines bench_lib)
 */
#ifndef DESKPHONE_CODEC_BENCH_H
#define DESKPHONE_CODEC_BENCH_H

#include "test/tools/peer_codecs.h"

extern const struct peer_lib *const bench_lib;

#endif
