/**
 * @file cmd_version.c  `deskphone version`
 */
#include <stdio.h>
#include "cli.h"
#include "modules/baresip_api.h"

extern const struct dp_command dp_command_version;


static int version_main(int argc, char **argv)
{
	(void)argv;

	if (argc > 1)
		return cli_usage(&dp_command_version);

	printf("deskphone %s (%s)\n", DP_VERSION, DP_GITREV);
	printf("baresip module interface %s\n", DP_BARESIP_VERSION);

	return DP_EXIT_OK;
}


const struct dp_command dp_command_version = {
	.name    = "version",
	.summary = "print the firmware version",
	.usage   = "deskphone version\n",
	.main    = version_main,
};
