/**
 * @file audit_verify.c  `dp-audit-verify FILE SECRETFILE`: check an audit
 *                       log's chain, MACs and anchor; prints the number
 *                       of records
 */
#include <stdio.h>
#include <string.h>
#include <re.h>
#include "privacy/audit/audit.h"
#include "privacy/crypto/crypto.h"


int main(int argc, char **argv)
{
	struct dp_audit_report rep = { 0 };
	uint8_t secret[DP_KEY_LEN];
	struct dp_audit *a = NULL;
	int err;

	if (argc != 3) {
		fprintf(stderr, "usage: dp-audit-verify FILE SECRETFILE\n");
		return 2;
	}

	err = dp_device_secret_load(argv[2], false, secret);
	if (!err)
		err = dp_audit_open(&a, argv[1], secret);
	dp_wipe(secret, sizeof(secret));
	if (!err)
		err = dp_audit_verify(a, &rep);
	mem_deref(a);
	if (err) {
		fprintf(stderr, "%s: %s%s%s\n", argv[1], strerror(err),
			err ? ": " : "", err ? rep.why : "");
		return 1;
	}
	printf("%u\n", rep.records);

	return 0;
}
