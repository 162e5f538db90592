#!/bin/bash
# The redactor learns each secret once and removes it everywhere, on real
# logs: kamailio with debug=3 (its auth module prints the HA1 and the
# expected digest response in free text, its script trace every password
# as a quoted string), three users with passwords registering (our phone
# with its SIP trace, two stock baresips with -v), an SRTP call (SDES
# keys in the trace).  `deskphone redact`, seeded as the bundle seeds it
# (the phone's configuration, the other accounts' passwords as identities),
# runs over each log and over all of them as one input in both orders.
# Nothing the redactor removes in one place survives in another, a nonce
# has one pseudonym wherever it is, and the SIP structure stays readable.
# The bundle learns across its members: the phone's digest response and
# nonce in the older log (archived first) are removed by what the trace in
# the newer log teaches, with the same nonce token in both.
. "$(dirname "$0")/../lib/harness.sh"

REALM=127.0.0.1
PW1=pw1-$(openssl rand -hex 6)
PW2=pw2-$(openssl rand -hex 6)
PW3=pw3-$(openssl rand -hex 6)

KAM_DEBUG=3 start_kamailio "201:$PW1" "202:$PW2" "203:$PW3" ||
	{ t_fail kamailio "did not start"; t_done; }
KAMLOG=$T_DIR/kamailio/kamailio.log

write_phone_config phone "$(account_line 201 "$PW1")" "sip_trace yes"
start_phone phone || t_fail start "phone did not answer on its socket"
start_events phone
PHONELOG=$(phone_dir phone)/log/deskphone.log
FAR_BARESIP_VERBOSE=1 start_far_baresip far2 \
	"$(account_line 202 "$PW2" ';mediaenc=srtp;answermode=auto')" ||
	t_fail far2_start "stock baresip did not start"
FAR_BARESIP_VERBOSE=1 start_far_baresip far3 "$(account_line 203 "$PW3")" ||
	t_fail far3_start "stock baresip did not start"

t_check phone_registered t_wait_until 20 phone_registered phone
t_check far2_registered t_wait_until 20 grep -q '202@127.0.0.1.*200 OK' "$T_DIR/far2/baresip.log"
t_check far3_registered t_wait_until 20 grep -q '203@127.0.0.1.*200 OK' "$T_DIR/far3/baresip.log"
t_check dial_far2 phone_ctl phone dial "sip:202@127.0.0.1:$KAM_PORT"
t_check call_established wait_event phone CALL_ESTABLISHED 15
t_check hangup phone_ctl phone hangup
t_check call_closed wait_event phone CALL_CLOSED 10
t_check phone_quits phone_ctl phone quit
wait_pid_exit "$PHONE_PID_phone" 15 >/dev/null 2>&1

LOGS=("$KAMLOG" "$PHONELOG" "$T_DIR/far2/baresip.log" "$T_DIR/far3/baresip.log")
cat "${LOGS[@]}" > "$T_DIR/all.log"
cat "${LOGS[@]:1}" "$KAMLOG" > "$T_DIR/all-kamailio-last.log"

# --- what must not survive, read from the raw logs ------------------------
ha1() { printf '%s' "$1:$REALM:$2" | md5sum | cut -d' ' -f1; }
{
	printf '%s\n' "$PW1" "$PW2" "$PW3"
	ha1 201 "$PW1"; ha1 202 "$PW2"; ha1 203 "$PW3"
	grep -ohE '(response|nonce|cnonce|opaque)="[^"]+"' "$T_DIR/all.log" | cut -d'"' -f2
	grep -ohE 'inline:[A-Za-z0-9+/=]+' "$T_DIR/all.log" | cut -d: -f2
	grep -ohE "Our result = '[0-9a-f]+'" "$KAMLOG" | cut -d"'" -f2
	grep -ohE 'HA1 string calculated: [0-9a-f]+' "$KAMLOG" | cut -d' ' -f4
} | sort -u > "$T_DIR/secrets"

# the logs hold what the test is about (else it would prove nothing)
for u in 201 202 203; do
	eval "pw=\$PW${u#20}"
	t_check "kamailio_prints_ha1_of_$u" grep -q "HA1 string calculated: $(ha1 "$u" "$pw")" "$KAMLOG"
	t_check "kamailio_prints_password_of_$u" grep -qF "\"$pw\"" "$KAMLOG"
done
t_check kamailio_prints_expected_response sh -c "[ \$(grep -c \"Our result = '\" '$KAMLOG') -ge 3 ]"
t_check responses_in_traces sh -c "[ \$(grep -ohE 'response=\"[0-9a-f]{32}\"' '$T_DIR/all.log' | sort -u | wc -l) -ge 3 ]"
t_check nonces_in_traces grep -qE 'nonce="[^"]+"' "$T_DIR/all.log"
t_check sdes_keys_in_traces sh -c "[ \$(grep -cE 'a=crypto:[0-9]+ [A-Z0-9_]+ inline:' '$T_DIR/all.log') -ge 2 ]"

# --- redact as the bundle does: the phone's configuration, the other
# accounts' passwords (what provisioning gives) ------------------------------
printf 'k%.0s' $(seq 1 40) > "$T_DIR/key"
R=( "$DP_BIN" redact --config "$DP_FIRMWARE" --local "$(phone_dir phone)/local.conf"
    --identity "$PW2" --identity "$PW3" --key-file "$T_DIR/key" )
OUTS=()
for f in "${LOGS[@]}" "$T_DIR/all.log" "$T_DIR/all-kamailio-last.log"; do
	out=$T_DIR/red-$(basename "$(dirname "$f")")-$(basename "$f")
	"${R[@]}" < "$f" > "$out" || t_fail "redact_$(basename "$f")" "exit $?"
	OUTS+=("$out")
done
RED=$T_DIR/red-$(basename "$T_DIR")-all.log

leaks() {
	local hit
	hit=$(grep -oFf "$T_DIR/secrets" "$@" | sort -u)
	[ -z "$hit" ] && return 0
	t_log "survived: $(echo "$hit" | head -5 | tr '\n' ' ')"
	return 1
}
# at least: three passwords, three HA1s, three responses (one a user,
# checked above) and a nonce; kamailio hands out one nonce for several
# challenges in the same second, and the SDES keys of offer and answer
# may be logged once, so more than that depends on timing
t_check secrets_listed sh -c "[ \$(wc -l < '$T_DIR/secrets') -ge 10 ]"
t_check nothing_learned_survives leaks "${OUTS[@]}"
t_check same_lines sh -c "[ \$(wc -l < '$RED') = \$(wc -l < '$T_DIR/all.log') ]"

# one pseudonym per nonce, wherever it is: as many tokens as the raw logs
# have occurrences of the value
nonce_consistent() {
	local v tok raw red
	for v in $(grep -ohE '[^c]nonce="[^"]+"' "$T_DIR/all.log" | cut -d'"' -f2 | sort -u); do
		tok=$(printf 'nonce="%s"\n' "$v" | "${R[@]}" | grep -o '<nonce-[0-9a-f]*>')
		raw=$(grep -oF "$v" "$T_DIR/all.log" | wc -l)
		red=$(grep -oF "$tok" "$RED" | wc -l)
		[ -n "$tok" ] && [ "$raw" = "$red" ] ||
			{ t_log "nonce $v: $raw in the logs, $red of $tok"; return 1; }
	done
}
t_check nonce_one_pseudonym_everywhere nonce_consistent

# the SIP structure and kamailio's words stay readable
same_count() {
	[ "$(grep -cE "$1" "$T_DIR/all.log")" = "$(grep -cE "$1" "$RED")" ] &&
		[ "$(grep -cE "$1" "$RED")" -gt 0 ]
}
t_check register_lines_kept same_count 'REGISTER sip:'
t_check invite_lines_kept same_count 'INVITE sip:'
t_check status_401_kept same_count 'SIP/2.0 401 Unauthorized'
t_check status_200_kept same_count 'SIP/2.0 200 OK'
t_check cseq_kept same_count 'CSeq: [0-9]+ (REGISTER|INVITE|ACK|BYE)'
t_check kamailio_result_line_kept same_count "Our result = '<secret>'|Our result = '[0-9a-f]+'"
t_check kamailio_ha1_line_kept grep -q 'HA1 string calculated: <secret>' "$RED"
t_check authorization_kept grep -q 'Authorization: Digest username="<num-[0-9a-f]*>", realm="127.0.0.1", nonce="<nonce-' "$RED"
t_check responses_secret grep -q 'response="<secret>"' "$RED"

# --- the bundle gets the learning as well: the phone's own digest response
# and nonce, also on a line before the trace that holds them ---------------
PHONE_RESP=$(grep -ohE 'response="[0-9a-f]{32}"' "$PHONELOG" | head -1 | cut -d'"' -f2)
PHONE_NONCE=$(grep -ohE '[^c]nonce="[^"]+"' "$PHONELOG" | head -1 | cut -d'"' -f2)
t_check phone_trace_has_digest test -n "$PHONE_RESP" -a -n "$PHONE_NONCE"
{ printf 'note: %s %s\n' "$PHONE_RESP" "$PHONE_NONCE"; cat "$PHONELOG"; } > "$T_DIR/log.new" &&
	cat "$T_DIR/log.new" > "$PHONELOG"
# and in the older log, a member the bundle redacts before the one with the
# trace: the learning pass over every member removes them there too
printf 'earlier: %s %s\n' "$PHONE_RESP" "$PHONE_NONCE" > "$PHONELOG.1"
mkdir -p "$T_DIR/bundles"
bundle=$("$DP_BIN" bundle create --config "$DP_FIRMWARE" \
	--local "$(phone_dir phone)/local.conf" --out "$T_DIR/bundles" 2>"$T_DIR/bundle.err")
[ -f "$bundle" ] || t_log "bundle create: $(cat "$T_DIR/bundle.err")"
t_check bundle_created test -f "$bundle"
t_check bundle_opens "$DP_BIN" bundle open "$bundle" --out "$T_DIR/opened"
t_check bundle_clean_before_the_place sh -c "test -s '$T_DIR/opened/log/deskphone.log' && ! grep -rqF -e '$PHONE_RESP' -e '$PHONE_NONCE' '$T_DIR/opened'"
t_check bundle_line_before_redacted grep -q '^note: <secret> <nonce-' "$T_DIR/opened/log/deskphone.log"
t_check bundle_earlier_member_clean sh -c "test -s '$T_DIR/opened/log/deskphone.log.1' && ! grep -qF -e '$PHONE_RESP' -e '$PHONE_NONCE' '$T_DIR/opened/log/deskphone.log.1'"
same_nonce_token() {
	local a b
	a=$(grep -o '^earlier: <secret> <nonce-[0-9a-f]*>$' "$T_DIR/opened/log/deskphone.log.1" | grep -o '<nonce-[0-9a-f]*>')
	b=$(grep -o '^note: <secret> <nonce-[0-9a-f]*>$' "$T_DIR/opened/log/deskphone.log" | grep -o '<nonce-[0-9a-f]*>')
	[ -n "$a" ] && [ "$a" = "$b" ] || { t_log "log.1: '$a', log: '$b'"; return 1; }
	# and the token is the one the trace's Authorization header has
	grep -qF "nonce=\"$a\"" "$T_DIR/opened/log/deskphone.log"
}
t_check bundle_earlier_member_same_token same_nonce_token

t_done
