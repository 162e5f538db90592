/**
 * @file cmdline.h  The control socket's word splitting, as a pure
 *                  function (no sockets, no baresip): with the line
 *                  framing (firmware/lib/linesock.h, linesock_take), the
 *                  parts of dpcore that read untrusted bytes, fuzzed on
 *                  their own (test/fuzz/fuzz_ctrlcmd.c).
 */
#ifndef DPCORE_CMDLINE_H
#define DPCORE_CMDLINE_H

/* Split off the first blank-separated word of *restp, NUL-terminated in
 * place; NULL when only blanks are left.  *restp moves past it. */
char *cmdline_word(char **restp);

#endif
