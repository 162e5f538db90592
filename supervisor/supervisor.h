/**
 * @file supervisor.h  The daemon's supervisor: baresip as our child, and
 *                     its log
 *
 * supervisor_run() starts plan->baresip_bin on the runtime directory
 * run_plan_apply() wrote (run.h) and returns when baresip has exited.
 * baresip runs in a process group of its own, so that a terminal's
 * Ctrl-C reaches it once, through us: SIGTERM and SIGINT are passed on
 * (SIGHUP as SIGTERM), and a baresip that has not stopped
 * plan->stop_timeout_s later is killed.  Its output is written,
 * time-stamped and without colour codes, to ${log_dir}/deskphone.log,
 * capped at plan->log_max_bytes (one older file, .1, is kept), and
 * echoed to our stdout when `echo` is set.  The privacy rules know that
 * directory (they rewrite the log without expired lines; we then open it
 * again); nothing else keeps the daemon's output.
 */
#ifndef DESKPHONE_SUPERVISOR_H
#define DESKPHONE_SUPERVISOR_H

#include <stdbool.h>

struct run_plan;

/* returned when the log cannot be opened or baresip cannot be started */
enum { SUPERVISOR_FAILED = 1 };

/* baresip's exit status, 128 + the signal that ended it, or
 * SUPERVISOR_FAILED (the reason printed to stderr). */
int supervisor_run(const struct run_plan *plan, bool echo);

#endif
