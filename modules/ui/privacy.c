/**
 * @file privacy.c  The menu's privacy entries, through the privacy
 *                  module's commands (the same functions the command
 *                  line reaches): what is stored, restriction, erasure,
 *                  and the display refused while restricted
 */
#include <errno.h>
#include <stdarg.h>
#include <string.h>
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


/* A number in one class's object of the status: "call_records":{..} */
static uint64_t class_num(const char *json, const char *cls,
			  const char *key)
{
	char pat[64];
	const char *p;
	uint64_t v = 0;

	re_snprintf(pat, sizeof(pat), "\"%s\":{", cls);
	p = json ? strstr(json, pat) : NULL;
	if (p)
		(void)ui_json_num(p, key, &v);

	return v;
}


void privacy_page_load(struct ui *ui)
{
	size_t contacts = ui->dir ? ui->dir->n : 0;
	struct page pg = { .n = 0 };
	bool restricted;
	char *out = NULL;

	if (ui_command("dpprivacy_status brief", &out) ||
	    !out || !strstr(out, "\"classes\"")) {
		/* no privacy module: what the UI itself knows */
		line(&pg, "%zu calls, %zu contacts",
		     ui->hist->ops->count(ui->hist), contacts);
		line(&pg, "No audio recorded");
		line(&pg, "Calls: %s", ui->hist->ops->name);
		mem_deref(out);
		phone_privacy_page(ui->phone, pg.lines, pg.n);
		return;
	}

	restricted = ui_json_true(out, "restricted");
	line(&pg, "%llu calls, %zu contacts", (unsigned long long)
	     class_num(out, "call_records", "held"), contacts);
	line(&pg, "Calls kept %llu days", (unsigned long long)
	     class_num(out, "call_records", "retention_days"));
	line(&pg, "Numbers: %llu, %llu d", (unsigned long long)
	     class_num(out, "call_record_personal_fields", "held"),
	     (unsigned long long)class_num(out, "call_record_personal_fields",
					   "retention_days"));
	line(&pg, "List shows %llu days", (unsigned long long)
	     class_num(out, "call_history", "retention_days"));
	line(&pg, "Log: %llu lines, %llu d", (unsigned long long)
	     class_num(out, "sip_traces_and_logs", "held"),
	     (unsigned long long)class_num(out, "sip_traces_and_logs",
					   "retention_days"));
	line(&pg, "No audio recorded");
	line(&pg, "Push: none, max %llu d", (unsigned long long)
	     class_num(out, "push_registration", "retention_days"));
	line(&pg, "Restricted: %s", restricted ? "yes" : "no");
	if (ui_json_true(out, "legal_hold"))
		line(&pg, "Legal hold: on");
	mem_deref(out);
	phone_restricted(ui->phone, restricted);
	phone_privacy_page(ui->phone, pg.lines, pg.n);
}


void privacy_restrict(struct ui *ui, bool on)
{
	char *out = NULL;

	if (!ui_command(on ? "dpprivacy_restrict on" : "dpprivacy_restrict off",
			&out) && ui_json_true(out, "ok")) {
		phone_restricted(ui->phone, on);
		ui_note(ui, on ? "Restricted" : "Not restricted");
	}
	else {
		ui_note(ui, "Not available");
	}
	mem_deref(out);
}


void privacy_erase(struct ui *ui)
{
	char *out = NULL;
	uint64_t e = 0;

	if (ui_command("dpprivacy_erase", &out))
		ui_note(ui, "Not available");
	else if (ui_json_true(out, "ok"))
		ui_note(ui, "Data erased");
	else if (ui_json_num(out, "errno", &e) && e == EPERM)
		ui_note(ui, "Refused: legal hold");
	else
		ui_note(ui, "Erase failed");
	mem_deref(out);
}


void privacy_history_opened(struct ui *ui)
{
	char *out = NULL;

	/* the refusal goes into the audit log (at most once a minute) */
	if (ui->hist->ops->restricted(ui->hist))
		(void)ui_command("dpprivacy_refused history_display", &out);
	mem_deref(out);
}


void privacy_changed(struct ui *ui)
{
	struct directory *dir = NULL;
	char *out = NULL;

	if (!ui_command("dpprivacy_view", &out) && ui_json_true(out, "ok"))
		phone_restricted(ui->phone, ui_json_true(out, "restricted"));
	mem_deref(out);

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
