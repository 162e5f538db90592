/**
 * @file g722_portable.c  See g722_portable.h: modules/codec/lib/g722.c
 *                        compiled once more, without its SIMD code
 */
#define DP_G722_PORTABLE 1
#define dp_g722_encoder_init    g722p_encoder_init
#define dp_g722_encode          g722p_encode
#define dp_g722_decoder_init    g722p_decoder_init
#define dp_g722_decode          g722p_decode
#define dp_g722_encode_subbands g722p_encode_subbands
#define dp_g722_decode_subbands g722p_decode_subbands
#define dp_g722_kernel          g722p_kernel
#include "g722_portable.h"
#include "modules/codec/lib/g722.c"
