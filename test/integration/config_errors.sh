#!/bin/bash
# Bad configuration: a clear message naming the file and line, exit
# status 2, and the last good runtime configuration left as it was.
. "$(dirname "$0")/../lib/harness.sh"

run_check() {   # run_check NAME: `deskphone run --check` on phone NAME's files
	"$DP_BIN" run --config "$DP_FIRMWARE" --local "$(phone_dir "$1")/local.conf" --check \
		>"$T_DIR/$1.out" 2>"$T_DIR/$1.err"
	echo $? > "$T_DIR/$1.rc"
}
rc_is() { [ "$(cat "$T_DIR/$1.rc")" = "$2" ]; }
err_has() { grep -qF -- "$2" "$T_DIR/$1.err" || { t_log "stderr: $(cat "$T_DIR/$1.err")"; false; }; }

write_phone_config good "<sip:100@127.0.0.1:5999>;auth_pass=Pa55-good;regint=0"
run_check good
t_check good_config_passes rc_is good 0

write_phone_config badkey "<sip:100@127.0.0.1:5999>;regint=0" "Sip-Listen 1.2.3.4"
run_check badkey
t_check bad_key_exit_2 rc_is badkey 2
line=$(grep -n '^Sip-Listen' "$(phone_dir badkey)/local.conf" | cut -d: -f1)
t_check bad_key_names_file_line err_has badkey "$(phone_dir badkey)/local.conf:$line: bad key 'Sip-Listen'"

write_phone_config badref "<sip:100@127.0.0.1:5999>;regint=0" 'run_dir ${nosuch}/run'
run_check badref
t_check unknown_reference_exit_2 rc_is badref 2
t_check unknown_reference_named err_has badref 'unknown setting ${nosuch}'

printf '# ok\n"Reception" <sip:100@127.0.0.1:5999>;auth_pass=Pa55-bad\nsip:200@example.com;auth_pass=Pa55-bad\n' > "$T_DIR/accounts.bad"
write_phone_config badacc "x" "accounts_file $T_DIR/accounts.bad"
run_check badacc
t_check bad_account_exit_2 rc_is badacc 2
t_check bad_account_names_line err_has badacc "$T_DIR/accounts.bad:3: expected <sip:user@domain>"
t_check bad_account_hides_password not grep -q 'Pa55-bad' "$T_DIR/badacc.err"

write_phone_config nomod "<sip:100@127.0.0.1:5999>;regint=0" "codec_modules nosuch.so"
run_check nomod
t_check missing_module_exit_2 rc_is nomod 2
t_check missing_module_named err_has nomod "module nosuch.so is in neither"

write_phone_config badlog "<sip:100@127.0.0.1:5999>;regint=0" "log_max_bytes 12"
run_check badlog
t_check bad_number_rejected rc_is badlog 2

printf 'sip_listen ${sip_listen\n' > "$T_DIR/broken.in"
write_phone_config badtmpl "<sip:100@127.0.0.1:5999>;regint=0" "baresip_template $T_DIR/broken.in"
run_check badtmpl
t_check bad_template_names_line err_has badtmpl "$T_DIR/broken.in:1: unterminated \${"

# Keep the last good state: a good start writes the runtime directory;
# a later start with a broken account file fails and changes nothing.
write_phone_config keep "<sip:100@127.0.0.1:5999>;auth_pass=Pa55-keep;regint=0"
start_phone keep || t_fail keep_start "phone did not start"
phone_ctl keep quit >/dev/null
wait_pid_exit "$PHONE_PID_keep" 15
before=$(cat "$(phone_dir keep)/run/baresip/config" "$(phone_dir keep)/run/baresip/accounts" | sha256sum)
echo 'garbage line' >> "$(phone_dir keep)/accounts"
"$DP_BIN" run --config "$DP_FIRMWARE" --local "$(phone_dir keep)/local.conf" >/dev/null 2>&1
t_check broken_start_exit_2 [ $? = 2 ]
after=$(cat "$(phone_dir keep)/run/baresip/config" "$(phone_dir keep)/run/baresip/accounts" | sha256sum)
t_check last_good_runtime_kept [ "$before" = "$after" ]
t_check runtime_files_private sh -c "[ \$(stat -c %a '$(phone_dir keep)/run/baresip/accounts') = 600 ] && [ \$(stat -c %a '$(phone_dir keep)/run/baresip') = 700 ]"

# baresip itself refusing the config: its exit status comes through and
# the log says why.
write_phone_config nobind "<sip:100@127.0.0.1:5999>;regint=0" "sip_listen 203.0.113.77:5060"
"$DP_BIN" run --config "$DP_FIRMWARE" --local "$(phone_dir nobind)/local.conf" >/dev/null 2>&1
t_check baresip_failure_exit_nonzero [ $? != 0 ]
t_check baresip_failure_logged grep -q 'init failed' "$(phone_dir nobind)/log/deskphone.log"

t_done
