/**
 * @file contacts.h  dppolicy internals: the contacts file
 */
#ifndef DESKPHONE_POLICY_CONTACTS_H
#define DESKPHONE_POLICY_CONTACTS_H

#include <stdbool.h>
#include <stddef.h>

struct pl;

typedef int (dp_contact_h)(const struct pl *name, const struct pl *uri,
			   void *arg);

/* Every contact of the file (a missing file has none). */
int dp_contacts_foreach(const char *path, dp_contact_h *h, void *arg,
			size_t *count);

/*
 * The contacts named exactly `name`: deleted when new_name and new_uri
 * are NULL, else given the new name and/or URI.  The file is rewritten
 * atomically, every other line as it was.  ENOENT: no such contact.
 */
int dp_contacts_correct(const char *path, const char *name,
			const char *new_name, const char *new_uri,
			unsigned *changed);

#endif
