#!/bin/sh
# The image's base: a Debian bookworm minbase for ARCH with PKG... and the
# runtime package of every library that ELF... (our binaries) needs,
# installed for real (debootstrap's second stage, run under qemu in a
# chroot).  Kept in ROOTFS and reused while the package list is the same.
#
#   arm-rootfs.sh ARCH ROOTFS CACHE SYSROOT.files PKG... -- ELF...
#
# SYSROOT.files (from arm-sysroot.sh) maps a library to its package.
# Writes ROOTFS, ROOTFS.pkgs (its packages) and ROOTFS.list (its paths).
set -eu
. "$(dirname "$0")/arm-lib.sh"
arm_need_root "the image"

arch=$1 rootfs=$2 cache=$3 index=$4
shift 4
arm_arch "$arch"

pkgs=""
while [ $# -gt 0 ] && [ "$1" != -- ]; do pkgs="$pkgs $1"; shift; done
[ $# -gt 0 ] && shift

# the packages of the libraries our binaries link (not our own: the
# application core ships beside the modules)
ours=""
for elf in "$@"; do ours="$ours $(basename "$elf")"; done
for elf in "$@"; do
	for lib in $(readelf -d "$elf" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p'); do
		case " $ours " in *" $lib "*) continue ;; esac
		pkg=$(awk -v lib="$lib" -v t="$ARM_TRIPLET" '
			$2 == "/usr/lib/" t "/" lib || $2 == "/lib/" t "/" lib { print $1; exit }' "$index")
		if [ -z "$pkg" ]; then
			echo "deskphone: $elf needs $lib, which no package in the sysroot ships;" >&2
			echo "deskphone: add its -dev package to ARM_DEPS_PKGS in your build.mk" >&2
			exit 1
		fi
		pkgs="$pkgs $pkg"
	done
done
list=$(echo $pkgs | tr ' ' '\n' | sort -u)

if [ -d "$rootfs" ] && [ -f "$rootfs.pkgs" ] && [ "$(cat "$rootfs.pkgs")" = "$list" ]; then
	exit 0
fi

echo "  ROOTFS  $rootfs:" $list >&2
start=$(date +%s)
tmp=$rootfs.tmp
rm -rf "$tmp" "$rootfs" "$rootfs.pkgs" "$rootfs.list"
mkdir -p "$(dirname "$rootfs")"
log=$rootfs.log
# shellcheck disable=SC2086
arm_debootstrap_foreign "$arch" "$tmp" "$cache" $list > "$log" 2>&1 || {
	echo "deskphone: debootstrap failed; its last lines ($log):" >&2
	tail -n 20 "$log" >&2
	exit 1
}
stage1=$(arm_elapsed "$start")

# The second stage runs the packages' own scripts, emulated.  dpkg's
# fsyncs only slow that down here; the phone keeps its default.  The
# mounts it makes stay in a mount namespace of its own, gone with it.
echo force-unsafe-io > "$tmp/etc/dpkg/dpkg.cfg.d/deskphone-build"
unshare --mount --propagation private -- \
	chroot "$tmp" /debootstrap/debootstrap --second-stage >> "$log" 2>&1 || {
	echo "deskphone: debootstrap --second-stage failed; its last lines ($log):" >&2
	tail -n 20 "$log" >&2
	exit 1
}
rm -f "$tmp/etc/dpkg/dpkg.cfg.d/deskphone-build"

# What debootstrap copied from the build machine, and what only it needed.
echo deskphone > "$tmp/etc/hostname"
rm -f "$tmp/etc/resolv.conf"
echo "deb http://deb.debian.org/debian bookworm main" > "$tmp/etc/apt/sources.list"
rm -rf "$tmp"/var/cache/apt/archives/*.deb "$tmp"/var/cache/apt/*.bin \
	"$tmp"/var/lib/apt/lists/* "$tmp/var/log/bootstrap.log"
mkdir -p "$tmp/var/lib/apt/lists/partial"

(cd "$tmp" && find . | sort) > "$tmp.list"
echo "$list" > "$tmp.pkgs"
mv "$tmp.list" "$rootfs.list"
mv "$tmp" "$rootfs"
mv "$tmp.pkgs" "$rootfs.pkgs"
echo "deskphone: base root file system $rootfs ($(du -sm "$rootfs" | cut -f1) MB) in $(arm_elapsed "$start") s (first stage $stage1 s)" >&2
