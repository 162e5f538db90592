/**
 * @file guard.h  The last check before a member goes into a bundle: is any
 *                known secret still in it?
 *
 * The redactor already replaces the phone's secrets wherever they occur;
 * this is a second, independent look at what it produced (plain,
 * case-insensitive substring search, a line at a time), so that a fault
 * in the redactor stops the bundle instead of leaking.  Occurrences
 * inside the redactor's own tokens do not count: a password "secret" is
 * in every "<secret>".
 */
#ifndef DESKPHONE_GUARD_H
#define DESKPHONE_GUARD_H

#include <stdbool.h>
#include <stddef.h>

struct dp_guard;

/* Secrets shorter than 6 characters are not looked for (too common). */
int  dp_guard_alloc(struct dp_guard **gp);
int  dp_guard_secret(struct dp_guard *g, const char *secret);
/* Look at redacted text (any number of lines); true once a secret has
 * been seen anywhere. */
bool dp_guard_text(struct dp_guard *g, const char *p, size_t n);
/* Look at a whole file, from its current offset. */
int  dp_guard_fd(struct dp_guard *g, int fd, bool *hit);

#endif
