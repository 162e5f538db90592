/**
 * @file mixer.c  A route's mixer control: "Control" or "Control@device"
 */
#include <errno.h>
#include <string.h>
#include <re.h>
#include "audio_io.h"


static int split_spec(const char *spec, char *ctl, size_t ctlsz,
		      char *dev, size_t devsz)
{
	const char *at = strrchr(spec, '@');
	size_t n = at ? (size_t)(at - spec) : strlen(spec);

	if (!n || n >= ctlsz)
		return EINVAL;

	memcpy(ctl, spec, n);
	ctl[n] = '\0';
	str_ncpy(dev, at && at[1] ? at + 1 : "default", devsz);

	return 0;
}


static int set_volume(snd_mixer_elem_t *elem, unsigned volume)
{
	long min, max;
	int err;

	if (0 == snd_mixer_selem_get_playback_dB_range(elem, &min, &max) &&
	    min < max) {
		long db = dpa_volume_db100(volume);

		if (db < min)
			db = min;
		err = snd_mixer_selem_set_playback_dB_all(elem, db, 1);
	}
	else {
		err = snd_mixer_selem_get_playback_volume_range(elem, &min,
								&max);
		if (err >= 0)
			err = snd_mixer_selem_set_playback_volume_all(elem,
				dpa_volume_to_range(volume, min, max));
	}

	if (err >= 0 && snd_mixer_selem_has_playback_switch(elem))
		err = snd_mixer_selem_set_playback_switch_all(elem,
							      volume > 0);

	return err;
}


int dpa_mixer_set(const char *spec, unsigned volume, char *errbuf,
		  size_t errsz)
{
	snd_local_error_handler_t prev;
	snd_mixer_selem_id_t *sid;
	snd_mixer_elem_t *elem;
	snd_mixer_t *mixer = NULL;
	char ctl[DPA_NAME_MAX], dev[DPA_NAME_MAX];
	const char *what = "";
	int err;

	if (!spec || !*spec)
		return EINVAL;

	if (split_spec(spec, ctl, sizeof(ctl), dev, sizeof(dev))) {
		re_snprintf(errbuf, errsz, "mixer control '%s' is not"
			    " Control or Control@device", spec);
		return EINVAL;
	}

	prev = dpa_alsa_quiet_begin();

	err = snd_mixer_open(&mixer, 0);
	if (err < 0) {
		what = "open";
		goto out;
	}

	err = snd_mixer_attach(mixer, dev);
	if (err >= 0)
		err = snd_mixer_selem_register(mixer, NULL, NULL);
	if (err >= 0)
		err = snd_mixer_load(mixer);
	if (err < 0) {
		what = "open mixer";
		goto out;
	}

	snd_mixer_selem_id_alloca(&sid);
	snd_mixer_selem_id_set_index(sid, 0);
	snd_mixer_selem_id_set_name(sid, ctl);

	elem = snd_mixer_find_selem(mixer, sid);
	if (!elem || !snd_mixer_selem_has_playback_volume(elem)) {
		err = -ENOENT;
		what = "find a playback volume named";
		goto out;
	}

	err = set_volume(elem, volume);
	if (err < 0)
		what = "set the volume of";

 out:
	if (mixer)
		snd_mixer_close(mixer);
	dpa_alsa_quiet_end(prev);

	if (err < 0) {
		re_snprintf(errbuf, errsz, "mixer %s: cannot %s '%s': %s",
			    dev, what, ctl, snd_strerror(err));
		return -err;
	}

	return 0;
}
