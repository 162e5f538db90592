# Instructions a program executed inside run_frames(), from a qemu-user
# log made with `-d in_asm,exec,nochain`: each translated block's
# listing (after "IN:") gives its size, each "Trace" line one execution
# of a block, named by its function.  Counting starts when run_frames
# runs and stops when main runs again.  Without block chaining every
# execution is logged, so the count is exact: on x86-64 it equals
# callgrind's.
#
#   awk -f qemu_instr.awk LOG     prints the count

/^IN:/ { block = ""; next }

/^0x[0-9a-f]+:/ {
	rest = $0
	sub(/^0x[0-9a-f]+:[ \t]+/, "", rest)
	# the x86 listing wraps a long instruction's bytes onto a line of
	# its own
	if (rest ~ /^([0-9a-f][0-9a-f][ \t]*)+$/)
		next
	addr = $1
	sub(/:$/, "", addr)
	sub(/^0x0*/, "", addr)
	if (block == "") {
		block = addr
		size[block] = 0
	}
	size[block]++
	next
}

/^Trace / {
	# Trace N: HOSTADDR [FLAGS/PC/...] function
	split($0, field, "/")
	pc = field[2]
	sub(/^0*/, "", pc)
	if ($NF == "run_frames" && !started) {
		counting = 1
		started = 1
	}
	else if (counting && $NF == "main")
		counting = 0
	if (counting)
		total += size[pc]
}

END { print total + 0 }
