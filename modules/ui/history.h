/**
 * @file history.h  The call history the phone shows: an interface, so
 *                  the store behind it can change
 *
 * Two implementations: the call-record store (history_cdr.c, what the
 * phone uses: a cache of the store's newest records, refreshed off the
 * main loop, within the privacy rules), and memory (history_mem.c, when
 * there is no store: at most `max` entries, gone at restart).
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
	/* read the list again (the store or the privacy rules changed) */
	void   (*refresh)(struct history *h);
	/* processing is restricted: nothing stored may be shown */
	bool   (*restricted)(const struct history *h);
};

struct history {
	const struct history_ops *ops;
};

/* In memory, at most `max` entries; the oldest go first. */
int history_mem_alloc(struct history **hp, size_t max);

/*
 * The newest `max` calls of the call-record store `store` (read-only,
 * with the device secret from `secret_file`), within what the privacy
 * module says may be shown (its dpprivacy_view command: the history's
 * retention, the cleared mark, the restriction).  Reading the store
 * takes a while (every record's tags are checked), so it happens in a
 * thread; `changed` runs on the main thread when a new list is in.
 * add() only asks for a refresh: the CDR module writes the record.
 */
typedef void (history_changed_h)(void *arg);
int history_cdr_alloc(struct history **hp, size_t max, const char *store,
		      const char *secret_file, history_changed_h *changed,
		      void *arg);

const char *history_kind_name(enum history_kind k);

#endif
