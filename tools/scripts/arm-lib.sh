# shellcheck shell=sh
# Shared by the ARM build scripts: what an ARCH means, which Debian mirror
# to use, and the first debootstrap stage.  Sourced, not run.

# arm_arch ARCH: sets ARM_TRIPLET (the multiarch name) and ARM_QEMU (the
# qemu-user binfmt entry) for a Debian architecture we build for.
arm_arch() {
	case "$1" in
	armhf) ARM_TRIPLET=arm-linux-gnueabihf; ARM_QEMU=qemu-arm ;;
	arm64) ARM_TRIPLET=aarch64-linux-gnu;   ARM_QEMU=qemu-aarch64 ;;
	*) echo "deskphone: ARCH must be armhf or arm64, not '$1'" >&2; return 2 ;;
	esac
}

# arm_mirror: the Debian mirror this machine's apt uses for bookworm (the
# one CI can reach), unless DEBIAN_MIRROR says otherwise.
arm_mirror() {
	if [ -n "${DEBIAN_MIRROR:-}" ]; then
		echo "$DEBIAN_MIRROR"
		return
	fi
	{
		# deb822 files: a stanza's URIs serve its Suites
		for f in /etc/apt/sources.list.d/*.sources; do
			[ -f "$f" ] || continue
			awk '
			/^[ \t]*$/ { if (ok && uri != "") print uri; uri = ""; ok = 0; next }
			tolower($1) == "uris:" { uri = $2 }
			tolower($1) == "suites:" { for (i = 2; i <= NF; i++) if ($i == "bookworm") ok = 1 }
			tolower($1) == "enabled:" && tolower($2) == "no" { uri = "" }
			END { if (ok && uri != "") print uri }' "$f"
		done
		# one-line format: deb [options] URI SUITE COMPONENTS
		cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null |
			sed -e 's/#.*//' -e 's/\[[^]]*\]//' |
			awk '$1 == "deb" && $3 == "bookworm" { print $2 }'
		echo http://deb.debian.org/debian
	} | head -n 1
}

# arm_debootstrap_foreign ARCH TARGET CACHE PKG...: the first debootstrap
# stage of a minbase bookworm for ARCH with PKG... (and what they depend
# on) downloaded into TARGET/var/cache/apt/archives.  Downloads are kept in
# CACHE so that a second root file system costs no second download.
arm_debootstrap_foreign() {
	_arch=$1 _target=$2 _cache=$3
	shift 3
	_include=$(echo "$@" | tr ' ' '\n' | sort -u | paste -sd, -)
	mkdir -p "$_cache"
	_mirror=$(arm_mirror)
	# debootstrap downloads with wget: give it apt's proxy, if apt has one
	if [ -z "${http_proxy:-}" ]; then
		eval "$(apt-config shell http_proxy Acquire::http::Proxy)"
		[ -n "${http_proxy:-}" ] && export http_proxy
	fi
	echo "deskphone: debootstrap $_arch bookworm from $_mirror (first stage)" >&2
	debootstrap --arch="$_arch" --variant=minbase --foreign \
		--cache-dir="$(cd "$_cache" && pwd)" --include="$_include" \
		bookworm "$_target" "$_mirror"
}

# arm_need_root WHAT: stop with a clear word unless we are root.
arm_need_root() {
	[ "$(id -u)" = 0 ] && return 0
	echo "deskphone: $1 needs root (debootstrap, chroot, binfmt_misc)" >&2
	exit 1
}

# arm_elapsed START: seconds since START (from `date +%s`).
arm_elapsed() { echo $(( $(date +%s) - $1 )); }
