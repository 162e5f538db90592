#!/bin/bash
# The command line itself: version, help, usage errors, busybox links.
. "$(dirname "$0")/../lib/harness.sh"

t_check version_prints sh -c "'$DP_BIN' version | grep -q '^deskphone [0-9]'"
t_check version_names_interface sh -c "'$DP_BIN' version | grep -q 'baresip module interface 1.0.0'"
t_check help_lists_commands sh -c "'$DP_BIN' help | grep -q '^  run '"
t_check help_for_command sh -c "'$DP_BIN' help ctl | grep -q 'usage: deskphone ctl'"
"$DP_BIN" no-such-command >/dev/null 2>&1
t_check unknown_command_exit_2 [ $? = 2 ]
"$DP_BIN" >/dev/null 2>&1
t_check no_command_exit_2 [ $? = 2 ]
"$DP_BIN" version extra >/dev/null 2>&1
t_check extra_argument_exit_2 [ $? = 2 ]
ln -s "$DP_BIN" "$T_DIR/deskphone-version"
t_check busybox_link sh -c "'$T_DIR/deskphone-version' | grep -q '^deskphone '"
"$DP_BIN" ctl --socket "$T_DIR/nothing.sock" ping >/dev/null 2>&1
t_check ctl_without_daemon_fails [ $? = 1 ]

t_done
