/**
 * @file directory.h  The phone's contacts: provisioned, searched from the
 *                    keypad by letters (T9), dialled from the list
 *
 * The file has one contact a line, `Name <uri>` (baresip's contacts
 * format without parameters; quotes around the name are allowed), `#`
 * comments.  A line that is not a contact is skipped with a warning
 * naming file and line; the rest still loads.  A URI too long to keep
 * is such a line (it is never cut short: it would dial someone else);
 * a name too long is cut at a character boundary.
 */
#ifndef DPUI_DIRECTORY_H
#define DPUI_DIRECTORY_H

#include <stdbool.h>
#include <stddef.h>

struct contact {
	char name[48];
	char uri[96];
};

struct directory {
	struct contact *v;
	size_t n;
};

enum { DIRECTORY_MAX = 500, DIRECTORY_FILE_MAX = 1 << 20 };

/* What is wrong with line `lineno` (from 1), which is skipped. */
typedef void (directory_warn_h)(unsigned lineno, const char *why,
				void *arg);

/*
 * A directory from the text of a contacts file (`len` bytes, NULs and
 * all); at most DIRECTORY_MAX contacts, a warning for the rest.
 * directory_file.c reads the file with it (no baresip needed here).
 */
int  directory_parse(struct directory **dirp, const char *text, size_t len,
		     directory_warn_h *wh, void *arg);
/* A missing or unreadable file is an empty directory (and a warning). */
int  directory_load(struct directory **dirp, const char *path);
/* The digit a letter is on (2 abc ... 9 wxyz); 0 for other characters. */
char t9_digit(char c);
/* Does any word of `name` start with letters on `digits`? */
bool t9_match(const char *name, const char *digits);
/* The i-th contact matching `digits` (all, when empty), or NULL. */
const struct contact *directory_find(const struct directory *dir,
				     const char *digits, size_t i);
/* The name of the contact whose URI or its user part is `number`. */
const char *directory_name_for(const struct directory *dir,
			       const char *number);
size_t directory_count(const struct directory *dir, const char *digits);

#endif
