#!/bin/bash
# The short soak for every test run (test/soak/calls.sh; `make soak`
# runs the long one): 40 calls 20 at a time, then 100 one after the
# other, each with media.
export SOAK_CONCURRENT=${SOAK_CONCURRENT:-20}
export SOAK_CONCURRENT_CALLS=${SOAK_CONCURRENT_CALLS:-40}
export SOAK_CALLS=${SOAK_CALLS:-100}
export SOAK_HOLD_MS=${SOAK_HOLD_MS:-300}
. "$(dirname "$0")/../soak/calls.sh"
