/**
 * @file keyfile.c  Ed25519 and X25519 keys in PEM files (no back-end
 *                  code: the PEM text comes from the back-end)
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <re.h>
#include "base/fileutil.h"
#include "crypto.h"

enum { KEY_FILE_MAX = 16 * 1024 };


/* A new file holding `text`, synced; nothing is left on failure. */
static int write_new(const char *path, mode_t mode, const char *text)
{
	size_t len = strlen(text);
	int fd, err = 0;

	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
	if (fd < 0)
		return errno;

	while (!err && len) {
		ssize_t n = write(fd, text, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			err = n < 0 ? errno : EIO;
		else {
			text += n;
			len -= (size_t)n;
		}
	}
	if (!err && fsync(fd) < 0)
		err = errno;
	if (close(fd) < 0 && !err)
		err = errno;
	if (err)
		(void)unlink(path);

	return err;
}


int dp_key_save(enum dp_key_type type, const uint8_t priv[DP_CURVE_KEY_LEN],
		const char *prefix)
{
	char keypath[4096], pubpath[4096], *kpem = NULL, *ppem = NULL;
	uint8_t pub[DP_CURVE_KEY_LEN];
	int err;

	if (!priv || !prefix)
		return EINVAL;

	if (re_snprintf(keypath, sizeof(keypath), "%s.key", prefix) < 0 ||
	    re_snprintf(pubpath, sizeof(pubpath), "%s.pub", prefix) < 0)
		return ENAMETOOLONG;

	if (0 == access(keypath, F_OK) || 0 == access(pubpath, F_OK))
		return EEXIST;

	err = dp_key_public(type, priv, pub);
	if (!err)
		err = dp_key_write_private(type, priv, &kpem);
	if (!err)
		err = dp_key_write_public(type, pub, &ppem);

	if (!err)
		err = write_new(keypath, 0600, kpem);
	if (!err) {
		err = write_new(pubpath, 0644, ppem);
		if (err)
			(void)unlink(keypath);
	}

	if (kpem)
		dp_wipe(kpem, strlen(kpem));
	mem_deref(kpem);
	mem_deref(ppem);

	return err;
}


int dp_key_load(enum dp_key_type type, bool priv, const char *path,
		uint8_t key[DP_CURVE_KEY_LEN])
{
	struct stat st;
	char *pem = NULL;
	size_t len = 0;
	int err;

	if (!path || !key)
		return EINVAL;

	if (stat(path, &st) < 0)
		return errno;
	if (!S_ISREG(st.st_mode) || st.st_size > KEY_FILE_MAX)
		return EINVAL;

	err = dp_read_file(path, KEY_FILE_MAX, &pem, &len);
	if (err)
		return err == EFBIG ? EINVAL : err;

	err = priv ? dp_key_read_private(type, pem, len, key) :
		dp_key_read_public(type, pem, len, key);
	dp_wipe(pem, len);
	mem_deref(pem);

	return err;
}
