#!/bin/sh
# run-tui-rx.sh - one UDP datagram followed through the panes, set up by
# typing commands at the TUI's command line as a user would:
#  (a) at the device's e1000_rx_frame the rx1 slot is being written by
#      DMA ('*', RDH 0); one `s` and the device has written it back and
#      handed it to the driver ('D', RDH 1);
#  (b) one `s` past skb_set_owner_r the skb is on the socket's
#      sk_receive_queue in the sockets pane, bracketed as the followed
#      skb (the packet pane's), and the packet pane says where it is;
#  (c) the reader blocked in recvfrom has its autoremove entry on
#      sk_sleep; once autoremove_wake_function ran, the entry is gone and
#      the task is runnable.
# Skipped (passes) without tmux.
. "$(dirname "$0")/tui-lib"

# The pane text of the left column (the state panes), up to @cols.
left() { screen | cut -c1-60; }

tui_start 160 50
keys : 'run udp-server 7000 on server' Enter
wait_for "listening on 0.0.0.0:7000"
keys : c Enter
wait_for "Nothing left to do"
wait_for "udp-server[4] autoremove_wake_function EXCLUSIVE"
left | grep -qF "sk_receive_queue: -" || fail "the queue is not empty"
keys : 'inject server udp 10.0.0.1:4000 > 10.0.0.2:7000 data "hi"' Enter
wait_for "Injected 1 frame"
keys : 'break e1000_rx_frame' Enter
wait_for "Breakpoint 1 at e1000_rx_frame"
keys : 'break skb_set_owner_r' Enter
wait_for "Breakpoint 2 at skb_set_owner_r"
keys : 'break autoremove_wake_function' Enter
wait_for "Breakpoint 3 at autoremove_wake_function"

# (a) device -> driver
keys : c Enter
wait_for "Breakpoint 1, e1000_rx_frame"
left | grep -q "rx1 256 desc .*RDH 0 .*DMA 1" || fail "rx1 not in DMA at RDH 0"
left | grep -A1 "rx1 256 desc" | grep -qF "[*." ||
	fail "rx1 slot 0 is not '*' (DMA) at e1000_rx_frame"
keys s
wait_for "#seq 170"
left | grep -q "rx1 256 desc .*RDH 1 .*DMA 0" || fail "RDH did not move"
left | grep -A1 "rx1 256 desc" | grep -qF "[D." ||
	fail "the step did not hand slot 0 to the driver ('D')"

# (b) the skb reaches the socket's receive queue
keys c
wait_for "Breakpoint 2, skb_set_owner_r (skb#1"
left | grep -qF "sk_receive_queue: -" || fail "queued before skb_set_owner_r"
keys s
wait_for "sock_def_readable (sk#1)"
left | grep -qF "sk_receive_queue: [skb#1] (1)" ||
	fail "skb#1 not on sk_receive_queue (followed, bracketed)"
left | grep -qF "7 Packet: skb#1" || fail "the packet pane lost skb#1"
left | grep -qF "skb#1 on server: sk_receive_queue" ||
	fail "the packet pane does not say the skb is on the queue"
left | grep -qF "udp-server[4] autoremove_wake_function" ||
	fail "the waiter left sk_sleep before the wake-up"

# (c) the wake-up removes the wait-queue entry
keys c
wait_for "Breakpoint 3, autoremove_wake_function"
left | grep -qF "udp-server[4] autoremove_wake_function" ||
	fail "the entry is gone before autoremove_wake_function ran"
keys : finish Enter
wait_for "(kpath) finish"
wait_gone "udp-server[4] autoremove_wake_function"
left | grep -qF "sk_sleep: -" || fail "sk_sleep is not empty after the wake-up"

left | grep -qF "rq: udp-server[4]" || fail "the woken reader is not runnable"
keys q
wait_for "kpath-exited-0"
echo "ok"
