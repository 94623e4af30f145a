#!/bin/sh
# tests/packetdrill/run-onfail-stop.sh - `kpath --packetdrill FILE
# --on-fail stop`: the failing script leaves kpath stopped in the CPU
# that sent the wrong segment, and the commands on stdin run there: bt
# must show the transmit path (tcp_transmit_skb under tcp_sendmsg, down to
# dev_queue_xmit_nit), the exit status is 1 (the script failed), and the
# world is still usable (show sock answers, the run can go on).  Also:
# a breakpoint during a run leaves the world stopped there.
KPATH=${KPATH:-./kpath}
dir=$(dirname "$0")
f=$dir/fail/data_wrong_ack.pkt
out=$(printf 'bt\nshow sock\ncontinue\nquit\n' |
	"$KPATH" --packetdrill "$f" --on-fail stop 2>&1)
code=$?
fail() {
	echo "FAIL: $1"
	printf '%s\n' "$out" | sed 's/^/    /'
	exit 1
}
[ "$code" -eq 1 ] || fail "exit status $code, not 1"
printf '%s\n' "$out" | grep -q 'data_wrong_ack.pkt:16: error handling packet: live packet field tcp_ack_seq' ||
	fail "no packetdrill error for line 16"
printf '%s\n' "$out" | grep -q '^#[0-9]* *tcp_transmit_skb ' ||
	fail "bt does not show tcp_transmit_skb"
printf '%s\n' "$out" | grep -q '^#[0-9]* *dev_queue_xmit_nit ' ||
	fail "bt does not show dev_queue_xmit_nit"
printf '%s\n' "$out" | grep -q '^#[0-9]* *tcp_sendmsg ' ||
	fail "bt does not show tcp_sendmsg"
# a breakpoint hit during a run ends the script there, the world stays
# stopped at it (the command itself does not fail)
out=$("$KPATH" --batch -c "break tcp_rcv_established" \
	-c "packetdrill $dir/fast_retransmit.pkt" -c bt 2>&1)
printf '%s\n' "$out" | grep -q 'fast_retransmit.pkt:17: interrupted' ||
	fail "a breakpoint did not end the script at line 17"
printf '%s\n' "$out" | grep -q '^#0  tcp_rcv_established' ||
	fail "bt after the breakpoint is not in tcp_rcv_established"
# a passing script with --on-fail stop just exits 0
"$KPATH" --packetdrill "$dir/passive_open_close.pkt" --on-fail stop \
	</dev/null >/dev/null 2>&1 || fail "a passing script did not exit 0"
echo "ok"
