# Long runs for `make soak` (docs/hardening.md): 100 calls 20 at a time,
# then 1000 one after the other, each with media.
SOAK_SCRIPTS += test/soak/calls.sh
