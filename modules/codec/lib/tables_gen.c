/**
 * @file tables_gen.c  Writes the codecs' look-up tables as C source
 *
 * Runs on the build machine (build.mk).
 *
 * G.711: the arithmetic is the one ITU-T G.191's reference applies: the
 * sign is taken apart and the magnitude of a negative sample is its
 * one's complement, so -1 and 0 land in the same interval on either side
 * of zero.
 *
 * G.722: the scale factor DET as a function of NB >> 6 (SCALEL and
 * SCALEH: the 32-entry mantissa table ILB shifted by the exponent), and
 * for the vector coders what an octet implies (inverse quantizer outputs
 * and scale-factor steps of both bands, the octet of a quantizer
 * outcome), taken from the portable coder's tables in g722_adpcm.h.
 */
#include <stdint.h>
#include <stdio.h>
#include "g722_adpcm.h"

/* µ-law of a 14-bit sample v (the top 14 bits of a 16-bit one). */
static unsigned ulaw_of(int v)
{
	unsigned mag = v < 0 ? (unsigned)~v : (unsigned)v;  /* 0..8191 */
	unsigned biased = mag + 33;
	unsigned seg = 0, code;

	if (biased > 8191)
		biased = 8191;
	while (biased >> (seg + 6))
		seg++;                                      /* 0..7 */
	code = (seg << 4) | ((biased >> (seg + 1)) & 15);
	code = ~code & 0x7f;
	return v < 0 ? code : code | 0x80;
}

/* A-law of a 13-bit sample v (the top 13 bits of a 16-bit one). */
static unsigned alaw_of(int v)
{
	unsigned mag = v < 0 ? (unsigned)~v : (unsigned)v;  /* 0..2047 */
	unsigned seg = 0, code;

	while (mag >> (seg + 4))
		seg++;                                      /* 0..7 */
	code = (seg << 4) | ((seg ? mag >> (seg - 1) : mag) & 15);
	if (v >= 0)
		code |= 0x80;
	return code ^ 0x55;
}

static int ulaw_value(unsigned code)
{
	unsigned c = ~code & 0xff;
	unsigned seg = (c >> 4) & 7, mant = c & 15;
	/* in 16-bit units: the interval's middle, bias of 33 removed */
	int mag = (int)((((2u * mant + 33) << seg) - 33) * 4);

	return (c & 0x80) ? -mag : mag;
}

static int alaw_value(unsigned code)
{
	unsigned c = code ^ 0x55;
	unsigned seg = (c >> 4) & 7, mant = c & 15;
	int mag = seg ? (int)((2 * mant + 33) << (seg + 2))
		      : (int)((2 * mant + 1) << 3);

	return (c & 0x80) ? mag : -mag;
}

static void table_u8(const char *name, unsigned n, unsigned (*f)(int),
		     int bits)
{
	printf("const uint8_t %s[%u] = {", name, n);
	for (unsigned i = 0; i < n; i++) {
		/* index i holds the bits of a two's complement sample */
		int v = (int)i - ((i >> (bits - 1)) ? (1 << bits) : 0);

		printf("%s0x%02x,", i % 12 ? " " : "\n\t", f(v));
	}
	printf("\n};\n\n");
}

static void table_i16(const char *name, int (*f)(unsigned))
{
	printf("const int16_t %s[256] = {", name);
	for (unsigned i = 0; i < 256; i++)
		printf("%s%d,", i % 8 ? " " : "\n\t", f(i));
	printf("\n};\n\n");
}

/* ILB: 2^(i/32) in Q11 */
static const int ilb[32] = {
	2048, 2093, 2139, 2186, 2233, 2282, 2332, 2383,
	2435, 2489, 2543, 2599, 2656, 2714, 2774, 2834,
	2896, 2960, 3025, 3091, 3158, 3228, 3298, 3371,
	3444, 3520, 3597, 3676, 3756, 3838, 3922, 4008
};

/*
 * Index i = NB >> 6 for the higher band, (NB >> 6) + 64 for the lower:
 * DET = (ILB[i % 32] >> (10 - i / 32)) << 2, the shift reaching -1 only
 * at the top (i = 352).
 */
static void table_det(void)
{
	printf("const int16_t dp_g722_det[353] = {");
	for (int i = 0; i <= 352; i++) {
		int v = ((2 * ilb[i & 31]) >> (11 - (i >> 5))) << 2;

		printf("%s%d,", i % 10 ? " " : "\n\t", v);
	}
	printf("\n};\n\n");
}

/*
 * By mode and octet, four 32-bit words; the low halves are multiplied by
 * DET (lower, higher, lower, higher), the high halves are spare:
 *   0: the mode's lower-band output level   | LOGSCL step << 16
 *   1: the higher-band output level         | LOGSCH step << 16
 *   2: the 4-bit lower-band level (the predictor's input)
 *   3: the higher-band level again
 */
static void table_code(void)
{
	static const int16_t *const qm[3] = { g722_qm6, g722_qm5, g722_qm4 };

	printf("const _Alignas(16) int32_t dp_g722_code[3][256][4] = {");
	for (unsigned mode = 0; mode < 3; mode++) {
		printf("\n{");
		for (unsigned c = 0; c < 256; c++) {
			unsigned il = c & 63, ih = c >> 6, ril = il >> 2;
			uint32_t w0 = (uint16_t)qm[mode][il >> mode] |
				      (uint32_t)(uint16_t)g722_wl[ril] << 16;
			uint32_t w1 = (uint16_t)g722_qm2[ih] |
				      (uint32_t)(uint16_t)g722_wh[ih] << 16;

			printf("%s{ %d, %d, %d, %d },", c % 2 ? " " : "\n\t",
			       (int32_t)w0, (int32_t)w1, g722_qm4[ril],
			       g722_qm2[ih]);
		}
		printf("\n},");
	}
	printf("\n};\n\n");
}

/*
 * The octet by quantizer outcome: bits 0-4 the lower band's interval k
 * (1..30: the first decision level above the magnitude, 30 if none),
 * bit 5 its sign, bit 6 the higher band's sign, bit 7 set when the
 * higher band's magnitude is below its decision level.
 */
static void table_octet(void)
{
	printf("const uint8_t dp_g722_octet[256] = {");
	for (unsigned i = 0; i < 256; i++) {
		unsigned k = i & 31, neg_l = i >> 5 & 1, neg_h = i >> 6 & 1;
		unsigned inner = i >> 7;
		unsigned il, ih;

		if (k == 0)
			k = 1;              /* not produced */
		if (k == 31)
			k = 30;
		il = neg_l ? g722_iln[k] : g722_ilp[k];
		ih = neg_h ? (inner ? 1 : 0) : (inner ? 3 : 2);
		printf("%s0x%02x,", i % 12 ? " " : "\n\t", ih << 6 | il);
	}
	printf("\n};\n\n");
}

int main(void)
{
	printf("/* Generated by modules/codec/lib/tables_gen.c: do not edit. */\n"
	       "#include \"modules/codec/lib/g711.h\"\n"
	       "#include \"modules/codec/lib/g722_tables.h\"\n\n");
	table_u8("dp_g711_ulaw_enc", 16384, ulaw_of, 14);
	table_u8("dp_g711_alaw_enc", 4096, alaw_of, 12);
	table_i16("dp_g711_ulaw_dec", ulaw_value);
	table_i16("dp_g711_alaw_dec", alaw_value);
	table_det();
	table_code();
	table_octet();
	return 0;
}
