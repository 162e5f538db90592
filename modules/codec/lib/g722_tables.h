/**
 * @file g722_tables.h  G.722 tables computed at build time (internal)
 */
#ifndef DESKPHONE_G722_TABLES_H
#define DESKPHONE_G722_TABLES_H

#include <stdint.h>

/* The scale factor DET by NB >> 6 (+ 64 for the lower band), tables_gen.c */
extern const int16_t dp_g722_det[353];

/* What an octet implies, by decoder mode (1-3) less one: see tables_gen.c */
extern const _Alignas(16) int32_t dp_g722_code[3][256][4];

/* The octet by quantizer outcome (vector encoders): see tables_gen.c */
extern const uint8_t dp_g722_octet[256];

#endif
