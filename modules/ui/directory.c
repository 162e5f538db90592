/**
 * @file directory.c  Contacts file text and T9 search (no baresip: the
 *                    file is read by directory_file.c)
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <re.h>
#include "directory.h"


static void destructor(void *arg)
{
	struct directory *dir = arg;

	mem_deref(dir->v);
}


/* Copy at most sz - 1 bytes, not ending inside a UTF-8 sequence. */
static void copy_name(char *dst, size_t sz, const char *src)
{
	size_t n = strlen(src);

	if (n >= sz) {
		size_t cut = sz - 1;

		/* back to the start of the character (at most 3 bytes:
		 * more continuation bytes than that are not UTF-8) */
		n = cut;
		while (n > cut - 3 && ((unsigned char)src[n] & 0xc0) == 0x80)
			--n;
		if (((unsigned char)src[n] & 0xc0) == 0x80)
			n = cut;
	}
	memcpy(dst, src, n);
	dst[n] = '\0';
}


/* NULL, or why the line is not a contact. */
static const char *parse_line(char *line, struct contact *c)
{
	char *lt, *gt, *name = line, *end;

	lt = strchr(line, '<');
	gt = lt ? strchr(lt, '>') : NULL;
	if (!lt || !gt || gt == lt + 1)
		return "not a contact (want `Name <uri>`); skipped";
	if ((size_t)(gt - lt - 1) >= sizeof(c->uri))
		return "the URI is too long (it would be cut short); skipped";

	*gt = '\0';
	end = lt;
	while (end > name && isspace((unsigned char)end[-1]))
		--end;
	*end = '\0';
	while (isspace((unsigned char)*name))
		++name;
	if (*name == '"') {
		++name;
		end = strchr(name, '"');
		if (end)
			*end = '\0';
	}
	if (!*name)
		return "not a contact (want `Name <uri>`); skipped";

	copy_name(c->name, sizeof(c->name), name);
	str_ncpy(c->uri, lt + 1, sizeof(c->uri));

	return NULL;
}


int directory_parse(struct directory **dirp, const char *text, size_t len,
		    directory_warn_h *wh, void *arg)
{
	struct directory *dir;
	unsigned lineno = 0;
	char *line = NULL;
	size_t off = 0;

	if (!dirp || (!text && len))
		return EINVAL;

	dir = mem_zalloc(sizeof(*dir), destructor);
	if (!dir)
		return ENOMEM;

	dir->v = mem_zalloc(DIRECTORY_MAX * sizeof(*dir->v), NULL);
	line = mem_alloc(len + 1, NULL);
	if (!dir->v || !line) {
		mem_deref(line);
		mem_deref(dir);
		return ENOMEM;
	}

	while (off < len) {
		const char *nl = memchr(text + off, '\n', len - off);
		size_t n = nl ? (size_t)(nl - text - off) : len - off;
		const char *why;
		char *p = line;

		++lineno;
		memcpy(line, text + off, n);
		line[n] = '\0';
		off += n + (nl ? 1 : 0);

		/* a CR (or a NUL) ends the line's text */
		line[strcspn(line, "\r")] = '\0';
		while (isspace((unsigned char)*p))
			++p;
		if (!*p || *p == '#')
			continue;

		if (dir->n >= DIRECTORY_MAX) {
			if (wh)
				wh(lineno, "more than 500 contacts; the rest"
				   " are left out", arg);
			break;
		}
		why = parse_line(p, &dir->v[dir->n]);
		if (!why)
			++dir->n;
		else if (wh)
			wh(lineno, why, arg);
	}

	mem_deref(line);
	*dirp = dir;

	return 0;
}


char t9_digit(char c)
{
	static const char *const keys[] = {
		"abc", "def", "ghi", "jkl", "mno", "pqrs", "tuv", "wxyz"
	};

	c = (char)tolower((unsigned char)c);
	for (int i = 0; i < 8; i++) {
		if (c && strchr(keys[i], c))
			return (char)('2' + i);
	}

	return 0;
}


static bool word_matches(const char *w, const char *digits)
{
	for (; *digits; ++digits, ++w) {
		if (!*w || isspace((unsigned char)*w))
			return false;
		if (t9_digit(*w) != *digits && *w != *digits)
			return false;
	}

	return true;
}


bool t9_match(const char *name, const char *digits)
{
	const char *p = name;

	if (!digits || !*digits)
		return true;

	while (*p) {
		while (*p && isspace((unsigned char)*p))
			++p;
		if (*p && word_matches(p, digits))
			return true;
		while (*p && !isspace((unsigned char)*p))
			++p;
	}

	return false;
}


const struct contact *directory_find(const struct directory *dir,
				     const char *digits, size_t i)
{
	if (!dir)
		return NULL;

	for (size_t k = 0; k < dir->n; k++) {
		if (!t9_match(dir->v[k].name, digits))
			continue;
		if (i-- == 0)
			return &dir->v[k];
	}

	return NULL;
}


size_t directory_count(const struct directory *dir, const char *digits)
{
	size_t n = 0;

	if (!dir)
		return 0;

	for (size_t k = 0; k < dir->n; k++)
		if (t9_match(dir->v[k].name, digits))
			++n;

	return n;
}


const char *directory_name_for(const struct directory *dir,
			       const char *number)
{
	size_t n;

	if (!dir || !number || !*number)
		return NULL;

	n = strlen(number);
	for (size_t k = 0; k < dir->n; k++) {
		const char *uri = dir->v[k].uri;

		if (!strncmp(uri, "sip:", 4))
			uri += 4;
		if (!strncmp(uri, number, n) &&
		    (uri[n] == '\0' || uri[n] == '@'))
			return dir->v[k].name;
	}

	return NULL;
}
