/**
 * @file export.c  What the phone holds about its user: the export (every
 *                 item, per class, with purpose and retention) and the
 *                 status (counts only)
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include <cjson/cJSON.h>
#include <re.h>
#include "base/fileutil.h"
#include "base/json.h"
#include "privacy/audit/audit.h"
#include "contacts.h"
#include "priv.h"

#define DAY_S 86400LL


static const char *iso_ms(int64_t ms, char *buf, size_t sz)
{
	if (!ms) {
		buf[0] = '\0';
		return buf;
	}

	return priv_iso(ms / 1000, buf, sz);
}


static cJSON *class_object(cJSON *classes, const struct dp_policy *pol,
			   enum dp_class c)
{
	const struct dp_class_policy *cp = &pol->cls[c];
	cJSON *o = cJSON_AddObjectToObject(classes, dp_class_name(c));

	if (!o)
		return NULL;
	cJSON_AddStringToObject(o, "purpose", cp->purpose);
	cJSON_AddStringToObject(o, "holds", cp->holds);
	cJSON_AddNumberToObject(o, "retention_days", cp->days);
	cJSON_AddStringToObject(o, "retention_set_by", cp->origin);

	return o;
}


/* --- call records and the history ----------------------------------------- */

struct records {
	cJSON *all, *personal;
	uint64_t n, npersonal;
};


static int export_record(const struct cdr_record *r, void *arg)
{
	struct records *x = arg;
	char a[32], b[32], c[32];
	cJSON *o = cJSON_CreateObject();

	if (!o)
		return ENOMEM;
	cJSON_AddNumberToObject(o, "seq", (double)r->seq);
	cJSON_AddStringToObject(o, "start", iso_ms(r->start_ms, a, sizeof(a)));
	if (r->answer_ms)
		cJSON_AddStringToObject(o, "answer",
					iso_ms(r->answer_ms, b, sizeof(b)));
	else
		cJSON_AddNullToObject(o, "answer");
	cJSON_AddStringToObject(o, "end", iso_ms(r->end_ms, c, sizeof(c)));
	cJSON_AddNumberToObject(o, "duration_s", r->duration_s);
	cJSON_AddStringToObject(o, "direction", cdr_direction_name(r->dir));
	cJSON_AddStringToObject(o, "result", cdr_result_name(r->result));
	cJSON_AddNumberToObject(o, "sip_status", r->sip_status);
	cJSON_AddStringToObject(o, "codec", r->codec);
	cJSON_AddBoolToObject(o, "personal_fields_held", !r->personal_erased);
	cJSON_AddItemToArray(x->all, o);
	x->n++;

	if (!r->personal_erased) {
		o = cJSON_CreateObject();
		if (!o)
			return ENOMEM;
		cJSON_AddNumberToObject(o, "seq", (double)r->seq);
		cJSON_AddStringToObject(o, "local_uri", r->local_uri);
		cJSON_AddStringToObject(o, "remote_uri", r->remote_uri);
		cJSON_AddStringToObject(o, "remote_name", r->remote_name);
		cJSON_AddItemToArray(x->personal, o);
		x->npersonal++;
	}

	return 0;
}


static int open_reader(struct dp_privacy *p, struct cdr_store **stp)
{
	struct cdr_store_params prm = { .path = p->store, .secret = p->secret,
					.readonly = true };

	*stp = NULL;
	if (!p->store)
		return ENOENT;

	return cdr_store_open(stp, &prm);
}


int dp_privacy_history_view(struct dp_privacy *p,
			    const struct dp_clock_sample *s,
			    struct dp_history_view *v)
{
	int64_t T = dp_privacy_now(p, s);

	(void)dp_privacy_reload(p);
	memset(v, 0, sizeof(*v));
	v->restricted = p->state.restricted;
	v->cutoff_ms = (T - (int64_t)p->policy.cls[DP_CLASS_CALL_HISTORY].days
			* DAY_S) * 1000;
	v->cleared_seq = p->state.history_cleared_seq;
	v->generation = p->state.generation;

	return 0;
}


static const char *history_kind(const struct dp_history_entry *e)
{
	if (e->dir == CDR_DIR_OUTGOING)
		return "placed";

	return e->result == CDR_ANSWERED ? "received" : "missed";
}


enum { HISTORY_MAX = 1000 };

static int history_items(struct dp_privacy *p, const struct dp_history_view
			 *v, cJSON *items, size_t *n)
{
	struct dp_history_entry *e;
	int err;

	*n = 0;
	if (!p->store)
		return 0;

	e = calloc(HISTORY_MAX, sizeof(*e));
	if (!e)
		return ENOMEM;

	err = dp_history_read(p->store, p->secret, v, HISTORY_MAX, e, n);
	for (size_t i = 0; !err && items && i < *n; i++) {
		cJSON *o = cJSON_CreateObject();
		char t[32];

		if (!o) {
			err = ENOMEM;
			break;
		}
		cJSON_AddNumberToObject(o, "seq", (double)e[i].seq);
		cJSON_AddStringToObject(o, "start",
					iso_ms(e[i].start_ms, t, sizeof(t)));
		cJSON_AddStringToObject(o, "kind", history_kind(&e[i]));
		if (e[i].erased) {
			cJSON_AddNullToObject(o, "number");
			cJSON_AddNullToObject(o, "name");
		}
		else {
			cJSON_AddStringToObject(o, "number", e[i].number);
			cJSON_AddStringToObject(o, "name", e[i].name);
		}
		cJSON_AddItemToArray(items, o);
	}

	dp_wipe(e, HISTORY_MAX * sizeof(*e));
	free(e);

	return err == ENOENT ? 0 : err;
}


/* --- logs ------------------------------------------------------------------ */

/* Credentials never leave the phone, not even to their owner: values
 * after these are replaced. */
static void mask_secrets(char *line)
{
	static const char *const keys[] = {
		"auth_pass=", "password=", "passwd=", "secret=", "response=",
		"response=\"",
	};
	const char *hdr[] = { "Authorization:", "Proxy-Authorization:" };
	char *text = line;

	/* a stamp in front */
	if (strlen(text) > 21 && text[19] == 'Z' && text[20] == ' ')
		text += 21;
	for (size_t i = 0; i < 2; i++) {
		size_t k = strlen(hdr[i]);

		if (!strncasecmp(text, hdr[i], k)) {
			snprintf(text + k, strlen(text + k) + 1, "%s",
				 strlen(text + k) >= 9 ? " <secret>" : "");
			return;
		}
	}

	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		size_t k = strlen(keys[i]);

		for (char *p = line; (p = strcasestr(p, keys[i])); p += k) {
			char *v = p + k, *e = v;

			while (*e && !strchr(";, \t\"'>&", *e))
				e++;
			if (e - v >= 8) {
				memcpy(v, "<secret>", 8);
				memmove(v + 8, e, strlen(e) + 1);
			}
		}
	}
}


static int log_file(const char *dir, const char *name, cJSON *items,
		    uint64_t *lines)
{
	char path[4096], *text = NULL;
	size_t len = 0;
	cJSON *o, *arr;
	int fd, err;

	re_snprintf(path, sizeof(path), "%s/%s", dir, name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return errno == ENOENT ? 0 : errno;
	err = dp_read_fd(fd, priv_log_read_max(fd), &text, &len);
	close(fd);
	if (err)
		return err;

	o = cJSON_CreateObject();
	arr = o ? cJSON_AddArrayToObject(o, "lines") : NULL;
	if (!arr) {
		cJSON_Delete(o);
		mem_deref(text);
		return ENOMEM;
	}
	cJSON_AddStringToObject(o, "file", name);
	cJSON_AddNumberToObject(o, "bytes", (double)len);

	for (char *p = text; p < text + len; ) {
		char *nl = memchr(p, '\n', (size_t)(text + len - p));

		if (nl)
			*nl = '\0';
		mask_secrets(p);
		cJSON_AddItemToArray(arr, cJSON_CreateString(p));
		(*lines)++;
		p = nl ? nl + 1 : text + len;
	}
	cJSON_AddItemToArray(items, o);

	dp_wipe(text, len);
	mem_deref(text);

	return 0;
}


/* --- contacts -------------------------------------------------------------- */

static int export_contact(const struct pl *name, const struct pl *uri,
			  void *arg)
{
	cJSON *o = cJSON_CreateObject();
	char n[128], u[256];

	if (!o)
		return ENOMEM;
	(void)pl_strcpy(name, n, sizeof(n));
	(void)pl_strcpy(uri, u, sizeof(u));
	cJSON_AddStringToObject(o, "name", n);
	cJSON_AddStringToObject(o, "uri", u);
	cJSON_AddItemToArray(arg, o);

	return 0;
}


static void files_class(cJSON *o, const char *dir)
{
	uint64_t n = priv_count_dir(dir);

	cJSON_AddNumberToObject(o, "count", (double)n);
	cJSON_AddItemToObject(o, "items", cJSON_CreateArray());
	cJSON_AddStringToObject(o, "note", n ? "files held: listed by count"
				" only" : "none held");
}


int dp_privacy_export(struct dp_privacy *p, const struct dp_clock_sample *s,
		      struct mbuf *out)
{
	const struct dp_policy *pol = &p->policy;
	struct dp_history_view v;
	struct dp_audit_report ar;
	struct records x = { 0 };
	struct cdr_store *st = NULL;
	cJSON *root, *classes, *o, *items;
	char t[32];
	uint64_t lines = 0;
	size_t n = 0;
	char *text;
	int err = 0, aerr;

	(void)dp_privacy_reload(p);
	root = cJSON_CreateObject();
	if (!root)
		return ENOMEM;

	cJSON_AddStringToObject(root, "format", "deskphone-privacy-export");
	cJSON_AddNumberToObject(root, "version", 1);
	cJSON_AddStringToObject(root, "created",
				priv_iso(dp_privacy_now(p, s), t, sizeof(t)));
	cJSON_AddBoolToObject(root, "restricted", p->state.restricted);
	cJSON_AddBoolToObject(root, "legal_hold", p->state.legal_hold);
	classes = cJSON_AddObjectToObject(root, "classes");

	/* call records, and their personal fields apart */
	x.all = cJSON_CreateArray();
	x.personal = cJSON_CreateArray();
	err = open_reader(p, &st);
	if (!err)
		err = cdr_store_foreach(st, export_record, &x, NULL);
	cdr_store_close(st);
	if (err == ENOENT)
		err = 0;
	o = class_object(classes, pol, DP_CLASS_CALL_RECORDS);
	cJSON_AddNumberToObject(o, "count", (double)x.n);
	cJSON_AddItemToObject(o, "items", x.all);
	o = class_object(classes, pol, DP_CLASS_CALL_RECORD_PERSONAL);
	cJSON_AddNumberToObject(o, "count", (double)x.npersonal);
	cJSON_AddItemToObject(o, "items", x.personal);

	/* the history as the display would list it (also while the
	 * display refuses to: this is the person's own access) */
	o = class_object(classes, pol, DP_CLASS_CALL_HISTORY);
	items = cJSON_AddArrayToObject(o, "items");
	if (!err) {
		(void)dp_privacy_history_view(p, s, &v);
		v.restricted = false;
		err = history_items(p, &v, items, &n);
	}
	cJSON_AddNumberToObject(o, "count", (double)n);
	cJSON_AddBoolToObject(o, "shown_on_display", !p->state.restricted);

	o = class_object(classes, pol, DP_CLASS_SIP_TRACES_AND_LOGS);
	items = cJSON_AddArrayToObject(o, "items");
	if (!err && p->log_dir)
		err = log_file(p->log_dir, "deskphone.log.1", items, &lines);
	if (!err && p->log_dir)
		err = log_file(p->log_dir, "deskphone.log", items, &lines);
	cJSON_AddNumberToObject(o, "count", (double)lines);

	o = class_object(classes, pol, DP_CLASS_CONTACTS_CACHE);
	items = cJSON_AddArrayToObject(o, "items");
	if (!err)
		err = dp_contacts_foreach(p->contacts_file ? p->contacts_file :
					  p->shipped_contacts, export_contact,
					  items, &n);
	cJSON_AddNumberToObject(o, "count", (double)n);
	if (p->shipped_contacts)
		cJSON_AddStringToObject(o, "note", "the directory shipped with"
					" the firmware's configuration: not a"
					" cache, not purged");

	files_class(class_object(classes, pol, DP_CLASS_RECORDINGS_VOICEMAIL),
		    p->recordings_dir);
	files_class(class_object(classes, pol, DP_CLASS_PUSH_REGISTRATION),
		    p->push_dir);

	items = cJSON_AddArrayToObject(root, "do_not_record");
	for (size_t i = 0; i < p->state.nobjections; i++)
		cJSON_AddItemToArray(items,
				     cJSON_CreateString(p->state.objections[i]));

	aerr = dp_audit_verify(p->audit, &ar);
	o = cJSON_AddObjectToObject(root, "audit_log");
	cJSON_AddNumberToObject(o, "records", ar.records);
	cJSON_AddBoolToObject(o, "verified", !aerr);

	text = err ? NULL : cJSON_Print(root);
	cJSON_Delete(root);
	if (!err && !text)
		err = ENOMEM;
	if (!err)
		err = mbuf_printf(out, "%s\n", text);
	if (!err)
		(void)priv_audit(p, s, "export", "\"call_records\":%" PRIu64
				 ",\"log_lines\":%" PRIu64 ",\"bytes\":%zu",
				 x.n, lines, strlen(text) + 1);
	if (text) {
		dp_wipe(text, strlen(text));
		cJSON_free(text);
	}

	return err;
}


/* --- status: counts only -------------------------------------------------- */

int dp_privacy_summary(struct dp_privacy *p, const struct dp_clock_sample *s,
		       bool brief, struct dp_privacy_summary *sum)
{
	const struct dp_policy *pol = &p->policy;
	struct cdr_store_info info;
	struct dp_history_view v;
	struct dp_log_info li;
	struct cdr_store *st = NULL;
	size_t n = 0;
	int err;

	memset(sum, 0, sizeof(*sum));
	(void)dp_privacy_reload(p);
	memset(&info, 0, sizeof(info));
	err = open_reader(p, &st);
	if (!err)
		err = cdr_store_info(st, &info);
	cdr_store_close(st);
	sum->held[DP_CLASS_CALL_RECORDS] = info.records;
	sum->oldest_s[DP_CLASS_CALL_RECORDS] = info.records ?
		info.oldest_ms / 1000 : 0;
	sum->held[DP_CLASS_CALL_RECORD_PERSONAL] = info.records -
		info.personal_erased;

	if (!brief) {
		(void)dp_privacy_history_view(p, s, &v);
		v.restricted = false;
		(void)history_items(p, &v, NULL, &n);
		sum->held[DP_CLASS_CALL_HISTORY] = n;
	}

	if (!dp_logs_info(p->log_dir, &li)) {
		sum->held[DP_CLASS_SIP_TRACES_AND_LOGS] = li.lines;
		sum->oldest_s[DP_CLASS_SIP_TRACES_AND_LOGS] = li.oldest_s;
	}
	(void)dp_contacts_foreach(p->contacts_file, NULL, NULL, &n);
	sum->held[DP_CLASS_CONTACTS_CACHE] = p->contacts_file ? n : 0;
	sum->held[DP_CLASS_RECORDINGS_VOICEMAIL] =
		priv_count_dir(p->recordings_dir);
	sum->held[DP_CLASS_PUSH_REGISTRATION] = priv_count_dir(p->push_dir);

	for (int i = 0; i < DP_CLASS_COUNT; i++)
		sum->retention_days[i] = pol->cls[i].days;
	sum->restricted = p->state.restricted;
	sum->legal_hold = p->state.legal_hold;

	return 0;
}


int dp_privacy_status(struct dp_privacy *p, const struct dp_clock_sample *s,
		      bool brief, struct mbuf *out)
{
	const struct dp_policy *pol = &p->policy;
	struct dp_privacy_summary sum;
	struct dp_audit_report ar;
	int64_t T = dp_privacy_now(p, s);
	char a[32], b[32];
	int err, aerr;

	(void)dp_privacy_summary(p, s, brief, &sum);

	memset(&ar, 0, sizeof(ar));
	aerr = brief ? 0 : dp_audit_verify(p->audit, &ar);

	err = mbuf_printf(out, "{\"trusted_time\":\"%s\",\"wall_clock\":"
			  "\"%s\",\"clock_synced\":%s,\"restricted\":%s,"
			  "\"legal_hold\":%s,\"do_not_record\":%zu,"
			  "\"last_purge\":\"%s\",\"purge_interval_s\":%u,"
			  "\"state_readable\":%s,\"policy_errors\":%H,"
			  "\"classes\":{",
			  priv_iso(T, a, sizeof(a)),
			  priv_iso(s->wall_s, b, sizeof(b)),
			  s->synced ? "true" : "false",
			  p->state.restricted ? "true" : "false",
			  p->state.legal_hold ? "true" : "false",
			  p->state.nobjections,
			  p->state.last_purge_s ? priv_iso(p->state.last_purge_s,
							    a, sizeof(a)) : "",
			  pol->purge_interval_s,
			  p->state_err ? "false" : "true",
			  dp_json_str, pol->errors);

	for (int i = 0; i < DP_CLASS_COUNT && !err; i++) {
		err = mbuf_printf(out, "%s\"%s\":{\"held\":%llu,\"oldest\":"
				  "\"%s\",\"retention_days\":%u,"
				  "\"erase_before\":\"%s\",\"set_by\":%H}",
				  i ? "," : "", dp_class_name(i),
				  (unsigned long long)sum.held[i],
				  sum.oldest_s[i] ?
				  priv_iso(sum.oldest_s[i], a, sizeof(a)) : "",
				  pol->cls[i].days,
				  priv_iso(T - (int64_t)pol->cls[i].days *
					   DAY_S, b, sizeof(b)),
				  dp_json_str, pol->cls[i].origin);
	}
	if (!err && brief)
		err = mbuf_printf(out, "}}\n");
	else if (!err)
		err = mbuf_printf(out, "},\"audit_log\":{\"records\":%u,"
				  "\"verified\":%s,\"problem\":%H}}\n",
				  ar.records, aerr ? "false" : "true",
				  dp_json_str, aerr == ENOENT ? "" :
				  ar.why);

	return err;
}
