/**
 * @file redact.h  The redactor: SIP traces and logs in, the same text with
 *                 every personal value replaced by a keyed pseudonym out
 *
 * Input is read as lines, in any amount, through dp_redact_feed(); each
 * finished line is written redacted through the output handler.  Memory
 * stays bounded whatever the input size: one line buffer of `max_line`
 * bytes (default DP_REDACT_MAX_LINE), a bounded token cache, a bounded
 * set of values learned from SIP headers and a bounded set of values
 * removed from their places (secrets, nonces: each is then removed
 * wherever else it appears, see dp_redact_learn()).  A line longer than `max_line`
 * is never passed through: it becomes one marker line saying how long it
 * was.
 *
 * What is understood is parsed (SIP start lines and headers, Via, Call-ID,
 * name-addr lists, digest authentication, SDP, multipart, sipfrag, XML
 * and DTMF bodies, timestamps in front of log lines); everything else is
 * scanned for URIs, user@host, IPv4/IPv6/MAC addresses, phone numbers,
 * host names and `password=`-style values.  A header this file does not
 * know has its whole value replaced.  docs/redaction.md has the rules.
 *
 * Pseudonyms are `<type-hex>`: hex is HMAC-SHA256(key, type, value) cut
 * to 8 (people, hosts, addresses) or 12 (Call-IDs, tags, branches,
 * nonces) hex digits, so one value gives one token throughout a run and
 * another key gives other tokens.  Secrets become `<secret>` and DTMF
 * digits `<dtmf>`; neither is pseudonymised.  A token of exactly one of
 * these forms in the input is left as it is, so redacting redacted text
 * changes nothing (docs/redaction.md, "Tokens").
 *
 * The phone's own identities are given with dp_redactor_identity(): they
 * are replaced wherever they occur, matched as exact strings (case
 * insensitive), also where no pattern would find them: the finished line
 * is checked for them once more, even in text the SIP rules keep.
 */
#ifndef DESKPHONE_REDACT_H
#define DESKPHONE_REDACT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct mbuf;
struct dp_redactor;

enum {
	DP_REDACT_MAX_LINE = 65536,   /* default line limit, bytes */
	DP_REDACT_KEY_MIN  = 16,      /* shortest key accepted, bytes */
	DP_REDACT_KEY_MAX  = 64,
};

/* What an identity given to dp_redactor_identity() is. */
enum dp_identity {
	DP_ID_NUMBER,   /* a phone number or extension */
	DP_ID_USER,     /* a SIP user or login name */
	DP_ID_NAME,     /* a display name */
	DP_ID_HOST,     /* a host or domain name, or an IP address */
	DP_ID_MAC,      /* a MAC address (any notation) */
	DP_ID_SECRET,   /* a password or key: replaced by <secret> */
};

struct dp_redact_stats {
	uint64_t lines;        /* lines read */
	uint64_t bytes_in;
	uint64_t bytes_out;
	uint64_t tokens;       /* pseudonyms written */
	uint64_t secrets;      /* <secret> written */
	uint64_t long_lines;   /* lines over max_line, replaced whole */
};

/* Receives redacted output; non-zero stops the run with that error. */
typedef int (dp_redact_out_h)(const char *p, size_t n, void *arg);

/*
 * A redactor keyed with `key` (DP_REDACT_KEY_MIN..DP_REDACT_KEY_MAX
 * bytes), or with a fresh random key when `key` is NULL.  The key is
 * never written anywhere.  `max_line` 0 means DP_REDACT_MAX_LINE; the
 * smallest accepted is 256.
 */
int  dp_redactor_alloc(struct dp_redactor **rp, const uint8_t *key,
		       size_t keylen, size_t max_line);

/*
 * Add an identity of the phone, always replaced.  Values shorter than 3
 * characters are refused (EINVAL) since they would match everywhere;
 * 3 to 5 characters are matched as whole words, longer ones inside other
 * words too, except that a number or an address is never matched inside
 * a longer run of digits.  A number is also seeded without its visual
 * separators and without its '+'; a MAC in all its notations.
 */
int  dp_redactor_identity(struct dp_redactor *r, enum dp_identity kind,
			  const char *value);

/*
 * Feed input; every complete line is redacted and written through
 * `outh`.  dp_redact_finish() ends the input: a last line without a
 * newline is redacted and written, and the SIP message state is reset so
 * that the next file starts clean.  Tokens stay the same across files.
 */
int  dp_redact_feed(struct dp_redactor *r, const char *p, size_t n,
		    dp_redact_out_h *outh, void *arg);
int  dp_redact_finish(struct dp_redactor *r, dp_redact_out_h *outh,
		      void *arg);

/*
 * A first pass over input about to be redacted: read as dp_redact_feed()
 * reads it, nothing written, nothing counted.  What the redactor removes
 * from a structured place (a digest response, nonce, HA1, SDP key, ICE
 * password, a password in a URI or a `password=`) is learned, so that
 * the real pass also removes it where it appears earlier than that
 * place.  Learned values are bounded: at most 1024 of 6 to 256 bytes,
 * the oldest dropped first.  Ends as dp_redact_finish() does.
 */
int  dp_redact_learn(struct dp_redactor *r, const char *p, size_t n);

/* The same learning pass over `in_fd`, read to its end: for input that
 * is redacted later, as a debug bundle learns from all its members
 * before it redacts the first. */
int  dp_redact_learn_fd(struct dp_redactor *r, int in_fd);

/* The whole of `n` bytes at `p`, redacted, appended to `out`: a learning
 * pass (dp_redact_learn()) first, then the real one. */
int  dp_redact_buf(struct dp_redactor *r, const char *p, size_t n,
		   struct mbuf *out);

/* Read `in_fd` to its end, write to `out_fd`.  A regular file is read
 * twice (a learning pass, then from where it was again); a pipe once, so
 * that a value is then only removed where it appears after the place it
 * was learned from. */
int  dp_redact_fd(struct dp_redactor *r, int in_fd, int out_fd);

/*
 * The token for one value, as the redactor would write it, NUL-terminated
 * into `buf` (at least 32 bytes).  For other components that want to
 * refer to a party the same way the bundle's traces do.
 */
int  dp_redact_token(struct dp_redactor *r, enum dp_identity kind,
		     const char *value, char *buf, size_t size);

const struct dp_redact_stats *dp_redactor_stats(const struct dp_redactor *r);

#endif
