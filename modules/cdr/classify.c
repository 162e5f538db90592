/**
 * @file classify.c  dpcdr: result and final SIP status of an ended call
 *
 *  answered   established, either way round                      200
 *  cancelled  outgoing, hung up here before an answer             487
 *  busy       outgoing, 486 Busy Here or 600 Busy Everywhere
 *  rejected   outgoing, 603 Decline; incoming, hung up here       486
 *             before an answer (baresip rejects with 486)
 *  missed     incoming, the caller gave up (CANCEL) or timed out  487
 *  failed     anything else: another error response, a timeout,
 *             no transport, no common codec (incoming: 488)
 */
#include <ctype.h>
#include <string.h>
#include "classify.h"


/* "486 Busy Here" -> 486; text without a leading status code -> 0 */
static uint16_t leading_status(const char *reason)
{
	if (!reason || !isdigit((unsigned char)reason[0]) ||
	    !isdigit((unsigned char)reason[1]) ||
	    !isdigit((unsigned char)reason[2]) ||
	    (reason[3] && reason[3] != ' '))
		return 0;

	return (uint16_t)((reason[0] - '0') * 100 + (reason[1] - '0') * 10 +
			  (reason[2] - '0'));
}


static bool mentions(const char *reason, const char *what)
{
	return reason && strstr(reason, what) != NULL;
}


void cdr_classify(const struct call_end *end, enum cdr_result *result,
		  uint16_t *status)
{
	uint16_t code = leading_status(end->reason);

	if (!code)
		code = end->scode;

	if (end->established) {
		*result = CDR_ANSWERED;
		*status = 200;
	}
	else if (end->outgoing) {
		if (end->local_hangup) {
			*result = CDR_CANCELLED;
			*status = 487;
		}
		else if (code == 486 || code == 600) {
			*result = CDR_BUSY;
			*status = code;
		}
		else if (code == 603) {
			*result = CDR_REJECTED;
			*status = code;
		}
		else {
			*result = CDR_FAILED;
			*status = code ? code :
				mentions(end->reason, "timeout") ? 408 : 0;
		}
	}
	else {
		if (end->local_hangup) {
			*result = CDR_REJECTED;
			*status = 486;
		}
		else if (mentions(end->reason, "codec") ||
			 mentions(end->reason, "address family")) {
			*result = CDR_FAILED;
			*status = 488;
		}
		else {
			*result = CDR_MISSED;
			*status = 487;
		}
	}
}
