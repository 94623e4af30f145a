#!/bin/sh
# run-repl-enter.sh - what Enter on an empty line does at the readline
# prompt (src/ui/rl_line.c, shared with the TUI's command line, which
# run-tui-basic.sh checks): it repeats a step, as gdb does, and nothing
# else (an empty line after ps runs nothing).
KPATH=${KPATH:-./kpath}
out=$(mktemp "${TMPDIR:-/tmp}/kpath-repl.XXXXXX") || exit 1
trap 'rm -f "$out"' EXIT

printf 'step\n\nquit\n' | "$KPATH" --repl >"$out" 2>&1
n=$(grep -c '#seq' "$out")
if [ "$n" != 2 ] || ! grep -q '#seq 1' "$out"; then
	echo "FAIL: step then an empty line made $n stops, not 2:"
	sed 's/^/    /' "$out"
	exit 1
fi

printf 'ps\n\nquit\n' | "$KPATH" --repl >"$out" 2>&1
n=$(grep -c 'WCHAN' "$out")
if [ "$n" != 1 ]; then
	echo "FAIL: an empty line after ps printed ps $n times, not once:"
	sed 's/^/    /' "$out"
	exit 1
fi
echo "ok repl-enter"
