/**
 * @file core.c  dpcore: the deskphone daemon's core module
 *
 * Loaded as a module_app after the accounts.  It owns the local control
 * socket (commands and the event stream used by the command line, the
 * tests and, later, other front ends), following a blind transfer
 * (transfer.c) and our registration back-off.
 *
 * Config keys (baresip `config`, written by `deskphone run`):
 *   dpcore_socket        path of the control socket (required)
 *   dpcore_socket_mode   octal permission bits, default 0660
 *   dpcore_reg_min_s     first registration retry, default 2 s
 *   dpcore_reg_max_s     longest registration retry, default 300 s
 */
#include <stdlib.h>
#include "core.h"

static struct ctrl *core_ctrl;


static int module_init(void)
{
	char path[256] = "", mode_str[16] = "0660";
	uint32_t min_s = 2, max_s = 300;
	unsigned long mode;
	char *end;
	int err;

	if (conf_get_str(conf_cur(), "dpcore_socket", path, sizeof(path)) ||
	    !path[0]) {
		warning("dpcore: config key dpcore_socket is missing\n");
		return EINVAL;
	}

	(void)conf_get_str(conf_cur(), "dpcore_socket_mode", mode_str,
			   sizeof(mode_str));
	mode = strtoul(mode_str, &end, 8);
	if (*end || mode > 0777) {
		warning("dpcore: dpcore_socket_mode '%s' is not octal"
			" permission bits\n", mode_str);
		return EINVAL;
	}

	(void)conf_get_u32(conf_cur(), "dpcore_reg_min_s", &min_s);
	(void)conf_get_u32(conf_cur(), "dpcore_reg_max_s", &max_s);

	err = ctrl_alloc(&core_ctrl, path, (uint32_t)mode);
	if (err) {
		warning("dpcore: control socket %s: %m\n", path, err);
		return err;
	}

	err = events_init(core_ctrl);
	if (!err)
		err = transfer_init();
	if (!err)
		err = regretry_init(min_s, max_s);
	if (err) {
		warning("dpcore: init: %m\n", err);
		transfer_close();
		events_close();
		core_ctrl = mem_deref(core_ctrl);
		return err;
	}

	info("dpcore: deskphone %s ready; control socket %s\n", DP_VERSION,
	     path);

	return 0;
}


static int module_close(void)
{
	regretry_close();
	transfer_close();
	events_close();
	core_ctrl = mem_deref(core_ctrl);

	return 0;
}


const struct mod_export exports = {
	"dpcore",
	"application",
	module_init,
	module_close
};
