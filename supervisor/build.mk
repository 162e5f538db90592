# dpsupervisor: `deskphone run`'s daemon side: from the settings to a
# checked baresip config and runtime directory (run.h), then baresip as
# our child with its log kept (supervisor.h).  No baresip headers: it
# starts /usr/bin/baresip.  The command line (tools/cmd_run.c) parses
# the options and links it.
LIBS               += dpsupervisor
dpsupervisor_SRCS  := $(wildcard supervisor/*.c)
CLI_LIBS           += dpsupervisor
