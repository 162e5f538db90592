/**
 * @file test_cdr_classify.c  dpcdr's rules for the result of a call
 */
#include "modules/cdr/classify.h"
#include "dptest.h"


static void expect(struct call_end end, enum cdr_result want,
		   uint16_t want_status)
{
	enum cdr_result r = 0;
	uint16_t status = 1;

	cdr_classify(&end, &r, &status);
	DP_ASSERT_MSG(r == want, "\"%s\": %s, not %s",
		      end.reason ? end.reason : "", cdr_result_name(r),
		      cdr_result_name(want));
	DP_ASSERT_EQ(status, want_status);
}


DP_TEST(answered_either_way)
{
	expect((struct call_end){ .outgoing = true, .established = true,
		.reason = "Connection reset by peer" }, CDR_ANSWERED, 200);
	expect((struct call_end){ .established = true, .local_hangup = true,
		.reason = "Connection reset by user" }, CDR_ANSWERED, 200);
}


DP_TEST(outgoing_outcomes)
{
	expect((struct call_end){ .outgoing = true, .reason = "486 Busy Here",
		.scode = 486 }, CDR_BUSY, 486);
	expect((struct call_end){ .outgoing = true,
		.reason = "600 Busy Everywhere" }, CDR_BUSY, 600);
	expect((struct call_end){ .outgoing = true, .reason = "603 Decline" },
	       CDR_REJECTED, 603);
	expect((struct call_end){ .outgoing = true,
		.reason = "404 Not Found" }, CDR_FAILED, 404);
	expect((struct call_end){ .outgoing = true,
		.reason = "500 Server Internal Error" }, CDR_FAILED, 500);
	expect((struct call_end){ .outgoing = true,
		.reason = "Local timeout" }, CDR_FAILED, 408);
	expect((struct call_end){ .outgoing = true,
		.reason = "Connection refused" }, CDR_FAILED, 0);
	expect((struct call_end){ .outgoing = true, .scode = 480,
		.reason = "session closed" }, CDR_FAILED, 480);
	expect((struct call_end){ .outgoing = true, .local_hangup = true,
		.reason = "Connection reset by user" }, CDR_CANCELLED, 487);
	/* digits that are not a status code */
	expect((struct call_end){ .outgoing = true, .reason = "4860 things" },
	       CDR_FAILED, 0);
}


DP_TEST(incoming_outcomes)
{
	expect((struct call_end){ .local_hangup = true,
		.reason = "Connection reset by user" }, CDR_REJECTED, 486);
	expect((struct call_end){ .reason = "Connection reset by peer" },
	       CDR_MISSED, 487);
	expect((struct call_end){ .reason = NULL }, CDR_MISSED, 487);
	expect((struct call_end){ .reason = "No audio codecs" }, CDR_FAILED,
	       488);
	expect((struct call_end){ .reason = "Wrong address family" },
	       CDR_FAILED, 488);
}
