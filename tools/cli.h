/**
 * @file cli.h  The `deskphone` command line: one binary, many subcommands
 *
 * Each subcommand lives in tools/cmd_<name>.c and defines
 * `const struct dp_command dp_command_<name>`; the build lists them all
 * (build/gen/commands.inc), so adding a file adds the command.
 *
 * Exit status: 0 done, 1 the operation failed, 2 bad usage, bad input or
 * bad configuration (printed by `deskphone help`).  `--help`/`-h` among a
 * command's arguments prints its usage to stdout with 0 (deskphone.c).
 */
#ifndef DESKPHONE_CLI_H
#define DESKPHONE_CLI_H

#include <stdbool.h>
#include <stddef.h>

struct dp_settings;

struct dp_command {
	const char *name;
	const char *summary;   /* one line, for `deskphone help` */
	const char *usage;     /* full text, for `deskphone help <name>` */
	int (*main)(int argc, char **argv);  /* argv[0] is the name */
};

enum { DP_EXIT_OK = 0, DP_EXIT_FAIL = 1, DP_EXIT_USAGE = 2 };

/* Print `cmd`'s usage to stderr and return DP_EXIT_USAGE. */
int cli_usage(const struct dp_command *cmd);
/*
 * A required argument is missing: name it (`what`, e.g. "--pub
 * PREFIX.pub") in one line on stderr, point to `deskphone <cmd> --help`
 * in a second, return DP_EXIT_USAGE.
 */
int cli_missing(const struct dp_command *cmd, const char *what);

/*
 * Settings shared by every subcommand that works on the phone's state:
 * --config DIR (default $DESKPHONE_CONFIG, else /etc/deskphone),
 * --local FILE (repeatable), --set key=value (repeatable).
 * cli_settings_option() consumes one of those from argv at *ip and
 * returns true; cli_settings_load() then layers, in order:
 * DIR/deskphone.conf, the board description ${board_file} (required when
 * that key is set), ${local_conf} if that file exists, every --local
 * file, every --set.  Errors go to stderr naming file and line.
 */
struct cli_settings_opts {
	const char *config_dir;
	const char *locals[16];
	size_t nlocals;
	const char *sets[64];
	size_t nsets;
};

bool cli_settings_option(struct cli_settings_opts *o, int argc,
			 char **argv, int *ip);
int  cli_settings_load(const struct cli_settings_opts *o,
		       struct dp_settings **sp);
/*
 * Connect to a UNIX stream socket, trying again every 100 ms until
 * `wait_ms` has passed.  Returns the socket, or -1 with errno set.
 */
int cli_connect_unix(const char *path, int wait_ms);
/*
 * The control socket's one client: send `line` on fd, the one reply line
 * back (without its newline) in *replyp (mem_deref it) within
 * timeout_ms (< 0: no limit).  0 or an errno value.
 */
int cli_ctl_request(int fd, const char *line, int timeout_ms,
		    char **replyp);
/*
 * `cmd TEXT`: a daemon module's command; its output in *outp (the
 * reply's "output").  ENOTSUP when the daemon did not run it (no such
 * command, or it failed): then *replyp, if asked for, says why.
 */
int cli_ctl_cmd(int fd, const char *text, int timeout_ms, char **replyp,
		char **outp);

/* A setting's expanded value, or NULL after printing why to stderr. */
char *cli_setting(const struct dp_settings *s, const char *key);

#endif
