/**
 * @file rd.h  The redactor's parts (internal to privacy/redact)
 *
 * redactor.c  the object, line buffering, the per-line state machine
 * token.c     keyed pseudonyms, normalisation, the token cache,
 *             host and address classification
 * dict.c      exact-string matching of identities and learned values
 * text.c      free text: URIs, addresses, numbers, key=value secrets
 * uri.c       URIs, name-addr lists, parameters
 * sip.c       start lines and headers
 * sdp.c       SDP lines
 * body.c      XML, DTMF, message-summary and opaque body lines
 * prefix.c    time stamps in front of log lines
 * own.c       the redactor's own tokens, left as they are
 */
#ifndef DESKPHONE_RD_H
#define DESKPHONE_RD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "privacy/crypto/crypto.h"
#include "redact.h"

struct mbuf;
struct rd_dict;
struct rd_cache;

/* The kinds of pseudonym; the label is what the token starts with. */
enum rd_type {
	RD_USER,
	RD_NUM,
	RD_NAME,
	RD_HOST,
	RD_IP4,
	RD_IP6,
	RD_MAC,
	RD_CALLID,
	RD_TAG,
	RD_BRANCH,
	RD_NONCE,
	RD_TEXT,
	RD_NTYPES
};

/* What a body holds (from Content-Type). */
enum rd_body {
	RB_NONE,
	RB_SDP,
	RB_MULTIPART,
	RB_SIPFRAG,
	RB_DTMF,
	RB_MWI,
	RB_XML,
	RB_OPAQUE,
};

/* A value removed from its place is learned when it is this long. */
enum { RD_REMOVED_MIN = 6, RD_REMOVED_LEN = 256 };

enum rd_mode { RM_TEXT, RM_HEADERS, RM_BODY };
enum rd_part { RP_PREAMBLE, RP_HEADERS, RP_BODY, RP_EPILOGUE };

/* How a header's value is handled (sip.c). */
enum rd_hkind {
	RH_NONE,
	RH_KEEPNUM,    /* numbers: kept when that is all there is */
	RH_CSEQ,       /* number and method */
	RH_TEXT,       /* technical text: scanned like free text */
	RH_ADDR,       /* name-addr / addr-spec list */
	RH_VIA,
	RH_CALLID,
	RH_CALLIDS,    /* comma list of Call-IDs (In-Reply-To) */
	RH_DIALOG,     /* callid;to-tag=;from-tag= (Replaces, Join, ...) */
	RH_AUTH,
	RH_CTYPE,
	RH_WARNING,
	RH_OPAQUE,     /* the whole value replaced by one token */
	RH_SECRET,     /* the whole value replaced by <secret> */
};

struct rd_state {
	enum rd_mode mode;
	enum rd_hkind hkind;        /* header being continued */
	enum rd_body body;          /* of the current message */
	int64_t clen;               /* Content-Length, -1 unknown */
	int64_t left;               /* body bytes still expected */
	char boundary[72];          /* multipart boundary, or "" */
	size_t blen;
	enum rd_part part;
	enum rd_body part_body;
	bool in_body_headers;       /* sipfrag / multipart part headers */
	bool sdp_text;              /* free-text SDP after a "v=0" line */
	int pem;                    /* inside a PEM block: 1, a key: 2 */
	size_t indent;              /* the message is indented (FreeSWITCH) */
};

struct dp_redactor {
	struct dp_hmac *mac;        /* HMAC-SHA256 under the token key */
	struct rd_cache *cache;
	struct rd_dict *seeds;      /* the phone's identities */
	struct rd_dict *learned;    /* values seen in SIP headers */
	struct rd_dict *removed;    /* values removed from their place */
	struct mbuf *out;           /* one redacted line */
	struct mbuf *net;           /* the line again, identities caught late */
	char *line;                 /* input line buffer */
	size_t len, max_line;
	bool overlong;
	uint64_t overlong_bytes;
	char *norm;                 /* normalisation scratch, max_line */
	char *tmp;                  /* decoding scratch, max_line */
	char *fold;                 /* free text folded (text.c), lazily */
	uint32_t *fold_map;         /* where each folded byte came from */
	bool folding;               /* fold and fold_map are in use */
	struct rd_state st;
	struct dp_redact_stats stats;
	int err;                    /* out of memory while writing */
	bool versions;              /* User-Agent/Server: a/1.2.3.4 is a version */
	bool fresh;                 /* the last token was not in the cache */
};

/* --- characters --------------------------------------------------------- */
static inline bool rd_digit(unsigned char c) { return c >= '0' && c <= '9'; }
static inline bool rd_alpha(unsigned char c)
{
	return (c | 0x20) >= 'a' && (c | 0x20) <= 'z';
}
static inline bool rd_alnum(unsigned char c)
{
	return rd_digit(c) || rd_alpha(c);
}
static inline bool rd_hex(unsigned char c)
{
	return rd_digit(c) || ((c | 0x20) >= 'a' && (c | 0x20) <= 'f');
}
/* Part of a word: letters, digits, '_' and every non-ASCII byte. */
static inline bool rd_word(unsigned char c)
{
	return rd_alnum(c) || c == '_' || c >= 0x80;
}
static inline bool rd_space(unsigned char c) { return c == ' ' || c == '\t'; }
static inline unsigned char rd_lower(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') ? (unsigned char)(c | 0x20) : c;
}
/* RFC 3261 token characters. */
static inline bool rd_tokenc(unsigned char c)
{
	return rd_alnum(c) || c == '-' || c == '.' || c == '!' || c == '%' ||
		c == '*' || c == '_' || c == '+' || c == '`' || c == '\'' ||
		c == '~';
}

/* p[0..n) equals the lower-case literal `lit`, ignoring ASCII case. */
static inline bool rd_ieq(const char *p, size_t n, const char *lit)
{
	size_t i;

	for (i = 0; i < n && lit[i]; i++) {
		if (rd_lower((unsigned char)p[i]) != (unsigned char)lit[i])
			return false;
	}

	return i == n && !lit[i];
}

/* p[0..n) starts with the lower-case literal `lit`, ignoring case. */
static inline bool rd_iprefix(const char *p, size_t n, const char *lit)
{
	size_t i;

	for (i = 0; lit[i]; i++) {
		if (i >= n || rd_lower((unsigned char)p[i]) !=
		    (unsigned char)lit[i])
			return false;
	}

	return true;
}

/* --- output (redactor.c) ------------------------------------------------- */
void rd_out(struct dp_redactor *r, const char *p, size_t n);
void rd_outs(struct dp_redactor *r, const char *s);
void rd_outc(struct dp_redactor *r, char c);
void rd_secret(struct dp_redactor *r);
/* <secret> for the value v, which is then removed wherever else it is */
void rd_secret_v(struct dp_redactor *r, const char *v, size_t n);

/* --- tokens (token.c) ---------------------------------------------------- */
int  rd_token_init(struct dp_redactor *r, const uint8_t *key, size_t n);
void rd_token_close(struct dp_redactor *r);
/* Format the token for a value into buf (>= 40 bytes); returns length. */
size_t rd_token_fmt(struct dp_redactor *r, enum rd_type t, const char *v,
		    size_t n, char *buf);
/* Write the token; true when the value was not in the cache (new). */
bool rd_tok(struct dp_redactor *r, enum rd_type t, const char *v, size_t n);
/* A user part: a number (RD_NUM) or a name (RD_USER). */
void rd_user(struct dp_redactor *r, const char *v, size_t n);
bool rd_is_number(const char *v, size_t n);
/* A host: IPv4, [IPv6] or IPv6, or a name; loopback and the like kept. */
void rd_host(struct dp_redactor *r, const char *v, size_t n);
bool rd_parse_ip4(const char *p, size_t n, uint8_t a[4]);
bool rd_parse_ip6(const char *p, size_t n, uint8_t a[16]);
bool rd_parse_mac(const char *p, size_t n, uint8_t a[6]);
/* Loopback, unspecified and broadcast addresses say nothing: kept. */
bool rd_ip4_kept_text(const char *v, size_t n);
bool rd_ip6_kept_text(const char *v, size_t n);
/* Remember a value seen in SIP so that free text finds it too. */
void rd_learn(struct dp_redactor *r, enum rd_type t, const char *v,
	      size_t n);
/* Remember a value removed from its place (a secret, a nonce) with what
 * replaced it, so that it is replaced the same wherever else it is. */
void rd_learn_removed(struct dp_redactor *r, const char *v, size_t n,
		      const char *tok, size_t toklen);
/* A nonce's token, the value remembered. */
void rd_nonce(struct dp_redactor *r, const char *v, size_t n);

/* --- exact strings (dict.c) ---------------------------------------------- */
/* Where an entry may match. */
enum rd_where {
	RD_WORD,        /* a whole word */
	RD_ANYWHERE,    /* inside other words too */
	RD_DIGITS,      /* anywhere, but not inside a longer digit run */
	RD_HEXDIGITS,   /* anywhere, but not inside a longer hex run */
};

struct rd_dict *rd_dict_alloc(size_t capacity, bool evict);
int  rd_dict_add(struct rd_dict *d, const char *v, size_t n,
		 const char *token, size_t toklen, enum rd_where where);
/* Longest entry at p (prev: the byte before p, or -1); returns its
 * length and the token, or 0. */
size_t rd_dict_match(const struct rd_dict *d, const char *p, size_t n,
		     int prev, const char **tok, size_t *toklen);

/* The part of a dictionary the per-byte loops test inline; a struct
 * rd_dict starts with it (dict.c owns the rest). */
struct rd_dict_filter {
	size_t count;
	uint64_t adds;              /* entries ever added */
	bool any_anywhere;          /* some entry matches inside words */
	bool any_word;              /* some entry is RD_WORD */
	uint8_t pair[65536 / 8];    /* first two bytes of anywhere entries */
};

static inline unsigned rd_pair_of(const char *p)
{
	return (unsigned)rd_lower((unsigned char)p[0]) << 8 |
		rd_lower((unsigned char)p[1]);
}

/* Might an entry that matches inside words start at p? */
static inline bool rd_dict_maybe_anywhere(const struct rd_dict *d,
					  const char *p, size_t n)
{
	const struct rd_dict_filter *f = (const struct rd_dict_filter *)d;
	unsigned pr;

	if (!f || !f->any_anywhere || n < 3)
		return false;
	pr = rd_pair_of(p);

	return f->pair[pr >> 3] & (1u << (pr & 7));
}

/* Might an entry match at p (prev: the byte before p, or -1)?  A cheap
 * test before rd_dict_match(): false means none does. */
static inline bool rd_dict_maybe(const struct rd_dict *d, const char *p,
				 size_t n, int prev)
{
	const struct rd_dict_filter *f = (const struct rd_dict_filter *)d;

	if (!f || !f->count)
		return false;
	if (f->any_word && (prev < 0 || !rd_word((unsigned char)prev)))
		return true;

	return rd_dict_maybe_anywhere(d, p, n);
}

static inline size_t rd_dict_count(const struct rd_dict *d)
{
	return d ? ((const struct rd_dict_filter *)d)->count : 0;
}

static inline uint64_t rd_dict_adds(const struct rd_dict *d)
{
	return d ? ((const struct rd_dict_filter *)d)->adds : 0;
}

/* --- free text (text.c) -------------------------------------------------- */
void rd_text(struct dp_redactor *r, const char *p, size_t n);
/* Length of a URI starting at p, or 0 when p holds no known scheme. */
size_t rd_uri_at(const char *p, size_t n);

/* --- URIs and addresses (uri.c) ------------------------------------------ */
void rd_uri(struct dp_redactor *r, const char *p, size_t n);
void rd_addr_list(struct dp_redactor *r, const char *p, size_t n);
/* One `name[=value]` parameter, at header or URI level. */
void rd_param(struct dp_redactor *r, const char *p, size_t n);
/* A run of ;params (p starts at the first ';'). */
void rd_params(struct dp_redactor *r, const char *p, size_t n);
void rd_name(struct dp_redactor *r, const char *p, size_t n);
/* A Via branch: the z9hG4bK cookie stays, the rest is a token. */
void rd_branch(struct dp_redactor *r, const char *v, size_t n);
size_t rd_quoted_end(const char *p, size_t n);  /* p[0] == '"' */

/* --- SIP (sip.c) --------------------------------------------------------- */
bool rd_is_start_line(const char *p, size_t n);
void rd_start_line(struct dp_redactor *r, const char *p, size_t n);
/* Length of the header name and where the value starts, or false. */
bool rd_header_split(const char *p, size_t n, size_t *namelen,
		     size_t *valpos);
enum rd_hkind rd_header_kind(const char *name, size_t n, bool *full);
/* A header line; `msg` says it belongs to the current message, so that
 * Content-Type and Content-Length update the body state. */
void rd_header(struct dp_redactor *r, const char *p, size_t n, bool msg);
void rd_header_value(struct dp_redactor *r, enum rd_hkind k,
		     const char *p, size_t n);
enum rd_body rd_body_kind(const char *p, size_t n, char *boundary,
			  size_t bsize, size_t *blen);

/* --- SDP and bodies (sdp.c, body.c) -------------------------------------- */
bool rd_is_sdp_line(const char *p, size_t n);
void rd_sdp_line(struct dp_redactor *r, const char *p, size_t n);
void rd_xml_line(struct dp_redactor *r, const char *p, size_t n);
void rd_dtmf_line(struct dp_redactor *r, const char *p, size_t n);
void rd_opaque_line(struct dp_redactor *r, const char *p, size_t n);
/* A body line of the current message; false: the body has ended and the
 * line is not part of it. */
bool rd_body_line(struct dp_redactor *r, const char *p, size_t n,
		  size_t termlen);

/* --- log line prefixes (prefix.c) ---------------------------------------- */
/* Length of a leading time stamp and the blank after it (0: none);
 * *syslog is set when a syslog host name follows. */
size_t rd_prefix(const char *p, size_t n, bool *syslog);

/* --- our own tokens (own.c) ---------------------------------------------- */
/* Length of a token of exactly a form the redactor writes at p (`form`:
 * which, may be NULL), or 0. */
size_t rd_own_token(const char *p, size_t n, size_t *form);
/* Each of our tokens in p[0..n) becomes a placeholder of its length that
 * every rule keeps as one plain word; false: none (or p already holds
 * the placeholders' marker, and is read as it is). */
bool rd_own_protect(char *p, size_t n);
/* Each placeholder in p[0..n) becomes its token again. */
void rd_own_restore(char *p, size_t n);
/* p[0..n) is placeholders only (one, or several side by side) / holds
 * one. */
bool rd_own_placeholder(const char *p, size_t n);
bool rd_own_has_placeholder(const char *p, size_t n);
/* Length of a placeholder at p, or 0. */
size_t rd_own_placeholder_at(const char *p, size_t n);
/* A value that mixes placeholders and other text: the placeholders are
 * written as they are, each run of text between them through `piece`. */
void rd_own_pieces(struct dp_redactor *r, const char *v, size_t n,
		   void (*piece)(struct dp_redactor *r, const char *p,
				 size_t n, void *arg), void *arg);

#endif
