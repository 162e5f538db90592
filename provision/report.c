/**
 * @file report.c  The list of problems a check found
 */
#include <stdarg.h>
#include <re.h>
#include "provision.h"

enum { MAX_KEPT = 200 };

struct msg {
	struct le le;
	char *text;
};


static void msg_destructor(void *arg)
{
	struct msg *m = arg;

	list_unlink(&m->le);
	mem_deref(m->text);
}


void prov_report_init(struct prov_report *r)
{
	if (!r)
		return;

	list_init(&r->msgs);
	r->count = 0;
}


void prov_report_reset(struct prov_report *r)
{
	if (!r)
		return;

	list_flush(&r->msgs);
	r->count = 0;
}


void prov_report_add(struct prov_report *r, const char *fmt, ...)
{
	struct msg *m;
	va_list ap;

	if (!r)
		return;

	if (++r->count > MAX_KEPT)
		return;

	m = mem_zalloc(sizeof(*m), msg_destructor);
	if (!m)
		return;

	va_start(ap, fmt);
	if (re_vsdprintf(&m->text, fmt, ap)) {
		va_end(ap);
		mem_deref(m);
		return;
	}
	va_end(ap);

	list_append(&r->msgs, &m->le, m);
}


const char *prov_report_first(const struct prov_report *r)
{
	const struct msg *m;

	if (!r || !r->msgs.head)
		return NULL;

	m = r->msgs.head->data;

	return m->text;
}


void prov_report_apply(const struct prov_report *r,
		       void (*h)(const char *msg, void *arg), void *arg)
{
	struct le *le;

	if (!r || !h)
		return;

	for (le = r->msgs.head; le; le = le->next) {
		const struct msg *m = le->data;

		h(m->text, arg);
	}
}
