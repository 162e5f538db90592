/**
 * @file run_accounts.c  The accounts-file check `deskphone run` does
 *                       before it starts anything
 *
 * Kept apart from run_plan.c so that the fuzz harness links it alone.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "run.h"


static bool account_line_ok(const char *line, const char **why)
{
	const char *p = line, *lt, *gt;

	if (*p == '"') {
		p = strchr(p + 1, '"');
		if (!p) {
			*why = "display name has no closing quote";
			return false;
		}
		++p;
		while (*p == ' ' || *p == '\t')
			++p;
	}

	lt = p;
	if (*lt != '<') {
		*why = "expected <sip:user@domain> (optionally after a"
			" quoted display name)";
		return false;
	}

	gt = strchr(lt, '>');
	if (!gt) {
		*why = "address has no closing >";
		return false;
	}

	if (strncmp(lt + 1, "sip:", 4) && strncmp(lt + 1, "sips:", 5)) {
		*why = "address must be a sip: or sips: URI";
		return false;
	}

	if (!memchr(lt, '@', (size_t)(gt - lt))) {
		*why = "address has no user@domain";
		return false;
	}

	for (p = gt + 1; *p; p++) {
		if (*p == '\t' || *p == ' ')
			continue;
		if (iscntrl((unsigned char)*p)) {
			*why = "control character after the address";
			return false;
		}
	}

	return true;
}


int run_check_accounts(const char *path, const char *text)
{
	unsigned lineno = 0, naccounts = 0;
	const char *line = text;

	while (line && *line) {
		const char *nl = strchr(line, '\n');
		size_t len = nl ? (size_t)(nl - line) : strlen(line);
		char buf[2048];
		const char *p, *why = NULL;

		++lineno;

		if (len >= sizeof(buf)) {
			fprintf(stderr, "deskphone: %s:%u: line too long\n",
				path, lineno);
			return EINVAL;
		}

		memcpy(buf, line, len);
		buf[len] = '\0';
		if (len && buf[len - 1] == '\r')
			buf[len - 1] = '\0';

		for (p = buf; *p == ' ' || *p == '\t'; p++)
			;

		if (*p && *p != '#') {
			if (!account_line_ok(p, &why)) {
				/* The line may hold a password: never echo it. */
				fprintf(stderr, "deskphone: %s:%u: %s\n", path,
					lineno, why);
				return EINVAL;
			}
			++naccounts;
		}

		line = nl ? nl + 1 : NULL;
	}

	if (naccounts == 0)
		fprintf(stderr, "deskphone: note: %s has no account; the"
			" phone will not register\n", path);

	return 0;
}
