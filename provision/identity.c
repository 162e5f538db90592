/**
 * @file identity.c  Who this phone is, as the stick knows it: the MAC of
 *                   one network interface, and the serial number
 *
 * The interface is a setting (provision_mac_interface; boards name their
 * wired port).  Left empty, the first interface in name order with a
 * non-zero MAC is used, loopback excluded.  A setting (provision_mac)
 * overrides the MAC altogether; the tests use it.
 */
#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <re.h>
#include "base/fileutil.h"
#include "prov_int.h"


static int read_mac(const char *sysfs, const char *ifname, char mac[18])
{
	char path[4096], *text = NULL;
	int err;

	if (strchr(ifname, '/') || ifname[0] == '.')
		return EINVAL;

	re_snprintf(path, sizeof(path), "%s/%s/address", sysfs, ifname);
	err = dp_read_file(path, 64, &text, NULL);
	if (err)
		return err;

	text[strcspn(text, "\n")] = '\0';
	err = prov_mac_normalise(text, mac);
	mem_deref(text);

	if (!err && 0 == strcmp(mac, "00:00:00:00:00:00"))
		err = ENOENT;

	return err;
}


static int first_interface(const char *sysfs, char *ifname, size_t sz,
			   char mac[18])
{
	struct dirent **names = NULL;
	int count, err = ENOENT;

	count = scandir(sysfs, &names, NULL, alphasort);

	for (int i = 0; i < count; i++) {
		const char *name = names[i]->d_name;

		if (err && name[0] != '.' && strcmp(name, "lo") &&
		    0 == read_mac(sysfs, name, mac)) {
			str_ncpy(ifname, name, sz);
			err = 0;
		}

		free(names[i]);
	}

	free(names);

	return err;
}


int prov_identity(const struct prov_phone_cfg *cfg, struct prov_identity *id,
		  char *why, size_t whysz)
{
	const char *sysfs = cfg->sysfs_net ? cfg->sysfs_net : "/sys/class/net";
	int err;

	memset(id, 0, sizeof(*id));

	if (cfg->mac && *cfg->mac) {
		if (prov_mac_normalise(cfg->mac, id->mac)) {
			re_snprintf(why, whysz, "the setting provision_mac is"
				    " not a MAC address");
			return EINVAL;
		}
		str_ncpy(id->interface, "setting provision_mac",
			 sizeof(id->interface));
	}
	else if (cfg->mac_interface && *cfg->mac_interface) {
		err = read_mac(sysfs, cfg->mac_interface, id->mac);
		if (err) {
			re_snprintf(why, whysz, "cannot read the MAC address of"
				    " interface %s (%m)", cfg->mac_interface,
				    err);
			return err;
		}
		str_ncpy(id->interface, cfg->mac_interface,
			 sizeof(id->interface));
	}
	else if (first_interface(sysfs, id->interface, sizeof(id->interface),
				 id->mac)) {
		id->mac[0] = '\0';
		id->interface[0] = '\0';
	}

	if (id->mac[0])
		prov_mac_id(id->mac, id->mac_id);

	if (cfg->serial && *cfg->serial) {
		if (prov_serial_check(cfg->serial)) {
			re_snprintf(why, whysz, "the setting device_serial is"
				    " not a serial number this firmware"
				    " accepts");
			return EINVAL;
		}
		str_ncpy(id->serial, cfg->serial, sizeof(id->serial));
		re_snprintf(id->serial_id, sizeof(id->serial_id), "serial-%s",
			    cfg->serial);
	}

	if (!id->mac[0] && !id->serial[0]) {
		re_snprintf(why, whysz, "this phone has neither a MAC address"
			    " nor a serial number to look itself up by");
		return ENOENT;
	}

	return 0;
}
