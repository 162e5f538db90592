/**
 * @file devsecret.c  The device secret and the keys derived from it
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <re.h>
#include "base/fileutil.h"
#include "crypto.h"

static const char derive_salt[] = "deskphone-v1";


static int read_secret(const char *path, uint8_t secret[DP_KEY_LEN])
{
	struct stat st;
	ssize_t n;
	int fd, err = 0;

	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0)
		return errno;

	if (fstat(fd, &st) < 0)
		err = errno;
	else if (!S_ISREG(st.st_mode) || st.st_size != DP_KEY_LEN)
		err = EINVAL;
	else if (st.st_mode & 077)
		err = EACCES;

	if (!err) {
		n = read(fd, secret, DP_KEY_LEN);
		if (n != DP_KEY_LEN)
			err = n < 0 ? errno : EINVAL;
	}

	close(fd);

	if (err)
		dp_wipe(secret, DP_KEY_LEN);

	return err;
}


/*
 * Write the secret to a temporary file, sync it, then link() it into
 * place: link fails with EEXIST when another process got there first, so
 * two first starts can never end up holding different secrets.
 */
static int publish_once(const char *path, const uint8_t secret[DP_KEY_LEN])
{
	char tmp[4096];
	int err;

	if (re_snprintf(tmp, sizeof(tmp), "%s.new.%d", path, (int)getpid())
	    < 0)
		return ENAMETOOLONG;

	err = dp_write_atomic(tmp, secret, DP_KEY_LEN, 0600);
	if (!err && link(tmp, path) < 0)
		err = errno;

	(void)unlink(tmp);
	if (!err)
		err = dp_sync_parent_dir(path);

	return err;
}


int dp_device_secret_load(const char *path, bool create,
			  uint8_t secret[DP_KEY_LEN])
{
	char dir[4096];
	const char *slash;
	int err;

	if (!path || !*path || !secret)
		return EINVAL;

	err = read_secret(path, secret);
	if (err != ENOENT || !create)
		return err;

	slash = strrchr(path, '/');
	if (slash && slash != path) {
		size_t n = (size_t)(slash - path);

		if (n >= sizeof(dir))
			return ENAMETOOLONG;
		memcpy(dir, path, n);
		dir[n] = '\0';
		err = dp_mkdir_p(dir, 0700);
		if (err)
			return err;
	}

	err = dp_random(secret, DP_KEY_LEN);
	if (!err)
		err = publish_once(path, secret);
	dp_wipe(secret, DP_KEY_LEN);
	if (err && err != EEXIST)
		return err;

	/* Whoever published first wins; everybody uses that secret. */
	return read_secret(path, secret);
}


int dp_derive_key(const uint8_t secret[DP_KEY_LEN], const char *label,
		  uint8_t key[DP_KEY_LEN])
{
	if (!secret || !label || !key)
		return EINVAL;

	return dp_hkdf_sha256(secret, DP_KEY_LEN,
			      (const uint8_t *)derive_salt,
			      sizeof(derive_salt) - 1,
			      (const uint8_t *)label, strlen(label),
			      key, DP_KEY_LEN);
}
