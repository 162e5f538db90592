/**
 * @file settings.h  deskphone's own settings files and the config template
 *
 * A settings file holds one `key value` pair a line; `#` starts a comment,
 * blank lines are ignored, the value runs to the end of the line (trailing
 * blanks dropped) and may be empty; it may hold no control character
 * (below 0x20, or DEL: no tab, no newline), from a file, from `--set` or
 * from dp_settings_set().  Keys are [a-z0-9_]+.  Loading several
 * files layers them: a later file's value replaces an earlier one.  Values
 * may refer to other keys as ${key}; references are expanded when read.
 *
 * Every error names the file and line it comes from, in `errbuf`, as
 * "path:line: what is wrong".
 */
#ifndef DESKPHONE_SETTINGS_H
#define DESKPHONE_SETTINGS_H

#include <stdbool.h>
#include <stddef.h>

struct mbuf;
struct dp_settings;

enum { DP_ERRBUF = 512 };

int  dp_settings_alloc(struct dp_settings **sp);
/* Missing file: ENOENT (errbuf says so).  Bad line: EINVAL. */
int  dp_settings_load(struct dp_settings *s, const char *path,
		      char *errbuf, size_t errsz);
/* `assignment` is "key=value", as given on a command line. */
int  dp_settings_set_arg(struct dp_settings *s, const char *assignment,
			 char *errbuf, size_t errsz);
int  dp_settings_set(struct dp_settings *s, const char *key,
		     const char *value, const char *origin);
bool dp_settings_has(const struct dp_settings *s, const char *key);
/* Where `key` was last set ("path:line", "--set"), or NULL if unset. */
const char *dp_settings_origin(const struct dp_settings *s, const char *key);

/*
 * The value of `key` with every ${ref} expanded, in a new string the
 * caller releases with mem_deref().  Unknown keys and reference loops are
 * errors that name where the offending value was set.
 */
int  dp_settings_get(const struct dp_settings *s, const char *key,
		     char **valp, char *errbuf, size_t errsz);
/* Expand ${ref}s in `text`; `origin` is used in error messages. */
int  dp_settings_expand(const struct dp_settings *s, const char *text,
			const char *origin, char **outp,
			char *errbuf, size_t errsz);

/*
 * Render a baresip config template.  Each line is expanded like a value.
 * A line whose expansion leaves no value after its key is dropped, so an
 * empty setting removes an optional baresip key.  On a line whose key is
 * `module`, `module_tmp` or `module_app`, a comma-separated value becomes
 * one line per item.  A line whose expansion holds a control character is
 * an error (EINVAL, naming the template line and key), never written.
 */
int  dp_template_render(const struct dp_settings *s, const char *path,
			struct mbuf *out, char *errbuf, size_t errsz);

#endif
