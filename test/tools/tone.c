/**
 * @file tone.c  dp-tone: test tones as WAV files, and how well a
 *               recording of them survived
 *
 *   dp-tone wav FILE RATE SECONDS AMPLITUDE F1 [F2]
 *       a mono 16-bit WAV of one or two sine tones (each AMPLITUDE)
 *   dp-tone snr FILE F1 [F2]
 *       reads a mono 16-bit WAV (or headerless samples when FILE ends
 *       in .raw: then RATE=... must be in the environment) and prints
 *       `snr_db S amp1 A1 [amp2 A2] blocks N`
 *
 * The analysis cuts the part where the tone is present (blocks within
 * 20 dB of the loudest, less half a second at each end) into 40 ms
 * blocks, fits the tones' sines and cosines to each block by least
 * squares, and calls everything else noise.  Fitting per block makes
 * the result independent of delay and of the jitter buffer's jumps; the
 * median over blocks keeps a few damaged blocks (a late packet) from
 * deciding it.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void put32(FILE *f, uint32_t v)
{
	fputc((int)(v & 255), f); fputc((int)(v >> 8 & 255), f);
	fputc((int)(v >> 16 & 255), f); fputc((int)(v >> 24), f);
}

static void put16(FILE *f, unsigned v)
{
	fputc((int)(v & 255), f);
	fputc((int)(v >> 8 & 255), f);
}

static int write_wav(const char *path, unsigned rate, double seconds,
		     double amp, const double *f, int nf)
{
	size_t n = (size_t)(rate * seconds);
	FILE *out = fopen(path, "wb");

	if (!out)
		return 1;
	fwrite("RIFF", 1, 4, out);
	put32(out, (uint32_t)(36 + 2 * n));
	fwrite("WAVEfmt ", 1, 8, out);
	put32(out, 16);
	put16(out, 1);
	put16(out, 1);
	put32(out, rate);
	put32(out, rate * 2);
	put16(out, 2);
	put16(out, 16);
	fwrite("data", 1, 4, out);
	put32(out, (uint32_t)(2 * n));
	for (size_t i = 0; i < n; i++) {
		double v = 0;

		for (int k = 0; k < nf; k++)
			v += amp * sin(2 * M_PI * f[k] * (double)i / rate);
		put16(out, (unsigned)(uint16_t)(int16_t)lrint(v));
	}
	return fclose(out) != 0;
}

static uint32_t get32(const uint8_t *p)
{
	return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24;
}

/* Samples and rate of a WAV (any chunk order) or a .raw file. */
static int16_t *read_audio(const char *path, size_t *n, unsigned *rate)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf;
	long size;
	int16_t *x = NULL;
	size_t off = 12, len;
	const uint8_t *data = NULL;

	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	size = ftell(f);
	rewind(f);
	buf = malloc(size > 0 ? (size_t)size : 1);
	if (!buf || fread(buf, 1, (size_t)size, f) != (size_t)size) {
		fclose(f);
		free(buf);
		return NULL;
	}
	fclose(f);
	len = (size_t)size;

	if (strlen(path) > 4 && !strcmp(path + strlen(path) - 4, ".raw")) {
		const char *r = getenv("RATE");

		*rate = r ? (unsigned)atoi(r) : 8000;
		data = buf;
		*n = len / 2;
	}
	else {
		if (len < 12 || memcmp(buf, "RIFF", 4) || memcmp(buf + 8, "WAVE", 4)) {
			free(buf);
			return NULL;
		}
		while (off + 8 <= len) {
			uint32_t csize = get32(buf + off + 4);

			if (!memcmp(buf + off, "fmt ", 4) && off + 16 <= len)
				*rate = get32(buf + off + 12);
			if (!memcmp(buf + off, "data", 4)) {
				data = buf + off + 8;
				*n = (csize <= len - off - 8 ? csize : len - off - 8) / 2;
				break;
			}
			off += 8 + csize + (csize & 1);
		}
	}
	if (data) {
		x = malloc((*n ? *n : 1) * sizeof(*x));
		for (size_t i = 0; x && i < *n; i++)
			x[i] = (int16_t)(data[2 * i] | data[2 * i + 1] << 8);
	}
	free(buf);
	return x;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/*
 * Least squares on the basis {cos, sin} of each tone; the tones are
 * far enough apart (and blocks long enough) that their bases are close
 * to orthogonal, so each is fitted by projection, then refined once on
 * what the others leave.
 */
static void fit_block(const int16_t *x, size_t n, unsigned rate,
		      const double *f, int nf, double *amp, double *snr)
{
	double res[4096], sig = 0, noise = 0, ta[2] = { 0, 0 }, tb[2] = { 0, 0 };

	for (size_t i = 0; i < n; i++)
		res[i] = x[i];
	for (int pass = 0; pass < 2; pass++) {
		for (int k = 0; k < nf; k++) {
			double cc = 0, ss = 0, cs = 0, xc = 0, xs = 0, a, b, det;

			for (size_t i = 0; i < n; i++) {
				double w = 2 * M_PI * f[k] * (double)i / rate;
				double c = cos(w), s = sin(w);

				cc += c * c; ss += s * s; cs += c * s;
				xc += res[i] * c; xs += res[i] * s;
			}
			det = cc * ss - cs * cs;
			a = (xc * ss - xs * cs) / det;
			b = (xs * cc - xc * cs) / det;
			for (size_t i = 0; i < n; i++) {
				double w = 2 * M_PI * f[k] * (double)i / rate;

				res[i] -= a * cos(w) + b * sin(w);
			}
			ta[k] += a;
			tb[k] += b;
			amp[k] = hypot(ta[k], tb[k]);
		}
	}
	for (size_t i = 0; i < n; i++) {
		noise += res[i] * res[i];
		sig += ((double)x[i] - res[i]) * ((double)x[i] - res[i]);
	}
	*snr = 10 * log10((sig + 1e-9) / (noise + 1e-9));
}

static int analyse(const char *path, const double *f, int nf)
{
	unsigned rate = 0;
	size_t n = 0, blk, nblk, first = 0, last = 0, count = 0;
	int16_t *x = read_audio(path, &n, &rate);
	double *snr, *amp[2], loudest = 0;

	if (!x || !rate) {
		fprintf(stderr, "dp-tone: cannot read %s\n", path);
		return 2;
	}
	blk = rate / 25;
	nblk = n / blk;
	snr = calloc(nblk + 1, sizeof(double));
	amp[0] = calloc(nblk + 1, sizeof(double));
	amp[1] = calloc(nblk + 1, sizeof(double));

	/* where the tone is: blocks within 20 dB of the loudest */
	for (size_t b = 0; b < nblk; b++) {
		double e = 0;

		for (size_t i = 0; i < blk; i++)
			e += (double)x[b * blk + i] * x[b * blk + i];
		if (e > loudest)
			loudest = e;
	}
	for (size_t b = 0; b < nblk; b++) {
		double e = 0;

		for (size_t i = 0; i < blk; i++)
			e += (double)x[b * blk + i] * x[b * blk + i];
		if (e * 100 >= loudest && loudest > 0) {
			if (!last)
				first = b;
			last = b + 1;
		}
	}
	/* half a second off each end: start-up and hang-up */
	first += 12;
	last = last > 12 ? last - 12 : 0;
	for (size_t b = first; b < last; b++) {
		double a[2] = { 0, 0 };

		fit_block(x + b * blk, blk, rate, f, nf, a, &snr[count]);
		amp[0][count] = a[0];
		amp[1][count] = a[1];
		count++;
	}
	if (count < 10) {
		printf("snr_db 0 amp1 0 blocks %zu\n", count);
		return 1;
	}
	qsort(snr, count, sizeof(double), cmp_double);
	qsort(amp[0], count, sizeof(double), cmp_double);
	qsort(amp[1], count, sizeof(double), cmp_double);
	printf("snr_db %.1f amp1 %.0f", snr[count / 2], amp[0][count / 2]);
	if (nf > 1)
		printf(" amp2 %.0f", amp[1][count / 2]);
	printf(" blocks %zu\n", count);
	free(x);
	free(snr);
	free(amp[0]);
	free(amp[1]);
	return 0;
}

int main(int argc, char **argv)
{
	double f[2];

	if (argc >= 7 && argc <= 8 && !strcmp(argv[1], "wav")) {
		int nf = argc - 6;

		for (int k = 0; k < nf; k++)
			f[k] = atof(argv[6 + k]);
		return write_wav(argv[2], (unsigned)atoi(argv[3]), atof(argv[4]),
				 atof(argv[5]), f, nf);
	}
	if (argc >= 4 && argc <= 5 && !strcmp(argv[1], "snr")) {
		int nf = argc - 3;

		for (int k = 0; k < nf; k++)
			f[k] = atof(argv[3 + k]);
		return analyse(argv[2], f, nf);
	}
	fprintf(stderr, "usage: dp-tone wav FILE RATE SECONDS AMPLITUDE F1 [F2]\n"
		"       dp-tone snr FILE F1 [F2]\n");
	return 2;
}
