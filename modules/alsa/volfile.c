/**
 * @file volfile.c  The volume of each route, kept across restarts
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <re.h>
#include "base/fileutil.h"
#include "audio_io.h"

enum { VOLFILE_MAX = 4096 };


static int parse_line(struct dpa_routes *rt, char *line, unsigned lineno,
		      char *errbuf, size_t errsz)
{
	char *name, *val, *end, *save = NULL;
	enum dpa_route r;
	unsigned long v;

	name = strtok_r(line, " \t\r", &save);
	if (!name || name[0] == '#')
		return 0;

	val = strtok_r(NULL, " \t\r", &save);
	if (!val) {
		re_snprintf(errbuf, errsz, "line %u: '%s' has no volume",
			    lineno, name);
		return EINVAL;
	}

	if (dpa_route_parse(name, &r)) {
		re_snprintf(errbuf, errsz, "line %u: unknown route '%s'",
			    lineno, name);
		return EINVAL;
	}

	/* digits only: strtoul would also take a sign */
	errno = 0;
	v = strtoul(val, &end, 10);
	if (val[0] < '0' || val[0] > '9' || errno || *end || v > 100) {
		re_snprintf(errbuf, errsz, "line %u: volume '%s' is not"
			    " 0-100", lineno, val);
		return EINVAL;
	}

	if (strtok_r(NULL, " \t\r", &save)) {
		re_snprintf(errbuf, errsz, "line %u: text after the volume",
			    lineno);
		return EINVAL;
	}

	rt->volume[r] = (unsigned)v;

	return 0;
}


int dpa_volume_parse(struct dpa_routes *rt, const char *text,
		     char *errbuf, size_t errsz)
{
	unsigned lineno = 0;

	if (!rt || !text)
		return EINVAL;

	while (*text) {
		const char *nl = strchr(text, '\n');
		size_t len = nl ? (size_t)(nl - text) : strlen(text);
		char line[256];
		int err;

		++lineno;
		if (len >= sizeof(line)) {
			re_snprintf(errbuf, errsz, "line %u: too long",
				    lineno);
			return EINVAL;
		}

		memcpy(line, text, len);
		line[len] = '\0';

		err = parse_line(rt, line, lineno, errbuf, errsz);
		if (err)
			return err;

		text += len + (nl ? 1 : 0);
	}

	return 0;
}


int dpa_volume_load(struct dpa_routes *rt, const char *path,
		    char *errbuf, size_t errsz)
{
	char *text = NULL, why[160] = "";
	int err;

	if (!rt || !path)
		return EINVAL;

	err = dp_read_file(path, VOLFILE_MAX, &text, NULL);
	if (err) {
		re_snprintf(errbuf, errsz, "%s: %m", path, err);
		return err;
	}

	err = dpa_volume_parse(rt, text, why, sizeof(why));
	if (err)
		re_snprintf(errbuf, errsz, "%s: %s", path, why);

	mem_deref(text);

	return err;
}


static int make_parent(const char *path)
{
	char dir[4096];
	const char *slash = strrchr(path, '/');
	size_t n;

	if (!slash || slash == path)
		return 0;

	n = (size_t)(slash - path);
	if (n >= sizeof(dir))
		return ENAMETOOLONG;

	memcpy(dir, path, n);
	dir[n] = '\0';

	return dp_mkdir_p(dir, 0700);
}


int dpa_volume_save(const struct dpa_routes *rt, const char *path)
{
	char text[512];
	int n, err;

	if (!rt || !path || !*path)
		return EINVAL;

	n = re_snprintf(text, sizeof(text),
			"# volume of each audio route, 0-100; written by the"
			" phone\n");
	for (unsigned i = 0; i < DPA_ROUTES && n > 0; i++) {
		n += re_snprintf(text + n, sizeof(text) - (size_t)n, "%s %u\n",
				 dpa_route_name((enum dpa_route)i),
				 rt->volume[i]);
	}
	if (n <= 0)
		return ENOMEM;

	err = make_parent(path);
	if (err)
		return err;

	return dp_write_atomic(path, text, (size_t)n, 0600);
}
