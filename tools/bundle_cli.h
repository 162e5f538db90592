/**
 * @file bundle_cli.h  `deskphone bundle create`, shared with cmd_bundle.c
 */
#ifndef DESKPHONE_BUNDLE_CLI_H
#define DESKPHONE_BUNDLE_CLI_H

/* argv[0] is "create".  Prints the bundle's path on success. */
int dp_bundle_create_main(int argc, char **argv);
/* The usage text to stderr; returns DP_EXIT_USAGE. */
int dp_bundle_usage(void);

#endif
