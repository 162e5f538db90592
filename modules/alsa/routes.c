/**
 * @file routes.c  Audio routes, devices known to be gone, the voice route
 *
 * Devices are tracked by PCM name, not by route: on many boards two
 * routes share one device (handset and speaker on one codec), and when
 * that device is gone both routes are.
 */
#include <string.h>
#include <re.h>
#include "audio_io.h"


static const char * const route_names[DPA_ROUTES] = {
	"handset", "headset", "speaker", "ringer"
};


const char *dpa_route_name(enum dpa_route r)
{
	return (unsigned)r < DPA_ROUTES ? route_names[r] : "?";
}


int dpa_route_parse(const char *name, enum dpa_route *r)
{
	if (!name || !r)
		return EINVAL;

	for (unsigned i = 0; i < DPA_ROUTES; i++) {
		if (0 == strcmp(name, route_names[i])) {
			*r = (enum dpa_route)i;
			return 0;
		}
	}

	return ENOENT;
}


bool dpa_route_is_voice(enum dpa_route r)
{
	return r == DPA_HANDSET || r == DPA_HEADSET || r == DPA_SPEAKER;
}


void dpa_routes_init(struct dpa_routes *rt)
{
	if (!rt)
		return;

	memset(rt, 0, sizeof(*rt));

	for (unsigned i = 0; i < DPA_ROUTES; i++) {
		str_ncpy(rt->pcm[i], "default", sizeof(rt->pcm[i]));
		rt->volume[i] = 100;
	}

	rt->selected = DPA_HANDSET;
}


static int lost_index(const struct dpa_routes *rt, const char *pcm)
{
	for (unsigned i = 0; i < rt->nlost; i++) {
		if (0 == strcmp(rt->lost[i].pcm, pcm))
			return (int)i;
	}

	return -1;
}


bool dpa_routes_pcm_lost(const struct dpa_routes *rt, const char *pcm)
{
	return rt && pcm && lost_index(rt, pcm) >= 0;
}


bool dpa_routes_mark_lost(struct dpa_routes *rt, const char *pcm,
			  enum dpa_dir dir, const struct dpa_format *f,
			  int err)
{
	struct dpa_lost *l;

	if (!rt || !pcm || !*pcm || lost_index(rt, pcm) >= 0)
		return false;

	/* full: forget the oldest, which is retried by its streams anyway */
	if (rt->nlost == DPA_MAX_LOST) {
		memmove(&rt->lost[0], &rt->lost[1],
			sizeof(rt->lost[0]) * (DPA_MAX_LOST - 1));
		--rt->nlost;
	}

	l = &rt->lost[rt->nlost++];
	memset(l, 0, sizeof(*l));
	str_ncpy(l->pcm, pcm, sizeof(l->pcm));
	l->dir = dir;
	l->err = err;
	if (f)
		l->f = *f;

	return true;
}


bool dpa_routes_mark_found(struct dpa_routes *rt, const char *pcm)
{
	int i;

	if (!rt || !pcm)
		return false;

	i = lost_index(rt, pcm);
	if (i < 0)
		return false;

	memmove(&rt->lost[i], &rt->lost[i + 1],
		sizeof(rt->lost[0]) * (rt->nlost - (unsigned)i - 1));
	--rt->nlost;

	return true;
}


enum dpa_route dpa_routes_active(const struct dpa_routes *rt)
{
	static const enum dpa_route fallback[] = { DPA_HANDSET, DPA_SPEAKER };

	if (!dpa_routes_pcm_lost(rt, rt->pcm[rt->selected]))
		return rt->selected;

	for (size_t i = 0; i < sizeof(fallback) / sizeof(fallback[0]); i++) {
		if (!dpa_routes_pcm_lost(rt, rt->pcm[fallback[i]]))
			return fallback[i];
	}

	return rt->selected;
}
