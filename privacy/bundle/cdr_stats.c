/**
 * @file cdr_stats.c  CDR statistics for a bundle, when a CDR store exists
 *
 * The call-record store is another component.  When its library is
 * linked into the same binary (its `deskphone cdr` command references
 * it), it defines dp_cdr_stats_text() and the bundle gets its output;
 * otherwise the weak reference below stays NULL and the bundle says the
 * statistics are not available.  The text is redacted like everything
 * else in the bundle all the same.
 */
#include <re.h>
#include "bundle.h"

/*
 * Counts only, never a number, name or time of a single call: calls per
 * direction and outcome, durations in buckets, store size and age.
 */
int dp_cdr_stats_text(struct mbuf *out) __attribute__((weak));


int dp_bundle_cdr_stats(struct mbuf *out)
{
	if (dp_cdr_stats_text)
		return dp_cdr_stats_text(out);

	return mbuf_write_str(out, "CDR statistics: not available (this"
			      " firmware has no call-record store)\n");
}
