#!/bin/sh
# run-tui-tx.sh - the followed skb marked where it is on transmit: a UDP
# client's datagram stopped in igb_tx_map is the packet pane's skb and
# its TX ring slot shows '@' in the NIC pane; the driver posts it (TDT
# moves, the device fetches it); once the run ends the skb is freed, the
# '@' is gone and the packet pane says so.  Skipped (passes) without tmux.
. "$(dirname "$0")/tui-lib"

left() { screen | cut -c1-60; }

tui_start 160 50
keys : 'run udp-server 7000 on server' Enter
wait_for "listening on 0.0.0.0:7000"
keys : 'break igb_tx_map' Enter
wait_for "Breakpoint 1 at igb_tx_map"
keys : 'run udp-client 10.0.0.2:7000 1 on client' Enter
wait_for "Breakpoint 1, igb_tx_map (skb#"
skb=$(screen | grep -o "Breakpoint 1, igb_tx_map (skb#[0-9]*" | head -n 1 |
	sed 's/.*(//')
[ -n "$skb" ] || fail "no skb at igb_tx_map"
left | grep -qF "7 Packet: $skb" || fail "the packet pane does not follow $skb"
left | grep -qF "4 NIC: client" || fail "the NIC pane is not the client's"
left | grep -q "tx0 256 desc ntu 0 .*TDT 0" || fail "tx0 already posted"
left | grep -A1 "tx0 256 desc" | grep -qF "[@." ||
	fail "tx0 slot 0 does not show the followed skb '@'"
left | grep -A1 "tx1 256 desc" | grep -qF "@" && fail "'@' on tx1 too"

# the driver posts the descriptor: the tail register moves
keys s
keys s
wait_for "e1000_tx_dma"
left | grep -q "tx0 256 desc ntu 1 .*TDT 1" || fail "TDT did not move"
left | grep -A1 "tx0 256 desc" | grep -qF "[@." || fail "'@' left the slot"

# to the end: cleaned, freed, unmarked
keys : ; keys -l delete; keys Enter
wait_for "(kpath) delete"
keys c
wait_for "Nothing left to do"
wait_for "hello 1"
left | grep -qF "$skb is gone (freed)" || fail "$skb not reported freed"
left | grep -A1 "tx0 256 desc" | grep -qF "@" && fail "'@' stayed on tx0"
keys q
wait_for "kpath-exited-0"
echo "ok"
