# Helpers of the hardening tests (test/integration/{privilege,...}.sh)
TEST_TOOLS        += dp-socklist
dp-socklist_SRCS  := test/tools/socklist.c
