/**
 * @file json.c  JSON strings for the replies our modules print
 */
#include <re.h>
#include "json.h"


int dp_json_str(struct re_printf *pf, void *str)
{
	const char *s = str;
	int err = 0;

	if (!s)
		return re_hprintf(pf, "null");

	err = re_hprintf(pf, "\"");

	for (const unsigned char *p = (const unsigned char *)s; *p && !err;
	     ++p) {
		switch (*p) {

		case '"':  err = re_hprintf(pf, "\\\""); break;
		case '\\': err = re_hprintf(pf, "\\\\"); break;
		case '\n': err = re_hprintf(pf, "\\n");  break;
		case '\r': err = re_hprintf(pf, "\\r");  break;
		case '\t': err = re_hprintf(pf, "\\t");  break;
		default:
			if (*p < 0x20)
				err = re_hprintf(pf, "\\u%04x", *p);
			else
				err = re_hprintf(pf, "%c", *p);
			break;
		}
	}

	return err ? err : re_hprintf(pf, "\"");
}
