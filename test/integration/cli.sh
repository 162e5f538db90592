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

# --help/-h/help CMD: the usage on stdout, exit 0, nothing on stderr (like git)
for cmd in $("$DP_BIN" help | awk '/^  [a-z]/ {print $1}'); do
	for ask in "$cmd --help" "$cmd -h" "help $cmd"; do
		# shellcheck disable=SC2086
		"$DP_BIN" $ask > "$T_DIR/help.out" 2> "$T_DIR/help.err"
		rc=$?
		t_check "help_${ask// /_}_exit_0" [ $rc = 0 ]
		t_check "help_${ask// /_}_on_stdout" grep -q "usage: deskphone $cmd" "$T_DIR/help.out"
		t_check "help_${ask// /_}_stderr_empty" [ ! -s "$T_DIR/help.err" ]
	done
done
"$DP_BIN" provision make --no-such-option > "$T_DIR/bad.out" 2> "$T_DIR/bad.err"
t_check usage_error_exit_2 [ $? = 2 ]
t_check usage_error_on_stderr sh -c "[ ! -s '$T_DIR/bad.out' ] && grep -q usage: '$T_DIR/bad.err'"
t_check dash_version_is_version sh -c "[ \"\$('$DP_BIN' --version)\" = \"\$('$DP_BIN' version)\" ]"
t_check help_states_exit_codes sh -c "'$DP_BIN' help | grep -q '0 done, 1 the operation failed'"

# a missing argument: named in one line, then a pointer to --help
missing() {   # missing NAME WHAT ARGS...: exit 2, two lines, naming WHAT
	local name=$1 what=$2
	shift 2
	"$DP_BIN" "$@" > "$T_DIR/m.out" 2> "$T_DIR/m.err"
	local rc=$?
	t_check "${name}_exit_2" [ $rc = 2 ]
	t_check "${name}_two_lines" [ "$(wc -l < "$T_DIR/m.err")" = 2 ]
	t_check "${name}_names_it" grep -qF -- "missing $what" "$T_DIR/m.err"
	t_check "${name}_points_to_help" grep -qF -- "deskphone $1 --help" "$T_DIR/m.err"
}
missing verify_without_pub "verify --pub" provision verify "$T_DIR"
missing make_without_arguments "make --site" provision make
missing results_without_stick "results STICK" provision results
missing provision_without_subcommand "a SUBCOMMAND" provision
missing bundle_verify_without_file "verify BUNDLE" bundle verify
missing bundle_keygen_without_out "keygen --out" bundle keygen
missing bundle_without_subcommand "a SUBCOMMAND" bundle
missing cdr_without_verb "list | export" cdr
missing privacy_without_verb "VERB" privacy
missing ctl_without_command "COMMAND" ctl --socket "$T_DIR/nothing.sock"
missing board_without_check "check" board

# no phone settings in a checkout: said once, with the way out
env -u DESKPHONE_CONFIG "$DP_BIN" cdr list --config "$T_DIR/no-phone" > /dev/null 2> "$T_DIR/cfg.err"
t_check no_settings_exit_2 [ $? = 2 ]
t_check no_settings_said_once [ "$(wc -l < "$T_DIR/cfg.err")" = 1 ]
t_check no_settings_suggests_config grep -qF -- "--config DIR" "$T_DIR/cfg.err"
t_check no_settings_suggests_socket grep -qF -- "--socket PATH" "$T_DIR/cfg.err"

# provision results on a stick no phone visited: every phone, not yet visited
mkdir -p "$T_DIR/inst" "$T_DIR/stick"
"$DP_BIN" provision keygen --out "$T_DIR/inst/k" > /dev/null
printf '{"site": "Test office", "sip": {"registrar": "127.0.0.1:5060", "transport": "udp", "codecs": ["PCMU"]}, "time_zone": "UTC"}\n' > "$T_DIR/inst/site.json"
printf 'mac,extension,display_name,sip_user,sip_password\n02:00:00:00:00:01,201,A,201,pw-a-123456\n02:00:00:00:00:02,202,B,202,pw-b-123456\n' > "$T_DIR/inst/phones.csv"
"$DP_BIN" provision make --site "$T_DIR/inst/site.json" --phones "$T_DIR/inst/phones.csv" \
	--key "$T_DIR/inst/k.key" --out "$T_DIR/stick" > "$T_DIR/make.out" 2>&1
t_check results_stick_made [ $? = 0 ]
"$DP_BIN" provision results "$T_DIR/stick" > "$T_DIR/results.out" 2>&1
t_check results_unvisited_exit_0 [ $? = 0 ]
t_check results_lists_first_phone grep -q '^020000000001 .*not yet visited' "$T_DIR/results.out"
t_check results_lists_second_phone grep -q '^020000000002 .*not yet visited' "$T_DIR/results.out"
t_check results_counts_unvisited grep -q ', 2 not yet visited$' "$T_DIR/results.out"

t_done
