/**
 * @file command.c  Other modules' baresip commands, and the few values
 *                  the UI reads from their JSON answers
 *
 * The UI links to no other module (baresip opens modules RTLD_LOCAL):
 * what it asks of the privacy, provisioning and audio modules goes
 * through cmd_process_long(), as the control socket's `cmd` does.
 */
#include <stdlib.h>
#include <string.h>
#include "ui.h"


static int to_mbuf(const char *p, size_t size, void *arg)
{
	return mbuf_write_mem(arg, (const uint8_t *)p, size);
}


int ui_command(const char *text, char **outp)
{
	struct mbuf *mb = mbuf_alloc(256);
	struct re_printf pf = { to_mbuf, mb };
	int err;

	if (outp)
		*outp = NULL;
	if (!mb)
		return ENOMEM;

	err = cmd_process_long(baresip_commands(), text, strlen(text), &pf,
			       NULL);
	if (!err && outp) {
		err = mbuf_write_u8(mb, 0);
		if (!err) {
			mb->pos = 0;
			err = mbuf_strdup(mb, outp, mb->end);
		}
	}
	mem_deref(mb);

	return err;
}


/* Where the value after `"key":` starts in `json`, or NULL. */
static const char *after(const char *json, const char *key)
{
	char pat[80];
	const char *p;

	re_snprintf(pat, sizeof(pat), "\"%s\":", key);
	p = json ? strstr(json, pat) : NULL;

	return p ? p + strlen(pat) : NULL;
}


bool ui_json_str(const char *json, const char *key, char *out, size_t sz)
{
	const char *p = after(json, key), *e;
	size_t n;

	if (!p || *p != '"' || !sz)
		return false;
	p++;
	for (e = p; *e && *e != '"'; e++) {
		if (*e == '\\' && e[1])
			e++;
	}
	n = (size_t)(e - p) < sz - 1 ? (size_t)(e - p) : sz - 1;
	memcpy(out, p, n);
	out[n] = '\0';

	return true;
}


bool ui_json_num(const char *json, const char *key, uint64_t *v)
{
	const char *p = after(json, key);

	if (!p || *p < '0' || *p > '9')
		return false;
	*v = strtoull(p, NULL, 10);

	return true;
}


bool ui_json_true(const char *json, const char *key)
{
	const char *p = after(json, key);

	return p && !strncmp(p, "true", 4);
}
