#!/bin/bash
# Every module of ours exports `exports` and nothing else (issue 15):
# modules are built with hidden visibility (Makefile, HIDDEN_CFLAGS;
# baresip_api.h marks `exports` visible), so none of their internals
# can be confused with a name of baresip, libre or another module.
# Allowed beside it: the markers some linkers put in every shared
# object's dynamic symbol table (_init, _fini, _edata, _end,
# __bss_start) and, in the sanitizer build, AddressSanitizer's
# one-definition-rule marker of `exports` itself (__odr_asan.exports);
# none of ours is allowed.
. "$(dirname "$0")/../lib/harness.sh"

# The application core the modules link (modules/app, libdpapp.so)
# exports its API, the dpapp_* functions app.h marks, and nothing else.
core=$DP_BUILD/modules/libdpapp.so
syms=$(nm -D --defined-only "$core" | awk '{ print $NF }' |
	grep -vxE '_init|_fini|_edata|_end|__bss_start' | sort)
t_check core_exports_its_api [ -n "$syms" ]
t_check core_exports_only_its_api sh -c "! printf '%s\n' '$(echo $syms)' | tr ' ' '\n' | grep -v '^dpapp_'"
# one instance in the daemon: every module of ours that works with
# another names it (DT_NEEDED), none carries a copy of it
for m in dpcdr dpprivacy dpprov dpui dpalsa; do
	t_check "${m}_links_the_core" sh -c "readelf -d '$DP_BUILD/modules/$m.so' | grep -q 'NEEDED.*\[libdpapp.so\]'"
done

n=0
for so in "$DP_BUILD"/modules/*.so; do
	[ -e "$so" ] || continue
	[ "$so" = "$core" ] && continue
	n=$((n + 1))
	name=$(basename "$so" .so)
	syms=$(nm -D --defined-only "$so" | awk '{ print $NF }' |
		grep -vxE '_init|_fini|_edata|_end|__bss_start|__odr_asan\.exports' | sort | tr '\n' ' ')
	if [ "$syms" = "exports " ]; then
		t_pass "$name"
	else
		t_fail "$name" "exports: ${syms:-nothing}"
	fi
done
t_check modules_found [ "$n" -ge 9 ]

t_done
