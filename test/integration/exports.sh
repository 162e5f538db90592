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

n=0
for so in "$DP_BUILD"/modules/*.so; do
	[ -e "$so" ] || continue
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
