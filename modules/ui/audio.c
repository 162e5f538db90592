/**
 * @file audio.c  Audio routes, volume and the ring tone, through the
 *                application core
 *
 * The audio module owns the hardware: dpui only asks, with typed calls
 * through the application core (modules/app: dpapp_audio_route,
 * dpapp_audio_volume).  When no audio module is loaded (stock audio
 * modules) they say ENODEV, which is logged once, and the UI works on.
 *
 * Ringing: baresip's own player plays ring.wav (from audio_path, Debian
 * ships it) on the `audio_alert` device, which the audio module pins to
 * the ringer route.  The ringer is not a voice route, so ringing sends
 * no route call.  The audio module rings by itself when no UI is
 * loaded; dpui turns that off (dpapp_audio_ring) so one ring plays.
 */
#include <string.h>
#include "modules/app/app.h"
#include "ui.h"

static const enum dpapp_route app_routes[ROUTE_COUNT] = {
	[ROUTE_HANDSET] = DPAPP_HANDSET,
	[ROUTE_HEADSET] = DPAPP_HEADSET,
	[ROUTE_SPEAKER] = DPAPP_SPEAKER,
	[ROUTE_RINGER]  = DPAPP_RINGER,
};


/* The phone chose a voice route (phone.c decides which, and when). */
void audio_route(struct ui *ui, enum route r)
{
	int err = dpapp_audio_route(app_routes[r]);

	if (err == ENODEV && !ui->warned_route) {
		ui->warned_route = true;
		info("dpui: no audio module with routes (dpalsa): routes are"
		     " not switched; going on without\n");
	}
	else if (err && err != ENODEV) {
		warning("dpui: audio route %s: %m\n", route_name(r), err);
	}
}


void audio_volume(struct ui *ui, enum route r, unsigned percent)
{
	int err = dpapp_audio_volume(app_routes[r], percent);

	if (err == ENODEV && !ui->warned_volume) {
		ui->warned_volume = true;
		info("dpui: no audio module with volumes (dpalsa): volume"
		     " shown but not applied\n");
	}
}


void audio_take_ringer(struct ui *ui)
{
	int err = dpapp_audio_ring(false);

	if (err && err != ENODEV)
		warning("dpui: the audio module's ringer off: %m\n", err);
	(void)ui;
}


void audio_ring_start(struct ui *ui)
{
	int err;

	if (ui->ring)
		return;

	err = play_file(&ui->ring, baresip_player(), "ring.wav", -1,
			ui->alert_mod[0] ? ui->alert_mod : NULL,
			ui->alert_dev[0] ? ui->alert_dev : NULL);
	if (err)
		warning("dpui: ring tone: %m\n", err);
}


void audio_ring_stop(struct ui *ui)
{
	ui->ring = mem_deref(ui->ring);
}
