#!/bin/sh
# run-tui-resize.sh - the layout follows the terminal: shrinking to 80x24
# keeps every pane title, the status line and the command line on
# screen; growing back to 200x60 uses the room; hiding a pane (its
# digit) is remembered in the layout file and by the next start.
# Skipped (passes) without tmux.
. "$(dirname "$0")/tui-lib"

titles="1 CPU|2 Trace|3 Output|4 NIC|5 Sockets|6 epoll|7 Packet"

all_titles() {
	s=$(screen)
	old_ifs=$IFS
	IFS='|'
	for title in $titles; do
		printf '%s\n' "$s" | grep -qF "$title" ||
			{ IFS=$old_ifs; fail "no pane title '$title' at $1"; }
	done
	IFS=$old_ifs
}

tui_start 120 40
keys c
wait_for "Nothing left to do"
all_titles 120x40

tm resize-window -t "$session" -x 80 -y 24
sleep 0.5
[ "$(screen | wc -l)" -eq 24 ] || fail "the screen is not 24 rows"
all_titles 80x24
wait_for "Nothing left to do"
screen | tail -n 1 | grep -qF "(kpath)" || fail "no command line at 80x24"

tm resize-window -t "$session" -x 200 -y 60
sleep 0.5
all_titles 200x60
# at 200 columns the trace pane shows the formatter's wide columns
wait_for "FUNCTION CALLS"

# 7 hides the packet pane; it stays hidden after a restart
keys 7
wait_gone "7 Packet"
grep -q "^show .*Trace" "$tmp/.config/kpath/tui" || fail "layout not saved"
grep -q "Packet" "$tmp/.config/kpath/tui" && fail "Packet still in the layout"
keys q
wait_for "kpath-exited-0"
tm kill-session -t "$session"
tui_start 120 40
screen | grep -qF "7 Packet" && fail "the hidden pane came back"
keys 7
wait_for "7 Packet"
keys q
wait_for "kpath-exited-0"
echo "ok"
