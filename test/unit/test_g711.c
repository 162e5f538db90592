/**
 * @file test_g711.c  G.711 against tables derived from the Recommendation
 *
 * The expected values are built here from G.711's own tables (Table 1a
 * for A-law, Table 2a for µ-law): eight segments of sixteen intervals,
 * each segment's step size and first decision value as the
 * Recommendation lists them, and each interval's output value in its
 * middle.  A 16-bit sample enters the way ITU-T G.191's reference feeds
 * it: the bits below the law's resolution are dropped, and a negative
 * sample's magnitude is taken as -(x + 1).  Every 16-bit input and every
 * code of both laws is checked, plus values printed in the Recommendation.
 */
#include "dptest.h"
#include "modules/codec/lib/g711.h"

/*
 * One law: 128 intervals per sign.  `lower[n]` is interval n's lowest
 * magnitude, `value[n]` its decoded magnitude, in the law's own units.
 */
struct law {
	int lower[128];
	int value[128];
	int unit_shift;     /* 16-bit sample = law units << unit_shift */
};

/*
 * µ-law, Table 2a, in units of 1/8159 of full scale: interval 0 is the
 * single value 0; then segment 1 has 15 intervals of step 2 from 1;
 * segments 2..8 have 16 intervals each, steps 4, 8, ..., 256, starting at
 * 31, 95, 223, 479, 991, 2015 and 4063.  Output values are interval
 * middles (0, then 2, 4, ..., 30, then 33, 37, ...).
 */
static void build_ulaw(struct law *l)
{
	static const int seg_start[8] = { 1, 31, 95, 223, 479, 991, 2015, 4063 };
	int n = 0;

	l->lower[n] = 0;
	l->value[n++] = 0;
	for (int seg = 0; seg < 8; seg++) {
		int step = 2 << seg;
		int count = seg == 0 ? 15 : 16;

		for (int k = 0; k < count; k++, n++) {
			l->lower[n] = seg_start[seg] + k * step;
			l->value[n] = l->lower[n] + step / 2;
		}
	}
	l->unit_shift = 2;     /* 14-bit law in a 16-bit word */
}

/*
 * A-law, Table 1a, in units of 1/4096 of full scale: segments 1 and 2
 * both have step 2 from 0 (32 intervals), then steps 4, 8, ..., 128
 * starting at 64, 128, 256, 512, 1024 and 2048.  Output values are
 * interval middles (1, 3, 5, ...).
 */
static void build_alaw(struct law *l)
{
	int n = 0;

	for (int seg = 0; seg < 8; seg++) {
		int step = seg < 2 ? 2 : 2 << (seg - 1);
		int start = seg < 2 ? 32 * seg : 32 << (seg - 1);

		for (int k = 0; k < 16; k++, n++) {
			l->lower[n] = start + k * step;
			l->value[n] = l->lower[n] + step / 2;
		}
	}
	l->unit_shift = 3;     /* 13-bit law in a 16-bit word */
}

/* The interval of magnitude m: the last one whose lowest value <= m. */
static int interval_of(const struct law *l, int m)
{
	int n = 127;

	while (n > 0 && l->lower[n] > m)
		n--;
	return n;
}

/* µ-law codes: interval n is 0xFF - n when positive, 0x7F - n when not. */
static uint8_t expected_ulaw(const struct law *l, int16_t x)
{
	int m = (x >= 0 ? x : -(x + 1)) >> l->unit_shift;

	return (uint8_t)((x >= 0 ? 0xff : 0x7f) - interval_of(l, m));
}

/* A-law codes: sign bit set for positive, even bits inverted (0x55). */
static uint8_t expected_alaw(const struct law *l, int16_t x)
{
	/* A-law units are 2 of G.191's 12-bit steps: drop four bits, then
	 * count in the Recommendation's units */
	int m = ((x >= 0 ? x : -(x + 1)) >> 4) * 2;

	return (uint8_t)(((x >= 0 ? 0x80 : 0) | interval_of(l, m)) ^ 0x55);
}

static int16_t expected_ulaw_value(const struct law *l, uint8_t code)
{
	int n = (code & 0x80) ? 0xff - code : 0x7f - code;
	int v = l->value[n] << l->unit_shift;

	return (int16_t)((code & 0x80) ? v : -v);
}

static int16_t expected_alaw_value(const struct law *l, uint8_t code)
{
	int n = (code ^ 0x55) & 0x7f;
	int v = l->value[n] << l->unit_shift;

	return (int16_t)((code & 0x80) ? v : -v);
}


DP_TEST(ulaw_encode_all_65536_inputs)
{
	struct law l;

	build_ulaw(&l);
	DP_ASSERT_EQ(l.lower[127], 8159 - 256);
	for (int i = -32768; i <= 32767; i++) {
		uint8_t want = expected_ulaw(&l, (int16_t)i);

		DP_ASSERT_MSG(dp_pcmu_from_linear((int16_t)i) == want,
			      "pcmu(%d) = 0x%02x, want 0x%02x", i,
			      dp_pcmu_from_linear((int16_t)i), want);
	}
}

DP_TEST(alaw_encode_all_65536_inputs)
{
	struct law l;

	build_alaw(&l);
	DP_ASSERT_EQ(l.lower[127], 4096 - 128);
	for (int i = -32768; i <= 32767; i++) {
		uint8_t want = expected_alaw(&l, (int16_t)i);

		DP_ASSERT_MSG(dp_pcma_from_linear((int16_t)i) == want,
			      "pcma(%d) = 0x%02x, want 0x%02x", i,
			      dp_pcma_from_linear((int16_t)i), want);
	}
}

DP_TEST(decode_all_256_codes)
{
	struct law u, a;

	build_ulaw(&u);
	build_alaw(&a);
	for (int c = 0; c < 256; c++) {
		DP_ASSERT_MSG(dp_pcmu_to_linear((uint8_t)c) ==
			      expected_ulaw_value(&u, (uint8_t)c),
			      "ulaw 0x%02x -> %d", c, dp_pcmu_to_linear((uint8_t)c));
		DP_ASSERT_MSG(dp_pcma_to_linear((uint8_t)c) ==
			      expected_alaw_value(&a, (uint8_t)c),
			      "alaw 0x%02x -> %d", c, dp_pcma_to_linear((uint8_t)c));
	}
}

/* Values printed in G.711 and G.191, independent of the tables above. */
DP_TEST(values_from_the_recommendation)
{
	DP_ASSERT_EQ(dp_pcmu_to_linear(0x80), 8031 * 4);
	DP_ASSERT_EQ(dp_pcmu_to_linear(0x00), -8031 * 4);
	DP_ASSERT_EQ(dp_pcmu_to_linear(0xff), 0);
	DP_ASSERT_EQ(dp_pcmu_to_linear(0x7f), 0);
	DP_ASSERT_EQ(dp_pcma_to_linear(0xaa), 4032 * 8);
	DP_ASSERT_EQ(dp_pcma_to_linear(0x2a), -4032 * 8);
	DP_ASSERT_EQ(dp_pcma_to_linear(0xd5), 8);
	DP_ASSERT_EQ(dp_pcma_to_linear(0x55), -8);
	/* the boundaries where other implementations part from G.191 */
	DP_ASSERT_EQ(dp_pcmu_from_linear(-32768), 0x00);
	DP_ASSERT_EQ(dp_pcma_from_linear(-32768), 0x2a);
	DP_ASSERT_EQ(dp_pcmu_from_linear(-1), 0x7f);
	DP_ASSERT_EQ(dp_pcmu_from_linear(-4), 0x7f);
	DP_ASSERT_EQ(dp_pcmu_from_linear(-5), 0x7e);
	DP_ASSERT_EQ(dp_pcmu_from_linear(0), 0xff);
	DP_ASSERT_EQ(dp_pcma_from_linear(-1), 0x55);
	DP_ASSERT_EQ(dp_pcma_from_linear(0), 0xd5);
}

/* Decoding a code and encoding the result gives the code back (µ-law's
 * negative zero 0x7F decodes to 0, which is coded 0xFF). */
DP_TEST(codes_survive_a_round_trip)
{
	for (int c = 0; c < 256; c++) {
		uint8_t u = dp_pcmu_from_linear(dp_pcmu_to_linear((uint8_t)c));

		DP_ASSERT_EQ(u, c == 0x7f ? 0xff : c);
		DP_ASSERT_EQ(dp_pcma_from_linear(dp_pcma_to_linear((uint8_t)c)), c);
	}
}

DP_TEST(buffer_functions_match_the_sample_functions)
{
	static int16_t x[1003], y[1003];
	static uint8_t c[1003];

	for (size_t i = 0; i < 1003; i++)
		x[i] = (int16_t)(i * 65 - 32768);
	dp_pcmu_encode(c, x, 1003);
	for (size_t i = 0; i < 1003; i++)
		DP_ASSERT_EQ(c[i], dp_pcmu_from_linear(x[i]));
	dp_pcmu_decode(y, c, 1003);
	for (size_t i = 0; i < 1003; i++)
		DP_ASSERT_EQ(y[i], dp_pcmu_to_linear(c[i]));
	dp_pcma_encode(c, x, 1003);
	for (size_t i = 0; i < 1003; i++)
		DP_ASSERT_EQ(c[i], dp_pcma_from_linear(x[i]));
	dp_pcma_decode(y, c, 1003);
	for (size_t i = 0; i < 1003; i++)
		DP_ASSERT_EQ(y[i], dp_pcma_to_linear(c[i]));
	dp_pcmu_encode(c, x, 0);
}
