/**
 * @file cmdparse.c  dpalsa's command parameters
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <re.h>
#include "cmdparse.h"

enum { VOLUME_STEP = 10 };


int dpa_cmd_words(const char *prm, char a[DPA_WORD], char b[DPA_WORD],
		  unsigned *nwords)
{
	struct pl w1, w2;

	a[0] = b[0] = '\0';
	*nwords = 0;
	if (!str_isset(prm))
		return 0;

	if (0 == re_regex(prm, strlen(prm), "[^ ]+[ ]+[^ ]+", &w1, NULL,
			  &w2)) {
		pl_strcpy(&w1, a, DPA_WORD);
		pl_strcpy(&w2, b, DPA_WORD);
		*nwords = 2;
		return 0;
	}

	if (0 == re_regex(prm, strlen(prm), "[^ ]+", &w1)) {
		pl_strcpy(&w1, a, DPA_WORD);
		*nwords = 1;
	}

	return 0;
}


int dpa_volume_arg(const char *s, unsigned now, unsigned *v)
{
	char *end;
	unsigned long n;

	if (0 == strcmp(s, "up") || 0 == strcmp(s, "+")) {
		*v = now + VOLUME_STEP > 100 ? 100 : now + VOLUME_STEP;
		return 0;
	}
	if (0 == strcmp(s, "down") || 0 == strcmp(s, "-")) {
		*v = now < VOLUME_STEP ? 0 : now - VOLUME_STEP;
		return 0;
	}

	n = strtoul(s, &end, 10);
	if (!*s || *end || n > 100 || s[0] == '-')
		return EINVAL;

	*v = (unsigned)n;

	return 0;
}


int dpa_fault_args(const char *prm, unsigned *ms, char route[DPA_WORD])
{
	char kind[16] = "", ms_str[16] = "";
	unsigned long n;
	char *end;

	route[0] = '\0';
	if (str_isset(prm))
		(void)sscanf(prm, "%15s %15s %31s", kind, ms_str, route);

	n = strtoul(ms_str, &end, 10);
	if (strcmp(kind, "stall") || !ms_str[0] || *end || n > 10000)
		return EINVAL;

	*ms = (unsigned)n;

	return 0;
}
