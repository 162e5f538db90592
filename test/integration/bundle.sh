#!/bin/bash
# Redaction and debug bundles on a real phone: a registered phone with the
# SIP trace on makes and takes calls; its log then holds a real baresip
# trace, with the account password and the device secret planted in it as
# well.  Bundles made from it (plain and sealed to a support key) verify,
# open only with the right key, hold no password, device secret or
# identity of the phone anywhere, keep the SIP structure, and each leaves
# a record in the audit log.  `deskphone redact` streams stdin to stdout
# with consistent tokens.  Then a provisioned phone (issue 15, findings
# 2, 3, 7): with a support key on the stick every bundle, from the keypad
# of the sim board and from the command line, is sealed to it and a plain
# one takes --plain; its sealed SIP password, auth user and address of
# record and its colleagues on line keys are in no file of a bundle.
. "$(dirname "$0")/../lib/harness.sh"

USER=thabo7731
PASS=Secr3t-Pass.91
NAME="Thabo Nkosi"

P_USER=ldlamini
P_AUTH=lindiwe-auth7
P_PASS="Prov-Pw-$RANDOM-x7q"

start_kamailio "$USER:$PASS" "$P_USER:$P_PASS" || { t_fail kamailio "did not start"; t_done; }
write_phone_config phone "\"$NAME\" $(account_line "$USER" "$PASS")" \
	"sip_trace yes"
dir=$(phone_dir phone)
mkdir -p "$dir/state" "$dir/bundles"
# 32 random bytes; none a line break, so that the raw bytes planted in
# the log below stay on one line (docs/redaction.md: binary secrets); a
# NUL in the middle, which must not hide the bytes after it
{ head -c 256 /dev/urandom | tr -d '\n\r\0' | head -c 16
  printf '\0'
  head -c 256 /dev/urandom | tr -d '\n\r\0' | head -c 15; } > "$dir/state/device.secret"
chmod 600 "$dir/state/device.secret"
SECRET_HEX=$(od -An -tx1 -v "$dir/state/device.secret" | tr -d ' \n')
SECRET_TAIL_HEX=${SECRET_HEX:34}
SECRET_B64=$(base64 -w0 < "$dir/state/device.secret")

start_phone phone || t_fail start "phone did not answer on its socket"
t_check registered t_wait_until 15 phone_registered phone
start_events phone

# a call out and a call in, so that the trace has dialogs and SDP
start_sipp uas -sn uas -m 1
phone_ctl phone dial "sip:service@127.0.0.1:$SIPP_PORT" >/dev/null
t_check outgoing_established wait_event phone CALL_ESTABLISHED 15
sleep 1
phone_ctl phone hangup >/dev/null
t_check outgoing_closed wait_event phone CALL_CLOSED 10
wait_pid_exit "$SIPP_PID" 15 >/dev/null 2>&1
start_sipp uac -sn uac -s "$USER" -m 1 -d 1000 "127.0.0.1:$KAM_PORT"
t_check incoming_rings wait_event phone CALL_INCOMING 15
phone_ctl phone answer >/dev/null
wait_pid_exit "$SIPP_PID" 20 >/dev/null 2>&1
t_check incoming_closed wait_event phone CALL_CLOSED 10 2

# secrets where no SIP rule would look for them
log=$dir/log/deskphone.log
printf '%s debug: password is %s; device %s (%s)\n' "$(date -u +%FT%TZ)" \
	"$PASS" "$SECRET_HEX" "$SECRET_B64" >> "$log"
{ printf '%s debug: raw ' "$(date -u +%FT%TZ)"; cat "$dir/state/device.secret"; echo; } >> "$log"
t_check log_has_trace grep -q 'REGISTER sip:' "$log"
t_check log_has_planted grep -qF "$PASS" "$log"
t_check log_has_raw_secret sh -c "od -An -tx1 -v '$log' | tr -d ' \n' | grep -qF '$SECRET_HEX'"

B=( "$DP_BIN" bundle create --config "$DP_FIRMWARE" --local "$dir/local.conf"
    --out "$dir/bundles" )

# no_secret FILE...: nothing of the phone's secrets or identity in them,
# as text or as the device secret's raw bytes
no_secret() {
	local f
	for f in "$@"; do
		if grep -qaF -e "$PASS" -e "$SECRET_B64" -e "$USER" -e "$NAME" \
			-e "Thabo" "$f" || grep -qaiF -e "$SECRET_HEX" "$f" ||
			od -An -tx1 -v "$f" | tr -d ' \n' |
			grep -qF -e "$SECRET_HEX" -e "$SECRET_TAIL_HEX"; then
			t_log "$f holds a secret or an identity:"
			grep -naF -e "$PASS" -e "$USER" -e "Thabo" "$f" | head -5 >&2
			return 1
		fi
	done
}

# --- a plain bundle while the daemon runs --------------------------------
plain=$("${B[@]}" 2>"$T_DIR/create.err")
t_check plain_created test -f "$plain"
t_check plain_name_has_no_identity sh -c "basename '$plain' | grep -Eq '^deskphone-bundle-[0-9]{8}T[0-9]{6}Z\.tar$'"
t_check plain_verifies "$DP_BIN" bundle verify "$plain"
t_check plain_opens "$DP_BIN" bundle open "$plain" --out "$T_DIR/plain"
t_check plain_raw_archive_clean no_secret "$plain"
t_check plain_members_clean no_secret $(find "$T_DIR/plain" -type f)
t_check members_listed sh -c "cd '$T_DIR/plain' && test -f log/deskphone.log &&
	test -f config/accounts && test -f config/removed.txt &&
	test -f config/local-1.conf && test -f state.txt && test -f status.json &&
	test -f cdr-stats.txt && test -f manifest.json"
t_check removed_lists_names_not_values sh -c "grep -q 'config/accounts line 1: auth_pass' '$T_DIR/plain/config/removed.txt' &&
	! grep -qF '$PASS' '$T_DIR/plain/config/removed.txt'"
t_check accounts_secret_removed grep -q 'auth_pass=<removed>' "$T_DIR/plain/config/accounts"
t_check trace_structure_kept sh -c "cd '$T_DIR/plain/log' &&
	grep -q 'REGISTER sip:' deskphone.log && grep -q 'SIP/2.0 401 Unauthorized' deskphone.log &&
	grep -q 'SIP/2.0 200 OK' deskphone.log && grep -q '^[^ ]* CSeq: [0-9]* INVITE' deskphone.log &&
	grep -q 'branch=z9hG4bK<branch-' deskphone.log && grep -q 'Call-ID: <callid-' deskphone.log &&
	grep -q 'response=\"<secret>\"' deskphone.log && grep -q 'password is <secret>' deskphone.log"
t_check one_user_one_token sh -c "grep -ao 'username=\"<[a-z]*-[0-9a-f]*>\"' '$T_DIR/plain/log/deskphone.log' | sort -u | wc -l | grep -qx 1"
t_check state_daemon_running grep -q '^registration: 1 of 1 accounts registered' "$T_DIR/plain/state.txt"
t_check status_redacted sh -c "grep -q '\"aor\":\"sip:<' '$T_DIR/plain/status.json'"
# the store's counts (two calls), never a party
t_check cdr_stats_counted grep -q '^records: *2, personal fields erased in 0' "$T_DIR/plain/cdr-stats.txt"
t_check cdr_stats_results grep -q '^result: *answered 2,' "$T_DIR/plain/cdr-stats.txt"
t_check manifest_lists_all sh -c "[ \$(grep -c '\"sha256\"' '$T_DIR/plain/manifest.json') -eq \$(find '$T_DIR/plain' -type f ! -name manifest.json | wc -l) ]"

# a member changed after the fact no longer verifies
cp "$plain" "$T_DIR/tampered.tar"
off=$(grep -abo 'SIP/2.0 401' "$T_DIR/tampered.tar" | head -1 | cut -d: -f1)
printf 'X' | dd of="$T_DIR/tampered.tar" bs=1 seek="$off" conv=notrunc 2>/dev/null
t_check tampered_fails not "$DP_BIN" bundle verify "$T_DIR/tampered.tar"

# --- sealed to a support key --------------------------------------------
t_check keygen "$DP_BIN" bundle keygen --out "$T_DIR/support"
"$DP_BIN" bundle keygen --out "$T_DIR/other" >/dev/null
sealed=$("${B[@]}" --to-key "$T_DIR/support.pub" 2>>"$T_DIR/create.err")
t_check sealed_created sh -c "test -f '$sealed' && case '$sealed' in *.tar.enc) ;; *) exit 1 ;; esac"
t_check sealed_is_opaque sh -c "! grep -qa -e 'manifest.json' -e 'ustar' -e 'REGISTER' '$sealed'"
t_check sealed_needs_key not "$DP_BIN" bundle verify "$sealed"
t_check sealed_wrong_key not "$DP_BIN" bundle verify "$sealed" --key "$T_DIR/other.key"
t_check sealed_right_key "$DP_BIN" bundle verify "$sealed" --key "$T_DIR/support.key"
t_check sealed_opens "$DP_BIN" bundle open "$sealed" --key "$T_DIR/support.key" --out "$T_DIR/sealed"
t_check sealed_members_clean no_secret $(find "$T_DIR/sealed" -type f)
t_check sealed_has_trace grep -q 'INVITE sip:' "$T_DIR/sealed/log/deskphone.log"

# --- with the daemon stopped ------------------------------------------------
t_stop_pid "$PHONE_PID_phone"
stopped=$("${B[@]}" 2>>"$T_DIR/create.err")
t_check stopped_created "$DP_BIN" bundle verify "$stopped"
t_check stopped_says_not_running sh -c "'$DP_BIN' bundle open '$stopped' --out '$T_DIR/stopped' >/dev/null &&
	grep -q '^daemon: not running' '$T_DIR/stopped/state.txt' && ! test -e '$T_DIR/stopped/status.json'"

# --- the audit log: one record per bundle, chained ---------------------------
# (beside the privacy module's purge records)
audit=$dir/state/audit.jsonl
t_check audit_verifies "$DP_BUILD/test/dp-audit-verify" "$audit" "$dir/state/device.secret"
t_check audit_three_bundles sh -c "grep -c '\"event\":\"bundle_create\"' '$audit' | grep -qx 3"
t_check audit_has_no_data no_secret "$audit"
t_check audit_says_sealed sh -c "grep -c '\"sealed\":true' '$audit' | grep -qx 1"

# --- a secret where the SIP rules keep text as it is (a CSeq method) -------
printf '%s\nCSeq: 7 %s\n' "SIP/2.0 200 OK" "$PASS" >> "$log"
kept=$("${B[@]}" 2>>"$T_DIR/create.err")
t_check kept_text_bundle_made "$DP_BIN" bundle open "$kept" --out "$T_DIR/kept"
t_check kept_text_still_redacted no_secret "$kept" $(find "$T_DIR/kept" -type f)
t_check kept_text_method_replaced grep -q '^CSeq: 7 <secret>$' "$T_DIR/kept/log/deskphone.log"
# two bundles at once (most likely within one second) do not collide
one=$("${B[@]}" 2>>"$T_DIR/create.err")
two=$("${B[@]}" 2>>"$T_DIR/create.err")
t_check two_bundles_two_files sh -c "[ -n '$one' ] && [ -n '$two' ] && [ '$one' != '$two' ] &&
	'$DP_BIN' bundle verify '$one' >/dev/null && '$DP_BIN' bundle verify '$two' >/dev/null"

# --- deskphone redact: streaming, keyed, seeded from the configuration ------
printf 'k%.0s' $(seq 1 40) > "$T_DIR/key1"
printf 'j%.0s' $(seq 1 40) > "$T_DIR/key2"
R=( "$DP_BIN" redact --config "$DP_FIRMWARE" --local "$dir/local.conf" )
"${R[@]}" --key-file "$T_DIR/key1" < "$log" > "$T_DIR/r1.log"
t_check redact_exit_ok [ $? = 0 ]
"${R[@]}" --key-file "$T_DIR/key1" < "$log" > "$T_DIR/r2.log"
"${R[@]}" --key-file "$T_DIR/key2" < "$log" > "$T_DIR/r3.log"
t_check redact_clean no_secret "$T_DIR/r1.log"
t_check redact_same_key_same_output cmp -s "$T_DIR/r1.log" "$T_DIR/r2.log"
t_check redact_other_key_other_tokens not cmp -s "$T_DIR/r1.log" "$T_DIR/r3.log"
t_check redact_same_lines sh -c "[ \$(wc -l < '$T_DIR/r1.log') = \$(wc -l < '$log') ]"
# the phone's own name in a form no rule knows is still found
echo "note from thabo nkosi at the desk" | "${R[@]}" > "$T_DIR/r4.log"
t_check redact_seeded_identity sh -c "! grep -qi nkosi '$T_DIR/r4.log'"
"$DP_BUILD/test/redact-gen" --bytes 3000000 --seed 9 | "$DP_BIN" redact --no-phone > "$T_DIR/big.out"
t_check redact_streams_big_input sh -c "[ \$(stat -c %s '$T_DIR/big.out') -gt 2000000 ]"
"$DP_BIN" redact --key-file "$T_DIR/nothing" < /dev/null >/dev/null 2>&1
t_check redact_bad_key_file_exit_2 [ $? = 2 ]

# --- a provisioned phone: a support key, a sealed account, line keys -------
# The stick names the support key made above; the phone's entry has an
# auth user of its own and two colleagues on line keys.  The phone runs
# the sim board's user interface.
P_MAC=02:00:00:00:00:41
inst=$T_DIR/installer
pdir=$(phone_dir prov)
mkdir -p "$inst" "$T_DIR/trusted" "$T_DIR/stick" "$pdir/usb" "$pdir/out"
"$DP_BIN" provision keygen --out "$inst/acme" > /dev/null
cp "$inst/acme.pub" "$T_DIR/trusted/"
cp "$T_DIR/support.pub" "$inst/support.pub"
printf '{"site": "Bundle office", "sip": {"registrar": "127.0.0.1:%s",
 "transport": "udp", "register_interval_s": 60, "codecs": ["PCMU"]},
 "time_zone": "UTC", "support_public_key": "support.pub"}\n' "$KAM_PORT" > "$inst/site.json"
{ echo "mac,extension,display_name,sip_user,auth_user,sip_password,line_keys"
  echo "$P_MAC,4731,Lindiwe Dlamini,$P_USER,$P_AUTH,$P_PASS,line;blf:4712:Alice Jones;speed:0215550100:Head office"
} > "$inst/phones.csv"
"$DP_BIN" provision make --site "$inst/site.json" --phones "$inst/phones.csv" \
	--key "$inst/acme.key" --out "$T_DIR/stick" --version 100 > "$T_DIR/make.out" 2>&1
t_check prov_stick_made grep -q 'version 100' "$T_DIR/make.out"

write_phone_config prov "# no account until provisioned" "sip_trace yes" \
	"ui_modules dpui.so" "deskphone_bin $DP_BIN" "bundle_usb_dir $pdir/usb" \
	"provision_trusted_keys $T_DIR/trusted" "provision_mac $P_MAC" \
	"provision_watch_dir $pdir/no-stick"
PS=( --config "$DP_FIRMWARE" --local "$pdir/local.conf" --set "state_dir=$pdir/state" )
t_check prov_applied "$DP_BIN" provision apply --no-result "${PS[@]}" "$T_DIR/stick"
t_check prov_has_support_key grep -q '^support_public_key .*/support.pub$' "$pdir/state/deskphone.local.conf"
t_check prov_has_line_key grep -q '^line_key_2 blf 4712 Alice Jones$' "$pdir/state/deskphone.local.conf"
# the provisioned secrets in a log line no rule understands, put there
# before the daemon starts writing its SIP trace (a line that landed
# inside a traced message would be taken for one of its headers)
plog=$pdir/log/deskphone.log
mkdir -p "$pdir/log"
printf '%s dpprov: note sip:%s@127.0.0.1:%s %s %s\n' "$(date -u +%FT%TZ)" \
	"$P_USER" "$KAM_PORT" "$P_AUTH" "$P_PASS" > "$plog"
start_phone prov --set "state_dir=$pdir/state" || t_fail prov_start "phone did not answer on its socket"
t_check prov_register_has_auth_user t_wait_until 20 grep -q "username=\"$P_AUTH\"" "$plog"
t_check prov_log_has_planted grep -qF "$P_PASS" "$plog"

# prov_clean DIR...: nothing of the provisioned account or the colleagues
prov_clean() {
	if grep -raF -e "$P_PASS" -e "$P_AUTH" -e "sip:$P_USER@" -e "$P_USER" \
		-e "Alice" -e "Jones" -e "Head office" -e "0215550100" "$@" >&2; then
		t_log "the bundle holds a provisioned secret or a colleague"
		return 1
	fi
}
# sealed FILE: not a tar; only the support key opens it
sealed() {
	case "$1" in *.tar.enc) ;; *) return 1 ;; esac
	[ "$(head -c 8 "$1")" = DPBUNDLE ] && ! tar tf "$1" >/dev/null 2>&1 &&
		! "$DP_BIN" bundle verify "$1" >/dev/null 2>&1 &&
		"$DP_BIN" bundle verify "$1" --key "$T_DIR/support.key" >/dev/null
}

# the keypad, as a person would: Menu, down to "Debug bundle to USB", OK
sim() { "$DP_BIN" sim --socket "$pdir/run/sim.sock" "$@"; }
menu_to() {
	local i
	sim --key menu --screen > "$T_DIR/screen.txt" || return 1
	for i in 1 2 3 4 5 6 7 8 9 10; do
		grep -qF ">$1" "$T_DIR/screen.txt" && return 0
		sim --key down --screen > "$T_DIR/screen.txt" || return 1
	done
	return 1
}
screen_says() { sim --screen | grep -qF -- "$1"; }
t_check keypad_menu_to_bundle menu_to "Debug bundle to USB"
sim --key ok > /dev/null
t_check keypad_bundle_saved t_wait_until 60 screen_says "Bundle saved"
kb=$(ls "$pdir/usb"/deskphone-bundle-* 2>/dev/null | head -1)
t_check keypad_bundle_sealed sealed "$kb"
t_check keypad_bundle_no_plain_tar not ls "$pdir/usb"/deskphone-bundle-*.tar
t_check keypad_bundle_opens "$DP_BIN" bundle open "$kb" --key "$T_DIR/support.key" --out "$T_DIR/prov-keypad"
t_check keypad_bundle_clean prov_clean "$T_DIR/prov-keypad"

# the command line without flags: sealed too
PB=( "$DP_BIN" bundle create "${PS[@]}" --out "$pdir/out" )
cb=$("${PB[@]}" 2>"$T_DIR/prov-create.err")
t_check cli_bundle_sealed sealed "$cb"
t_check cli_bundle_opens "$DP_BIN" bundle open "$cb" --key "$T_DIR/support.key" --out "$T_DIR/prov-cli"
t_check cli_bundle_clean prov_clean "$T_DIR/prov-cli"
t_check cli_bundle_has_the_line grep -q 'dpprov: note sip:<' "$T_DIR/prov-cli/log/deskphone.log"
lk=$T_DIR/prov-cli/config/local.conf
t_check cli_line_keys_pseudonymised sh -c "grep -q '^line_key_1 line\$' '$lk' &&
	grep -Eq '^line_key_2 blf <num-[0-9a-f]+> <name-[0-9a-f]+>\$' '$lk' &&
	grep -Eq '^line_key_3 speed <num-[0-9a-f]+> <name-[0-9a-f]+>\$' '$lk'"

# --plain: a tar, by choice, said and audited
pb=$("${PB[@]}" --plain 2>"$T_DIR/prov-plain.err")
t_check plain_by_choice_is_tar sh -c "case '$pb' in *.tar) tar tf '$pb' >/dev/null ;; *) exit 1 ;; esac"
t_check plain_by_choice_said grep -q 'by choice (--plain)' "$T_DIR/prov-plain.err"
plain_audited() {
	grep '"event":"bundle_create"' "$pdir/state/audit.jsonl" | tail -1 |
		grep -q '"sealed":false,"plain_by_choice":true'
}
t_check plain_by_choice_audited plain_audited
t_check plain_by_choice_opens "$DP_BIN" bundle open "$pb" --out "$T_DIR/prov-plain"
t_check plain_by_choice_clean prov_clean "$T_DIR/prov-plain"
"${PB[@]}" --plain --to-key "$T_DIR/support.pub" > /dev/null 2>&1
t_check plain_and_to_key_is_usage [ $? = 2 ]

# a support key that cannot be used: a clear error and no bundle at all
mkdir -p "$pdir/bad"
"$DP_BIN" bundle create "${PS[@]}" --out "$pdir/bad" --set "support_public_key=$T_DIR/no-such.pub" \
	> "$T_DIR/bad1.out" 2> "$T_DIR/bad1.err"
t_check missing_key_fails [ $? = 1 ]
t_check missing_key_said grep -q 'support key (support_public_key) .*no-such.pub: No such file' "$T_DIR/bad1.err"
"$DP_BIN" bundle create "${PS[@]}" --out "$pdir/bad" --set "support_public_key=$inst/acme.pub" \
	> "$T_DIR/bad2.out" 2> "$T_DIR/bad2.err"
t_check wrong_kind_of_key_fails [ $? = 1 ]
t_check wrong_kind_of_key_said grep -q 'not an X25519 public key' "$T_DIR/bad2.err"
t_check bad_key_no_bundle_written sh -c "[ -z \"\$(ls -A '$pdir/bad')\" ] &&
	[ ! -s '$T_DIR/bad1.out' ] && [ ! -s '$T_DIR/bad2.out' ]"

t_done
