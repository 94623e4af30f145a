#!/bin/sh
# run-step-points.sh - every kernel function in ../shared/seed/STEP_POINTS.txt
# is a step point and is reached by a test.
#
#   KPATH=./kpath tests/steppoints/run-step-points.sh
#
# 1. `info functions` lists each name (so `break NAME` accepts it).
# 2. Some scenario or lesson test under tests/scenarios/ asserts that the
#    name was reached: a line `expect output contains " NAME()"` after a
#    `trace` command, `expect stopped at NAME` at a breakpoint, or a
#    frame `#N  NAME (...)` of `bt` in an `expect output contains`.  Those scenarios run
#    in `make test` themselves, so a name listed here as checked is one
#    the emulated kernel really ran.
# Prints each missing name with what is missing; exits 1 if any.
KPATH=${KPATH:-./kpath}
list=${STEP_POINTS:-../shared/seed/STEP_POINTS.txt}
[ -f "$list" ] || { echo "no $list"; exit 1; }

funcs=$(mktemp "${TMPDIR:-/tmp}/kpath-funcs.XXXXXX") || exit 1
trap 'rm -f "$funcs"' EXIT INT TERM
"$KPATH" --batch -c "info functions" -c quit >"$funcs" 2>&1 || {
	echo "kpath --batch -c 'info functions' failed"
	cat "$funcs"
	exit 1
}

total=0
missing=0
for name in $(sed 's/#.*//' "$list" | tr -s ' \t' '\n\n' | grep .); do
	total=$((total + 1))
	if ! grep -q "^ *$name " "$funcs"; then
		echo "not in info functions: $name"
		missing=$((missing + 1))
		continue
	fi
	if ! grep -rqF -e "contains \" $name()\"" -e "contains \"$name()" \
		tests/scenarios &&
		! grep -rqx "expect stopped at $name" tests/scenarios &&
		! grep -rqF "  $name (" tests/scenarios; then
		echo "no scenario asserts it is reached: $name"
		missing=$((missing + 1))
	fi
done
echo "$total step points, $missing missing"
[ "$missing" -eq 0 ]
