#!/bin/sh
# run-tcpdump.sh - `tcpdump` inside kpath against the real tcpdump.
#
# Two captures run on the server while frames arrive (injected UDP and
# ICMP, and replayed captures with TCP, UDP, SLL and damaged frames):
# one prints its lines, one writes a pcap with -w.  The real
# /usr/bin/tcpdump -r -n must read that file and print the same packets,
# line for line, timestamps included; where tcpdump goes on to decode an
# application protocol (DNS, AFS, WHOIS...), kpath's line stops at
# "UDP, length N" or at TCP's "length N", and only the part before must
# agree (as kp_tcpdump_line_matches does).  Also checks -c, the filter,
# -e, `tcpdump -r`, and that the tap leaves the stack's counts alone.
# The server answers what it is sent, and the taps see its frames too
# (dev_queue_xmit_nit): the 46 packets are the 41 that arrive plus an
# ARP request for 10.0.0.1 (out), the peer's ARP reply (in, so 42 frames
# received), two ICMP port unreachables for the UDP to 9999 and the
# ICMP echo reply (out).  The replayed frames are for other hosts and get
# no answer.
#
# Skips (exit 0) without tcpdump or ../shared/captures.

KPATH=${KPATH:-./kpath}
case $KPATH in /*) ;; *) KPATH=$PWD/$KPATH ;; esac
CAP=${CAPTURES:-../shared/captures}
TCPDUMP=${TCPDUMP:-/usr/bin/tcpdump}
if [ ! -x "$TCPDUMP" ] || [ ! -d "$CAP" ]; then
	echo "skip: needs $TCPDUMP and $CAP"
	exit 0
fi
tmp=$(mktemp -d "${TMPDIR:-/tmp}/kpath-tcpdump.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM
fails=0
fail() {
	echo "FAIL: $*"
	fails=$((fails + 1))
}

"$KPATH" --batch \
	-c 'tcpdump server -i eth0 -n' \
	-c "tcpdump server -i eth0 -w $tmp/out.pcap" \
	-c 'tcpdump server -i eth0 -c 3 udp' \
	-c 'inject server udp 10.0.0.1:4000 > 10.0.0.2:9999 data hello count 2' \
	-c 'inject server icmp echo 10.0.0.1 > 10.0.0.2' \
	-c 'continue' \
	-c "replay $CAP/dns_udp.pcap --fast" \
	-c "replay $CAP/whois.pcap --fast" \
	-c "replay $CAP/tcp-handshake-nano.pcap --fast" \
	-c "replay $CAP/ip_ts_opts_asan.pcap --fast" \
	-c "replay $CAP/ipv4_invalid_hdr_length.pcap --fast" \
	-c "replay $CAP/afs.pcap --fast --limit 20" \
	-c 'tcpdump stop 3' \
	-c 'expect output contains "3 packets captured"' \
	-c 'tcpdump stop 2' \
	-c 'expect output contains "46 packets captured"' \
	-c 'tcpdump stop' \
	-c 'expect output contains "46 packets captured"' \
	-c 'expect server.dev.eth0.rx_packets == 42' \
	-c 'expect server.dev.eth0.tx_packets == 4' \
	-c 'expect server.nstat.IcmpOutDestUnreachs == 2' \
	-c 'expect server.nstat.IcmpOutEchoReps == 1' \
	-c 'expect server.skbs.alive == 0' \
	>"$tmp/kpath.txt" 2>&1 </dev/null || fail "kpath run: exit $?"

# kpath's lines: the console prefix off
sed -n 's/^\[server tcpdump\/[0-9]*\] //p' "$tmp/kpath.txt" |
	grep -v 'packets captured' >"$tmp/ours.txt"
TZ=UTC "$TCPDUMP" -r "$tmp/out.pcap" -n >"$tmp/theirs.txt" \
	2>"$tmp/tcpdump.err" || fail "tcpdump -r: $(cat "$tmp/tcpdump.err")"

# the -c 3 capture printed its 3 lines too: ours has 46 + 3 lines
n_ours=$(wc -l <"$tmp/ours.txt")
n_theirs=$(wc -l <"$tmp/theirs.txt")
[ "$n_theirs" -eq 46 ] || fail "tcpdump read $n_theirs packets, wanted 46"
[ "$n_ours" -eq 49 ] || fail "kpath printed $n_ours lines, wanted 49"

# Lines of capture #1 and #3 interleave per packet (#3 registered last,
# so it comes first on ptype_all); drop the -c 3 copies by position.
awk '{ if (prev == $0 && dup < 3) { dup++; next } prev = $0; print }' \
	"$tmp/ours.txt" >"$tmp/ours1.txt"
[ "$(wc -l <"$tmp/ours1.txt")" -eq 46 ] ||
	fail "could not separate the -c 3 lines ($(wc -l <"$tmp/ours1.txt"))"

# Line by line: equal, or equal up to where kpath stops decoding.
paste -d '\n' "$tmp/ours1.txt" "$tmp/theirs.txt" | awk '
	NR % 2 == 1 { ours = $0; next }
	{
		theirs = $0
		if (ours == theirs) { next }
		cut = ours
		if (match(ours, /UDP, length [0-9]+$/))
			cut = substr(ours, 1, RSTART - 1)
		else if (match(ours, / length [0-9]+$/))
			cut = ours
		if (cut != ours && index(theirs, cut) == 1) { next }
		if (cut == ours && index(theirs, ours) == 1) { next }
		printf "differ:\n  kpath:   %s\n  tcpdump: %s\n", ours, theirs
		bad++
	}
	END { exit bad ? 1 : 0 }' || fail "lines differ (above)"

# -e and -r inside kpath: the Ethernet header as tcpdump -e prints it
"$KPATH" --batch -c "tcpdump -r $tmp/out.pcap -e -c 3" \
	>"$tmp/kr.txt" 2>&1 </dev/null || fail "kpath tcpdump -r: exit $?"
TZ=UTC "$TCPDUMP" -r "$tmp/out.pcap" -n -e -c 3 2>/dev/null |
	cut -c1-120 >"$tmp/tr.txt"
grep -v '^reading from' "$tmp/kr.txt" | cut -c1-120 >"$tmp/kr2.txt"
cmp -s "$tmp/kr2.txt" "$tmp/tr.txt" || {
	fail "tcpdump -e -r differs"
	diff "$tmp/kr2.txt" "$tmp/tr.txt"
}

# -v: the IPv4 header and TCP checksums, as tcpdump -v prints them
# (TCP only: UDP lines go on into DNS and AFS decodes; tcpdump's lines
# that start with a tab are its WHOIS decode, which kpath does not do)
"$KPATH" --batch -c "tcpdump -r $tmp/out.pcap -v tcp" \
	>"$tmp/kv.txt" 2>&1 </dev/null || fail "kpath tcpdump -r -v: exit $?"
grep -v '^reading from' "$tmp/kv.txt" >"$tmp/kv2.txt"
TZ=UTC "$TCPDUMP" -r "$tmp/out.pcap" -n -v tcp 2>/dev/null |
	grep -v "$(printf '^\t')" >"$tmp/tv.txt"
[ "$(wc -l <"$tmp/kv2.txt")" -eq "$(wc -l <"$tmp/tv.txt")" ] &&
	[ "$(wc -l <"$tmp/tv.txt")" -ge 20 ] ||
	fail "tcpdump -v: $(wc -l <"$tmp/kv2.txt") lines, tcpdump $(wc -l <"$tmp/tv.txt")"
paste -d '\n' "$tmp/kv2.txt" "$tmp/tv.txt" | awk '
	NR % 2 == 1 { ours = $0; next }
	ours != $0 && index($0, ours) != 1 {
		printf "differ:\n  kpath:   %s\n  tcpdump: %s\n", ours, $0
		bad++
	}
	END { exit bad ? 1 : 0 }' || fail "tcpdump -v lines differ (above)"

# errors: one line each, exit 2, no crash
err_case() {
	"$KPATH" --batch -c "$1" >"$tmp/err.txt" 2>&1 </dev/null
	st=$?
	if [ "$st" -ne 2 ] || ! grep -qF -- "$2" "$tmp/err.txt"; then
		fail "'$1': exit $st, wanted 2 and '$2'"
		cat "$tmp/err.txt"
	fi
}
err_case 'tcpdump -i eth0 ((' 'tcpdump: filter "((": can'"'"'t parse filter expression'
err_case 'tcpdump -i eth0 -w /nonexistent/dir/x.pcap' 'No such file or directory'
err_case 'tcpdump -i eth9' "No device 'eth9' on server"
err_case 'tcpdump stop' 'no capture running on server'
err_case 'tcpdump -i eth0 -X' "option '-X' is not supported"

# -i any on the client, with a filter that matches three of the six
# frames: the echo request in, and out the port unreachable (for the UDP)
# and the echo reply; not the UDP datagram nor the ARP request and reply
"$KPATH" --batch -c 'tcpdump client -i any icmp' \
	-c 'inject client udp 10.0.0.2:1 > 10.0.0.1:9' \
	-c 'inject client icmp echo 10.0.0.2 > 10.0.0.1' \
	-c continue -c 'tcpdump stop client' \
	-c 'expect output contains "3 packets captured"' \
	>"$tmp/any.txt" 2>&1 </dev/null || {
	fail "tcpdump -i any: exit $?"
	cat "$tmp/any.txt"
}
grep -q '^\[client tcpdump/0\] .* IP 10.0.0.2 > 10.0.0.1: ICMP echo request' \
	"$tmp/any.txt" || fail "tcpdump -i any printed no ICMP line"
grep -q '^\[client tcpdump/0\] .* IP 10.0.0.1 > 10.0.0.2: ICMP 10.0.0.1 udp port 9 unreachable' \
	"$tmp/any.txt" || fail "tcpdump -i any printed no port unreachable"
grep -q '^\[client tcpdump/0\] .* IP 10.0.0.1 > 10.0.0.2: ICMP echo reply' \
	"$tmp/any.txt" || fail "tcpdump -i any printed no echo reply"
[ "$(grep -c '^\[client tcpdump/0\] ' "$tmp/any.txt")" -eq 3 ] ||
	fail "tcpdump -i any printed frames its filter rejects"

if [ "$fails" -ne 0 ]; then
	echo "--- kpath output"
	cat "$tmp/kpath.txt"
	exit 1
fi
echo "ok: kpath's tcpdump lines match /usr/bin/tcpdump -r on its -w file"
