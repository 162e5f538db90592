/**
 * @file cmdparse.c  dpalsa's command parameters
 */
#include <errno.h>
#include <string.h>
#include <re.h>
#include "cmdparse.h"

enum { VOLUME_STEP = 10 };


static bool blank(char c)
{
	return c == ' ' || c == '\t';
}


/* The words of `prm` into w[0..max); EINVAL for more, or a long one. */
static int split(const char *prm, char (*w)[DPA_WORD], unsigned max,
		 unsigned *n)
{
	const char *s = prm ? prm : "";

	*n = 0;
	for (unsigned i = 0; i < max; i++)
		w[i][0] = '\0';

	for (;;) {
		size_t len = 0;

		while (blank(*s))
			s++;
		if (!*s)
			return 0;
		while (s[len] && !blank(s[len]))
			len++;
		if (*n >= max || len >= DPA_WORD)
			return EINVAL;
		memcpy(w[*n], s, len);
		w[*n][len] = '\0';
		++*n;
		s += len;
	}
}


/* 0 to `max` in decimal digits. */
static int number(const char *s, unsigned max, unsigned *v)
{
	unsigned long n = 0;

	if (!*s)
		return EINVAL;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return EINVAL;
		n = n * 10 + (unsigned long)(*s - '0');
		if (n > max)
			return EINVAL;
	}
	*v = (unsigned)n;

	return 0;
}


int dpa_cmd_words(const char *prm, char a[DPA_WORD], char b[DPA_WORD],
		  unsigned *nwords)
{
	char w[2][DPA_WORD];
	int err = split(prm, w, 2, nwords);

	memcpy(a, w[0], DPA_WORD);
	memcpy(b, w[1], DPA_WORD);
	if (err)
		*nwords = 0;

	return err;
}


int dpa_volume_arg(const char *s, unsigned now, unsigned *v)
{
	if (0 == strcmp(s, "up") || 0 == strcmp(s, "+")) {
		*v = now + VOLUME_STEP > 100 ? 100 : now + VOLUME_STEP;
		return 0;
	}
	if (0 == strcmp(s, "down") || 0 == strcmp(s, "-")) {
		*v = now < VOLUME_STEP ? 0 : now - VOLUME_STEP;
		return 0;
	}

	return number(s, 100, v);
}


int dpa_fault_args(const char *prm, unsigned *ms, char route[DPA_WORD])
{
	char w[3][DPA_WORD];
	unsigned n;

	route[0] = '\0';
	if (split(prm, w, 3, &n) || n < 2 || strcmp(w[0], "stall") ||
	    number(w[1], 10000, ms))
		return EINVAL;

	memcpy(route, w[2], DPA_WORD);

	return 0;
}
