#!/bin/bash
# make-pki.sh DIR: the certificates the TLS tests use, made afresh each run
# (nothing secret is kept in the repository).  In DIR:
#   ca.crt ca.key          the test CA
#   server.pem             cert + key for 127.0.0.1 and localhost, by the CA
#   expired.pem            the same names, by the CA, expired in 2020
#   wronghost.pem          by the CA, for wrong.example and 192.0.2.1
#   wrongca.crt            another CA, which signed none of them
# EC P-256 keys: quick to make.
set -eu
dir=${1:?usage: make-pki.sh DIR}
mkdir -p "$dir"
cd "$dir"

newkey() { openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1" 2>/dev/null; }

make_ca() {   # make_ca NAME CN
	newkey "$1.key"
	openssl req -x509 -new -key "$1.key" -out "$1.crt" -days 7 -subj "/CN=$2" \
		-addext "basicConstraints=critical,CA:TRUE" \
		-addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null
}

make_ca ca "deskphone test CA"
make_ca wrongca "deskphone wrong CA"

# `openssl ca` can back-date a certificate, which `x509 -req` cannot.
mkdir -p ca.db
: > ca.db/index.txt
echo 1000 > ca.db/serial
cat > ca.cnf <<CNF
[ ca ]
default_ca = test_ca
[ test_ca ]
dir = $PWD
database = \$dir/ca.db/index.txt
serial = \$dir/ca.db/serial
new_certs_dir = \$dir/ca.db
certificate = \$dir/ca.crt
private_key = \$dir/ca.key
default_md = sha256
policy = any
unique_subject = no
copy_extensions = none
[ any ]
commonName = supplied
[ ext_good ]
basicConstraints = CA:FALSE
keyUsage = critical,digitalSignature,keyEncipherment
extendedKeyUsage = serverAuth
subjectAltName = IP:127.0.0.1,DNS:localhost
[ ext_wronghost ]
basicConstraints = CA:FALSE
keyUsage = critical,digitalSignature,keyEncipherment
extendedKeyUsage = serverAuth
subjectAltName = IP:192.0.2.1,DNS:wrong.example
CNF

issue() {   # issue NAME CN EXT START END
	newkey "$1.key"
	openssl req -new -key "$1.key" -out "$1.csr" -subj "/CN=$2" 2>/dev/null
	openssl ca -batch -notext -config ca.cnf -extensions "$3" \
		-startdate "$4" -enddate "$5" -in "$1.csr" -out "$1.crt" 2>/dev/null
	cat "$1.crt" "$1.key" > "$1.pem"
	chmod 600 "$1.key" "$1.pem"
}

now=$(date -u +%Y%m%d%H%M%SZ -d '-1 hour')
later=$(date -u +%Y%m%d%H%M%SZ -d '+7 days')
issue server 127.0.0.1 ext_good "$now" "$later"
issue expired 127.0.0.1 ext_good 20200101000000Z 20200102000000Z
issue wronghost wrong.example ext_wronghost "$now" "$later"

openssl verify -CAfile ca.crt server.crt wronghost.crt >/dev/null
! openssl verify -CAfile ca.crt expired.crt >/dev/null 2>&1
