/**
 * @file audit_verify.c  `dp-audit-verify FILE`: check an audit log's hash
 *                       chain; prints the number of records
 */
#include <stdio.h>
#include <string.h>
#include "privacy/audit/audit.h"


int main(int argc, char **argv)
{
	unsigned count = 0, bad = 0;
	int err;

	if (argc != 2) {
		fprintf(stderr, "usage: dp-audit-verify FILE\n");
		return 2;
	}

	err = dp_audit_verify(argv[1], &count, &bad);
	if (err) {
		fprintf(stderr, "%s: %s (record %u)\n", argv[1], strerror(err),
			bad);
		return 1;
	}
	printf("%u\n", count);

	return 0;
}
