/**
 * @file cmd_run.c  `deskphone run`: start baresip on our configuration
 *                  and keep its log
 *
 * The options and the settings they layer are ours; the daemon's side,
 * the checked config and runtime directory (supervisor/run.h) and
 * baresip supervised with its log kept (supervisor/supervisor.h), is
 * the dpsupervisor library's.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <re.h>
#include "base/settings.h"
#include "supervisor/supervisor.h"
#include "supervisor/run.h"
#include "cli.h"

extern const struct dp_command dp_command_run;


/* ${run_dir}/settings.args: how the settings were layered, for the
 * commands the daemon starts. */
static int write_settings_args(const struct run_plan *plan,
			       const struct cli_settings_opts *opts)
{
	struct mbuf *mb = mbuf_alloc(512);
	const char *dir = opts->config_dir;
	int err;

	if (!mb)
		return ENOMEM;
	if (!dir)
		dir = getenv("DESKPHONE_CONFIG");
	if (!dir)
		dir = "/etc/deskphone";

	err = mbuf_printf(mb, "--config\n%s\n", dir);
	for (size_t i = 0; i < opts->nlocals && !err; i++)
		err = mbuf_printf(mb, "--local\n%s\n", opts->locals[i]);
	for (size_t i = 0; i < opts->nsets && !err; i++)
		err = mbuf_printf(mb, "--set\n%s\n", opts->sets[i]);

	if (!err)
		err = run_write_settings_args(plan, mb);
	mem_deref(mb);

	return err;
}


static int run_main(int argc, char **argv)
{
	struct cli_settings_opts opts;
	struct dp_settings *s = NULL;
	struct run_plan plan;
	bool check = false, print = false, foreground = false;
	int err, rc;

	memset(&opts, 0, sizeof(opts));

	for (int i = 1; i < argc; i++) {
		if (cli_settings_option(&opts, argc, argv, &i))
			continue;
		if (0 == strcmp(argv[i], "--check"))
			check = true;
		else if (0 == strcmp(argv[i], "--print-config"))
			print = true;
		else if (0 == strcmp(argv[i], "--foreground") ||
			 0 == strcmp(argv[i], "-F"))
			foreground = true;
		else
			return cli_usage(&dp_command_run);
	}

	if (cli_settings_load(&opts, &s))
		return DP_EXIT_USAGE;

	err = run_plan_make(&plan, s);
	mem_deref(s);
	if (err)
		return DP_EXIT_USAGE;

	if (print) {
		fwrite(plan.config->buf, 1, plan.config->end, stdout);
	}
	if (check || print) {
		if (check)
			printf("configuration OK: %u modules\n",
			       list_count(&plan.modules));
		run_plan_reset(&plan);
		return DP_EXIT_OK;
	}

	err = run_plan_apply(&plan);
	if (!err)
		err = write_settings_args(&plan, &opts);
	if (err) {
		run_plan_reset(&plan);
		return DP_EXIT_FAIL;
	}

	rc = supervisor_run(&plan, foreground);
	run_plan_reset(&plan);

	return rc;
}


const struct dp_command dp_command_run = {
	.name    = "run",
	.summary = "start the phone daemon (baresip with our modules)",
	.usage   =
	"deskphone run [--config DIR] [--local FILE]... [--set KEY=VALUE]...\n"
	"              [--foreground|-F] [--check] [--print-config]\n"
	"\n"
	"  --config DIR     settings directory (default /etc/deskphone)\n"
	"  --local FILE     a settings file layered on top (repeatable)\n"
	"  --set KEY=VALUE  one setting, layered last (repeatable)\n"
	"  --foreground     also print the daemon's log to stdout\n"
	"  --check          check the configuration, start nothing\n"
	"  --print-config   print the baresip config it would use\n"
	"\n"
	"Exit status: baresip's own; 2 when the configuration is bad (the\n"
	"message names the file and line).\n",
	.main    = run_main,
};
