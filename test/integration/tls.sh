#!/bin/bash
# SIP over TLS to kamailio, with the server's certificate verified (our
# dptls module; libre 1.1.0 alone verifies nothing).  The right CA
# registers and calls; a wrong CA, an expired certificate and a
# certificate for another host are refused; a CA file that cannot be
# read disables SIP rather than falling back to unverified TLS.
. "$(dirname "$0")/../lib/harness.sh"

t_make_pki || { t_fail pki "could not make the test certificates"; t_done; }
KAM_TLS="server expired wronghost" start_kamailio \
	100:secret100 101:secret101 102:secret102 103:secret103 \
	104:secret104 105:secret105 106:secret106 ||
	{ t_fail kamailio "did not start with TLS"; t_done; }

# tls_account USER PASS PORT: an account whose registrar and outbound
# proxy are kamailio's TLS listener on PORT.
tls_account() {
	printf '<sip:%s@127.0.0.1:%s;transport=tls>;auth_pass=%s;regint=60;outbound="sip:127.0.0.1:%s;transport=tls;lr"' \
		"$1" "$3" "$2" "$3"
}

# tls_phone NAME USER CERT-NAME CAFILE [SETTINGS...]
tls_phone() {
	local name=$1 user=$2 cert=$3 ca=$4 port
	shift 4
	eval "port=\$KAM_TLS_PORT_$cert"
	write_phone_config "$name" "$(tls_account "$user" "secret$user" "$port")" \
		"sip_cafile $ca" "$@"
	start_phone "$name" || t_fail "start_$name" "phone did not answer on its socket"
	start_events "$name"
}

log_of() { echo "$(phone_dir "$1")/log/deskphone.log"; }

# --- the right CA, the right host: registers over TLS ---
tls_phone good 100 server "$PKI_DIR/ca.crt"
t_check right_ca_registers t_wait_until 20 phone_registered good
t_check verification_on grep -q 'dptls: SIP transports udp,tcp,tls; TLS servers verified against sip_cafile' "$(log_of good)"
t_check registrar_saw_tls sh -c "grep -q 'transport=tls' '$(phone_dir good)/run/baresip/accounts'"

# the phone keeps a TLS connection to the registrar's TLS port
t_check tls_connection_up sh -c "'$DP_BUILD/test/dp-socklist' \$(pgrep -P $PHONE_PID_good -x baresip) | grep -q '^tcp ESTABLISHED 127.0.0.1 [0-9]* 127.0.0.1 $KAM_TLS_PORT_server\$'"

# a call through the TLS registrar to a phone registered over UDP (user
# 106): kamailio relays between the transports.
write_phone_config callee "$(account_line 106 secret106)"
start_phone callee || t_fail start_callee "callee did not answer on its socket"
start_events callee
t_check callee_registered t_wait_until 15 phone_registered callee
t_check dial_over_tls phone_ctl good dial "sip:106@127.0.0.1:$KAM_TLS_PORT_server"
t_check callee_rings wait_event callee CALL_INCOMING 15
t_check callee_answers phone_ctl callee answer
t_check call_over_tls_established wait_event good CALL_ESTABLISHED 15
t_check hangup_over_tls phone_ctl good hangup
t_check call_over_tls_closed wait_event good CALL_CLOSED 10
t_check callee_sees_close wait_event callee CALL_CLOSED 10

# --- refused: each stays unregistered and says why in its log ---
tls_phone wrongca 101 server "$PKI_DIR/wrongca.crt"
tls_phone expired 102 expired "$PKI_DIR/ca.crt"
tls_phone wronghost 103 wronghost "$PKI_DIR/ca.crt"
for p in wrongca expired wronghost; do
	t_check "${p}_register_fails" wait_event "$p" REGISTER_FAIL 20
done
t_check wrong_ca_refused grep -q 'server certificate refused.*unable to get local issuer certificate' "$(log_of wrongca)"
t_check expired_refused grep -q 'server certificate refused.*certificate has expired' "$(log_of expired)"
t_check wrong_host_refused grep -q "server certificate refused (/CN=wrong.example): it names none of the accounts' SIP servers" "$(log_of wronghost)"
for p in wrongca expired wronghost; do
	t_check "${p}_not_registered" not phone_registered "$p"
	t_check "${p}_daemon_up" phone_ctl "$p" ping
done
t_check registrar_saw_no_register_from_refused sh -c "! grep -q 'REGISTER for unknown user\|auth.*10[123]' '$T_DIR/kamailio/kamailio.log'"

# --- why the module is needed: libre 1.1.0 alone accepts a certificate
# from a CA it was not given (baresip's own sip_cafile is loaded but
# never used to verify).  Same wrong CA, without dptls: it registers. ---
tls_phone stock 104 server "$PKI_DIR/wrongca.crt" "sip_modules"
t_check stock_libre_accepts_wrong_ca t_wait_until 20 phone_registered stock

# --- a CA file that cannot be read: refused before anything starts ---
write_phone_config noca "$(tls_account 105 secret105 "$KAM_TLS_PORT_server")" \
	"sip_cafile $T_DIR/no-such-ca.pem"
"$DP_BIN" run --config "$DP_FIRMWARE" --local "$(phone_dir noca)/local.conf" \
	--check >"$T_DIR/noca.out" 2>&1
t_check unreadable_ca_exit_2 [ $? = 2 ]
t_check unreadable_ca_named grep -q "sip_cafile: cannot read $T_DIR/no-such-ca.pem" "$T_DIR/noca.out"

# --- dptls cannot set up its transports: no SIP, not unverified SIP ---
tls_phone badtransp 105 server "$PKI_DIR/ca.crt" "sip_transports udp,quic"
t_check bad_transports_disable_sip grep -q 'dptls: .*SIP is disabled' "$(log_of badtransp)"
sleep 2
t_check bad_transports_not_registered not phone_registered badtransp
t_check bad_transports_daemon_up phone_ctl badtransp ping
t_check bad_transports_nothing_listens not "$DP_TESTUTIL" tcp-bound "$((PHONE_PORT + 1))"

t_check no_password_in_logs sh -c "! grep -rq 'secret10[0-6]' '$T_DIR'/*/log"

t_done
