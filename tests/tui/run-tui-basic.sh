#!/bin/sh
# run-tui-basic.sh - the TUI on a terminal: it opens at power-on, `s`
# moves the trace pane's current line, and so does a typed `step` and
# an empty line after it (Enter repeats a step), `c` boots and the CPU pane shows
# each CPU's ksoftirqd, a typed `ps` shows its output in the output
# pane, q quits with status 0.  Skipped (passes) without tmux.
. "$(dirname "$0")/tui-lib"

tui_start 120 40
wait_for "Power-on: nothing has run yet"
for title in "1 CPU" "2 Trace" "3 Output" "4 NIC" "5 Sockets" "6 epoll" \
	"7 Packet"; do
	screen | grep -qF "$title" || fail "no pane title '$title'"
done

# s: the first step point of the boot becomes the current line ...
keys s
wait_for "#seq 0"
first=$(current_line)
[ -n "$first" ] || fail "no current line after s"
echo "$first" | grep -q "start_kernel" || fail "step 1 is not start_kernel"
# ... and the next step moves it
keys s
wait_for "#seq 1"
second=$(current_line)
[ -n "$second" ] || fail "no current line after the second s"
[ "$first" != "$second" ] || fail "s did not change the current line"

# a typed step, then Enter on an empty command line repeats it (as gdb)
keys : step Enter
wait_for "#seq 2"
keys : Enter
wait_for "#seq 3"

# c boots: every CPU shows its ksoftirqd, sleeping
keys c
wait_for "Nothing left to do"
wait_for "ksoftirqd: ksoftirqd/0"
wait_for "ksoftirqd: ksoftirqd/1"

# typing a command: ps in the output pane
keys p s Enter
wait_for "(kpath) ps"
wait_for "WCHAN"
screen | grep -q "server  *3  *1 S" || fail "ps output lacks server pid 3"

# q quits, status 0, and the layout was saved
keys q
wait_for "kpath-exited-0"
[ -f "$tmp/.config/kpath/tui" ] || fail "no layout file written"
echo "ok"
