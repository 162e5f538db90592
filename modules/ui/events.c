/**
 * @file events.c  What the application core (modules/app) pushes to the
 *                 UI: the privacy rules changed what may be shown, a
 *                 provisioning job moved on or ended
 */
#include "modules/app/app.h"
#include "ui.h"


static void app_event(enum dpapp_event ev, const void *data, void *arg)
{
	struct ui *ui = arg;

	switch (ev) {

	case DPAPP_PRIVACY_CHANGED:
		privacy_changed(ui);
		phone_update(ui->phone);
		break;

	case DPAPP_PROV_JOB:
		job_provision_report(ui, data);
		trust_prompt_report(ui->trust, data);
		break;
	}
}


int ui_events_listen(struct ui *ui)
{
	return dpapp_listen(app_event, ui);
}


void ui_events_unlisten(struct ui *ui)
{
	dpapp_unlisten(app_event, ui);
}
