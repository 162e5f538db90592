/**
 * @file result.c  Outcomes: their names, their JSON (the result file on
 *                 the stick, last-result.json, the status)
 */
#include <string.h>
#include <re.h>
#include "base/fileutil.h"
#include "prov_int.h"


const char *prov_result_name(enum prov_result r)
{
	switch (r) {

	case PROV_APPLIED:   return "applied";
	case PROV_UNCHANGED: return "unchanged";
	case PROV_REFUSED:   return "refused";
	case PROV_PENDING:   return "pending";
	default:             return "?";
	}
}


const char *prov_step_name(enum prov_step step)
{
	switch (step) {

	case PROV_STEP_READING:   return "reading";
	case PROV_STEP_VERIFYING: return "verifying";
	case PROV_STEP_CHECKING:  return "checking";
	case PROV_STEP_SAVING:    return "saving";
	case PROV_STEP_DONE:      return "done";
	default:                  return "?";
	}
}


int prov_outcome_json(const struct prov_outcome *o, struct mbuf *mb)
{
	cJSON *root = cJSON_CreateObject();
	char *text;
	bool ok = true;
	int err;

	if (!root)
		return ENOMEM;

	ok &= NULL != cJSON_AddStringToObject(root, "phone", o->phone_id);
	ok &= NULL != cJSON_AddStringToObject(root, "result",
					      prov_result_name(o->result));
	ok &= NULL != cJSON_AddStringToObject(root, "reason", o->reason);
	ok &= NULL != cJSON_AddNumberToObject(root, "version",
					      (double)o->version);
	ok &= NULL != cJSON_AddNumberToObject(root, "previous_version",
					      (double)o->previous_version);
	ok &= NULL != cJSON_AddStringToObject(root, "site", o->site);
	ok &= NULL != cJSON_AddStringToObject(root, "time", o->time);
	ok &= NULL != cJSON_AddStringToObject(root, "firmware", DP_VERSION);

	text = ok ? cJSON_PrintUnformatted(root) : NULL;
	cJSON_Delete(root);
	if (!text)
		return ENOMEM;

	err = mbuf_write_str(mb, text);
	cJSON_free(text);

	return err;
}


void prov_save_last(const char *provision_dir, const struct prov_outcome *o)
{
	struct mbuf *mb = mbuf_alloc(PROV_RESULT_SIZE);
	char path[4096];

	if (!mb)
		return;

	if (0 == prov_outcome_json(o, mb) && 0 == mbuf_write_u8(mb, '\n')) {
		re_snprintf(path, sizeof(path), "%s/last-result.json",
			    provision_dir);
		(void)dp_write_atomic(path, mb->buf, mb->end, 0600);
	}

	mem_deref(mb);
}


int prov_last_result(const char *provision_dir, char **jsonp)
{
	char path[4096];

	re_snprintf(path, sizeof(path), "%s/last-result.json", provision_dir);

	return dp_read_file(path, 64 * 1024, jsonp, NULL);
}
