/**
 * @file tar.h  A small ustar (POSIX.1-1988) writer and reader
 *
 * Only regular files, with names of up to 100 bytes made of
 * [A-Za-z0-9._/-] and no ".." component, mode 0600, owner 0, the same
 * time for every member.  That is all a bundle holds; the reader refuses
 * anything else (links, devices, absolute or climbing names), so a
 * bundle cannot write outside the directory it is opened into.
 * GNU tar and bsdtar read what the writer makes.
 *
 * Both ends compute each member's SHA-256 as it passes.
 */
#ifndef DESKPHONE_TAR_H
#define DESKPHONE_TAR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

enum { DP_TAR_NAME = 100, DP_TAR_BLOCK = 512 };

/* Where the archive's bytes go (a file, or a sealer). */
typedef int (dp_tar_out_h)(const void *p, size_t n, void *arg);
/* Where they come from: fill `n` bytes unless the input ends (*got). */
typedef int (dp_tar_in_h)(uint8_t *buf, size_t n, size_t *got, void *arg);

struct dp_tar_writer;

int  dp_tar_writer_alloc(struct dp_tar_writer **wp, time_t mtime,
			 dp_tar_out_h *outh, void *arg);
/* A member from memory, or from `fd` (read to its end: `size` bytes). */
int  dp_tar_add_mem(struct dp_tar_writer *w, const char *name,
		    const void *p, size_t n, uint8_t sha256[32]);
int  dp_tar_add_fd(struct dp_tar_writer *w, const char *name, int fd,
		   uint64_t size, uint8_t sha256[32]);
/* The two zero blocks that end an archive. */
int  dp_tar_finish(struct dp_tar_writer *w);
uint64_t dp_tar_bytes(const struct dp_tar_writer *w);

bool dp_tar_name_ok(const char *name);

/* Reading: called at the start of a member, for its data, and at its end
 * (with its SHA-256).  A non-zero return stops the reading. */
enum dp_tar_event { DP_TAR_BEGIN, DP_TAR_DATA, DP_TAR_END };
typedef int (dp_tar_entry_h)(enum dp_tar_event ev, const char *name,
			     uint64_t size, const uint8_t *p, size_t n,
			     const uint8_t sha256[32], void *arg);

/* EBADMSG: not a ustar archive we make, or damaged. */
int  dp_tar_read(dp_tar_in_h *inh, void *in_arg, dp_tar_entry_h *eh,
		 void *arg);

#endif
