/**
 * @file cmdline.c  Control-socket lines: word splitting
 */
#include <stddef.h>
#include "cmdline.h"


char *cmdline_word(char **restp)
{
	char *p = *restp, *word;

	while (*p == ' ' || *p == '\t')
		++p;

	if (!*p) {
		*restp = p;
		return NULL;
	}

	word = p;
	while (*p && *p != ' ' && *p != '\t')
		++p;

	if (*p)
		*p++ = '\0';

	*restp = p;

	return word;
}
