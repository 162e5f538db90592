/**
 * @file fuzz_privacylog.c  The privacy rules' readers of what the phone
 *                          wrote: the log purge (stamps, SIP trace
 *                          blocks, objected parties) and the audit log's
 *                          check, on arbitrary files
 *
 * Invariants: every line is either kept or counted removed; after a
 * purge that drops traces and an objected number, no kept line names
 * that number; an audit log made of arbitrary bytes never verifies (it
 * cannot carry this key's MACs).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <re.h>
#include "base/fileutil.h"
#include "privacy/audit/audit.h"
#include "privacy/policy/privacy.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const uint8_t secret[DP_KEY_LEN] = "fuzz-device-secret-0123456789ab";
static char dir[256];


static void put(const char *name, const uint8_t *data, size_t size)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "wb");
	if (!f)
		__builtin_trap();
	if (size && fwrite(data, 1, size, f) != size)
		__builtin_trap();
	fclose(f);
}


int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct dp_privacy_state objected;
	struct dp_log_purge how;
	struct dp_log_report rep;
	struct dp_log_info before;
	struct dp_audit_report ar;
	struct dp_audit *a = NULL;
	char path[512], *text = NULL;
	size_t len = 0, half = size / 2;

	if (!dir[0]) {
		snprintf(dir, sizeof(dir), "%s/dp-fuzz-log.XXXXXX",
			 access("/dev/shm", W_OK) ? "/tmp" : "/dev/shm");
		if (!mkdtemp(dir))
			__builtin_trap();
	}

	/* the two log files: the input cut in two */
	put("deskphone.log.1", data, half);
	put("deskphone.log", data + half, size - half);
	if (dp_logs_info(dir, &before))
		__builtin_trap();

	memset(&objected, 0, sizeof(objected));
	objected.nobjections = 1;
	snprintf(objected.objections[0], DP_OBJECTION_LEN, "0215550101");
	memset(&how, 0, sizeof(how));
	how.cutoff_s = 1798761600;       /* 2027-01-01 */
	how.drop_traces = true;
	how.objections = &objected;
	if (dp_logs_purge(dir, &how, &rep))
		__builtin_trap();
	if (rep.lines_kept + rep.lines_removed != before.lines)
		__builtin_trap();

	snprintf(path, sizeof(path), "%s/deskphone.log", dir);
	if (!dp_read_file(path, size + 1, &text, &len)) {
		for (char *p = text, *e; p < text + len; p = e + 1) {
			e = memchr(p, '\n', (size_t)(text + len - p));
			if (!e)
				e = text + len;
			if (dp_privacy_mentions_objected(&objected, p,
							 (size_t)(e - p)))
				__builtin_trap();
		}
		mem_deref(text);
	}

	/* arbitrary bytes as an audit log (and as its anchor) */
	put("audit.jsonl", data, size);
	put("audit.jsonl.anchor", data + half, size - half);
	snprintf(path, sizeof(path), "%s/audit.jsonl", dir);
	if (dp_audit_open(&a, path, secret))
		__builtin_trap();
	if (0 == dp_audit_verify(a, &ar))
		__builtin_trap();
	mem_deref(a);

	return 0;
}
