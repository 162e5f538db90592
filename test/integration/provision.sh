#!/bin/bash
# USB provisioning end to end: the installer's commands make and verify a
# signed stick; a running phone notices it, applies it and registers with
# the new credentials; every kind of bad stick is refused with its reason
# while the phone stays registered on its last good configuration; the
# CLI applies while the daemon runs and while it is stopped; rollback and
# a restart bring the sealed accounts back; no password is ever in a file
# or a log in plaintext.
. "$(dirname "$0")/../lib/harness.sh"

PW_A="Sip-A-$RANDOM-$RANDOM"
PW_B="Sip-B-$RANDOM-$RANDOM"
PW_C="Sip-C-$RANDOM-$RANDOM"
MAC1=02:00:00:00:00:01
MAC2=02:00:00:00:00:02
RESIGN=$DP_BUILD/test/dp-prov-resign
INST=$T_DIR/installer
STICKS=$T_DIR/sticks

start_kamailio 201:$PW_A 202:$PW_B 203:$PW_C || { t_fail kamailio "did not start"; t_done; }

# --- the installer ----------------------------------------------------------

mkdir -p "$INST" "$STICKS" "$T_DIR/trusted"
"$DP_BIN" provision keygen --out "$INST/acme" > "$T_DIR/keygen.out"
t_check keygen_private_key_0600 [ "$(stat -c %a "$INST/acme.key")" = 600 ]
"$DP_BIN" provision keygen --out "$INST/other" > /dev/null
# the key the phones were given at the factory
cp "$INST/acme.pub" "$T_DIR/trusted/"

# site.json for the test registrar; phones.csv rows "mac,user,password"
write_site() {
	cat > "$INST/site.json" <<-EOF
	{
		"site": "Test office",
		"sip": {
			"registrar": "127.0.0.1:$KAM_PORT",
			"transport": "udp",
			"register_interval_s": 60,
			"codecs": ["PCMU", "PCMA"]
		},
		"time_zone": "UTC",
		"privacy": { "retention_days": { "call_records": 30 } }
	}
	EOF
}

write_phones() {
	local row mac user pw
	echo "mac,extension,display_name,sip_user,sip_password,line_keys" > "$INST/phones.csv"
	for row in "$@"; do
		IFS=, read -r mac user pw <<< "$row"
		echo "$mac,$user,Desk $user,$user,$pw,line;blf:200:Reception" >> "$INST/phones.csv"
	done
}

# make_stick NAME [make options...]: a stick in $STICKS/NAME
make_stick() {
	local name=$1
	shift
	mkdir -p "$STICKS/$name"
	"$DP_BIN" provision make --site "$INST/site.json" --phones "$INST/phones.csv" \
		--key "$INST/acme.key" --out "$STICKS/$name" "$@" > "$T_DIR/make-$name.out" 2>&1
}

folder() { echo "$STICKS/$1/deskphone-provisioning"; }

write_site
write_phones "$MAC1,201,$PW_A" "$MAC2,202,$PW_B"
t_check make_writes_a_stick make_stick v1 --version 100
t_check make_says_what grep -q 'version 100, site "Test office", 2 phones' "$T_DIR/make-v1.out"
t_check verify_accepts "$DP_BIN" provision verify --pub "$INST/acme.pub" "$STICKS/v1"
t_check verify_rejects_other_key not "$DP_BIN" provision verify --pub "$INST/other.pub" "$STICKS/v1"

cp -a "$STICKS/v1" "$STICKS/tampered"
sed -i 's/Desk 202/Desk 2O2/' "$(folder tampered)/phones/020000000002.json"
"$DP_BIN" provision verify --pub "$INST/acme.pub" "$STICKS/tampered" > /dev/null 2> "$T_DIR/verify.err"
t_check verify_rejects_tampered_entry [ $? = 2 ]
t_check verify_names_the_file grep -q 'phones/020000000002.json: does not match manifest.json' "$T_DIR/verify.err"

printf 'mac,extension,display_name,sip_user,sip_password\n%s,201,Desk,201,\n' "$MAC1" > "$T_DIR/bad.csv"
"$DP_BIN" provision make --site "$INST/site.json" --phones "$T_DIR/bad.csv" --key "$INST/acme.key" \
	--out "$STICKS/v1" > /dev/null 2> "$T_DIR/make-bad.err"
t_check make_refuses_bad_csv [ $? = 2 ]
t_check make_names_line_and_column grep -q "bad.csv:2: sip_password: empty" "$T_DIR/make-bad.err"

# --- the phone ----------------------------------------------------------------

# phone NAME MAC: a phone with the factory key and the test's MAC
phone_conf() {
	write_phone_config "$1" "# no account until provisioned" \
		"provision_trusted_keys $T_DIR/trusted" "provision_mac $2" \
		"provision_watch_dir $T_DIR/usb-$1" "provision_poll_ms 200"
}
phone_args() { echo "--set state_dir=$(phone_dir "$1")/state"; }
# the daemon's provisioning status, unescaped from the ctl reply
prov_status() { phone_ctl "$1" cmd dpprov_status | sed 's/\\"/"/g'; }
prov_state_is() { prov_status "$1" | grep -q "\"state\":\"$2\""; }
prov_accounts_are() { prov_status "$1" | grep -q "\"accounts\":\"$2\""; }
registered_as() {
	phone_ctl "$1" status | grep -q "\"aor\":\"sip:$2@127.0.0.1:$KAM_PORT\",\"registered\":true"
}
only_account() {   # only_account NAME USER: the phone has that one account
	local s
	s=$(phone_ctl "$1" status)
	[ "$(grep -o '"aor"' <<< "$s" | wc -l)" = 1 ] && grep -q "\"aor\":\"sip:$2@" <<< "$s"
}
local_conf_sum() { sha256sum < "$(phone_dir "$1")/state/deskphone.local.conf"; }

phone_conf p1 "$MAC1"
# shellcheck disable=SC2046
start_phone p1 $(phone_args p1) || t_fail start "phone did not answer on its socket"
t_check not_registered_before not registered_as p1 201

# the stick goes in: the mount appears at once, as the udev rule makes it
mv "$STICKS/v1" "$T_DIR/usb-p1"
t_check usb_stick_noticed_and_applied t_wait_until 20 prov_state_is p1 applied
t_check registers_with_provisioned_credentials t_wait_until 15 registered_as p1 201
t_check result_file_written grep -q '"result":"applied"' "$T_DIR/usb-p1/deskphone-provisioning/results/020000000001.json"
t_check result_file_has_no_secret not grep -rq "$PW_A" "$T_DIR/usb-p1/deskphone-provisioning/results"
"$DP_BIN" provision results "$T_DIR/usb-p1" > "$T_DIR/results1.out"
t_check results_shows_visited_phone grep -q '^020000000001 *applied *100 *[0-9]' "$T_DIR/results1.out"
t_check results_shows_phone_not_visited grep -q '^020000000002 .*not yet visited' "$T_DIR/results1.out"
prov_status p1 > "$T_DIR/status1.json"
t_check status_reports_version grep -q '"configured_version":100' "$T_DIR/status1.json"
t_check status_has_no_secret not grep -q "$PW_A" "$T_DIR/status1.json"
t_check password_sealed_at_rest grep -q password_sealed "$(phone_dir p1)"/state/provision/gen/*/accounts.json

good_sum=$(local_conf_sum p1)

# refused NAME STICK-DIR REASON: apply through the control socket (what the
# keypad's "provision from USB" does); the job is refused with REASON, the
# phone's configuration is as it was and it stays registered as 201.
refused() {
	local name=$1 dir=$2 why=$3
	phone_ctl p1 cmd "dpprov_apply $dir" > /dev/null
	if ! t_wait_until 20 not prov_state_is p1 working; then
		t_fail "$name" "the job did not end"; return
	fi
	prov_status p1 > "$T_DIR/status-$name.json"
	if ! grep -q '"state":"refused"' "$T_DIR/status-$name.json"; then
		t_fail "$name" "not refused: $(cat "$T_DIR/status-$name.json")"; return
	fi
	if ! grep -qF -- "$why" "$T_DIR/status-$name.json"; then
		t_fail "$name" "reason is not '$why': $(cat "$T_DIR/status-$name.json")"; return
	fi
	if [ "$(local_conf_sum p1)" != "$good_sum" ]; then
		t_fail "$name" "the configuration changed"; return
	fi
	if ! registered_as p1 201 || ! only_account p1 201; then
		t_fail "$name" "the old registration did not survive"; return
	fi
	t_pass "$name"
}

# every stick below is v1's content, signed, with one thing wrong
bad_stick() {   # bad_stick NAME: a fresh copy of a good stick (version 150)
	make_stick "$1" --version 150 || t_fail "make_$1" "$(cat "$T_DIR/make-$1.out")"
}

bad_stick malformed
printf '{"site": "Test office",\n "sip": }\n' > "$(folder malformed)/site.json"
"$RESIGN" "$INST/acme.key" "$STICKS/malformed"
refused refuses_malformed_json "$STICKS/malformed" 'site.json:2:9: malformed JSON'

bad_stick unknown
sed -i 's/"extension"/"colour": "red",\n\t"extension"/' "$(folder unknown)/phones/020000000001.json"
"$RESIGN" "$INST/acme.key" "$STICKS/unknown"
refused refuses_unknown_field "$STICKS/unknown" 'phones/020000000001.json: colour: unknown field'

bad_stick missing
sed -i '/time_zone/d' "$(folder missing)/site.json"
"$RESIGN" "$INST/acme.key" "$STICKS/missing"
refused refuses_missing_field "$STICKS/missing" 'site.json: time_zone: missing'

bad_stick badvalue
sed -i 's/"udp"/"xyz"/' "$(folder badvalue)/site.json"
"$RESIGN" "$INST/acme.key" "$STICKS/badvalue"
refused refuses_bad_value "$STICKS/badvalue" 'site.json: sip.transport: must be udp, tcp or tls'

bad_stick badsig
sed -i 's/Test office/Test 0ffice/' "$(folder badsig)/manifest.json"
refused refuses_bad_signature "$STICKS/badsig" 'manifest.sig: the signature does not verify'

bad_stick nosig
rm "$(folder nosig)/manifest.sig"
refused refuses_missing_signature "$STICKS/nosig" 'manifest.sig: missing'

mkdir -p "$STICKS/otherkey"
"$DP_BIN" provision make --site "$INST/site.json" --phones "$INST/phones.csv" \
	--key "$INST/other.key" --out "$STICKS/otherkey" --version 150 > /dev/null
refused refuses_untrusted_key "$STICKS/otherkey" 'which this phone does not trust'

bad_stick older
"$RESIGN" "$INST/acme.key" "$STICKS/older" 99
refused refuses_older_version "$STICKS/older" 'version 99 is older than version 100'

write_phones "02:00:00:00:00:77,201,$PW_A"
bad_stick noentry
write_phones "$MAC1,201,$PW_A" "$MAC2,202,$PW_B"
refused refuses_no_entry "$STICKS/noentry" "no entry for this phone (MAC $MAC1)"

bad_stick large
head -c 300000 /dev/zero | tr '\0' ' ' >> "$(folder large)/site.json"
"$RESIGN" "$INST/acme.key" "$STICKS/large"
refused refuses_too_large "$STICKS/large" 'site.json: larger than 65536 bytes'

bad_stick escape
sed -i 's|"files":\s*{|"files": {"../../../etc/passwd": {"size": 1, "sha256": "'"$(printf '0%.0s' $(seq 64))"'"},|' \
	"$(folder escape)/manifest.json"
"$RESIGN" "$INST/acme.key" "$STICKS/escape"
refused refuses_path_escape "$STICKS/escape" 'files.../../../etc/passwd: not a path this stick may hold'

bad_stick symlink
rm "$(folder symlink)/phones/020000000001.json"
ln -s /etc/passwd "$(folder symlink)/phones/020000000001.json"
refused refuses_symlink "$STICKS/symlink" 'phones/020000000001.json: a symbolic link (refused)'

bad_stick full
rm -rf "$(folder full)/results"; touch "$(folder full)/results"
refused refuses_full_stick "$STICKS/full" 'the result file could not be written to the stick'

refused refuses_pulled_stick "$T_DIR/no-such-stick" 'cannot open the stick'

t_check refusals_written_on_stick grep -q '"result":"refused"' "$(folder noentry)/results/020000000001.json"
t_check log_says_refused grep -q 'dpprov: provisioning refused: version 99 is older' "$(phone_dir p1)/log/deskphone.log"

# --- new credentials through the CLI while the daemon runs -------------------

# ... while a call is up: the accounts switch when it ends
start_sipp uas -sn uas -m 1
phone_ctl p1 dial "sip:service@127.0.0.1:$SIPP_PORT" > /dev/null
call_up() { phone_ctl p1 status | grep -q '"state":5'; }
t_check call_up_before_apply t_wait_until 15 call_up

write_phones "$MAC1,203,$PW_C" "$MAC2,202,$PW_B"
make_stick v2 --version 200
# shellcheck disable=SC2046
"$DP_BIN" provision apply --config "$DP_FIRMWARE" --local "$(phone_dir p1)/local.conf" \
	$(phone_args p1) "$STICKS/v2" > "$T_DIR/apply-v2.out" 2>&1
t_check cli_apply_while_running [ $? = 0 ]
t_check cli_says_switch_after_call grep -q 'when the current call ends' "$T_DIR/apply-v2.out"
t_check call_survives_apply call_up
t_check old_account_kept_during_call registered_as p1 201
t_check status_says_pending sh -c "$DP_BIN ctl --socket $(phone_socket p1) cmd dpprov_status | grep -q 'pending: the accounts switch'"
phone_ctl p1 hangup > /dev/null
t_check reregisters_after_the_call t_wait_until 15 registered_as p1 203
t_check old_account_gone only_account p1 203

# shellcheck disable=SC2046
"$DP_BIN" provision apply --config "$DP_FIRMWARE" --local "$(phone_dir p1)/local.conf" \
	$(phone_args p1) "$STICKS/v2" > "$T_DIR/apply-v2b.out" 2>&1
t_check same_stick_again_unchanged grep -q 'unchanged: version 200 is already applied' "$T_DIR/apply-v2b.out"

# --- rollback from the keypad's command, then a restart ----------------------

phone_ctl p1 cmd dpprov_rollback > /dev/null
t_check rollback_runs t_wait_until 20 prov_state_is p1 rolled_back
t_check rollback_reregisters_old t_wait_until 15 registered_as p1 201
t_check rollback_leaves_one_account only_account p1 201

phone_ctl p1 quit > /dev/null
wait_pid_exit "$PHONE_PID_p1" 15
# shellcheck disable=SC2046
start_phone p1 $(phone_args p1) || t_fail restart "phone did not come back"
t_check restart_registers_from_sealed_store t_wait_until 15 registered_as p1 201

# --- a stopped phone, provisioned from the CLI -------------------------------

# p2 was set up by hand before: a plaintext account that provisioning
# must replace (and whose copy in the runtime directory must go)
phone_conf p2 "$MAC2"
account_line 203 "$PW_C" > "$(phone_dir p2)/accounts"
# shellcheck disable=SC2046
"$DP_BIN" provision apply --config "$DP_FIRMWARE" --local "$(phone_dir p2)/local.conf" \
	$(phone_args p2) "$STICKS/v2" > "$T_DIR/apply-p2.out" 2>&1
t_check cli_apply_daemon_stopped [ $? = 0 ]
t_check cli_knows_daemon_is_stopped grep -q 'daemon is not running' "$T_DIR/apply-p2.out"
# shellcheck disable=SC2046
start_phone p2 $(phone_args p2) || t_fail start_p2 "phone did not answer on its socket"
t_check stopped_phone_registers_at_start t_wait_until 15 registered_as p2 202
t_check provisioned_replaces_plaintext_account only_account p2 202
# shellcheck disable=SC2046
"$DP_BIN" provision status --config "$DP_FIRMWARE" --local "$(phone_dir p2)/local.conf" \
	$(phone_args p2) > "$T_DIR/status-p2.out"
t_check cli_status grep -q 'provisioned: version 200, site "Test office", entry 020000000002' "$T_DIR/status-p2.out"

# its first provisioning rolled back from the CLI while the daemon runs:
# the phone is unprovisioned again
# shellcheck disable=SC2046
"$DP_BIN" provision rollback --config "$DP_FIRMWARE" --local "$(phone_dir p2)/local.conf" \
	$(phone_args p2) > "$T_DIR/rollback-p2.out" 2>&1
t_check cli_rollback_while_running [ $? = 0 ]
t_check cli_says_rolled_back grep -q 'rolled back' "$T_DIR/rollback-p2.out"
# (the daemon did not roll back itself, so its last action stays "idle";
# it reloaded and says what it now runs)
t_check rollback_to_unprovisioned t_wait_until 20 prov_accounts_are p2 "not provisioned"
t_check unprovisioned_has_no_account sh -c "$DP_BIN ctl --socket $(phone_socket p2) status | grep -q '\"accounts\":\[\]'"

# --- no password in plaintext anywhere on the phones --------------------------

no_plaintext() {   # no_plaintext PHONE: none of the passwords in its files
	local d found
	d=$(phone_dir "$1")
	found=$(grep -rlF -e "$PW_A" -e "$PW_B" -e "$PW_C" "$d/state" "$d/run" "$d/log" "$d/run.out")
	[ -z "$found" ] || { t_log "plaintext password in: $found"; return 1; }
}
t_check sealed_files_exist_p1 test -s "$(phone_dir p1)/state/device.secret"
t_check no_plaintext_password_p1 no_plaintext p1
t_check no_plaintext_password_p2 no_plaintext p2
t_check no_password_in_cli_output not grep -qF -e "$PW_A" -e "$PW_B" -e "$PW_C" "$T_DIR"/apply-*.out "$T_DIR"/status*.json

t_done
