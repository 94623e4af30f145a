#!/bin/sh
# tests/run.sh - the `make test` runner.
#
#   KPATH=./kpath BUILD=build/release tests/run.sh
#
# Runs every unit-test binary $BUILD/tests/test_* (each prints one line
# per test and ends with "N passed, N failed"; the counts are summed),
# every scenario script tests/scenarios/**/*.kp with `$KPATH --batch`
# (one test each, passing iff kpath exits 0), and every tests/tui/*.sh,
# tests/replay/*.sh and tests/*/run-*.sh (passing iff they exit 0).
# Failures are printed with their output.  The last line is always
# "N passed, N failed"; the exit status is 1 if anything failed.
#
# Each test runs under `timeout` (TEST_TIMEOUT seconds, default 300)
# when that is available, so a run that never ends fails instead of
# hanging the suite.

KPATH=${KPATH:-./kpath}
BUILD=${BUILD:-build/release}
TEST_TIMEOUT=${TEST_TIMEOUT:-300}
export KPATH BUILD

passed=0
failed=0
out=$(mktemp "${TMPDIR:-/tmp}/kpath-test.XXXXXX") || exit 1
trap 'rm -f "$out"' EXIT INT TERM

if command -v timeout >/dev/null 2>&1; then
	run() { timeout "$TEST_TIMEOUT" "$@"; }
else
	run() { "$@"; }
fi

# Print a failed test's output, indented.
show_output() {
	sed 's/^/    /' "$out"
}

# One test that passes iff the command exits 0.
one() {
	name=$1
	shift
	if run "$@" >"$out" 2>&1; then
		passed=$((passed + 1))
		echo "ok   $name"
	else
		status=$?
		failed=$((failed + 1))
		echo "FAIL $name (exit $status)"
		show_output
	fi
}

# Unit binaries: add their own counts.
for bin in "$BUILD"/tests/test_*; do
	[ -x "$bin" ] || continue
	name=${bin##*/}
	run "$bin" >"$out" 2>&1
	status=$?
	summary=$(tail -n 1 "$out")
	p=$(printf '%s\n' "$summary" |
		sed -n 's/^\([0-9][0-9]*\) passed, \([0-9][0-9]*\) failed$/\1/p')
	f=$(printf '%s\n' "$summary" |
		sed -n 's/^\([0-9][0-9]*\) passed, \([0-9][0-9]*\) failed$/\2/p')
	if [ -z "$p" ]; then
		# crashed or printed no summary: one failure
		failed=$((failed + 1))
		echo "FAIL $name (exit $status, no summary line)"
		show_output
		continue
	fi
	if [ "$f" -eq 0 ] && [ "$status" -ne 0 ]; then
		f=1 # the counts said fine but the binary did not
	fi
	passed=$((passed + p))
	failed=$((failed + f))
	if [ "$f" -eq 0 ]; then
		echo "ok   $name ($p tests)"
	else
		echo "FAIL $name ($f of $((p + f)) failed)"
		grep -v '^ok ' "$out" | sed 's/^/    /'
	fi
done

# Scenario scripts, in a stable order.
if [ -d tests/scenarios ]; then
	find tests/scenarios -name '*.kp' -type f | LC_ALL=C sort >"$out.list"
	while IFS= read -r kp; do
		one "$kp" "$KPATH" --batch "$kp"
	done <"$out.list"
	rm -f "$out.list"
fi

# Shell-driven tests (once each: tests/tui/run-x.sh matches twice).
seen=" "
for sh in tests/tui/*.sh tests/replay/*.sh tests/*/run-*.sh; do
	[ -f "$sh" ] || continue
	case $seen in *" $sh "*) continue ;; esac
	seen="$seen$sh "
	one "$sh" sh "$sh"
done

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
