#!/bin/sh
# Let this machine run ARCH's programs: qemu-user registered with the
# kernel's binfmt_misc, with the F flag (the interpreter is opened now, so
# it need not exist inside a chroot).  Debian's qemu-user-static skips the
# registration when it thinks it runs in a container, and nothing mounts
# binfmt_misc where no init does; both are done here.  Needs root.
#
#   arm-binfmt.sh ARCH
set -eu
. "$(dirname "$0")/arm-lib.sh"
arm_need_root "registering qemu"
arm_arch "$1"

dir=/proc/sys/fs/binfmt_misc
entry=$dir/$ARM_QEMU
if [ ! -e "$dir/register" ]; then
	mount -t binfmt_misc binfmt_misc "$dir"
fi
if [ ! -e "$entry" ]; then
	update-binfmts --display "$ARM_QEMU" >/dev/null 2>&1 ||
		update-binfmts --import "$ARM_QEMU"
	[ -e "$entry" ] || update-binfmts --enable "$ARM_QEMU"
fi
if ! grep -qx enabled "$entry"; then
	echo 1 > "$entry"
fi
if ! grep -q '^flags:.*F' "$entry"; then
	echo "deskphone: $entry is registered without the F flag; a chroot cannot run $1 programs." >&2
	echo "deskphone: re-register it: update-binfmts --disable $ARM_QEMU; update-binfmts --enable $ARM_QEMU" >&2
	exit 1
fi
