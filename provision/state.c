/**
 * @file state.c  The phone's provisioning state: the lock, our block in
 *                ${local_conf}, the replay record, generations, trusted
 *                keys
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <re.h>
#include "base/fileutil.h"
#include "prov_int.h"

enum { MAX_LOCAL_CONF = 1024 * 1024, MAX_TRUSTED = 64 };


void prov_now(char *buf, size_t sz)
{
	time_t now = time(NULL);
	struct tm tm;

	gmtime_r(&now, &tm);
	strftime(buf, sz, "%Y-%m-%dT%H:%M:%SZ", &tm);
}


int prov_lock(const char *provision_dir, int *fdp)
{
	char path[4096];
	int fd, err;

	err = dp_mkdir_p(provision_dir, 0700);
	if (err)
		return err;

	re_snprintf(path, sizeof(path), "%s/lock", provision_dir);
	fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0)
		return errno;

	if (flock(fd, LOCK_EX | LOCK_NB) < 0) {
		err = errno == EWOULDBLOCK ? EBUSY : errno;
		close(fd);
		return err;
	}

	*fdp = fd;

	return 0;
}


void prov_unlock(int fd)
{
	if (fd >= 0) {
		(void)flock(fd, LOCK_UN);
		close(fd);
	}
}


int prov_write_file(const char *path, const void *data, size_t len,
		    const struct prov_io *io)
{
	int err = prov_fault(io, "write", path);

	return err ? err : dp_write_atomic(path, data, len, 0600);
}


static int read_local_conf(const char *local_conf, char **textp)
{
	size_t len = 0;
	int err;

	err = dp_read_file(local_conf, MAX_LOCAL_CONF, textp, &len);
	if (err == ENOENT)
		return str_dup(textp, "");

	return err;
}


static bool starts(const char *line, const char *prefix)
{
	return 0 == strncmp(line, prefix, strlen(prefix));
}


/* Split local_conf's text into what is ours (the block) and the rest. */
static int split(const char *text, struct mbuf *outside, struct mbuf *block)
{
	bool inside = false;
	const char *line = text;
	int err = 0;

	while (line && *line && !err) {
		const char *nl = strchr(line, '\n');
		size_t len = nl ? (size_t)(nl - line) + 1 : strlen(line);

		if (!inside && starts(line, PROV_BLOCK_BEGIN)) {
			inside = true;
		}
		else if (inside && starts(line, PROV_BLOCK_END)) {
			inside = false;
		}
		else if (inside) {
			if (block)
				err = mbuf_write_mem(block,
						     (const uint8_t *)line, len);
		}
		else if (outside) {
			err = mbuf_write_mem(outside, (const uint8_t *)line,
					     len);
		}

		line = nl ? nl + 1 : NULL;
	}

	return err;
}


int prov_local_conf_outside(const char *local_conf, char **textp)
{
	struct mbuf *mb;
	char *text = NULL;
	int err;

	err = read_local_conf(local_conf, &text);
	if (err)
		return err;

	mb = mbuf_alloc(strlen(text) + 1);
	err = mb ? split(text, mb, NULL) : ENOMEM;
	if (!err)
		err = mbuf_write_u8(mb, 0);
	if (!err)
		err = str_dup(textp, (char *)mb->buf);

	mem_deref(mb);
	mem_deref(text);

	return err;
}


int prov_local_conf_commit(const char *local_conf, const char *block,
			   const struct prov_io *io)
{
	char *outside = NULL, dir[4096];
	const char *slash;
	struct mbuf *mb = NULL;
	size_t olen;
	int err;

	err = prov_local_conf_outside(local_conf, &outside);
	if (err)
		return err;

	olen = strlen(outside);
	mb = mbuf_alloc(olen + strlen(block) + 2);
	if (!mb) {
		err = ENOMEM;
		goto out;
	}

	err = mbuf_write_str(mb, outside);
	if (!err && olen && outside[olen - 1] != '\n')
		err = mbuf_write_u8(mb, '\n');
	if (!err)
		err = mbuf_write_str(mb, block);
	if (err)
		goto out;

	slash = strrchr(local_conf, '/');
	if (slash && slash != local_conf &&
	    (size_t)(slash - local_conf) < sizeof(dir)) {
		memcpy(dir, local_conf, (size_t)(slash - local_conf));
		dir[slash - local_conf] = '\0';
		err = dp_mkdir_p(dir, 0700);
		if (err)
			goto out;
	}

	err = prov_write_file(local_conf, mb->buf, mb->end, io);

 out:
	mem_deref(outside);
	mem_deref(mb);

	return err;
}


static void block_value(struct prov_current *cur, const char *key,
			const char *val)
{
	if (0 == strcmp(key, "provision_version"))
		cur->version = strtoull(val, NULL, 10);
	else if (0 == strcmp(key, "provision_generation"))
		str_ncpy(cur->generation, val, sizeof(cur->generation));
	else if (0 == strcmp(key, "provision_previous_generation"))
		str_ncpy(cur->previous, val, sizeof(cur->previous));
	else if (0 == strcmp(key, "provision_site"))
		str_ncpy(cur->site, val, sizeof(cur->site));
	else if (0 == strcmp(key, "provision_phone"))
		str_ncpy(cur->phone, val, sizeof(cur->phone));
	else if (0 == strcmp(key, "provision_applied_at"))
		str_ncpy(cur->applied_at, val, sizeof(cur->applied_at));
	else if (0 == strcmp(key, "provision_key_id"))
		str_ncpy(cur->key_id, val, sizeof(cur->key_id));
	else if (0 == strcmp(key, "provision_manifest_sha256"))
		str_ncpy(cur->manifest_sha256, val,
			 sizeof(cur->manifest_sha256));
}


int prov_current(const char *local_conf, struct prov_current *cur)
{
	struct mbuf *block;
	char *text = NULL;
	int err;

	if (!local_conf || !cur)
		return EINVAL;

	memset(cur, 0, sizeof(*cur));

	err = read_local_conf(local_conf, &text);
	if (err)
		return err;

	block = mbuf_alloc(512);
	err = block ? split(text, NULL, block) : ENOMEM;
	if (!err)
		err = mbuf_write_u8(block, 0);

	for (char *line = err ? NULL : (char *)block->buf; line && *line; ) {
		char *nl = strchr(line, '\n'), *val;

		if (nl)
			*nl = '\0';

		val = strchr(line, ' ');
		if (val) {
			*val++ = '\0';
			while (*val == ' ' || *val == '\t')
				++val;
			block_value(cur, line, val);
		}

		line = nl ? nl + 1 : NULL;
	}

	cur->provisioned = !err && cur->generation[0];

	mem_deref(block);
	mem_deref(text);

	return err;
}


int prov_highest_read(const char *provision_dir, uint64_t *version,
		      uint8_t digest[32], bool *have)
{
	char path[4096], *text = NULL, *end;
	int err;

	*have = false;
	*version = 0;

	re_snprintf(path, sizeof(path), "%s/highest", provision_dir);
	err = dp_read_file(path, 256, &text, NULL);
	if (err == ENOENT)
		return 0;
	if (err)
		return err;

	*version = strtoull(text, &end, 10);
	if (*end == ' ' && strlen(end + 1) >= 64) {
		for (size_t i = 0; i < 32; i++) {
			char byte[3] = { end[1 + 2 * i], end[2 + 2 * i], 0 };

			digest[i] = (uint8_t)strtoul(byte, NULL, 16);
		}
		*have = true;
	}

	mem_deref(text);

	return 0;
}


int prov_highest(const char *provision_dir, uint64_t *version)
{
	uint8_t digest[32];
	bool have;

	return prov_highest_read(provision_dir, version, digest, &have);
}


int prov_highest_write(const char *provision_dir, uint64_t version,
		       const uint8_t digest[32], const struct prov_io *io)
{
	char path[4096], text[128];
	int n;

	re_snprintf(path, sizeof(path), "%s/highest", provision_dir);
	n = re_snprintf(text, sizeof(text), "%llu %w\n",
			(unsigned long long)version, digest, (size_t)32);
	if (n < 0)
		return EINVAL;

	return prov_write_file(path, text, (size_t)n, io);
}


static int rm_entry(const char *path, const struct stat *st, int flag,
		    struct FTW *ftw)
{
	(void)st;
	(void)ftw;

	if (flag == FTW_DP)
		(void)rmdir(path);
	else
		(void)unlink(path);

	return 0;
}


int prov_rm_tree(const char *path)
{
	if (nftw(path, rm_entry, 8, FTW_DEPTH | FTW_PHYS) < 0)
		return errno;

	return 0;
}


void prov_gen_prune(const char *provision_dir, const char *keep1,
		    const char *keep2)
{
	char dir[4096], path[4096];
	struct dirent *de;
	DIR *d;

	re_snprintf(dir, sizeof(dir), "%s/gen", provision_dir);
	d = opendir(dir);
	if (!d)
		return;

	while ((de = readdir(d)) != NULL) {
		if (0 == strcmp(de->d_name, ".") ||
		    0 == strcmp(de->d_name, ".."))
			continue;
		if ((keep1 && 0 == strcmp(de->d_name, keep1)) ||
		    (keep2 && 0 == strcmp(de->d_name, keep2)))
			continue;

		re_snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		(void)prov_rm_tree(path);
	}

	closedir(d);
}


/* Look in one directory of *.pub files for `key_id`. */
static void trusted_scan(const char *dir, const char *key_id,
			 struct prov_key **kp, unsigned *n)
{
	struct dirent **names = NULL;
	int count;

	count = scandir(dir, &names, NULL, alphasort);

	for (int i = 0; i < count; i++) {
		const char *name = names[i]->d_name;
		size_t len = strlen(name);
		char path[4096], *pem = NULL;
		struct prov_key *k = NULL;
		size_t pemlen = 0;
		struct stat st;

		if (len > 4 && 0 == strcmp(name + len - 4, ".pub") &&
		    *n < MAX_TRUSTED) {
			re_snprintf(path, sizeof(path), "%s/%s", dir, name);
			if (0 == lstat(path, &st) && S_ISREG(st.st_mode) &&
			    0 == dp_read_file(path, PROV_MAX_PUBKEY, &pem,
					      &pemlen) &&
			    0 == prov_key_load_public(&k, pem, pemlen)) {
				++*n;
				if (!*kp && 0 == strcmp(prov_key_id(k), key_id))
					*kp = mem_ref(k);
			}
			mem_deref(k);
			mem_deref(pem);
		}

		free(names[i]);
	}

	free(names);
}


int prov_trusted_find(const struct prov_phone_cfg *cfg, const char *key_id,
		      struct prov_key **kp, unsigned *ntrusted)
{
	char pinned[4096];

	*kp = NULL;
	*ntrusted = 0;

	if (cfg->trusted_keys_dir && *cfg->trusted_keys_dir)
		trusted_scan(cfg->trusted_keys_dir, key_id, kp, ntrusted);

	re_snprintf(pinned, sizeof(pinned), "%s/trusted-keys",
		    cfg->provision_dir);
	trusted_scan(pinned, key_id, kp, ntrusted);

	return 0;
}


int prov_block_make(const char *generation, const char *previous,
		    const char *body, size_t bodylen, char **blockp)
{
	return re_sdprintf(blockp, PROV_BLOCK_BEGIN " (written by deskphone"
			   " provision; edits here are replaced)\n"
			   "provision_generation %s\n"
			   "provision_previous_generation %s\n"
			   "%b"
			   PROV_BLOCK_END "\n",
			   generation, previous ? previous : "",
			   body, bodylen);
}
