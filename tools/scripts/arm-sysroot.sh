#!/bin/sh
# The cross-compilation sysroot: a Debian bookworm minbase for ARCH with
# the packages our code builds against, unpacked but never configured
# (headers and libraries are all a compiler, a linker and qemu -L need,
# so no emulated second stage).  Absolute symlinks are made relative so
# that nothing resolves into the build machine's own /usr.
#
#   arm-sysroot.sh ARCH SYSROOT CACHE PKG...
#
# Writes SYSROOT (replacing it) and SYSROOT.files: `package path` for every
# file, which maps a library our binaries need to the package that ships it.
set -eu
. "$(dirname "$0")/arm-lib.sh"
arm_need_root "the ARM sysroot"

arch=$1 sysroot=$2 cache=$3
shift 3
arm_arch "$arch"
start=$(date +%s)

tmp=$sysroot.tmp
rm -rf "$tmp" "$sysroot" "$sysroot.files"
mkdir -p "$(dirname "$sysroot")"
arm_debootstrap_foreign "$arch" "$tmp" "$cache" "$@" > "$sysroot.log" 2>&1 || {
	echo "deskphone: debootstrap failed; its last lines ($sysroot.log):" >&2
	tail -n 20 "$sysroot.log" >&2
	exit 1
}

# The first stage unpacked only the essential packages; unpack them all.
: > "$tmp.files"
for deb in "$tmp"/var/cache/apt/archives/*.deb; do
	pkg=$(dpkg-deb -f "$deb" Package)
	dpkg-deb --fsys-tarfile "$deb" |
		tar -x -v -C "$tmp" --keep-directory-symlink -f - |
		sed -e 's|^\./|/|' -e "s|^|$pkg |" >> "$tmp.files"
done
rm -rf "$tmp"/var/cache/apt/archives/*.deb "$tmp/debootstrap"

find "$tmp" -type l -lname '/*' | while read -r link; do
	target=$(readlink "$link")
	rel=$(realpath -m -s --relative-to="$(dirname "$link")" "$tmp$target")
	ln -sfn "$rel" "$link"
done

mv "$tmp.files" "$sysroot.files"
mv "$tmp" "$sysroot"
echo "deskphone: sysroot $sysroot ($arch, $(du -sm "$sysroot" | cut -f1) MB) in $(arm_elapsed "$start") s" >&2
