/**
 * @file test_ui_directory.c  The UI's contacts file text and T9 search
 *                            (modules/ui/directory.c)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <re.h>
#include "modules/ui/directory.h"
#include "dptest.h"

struct warnings {
	unsigned n;
	unsigned line[8];
	char why[8][96];
};


static void warn(unsigned lineno, const char *why, void *arg)
{
	struct warnings *w = arg;

	if (w->n < 8) {
		w->line[w->n] = lineno;
		snprintf(w->why[w->n], sizeof(w->why[0]), "%s", why);
	}
	w->n++;
}


static struct directory *parse(const char *text, struct warnings *w)
{
	struct directory *dir = NULL;

	memset(w, 0, sizeof(*w));
	DP_ASSERT_OK(directory_parse(&dir, text, strlen(text), warn, w));
	DP_ASSERT(dir != NULL);

	return dir;
}


DP_TEST(contacts_file_lines)
{
	struct warnings w;
	struct directory *dir = parse(
		"# the office\n"
		"Echo Service <101>\r\n"
		"  \"Front, Desk\" <sip:102@pbx.example>\n"
		"\n"
		"no brackets here\n"
		"Empty <>\n"
		"<sip:nameless@x>\n"
		"Ann Lee <sip:ann@x>", &w);

	DP_ASSERT_EQ(dir->n, 3);
	DP_ASSERT_STREQ(dir->v[0].name, "Echo Service");
	DP_ASSERT_STREQ(dir->v[0].uri, "101");
	DP_ASSERT_STREQ(dir->v[1].name, "Front, Desk");
	DP_ASSERT_STREQ(dir->v[1].uri, "sip:102@pbx.example");
	DP_ASSERT_STREQ(dir->v[2].name, "Ann Lee");
	DP_ASSERT_EQ(w.n, 3);
	DP_ASSERT_EQ(w.line[0], 5);
	DP_ASSERT_EQ(w.line[1], 6);
	DP_ASSERT_EQ(w.line[2], 7);

	DP_ASSERT_STREQ(directory_name_for(dir, "102"), "Front, Desk");
	DP_ASSERT_STREQ(directory_name_for(dir, "101"), "Echo Service");
	DP_ASSERT(directory_name_for(dir, "10") == NULL);
	mem_deref(dir);
}


/* fgets() cut lines at 511 bytes: the rest of a long line came back as
 * a line of its own, so the end of a long comment could be a contact. */
DP_TEST(a_long_line_is_one_line)
{
	struct warnings w;
	struct directory *dir;
	char text[1200];

	text[0] = '#';
	memset(text + 1, 'x', 600);
	strcpy(text + 601, " Mallory <sip:666@evil.example>\nBob <201>\n"
	       "yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy"
	       "yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy"
	       "yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy"
	       " Carol <202>\n");
	dir = parse(text, &w);

	DP_ASSERT_EQ(dir->n, 2);
	DP_ASSERT_STREQ(dir->v[0].name, "Bob");
	DP_ASSERT_EQ(strlen(dir->v[1].name), 47);    /* cut, one contact */
	DP_ASSERT_STREQ(dir->v[1].uri, "202");
	DP_ASSERT_EQ(w.n, 0);
	mem_deref(dir);
}


/* A URI that does not fit is refused, never cut short (it would dial
 * someone else); a long name is cut on a character boundary. */
DP_TEST(long_uri_refused_long_name_cut_whole)
{
	struct warnings w;
	struct directory *dir;
	char text[400];
	size_t k = 0;

	k += (size_t)snprintf(text + k, sizeof(text) - k, "Long <sip:");
	for (int i = 0; i < 90; i++)
		text[k++] = '1';
	k += (size_t)snprintf(text + k, sizeof(text) - k, "@x>\n");
	/* 46 ASCII bytes, then a two-byte character across the limit */
	for (int i = 0; i < 46; i++)
		text[k++] = 'a';
	k += (size_t)snprintf(text + k, sizeof(text) - k,
			      "\xc3\xa9 <sip:1@x>\n");
	dir = parse(text, &w);

	DP_ASSERT_EQ(dir->n, 1);
	DP_ASSERT_EQ(w.n, 1);
	DP_ASSERT_EQ(w.line[0], 1);
	DP_ASSERT(strstr(w.why[0], "too long") != NULL);
	DP_ASSERT_EQ(strlen(dir->v[0].name), 46);
	mem_deref(dir);

	/* not UTF-8 at all: cut at the limit, never to nothing (found by
	 * fuzz_directory: a name of continuation bytes became "") */
	memset(text, 0xa2, 60);
	strcpy(text + 60, " <1>\n");
	dir = parse(text, &w);
	DP_ASSERT_EQ(dir->n, 1);
	DP_ASSERT_EQ(strlen(dir->v[0].name), 47);
	mem_deref(dir);
}


DP_TEST(t9_search)
{
	struct warnings w;
	struct directory *dir = parse("Echo Service <101>\nFront Desk <102>\n"
				      "Ann Lee <103>\n", &w);

	DP_ASSERT_EQ(t9_digit('a'), '2');
	DP_ASSERT_EQ(t9_digit('Z'), '9');
	DP_ASSERT_EQ(t9_digit('1'), 0);
	DP_ASSERT(t9_match("Front Desk", "337"));       /* "des" */
	DP_ASSERT(!t9_match("Front Desk", "338"));
	DP_ASSERT_EQ(directory_count(dir, ""), 3);
	DP_ASSERT_EQ(directory_count(dir, "3"), 2);      /* Echo, Desk */
	DP_ASSERT_STREQ(directory_find(dir, "3", 1)->name, "Front Desk");
	DP_ASSERT(directory_find(dir, "3", 2) == NULL);
	mem_deref(dir);
}


DP_TEST(too_many_contacts_warns_once)
{
	struct warnings w;
	struct directory *dir;
	struct mbuf *mb = mbuf_alloc(16384);

	DP_ASSERT(mb != NULL);
	for (int i = 0; i < DIRECTORY_MAX + 5; i++)
		DP_ASSERT_OK(mbuf_printf(mb, "C%d <%d>\n", i, i));
	DP_ASSERT_OK(mbuf_write_u8(mb, 0));
	dir = parse((char *)mb->buf, &w);
	DP_ASSERT_EQ(dir->n, DIRECTORY_MAX);
	DP_ASSERT_EQ(w.n, 1);
	DP_ASSERT_EQ(w.line[0], DIRECTORY_MAX + 1);
	mem_deref(dir);
	mem_deref(mb);
}
