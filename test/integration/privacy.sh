#!/bin/bash
# The privacy rules in a running phone, on a simulated clock
# (privacy_test_clock: the daemon, its log stamps and the command line all
# read the time from one file).  Real calls through kamailio to two stock
# baresip far ends whose numbers are planted: 0215550101 (A) and
# 0215550102 (B).  Retention by class (personal fields after 7 days, whole
# records after 30, logs after 7) from every interface and from the raw
# files; legal hold; clock jumps ahead and back; restriction; objection;
# correction; export; erase; the audit log and its tamper checks; a factory
# reset that leaves a working phone.
. "$(dirname "$0")/../lib/harness.sh"

A=0215550101
B=0215550102
DAY=86400
T0=$(date +%s)
dir=$(phone_dir phone)
clock=$dir/clock

# clock WALL_OFFSET_S BOOT_OFFSET_S [synced|unsynced]: the simulated time
clock() {
	mkdir -p "$dir"
	echo "$((T0 + $1)) ${3:-synced} $((1000 + $2))" > "$clock.tmp"
	mv "$clock.tmp" "$clock"
}
# days N: N days on from the start, wall clock and running time alike
days() { clock $(($1 * DAY)) $(($1 * DAY)); }

priv() { "$DP_BIN" privacy --config "$DP_FIRMWARE" --local "$dir/local.conf" "$@"; }
cdr_cli() { "$DP_BIN" cdr --config "$DP_FIRMWARE" --local "$dir/local.conf" "$@"; }
records() { cdr_cli list 2>/dev/null | grep -c '^ *[0-9]' || true; }
log_has() { grep -q -- "$1" "$dir/log/deskphone.log" "$dir/log/deskphone.log.1" 2>/dev/null; }
# nothing anywhere under the phone's state and log directories
nowhere() { ! grep -r -q -a -- "$1" "$dir/state" "$dir/log"; }

calls=0
# call USER: a call that is answered and hung up here
call() {
	phone_ctl phone dial "$1" >/dev/null || return 1
	calls=$((calls + 1))
	wait_event phone CALL_ESTABLISHED 15 "$calls" || return 1
	sleep 0.5
	phone_ctl phone hangup >/dev/null || return 1
	wait_event phone CALL_CLOSED 15 "$calls"
}

start_kamailio 100:secret100 300:secret300 $A:secretA $B:secretB ||
	{ t_fail kamailio "did not start"; t_done; }
start_far_baresip farA "$(account_line $A secretA ';answermode=auto')"
start_far_baresip farB "$(account_line $B secretB ';answermode=auto')"

days 0
printf 'Reception <101>\nFar A <%s>\n' "$A" > "$T_DIR/contacts"
write_phone_config phone "$(account_line 100 secret100)" \
	"sip_trace yes" \
	"privacy_test_clock $clock" \
	"contacts_file $dir/contacts"
cp "$T_DIR/contacts" "$dir/contacts"
start_phone phone || t_fail start "phone did not answer on its socket"
start_events phone
t_check registered t_wait_until 20 phone_registered phone
t_check purged_at_start t_wait_until 10 log_has "dpprivacy: purge (clock first)"

# --- day 0: two calls to A -----------------------------------------------
t_check day0_call1 call $A
t_check day0_call2 call $A
t_check two_records sh -c "[ \$('$DP_BIN' cdr --config '$DP_FIRMWARE' --local '$dir/local.conf' list | grep -c $A) = 2 ]"
t_check trace_names_a log_has "INVITE sip:$A@"
t_check status_counts sh -c "'$DP_BIN' privacy --config '$DP_FIRMWARE' --local '$dir/local.conf' status | grep -q '\"call_records\":{\"held\":2,'"

# --- day 10: personal fields (7 days) and logs (7 days) of day 0 go -------
days 10
t_check purge_day10 sh -c "'$DP_BIN' privacy --config '$DP_FIRMWARE' --local '$dir/local.conf' purge-now | grep -q 'purged by the daemon: held no'"
t_check day0_records_kept sh -c "[ \$('$DP_BIN' cdr --config '$DP_FIRMWARE' --local '$dir/local.conf' list | grep -c '(erased)') = 2 ]"
t_check day0_numbers_gone_from_cdr not sh -c "'$DP_BIN' cdr --config '$DP_FIRMWARE' --local '$dir/local.conf' export | grep -q $A"
# (the export names A once: in the contacts, which stay 90 days)
t_check day0_numbers_gone_from_export sh -c "'$DP_BIN' privacy --config '$DP_FIRMWARE' --local '$dir/local.conf' export | grep -c $A | grep -qx 1"
t_check day0_trace_gone not log_has "$A@"
# the contacts file (90 days) and its entry for A stay; nothing else has A
t_check a_only_in_contacts sh -c "! grep -r -q -a -l $A '$dir/state' '$dir/log'"

t_check day10_call call $B

# --- day 35, legal hold: nothing goes, and the purge says so -----------------
t_check hold_on sh -c "'$DP_BIN' privacy --config '$DP_FIRMWARE' --local '$dir/local.conf' hold on --reason 'case 7' | grep -q 'legal hold on'"
days 35
t_check purge_held sh -c "'$DP_BIN' privacy --config '$DP_FIRMWARE' --local '$dir/local.conf' purge-now | grep -q 'held yes'"
t_check held_records_stay sh -c "[ \$('$DP_BIN' cdr --config '$DP_FIRMWARE' --local '$dir/local.conf' list | grep -c -e '(erased)' -e $B) = 3 ]"
t_check status_says_held sh -c "'$DP_BIN' privacy --config '$DP_FIRMWARE' --local '$dir/local.conf' status | grep -q '\"legal_hold\":true'"
t_check erase_refused_under_hold not priv erase --yes
t_check hold_off priv hold off

# released: day 0's records (35 days) go, B's (25 days) loses its number
t_check purge_day35 sh -c "'$DP_BIN' privacy --config '$DP_FIRMWARE' --local '$dir/local.conf' purge-now | grep -q 'call_records 2,'"
t_check one_record_left sh -c "[ \$('$DP_BIN' cdr --config '$DP_FIRMWARE' --local '$dir/local.conf' list | grep -c '^ *[0-9]') = 1 ]"
t_check b_erased sh -c "'$DP_BIN' cdr --config '$DP_FIRMWARE' --local '$dir/local.conf' list | grep -q '(erased)'"
t_check b_nowhere nowhere "$B"
t_check a_store_nowhere nowhere "sip:$A"

# --- a wrong clock ---------------------------------------------------------
# ten years ahead, no running time: one day (the step), not ten years
clock $((3650 * DAY)) $((35 * DAY))
t_check jump_ahead_stepped sh -c "'$DP_BIN' privacy --config '$DP_FIRMWARE' --local '$dir/local.conf' purge-now | grep -q 'clock catching_up'"
t_check jump_ahead_kept_b sh -c "[ \$('$DP_BIN' cdr --config '$DP_FIRMWARE' --local '$dir/local.conf' list | grep -c '^ *[0-9]') = 1 ]"
# back to 1970 (before the build): the wall clock is not used at all
echo "100000 synced $((1000 + 35 * DAY))" > "$clock"
t_check jump_back_untrusted sh -c "'$DP_BIN' privacy --config '$DP_FIRMWARE' --local '$dir/local.conf' purge-now | grep -q 'clock untrusted'"
t_check jump_back_kept_b sh -c "[ \$('$DP_BIN' cdr --config '$DP_FIRMWARE' --local '$dir/local.conf' list | grep -c '^ *[0-9]') = 1 ]"
# a call made while the clock says 1970 is not stamped 1970 (where the
# next purge would take it at once)
t_check call_on_wrong_clock call $B
t_check not_stamped_1970 not sh -c "'$DP_BIN' cdr --config '$DP_FIRMWARE' --local '$dir/local.conf' export --format csv | grep -q ',1970-'"
t_check kept_after_purge sh -c "'$DP_BIN' privacy --config '$DP_FIRMWARE' --local '$dir/local.conf' purge-now >/dev/null && [ \$('$DP_BIN' cdr --config '$DP_FIRMWARE' --local '$dir/local.conf' list | grep -c '^ *[0-9]') = 2 ]"
# the clock right again (trusted time is day 36 now)
clock $((36 * DAY + 600)) $((35 * DAY + 600))

# --- restrict -------------------------------------------------------------
t_check restrict_on priv restrict on
t_check restrict_stops_trace t_wait_until 5 log_has "dpprivacy: SIP trace off"
t_check restricted_call call $B
t_check cdr_list_refused not cdr_cli list
t_check cdr_export_refused not cdr_cli export
t_check cdr_stats_allowed cdr_cli stats
t_check bundle_refused not "$DP_BIN" bundle create --config "$DP_FIRMWARE" --local "$dir/local.conf" --out "$T_DIR"
priv export > "$T_DIR/restricted.json"
t_check export_still_works grep -q '"restricted":[[:space:]]*true' "$T_DIR/restricted.json"
# B's day-10 call (erased by age) and the call made while restricted
t_check restricted_call_no_personal sh -c "grep -c '\"personal_fields_held\":[[:space:]]*false' '$T_DIR/restricted.json' | grep -qx 2"
t_check no_trace_kept not grep -q ' #$' "$dir/log/deskphone.log"
t_check refusals_audited grep -q '"event":"access_refused","what":"cdr_list"' "$dir/state/audit.jsonl"
t_check restrict_off priv restrict off
t_check trace_back t_wait_until 5 log_has "dpprivacy: SIP trace on again"

# --- object -----------------------------------------------------------------
t_check object_add priv object add "$B"
t_check object_listed sh -c "'$DP_BIN' privacy --config '$DP_FIRMWARE' --local '$dir/local.conf' object list | grep -qx $B"
t_check objected_call call $B
t_check objected_no_personal not sh -c "'$DP_BIN' cdr --config '$DP_FIRMWARE' --local '$dir/local.conf' export | grep -q $B"
t_check objected_gone_from_log t_wait_until 8 not log_has "$B"
t_check objection_nowhere nowhere "$B"
t_check object_remove priv object remove "$B"

# --- correct ----------------------------------------------------------------
t_check kept_call call $B
seq=$(cdr_cli export --format csv | grep "$B" | tail -1 | cut -d, -f1)
priv correct record "$seq" --name "Fixed Name" > "$T_DIR/corrected.txt"
t_check correct_name grep -q 'call record corrected: now record' "$T_DIR/corrected.txt"
# a name longer than the record had room for moves it to the end
seq=$(sed 's/.*now record //' "$T_DIR/corrected.txt")
t_check corrected sh -c "'$DP_BIN' cdr --config '$DP_FIRMWARE' --local '$dir/local.conf' list | grep -q 'Fixed Name'"
t_check correct_delete priv correct record "$seq" --delete
t_check deleted not sh -c "'$DP_BIN' cdr --config '$DP_FIRMWARE' --local '$dir/local.conf' list | grep -q -e 'Fixed Name' -e $B"
t_check correct_contact priv correct contact "Far A" --delete
t_check contact_gone not grep -q "$A" "$dir/contacts"

# --- export against the store ------------------------------------------------
priv export > "$T_DIR/export.json"
t_check export_counts sh -c "[ \$(grep -c '\"sip_status\":' '$T_DIR/export.json') = \$('$DP_BIN' cdr --config '$DP_FIRMWARE' --local '$dir/local.conf' export | grep -c '\"seq\":') ]"
t_check export_has_purposes sh -c "[ \$(grep -c '\"purpose\":' '$T_DIR/export.json') = 7 ]"
t_check export_audited grep -q '"event":"export"' "$dir/state/audit.jsonl"

# --- erase: everything personal gone, the phone works on ----------------------
t_check erase priv erase --yes
t_check erased_records sh -c "'$DP_BIN' cdr --config '$DP_FIRMWARE' --local '$dir/local.conf' list | grep -q 'no call records'"
t_check erased_contacts not test -e "$dir/contacts"
t_check erased_log not log_has "$B"
t_check erased_nowhere nowhere "$A"
t_check still_registered phone_registered phone
t_check call_after_erase call $B
t_check one_record_after_erase sh -c "[ \$('$DP_BIN' cdr --config '$DP_FIRMWARE' --local '$dir/local.conf' list | grep -c '^ *[0-9]') = 1 ]"

# --- the audit log ---------------------------------------------------------
t_check audit_verifies priv audit verify
for e in purge purge_held legal_hold restrict object_add object_remove correct export erase; do
	t_check "audit_has_$e" grep -q "\"event\":\"$e\"" "$dir/state/audit.jsonl"
done
t_check audit_no_numbers not grep -q -e "$A" -e "$B" "$dir/state/audit.jsonl"
cp "$dir/state/audit.jsonl" "$T_DIR/edited.jsonl"
cp "$dir/state/audit.jsonl.anchor" "$T_DIR/edited.jsonl.anchor"
sed -i '2s/"event":"[a-z_]*"/"event":"nothing"/' "$T_DIR/edited.jsonl"
t_check audit_edit_detected not priv --set audit_log="$T_DIR/edited.jsonl" audit verify
cp "$dir/state/audit.jsonl" "$T_DIR/cut.jsonl"
cp "$dir/state/audit.jsonl.anchor" "$T_DIR/cut.jsonl.anchor"
sed -i '$d' "$T_DIR/cut.jsonl"
t_check audit_cut_detected not priv --set audit_log="$T_DIR/cut.jsonl" audit verify

# --- factory reset: the phone forgets who it is, then starts afresh ------------
t_check reset_refused_while_running not priv erase --yes --factory-reset
eval "t_stop_pid \$PHONE_PID_phone"
t_check factory_reset priv erase --yes --factory-reset
t_check reset_no_secret not test -e "$dir/state/device.secret"
t_check reset_no_privacy not test -e "$dir/state/privacy"
t_check reset_no_audit not test -e "$dir/state/audit.jsonl"
t_check reset_nowhere nowhere "sip:"
start_phone phone || t_fail restart "phone did not start after the reset"
t_check reset_registers t_wait_until 20 phone_registered phone
t_check reset_new_secret test -s "$dir/state/device.secret"

# --- a phone purging on its own timer (every second here) ---------------------
tdir=$(phone_dir timed)
mkdir -p "$tdir"
echo "$T0 synced 1000" > "$tdir/clock"
write_phone_config timed "$(account_line 300 secret300)" \
	"privacy_test_clock $tdir/clock" "privacy_purge_interval_s 1"
start_phone timed || t_fail start_timed "phone did not answer on its socket"
t_check timed_registered t_wait_until 20 phone_registered timed
start_events timed
phone_ctl timed dial $A >/dev/null
t_check timed_call wait_event timed CALL_ESTABLISHED 15
phone_ctl timed hangup >/dev/null
t_check timed_closed wait_event timed CALL_CLOSED 15
t_check timed_recorded sh -c "'$DP_BIN' cdr --config '$DP_FIRMWARE' --local '$tdir/local.conf' list | grep -q $A"
echo "$((T0 + 40 * DAY)) synced $((1000 + 40 * DAY))" > "$tdir/clock"
t_check timer_purged_by_itself t_wait_until 15 sh -c "'$DP_BIN' cdr --config '$DP_FIRMWARE' --local '$tdir/local.conf' list | grep -q 'no call records'"

t_done
