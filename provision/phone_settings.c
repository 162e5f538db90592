/**
 * @file phone_settings.c  The phone side's provisioning settings
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "phone_settings.h"


/* A number, `dflt` when it is not set. */
static int get_u32(prov_setting_h *get, void *arg, const char *name,
		   uint32_t dflt, uint32_t *v)
{
	char num[16] = "";
	int err = get(name, num, sizeof(num), arg);

	*v = dflt;
	if (!err && num[0])
		*v = (uint32_t)strtoul(num, NULL, 10);

	return err == ENOENT ? 0 : err;
}


int prov_phone_settings_read(struct prov_phone_settings *ps,
			     prov_setting_h *get, void *arg,
			     const char **missing)
{
	const struct {
		const char *name;
		char *buf;
		size_t sz;
		bool required;
	} v[] = {
		{ "provision_dir", ps->provision_dir,
		  sizeof(ps->provision_dir), true },
		{ "local_conf", ps->local_conf, sizeof(ps->local_conf), true },
		{ "device_secret_file", ps->device_secret_file,
		  sizeof(ps->device_secret_file), true },
		{ "provision_trusted_keys", ps->trusted_keys,
		  sizeof(ps->trusted_keys), false },
		{ "provision_allow_tofu", ps->allow_tofu,
		  sizeof(ps->allow_tofu), false },
		{ "provision_mac", ps->mac, sizeof(ps->mac), false },
		{ "provision_mac_interface", ps->mac_interface,
		  sizeof(ps->mac_interface), false },
		{ "device_serial", ps->serial, sizeof(ps->serial), false },
		{ "provision_watch_dir", ps->watch_dir,
		  sizeof(ps->watch_dir), false },
	};
	int err;

	memset(ps, 0, sizeof(*ps));
	if (missing)
		*missing = NULL;

	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		err = get(v[i].name, v[i].buf, v[i].sz, arg);
		if (err == ENOENT || (!err && !v[i].buf[0])) {
			v[i].buf[0] = '\0';
			if (!v[i].required)
				continue;
			if (missing)
				*missing = v[i].name;
			return ENOENT;
		}
		if (err)
			return err;
	}

	err = get_u32(get, arg, "provision_poll_ms", 2000, &ps->poll_ms);
	if (!err)
		err = get_u32(get, arg, "provision_trust_timeout_s", 60,
			      &ps->trust_timeout_s);
	if (err)
		return err;

	ps->cfg.provision_dir      = ps->provision_dir;
	ps->cfg.local_conf         = ps->local_conf;
	ps->cfg.device_secret_file = ps->device_secret_file;
	ps->cfg.trusted_keys_dir   = ps->trusted_keys;
	ps->cfg.tofu               = PROV_TOFU_NO;
	if (ps->allow_tofu[0] && prov_tofu_parse(ps->allow_tofu,
						  &ps->cfg.tofu,
						  &ps->tofu_old_yes)) {
		ps->cfg.tofu = PROV_TOFU_NO;
		ps->tofu_bad = true;
	}
	ps->cfg.mac                = ps->mac;
	ps->cfg.mac_interface      = ps->mac_interface;
	ps->cfg.serial             = ps->serial;

	return 0;
}
