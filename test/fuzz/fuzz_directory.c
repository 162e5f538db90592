/**
 * @file fuzz_directory.c  The UI's contacts file and T9 search
 *                         (modules/ui/directory.c) on arbitrary text
 *
 * Checks: any text loads; every line that is neither blank nor a comment
 * gives a contact or a warning (until the 500th contact); a contact's
 * URI is exactly what stood between '<' and '>' in the file, never cut
 * short; its name is text of that line, cut (if at all) at a character
 * boundary (in a file of valid UTF-8); T9 search finds each contact by the digits of its name's
 * first letters, finds as many as it counts, and a contact's number
 * gives back a name.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <re.h>
#include "modules/ui/directory.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(c) do { if (!(c)) __builtin_trap(); } while (0)


static void count_warning(unsigned lineno, const char *why, void *arg)
{
	unsigned *n = arg;

	CHECK(lineno >= 1 && why && *why);
	++*n;
}


/* Lines that are neither blank nor comments, as directory.h says. */
static unsigned candidate_lines(const uint8_t *p, size_t n)
{
	unsigned k = 0;
	size_t i = 0;

	while (i < n) {
		size_t j = i;

		while (j < n && p[j] != '\n' && p[j] != '\r' && p[j] &&
		       isspace(p[j]))
			j++;
		if (j < n && p[j] != '\n' && p[j] != '\r' && p[j] &&
		    p[j] != '#')
			k++;
		while (i < n && p[i] != '\n')
			i++;
		i++;
	}

	return k;
}


static bool utf8_whole(const char *s)
{
	size_t n = strlen(s);

	/* no sequence cut at the end */
	for (size_t back = 1; back <= 4 && back <= n; back++) {
		unsigned char c = (unsigned char)s[n - back];

		if ((c & 0xc0) == 0x80)
			continue;
		if (c >= 0xc0)
			return back == (c >= 0xf0 ? 4u : c >= 0xe0 ? 3u : 2u);
		return true;
	}

	return true;
}


/* Valid UTF-8 throughout (then every name taken from it is too). */
static bool utf8_valid(const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; ) {
		size_t more = p[i] < 0x80 ? 0 : (p[i] & 0xe0) == 0xc0 ? 1 :
			(p[i] & 0xf0) == 0xe0 ? 2 : (p[i] & 0xf8) == 0xf0 ?
			3 : 9;

		if (more == 9 || i + more >= n + (more ? 0 : 1))
			return false;
		for (size_t k = 1; k <= more; k++)
			if ((p[i + k] & 0xc0) != 0x80)
				return false;
		i += more + 1;
	}

	return true;
}


int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct directory *dir = NULL;
	unsigned warnings = 0, lines;
	bool utf8_input;

	CHECK(0 == directory_parse(&dir, (const char *)data, size,
				   count_warning, &warnings));
	CHECK(dir && dir->n <= DIRECTORY_MAX);

	lines = candidate_lines(data, size);
	utf8_input = utf8_valid(data, size);
	if (dir->n < DIRECTORY_MAX)
		CHECK(dir->n + warnings == lines);
	else
		CHECK(dir->n + warnings <= lines && warnings <= lines);

	for (size_t k = 0; k < dir->n; k++) {
		const struct contact *c = &dir->v[k];
		size_t ul = strlen(c->uri), nl = strlen(c->name);
		char digits[8];
		size_t nd = 0;
		const char *user;

		CHECK(ul && ul < sizeof(c->uri) && nl && nl < sizeof(c->name));
		CHECK(!strchr(c->uri, '>') && !strchr(c->uri, '\n'));
		CHECK(memmem(data, size, c->name, nl) != NULL);

		/* the URI whole, between its brackets, in the file */
		{
			bool found = false;

			for (const uint8_t *p = data;
			     !found && (p = memmem(p, size - (size_t)(p - data),
						   c->uri, ul)) != NULL; p++)
				found = p > data && p[-1] == '<' &&
					p + ul < data + size && p[ul] == '>';
			CHECK(found);
		}

		/* a name cut short ends on a character */
		if (nl == sizeof(c->name) - 1)
			CHECK(utf8_whole(c->name) || !utf8_input);

		/* found by the digits of its first letters */
		for (const char *p = c->name; *p && nd < 3; p++) {
			char d = t9_digit(*p);

			if (!d)
				break;
			digits[nd++] = d;
		}
		digits[nd] = '\0';
		if (nd && !isspace((unsigned char)c->name[0]))
			CHECK(t9_match(c->name, digits));

		user = !strncmp(c->uri, "sip:", 4) ? c->uri + 4 : c->uri;
		if (*user && *user != '@') {
			char number[96];
			size_t ulen = strcspn(user, "@");

			memcpy(number, user, ulen);
			number[ulen] = '\0';
			CHECK(directory_name_for(dir, number) != NULL);
		}
	}

	/* what is counted is what is found */
	{
		char digits[4] = "";
		size_t count, i = 0;

		for (size_t k = 0; k < size && k < 3; k++)
			digits[k] = (char)('2' + data[k] % 8);
		count = directory_count(dir, digits);
		while (directory_find(dir, digits, i))
			i++;
		CHECK(i == count);
		CHECK(directory_count(dir, "") == dir->n);
	}

	mem_deref(dir);

	return 0;
}
