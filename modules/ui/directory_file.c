/**
 * @file directory_file.c  The contacts file, read into a directory
 */
#include <errno.h>
#include <re.h>
#include "base/fileutil.h"
#include "modules/baresip_api.h"
#include "directory.h"


static void warn_line(unsigned lineno, const char *why, void *arg)
{
	warning("dpui: %s:%u: %s\n", (const char *)arg, lineno, why);
}


int directory_load(struct directory **dirp, const char *path)
{
	char *text = NULL;
	size_t len = 0;
	int err;

	if (!dirp)
		return EINVAL;

	err = path && *path ?
		dp_read_file(path, DIRECTORY_FILE_MAX, &text, &len) : ENOENT;
	if (err && err != ENOENT)
		warning("dpui: %s: %m; no contacts\n", path, err);

	err = directory_parse(dirp, err ? "" : text, err ? 0 : len,
			      warn_line, (void *)path);
	mem_deref(text);

	return err;
}
