#!/bin/bash
# Provisioning costs for a 1000-phone office: the installer's make and
# verify (time, peak memory), and one phone applying its entry from that
# stick (time, instructions, peak memory), beside the floor any verifier
# pays: `openssl pkeyutl` checking the same Ed25519 signature over the same
# manifest, in the same run.
. "$(dirname "$0")/../lib/harness.sh"

N=1000
INST=$T_DIR/installer
STICK=$T_DIR/stick
mkdir -p "$INST" "$STICK" "$T_DIR/trusted" "$T_DIR/phone"

ms_since() { echo $(( ($(date +%s%N) - $1) / 1000000 )); }
peak_kb() { /usr/bin/time -f %M -o "$T_DIR/rss" "$@" > /dev/null 2>&1; cat "$T_DIR/rss"; }
instructions() {
	valgrind --tool=callgrind --callgrind-out-file=/dev/null "$@" 2>&1 >/dev/null |
		awk '/Collected :/ { print $NF }'
}

"$DP_BIN" provision keygen --out "$INST/acme" > /dev/null || exit 1
cp "$INST/acme.pub" "$T_DIR/trusted/"
cp "$DP_ROOT/tools/examples/provisioning/site.json" "$DP_ROOT/tools/examples/provisioning/support.pub" "$INST/"
{
	echo "mac,extension,display_name,sip_user,sip_password,line_keys"
	for i in $(seq 1 $N); do
		printf '02:00:00:00:%02x:%02x,%d,Desk %d,%d,Pw-%d-%s,line;blf:%d:Next;speed:0800%d:Help\n' \
			$((i / 256)) $((i % 256)) $((1000 + i)) "$i" $((1000 + i)) "$i" "$RANDOM" \
			$((1001 + i)) "$i"
	done
} > "$INST/phones.csv"

make_args=(--site "$INST/site.json" --phones "$INST/phones.csv" --key "$INST/acme.key")

t0=$(date +%s%N)
"$DP_BIN" provision make "${make_args[@]}" --out "$STICK" > /dev/null || exit 1
echo "bench provision make-$N-phones wall_ms $(ms_since "$t0") ms"
mkdir -p "$T_DIR/stick2"
echo "bench provision make-$N-phones peak_rss_kb $(peak_kb "$DP_BIN" provision make "${make_args[@]}" --out "$T_DIR/stick2") kB"

t0=$(date +%s%N)
"$DP_BIN" provision verify --pub "$INST/acme.pub" "$STICK" > /dev/null || exit 1
echo "bench provision verify-$N-phones wall_ms $(ms_since "$t0") ms"
echo "bench provision verify-$N-phones peak_rss_kb $(peak_kb "$DP_BIN" provision verify --pub "$INST/acme.pub" "$STICK") kB"

# one phone, the last one in the file
mac=$(printf '02:00:00:00:%02x:%02x' $((N / 256)) $((N % 256)))
phone=(--config "$DP_FIRMWARE" --set "state_dir=$T_DIR/phone" --set "provision_mac=$mac"
       --set "provision_trusted_keys=$T_DIR/trusted" --set "ctrl_socket=")
apply_fresh() { rm -rf "$T_DIR/phone"; mkdir -p "$T_DIR/phone"; "$DP_BIN" provision apply "${phone[@]}" "$@" "$STICK"; }

apply_fresh > /dev/null || exit 1      # creates the device secret once
t0=$(date +%s%N)
apply_fresh > /dev/null || exit 1
echo "bench provision apply-from-$N ours wall_ms $(ms_since "$t0") ms"
rm -rf "$T_DIR/phone"; mkdir -p "$T_DIR/phone"
echo "bench provision apply-from-$N ours peak_rss_kb $(peak_kb "$DP_BIN" provision apply "${phone[@]}" "$STICK") kB"
rm -rf "$T_DIR/phone"; mkdir -p "$T_DIR/phone"
echo "bench provision apply-from-$N ours instructions $(instructions "$DP_BIN" provision apply "${phone[@]}" "$STICK") instr"

# the floor: openssl checking the same signature (a process of its own,
# like ours)
folder=$STICK/deskphone-provisioning
sed -n 's/.*"signature":\s*"\([^"]*\)".*/\1/p' "$folder/manifest.sig" | base64 -d > "$T_DIR/sig.bin"
floor=(openssl pkeyutl -verify -pubin -inkey "$INST/acme.pub" -rawin -in "$folder/manifest.json" -sigfile "$T_DIR/sig.bin")
"${floor[@]}" > /dev/null || exit 1
t0=$(date +%s%N)
"${floor[@]}" > /dev/null
echo "bench provision apply-from-$N openssl-verify-only wall_ms $(ms_since "$t0") ms"
echo "bench provision apply-from-$N openssl-verify-only peak_rss_kb $(peak_kb "${floor[@]}") kB"
echo "bench provision apply-from-$N openssl-verify-only instructions $(instructions "${floor[@]}") instr"
echo "manifest of $N phones: $(stat -c %s "$folder/manifest.json") bytes"
