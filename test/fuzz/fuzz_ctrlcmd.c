/**
 * @file fuzz_ctrlcmd.c  The control socket's framing and word splitting
 *                       (linesock_take in base/linesock.c,
 *                       modules/core/cmdline.c) on arbitrary bytes
 *
 * The input arrives in reads of varying size, as from a socket; each
 * line is split into words the way dpcore's command handler does.
 * Checks: nothing crashes, the buffer never holds more than one read
 * plus the line limit, every word is non-empty and blank-free, `cmd`'s
 * allow-list passes only whole dp* names.
 */
#include <re.h>
#include "base/linesock.h"
#include "modules/core/cmdline.h"
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

enum { MAX_LINE = 4096, MAX_READ = LINESOCK_READ };

static bool on_line(char *line, void *arg)
{
	char *rest = line, *w;
	unsigned *nlines = arg;
	size_t namelen = 0;

	/* what `cmd` lets through is one of our dp* names, whole */
	if (cmdline_passthrough_allowed(line, &namelen) &&
	    (strncmp(line, "dp", 2) || (line[namelen] && line[namelen] != ' ')))
		__builtin_trap();

	while ((w = cmdline_word(&rest)) != NULL) {
		if (!*w || strchr(w, ' ') || strchr(w, '\t'))
			__builtin_trap();
	}

	++*nlines;

	return true;
}


int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mbuf *in = mbuf_alloc(512);
	unsigned nlines = 0;
	size_t off = 0;

	if (!in)
		return 0;

	while (off < size) {
		/* the first byte of each read picks the size of the next */
		size_t chunk = 1 + (size_t)data[off] * 7 % MAX_READ;

		if (chunk > size - off)
			chunk = size - off;

		in->pos = in->end;
		if (mbuf_write_mem(in, data + off, chunk))
			break;
		off += chunk;

		(void)linesock_take(in, MAX_LINE, on_line, &nlines);
		if (in->end > MAX_LINE + MAX_READ)
			__builtin_trap();
	}

	mem_deref(in);

	return 0;
}
