#!/bin/bash
# Every cryptographic operation of ours goes through privacy/crypto: no C
# file outside it includes a crypto library's header (OpenSSL, mbedTLS,
# libsodium, ...), so the back-end is one folder's business.  Allowed,
# and only these:
#   modules/tls/          SIP over TLS: the module checks certificates on
#                         the OpenSSL context libre's TLS stack gives it
#   test/unit/test_redact.c  OpenSSL's HMAC as an independent oracle for
#                         the redactor's pseudonyms
. "$(dirname "$0")/../lib/harness.sh"

allowed='^(privacy/crypto/|modules/tls/|test/unit/test_redact\.c$)'
libs='(openssl|mbedtls|psa|sodium|gnutls|nettle|gcrypt|monocypher)'
include_re="^[[:space:]]*#[[:space:]]*include[[:space:]]*[<\"]$libs[/.]"

cd "$DP_ROOT" || exit 1
found=$(find board firmware modules privacy test tools -name '*.[ch]' | sort |
	xargs grep -lE "$include_re" | grep -vE "$allowed")
[ -z "$found" ] || t_log "crypto headers included by:" $found
t_check no_crypto_header_outside_privacy_crypto [ -z "$found" ]

# the check itself finds an include (of each spelling we use)
probe=$T_DIR/probe.c
printf '#include <openssl/evp.h>\n  # include "mbedtls/md.h"\n' > "$probe"
t_check check_finds_includes [ "$(grep -cE "$include_re" "$probe")" = 2 ]

# the build has no back-end switch to claim otherwise
t_check crypto_switch_refused sh -c "! make -n -C '$DP_ROOT' CRYPTO=mbedtls \
	BUILD='$T_DIR/b' cli >/dev/null 2>&1"

t_done
