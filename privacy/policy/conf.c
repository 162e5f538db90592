/**
 * @file conf.c  The policy from a baresip config, for the daemon's
 *               modules: `deskphone run` renders the phone's privacy
 *               settings there as dpprivacy_<setting>
 */
#include <errno.h>
#include <string.h>
#include <re.h>
#include "base/settings.h"
#include "privacy.h"

static const char *const keys[] = {
	"purge_interval_s", "clock_trust", "clock_step_s", "clock_slack_s",
	"clock_floor_s",
};


static int copy(const struct conf *conf, struct dp_settings *s,
		const char *prefix, const char *name, const char *as)
{
	char key[96], origin[128], val[256];

	re_snprintf(key, sizeof(key), "%s%s", prefix, name);
	if (conf_get_str(conf, key, val, sizeof(val)) || !val[0])
		return 0;
	re_snprintf(origin, sizeof(origin), "baresip config (%s)", key);

	return dp_settings_set(s, as, val, origin);
}


int dp_policy_from_conf(struct dp_policy *p, const struct conf *conf,
			const char *prefix)
{
	struct dp_settings *s = NULL;
	char file[512] = "", key[96], name[96];
	int err;

	err = dp_settings_alloc(&s);
	if (err)
		return err;

	for (int i = 0; i < DP_CLASS_COUNT && !err; i++) {
		re_snprintf(name, sizeof(name), "retention_%s_days",
			    dp_class_name((enum dp_class)i));
		err = copy(conf, s, prefix, name, name);
	}
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]) && !err; i++) {
		re_snprintf(name, sizeof(name), "privacy_%s", keys[i]);
		err = copy(conf, s, prefix, keys[i], name);
	}

	re_snprintf(key, sizeof(key), "%spolicy", prefix);
	(void)conf_get_str(conf, key, file, sizeof(file));
	if (!err)
		err = dp_policy_load(p, file[0] ? file : NULL, s);
	mem_deref(s);

	return err;
}
