#!/bin/sh
# tests/packetdrill/run-packetdrill.sh - every tests/packetdrill/*.pkt
# must pass under `kpath --packetdrill` (exit 0); every fail/*.pkt must
# fail (exit 1) with the error its "// error: " comment line gives, so
# the runner's checks are themselves checked.
KPATH=${KPATH:-./kpath}
dir=$(dirname "$0")
status=0
for f in "$dir"/*.pkt; do
	if out=$("$KPATH" --packetdrill "$f" 2>&1); then
		echo "ok   $f"
	else
		echo "FAIL $f (exit $?)"
		printf '%s\n' "$out" | sed 's/^/    /'
		status=1
	fi
done
for f in "$dir"/fail/*.pkt; do
	want=$(sed -n 's|^// error: ||p' "$f")
	out=$("$KPATH" --packetdrill "$f" 2>&1)
	code=$?
	last=$(printf '%s\n' "$out" | tail -n 1)
	if [ "$code" -eq 1 ] && [ "${last#*/fail/}" = "$want" ]; then
		echo "ok   $f (fails as expected)"
	else
		echo "FAIL $f (exit $code)"
		echo "    want: $want"
		printf '%s\n' "$out" | sed 's/^/    got:  /'
		status=1
	fi
done
exit $status
