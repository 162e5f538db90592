/**
 * @file privacy.c  The menu's privacy entries, through the privacy
 *                  module's typed calls in the application core
 *                  (modules/app; the same functions the command line's
 *                  commands wrap): what is stored, restriction, erasure,
 *                  and the display refused while restricted
 */
#include <errno.h>
#include <stdarg.h>
#include <string.h>
#include "modules/app/app.h"
#include "ui.h"


struct page {
	char lines[PRIVACY_LINES][PRIVACY_LINE_SZ];
	size_t n;
};


static void line(struct page *pg, const char *fmt, ...)
{
	va_list ap;

	if (pg->n >= PRIVACY_LINES)
		return;
	va_start(ap, fmt);
	(void)re_vsnprintf(pg->lines[pg->n++], sizeof(pg->lines[0]), fmt,
			   ap);
	va_end(ap);
}


void privacy_page_load(struct ui *ui)
{
	size_t contacts = ui->dir ? ui->dir->n : 0;
	struct page pg = { .n = 0 };
	struct dp_privacy_summary sum;
	const uint64_t *held = sum.held;
	const unsigned *days = sum.retention_days;

	if (dpapp_privacy_summary(&sum)) {
		/* no privacy module: what the UI itself knows */
		line(&pg, "%zu calls, %zu contacts",
		     ui->hist->ops->count(ui->hist), contacts);
		line(&pg, "No audio recorded");
		line(&pg, "Calls: %s", ui->hist->ops->name);
		phone_privacy_page(ui->phone, pg.lines, pg.n);
		return;
	}

	line(&pg, "%llu calls, %zu contacts",
	     (unsigned long long)held[DP_CLASS_CALL_RECORDS], contacts);
	line(&pg, "Calls kept %u days", days[DP_CLASS_CALL_RECORDS]);
	line(&pg, "Numbers: %llu, %u d",
	     (unsigned long long)held[DP_CLASS_CALL_RECORD_PERSONAL],
	     days[DP_CLASS_CALL_RECORD_PERSONAL]);
	line(&pg, "List shows %u days", days[DP_CLASS_CALL_HISTORY]);
	line(&pg, "Log: %llu lines, %u d",
	     (unsigned long long)held[DP_CLASS_SIP_TRACES_AND_LOGS],
	     days[DP_CLASS_SIP_TRACES_AND_LOGS]);
	line(&pg, "No audio recorded");
	line(&pg, "Push: none, max %u d", days[DP_CLASS_PUSH_REGISTRATION]);
	line(&pg, "Restricted: %s", sum.restricted ? "yes" : "no");
	if (sum.legal_hold)
		line(&pg, "Legal hold: on");
	phone_restricted(ui->phone, sum.restricted);
	phone_privacy_page(ui->phone, pg.lines, pg.n);
}


void privacy_restrict(struct ui *ui, bool on)
{
	if (!dpapp_privacy_restrict(on)) {
		phone_restricted(ui->phone, on);
		ui_note(ui, on ? "Restricted" : "Not restricted");
	}
	else {
		ui_note(ui, "Not available");
	}
}


void privacy_erase(struct ui *ui)
{
	struct dp_erase_report r;
	int err = dpapp_privacy_erase(&r);

	if (!err)
		ui_note(ui, "Data erased");
	else if (err == ENODEV)
		ui_note(ui, "Not available");
	else if (err == EPERM)
		ui_note(ui, "Refused: legal hold");
	else
		ui_note(ui, "Erase failed");
}


void privacy_history_opened(struct ui *ui)
{
	/* the refusal goes into the audit log (at most once a minute) */
	if (ui->hist->ops->restricted(ui->hist))
		(void)dpapp_privacy_refused("history_display");
}


void privacy_changed(struct ui *ui)
{
	struct directory *dir = NULL;
	struct dp_history_view v;

	if (!dpapp_privacy_history_view(&v))
		phone_restricted(ui->phone, v.restricted);

	if (ui->hist->ops->refresh)
		ui->hist->ops->refresh(ui->hist);

	/* a contact corrected or erased: the directory again */
	if (!directory_load(&dir, ui->contacts_file)) {
		phone_set_directory(ui->phone, dir);
		mem_deref(ui->dir);
		ui->dir = dir;
	}

	if (ui->phone->mode == MODE_PRIVACY)
		privacy_page_load(ui);
}
