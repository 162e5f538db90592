/**
 * @file speechlike.c  See speechlike.h
 */
#include <math.h>
#include "speechlike.h"

struct resonator {
	double a1, a2, y1, y2;
};

static uint32_t rnd(uint32_t *s)
{
	*s = *s * 1664525u + 1013904223u;
	return *s >> 8;
}

static double urand(uint32_t *s)
{
	return (double)rnd(s) / (double)(1u << 24);
}

static void tune(struct resonator *r, double f, double bw, double fs)
{
	double rad = exp(-M_PI * bw / fs);

	r->a1 = 2 * rad * cos(2 * M_PI * f / fs);
	r->a2 = -rad * rad;
}

static double run(struct resonator *r, double x)
{
	double y = x + r->a1 * r->y1 + r->a2 * r->y2;

	r->y2 = r->y1;
	r->y1 = y;
	return y * (1 - r->a1 - r->a2) * 0.5;
}


/* Writes `out` (unless NULL) scaled by `scale`; returns the largest |x|. */
static double generate(int16_t *out, size_t n, unsigned srate, uint32_t seed,
		       double scale)
{
	static const double vowels[][3] = {
		{ 730, 1090, 2440 }, { 270, 2290, 3010 }, { 530, 1840, 2480 },
		{ 570, 840, 2410 }, { 300, 870, 2240 }, { 640, 1190, 2390 },
	};
	const double fs = srate;
	struct resonator f[3] = { 0 }, hiss = { 0 };
	uint32_t s = seed ? seed : 1;
	size_t i = 0;
	double phase = 0, max = 0, dc_in = 0, dc_out = 0;

	while (i < n) {
		size_t len = (size_t)(fs * (0.08 + 0.22 * urand(&s)));
		unsigned kind = rnd(&s) % 10;       /* 0-6 voiced, 7-8 hiss */
		const double *v0 = vowels[rnd(&s) % 6], *v1 = vowels[rnd(&s) % 6];
		double p0 = 90 + 150 * urand(&s), p1 = 90 + 150 * urand(&s);
		double gain = 0.25 + 0.75 * urand(&s);

		if (len > n - i)
			len = n - i;
		tune(&hiss, 3500 < fs / 2 - 500 ? 3500 : fs / 4, 1500, fs);

		for (size_t k = 0; k < len; k++, i++) {
			double t = (double)k / (double)len;
			double env = sin(M_PI * t);
			double x = 0;

			if (kind <= 6) {
				double pitch = p0 + (p1 - p0) * t;

				if (k % 64 == 0)
					for (int j = 0; j < 3; j++)
						tune(&f[j], v0[j] + (v1[j] - v0[j]) * t,
						     60 + 40 * j, fs);
				phase += pitch / fs;
				if (phase >= 1) {
					phase -= 1;
					x = 40;             /* glottal pulse */
				}
				x = run(&f[0], x) * 1.0 + run(&f[1], x) * 0.6 +
				    run(&f[2], x) * 0.3;
				x *= 0.9;
			}
			else if (kind <= 8) {
				x = run(&hiss, urand(&s) - 0.5) * 4;
			}
			/* the pulses are one-sided: block DC */
			dc_out = x - dc_in + 0.995 * dc_out;
			dc_in = x;
			x = gain * env * dc_out;
			if (fabs(x) > max)
				max = fabs(x);
			x *= scale;
			if (x > 32767)
				x = 32767;
			if (x < -32768)
				x = -32768;
			if (out)
				out[i] = (int16_t)lrint(x);
		}
	}

	return max;
}


void speechlike(int16_t *out, size_t n, unsigned srate, uint32_t seed,
		int peak)
{
	double max = generate(NULL, n, srate, seed, 1);

	generate(out, n, srate, seed, max > 0 ? peak / max : 0);
}
