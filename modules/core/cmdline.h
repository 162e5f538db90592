/**
 * @file cmdline.h  The control socket's framing and word splitting, as
 *                  pure functions (no sockets, no baresip): the parts of
 *                  dpcore that read untrusted bytes, fuzzed on their own
 *                  (test/fuzz/fuzz_ctrlcmd.c).
 */
#ifndef DPCORE_CMDLINE_H
#define DPCORE_CMDLINE_H

#include <stdbool.h>
#include <stddef.h>

struct mbuf;

/* Called with one complete line, NUL-terminated, without its "\n" or a
 * trailing "\r".  Return false to stop taking lines. */
typedef bool (cmdline_h)(char *line, void *arg);

/*
 * Hand every complete line at the front of `in` (bytes 0..end) to
 * `lineh` and remove it; a partial line stays for the next read.
 * Returns E2BIG, after dropping the buffered bytes, when a partial line
 * is already longer than `max_line`; otherwise 0.
 */
int cmdline_take(struct mbuf *in, size_t max_line, cmdline_h *lineh,
		 void *arg);

/* Split off the first blank-separated word of *restp, NUL-terminated in
 * place; NULL when only blanks are left.  *restp moves past it. */
char *cmdline_word(char **restp);

#endif
