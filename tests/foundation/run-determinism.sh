#!/bin/sh
# run-determinism.sh - two kpath processes given the same commands print
# the same trace, byte for byte (DESIGN: deterministic).  The in-process
# half (a rebuilt world) is tests/scenarios/foundation/determinism.kp.

KPATH=${KPATH:-./kpath}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/kpath-det.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM

for run in 1 2; do
	"$KPATH" --batch --seed 5 -c "break kthread_create_on_cpu" \
		-c continue -c "step 9" -c "trace 200" -c continue \
		-c "trace 200" -c "info cpus" -c ps >"$tmp/$run" 2>&1 ||
		{ echo "FAIL: run $run exited $?"; cat "$tmp/$run"; exit 1; }
done
if ! cmp -s "$tmp/1" "$tmp/2"; then
	echo "FAIL: two runs differ"
	diff "$tmp/1" "$tmp/2" | head -20
	exit 1
fi
grep -q "kthread_create_on_cpu" "$tmp/1" || { echo "FAIL: no trace"; exit 1; }
