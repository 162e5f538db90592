/**
 * @file cmdline.c  Control-socket lines: framing and word splitting
 */
#include <errno.h>
#include <string.h>
#include <re.h>
#include "cmdline.h"


int cmdline_take(struct mbuf *in, size_t max_line, cmdline_h *lineh,
		 void *arg)
{
	if (!in || !lineh)
		return EINVAL;

	for (;;) {
		uint8_t *start = in->buf;
		uint8_t *nl = start ? memchr(start, '\n', in->end) : NULL;
		size_t len;
		bool more;

		if (!nl) {
			if (in->end > max_line) {
				mbuf_rewind(in);
				return E2BIG;
			}
			return 0;
		}

		len = (size_t)(nl - start);
		*nl = '\0';
		if (len && start[len - 1] == '\r')
			start[len - 1] = '\0';

		more = lineh((char *)start, arg);

		/* lineh may not keep the line: its bytes are reused now */
		memmove(start, nl + 1, in->end - len - 1);
		in->end -= len + 1;
		in->pos = in->end;

		if (!more)
			return 0;
	}
}


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
