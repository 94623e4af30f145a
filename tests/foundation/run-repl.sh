#!/bin/sh
# run-repl.sh - the readline REPL on a real terminal (tmux): the prompt,
# completion of command words, function names and settings, an empty
# line repeating `step`, quit.  Skipped (passes) without tmux.

KPATH=${KPATH:-./kpath}
command -v tmux >/dev/null 2>&1 || { echo "skip: no tmux"; exit 0; }
case $KPATH in /*) ;; *) KPATH=$PWD/$KPATH ;; esac
sock="kpath-repl-$$"
session=repl
tm() { tmux -L "$sock" "$@"; }
trap 'tm kill-server 2>/dev/null' EXIT INT TERM

# wait_for TEXT: poll the pane until TEXT shows (5 s at most).
wait_for() {
	i=0
	while [ $i -lt 50 ]; do
		tm capture-pane -t "$session" -p | grep -qF -- "$1" && return 0
		sleep 0.1
		i=$((i + 1))
	done
	echo "FAIL: '$1' never appeared; the screen:"
	tm capture-pane -t "$session" -p | sed 's/^/    /'
	exit 1
}

tm new-session -d -s "$session" -x 120 -y 50 \
	"$KPATH --repl; echo kpath-exited-\$?; sleep 5" || exit 1
wait_for "(kpath)"
tm send-keys -t "$session" "inf" Tab "fun" Tab "spawn" Enter
wait_for "1 function."
tm send-keys -t "$session" "break spawn_k" Tab Enter
wait_for "Breakpoint 1 at spawn_ksoftirqd"
tm send-keys -t "$session" "continue" Enter
wait_for "Breakpoint 1, spawn_ksoftirqd ()"
tm send-keys -t "$session" "step" Enter
wait_for "#seq 21"
tm send-keys -t "$session" "" Enter
wait_for "#seq 22"
tm send-keys -t "$session" "show " Tab Tab
wait_for "echo-commands"
tm send-keys -t "$session" C-u "quit" Enter
wait_for "kpath-exited-0"
exit 0
