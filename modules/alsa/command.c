/**
 * @file command.c  dpalsa's commands: the interface for keys and UIs
 *
 *   /dpalsa_route [handset|headset|speaker]   show or switch the voice route
 *   /dpalsa_volume [route] [0-100|up|down]    show or set a route's volume
 *                                             (no route: the voice route)
 *   /dpalsa_ring [on|off]                     ring on incoming calls or not
 *   /dpalsa_status                            everything, one JSON line
 *   /dpalsa_fault stall MS [route]            test hook (dpalsa_test_hooks)
 *
 * Reachable from the control socket: `deskphone ctl cmd dpalsa_route
 * speaker`.  A bad parameter prints why and fails with EINVAL.  The UI
 * reaches the same functions as typed calls, through the application
 * core (modules/app: struct dpapp_audio).
 */
#include <stdlib.h>
#include <string.h>
#include "base/json.h"
#include "modules/app/app.h"
#include "cmdparse.h"
#include "dpalsa.h"

static int print_route(struct re_printf *pf)
{
	const struct dpa_routes *rt = &dpalsa.routes;

	if (dpalsa.active == rt->selected)
		return re_hprintf(pf, "route %s\n",
				  dpa_route_name(dpalsa.active));

	return re_hprintf(pf, "route %s (%s selected; '%s' is not"
			  " available)\n", dpa_route_name(dpalsa.active),
			  dpa_route_name(rt->selected),
			  rt->pcm[rt->selected]);
}


static int cmd_route(struct re_printf *pf, void *arg)
{
	const struct cmd_arg *carg = arg;
	char name[DPA_WORD], extra[DPA_WORD];
	enum dpa_route r;
	unsigned n;

	if (dpa_cmd_words(carg->prm, name, extra, &n) == 0 && n == 0)
		return print_route(pf);

	if (n != 1 || dpa_route_parse(name, &r) || !dpa_route_is_voice(r)) {
		(void)re_hprintf(pf, "dpalsa_route: handset, headset or"
				 " speaker\n");
		return EINVAL;
	}

	dpalsa_select_route(r);

	return print_route(pf);
}


static int print_volumes(struct re_printf *pf)
{
	int err = 0;

	for (unsigned r = 0; r < DPA_ROUTES && !err; r++)
		err = re_hprintf(pf, "%s%s %u", r ? " " : "volume ",
				 dpa_route_name((enum dpa_route)r),
				 dpalsa.routes.volume[r]);

	return err | re_hprintf(pf, "\n");
}


static int cmd_volume(struct re_printf *pf, void *arg)
{
	const struct cmd_arg *carg = arg;
	char a[DPA_WORD], b[DPA_WORD];
	enum dpa_route r = dpalsa.active;
	const char *level;
	unsigned v, n;

	if (dpa_cmd_words(carg->prm, a, b, &n)) {
		(void)re_hprintf(pf, "dpalsa_volume: [route] 0-100, up or"
				 " down\n");
		return EINVAL;
	}
	if (n == 0)
		return print_volumes(pf);

	if (n == 2) {
		if (dpa_route_parse(a, &r)) {
			(void)re_hprintf(pf, "dpalsa_volume: unknown route"
					 " '%s'\n", a);
			return EINVAL;
		}
		level = b;
	}
	else if (0 == dpa_route_parse(a, &r)) {
		return re_hprintf(pf, "volume %s %u\n", dpa_route_name(r),
				  dpalsa.routes.volume[r]);
	}
	else {
		level = a;
	}

	if (dpa_volume_arg(level, dpalsa.routes.volume[r], &v)) {
		(void)re_hprintf(pf, "dpalsa_volume: '%s' is not 0-100, up"
				 " or down\n", level);
		return EINVAL;
	}

	dpalsa_set_volume(r, v);

	return re_hprintf(pf, "volume %s %u\n", dpa_route_name(r), v);
}


static int cmd_ring(struct re_printf *pf, void *arg)
{
	const struct cmd_arg *carg = arg;

	if (str_isset(carg->prm)) {
		if (0 == strcmp(carg->prm, "on")) {
			dpalsa_ring_enable(true);
		}
		else if (0 == strcmp(carg->prm, "off")) {
			dpalsa_ring_enable(false);
		}
		else {
			(void)re_hprintf(pf, "dpalsa_ring: on or off\n");
			return EINVAL;
		}
	}

	return re_hprintf(pf, "ring %s%s\n",
			  dpalsa_ring_enabled() ? "on" : "off",
			  dpalsa_ringing() ? " (ringing)" : "");
}


static int print_stream(struct re_printf *pf,
			const struct dpalsa_endpoint *ep)
{
	struct dpa_stats st;
	int err;

	dpa_stream_stats(ep->stream, &st);

	err = re_hprintf(pf, "{\"id\":%u,\"dir\":\"%s\",\"use\":", ep->id,
			 ep->dir == DPA_CAPTURE ? "capture" : "playback");
	err |= dp_json_str(pf, (void *)(dpalsa_binding_name(ep)));
	err |= re_hprintf(pf, ",\"route\":");
	err |= dp_json_str(pf, (void *)(ep->binding == DPALSA_PCM ? "" :
			dpa_route_name(ep->route)));
	err |= re_hprintf(pf, ",\"pcm\":");
	err |= dp_json_str(pf, (void *)(st.pcm));
	err |= re_hprintf(pf, ",\"state\":\"%s\",\"paced_by\":\"%s\","
			  "\"period\":%u,\"buffer\":%u,\"frames\":%llu,"
			  "\"xruns\":%llu,\"opens\":%llu,"
			  "\"open_failures\":%llu,\"t0_ns\":%llu,"
			  "\"dev_frames\":%llu,\"rt_priority\":%u}",
			  st.state == DPA_ST_RUNNING ? "running" : "no-device",
			  st.clockless ? "clock" : "device", st.period,
			  st.buffer, (unsigned long long)st.frames,
			  (unsigned long long)st.xruns,
			  (unsigned long long)st.opens,
			  (unsigned long long)st.open_failures,
			  (unsigned long long)st.t0_ns,
			  (unsigned long long)st.dev_frames, st.rt_priority);

	return err;
}


static int cmd_status(struct re_printf *pf, void *arg)
{
	const struct dpa_routes *rt = &dpalsa.routes;
	int err;

	(void)arg;

	err = re_hprintf(pf, "{\"route\":\"%s\",\"selected\":\"%s\","
			 "\"ring\":%s,\"ringing\":%s,\"routes\":{",
			 dpa_route_name(dpalsa.active),
			 dpa_route_name(rt->selected),
			 dpalsa_ring_enabled() ? "true" : "false",
			 dpalsa_ringing() ? "true" : "false");

	for (unsigned r = 0; r < DPA_ROUTES; r++) {
		err |= re_hprintf(pf, "%s\"%s\":{\"pcm\":", r ? "," : "",
				  dpa_route_name((enum dpa_route)r));
		err |= dp_json_str(pf, (void *)(rt->pcm[r]));
		err |= re_hprintf(pf, ",\"mixer\":");
		err |= dp_json_str(pf, (void *)(rt->mixer[r]));
		err |= re_hprintf(pf, ",\"volume\":%u}", rt->volume[r]);
	}

	err |= re_hprintf(pf, "},\"lost\":[");
	for (unsigned i = 0; i < rt->nlost; i++) {
		err |= re_hprintf(pf, i ? "," : "");
		err |= dp_json_str(pf, (void *)(rt->lost[i].pcm));
	}

	err |= re_hprintf(pf, "],\"streams\":[");
	for (struct le *le = dpalsa.endpoints.head; le; le = le->next) {
		err |= re_hprintf(pf, le == dpalsa.endpoints.head ? "" : ",");
		err |= print_stream(pf, le->data);
	}

	return err | re_hprintf(pf, "]}\n");
}


static int cmd_fault(struct re_printf *pf, void *arg)
{
	const struct cmd_arg *carg = arg;
	char route_str[DPA_WORD];
	enum dpa_route r;
	int route = -1;
	unsigned ms;

	if (dpa_fault_args(carg->prm, &ms, route_str)) {
		(void)re_hprintf(pf, "dpalsa_fault: stall MS [route]\n");
		return EINVAL;
	}

	if (route_str[0]) {
		if (dpa_route_parse(route_str, &r)) {
			(void)re_hprintf(pf, "dpalsa_fault: unknown route"
					 " '%s'\n", route_str);
			return EINVAL;
		}
		route = (int)r;
	}

	return re_hprintf(pf, "stalled %u streams for %u ms\n",
			  dpalsa_fault(route, DPA_FAULT_STALL, ms), ms);
}


/* --- the UI's typed calls (application core) --------------------------- */

static int route_of(enum dpapp_route r, enum dpa_route *out)
{
	switch (r) {

	case DPAPP_HANDSET: *out = DPA_HANDSET; return 0;
	case DPAPP_HEADSET: *out = DPA_HEADSET; return 0;
	case DPAPP_SPEAKER: *out = DPA_SPEAKER; return 0;
	case DPAPP_RINGER:  *out = DPA_RINGER;  return 0;
	}

	return EINVAL;
}


static int app_route(enum dpapp_route r)
{
	enum dpa_route dr;

	return route_of(r, &dr) ? EINVAL : dpalsa_select_route(dr);
}


static int app_volume(enum dpapp_route r, unsigned percent)
{
	enum dpa_route dr;

	return route_of(r, &dr) ? EINVAL : dpalsa_set_volume(dr, percent);
}


static int app_ring(bool on)
{
	dpalsa_ring_enable(on);

	return 0;
}


static const struct dpapp_audio app_audio = {
	app_route, app_volume, app_ring
};


static const struct cmd dpalsa_cmds[] = {
	{"dpalsa_route",  0, CMD_PRM, "Audio route: handset, headset,"
	 " speaker", cmd_route},
	{"dpalsa_volume", 0, CMD_PRM, "Volume of a route: [route] 0-100,"
	 " up, down", cmd_volume},
	{"dpalsa_ring",   0, CMD_PRM, "Ring on incoming calls: on, off",
	 cmd_ring},
	{"dpalsa_status", 0, 0,       "Audio routes and streams (JSON)",
	 cmd_status},
};

static const struct cmd dpalsa_test_cmds[] = {
	{"dpalsa_fault",  0, CMD_PRM, "Test hook: stall MS [route]",
	 cmd_fault},
};

static bool test_cmds_registered;


int dpalsa_commands_init(bool test_hooks)
{
	int err;

	err = cmd_register(baresip_commands(), dpalsa_cmds,
			   sizeof(dpalsa_cmds) / sizeof(dpalsa_cmds[0]));
	if (!err)
		err = dpapp_audio_register(&app_audio);
	if (err || !test_hooks)
		return err;

	err = cmd_register(baresip_commands(), dpalsa_test_cmds,
			   sizeof(dpalsa_test_cmds) /
			   sizeof(dpalsa_test_cmds[0]));
	test_cmds_registered = !err;
	if (!err)
		warning("dpalsa: test hooks are on (dpalsa_fault)\n");

	return err;
}


void dpalsa_commands_close(void)
{
	dpapp_audio_unregister(&app_audio);
	cmd_unregister(baresip_commands(), dpalsa_cmds);
	if (test_cmds_registered)
		cmd_unregister(baresip_commands(), dpalsa_test_cmds);
	test_cmds_registered = false;
}
