#!/bin/sh
# run-onfail-tui.sh - `kpath --packetdrill FILE --on-fail stop` on a
# terminal: the TUI opens stopped where the script failed, the error is
# in the output pane, the CPU pane shows the sending CPU's call stack,
# a typed :bt shows tcp_transmit_skb, and q quits with status 1 (the
# script failed); a passing script exits 0 at once.  Skipped (passes)
# without tmux.
. "$(dirname "$0")/../tui/tui-lib"

# a short path, so the error line fits the output pane unwrapped
# wherever the checkout lives
cp "$(dirname "$0")/fail/data_wrong_ack.pkt" "$tmp/" || exit 1
pkt=$tmp/data_wrong_ack.pkt
tui_start 160 45 --packetdrill "$pkt" --on-fail stop
wait_for "data_wrong_ack.pkt:16: error handling"
keys : b t Enter
wait_for "tcp_transmit_skb"
screen | grep -q "dev_queue_xmit_nit" || fail "bt lacks dev_queue_xmit_nit"
keys q
wait_for "kpath-exited-1"
tm kill-session -t "$session"

# a script that passes: no TUI to stay in, status 0
tm new-session -d -s "$session" -x 100 -y 30 \
	"HOME=$tmp $KPATH --packetdrill $PWD/$(dirname "$0")/nagle.pkt --on-fail stop; echo kpath-exited-\$?; sleep 10"
wait_for "kpath-exited-0"
echo "ok"
