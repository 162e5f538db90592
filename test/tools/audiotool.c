/**
 * @file audiotool.c  dp-audio: make test tones and measure what arrived
 *
 *   dp-audio tone FILE RATE FREQ DBFS SECONDS [LEAD_MS]
 *       a sine tone (after LEAD_MS of silence), 16-bit mono; FILE ending
 *       in .wav gets a WAV header, anything else is raw s16le
 *   dp-audio analyze FILE RATE FREQ [FROM_S [TO_S]]
 *       FILE raw s16le, or WAV (16-bit mono; the header's sizes may be
 *       unfinished, the data runs to the end of the file).  A negative
 *       FROM_S counts from the end.  Prints one line of key=value:
 *         duration_s  length of the file
 *         active_s    time with audio above -40 dBFS in the range
 *         first_ms    start of the first active 20 ms window (-1: none)
 *         level_dbfs  RMS level of the active windows
 *         snr_db      power at FREQ against everything else, over the
 *                     active windows (a sine fitted per window)
 *         worst_db    the worst window's SNR
 *         gaps        windows between the first and last active one
 *                     that are 20 dB below the level (dropouts)
 *   dp-audio onset FILE RATE [DBFS]
 *       the first sample louder than DBFS (default -30), in samples
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { WINDOW_MS = 20 };

struct samples {
	int16_t *v;
	size_t n;
};


static int usage(void)
{
	fprintf(stderr,
		"usage: dp-audio tone FILE RATE FREQ DBFS SECONDS [LEAD_MS]\n"
		"       dp-audio analyze FILE RATE FREQ [FROM_S [TO_S]]\n"
		"       dp-audio onset FILE RATE [DBFS]\n");
	return 2;
}


static void put_le32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}


static uint32_t get_le32(const uint8_t *p)
{
	return p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
		(uint32_t)p[3] << 24;
}


static int tone(int argc, char **argv)
{
	const char *path = argv[2];
	unsigned rate = (unsigned)atoi(argv[3]);
	double freq = atof(argv[4]), dbfs = atof(argv[5]);
	double secs = atof(argv[6]);
	size_t lead = argc > 7 ? (size_t)atoi(argv[7]) * rate / 1000 : 0;
	size_t n = (size_t)(secs * rate) + lead;
	double amp = 32767.0 * pow(10, dbfs / 20) * sqrt(2);
	size_t len = strlen(path);
	FILE *f = fopen(path, "wb");

	if (!f || !rate) {
		perror(path);
		return 1;
	}

	if (len > 4 && 0 == strcmp(path + len - 4, ".wav")) {
		uint8_t h[44];

		memcpy(h, "RIFF", 4);
		put_le32(h + 4, (uint32_t)(36 + n * 2));
		memcpy(h + 8, "WAVEfmt ", 8);
		put_le32(h + 16, 16);
		h[20] = 1; h[21] = 0;            /* PCM */
		h[22] = 1; h[23] = 0;            /* mono */
		put_le32(h + 24, rate);
		put_le32(h + 28, rate * 2);
		h[32] = 2; h[33] = 0;
		h[34] = 16; h[35] = 0;
		memcpy(h + 36, "data", 4);
		put_le32(h + 40, (uint32_t)(n * 2));
		fwrite(h, 1, sizeof(h), f);
	}

	for (size_t i = 0; i < n; i++) {
		double v = i < lead ? 0 :
			amp * sin(2 * M_PI * freq * (double)(i - lead) / rate);
		int16_t s = (int16_t)lrint(v);
		uint8_t b[2] = { (uint8_t)s, (uint8_t)((uint16_t)s >> 8) };

		fwrite(b, 1, 2, f);
	}

	return fclose(f) ? 1 : 0;
}


static int load(const char *path, struct samples *s)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf = NULL;
	size_t cap = 0, len = 0, off = 0;

	if (!f) {
		perror(path);
		return 1;
	}

	for (;;) {
		size_t r;

		if (len == cap) {
			cap = cap ? cap * 2 : 65536;
			buf = realloc(buf, cap);
			if (!buf)
				return 1;
		}
		r = fread(buf + len, 1, cap - len, f);
		if (!r)
			break;
		len += r;
	}
	fclose(f);

	/* WAV: skip to the data chunk; its size is not trusted, since a
	 * recorder may still be writing */
	if (len >= 12 && 0 == memcmp(buf, "RIFF", 4) &&
	    0 == memcmp(buf + 8, "WAVE", 4)) {
		off = 12;
		while (off + 8 <= len && memcmp(buf + off, "data", 4))
			off += 8 + get_le32(buf + off + 4);
		off += 8;
		if (off > len)
			off = len;
	}

	s->n = (len - off) / 2;
	s->v = malloc(s->n * sizeof(int16_t) + 1);
	for (size_t i = 0; i < s->n; i++)
		s->v[i] = (int16_t)(buf[off + 2 * i] |
				    (uint16_t)buf[off + 2 * i + 1] << 8);
	free(buf);

	return 0;
}


/* Least squares of a*cos + b*sin + c over one window: the tone's power
 * and the rest's. */
static void fit(const int16_t *x, size_t n, double w, double *sig,
		double *res, double *rms)
{
	double scc = 0, sss = 0, ssc = 0, sc = 0, ss = 0, sx = 0;
	double sxc = 0, sxs = 0, sxx = 0, m[3][4], p[3];

	for (size_t i = 0; i < n; i++) {
		double c = cos(w * (double)i), s = sin(w * (double)i);
		double v = x[i];

		scc += c * c; sss += s * s; ssc += s * c;
		sc += c; ss += s; sx += v;
		sxc += v * c; sxs += v * s; sxx += v * v;
	}

	double a[3][4] = {
		{ scc, ssc, sc, sxc },
		{ ssc, sss, ss, sxs },
		{ sc,  ss,  (double)n, sx },
	};
	memcpy(m, a, sizeof(m));

	for (int k = 0; k < 3; k++) {
		for (int r = k + 1; r < 3; r++) {
			double f = m[r][k] / m[k][k];

			for (int c = k; c < 4; c++)
				m[r][c] -= f * m[k][c];
		}
	}
	for (int k = 2; k >= 0; k--) {
		double v = m[k][3];

		for (int c = k + 1; c < 3; c++)
			v -= m[k][c] * p[c];
		p[k] = v / m[k][k];
	}

	double e = 0;
	for (size_t i = 0; i < n; i++) {
		double v = x[i] - p[0] * cos(w * (double)i) -
			p[1] * sin(w * (double)i) - p[2];
		e += v * v;
	}

	*sig = (p[0] * p[0] + p[1] * p[1]) / 2;
	*res = e / (double)n;
	*rms = sqrt(sxx / (double)n);
}


static int analyze(int argc, char **argv)
{
	struct samples s;
	unsigned rate = (unsigned)atoi(argv[3]);
	double freq = atof(argv[4]);
	size_t win = rate * WINDOW_MS / 1000, from = 0, to, nw;
	double sig_sum = 0, res_sum = 0, pow_sum = 0, worst = 1e9;
	double *rms, *snr, level;
	long first = -1, last = -1;
	unsigned active = 0, gaps = 0;

	if (!rate || !win || load(argv[2], &s))
		return 1;

	to = s.n;
	if (argc > 5) {
		double f = atof(argv[5]);
		double start = f < 0 ? (double)s.n / rate + f : f;

		from = start > 0 ? (size_t)(start * rate) : 0;
	}
	if (argc > 6) {
		double t = atof(argv[6]);
		double end = t < 0 ? (double)s.n / rate + t : t;

		to = end > 0 ? (size_t)(end * rate) : 0;
		if (to > s.n)
			to = s.n;
	}
	if (from > to)
		from = to;

	nw = (to - from) / win;
	rms = calloc(nw + 1, sizeof(double));
	snr = calloc(nw + 1, sizeof(double));

	for (size_t k = 0; k < nw; k++) {
		double sig, res;

		fit(s.v + from + k * win, win, 2 * M_PI * freq / rate, &sig,
		    &res, &rms[k]);
		snr[k] = 10 * log10((sig + 1e-9) / (res + 1e-9));

		if (20 * log10(rms[k] / 32768 + 1e-12) < -40)
			continue;

		if (first < 0)
			first = (long)k;
		last = (long)k;
		++active;
		sig_sum += sig;
		res_sum += res;
		pow_sum += rms[k] * rms[k];
		if (snr[k] < worst)
			worst = snr[k];
	}

	level = active ? 10 * log10(pow_sum / active / (32768.0 * 32768.0)) :
		-200;

	for (long k = first; first >= 0 && k <= last; k++) {
		if (20 * log10(rms[k] / 32768 + 1e-12) < level - 20)
			++gaps;
	}

	printf("duration_s=%.3f active_s=%.3f first_ms=%ld level_dbfs=%.2f"
	       " snr_db=%.2f worst_db=%.2f gaps=%u\n",
	       (double)s.n / rate, (double)active * WINDOW_MS / 1000,
	       first < 0 ? -1 : (long)((from + (size_t)first * win) * 1000 /
				       rate),
	       level, active ? 10 * log10((sig_sum + 1e-9) / (res_sum + 1e-9)) : 0.0,
	       active ? worst : 0.0, gaps);

	free(rms);
	free(snr);
	free(s.v);

	return 0;
}


static int onset(int argc, char **argv)
{
	struct samples s;
	double dbfs = argc > 4 ? atof(argv[4]) : -30;
	double thr = 32768.0 * pow(10, dbfs / 20);

	if (load(argv[2], &s))
		return 1;

	for (size_t i = 0; i < s.n; i++) {
		if (fabs((double)s.v[i]) > thr) {
			printf("%zu\n", i);
			free(s.v);
			return 0;
		}
	}

	free(s.v);
	printf("-1\n");

	return 1;
}


int main(int argc, char **argv)
{
	if (argc >= 7 && 0 == strcmp(argv[1], "tone"))
		return tone(argc, argv);
	if (argc >= 5 && 0 == strcmp(argv[1], "analyze"))
		return analyze(argc, argv);
	if (argc >= 4 && 0 == strcmp(argv[1], "onset"))
		return onset(argc, argv);

	return usage();
}
