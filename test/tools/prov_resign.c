/**
 * @file prov_resign.c  dp-prov-resign: sign a stick whose files a test
 *                      edited, so that the phone gets past the signature
 *                      and meets the bad content itself
 *
 *   dp-prov-resign KEY STICK [VERSION]
 *
 * The manifest is read leniently (it may hold what the phone refuses);
 * every listed file that exists in the stick folder gets its size and
 * SHA-256 recomputed; VERSION replaces the version.  Not an installer
 * tool: it signs whatever it finds.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cjson/cJSON.h>
#include <re.h>
#include "base/fileutil.h"
#include "provision/prov_int.h"
#include "privacy/crypto/crypto.h"


static int rehash(const char *folder, cJSON *files)
{
	for (cJSON *f = files ? files->child : NULL; f; f = f->next) {
		char path[8300], *data = NULL, sha[65];
		uint8_t digest[32];
		size_t len = 0;

		if (!f->string || strstr(f->string, ".."))
			continue;

		snprintf(path, sizeof(path), "%s/%s", folder, f->string);
		if (dp_read_file(path, 64 * 1024 * 1024, &data, &len))
			continue;

		dp_sha256(data, len, digest);
		re_snprintf(sha, sizeof(sha), "%w", digest, sizeof(digest));
		mem_deref(data);

		cJSON_DeleteItemFromObjectCaseSensitive(f, "size");
		cJSON_DeleteItemFromObjectCaseSensitive(f, "sha256");
		cJSON_AddNumberToObject(f, "size", (double)len);
		cJSON_AddStringToObject(f, "sha256", sha);
	}

	return 0;
}


int main(int argc, char **argv)
{
	char folder[4096], path[4200], *text = NULL, *out, *sigtext = NULL;
	struct prov_key *key = NULL;
	struct prov_sig sig;
	cJSON *root;
	FILE *f;

	if (argc < 3 || argc > 4) {
		fprintf(stderr, "usage: dp-prov-resign KEY STICK [VERSION]\n");
		return 2;
	}

	if (prov_key_load_private(&key, argv[1])) {
		fprintf(stderr, "dp-prov-resign: %s: not a signing key\n",
			argv[1]);
		return 1;
	}

	snprintf(folder, sizeof(folder), "%s/%s", argv[2], PROV_FOLDER);
	snprintf(path, sizeof(path), "%s/manifest.json", folder);
	if (dp_read_file(path, PROV_MAX_MANIFEST, &text, NULL) ||
	    !(root = cJSON_Parse(text))) {
		fprintf(stderr, "dp-prov-resign: %s: unreadable\n", path);
		return 1;
	}
	mem_deref(text);

	rehash(folder, cJSON_GetObjectItemCaseSensitive(root, "files"));
	if (argc == 4) {
		cJSON_DeleteItemFromObjectCaseSensitive(root, "version");
		cJSON_AddNumberToObject(root, "version", atof(argv[3]));
	}

	out = cJSON_Print(root);
	cJSON_Delete(root);

	memset(&sig, 0, sizeof(sig));
	str_ncpy(sig.key_id, prov_key_id(key), sizeof(sig.key_id));
	if (!out || prov_sign(key, out, strlen(out), sig.sig) ||
	    prov_sig_print(&sig, &sigtext)) {
		fprintf(stderr, "dp-prov-resign: cannot sign\n");
		return 1;
	}

	f = fopen(path, "w");
	if (!f || fputs(out, f) < 0 || fclose(f)) {
		fprintf(stderr, "dp-prov-resign: cannot write %s\n", path);
		return 1;
	}
	snprintf(path, sizeof(path), "%s/manifest.sig", folder);
	f = fopen(path, "w");
	if (!f || fputs(sigtext, f) < 0 || fclose(f)) {
		fprintf(stderr, "dp-prov-resign: cannot write %s\n", path);
		return 1;
	}

	cJSON_free(out);
	mem_deref(sigtext);
	mem_deref(key);

	return 0;
}
