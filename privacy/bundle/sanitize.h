/**
 * @file sanitize.h  Configuration files with every secret taken out
 *
 * Before a configuration file goes into a bundle, the value of every
 * setting whose name says it is secret, every password inside a URI and
 * every secret account parameter (auth_pass, ...) is replaced by
 * `<removed>`.  What was removed is listed by name (file, line, key),
 * never by value.  The redactor then pseudonymises what is left.
 *
 * Line keys (`line_key_<n> TYPE [TARGET] [LABEL]`) hold colleagues'
 * extensions and names: personal data.  Their target and label become
 * the tokens the redactor gives those values everywhere else (a number
 * or user token, a name token), or are removed when no redactor is
 * given.
 */
#ifndef DESKPHONE_SANITIZE_H
#define DESKPHONE_SANITIZE_H

#include <stdbool.h>
#include <stddef.h>

struct mbuf;
struct dp_redactor;

/* A key whose value is secret: *pass*, *pwd*, *secret*, *token*, *key,
 * *_pin, *psk, ... but not *_file, *_dir or *_path (those are places). */
bool dp_secret_key(const char *key, size_t n);
/* Whether the `n` bytes of `key` hold `sub`, or end with `suffix`,
 * ignoring case. */
bool dp_key_has(const char *key, size_t n, const char *sub);
bool dp_key_ends(const char *key, size_t n, const char *suffix);

/* `key value` lines (deskphone settings, the baresip config); `r`
 * (may be NULL) gives line keys their tokens. */
int  dp_sanitize_settings(const char *p, size_t n, const char *label,
			  struct dp_redactor *r, struct mbuf *out,
			  struct mbuf *removed);
/* baresip accounts lines. */
int  dp_sanitize_accounts(const char *p, size_t n, const char *label,
			  struct mbuf *out, struct mbuf *removed);

#endif
