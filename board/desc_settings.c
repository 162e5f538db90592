/**
 * @file desc_settings.c  A board description from layered settings files
 */
#include <errno.h>
#include <re.h>
#include "base/settings.h"
#include "desc.h"


static int settings_get(void *arg, const char *key, char **valp,
			char *origin, size_t osz)
{
	const struct dp_settings *s = arg;
	const char *where;
	int err;

	if (!dp_settings_has(s, key))
		return ENOENT;

	err = dp_settings_get(s, key, valp, origin, osz);
	if (err)
		return err;

	where = dp_settings_origin(s, key);
	re_snprintf(origin, osz, "%s", where ? where : key);

	return 0;
}


int board_desc_from_settings(struct board_desc **descp,
			     const struct dp_settings *s,
			     char *errbuf, size_t errsz)
{
	return board_desc_load(descp, settings_get, (void *)s, errbuf, errsz);
}
