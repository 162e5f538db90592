/**
 * @file cdr_stats.c  CDR statistics for a bundle, when a CDR store exists
 *
 * The call-record store is another component.  When the command line
 * has it (tools/cdr_stats.c defines dp_cdr_stats_text(), reading the
 * store the settings name), the bundle gets its output; otherwise the
 * weak reference below stays NULL and the bundle says the statistics
 * are not available.  The text is redacted like everything else in the
 * bundle all the same.
 */
#include <re.h>
#include "bundle.h"

/*
 * Counts only, never a number, name or time of a single call: calls per
 * direction and outcome, durations in buckets, store size and age.
 */
int dp_cdr_stats_text(const struct dp_settings *s, struct mbuf *out)
	__attribute__((weak));


int dp_bundle_cdr_stats(const struct dp_settings *s, struct mbuf *out)
{
	if (dp_cdr_stats_text)
		return dp_cdr_stats_text(s, out);

	return mbuf_write_str(out, "CDR statistics: not available (this"
			      " firmware has no call-record store)\n");
}
