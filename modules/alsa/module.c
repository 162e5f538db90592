/**
 * @file module.c  dpalsa: deskphone's ALSA audio source and player
 *
 * Registers an audio source and an audio player named "dpalsa".  The
 * device string says which device a stream uses: "voice" follows the
 * voice route (handset, headset or speaker: /dpalsa_route switches it,
 * mid-call), a route name pins the stream to that route ("ringer" for
 * audio_alert), anything else is an ALSA PCM name used as it is.
 * docs/audio.md describes the whole module.
 *
 * Config keys (baresip `config`, rendered by `deskphone run`):
 *   dpalsa_<route>_pcm      ALSA PCM of handset|headset|speaker|ringer
 *   dpalsa_<route>_mixer    optional mixer control, Control[@device]
 *   dpalsa_route            voice route at start-up (handset)
 *   dpalsa_period_ms        period (10)
 *   dpalsa_buffer_periods   buffer, in periods (3)
 *   dpalsa_retry_ms         retry a failed device this often (1000)
 *   dpalsa_stall_ms         a device silent this long is gone (1000)
 *   dpalsa_rt_priority      SCHED_FIFO priority of the audio threads (10;
 *                           0: normal scheduling)
 *   dpalsa_volume_file      where route volumes are kept (none: not kept)
 *   dpalsa_ring             ring on incoming calls (yes)
 *   dpalsa_test_hooks       the /dpalsa_fault command (no)
 */
#include <string.h>
#include "dpalsa.h"

struct dpalsa dpalsa;


static void conf_range(const char *key, unsigned *val, unsigned min,
		       unsigned max)
{
	uint32_t v;

	if (conf_get_u32(conf_cur(), key, &v))
		return;

	if (v < min || v > max) {
		warning("dpalsa: %s %u is not %u-%u; using %u\n", key, v, min,
			max, *val);
		return;
	}

	*val = v;
}


static void read_routes(void)
{
	struct dpa_routes *rt = &dpalsa.routes;
	char key[64], name[32] = "";
	enum dpa_route r;

	for (unsigned i = 0; i < DPA_ROUTES; i++) {
		const char *route = dpa_route_name((enum dpa_route)i);

		re_snprintf(key, sizeof(key), "dpalsa_%s_pcm", route);
		(void)conf_get_str(conf_cur(), key, rt->pcm[i],
				   sizeof(rt->pcm[i]));
		re_snprintf(key, sizeof(key), "dpalsa_%s_mixer", route);
		(void)conf_get_str(conf_cur(), key, rt->mixer[i],
				   sizeof(rt->mixer[i]));
	}

	if (0 == conf_get_str(conf_cur(), "dpalsa_route", name,
			      sizeof(name))) {
		if (dpa_route_parse(name, &r) || !dpa_route_is_voice(r))
			warning("dpalsa: dpalsa_route '%s' is not handset,"
				" headset or speaker; using handset\n", name);
		else
			rt->selected = r;
	}
}


static void load_volumes(void)
{
	char why[600];
	int err;

	if (!dpalsa.volume_file[0])
		return;

	err = dpa_volume_load(&dpalsa.routes, dpalsa.volume_file, why,
			      sizeof(why));
	if (err == ENOENT)
		return;
	if (err)
		warning("dpalsa: %s; the volumes before that line are kept,"
			" the rest are 100\n", why);
}


static int module_init(void)
{
	bool ring = true;
	int err;

	memset(&dpalsa, 0, sizeof(dpalsa));
	dpa_routes_init(&dpalsa.routes);
	dpalsa.period_ms      = 10;
	dpalsa.buffer_periods = 3;
	dpalsa.retry_ms       = 1000;
	dpalsa.stall_ms       = 1000;
	dpalsa.rt_priority    = 10;
	tmr_init(&dpalsa.probe_tmr);
	tmr_init(&dpalsa.save_tmr);

	read_routes();
	conf_range("dpalsa_period_ms", &dpalsa.period_ms, 2, 100);
	conf_range("dpalsa_buffer_periods", &dpalsa.buffer_periods, 2, 16);
	conf_range("dpalsa_retry_ms", &dpalsa.retry_ms, 100, 60000);
	conf_range("dpalsa_stall_ms", &dpalsa.stall_ms, 100, 60000);
	conf_range("dpalsa_rt_priority", &dpalsa.rt_priority, 0, 99);
	(void)conf_get_str(conf_cur(), "dpalsa_volume_file",
			   dpalsa.volume_file, sizeof(dpalsa.volume_file));
	(void)conf_get_bool(conf_cur(), "dpalsa_ring", &ring);
	(void)conf_get_bool(conf_cur(), "dpalsa_test_hooks",
			    &dpalsa.test_hooks);
	load_volumes();

	err = dpalsa_endpoints_init();
	if (!err)
		err = dpalsa_commands_init(dpalsa.test_hooks);
	if (!err)
		err = dpalsa_ring_init(ring);
	if (err) {
		dpalsa_ring_close();
		dpalsa_commands_close();
		dpalsa_endpoints_close();
		return err;
	}

	dpalsa_apply_mixers();

	info("dpalsa: routes: handset '%s', headset '%s', speaker '%s',"
	     " ringer '%s'; voice route %s; period %u ms, buffer %u"
	     " periods\n",
	     dpalsa.routes.pcm[DPA_HANDSET], dpalsa.routes.pcm[DPA_HEADSET],
	     dpalsa.routes.pcm[DPA_SPEAKER], dpalsa.routes.pcm[DPA_RINGER],
	     dpa_route_name(dpalsa.routes.selected), dpalsa.period_ms,
	     dpalsa.buffer_periods);

	return 0;
}


static int module_close(void)
{
	dpalsa_ring_close();
	dpalsa_commands_close();
	dpalsa_endpoints_close();

	return 0;
}


const struct mod_export exports = {
	"dpalsa",
	"sound",
	module_init,
	module_close
};
