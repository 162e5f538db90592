#!/bin/sh
# Install the Debian packages the build, the tests and `make run` need.
# As root: apt-get install.  Otherwise: print the command and stop.
set -eu

missing=""
for pkg in "$@"; do
	status=$(dpkg-query -W -f='${db:Status-Status}' "$pkg" 2>/dev/null || true)
	[ "$status" = "installed" ] || missing="$missing $pkg"
done

[ -z "$missing" ] && exit 0

if [ "$(id -u)" != 0 ]; then
	echo "deskphone: missing Debian packages:$missing" >&2
	echo "deskphone: run as root:  apt-get install -y$missing" >&2
	exit 1
fi

echo "deskphone: installing$missing"
export DEBIAN_FRONTEND=noninteractive
# Parallel builds (or a second checkout) may hold the dpkg lock: wait for it.
apt_opts="-o DPkg::Lock::Timeout=600 -y -q"
if ! apt-get install $apt_opts --no-install-recommends $missing; then
	apt-get $apt_opts update
	apt-get install $apt_opts --no-install-recommends $missing
fi
