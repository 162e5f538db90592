/**
 * @file prefix.c  Time stamps in front of log lines
 *
 * Only exact time-stamp shapes are recognised (a looser rule would keep
 * an address that follows a time as if it were part of it):
 *   2026-11-30T08:11:25Z, 2026-11-30 08:11:25.123+02:00, 2026/11/30 ...,
 *   08:11:25.123, "Nov 30 08:11:25" (syslog, a host name follows),
 * each optionally in [brackets], followed by one blank.
 */
#include <string.h>
#include "rd.h"


static bool digits(const char *p, size_t n, size_t i, size_t k)
{
	if (i + k > n)
		return false;
	for (size_t j = i; j < i + k; j++) {
		if (!rd_digit((unsigned char)p[j]))
			return false;
	}

	return true;
}


/* hh:mm:ss[.frac][Z|+hh:mm|+hhmm]; returns the end or 0 */
static size_t time_at(const char *p, size_t n, size_t i)
{
	if (!digits(p, n, i, 2) || i + 8 > n || p[i + 2] != ':' ||
	    !digits(p, n, i + 3, 2) || p[i + 5] != ':' ||
	    !digits(p, n, i + 6, 2))
		return 0;
	i += 8;
	if (i + 1 < n && (p[i] == '.' || p[i] == ',') &&
	    rd_digit((unsigned char)p[i + 1])) {
		i++;
		while (i < n && rd_digit((unsigned char)p[i]))
			i++;
	}
	if (i < n && p[i] == 'Z') {
		i++;
	}
	else if (i < n && (p[i] == '+' || p[i] == '-') &&
		 digits(p, n, i + 1, 2)) {
		size_t j = i + 3;

		if (j < n && p[j] == ':')
			j++;
		if (digits(p, n, j, 2))
			i = j + 2;
	}

	return i;
}


static size_t date_at(const char *p, size_t n, size_t i)
{
	char sep;

	if (!digits(p, n, i, 4) || i + 10 > n)
		return 0;
	sep = p[i + 4];
	if ((sep != '-' && sep != '/') || !digits(p, n, i + 5, 2) ||
	    p[i + 7] != sep || !digits(p, n, i + 8, 2))
		return 0;
	i += 10;
	if (i < n && (p[i] == 'T' || p[i] == ' '))
		return time_at(p, n, i + 1);

	return 0;
}


static size_t syslog_at(const char *p, size_t n, size_t i)
{
	static const char months[] = "JanFebMarAprMayJunJulAugSepOctNovDec";

	if (i + 15 > n)
		return 0;
	for (size_t m = 0; m < 12; m++) {
		if (0 == memcmp(p + i, months + 3 * m, 3))
			goto month;
	}
	return 0;

 month:
	i += 3;
	if (p[i] != ' ')
		return 0;
	i++;
	if (p[i] == ' ')
		i++;
	if (!rd_digit((unsigned char)p[i]))
		return 0;
	i++;
	if (rd_digit((unsigned char)p[i]))
		i++;
	if (i >= n || p[i] != ' ')
		return 0;

	return time_at(p, n, i + 1);
}


size_t rd_prefix(const char *p, size_t n, bool *syslog)
{
	size_t i = 0, e;
	bool bracket = false;

	*syslog = false;
	if (n && p[0] == '[') {
		bracket = true;
		i++;
	}

	if ((e = date_at(p, n, i)) || (e = time_at(p, n, i))) {
		;
	}
	else if ((e = syslog_at(p, n, i))) {
		*syslog = !bracket;
	}
	else {
		return 0;
	}

	if (bracket) {
		if (e >= n || p[e] != ']')
			return 0;
		e++;
	}
	if (e < n && !rd_space((unsigned char)p[e]))
		return 0;

	/* one blank belongs to the stamp; more would be the line's own
	 * (a folded SIP header starts with a blank) */
	return e < n ? e + 1 : e;
}
