#!/bin/bash
# Sizes of what ships on the phone (make size ARCH=.., make bench ARCH=..):
# text, data and bss of the CLI and of each of our modules (the cross
# toolchain's `size`), their stripped file sizes in the image, beside
# Debian's baresip and two of its stock modules built for the same
# machine; then the image: the tarball, the ext4 file system, the root's
# size and the packages that take most of it.
set -u
build=${DP_BUILD:?}
arch=${DP_ARM_ARCH:?DP_ARM_ARCH: armhf or arm64}
triplet=${DP_ARM_TRIPLET:?}
sysroot=${DP_ARM_SYSROOT:?}
image=${DP_ARM_IMAGE:?}
staged=$(dirname "$image")/rootfs

sizes() {	# sizes SUBJECT ELF [INSTALLED-FILE]
	"$triplet-size" "$2" | awk -v s="$arch:$1" 'NR == 2 {
		print "bench arm " s " text " $1 " B"
		print "bench arm " s " data " $2 " B"
		print "bench arm " s " bss " $3 " B" }'
	[ -n "${3:-}" ] && echo "bench arm $arch:$1 stripped_file $(stat -c %s "$3") B"
	return 0
}

sizes deskphone "$build/bin/deskphone" "$staged/usr/bin/deskphone"
for so in "$build"/modules/*.so; do
	m=$(basename "$so")
	sizes "$m" "$so" "$staged/usr/lib/deskphone/modules/$m"
done
sizes stock-baresip "$sysroot/usr/bin/baresip" "$staged/usr/bin/baresip"
for m in account.so g711.so; do
	sizes "stock-$m" "$sysroot/usr/lib/baresip/modules/$m" "$staged/usr/lib/baresip/modules/$m"
done

echo "bench arm $arch:image tar_gz $(( $(stat -c %s "$image.tar.gz") / 1024 )) KiB"
echo "bench arm $arch:image ext4 $(( $(stat -c %s "$image.ext4") / 1024 )) KiB"
echo "bench arm $arch:image root $(du -sk "$staged" | cut -f1) KiB"
ours=$( (du -sck "$staged/usr/bin/deskphone" "$staged/usr/lib/deskphone" "$staged/etc/deskphone" || true) | tail -n 1 | cut -f1)
echo "bench arm $arch:image ours $ours KiB"
# the largest packages (dpkg's Installed-Size), as commentary
echo "largest packages in the image (KiB):"
awk '/^Package:/ { p = $2 } /^Installed-Size:/ { print $2, p }' "$staged/var/lib/dpkg/status" |
	sort -rn | head -n 8
