/**
 * @file classify.h  dpcdr: what a call's end says about how it went
 *
 * Kept apart from baresip so that the rules are unit-tested on their own
 * (test/unit/test_cdr_classify.c).
 */
#ifndef DESKPHONE_CDR_CLASSIFY_H
#define DESKPHONE_CDR_CLASSIFY_H

#include <stdbool.h>
#include <stdint.h>
#include "privacy/store/cdr_store.h"

struct call_end {
	bool outgoing;
	bool established;
	bool local_hangup;    /* ended here (ua_hangup), not by the far end */
	const char *reason;   /* the CALL_CLOSED text, e.g. "486 Busy Here" */
	uint16_t scode;       /* call_scode(): a final response seen */
};

/* The result and the final SIP status of a call that has ended. */
void cdr_classify(const struct call_end *end, enum cdr_result *result,
		  uint16_t *status);

#endif
