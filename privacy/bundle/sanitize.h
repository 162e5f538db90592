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
 * extensions and names: personal data.  After the redactor has run over
 * the file, dp_sanitize_line_keys() gives each target and label the
 * token the redactor gives that value everywhere else (a number or user
 * token, a name token), or removes it when no redactor is given.  It
 * runs after the redactor, not before, because the redactor does not
 * take its own tokens as they are (an all-digit token looks like a phone
 * number to it).
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

/* `key value` lines (deskphone settings, the baresip config). */
int  dp_sanitize_settings(const char *p, size_t n, const char *label,
			  struct mbuf *out, struct mbuf *removed);
/* The line keys of redacted `key value` lines; a value the redactor
 * already replaced stays.  `r` NULL: removed (and listed). */
int  dp_sanitize_line_keys(const char *p, size_t n, const char *label,
			   struct dp_redactor *r, struct mbuf *out,
			   struct mbuf *removed);
/* baresip accounts lines. */
int  dp_sanitize_accounts(const char *p, size_t n, const char *label,
			  struct mbuf *out, struct mbuf *removed);

#endif
