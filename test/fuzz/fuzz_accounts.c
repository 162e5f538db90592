/**
 * @file fuzz_accounts.c  The accounts-file check of `deskphone run`
 *                        (supervisor/run_accounts.c) on arbitrary text
 */
#include <stdlib.h>
#include <string.h>
#include "supervisor/run.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);


int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1);

	if (!text)
		return 0;

	/* the file is read as a C string: an embedded NUL ends it */
	memcpy(text, data, size);
	text[size] = '\0';
	(void)run_check_accounts("fuzz/accounts", text);
	free(text);

	return 0;
}
