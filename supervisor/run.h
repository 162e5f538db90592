/**
 * @file run.h  `deskphone run`: from our settings to a running baresip
 *
 * run_plan_make() reads every setting the daemon needs, renders the
 * baresip config from its template and checks it and the accounts file
 * (every error names a file and line).  Nothing on disk changes until
 * run_plan_apply() writes the runtime directory:
 *
 *   ${run_dir}/baresip/config     the rendered config      (0600)
 *   ${run_dir}/baresip/accounts   copy of ${accounts_file} (0600)
 *   ${run_dir}/modules/NAME.so   links to our modules and the stock
 *                                 ones the config names, and to the
 *                                 application core they link
 *                                 (libdpapp.so)
 *   ${run_dir}/settings.args     how the settings were layered
 *                                 (--config, --local, --set, one a
 *                                 line), for commands the daemon starts
 *
 * so a bad configuration leaves the last good runtime directory as it was.
 */
#ifndef DESKPHONE_RUN_H
#define DESKPHONE_RUN_H

#include <stdbool.h>
#include <stdint.h>
#include <re.h>

struct dp_settings;
struct mbuf;

struct run_plan {
	char *run_dir;
	char *baresip_dir;
	char *module_link_dir;
	char *module_dir;         /* ours */
	char *stock_module_dir;   /* /usr/lib/baresip/modules */
	char *baresip_bin;
	char *accounts_file;
	char *log_dir;
	char *state_dir;          /* made 0700; tightened to 0700 if looser */
	uint64_t log_max_bytes;
	unsigned stop_timeout_s;
	bool sip_trace;
	char *test_clock;         /* privacy_test_clock: log stamps from it */
	struct mbuf *config;      /* rendered baresip config */
	struct mbuf *accounts;
	struct list modules;      /* struct run_module */
};

struct run_module {
	struct le le;
	char *name;               /* e.g. "dpcore.so" */
	char *path;               /* where it was found */
};

/* Returns 0, or an errno value after printing the reason to stderr. */
int  run_plan_make(struct run_plan *plan, struct dp_settings *s);
int  run_plan_apply(const struct run_plan *plan);
/* ${run_dir}/settings.args (0600): `args`, the options that layered the
 * settings (--config DIR, --local FILE, --set KEY=VALUE), one a line. */
int  run_write_settings_args(const struct run_plan *plan,
			     const struct mbuf *args);
void run_plan_reset(struct run_plan *plan);

/* The account lines of an accounts file, checked; errors name the line. */
int  run_check_accounts(const char *path, const char *text);

#endif
