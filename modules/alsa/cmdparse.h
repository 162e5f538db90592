/**
 * @file cmdparse.h  The parameters of dpalsa's commands (command.c), as
 *                   pure functions: no baresip, no state
 *
 * A parameter is what follows the command's name, e.g. "speaker 80" for
 * `/dpalsa_volume speaker 80`: words separated by blanks (spaces, tabs).
 * More words than a command takes, or a word too long to be any of its
 * values, is an error: nothing is cut short or left out silently.
 * Numbers are decimal digits only.  Every function returns 0 or EINVAL.
 */
#ifndef DPALSA_CMDPARSE_H
#define DPALSA_CMDPARSE_H

#include <stddef.h>
#include "audio_io.h"

enum { DPA_WORD = 32 };   /* a word of a parameter, with its NUL */

/* Up to two words of `prm`; *nwords is 0, 1 or 2. */
int dpa_cmd_words(const char *prm, char a[DPA_WORD], char b[DPA_WORD],
		  unsigned *nwords);

/* A volume: "up"/"+" and "down"/"-" step from `now`, or 0-100. */
int dpa_volume_arg(const char *s, unsigned now, unsigned *v);

/* `stall MS [route]` of /dpalsa_fault: MS up to 10000; `route` gets the
 * third word ("" when none is given), not checked here. */
int dpa_fault_args(const char *prm, unsigned *ms, char route[DPA_WORD]);

#endif
