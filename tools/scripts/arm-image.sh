#!/bin/sh
# Finish the phone's root file system and pack it.  STAGING is the base
# root file system with `make install` done into it; BASE.list the base's
# paths, so that what we added is known.
#
#   arm-image.sh ARCH STAGING BASE.list OUT
#
# Our programs and modules are stripped; the daemon's user and its
# directories are made as systemd-sysusers and the init script would;
# then the checks: every library our files need is in the image, no
# program is for another machine, no path of the build machine is left.
# Writes OUT.tar.gz and OUT.ext4 (mke2fs -d: no mount, no loop device).
set -eu
. "$(dirname "$0")/arm-lib.sh"

arch=$1 root=$2 base_list=$3 out=$4
arm_arch "$arch"
start=$(date +%s)
repo=$(cd "$(dirname "$0")/../.." && pwd)

fail() { echo "deskphone: image: $*" >&2; exit 1; }

# --- what we added -----------------------------------------------------------
(cd "$root" && find . | sort) | comm -13 "$base_list" - > "$out.added"
ours=""
while read -r path; do
	f=$root/${path#./}
	[ -f "$f" ] && [ ! -L "$f" ] || continue
	[ "$(head -c 4 "$f" | od -An -c | tr -d ' ')" = '177ELF' ] || continue
	"$ARM_TRIPLET-strip" --strip-unneeded "$f" 2>/dev/null ||
		fail "${f#"$root"} is not an $arch program (strip refused it)"
	ours="$ours $f"
done < "$out.added"
[ -n "$ours" ] || fail "make install added no program"

# --- the daemon's user ---------------------------------------------------------
grep -q '^input:' "$root/etc/group" || groupadd --root "$(cd "$root" && pwd)" --system input
if ! grep -q '^deskphone:' "$root/etc/passwd"; then
	useradd --root "$(cd "$root" && pwd)" --system --user-group \
		--home-dir /var/lib/deskphone --no-create-home \
		--shell /usr/sbin/nologin --comment "deskphone daemon" \
		--groups audio,input deskphone
fi
ids=$(awk -F: '$1 == "deskphone" { print $3 ":" $4 }' "$root/etc/passwd")
install -d -m 0700 "$root/var/lib/deskphone" "$root/var/log/deskphone"
chown "$ids" "$root/var/lib/deskphone" "$root/var/log/deskphone"

# --- checks ------------------------------------------------------------------
# every library our files need is in the image (ours: beside the file,
# its rpath $ORIGIN)
for f in $ours; do
	for lib in $(readelf -d "$f" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p'); do
		[ -e "$root/usr/lib/$ARM_TRIPLET/$lib" ] || [ -e "$root/lib/$ARM_TRIPLET/$lib" ] ||
			[ -e "$(dirname "$f")/$lib" ] ||
			fail "${f#"$root"} needs $lib, which is not in the image (add its package to ARM_IMAGE_PKGS)"
	done
done

# no program or library for another machine (the build machine's above all)
case $arch in armhf) machine=ARM ;; arm64) machine=AArch64 ;; esac
foreign=$(find "$root" -type f -size +51c -print0 |
	xargs -0 readelf -h 2>/dev/null |
	awk -v m="$machine" '
		/^File: / { file = $2 }
		/^ *Machine:/ { sub(/^ *Machine: */, ""); if ($0 != m) print file ": " $0 }' |
	sort -u)
[ -z "$foreign" ] || fail "programs for another machine: $foreign"

# nothing of the build machine: no path into the checkout (its sources,
# its build directory and the sysroot inside it), not its host name
for d in build modules board privacy firmware tools test; do
	echo "$repo/$d/"
done > "$out.leak-patterns"
hits=$(grep -rlF -f "$out.leak-patterns" "$root" 2>/dev/null | head -n 5 || true)
rm -f "$out.leak-patterns"
[ -z "$hits" ] || fail "paths into the checkout $repo appear in: $hits"
[ "$(cat "$root/etc/hostname")" = deskphone ] || fail "/etc/hostname is not the phone's"
[ ! -e "$root/etc/resolv.conf" ] || fail "/etc/resolv.conf is the build machine's"

# --- pack ---------------------------------------------------------------------
# (not again when the tree is what the last image holds: same files, modes,
# owners and contents)
digest=$(tar -C "$root" --numeric-owner --sort=name --mtime=@0 -cf - . | sha256sum | cut -d' ' -f1)
if [ -f "$out.tar.gz" ] && [ -f "$out.ext4" ] && [ "$(cat "$out.digest" 2>/dev/null)" = "$digest" ]; then
	echo "deskphone: image $out.tar.gz unchanged" >&2
	exit 0
fi
rm -f "$out.tar.gz" "$out.ext4" "$out.digest"
tar -C "$root" --numeric-owner --sort=name -czf "$out.tar.gz.tmp" .
mv "$out.tar.gz.tmp" "$out.tar.gz"

# an ext4 file system of the root's size plus a tenth and 16 MiB
kb=$(du -sk "$root" | cut -f1)
inodes=$(find "$root" | wc -l)
mke2fs -q -F -t ext4 -L deskphone -d "$root" -N $((inodes + inodes / 5 + 1024)) \
	"$out.ext4.tmp" "$((kb + kb / 10 + 16384))k" >/dev/null
mv "$out.ext4.tmp" "$out.ext4"
echo "$digest" > "$out.digest"

echo "deskphone: image $out.tar.gz ($(du -m "$out.tar.gz" | cut -f1) MB) and $out.ext4 ($(du -m --apparent-size "$out.ext4" | cut -f1) MB, root $((kb / 1024)) MB) in $(arm_elapsed "$start") s" >&2
