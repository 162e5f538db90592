/**
 * @file audio.c  Audio routes, volume and the ring tone, through
 *                baresip's command interface
 *
 * The audio module owns the hardware: dpui only asks, with the commands
 * `dpalsa_route handset|headset|speaker|ringer` and
 * `dpalsa_volume ROUTE PERCENT`.  Going through cmd_process_long() keeps
 * dpui free of any link to that module: when it is not loaded the
 * command is missing, which is logged once, and the UI works on.
 *
 * Ringing: baresip's own player plays ring.wav (from audio_path, Debian
 * ships it) on the `audio_alert` device, which the audio module pins to
 * the ringer route.  The ringer is not a voice route, so ringing sends
 * no route command.  The audio module rings by itself when no UI is
 * loaded; dpui turns that off (`dpalsa_ring off`) so one ring plays.
 */
#include <string.h>
#include "ui.h"

static int to_mbuf(const char *p, size_t size, void *arg)
{
	return mbuf_write_mem(arg, (const uint8_t *)p, size);
}


/* Run a baresip long command; ENOTSUP when nobody registered it. */
static int run_command(const char *text)
{
	struct mbuf *mb = mbuf_alloc(128);
	struct re_printf pf = { to_mbuf, mb };
	int err;

	if (!mb)
		return ENOMEM;

	err = cmd_process_long(baresip_commands(), text, strlen(text), &pf,
			       NULL);
	mem_deref(mb);

	return err;
}


/* The phone chose a voice route (phone.c decides which, and when). */
void audio_route(struct ui *ui, enum route r)
{
	char cmd[64];
	int err;

	re_snprintf(cmd, sizeof(cmd), "dpalsa_route %s", route_name(r));
	err = run_command(cmd);
	if (err == ENOTSUP && !ui->warned_route) {
		ui->warned_route = true;
		info("dpui: no audio route command (dpalsa_route): the audio"
		     " module does not switch routes; going on without\n");
	}
	else if (err && err != ENOTSUP) {
		warning("dpui: %s: %m\n", cmd, err);
	}
}


void audio_volume(struct ui *ui, enum route r, unsigned percent)
{
	char cmd[64];
	int err;

	re_snprintf(cmd, sizeof(cmd), "dpalsa_volume %s %u", route_name(r),
		    percent);
	err = run_command(cmd);
	if (err == ENOTSUP && !ui->warned_volume) {
		ui->warned_volume = true;
		info("dpui: no volume command (dpalsa_volume): volume shown"
		     " but not applied\n");
	}
}


void audio_take_ringer(struct ui *ui)
{
	int err = run_command("dpalsa_ring off");

	if (err && err != ENOTSUP)
		warning("dpui: dpalsa_ring off: %m\n", err);
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
