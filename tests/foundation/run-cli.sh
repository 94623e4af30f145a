#!/bin/sh
# run-cli.sh - kpath as a program: options, exit statuses (0, 1 after a
# failed expect, 2 after an error), batch input from stdin, -c order,
# `source` relative to the sourcing script, messages with FILE:LINE.
# Run by tests/run.sh with KPATH set; prints what failed, exits 1 if any.

KPATH=${KPATH:-./kpath}
case $KPATH in /*) ;; *) KPATH=$PWD/$KPATH ;; esac
tmp=$(mktemp -d "${TMPDIR:-/tmp}/kpath-cli.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM
fails=0

fail() {
	echo "FAIL: $*"
	sed 's/^/    /' "$tmp/out"
	fails=$((fails + 1))
}

# check STATUS WANT-TEXT DESCRIPTION -- COMMAND...: run it (stdout and
# stderr to $tmp/out), check the exit status and that WANT-TEXT (a
# fixed string, may be empty) is in the output.
check() {
	want_status=$1 want_text=$2 what=$3
	shift 4
	"$@" >"$tmp/out" 2>&1 </dev/null
	status=$?
	if [ "$status" -ne "$want_status" ]; then
		fail "$what: exit $status, wanted $want_status"
	elif [ -n "$want_text" ] && ! grep -qF -- "$want_text" "$tmp/out"; then
		fail "$what: no '$want_text' in the output"
	fi
}

check 0 "kpath 0.1" "--version" -- "$KPATH" --version
check 0 "usage: kpath" "--help" -- "$KPATH" --help
check 2 "usage: kpath" "an unknown option" -- "$KPATH" --bogus
check 2 "--seed takes a number" "a bad seed" -- "$KPATH" --seed x --batch
check 2 "exclude each other" "--batch --repl" -- "$KPATH" --batch --repl

# quit boots and exits quietly (the boot benchmark runs this)
"$KPATH" --batch -c quit >"$tmp/out" 2>&1 </dev/null
[ $? -eq 0 ] && [ ! -s "$tmp/out" ] || fail "--batch -c quit: not a quiet 0"
check 3 "" "quit 3" -- "$KPATH" --batch -c "quit 3"

check 0 "#2  kernel_init () at init/main.c" "-c in order" -- \
	"$KPATH" --batch -c "break spawn_ksoftirqd" -c continue -c bt
check 2 "unknown command 'brek'; did you mean 'break'?" "an unknown -c" -- \
	"$KPATH" --batch -c "brek x"

# an error ends the batch: nothing after it runs
"$KPATH" --batch -c bogus -c "echo after" >"$tmp/out" 2>&1 </dev/null
[ $? -eq 2 ] && ! grep -q after "$tmp/out" || fail "error did not end the batch"

# expect failures: exit 1, FILE:LINE, the script goes on
cat >"$tmp/fail.kp" <<'KP'
# a comment, then a blank line

echo one
expect output contains "two"
echo reached
KP
check 1 "fail.kp:4: expected output contains two (got 1 line: \"one\")" \
	"a failed expect" -- "$KPATH" --batch "$tmp/fail.kp"
grep -q "^reached" "$tmp/out" || fail "the script stopped at a failed expect"
grep -q "1 of 1 expects failed" "$tmp/out" || fail "no expect summary"

# source: relative to the sourcing file, errors inside end both files
mkdir -p "$tmp/lib"
cat >"$tmp/lib/inner.kp" <<'KP'
echo inner ran
bogus command
echo not reached
KP
cat >"$tmp/outer.kp" <<'KP'
source lib/inner.kp
echo outer not reached
KP
(cd / && "$KPATH" --batch "$tmp/outer.kp") >"$tmp/out" 2>&1 </dev/null
status=$?
[ $status -eq 2 ] || fail "error in a sourced file: exit $status"
grep -q "inner ran" "$tmp/out" || fail "source did not find lib/inner.kp"
grep -qF "lib/inner.kp:2: unknown command 'bogus'" "$tmp/out" ||
	fail "no FILE:LINE for the sourced file"
! grep -q "not reached" "$tmp/out" || fail "ran past an error"

# without a terminal and without --batch: commands from stdin
printf 'step\nexpect stopped at start_kernel\nexpect time < 1000\n' |
	"$KPATH" >"$tmp/out" 2>&1
[ $? -eq 0 ] || fail "commands on stdin"
printf 'echo ok\nnope\n' | "$KPATH" >"$tmp/out" 2>&1
[ $? -eq 2 ] && grep -qF "<stdin>:2: unknown command 'nope'" "$tmp/out" ||
	fail "errors on stdin: exit status or location"

# the same seed, the same run; a file after -c commands
check 0 "" "--seed" -- "$KPATH" --batch --seed 7 -c "show seed" -c "expect output contains 7"

[ $fails -eq 0 ]
