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


static void line(struct ui *ui, const char *fmt, ...)
{
	va_list ap;

	if (ui->privacy_n >= PRIVACY_LINES)
		return;
	va_start(ap, fmt);
	(void)re_vsnprintf(ui->privacy_lines[ui->privacy_n++],
			   sizeof(ui->privacy_lines[0]), fmt, ap);
	va_end(ap);
}


void privacy_page_load(struct ui *ui)
{
	size_t contacts = ui->dir ? ui->dir->n : 0;
	struct dp_privacy_summary sum;
	const uint64_t *held = sum.held;
	const unsigned *days = sum.retention_days;

	ui->privacy_n = 0;
	ui->sel = 0;
	if (dpapp_privacy_summary(&sum)) {
		/* no privacy module: what the UI itself knows */
		line(ui, "%zu calls, %zu contacts",
		     ui->hist->ops->count(ui->hist), contacts);
		line(ui, "No audio recorded");
		line(ui, "Calls: %s", ui->hist->ops->name);
		return;
	}

	ui->restricted = sum.restricted;
	line(ui, "%llu calls, %zu contacts",
	     (unsigned long long)held[DP_CLASS_CALL_RECORDS], contacts);
	line(ui, "Calls kept %u days", days[DP_CLASS_CALL_RECORDS]);
	line(ui, "Numbers: %llu, %u d",
	     (unsigned long long)held[DP_CLASS_CALL_RECORD_PERSONAL],
	     days[DP_CLASS_CALL_RECORD_PERSONAL]);
	line(ui, "List shows %u days", days[DP_CLASS_CALL_HISTORY]);
	line(ui, "Log: %llu lines, %u d",
	     (unsigned long long)held[DP_CLASS_SIP_TRACES_AND_LOGS],
	     days[DP_CLASS_SIP_TRACES_AND_LOGS]);
	line(ui, "No audio recorded");
	line(ui, "Push: none, max %u d", days[DP_CLASS_PUSH_REGISTRATION]);
	line(ui, "Restricted: %s", ui->restricted ? "yes" : "no");
	if (sum.legal_hold)
		line(ui, "Legal hold: on");
}


void privacy_toggle_restrict(struct ui *ui)
{
	bool on = !ui->restricted;

	if (!dpapp_privacy_restrict(on)) {
		ui->restricted = on;
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
		ui->restricted = v.restricted;

	if (ui->hist->ops->refresh)
		ui->hist->ops->refresh(ui->hist);

	/* a contact corrected or erased: the directory again */
	if (!directory_load(&dir, ui->contacts_file)) {
		mem_deref(ui->dir);
		ui->dir = dir;
		if (ui->mode == MODE_DIRECTORY)
			ui->sel = 0;
	}

	if (ui->mode == MODE_PRIVACY)
		privacy_page_load(ui);
}
