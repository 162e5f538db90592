/**
 * @file contacts.c  The contacts cache (the directory file): read for
 *                   the export, one contact corrected or deleted
 *
 * One contact a line, `Name <uri>` (quotes around the name allowed),
 * `#` comments; the same format the UI reads (modules/ui/directory.c).
 */
#include <errno.h>
#include <string.h>
#include <re.h>
#include "base/fileutil.h"
#include "privacy/crypto/crypto.h"
#include "contacts.h"

enum { MAX_CONTACTS_FILE = 1 << 20 };


/* One line as a contact: false for comments, blanks and anything else. */
static bool parse(const char *p, size_t len, struct pl *name, struct pl *uri)
{
	struct pl n, u;

	if (re_regex(p, len, "[ \t]*[^<#]+<[^>]+>", NULL, &n, &u))
		return false;

	while (n.l && (n.p[n.l - 1] == ' ' || n.p[n.l - 1] == '\t'))
		n.l--;
	if (n.l >= 2 && n.p[0] == '"' && n.p[n.l - 1] == '"') {
		n.p++;
		n.l -= 2;
	}
	if (!n.l || !u.l)
		return false;

	*name = n;
	*uri = u;

	return true;
}


int dp_contacts_foreach(const char *path, dp_contact_h *h, void *arg,
			size_t *count)
{
	char *text = NULL;
	size_t len = 0, n = 0;
	int err;

	if (count)
		*count = 0;
	if (!path || !*path)
		return 0;

	err = dp_read_file(path, MAX_CONTACTS_FILE, &text, &len);
	if (err == ENOENT)
		return 0;
	if (err)
		return err;

	for (const char *p = text; p < text + len && !err; ) {
		const char *nl = memchr(p, '\n', (size_t)(text + len - p));
		size_t l = nl ? (size_t)(nl - p) : (size_t)(text + len - p);
		struct pl name, uri;

		if (parse(p, l, &name, &uri)) {
			n++;
			if (h)
				err = h(&name, &uri, arg);
		}
		p += l + 1;
	}

	mem_deref(text);
	if (count)
		*count = n;

	return err;
}


int dp_contacts_correct(const char *path, const char *name,
			const char *new_name, const char *new_uri,
			unsigned *changed)
{
	struct mbuf *out;
	char *text = NULL;
	size_t len = 0;
	unsigned n = 0;
	int err;

	*changed = 0;
	if (!path || !*path || !name || !*name)
		return EINVAL;
	if ((new_name && (strpbrk(new_name, "<>\"\n") || !*new_name)) ||
	    (new_uri && (strpbrk(new_uri, "<>\" \n") || !*new_uri)))
		return EINVAL;

	err = dp_read_file(path, MAX_CONTACTS_FILE, &text, &len);
	if (err)
		return err;

	out = mbuf_alloc(len + 128);
	if (!out) {
		mem_deref(text);
		return ENOMEM;
	}

	for (const char *p = text; p < text + len && !err; ) {
		const char *nl = memchr(p, '\n', (size_t)(text + len - p));
		size_t l = nl ? (size_t)(nl - p) : (size_t)(text + len - p);
		struct pl cn, cu;

		if (parse(p, l, &cn, &cu) && !pl_strcmp(&cn, name)) {
			n++;
			if (new_name || new_uri) {
				struct pl nn, nu;

				pl_set_str(&nn, new_name ? new_name : "");
				pl_set_str(&nu, new_uri ? new_uri : "");
				err = mbuf_printf(out, "%r <%r>\n",
						  new_name ? &nn : &cn,
						  new_uri ? &nu : &cu);
			}
			/* deleted: the line is not written */
		}
		else {
			err = mbuf_write_mem(out, (const uint8_t *)p, l);
			if (!err && nl)
				err = mbuf_write_u8(out, '\n');
		}
		p += l + 1;
	}

	if (!err && !n)
		err = ENOENT;
	if (!err)
		err = dp_write_atomic(path, out->buf, out->end, 0644);
	if (!err)
		*changed = n;

	dp_wipe(text, len);
	mem_deref(text);
	dp_wipe(out->buf, out->size);
	mem_deref(out);

	return err;
}
