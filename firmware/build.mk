# Debian packages the daemon, the build and the base test suite need.
DEPS_PKGS += build-essential clang pkg-config baresip-core libre-dev librem-dev \
	     libssl-dev libcjson-dev libasound2-dev \
	     kamailio sip-tester valgrind
