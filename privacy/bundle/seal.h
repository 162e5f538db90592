/**
 * @file seal.h  Bundles sealed to a support key: X25519, HKDF-SHA256,
 *               AES-256-GCM in chunks
 *
 * File layout:
 *   "DPBUNDLE" | version 1 | 3 zero bytes | ephemeral X25519 public key
 *   (32) | salt (16)                                  = the 60-byte header
 *   then chunks: AES-256-GCM of 64 KiB of plaintext (the last one shorter,
 *   possibly empty) followed by its 16-byte tag.
 *
 * key   = HKDF-SHA256(X25519(ephemeral, support), salt,
 *                     "deskphone bundle v1" | ephemeral pub | support pub)
 * nonce = 4 zero bytes | chunk number (64-bit big endian)
 * AAD   = header | chunk number | 1 for the last chunk, else 0
 * so chunks cannot be reordered, dropped, or the file cut short or
 * extended without the tag check failing.  Memory use is one chunk.
 *
 * Keys are PEM files OpenSSL reads: `openssl pkey -in support.key
 * -pubout` gives the public key of a private one.
 */
#ifndef DESKPHONE_SEAL_H
#define DESKPHONE_SEAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum { DP_SEAL_HEADER = 60, DP_SEAL_CHUNK = 65536, DP_SEAL_TAG = 16 };

struct dp_sealer;
struct dp_unsealer;

/* PREFIX.key (private, 0600) and PREFIX.pub; EEXIST if either exists. */
int  dp_seal_keygen(const char *prefix);

/* Sealing: bytes written go, encrypted, to `out_fd`. */
int  dp_sealer_open(struct dp_sealer **sp, const char *pub_path,
		    int out_fd);
int  dp_sealer_write(struct dp_sealer *s, const void *p, size_t n);
/* Writes the last chunk; must be called for the file to be complete. */
int  dp_sealer_close(struct dp_sealer *s);

/* Does the file at `fd` start with the sealed header?  (fd rewound) */
bool dp_seal_is_sealed(int fd);

/*
 * Unsealing: `key_path` is the private key.  EACCES: not the key this
 * bundle was sealed to, or the bundle was altered.  Reads fill `n`
 * bytes unless the plaintext ends first (*got says how many).
 */
int  dp_unsealer_open(struct dp_unsealer **up, int in_fd,
		      const char *key_path);
int  dp_unsealer_read(struct dp_unsealer *u, uint8_t *buf, size_t n,
		      size_t *got);

#endif
