#!/bin/bash
# Redaction and debug bundles on a real phone: a registered phone with the
# SIP trace on makes and takes calls; its log then holds a real baresip
# trace, with the account password and the device secret planted in it as
# well.  Bundles made from it (plain and sealed to a support key) verify,
# open only with the right key, hold no password, device secret or
# identity of the phone anywhere, keep the SIP structure, and each leaves
# a record in the audit log.  `deskphone redact` streams stdin to stdout
# with consistent tokens.
. "$(dirname "$0")/../lib/harness.sh"

USER=thabo7731
PASS=Secr3t-Pass.91
NAME="Thabo Nkosi"

start_kamailio "$USER:$PASS" || { t_fail kamailio "did not start"; t_done; }
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

t_done
