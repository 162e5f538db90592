/**
 * @file directory.c  Contacts file and T9 search
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <re.h>
#include "modules/baresip_api.h"
#include "directory.h"

enum { MAX_CONTACTS = 500 };


static void destructor(void *arg)
{
	struct directory *dir = arg;

	mem_deref(dir->v);
}


static bool parse_line(char *line, struct contact *c)
{
	char *lt, *gt, *name = line, *end;

	lt = strchr(line, '<');
	gt = lt ? strchr(lt, '>') : NULL;
	if (!lt || !gt || gt == lt + 1)
		return false;

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
		return false;

	str_ncpy(c->name, name, sizeof(c->name));
	str_ncpy(c->uri, lt + 1, sizeof(c->uri));

	return true;
}


int directory_load(struct directory **dirp, const char *path)
{
	struct directory *dir;
	char line[512];
	unsigned lineno = 0;
	FILE *f;

	if (!dirp)
		return EINVAL;

	dir = mem_zalloc(sizeof(*dir), destructor);
	if (!dir)
		return ENOMEM;

	dir->v = mem_zalloc(MAX_CONTACTS * sizeof(*dir->v), NULL);
	if (!dir->v) {
		mem_deref(dir);
		return ENOMEM;
	}

	f = path && *path ? fopen(path, "r") : NULL;
	while (f && fgets(line, sizeof(line), f)) {
		char *p = line;

		++lineno;
		line[strcspn(line, "\r\n")] = '\0';
		while (isspace((unsigned char)*p))
			++p;
		if (!*p || *p == '#')
			continue;

		if (dir->n >= MAX_CONTACTS) {
			warning("dpui: %s: more than %d contacts; the rest"
				" are left out\n", path, MAX_CONTACTS);
			break;
		}
		if (!parse_line(p, &dir->v[dir->n]))
			warning("dpui: %s:%u: not a contact (want"
				" `Name <uri>`); skipped\n", path, lineno);
		else
			++dir->n;
	}
	if (f)
		fclose(f);

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
