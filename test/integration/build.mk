# Helpers of the hardening tests (test/integration/{privilege,...}.sh)
TEST_TOOLS        += dp-socklist
dp-socklist_SRCS  := test/tools/socklist.c
# pgrep (the daemon's pid), setpriv/useradd come with the base system
DEPS_PKGS         += procps
