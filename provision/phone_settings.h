/**
 * @file phone_settings.h  The phone side's provisioning settings, read
 *                         in one place by their settings names
 *
 * The daemon (modules/provision, from baresip's config, where the
 * template writes them under the same names) and the command line
 * (`deskphone provision apply|rollback|status`, from the settings files)
 * read them here, through a getter for their source.
 */
#ifndef DP_PROV_PHONE_SETTINGS_H
#define DP_PROV_PHONE_SETTINGS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "provision/provision.h"

/* A setting's value into buf: 0, ENOENT when it is not set, or another
 * errno value (which the caller has reported). */
typedef int (prov_setting_h)(const char *name, char *buf, size_t sz,
			     void *arg);

struct prov_phone_settings {
	char provision_dir[512];
	char local_conf[512];
	char device_secret_file[512];
	char trusted_keys[512];
	char allow_tofu[8];
	char mac[32];
	char mac_interface[64];
	char serial[80];
	char watch_dir[512];
	uint32_t poll_ms;            /* 0: do not watch */
	uint32_t trust_timeout_s;    /* a person's answer, at most (60) */
	bool tofu_bad;               /* allow_tofu neither ask nor no: the
					cfg says no */
	bool tofu_old_yes;           /* allow_tofu yes, read as ask */
	struct prov_phone_cfg cfg;   /* points into the above: do not copy */
};

/*
 * Every setting (provision_dir, local_conf and device_secret_file are
 * required; the others may be unset).  ENOENT with *missing the first
 * required one that is not set; another error as the getter said.
 */
int prov_phone_settings_read(struct prov_phone_settings *ps,
			     prov_setting_h *get, void *arg,
			     const char **missing);

#endif
