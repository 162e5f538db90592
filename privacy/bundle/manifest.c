/**
 * @file manifest.c  manifest.json: writing it, and checking a bundle
 *                   against it while reading
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cjson/cJSON.h>
#include <re.h>
#include "bundle.h"
#include "seal.h"

static const char manifest_name[] = "manifest.json";


static void hex32(const uint8_t h[32], char out[65])
{
	static const char d[] = "0123456789abcdef";

	for (int i = 0; i < 32; i++) {
		out[2 * i] = d[h[i] >> 4];
		out[2 * i + 1] = d[h[i] & 15];
	}
	out[64] = '\0';
}


int dp_bundle_manifest(const struct dp_bundle_file *files, size_t n,
		       const char *created, const char *producer,
		       const char *redaction, struct mbuf *out)
{
	cJSON *root = cJSON_CreateObject(), *arr, *red = NULL;
	char *text = NULL, *rj = NULL;
	int err = ENOMEM;

	if (!root)
		return ENOMEM;

	if (redaction) {
		if (re_sdprintf(&rj, "{%s}", redaction))
			goto out;
		red = cJSON_Parse(rj);
		if (!red) {
			err = EINVAL;
			goto out;
		}
	}

	if (!cJSON_AddStringToObject(root, "format", "deskphone-bundle") ||
	    !cJSON_AddNumberToObject(root, "version", 1) ||
	    !cJSON_AddStringToObject(root, "created", created) ||
	    !cJSON_AddStringToObject(root, "producer", producer))
		goto out;
	if (red) {
		cJSON_AddItemToObject(root, "redaction", red);
		red = NULL;
	}
	arr = cJSON_AddArrayToObject(root, "files");
	if (!arr)
		goto out;

	for (size_t i = 0; i < n; i++) {
		cJSON *f = cJSON_CreateObject();
		char hex[65];

		if (!f)
			goto out;
		cJSON_AddItemToArray(arr, f);
		hex32(files[i].sha256, hex);
		if (!cJSON_AddStringToObject(f, "name", files[i].name) ||
		    !cJSON_AddNumberToObject(f, "size",
					     (double)files[i].size) ||
		    !cJSON_AddStringToObject(f, "sha256", hex))
			goto out;
	}

	text = cJSON_Print(root);
	if (!text)
		goto out;
	err = mbuf_write_str(out, text);
	if (!err)
		err = mbuf_write_u8(out, '\n');

 out:
	cJSON_free(text);
	cJSON_Delete(red);
	cJSON_Delete(root);
	mem_deref(rj);

	return err;
}


/* --- reading ------------------------------------------------------------- */

struct reader {
	int fd;
	struct dp_unsealer *u;
	const char *dir;
	int out;                      /* member being extracted */
	struct dp_bundle_file seen[DP_BUNDLE_MAX_FILES];
	size_t nseen;
	struct mbuf *manifest;
	bool in_manifest, manifest_done;
	struct dp_bundle_report *rep;
};


static int from_file(uint8_t *buf, size_t n, size_t *got, void *arg)
{
	struct reader *rd = arg;

	*got = 0;
	while (*got < n) {
		ssize_t k = read(rd->fd, buf + *got, n - *got);

		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0)
			return errno;
		if (k == 0)
			break;
		*got += (size_t)k;
	}

	return 0;
}


static int from_sealed(uint8_t *buf, size_t n, size_t *got, void *arg)
{
	struct reader *rd = arg;

	return dp_unsealer_read(rd->u, buf, n, got);
}


static int mkdirs_for(const char *path)
{
	char tmp[4096];

	snprintf(tmp, sizeof(tmp), "%s", path);
	for (char *s = strchr(tmp + 1, '/'); s; s = strchr(s + 1, '/')) {
		*s = '\0';
		if (mkdir(tmp, 0700) && errno != EEXIST)
			return errno;
		*s = '/';
	}

	return 0;
}


static int why(struct reader *rd, int err, const char *fmt, const char *name)
{
	snprintf(rd->rep->why, sizeof(rd->rep->why), fmt, name);

	return err;
}


static int on_entry(enum dp_tar_event ev, const char *name, uint64_t size,
		    const uint8_t *p, size_t n, const uint8_t sha256[32],
		    void *arg)
{
	struct reader *rd = arg;
	bool is_manifest = 0 == strcmp(name, manifest_name);

	switch (ev) {

	case DP_TAR_BEGIN:
		if (rd->manifest_done)
			return why(rd, EBADMSG, "%s comes after the manifest",
				   name);
		for (size_t i = 0; i < rd->nseen; i++) {
			if (0 == strcmp(rd->seen[i].name, name))
				return why(rd, EBADMSG, "%s is in it twice",
					   name);
		}
		if (is_manifest) {
			if (size > DP_BUNDLE_MANIFEST_MAX)
				return why(rd, EBADMSG, "%s is too large", name);
			rd->in_manifest = true;
		}
		else if (rd->nseen >= DP_BUNDLE_MAX_FILES) {
			return why(rd, EBADMSG, "too many members (at %s)",
				   name);
		}
		if (rd->dir) {
			char path[4096];
			int err;

			snprintf(path, sizeof(path), "%s/%s", rd->dir, name);
			err = mkdirs_for(path);
			rd->out = err ? -1 : open(path, O_WRONLY | O_CREAT |
						  O_EXCL | O_CLOEXEC, 0600);
			if (rd->out < 0)
				return why(rd, err ? err : errno,
					   "cannot write %s", name);
		}
		return 0;

	case DP_TAR_DATA:
		if (rd->in_manifest && mbuf_write_mem(rd->manifest, p, n))
			return ENOMEM;
		if (rd->out >= 0 && write(rd->out, p, n) != (ssize_t)n)
			return why(rd, errno ? errno : EIO, "cannot write %s",
				   name);
		return 0;

	case DP_TAR_END:
		if (rd->out >= 0) {
			int err = close(rd->out) ? errno : 0;

			rd->out = -1;
			if (err)
				return why(rd, err, "cannot write %s", name);
		}
		if (rd->in_manifest) {
			rd->in_manifest = false;
			rd->manifest_done = true;
			return 0;
		}
		snprintf(rd->seen[rd->nseen].name, sizeof(rd->seen[0].name),
			 "%s", name);
		rd->seen[rd->nseen].size = size;
		memcpy(rd->seen[rd->nseen].sha256, sha256, 32);
		rd->nseen++;
		return 0;
	}

	return 0;
}


static int check_manifest(struct reader *rd)
{
	cJSON *root, *files, *f;
	size_t listed = 0;
	int err = 0;

	if (!rd->manifest_done)
		return why(rd, EBADMSG, "%s is missing", manifest_name);

	root = cJSON_ParseWithLength((const char *)rd->manifest->buf,
				     rd->manifest->end);
	files = root ? cJSON_GetObjectItemCaseSensitive(root, "files") : NULL;
	f = root ? cJSON_GetObjectItemCaseSensitive(root, "format") : NULL;
	if (!cJSON_IsString(f) || strcmp(f->valuestring, "deskphone-bundle") ||
	    !cJSON_IsArray(files)) {
		err = why(rd, EBADMSG, "%s is not a bundle manifest",
			  manifest_name);
		goto out;
	}

	cJSON_ArrayForEach(f, files) {
		cJSON *name = cJSON_GetObjectItemCaseSensitive(f, "name");
		cJSON *size = cJSON_GetObjectItemCaseSensitive(f, "size");
		cJSON *sha = cJSON_GetObjectItemCaseSensitive(f, "sha256");
		const struct dp_bundle_file *s = NULL;
		char hex[65];

		if (!cJSON_IsString(name) || !cJSON_IsNumber(size) ||
		    !cJSON_IsString(sha)) {
			err = why(rd, EBADMSG, "%s lists a member badly",
				  manifest_name);
			goto out;
		}
		for (size_t i = 0; i < rd->nseen; i++) {
			if (0 == strcmp(rd->seen[i].name, name->valuestring))
				s = &rd->seen[i];
		}
		if (!s) {
			err = why(rd, EBADMSG, "%s is listed but missing",
				  name->valuestring);
			goto out;
		}
		hex32(s->sha256, hex);
		if ((double)s->size != size->valuedouble ||
		    strcmp(hex, sha->valuestring)) {
			err = why(rd, EBADMSG, "%s does not match the manifest",
				  name->valuestring);
			goto out;
		}
		listed++;
	}

	if (listed != rd->nseen) {
		for (size_t i = 0; i < rd->nseen; i++) {
			bool found = false;

			cJSON_ArrayForEach(f, files) {
				cJSON *name = cJSON_GetObjectItemCaseSensitive(
					f, "name");

				found |= 0 == strcmp(name->valuestring,
						     rd->seen[i].name);
			}
			if (!found) {
				err = why(rd, EBADMSG, "%s is not in the"
					  " manifest", rd->seen[i].name);
				goto out;
			}
		}
		err = why(rd, EBADMSG, "%s lists a member twice",
			  manifest_name);
	}

 out:
	cJSON_Delete(root);

	return err;
}


int dp_bundle_read(const char *path, const char *key_path, const char *dir,
		   struct dp_bundle_report *rep)
{
	struct reader rd;
	int err;

	memset(rep, 0, sizeof(*rep));
	memset(&rd, 0, sizeof(rd));
	rd.rep = rep;
	rd.dir = dir;
	rd.out = -1;

	rd.fd = open(path, O_RDONLY | O_CLOEXEC);
	if (rd.fd < 0)
		return why(&rd, errno, "cannot open %s", path);
	rd.manifest = mbuf_alloc(4096);
	if (!rd.manifest) {
		err = ENOMEM;
		goto out;
	}

	rep->sealed = dp_seal_is_sealed(rd.fd);
	if (rep->sealed) {
		if (!key_path) {
			err = why(&rd, EACCES, "%s is sealed: the support"
				  " private key is needed (--key)", path);
			goto out;
		}
		err = dp_unsealer_open(&rd.u, rd.fd, key_path);
		if (err == EINVAL) {
			err = why(&rd, EINVAL, "%s is not an X25519 private"
				  " key in PEM", key_path);
			goto out;
		}
		if (err) {
			err = why(&rd, err, "cannot unseal %s", path);
			goto out;
		}
	}

	if (dir && mkdir(dir, 0700)) {
		err = why(&rd, errno, "cannot create %s (it must not exist)",
			  dir);
		goto out;
	}

	err = dp_tar_read(rep->sealed ? from_sealed : from_file, &rd,
			  on_entry, &rd);
	if (err == EACCES)
		why(&rd, err, "%s was not sealed to this key, or it was"
		    " altered", path);
	else if (err && !rep->why[0])
		why(&rd, err, "%s is damaged or not a bundle", path);
	if (!err)
		err = check_manifest(&rd);

	rep->files = rd.nseen;
	for (size_t i = 0; i < rd.nseen; i++)
		rep->bytes += rd.seen[i].size;

 out:
	if (rd.out >= 0)
		close(rd.out);
	mem_deref(rd.u);
	mem_deref(rd.manifest);
	close(rd.fd);

	return err;
}
