/**
 * @file deskphone.c  `deskphone`: dispatch to a subcommand
 *
 * Busybox style: `deskphone <command> ...`, or a link to the binary named
 * after a command (`deskphone-<command>` or `<command>`) runs it directly.
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include "cli.h"

#define DP_COMMAND(n) extern const struct dp_command dp_command_##n;
#include "commands.inc"
#undef DP_COMMAND

#define DP_COMMAND(n) &dp_command_##n,
static const struct dp_command *const commands[] = {
#include "commands.inc"
};
#undef DP_COMMAND

static const size_t ncommands = sizeof(commands) / sizeof(commands[0]);


static const struct dp_command *find(const char *name)
{
	if (!name)
		return NULL;

	if (0 == strncmp(name, "deskphone-", 10))
		name += 10;

	for (size_t i = 0; i < ncommands; i++) {
		if (0 == strcmp(commands[i]->name, name))
			return commands[i];
	}

	return NULL;
}


int cli_usage(const struct dp_command *cmd)
{
	fprintf(stderr, "usage: %s", cmd->usage);

	return DP_EXIT_USAGE;
}


int cli_missing(const struct dp_command *cmd, const char *what)
{
	fprintf(stderr, "deskphone %s: missing %s\n", cmd->name, what);
	fprintf(stderr, "see `deskphone %s --help`\n", cmd->name);

	return DP_EXIT_USAGE;
}


static int print_help(const struct dp_command *cmd)
{
	printf("deskphone %s: %s\n\nusage: %s", cmd->name, cmd->summary,
	       cmd->usage);

	return DP_EXIT_OK;
}


/* `--help` or `-h` among a command's arguments (before any `--`). */
static bool asks_help(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		if (0 == strcmp(argv[i], "--"))
			return false;
		if (0 == strcmp(argv[i], "--help") ||
		    0 == strcmp(argv[i], "-h"))
			return true;
	}

	return false;
}


static int run(const struct dp_command *cmd, int argc, char **argv)
{
	if (asks_help(argc, argv))
		return print_help(cmd);

	return cmd->main(argc, argv);
}


static void list_commands(FILE *f)
{
	fprintf(f, "usage: deskphone <command> [options]\n\ncommands:\n");
	for (size_t i = 0; i < ncommands; i++)
		fprintf(f, "  %-10s %s\n", commands[i]->name,
			commands[i]->summary);
	fprintf(f, "\n`deskphone help <command>` or `deskphone <command>"
		" --help` describes one.\n"
		"\nExit status, for every command: 0 done, 1 the operation"
		" failed,\n2 bad usage or configuration (missing or bad"
		" arguments, settings or input).\n"
		"(`run` passes on baresip's own status, 2 for a bad"
		" configuration.)\n");
}


static int help_main(int argc, char **argv)
{
	const struct dp_command *cmd;

	if (argc < 2) {
		list_commands(stdout);
		return DP_EXIT_OK;
	}

	cmd = find(argv[1]);
	if (!cmd && 0 != strcmp(argv[1], "help")) {
		fprintf(stderr, "deskphone: no command '%s'\n", argv[1]);
		return DP_EXIT_USAGE;
	}

	if (!cmd) {
		printf("usage: deskphone help [command]\n");
		return DP_EXIT_OK;
	}

	return print_help(cmd);
}


int main(int argc, char **argv)
{
	const char *self = strrchr(argv[0], '/');
	const struct dp_command *cmd;

	self = self ? self + 1 : argv[0];

	cmd = strcmp(self, "deskphone") ? find(self) : NULL;
	if (cmd)
		return run(cmd, argc, argv);

	if (argc < 2) {
		list_commands(stderr);
		return DP_EXIT_USAGE;
	}

	if (0 == strcmp(argv[1], "help") || 0 == strcmp(argv[1], "--help") ||
	    0 == strcmp(argv[1], "-h"))
		return help_main(argc - 1, argv + 1);

	if (0 == strcmp(argv[1], "--version") && (cmd = find("version")))
		return run(cmd, argc - 1, argv + 1);

	cmd = find(argv[1]);
	if (!cmd) {
		fprintf(stderr, "deskphone: no command '%s' (try"
			" `deskphone help`)\n", argv[1]);
		return DP_EXIT_USAGE;
	}

	return run(cmd, argc - 1, argv + 1);
}
