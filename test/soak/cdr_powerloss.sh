#!/bin/bash
# `make soak`: many more power-loss trials of the call-record store than
# `make test` runs.  DP_CDR_TRIALS trials (default 5000); DP_CDR_SEED
# repeats a run.
set -u
build=${DP_BUILD:?}
export DP_CDR_TRIALS=${DP_CDR_TRIALS:-5000}
rc=0
for t in test_store; do
	"$build/test/$t" power_loss_trials | sed "s/^\(PASS\|FAIL\) /\1 $t./" |
		grep -E '^(PASS|FAIL) ' || rc=1
done
exit $rc
