/**
 * @file support.c  Whom a debug bundle is sealed to
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <re.h>
#include "base/settings.h"
#include "support.h"


static int key_readable(const char *what, const char *path, char *why,
			size_t whysz)
{
	int err;

	if (strlen(path) >= sizeof(((struct dp_bundle_target *)0)->key)) {
		snprintf(why, whysz, "%s: the file name is too long", what);
		return ENAMETOOLONG;
	}
	if (0 == access(path, R_OK))
		return 0;

	err = errno ? errno : EACCES;
	snprintf(why, whysz, "%s %s: %s", what, path, strerror(err));

	return err;
}


int dp_bundle_target(const struct dp_settings *s, const char *to_key,
		     bool plain, struct dp_bundle_target *t,
		     char *why, size_t whysz)
{
	char errbuf[DP_ERRBUF];
	char *v = NULL;
	int err = 0;

	if (!s || !t || !why || !whysz)
		return EINVAL;
	memset(t, 0, sizeof(*t));
	why[0] = '\0';

	if (to_key && plain) {
		snprintf(why, whysz, "--plain and --to-key exclude each other");
		return EINVAL;
	}

	if (dp_settings_has(s, DP_SUPPORT_KEY_SETTING)) {
		err = dp_settings_get(s, DP_SUPPORT_KEY_SETTING, &v, errbuf,
				      sizeof(errbuf));
		if (err) {
			snprintf(why, whysz, "%s", errbuf);
			return err;
		}
		t->support_key = v[0] != '\0';
	}

	if (to_key) {
		snprintf(t->key, sizeof(t->key), "%s", to_key);
		err = key_readable("key", to_key, why, whysz);
	}
	else if (t->support_key && !plain) {
		snprintf(t->key, sizeof(t->key), "%s", v);
		err = key_readable("support key (" DP_SUPPORT_KEY_SETTING ")",
				   v, why, whysz);
	}
	t->plain_chosen = plain && t->support_key;

	mem_deref(v);

	return err;
}
