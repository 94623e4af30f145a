# lib.sh - helpers the TUI tests source (not a test: no run- prefix
# would matter, but it exits 0 when run alone).
#
#   . tests/tui/lib.sh; tui_start 120 40; wait_for TEXT; keys s; ...
#
# kpath runs in a private tmux server with HOME in a temporary directory
# (the layout file goes there).  Skips (exit 0) without tmux.

KPATH=${KPATH:-./kpath}
command -v tmux >/dev/null 2>&1 || { echo "skip: no tmux"; exit 0; }
case $KPATH in /*) ;; *) KPATH=$PWD/$KPATH ;; esac
sock="kpath-tui-$$"
session=tui
tmp=$(mktemp -d "${TMPDIR:-/tmp}/kpath-tui.XXXXXX") || exit 1
tm() { tmux -L "$sock" "$@"; }
trap 'tm kill-server 2>/dev/null; rm -rf "$tmp"' EXIT INT TERM

# tui_start COLS ROWS [ARGS...]: kpath in a COLSxROWS terminal.
tui_start() {
	cols=$1
	rows=$2
	shift 2
	tm new-session -d -s "$session" -x "$cols" -y "$rows" \
		"HOME=$tmp $KPATH $*; echo kpath-exited-\$?; sleep 10" ||
		exit 1
	wait_for "(kpath)"
}

screen() { tm capture-pane -t "$session" -p; }

fail() {
	echo "FAIL: $1; the screen:"
	screen | sed 's/^/    /'
	exit 1
}

# wait_for TEXT: poll the screen until TEXT shows (5 s at most).
wait_for() {
	i=0
	while [ $i -lt 50 ]; do
		screen | grep -qF -- "$1" && return 0
		sleep 0.1
		i=$((i + 1))
	done
	fail "'$1' never appeared"
}

# wait_gone TEXT: poll until TEXT is no longer on the screen.
wait_gone() {
	i=0
	while [ $i -lt 50 ]; do
		screen | grep -qF -- "$1" || return 0
		sleep 0.1
		i=$((i + 1))
	done
	fail "'$1' never went away"
}

keys() { tm send-keys -t "$session" "$@"; }

# The trace pane's current line (marked '>' after the column border).
current_line() { screen | grep -o "[│x]>.*" | head -n 1; }
