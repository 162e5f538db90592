/**
 * @file json.h  JSON strings for the replies our modules print
 */
#ifndef DESKPHONE_JSON_H
#define DESKPHONE_JSON_H

struct re_printf;

/* Print `str` (a const char *, or NULL for null) as a quoted JSON
 * string, escaping what JSON requires: use with %H, or call directly. */
int dp_json_str(struct re_printf *pf, void *str);

#endif
