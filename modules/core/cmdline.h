/**
 * @file cmdline.h  The control socket's word splitting and the allow-list
 *                  of `cmd`, as pure functions (no sockets, no baresip):
 *                  with the line framing (base/linesock.h,
 *                  linesock_take), the parts of dpcore that read untrusted
 *                  bytes, fuzzed on their own (test/fuzz/fuzz_ctrlcmd.c).
 */
#ifndef DPCORE_CMDLINE_H
#define DPCORE_CMDLINE_H

#include <stdbool.h>
#include <stddef.h>

/* Split off the first blank-separated word of *restp, NUL-terminated in
 * place; NULL when only blanks are left.  *restp moves past it. */
char *cmdline_word(char **restp);

/*
 * Whether `cmd <text>` may reach baresip: only when the command name
 * (text up to the first blank, as baresip's long-command parser splits
 * it) is one of our own modules' commands, listed by name.  Everything
 * else (baresip's insmod, rmmod, quit, module commands, anything unknown)
 * is refused.  `*namelen` is the length of the command name in `text`.
 */
bool cmdline_passthrough_allowed(const char *text, size_t *namelen);

#endif
