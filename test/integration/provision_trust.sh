#!/bin/bash
# Trust on first use needs a person at the phone.  Fresh phones (no key
# trusted at the factory, the shipped provision_allow_tofu) on the sim
# board: a stick made with --trust-on-first-use is not applied when it is
# plugged in; the LCD asks "Trust this stick?" with the site and the key
# id.  OK pins the key and applies the stick; Back, the time running out
# and pulling the stick refuse it, pin nothing, apply nothing, and the
# stick's result file says why.  A phone with a pinned key refuses a
# stick signed by another key without asking.  The CLI pins only with
# --trust-new-key.  Keys go in and the screen comes out through the sim
# socket, as `deskphone sim` does.
. "$(dirname "$0")/../lib/harness.sh"

PW_A="Sip-A-$RANDOM-$RANDOM"
PW_B="Sip-B-$RANDOM-$RANDOM"
PW_C="Sip-C-$RANDOM-$RANDOM"
MAC1=02:00:00:00:00:01
MAC2=02:00:00:00:00:02
MAC3=02:00:00:00:00:03
INST=$T_DIR/installer
STICKS=$T_DIR/sticks

start_kamailio 201:$PW_A 202:$PW_B 203:$PW_C || { t_fail kamailio "did not start"; t_done; }

# --- the installer: a key, a stick that asks to be trusted -------------------

mkdir -p "$INST" "$STICKS" "$T_DIR/no-factory-keys"
"$DP_BIN" provision keygen --out "$INST/acme" > "$T_DIR/keygen.out"
KEY_ID=$(sed -n 's/^key id //p' "$T_DIR/keygen.out")
"$DP_BIN" provision keygen --out "$INST/intruder" > "$T_DIR/keygen-intruder.out"
INTRUDER_ID=$(sed -n 's/^key id //p' "$T_DIR/keygen-intruder.out")

cat > "$INST/site.json" <<EOF
{
	"site": "Acme HQ",
	"sip": {
		"registrar": "127.0.0.1:$KAM_PORT",
		"transport": "udp",
		"register_interval_s": 60,
		"codecs": ["PCMU"]
	},
	"time_zone": "UTC"
}
EOF
{
	echo "mac,extension,display_name,sip_user,sip_password"
	echo "$MAC1,201,Desk 201,201,$PW_A"
	echo "$MAC2,202,Desk 202,202,$PW_B"
	echo "$MAC3,203,Desk 203,203,$PW_C"
} > "$INST/phones.csv"

# make_stick NAME KEY: a stick in $STICKS/NAME that asks to be trusted
make_stick() {
	mkdir -p "$STICKS/$1"
	"$DP_BIN" provision make --site "$INST/site.json" --phones "$INST/phones.csv" \
		--key "$INST/$2.key" --out "$STICKS/$1" --version 100 --trust-on-first-use \
		> "$T_DIR/make-$1.out" 2>&1
}
t_check make_tofu_stick make_stick acme acme
for s in t2 t2b t2c t3 cli; do cp -a "$STICKS/acme" "$STICKS/$s"; done
t_check make_intruder_stick make_stick intruder intruder

# --- the phones ---------------------------------------------------------------

# a phone out of the box: no trusted key, the shipped trust settings, the
# sim board with the UI
phone_conf() {   # phone_conf NAME MAC [SETTING...]
	local name=$1 mac=$2
	shift 2
	write_phone_config "$name" "# no account until provisioned" \
		"ui_modules dpui.so" "lcd_dump_file $(phone_dir "$name")/screen.txt" \
		"provision_trusted_keys $T_DIR/no-factory-keys" "provision_mac $mac" \
		"provision_watch_dir $T_DIR/usb-$name" "provision_poll_ms 200" "$@"
}
phone_args() { echo "--set state_dir=$(phone_dir "$1")/state"; }
sim() { local n=$1; shift; "$DP_BIN" sim --socket "$(phone_dir "$n")/run/sim.sock" "$@"; }
press() { sim "$1" --key "$2" > /dev/null; }
lcd() { sim "$1" --screen; }
lcd_has() { lcd "$1" | grep -qF -- "$2"; }
prov_status() { phone_ctl "$1" cmd dpprov_status | sed 's/\\"/"/g'; }
prov_state_is() { prov_status "$1" | grep -q "\"state\":\"$2\""; }
registered_as() {
	phone_ctl "$1" status | grep -q "\"aor\":\"sip:$2@127.0.0.1:$KAM_PORT\",\"registered\":true"
}
has_account() { phone_ctl "$1" status | grep -q '"aor"'; }
# the phone's own settings file (a fresh phone has none until provisioned)
local_conf_sum() {
	local f
	f=$(phone_dir "$1")/state/deskphone.local.conf
	if [ -e "$f" ]; then sha256sum < "$f"; else echo none; fi
}
pinned() { ls "$(phone_dir "$1")/state/provision/trusted-keys/"*.pub > /dev/null 2>&1; }
result_file() { echo "$T_DIR/usb-$1/deskphone-provisioning/results/$2.json"; }
log_of() { echo "$(phone_dir "$1")/log/deskphone.log"; }
# insert NAME STICK: the stick's mount appears at once, as the udev rule
# makes it
insert() { rm -rf "$T_DIR/usb-$1"; mv "$STICKS/$2" "$T_DIR/usb-$1"; }

# the prompt NAME shows: the question, the site and the whole key id
asks() {
	local name=$1 what=$2
	t_check "${name}_${what}_asks_on_the_lcd" t_wait_until 20 lcd_has "$name" "Trust this stick?"
	lcd "$name" > "$T_DIR/lcd-$name-$what.txt"
	t_check "${name}_${what}_lcd_shows_site" grep -qF "Site: Acme HQ" "$T_DIR/lcd-$name-$what.txt"
	t_check "${name}_${what}_lcd_shows_key_id" grep -qF "Key $KEY_ID" "$T_DIR/lcd-$name-$what.txt"
	t_check "${name}_${what}_lcd_shows_soft_keys" grep -qF "Trust         Refuse" "$T_DIR/lcd-$name-$what.txt"
	t_check "${name}_${what}_status_asking" prov_state_is "$name" asking
}

# nothing of the stick reached NAME: no key pinned, no account, the
# settings as before
nothing_applied() {
	local name=$1 sum=$2 tag=$3
	t_check "${name}_${tag}_nothing_pinned" not pinned "$name"
	t_check "${name}_${tag}_no_account" not has_account "$name"
	t_check "${name}_${tag}_settings_unchanged" [ "$(local_conf_sum "$name")" = "$sum" ]
}

# fresh_phone NAME MAC [SETTING...]: start it; its idle screen is up
fresh_phone() {
	local name=$1
	phone_conf "$@"
	# shellcheck disable=SC2046
	start_phone "$name" $(phone_args "$name") || t_fail "start_$name" "phone did not answer on its socket"
	t_check "${name}_idle_screen" t_wait_until 20 lcd_has "$name" "Hist Dir  DND  Menu"
}

# --- t1: OK pins the key and applies the stick -------------------------------

fresh_phone t1 "$MAC1"
sum_t1=$(local_conf_sum t1)

insert t1 acme
asks t1 first
nothing_applied t1 "$sum_t1" while_asking
t_check t1_log_says_asking grep -q "dpprov: the stick asks to be trusted on first use: key $KEY_ID, site \"Acme HQ\"" "$(log_of t1)"

press t1 ok
t_check t1_applied_after_ok t_wait_until 20 prov_state_is t1 applied
t_check t1_lcd_shows_result t_wait_until 10 lcd_has t1 "Provisioned v100"
t_check t1_registers t_wait_until 15 registered_as t1 201
t_check t1_key_pinned test -s "$(phone_dir t1)/state/provision/trusted-keys/$KEY_ID.pub"
t_check t1_result_file_applied grep -q '"result":"applied"' "$(result_file t1 020000000001)"
t_check t1_log_says_confirmed grep -q "dpprov: key $KEY_ID (site \"Acme HQ\") confirmed at the phone" "$(log_of t1)"
t_check t1_log_says_pinned grep -q "dpprov: pinned provisioning key $KEY_ID" "$(log_of t1)"
press t1 ok
t_check t1_result_dismissed t_wait_until 10 lcd_has t1 "Hist Dir  DND  Menu"

# then a stick signed by another key: refused, and nobody is asked
sum_t1=$(local_conf_sum t1)
insert t1 intruder
t_check t1_other_key_refused t_wait_until 20 sh -c "$DP_BIN ctl --socket $(phone_socket t1) cmd dpprov_status | grep -q 'which this phone does not trust'"
t_check t1_other_key_not_asked [ "$(grep -c 'asks to be trusted on first use: key' "$(log_of t1)")" = 1 ]
t_check t1_other_key_no_prompt not lcd_has t1 "Trust this stick?"
t_check t1_other_key_named grep -q "signed by key $INTRUDER_ID, which this phone does not trust" "$(log_of t1)"
t_check t1_other_key_result_refused grep -q '"result":"refused"' "$(result_file t1 020000000001)"
t_check t1_other_key_settings_unchanged [ "$(local_conf_sum t1)" = "$sum_t1" ]
t_check t1_still_registered registered_as t1 201
t_check t1_still_one_pin [ "$(find "$(phone_dir t1)/state/provision/trusted-keys" -name "*.pub" | wc -l)" = 1 ]

# --- t2: Back refuses; so does pulling the stick -----------------------------

fresh_phone t2 "$MAC2"
sum_t2=$(local_conf_sum t2)

insert t2 t2
asks t2 first
press t2 back
t_check t2_refused_after_back t_wait_until 20 prov_state_is t2 refused
t_check t2_prompt_gone not lcd_has t2 "Trust this stick?"
t_check t2_result_file_refused grep -q '"result":"refused"' "$(result_file t2 020000000002)"
t_check t2_result_file_says_not_confirmed grep -q 'not confirmed at the phone: refused at the phone (back)' "$(result_file t2 020000000002)"
nothing_applied t2 "$sum_t2" after_back
t_check t2_log_says_refused grep -q "dpprov: key $KEY_ID (site \"Acme HQ\") not trusted: refused at the phone (back)" "$(log_of t2)"
t_check t2_not_registered not registered_as t2 202

# plugged in again, then pulled while the question is up
insert t2 t2b
asks t2 again
rm -rf "$T_DIR/usb-t2"
t_check t2_refused_when_pulled t_wait_until 20 sh -c "$DP_BIN ctl --socket $(phone_socket t2) cmd dpprov_status | grep -q 'not confirmed at the phone: the stick was taken out'"
t_check t2_pulled_prompt_gone t_wait_until 10 not lcd_has t2 "Trust this stick?"
nothing_applied t2 "$sum_t2" after_pull

# the Refuse soft key, and a key that is no word ('#'), refuse as well
insert t2 t2c
asks t2 third
press t2 soft4
t_check t2_refused_by_soft_key t_wait_until 20 grep -q 'not confirmed at the phone: refused at the phone (soft4)' "$(result_file t2 020000000002)"
cp -a "$STICKS/cli" "$STICKS/t2d"
insert t2 t2d
asks t2 fourth
press t2 '#'
t_check t2_refused_by_pound t_wait_until 20 grep -q 'not confirmed at the phone: refused at the phone (key)' "$(result_file t2 020000000002)"
nothing_applied t2 "$sum_t2" after_keys

# --- t3: nobody answers ------------------------------------------------------

fresh_phone t3 "$MAC3" "provision_trust_timeout_s 2"
sum_t3=$(local_conf_sum t3)
insert t3 t3
t_check t3_asks t_wait_until 20 grep -q "key $KEY_ID, site \"Acme HQ\"; asking at the phone (2 s)" "$(log_of t3)"
t_check t3_refused_when_time_is_up t_wait_until 20 prov_state_is t3 refused
t_check t3_result_file_says_no_answer grep -q 'not confirmed at the phone: nobody answered within 2 s' "$(result_file t3 020000000003)"
t_check t3_prompt_gone t_wait_until 10 not lcd_has t3 "Trust this stick?"
nothing_applied t3 "$sum_t3" after_timeout
t_check t3_log_says_timeout grep -q "dpprov: key $KEY_ID (site \"Acme HQ\") not trusted: nobody answered within 2 s" "$(log_of t3)"

# --- the CLI: a person at the phone only with --trust-new-key -----------------

cli_apply() {   # cli_apply NAME ARGS...: deskphone provision apply on NAME
	local name=$1
	shift
	# shellcheck disable=SC2046
	"$DP_BIN" provision apply --config "$DP_FIRMWARE" --local "$(phone_dir "$name")/local.conf" \
		$(phone_args "$name") "$@"
}
phone_conf c1 "$MAC3"
mkdir -p "$(phone_dir c1)/state"
cli_apply c1 "$STICKS/cli" > "$T_DIR/cli1.out" 2>&1
t_check cli_refuses_without_flag [ $? = 2 ]
t_check cli_says_how grep -q -- "If key $KEY_ID (site \"Acme HQ\") is yours, run again with --trust-new-key" "$T_DIR/cli1.out"
t_check cli_nothing_pinned not pinned c1
cli_apply c1 --set provision_allow_tofu=no --trust-new-key "$STICKS/cli" > "$T_DIR/cli2.out" 2>&1
t_check cli_tofu_off_refuses [ $? = 2 ]
t_check cli_tofu_off_says_so grep -q 'trust on first use is off' "$T_DIR/cli2.out"
cli_apply c1 --set provision_allow_tofu=always "$STICKS/cli" > "$T_DIR/cli3.out" 2>&1
t_check cli_bad_setting_refused [ $? = 2 ]
t_check cli_bad_setting_named grep -q 'provision_allow_tofu must be ask or no' "$T_DIR/cli3.out"
cli_apply c1 --trust-new-key "$STICKS/cli" > "$T_DIR/cli4.out" 2>&1
t_check cli_applies_with_flag [ $? = 0 ]
t_check cli_says_pinned grep -q "pinned key $KEY_ID" "$T_DIR/cli4.out"
t_check cli_key_pinned test -s "$(phone_dir c1)/state/provision/trusted-keys/$KEY_ID.pub"

# --- no password anywhere it should not be ------------------------------------

t_check no_password_in_logs not grep -qF -e "$PW_A" -e "$PW_B" -e "$PW_C" \
	"$(log_of t1)" "$(log_of t2)" "$(log_of t3)" "$T_DIR"/cli*.out "$T_DIR"/lcd-*.txt
t_check no_password_in_results not grep -rqF -e "$PW_A" -e "$PW_B" -e "$PW_C" \
	"$T_DIR/usb-t1/deskphone-provisioning/results" "$T_DIR/usb-t3/deskphone-provisioning/results"

t_done
