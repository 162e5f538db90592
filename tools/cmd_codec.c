/**
 * @file cmd_codec.c  `deskphone codec`: our G.711 and G.722 on files
 *
 *   deskphone codec pcmu|pcma|g722 encode            < linear > coded
 *   deskphone codec pcmu|pcma|g722 decode [--mode N] < coded > linear
 *   deskphone codec g722 appendix2 DIR
 *
 * Linear audio is signed 16-bit little-endian, 8 kHz for G.711 and 16
 * kHz for G.722.  The whole input is read and checked before anything is
 * written, so bad input gives an error and no partial output.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "modules/codec/lib/g711.h"
#include "modules/codec/lib/g722.h"
#include "cli.h"

extern const struct dp_command dp_command_codec;


static int read_all(FILE *f, uint8_t **bufp, size_t *lenp)
{
	size_t len = 0, cap = 65536;
	uint8_t *buf = malloc(cap);

	if (!buf)
		return ENOMEM;
	for (;;) {
		size_t n = fread(buf + len, 1, cap - len, f);

		len += n;
		if (len < cap) {
			if (ferror(f)) {
				free(buf);
				return EIO;
			}
			break;
		}
		uint8_t *bigger = realloc(buf, cap * 2);

		if (!bigger) {
			free(buf);
			return ENOMEM;
		}
		buf = bigger;
		cap *= 2;
	}
	*bufp = buf;
	*lenp = len;

	return 0;
}


static void le16_to_samples(int16_t *x, const uint8_t *b, size_t n)
{
	for (size_t i = 0; i < n; i++)
		x[i] = (int16_t)(b[2 * i] | b[2 * i + 1] << 8);
}


static void samples_to_le16(uint8_t *b, const int16_t *x, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		b[2 * i] = (uint8_t)x[i];
		b[2 * i + 1] = (uint8_t)((uint16_t)x[i] >> 8);
	}
}


static int write_all(const void *p, size_t n)
{
	if (fwrite(p, 1, n, stdout) != n || fflush(stdout)) {
		fprintf(stderr, "deskphone codec: write failed: %s\n",
			strerror(errno));
		return DP_EXIT_FAIL;
	}
	return DP_EXIT_OK;
}


static int encode(const char *codec, const uint8_t *in, size_t len)
{
	size_t nsamp = len / 2, nout;
	int16_t *x;
	uint8_t *out;
	int ret;

	if (len % 2) {
		fprintf(stderr, "deskphone codec: %zu bytes is not a whole"
			" number of 16-bit samples\n", len);
		return DP_EXIT_USAGE;
	}
	if (!strcmp(codec, "g722") && nsamp % 2) {
		fprintf(stderr, "deskphone codec: G.722 codes samples in"
			" pairs; %zu samples is odd\n", nsamp);
		return DP_EXIT_USAGE;
	}

	x = malloc(nsamp * sizeof(*x));
	out = malloc(nsamp);
	if (!x || !out) {
		free(x);
		free(out);
		fprintf(stderr, "deskphone codec: out of memory\n");
		return DP_EXIT_FAIL;
	}
	le16_to_samples(x, in, nsamp);

	if (!strcmp(codec, "pcmu")) {
		dp_pcmu_encode(out, x, nsamp);
		nout = nsamp;
	}
	else if (!strcmp(codec, "pcma")) {
		dp_pcma_encode(out, x, nsamp);
		nout = nsamp;
	}
	else {
		struct dp_g722_encoder enc;

		dp_g722_encoder_init(&enc);
		nout = dp_g722_encode(&enc, out, x, nsamp);
	}

	ret = write_all(out, nout);
	free(x);
	free(out);

	return ret;
}


static int decode(const char *codec, int mode, const uint8_t *in, size_t len)
{
	size_t nsamp = !strcmp(codec, "g722") ? 2 * len : len;
	int16_t *y = malloc(nsamp * sizeof(*y));
	uint8_t *out = malloc(nsamp * 2);
	int ret;

	if (!y || !out) {
		free(y);
		free(out);
		fprintf(stderr, "deskphone codec: out of memory\n");
		return DP_EXIT_FAIL;
	}

	if (!strcmp(codec, "pcmu")) {
		dp_pcmu_decode(y, in, len);
	}
	else if (!strcmp(codec, "pcma")) {
		dp_pcma_decode(y, in, len);
	}
	else {
		struct dp_g722_decoder dec;

		(void)dp_g722_decoder_init(&dec, mode);   /* mode checked */
		dp_g722_decode(&dec, y, in, len);
	}

	samples_to_le16(out, y, nsamp);
	ret = write_all(out, nsamp * 2);
	free(y);
	free(out);

	return ret;
}


/* --- ITU-T G.722 Appendix II: the sub-band coders, QMF bypassed ---- */

static int read_words(const char *dir, const char *name, uint16_t **wp,
		      size_t *np)
{
	char path[4096];
	uint8_t *raw;
	size_t len;
	FILE *f;
	int err;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "rb");
	if (!f) {
		fprintf(stderr, "deskphone codec: %s: %s\n", path,
			strerror(errno));
		return errno;
	}
	err = read_all(f, &raw, &len);
	fclose(f);
	if (err)
		return err;
	if (len % 2 || !len) {
		fprintf(stderr, "deskphone codec: %s: not 16-bit words\n", path);
		free(raw);
		return EINVAL;
	}

	*wp = malloc(len);
	if (!*wp) {
		free(raw);
		return ENOMEM;
	}
	for (size_t i = 0; i < len / 2; i++)
		(*wp)[i] = (uint16_t)(raw[2 * i] | raw[2 * i + 1] << 8);
	*np = len / 2;
	free(raw);

	return 0;
}


/* Bit 0 of an input word is the reset; the reset's output word is 1. */
static int appendix2_encode(const char *dir, const char *in_name,
			    const char *ref_name)
{
	struct dp_g722_encoder enc;
	uint16_t *in = NULL, *ref = NULL;
	size_t n = 0, nref = 0, differ = 0;
	int err;

	err = read_words(dir, in_name, &in, &n);
	if (!err)
		err = read_words(dir, ref_name, &ref, &nref);
	if (!err && n != nref)
		err = EINVAL;
	if (err) {
		free(in);
		free(ref);
		printf("error   encode %s -> %s: cannot compare\n", in_name,
		       ref_name);
		return 1;
	}

	dp_g722_encoder_init(&enc);
	for (size_t i = 0; i < n; i++) {
		uint16_t out;

		if (in[i] & 1) {
			dp_g722_encoder_init(&enc);
			out = 1;
		}
		else {
			int x = (int16_t)in[i] >> 1;

			out = (uint16_t)(dp_g722_encode_subbands(&enc, x, x) << 8);
		}
		differ += out != ref[i];
	}
	printf("%-7s encode %s -> %s: %zu words, %zu differ\n",
	       differ ? "differs" : "matches", in_name, ref_name, n, differ);
	free(in);
	free(ref);

	return differ != 0;
}


static int appendix2_decode(const char *dir, const char *in_name,
			    const char *low_name, const char *high_name,
			    int mode)
{
	struct dp_g722_decoder dec;
	uint16_t *in = NULL, *low = NULL, *high = NULL;
	size_t n = 0, nl = 0, nh = 0, differ = 0;
	int err;

	err = read_words(dir, in_name, &in, &n);
	if (!err)
		err = read_words(dir, low_name, &low, &nl);
	if (!err)
		err = read_words(dir, high_name, &high, &nh);
	if (!err && (nl != n || nh != n))
		err = EINVAL;
	if (err) {
		free(in);
		free(low);
		free(high);
		printf("error   decode %s mode %d -> %s, %s: cannot compare\n",
		       in_name, mode, low_name, high_name);
		return 1;
	}

	(void)dp_g722_decoder_init(&dec, mode);
	for (size_t i = 0; i < n; i++) {
		uint16_t ol = 1, oh = 1;

		if (in[i] & 1) {
			(void)dp_g722_decoder_init(&dec, mode);
		}
		else {
			int rl, rh;

			dp_g722_decode_subbands(&dec, (uint8_t)(in[i] >> 8),
						&rl, &rh);
			ol = (uint16_t)(rl * 2) & 0xfffe;
			oh = (uint16_t)(rh * 2) & 0xfffe;
		}
		differ += (ol != low[i]) + (oh != high[i]);
	}
	printf("%-7s decode %s mode %d -> %s, %s: %zu words, %zu differ\n",
	       differ ? "differs" : "matches", in_name, mode, low_name, high_name,
	       n, differ);
	free(in);
	free(low);
	free(high);

	return differ != 0;
}


static int appendix2(const char *dir)
{
	static const char *const dec_in[3] = {
		"bt2r1.cod", "bt2r2.cod", "bt1d3.cod"
	};
	static const char *const low_base[3] = { "bt3l1", "bt3l2", "bt3l3" };
	static const char *const high[3] = {
		"bt3h1.rc0", "bt3h2.rc0", "bt3h3.rc0"
	};
	int failed = 0, total = 2;

	failed += appendix2_encode(dir, "bt1c1.xmt", "bt2r1.cod");
	failed += appendix2_encode(dir, "bt1c2.xmt", "bt2r2.cod");
	for (int t = 0; t < 3; t++) {
		for (int mode = 1; mode <= 3; mode++) {
			char low[32];

			snprintf(low, sizeof(low), "%s.rc%d", low_base[t], mode);
			failed += appendix2_decode(dir, dec_in[t], low, high[t],
						   mode);
			total++;
		}
	}
	printf("%d of %d Appendix II tests passed\n", total - failed, total);

	return failed ? DP_EXIT_FAIL : DP_EXIT_OK;
}


static int codec_main(int argc, char **argv)
{
	const char *codec, *op;
	uint8_t *in;
	size_t len;
	int mode = 1, ret;

	if (argc < 3)
		return cli_usage(&dp_command_codec);
	codec = argv[1];
	op = argv[2];
	if (strcmp(codec, "pcmu") && strcmp(codec, "pcma") &&
	    strcmp(codec, "g722")) {
		fprintf(stderr, "deskphone codec: no codec '%s'\n", codec);
		return cli_usage(&dp_command_codec);
	}

	if (!strcmp(op, "appendix2")) {
		if (strcmp(codec, "g722") || argc != 4)
			return cli_usage(&dp_command_codec);
		return appendix2(argv[3]);
	}

	if (!strcmp(op, "decode") && argc == 5 && !strcmp(argv[3], "--mode")) {
		char *end;
		long m = strtol(argv[4], &end, 10);

		if (strcmp(codec, "g722") || *end || m < 1 || m > 3) {
			fprintf(stderr, "deskphone codec: --mode is 1, 2 or 3"
				" (G.722 at 64, 56 or 48 kbit/s)\n");
			return DP_EXIT_USAGE;
		}
		mode = (int)m;
	}
	else if (argc != 3 || (strcmp(op, "encode") && strcmp(op, "decode"))) {
		return cli_usage(&dp_command_codec);
	}

	if (read_all(stdin, &in, &len)) {
		fprintf(stderr, "deskphone codec: cannot read input: %s\n",
			strerror(errno));
		return DP_EXIT_FAIL;
	}
	if (!len) {
		free(in);
		fprintf(stderr, "deskphone codec: no input\n");
		return DP_EXIT_USAGE;
	}

	ret = !strcmp(op, "encode") ? encode(codec, in, len)
				    : decode(codec, mode, in, len);
	free(in);

	return ret;
}


const struct dp_command dp_command_codec = {
	.name    = "codec",
	.summary = "encode or decode audio with our G.711 and G.722",
	.usage   =
	"deskphone codec pcmu|pcma|g722 encode < linear > coded\n"
	"       deskphone codec pcmu|pcma|g722 decode [--mode 1|2|3] < coded > linear\n"
	"       deskphone codec g722 appendix2 DIR\n"
	"\n"
	"Linear audio is signed 16-bit little-endian samples: 8 kHz for\n"
	"PCMU/PCMA, 16 kHz for G.722.  G.711 is one octet per sample; G.722\n"
	"one octet per two samples, as sent in RTP.  --mode (G.722 decoding\n"
	"only) picks 64, 56 or 48 kbit/s.  appendix2 runs the ITU-T G.722\n"
	"Appendix II sub-band test sequences found in DIR.\n",
	.main    = codec_main,
};
