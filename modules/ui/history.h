/**
 * @file history.h  The call history the phone shows: an interface, so
 *                  the store behind it can change
 *
 * Today the entries live in memory (history_mem.c), newest first, at
 * most `max` of them, gone at restart.  When the call-record store
 * (privacy/) is there, a second implementation of these operations reads
 * and clears it instead, and ui.c picks it; nothing else changes.
 */
#ifndef DPUI_HISTORY_H
#define DPUI_HISTORY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

enum history_kind { HIST_MISSED, HIST_RECEIVED, HIST_PLACED };

struct history_entry {
	enum history_kind kind;
	char number[64];       /* user part of the peer, or its whole URI */
	char name[48];         /* display name, may be empty */
	time_t start;          /* wall-clock time the call began */
	uint32_t duration_s;   /* talk time; 0 for a missed call */
};

struct history;

struct history_ops {
	const char *name;      /* what privacy screens call the store */
	int    (*add)(struct history *h, const struct history_entry *e);
	size_t (*count)(const struct history *h);
	/* i = 0 is the newest */
	int    (*get)(const struct history *h, size_t i,
		      struct history_entry *e);
	int    (*clear)(struct history *h);
};

struct history {
	const struct history_ops *ops;
};

/* In memory, at most `max` entries; the oldest go first. */
int history_mem_alloc(struct history **hp, size_t max);

const char *history_kind_name(enum history_kind k);

#endif
