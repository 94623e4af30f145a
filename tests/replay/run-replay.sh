#!/bin/sh
# run-replay.sh - every capture in ../shared/captures/ replayed into the
# server (which owns none of their addresses: 10.0.0.2, forwarding off)
# in batch mode, with expectations on what Linux does with such frames:
# IP_INADDRERRORS (ip_route_input_slow: not local and not forwarding ->
# ip_error), martian destinations, header errors by their drop reason,
# frames over the MTU dropped by the NIC (rx_long_length_errors), and
# every damaged frame reported by name.  Then receiver mode, filters,
# limits, and broken files made here (truncated, bad magic, oversized
# record).  ARP frames are not pinned here (arp_rcv takes them; the
# ARP scenarios pin what it does).
#
# Run by tests/run.sh with KPATH set (from the repo root); exits 1 if any
# check failed, 0 with a message if ../shared/captures is absent.

KPATH=${KPATH:-./kpath}
case $KPATH in /*) ;; *) KPATH=$PWD/$KPATH ;; esac
CAP=${CAPTURES:-../shared/captures}
if [ ! -d "$CAP" ]; then
	echo "skip: no $CAP"
	exit 0
fi
tmp=$(mktemp -d "${TMPDIR:-/tmp}/kpath-replay.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM
fails=0
checks=0

# rp NAME OPTIONS EXPECT... : replay $CAP/NAME on server with OPTIONS,
# then each EXPECT as an `expect` command; the conservation invariant
# and an empty stack (no skb alive) are always checked.
rp() {
	file=$1 opts=$2
	shift 2
	expects=$(for e in "$@"; do printf '%s\n' "$e"; done)
	set -- -c "replay $CAP/$file on server $opts" \
		-c "expect output contains \"conservation holds\""
	old_ifs=$IFS
	IFS='
'
	for e in $expects; do
		set -- "$@" -c "expect $e"
	done
	IFS=$old_ifs
	set -- "$@" -c "expect server.skbs.alive == 0"
	checks=$((checks + 1))
	if ! "$KPATH" --batch "$@" >"$tmp/out" 2>&1 </dev/null; then
		echo "FAIL: replay $file $opts"
		sed 's/^/    /' "$tmp/out"
		fails=$((fails + 1))
	fi
}

# Frames not addressed to the server: IpInAddrErrors, IP_INADDRERRORS.
rp LINKTYPE_RAW_ipv4.pcap --fast \
	'output contains "(pcap, raw IPv4)"' \
	'output contains "1 read, 1 injected"' \
	'server.nstat.IpInReceives == 1' \
	'server.drops.IP_INADDRERRORS == 1'
rp afs.pcap --fast \
	'output contains "601 read, 601 injected"' \
	'server.dev.eth0.rx_packets == 601' \
	'server.nstat.IpInReceives == 601' \
	'server.nstat.IpInAddrErrors == 601' \
	'server.drops.IP_INADDRERRORS == 601'
rp dhcp-rfc4388.pcap --fast \
	'output contains "54 read, 54 injected"' \
	'server.dev.eth0.rx_packets == 54' \
	'server.nstat.IpInReceives == 42' \
	'server.drops.IP_INADDRERRORS == 42'
rp dns_tcp.pcap --fast \
	'server.nstat.IpInReceives == 11' \
	'server.drops.IP_INADDRERRORS == 11'
rp dns_udp.pcap --fast \
	'server.nstat.IpInReceives == 2' \
	'server.nstat.UdpNoPorts == 0' \
	'server.drops.IP_INADDRERRORS == 2'
rp empty.pcapng --fast \
	'output contains "(pcapng, Ethernet)"' \
	'output contains "0 read, 0 injected"' \
	'server.dev.eth0.rx_packets == 0'
# One 7306-byte frame (captured before TSO): longer than the MTU, the
# NIC drops it (LPE off) - the stack never sees it.
rp gso-ipv4.pcap --fast \
	'output contains "TCP_BAD_CSUM"' \
	'server.ethtool.eth0.rx_long_length_errors == 1' \
	'server.dev.eth0.rx_packets == 0' \
	'server.nstat.IpInReceives == 0'
rp icmp-length-zero.pcapng --fast \
	'output contains "IP_BAD_TOTLEN"' \
	'output contains "frame 1 at byte 248"' \
	'server.nstat.IpInHdrErrors == 1' \
	'server.drops.IP_INHDR == 1'
# MALFORMED: the ICMP extension lies, but IP routes it first: not ours.
rp icmp_ext_oob_poc.pcap --fast \
	'output contains "ICMP_BAD_EXT"' \
	'output contains "frame 1 at byte 24"' \
	'server.drops.IP_INADDRERRORS == 1'
# MALFORMED: ip_rcv checks the header checksum before the options.
rp ip_ts_opts_asan.pcap --fast \
	'output contains "IP_BAD_OPTION"' \
	'output contains "IP_BAD_CSUM"' \
	'output contains "FRAME_SHORT"' \
	'server.nstat.IpInHdrErrors == 1' \
	'server.nstat.IpExtInCsumErrors == 1' \
	'server.drops.IP_CSUM == 1'
# MALFORMED: IHL 4.
rp ipv4_invalid_hdr_length.pcap --fast \
	'output contains "IP_BAD_IHL"' \
	'server.nstat.IpInHdrErrors == 1' \
	'server.drops.IP_INHDR == 1'
# MALFORMED: 19 bytes of IPv4 header; the wire pads the frame to 60 and
# the padding breaks the header checksum.
rp ipv4_invalid_length.pcap --fast \
	'output contains "IP_TRUNCATED"' \
	'server.nstat.IpInHdrErrors == 1' \
	'server.drops.IP_CSUM == 1'
# MALFORMED: total length one byte beyond the frame.
rp ipv4_invalid_total_length.pcap --fast \
	'output contains "IP_TOTLEN_BEYOND"' \
	'server.nstat.IpExtInTruncatedPkts == 1' \
	'server.drops.PKT_TOO_SMALL == 1'
rp ipv4_tcp_http_xml_tso.pcap --fast \
	'output contains "IP_BAD_TOTLEN"' \
	'server.ethtool.eth0.rx_long_length_errors == 1' \
	'server.nstat.IpInReceives == 0'
rp isakmp4500.pcap --fast \
	'output contains "35 read, 35 injected"' \
	'server.nstat.IpInReceives == 27' \
	'server.drops.IP_INADDRERRORS == 27'
rp mptcp-fclose.pcap --fast \
	'server.nstat.IpInReceives == 9' \
	'server.drops.IP_INADDRERRORS == 9'
rp ntp.pcap --fast \
	'output contains "UDP_BAD_CSUM 4"' \
	'server.drops.IP_INADDRERRORS == 8'
# 127.0.0.1 from the wire: a martian destination; one frame is > MTU.
rp print-flags.pcap --fast \
	'server.ethtool.eth0.rx_long_length_errors == 1' \
	'server.nstat.IpInReceives == 9' \
	'server.drops.IP_INVALID_DEST == 9'
rp ssh.pcap --fast \
	'server.nstat.IpInReceives == 54' \
	'server.drops.IP_INADDRERRORS == 54'
rp tcp-handshake-nano.pcap --fast \
	'output contains "Linux cooked (SLL)"' \
	'server.dev.eth0.rx_packets == 3' \
	'server.drops.IP_INADDRERRORS == 3'
rp tcp_eight_lowest_weight_flags_set.pcap --fast \
	'server.drops.IP_INADDRERRORS == 1'
# MALFORMED: captured one byte short of its wire length.
rp tcp_rst_data-trunc.pcap --fast \
	'output contains "FRAME_SHORT"' \
	'server.nstat.IpExtInTruncatedPkts == 1' \
	'server.drops.PKT_TOO_SMALL == 1'
rp tcp_rst_data.pcap --fast \
	'server.drops.IP_INADDRERRORS == 1'
rp tfo-5c1fa7f9ae91.pcap --fast \
	'server.nstat.IpInReceives == 14' \
	'server.drops.IP_INADDRERRORS == 14'
rp tftp.pcap --fast \
	'server.drops.IP_INADDRERRORS == 7'
rp whois.pcap --fast \
	'output contains "TCP_BAD_CSUM 6"' \
	'server.drops.IP_INADDRERRORS == 11'

# Timestamps kept (scaled): the same counts, just later.  The file's two
# frames are 0.130282000 s apart, so 130282 ns apart on the wire at speed
# 1000 (the first goes out when the boot is done, which moves as the boot
# grows: the span is checked, not the start).
rp dns_udp.pcap "--speed 1000" \
	'output contains "on the wire from 0.0000"' \
	'server.drops.IP_INADDRERRORS == 2'
span=$(sed -n 's/^ *on the wire from \([0-9]*\)\.\([0-9]*\) to \([0-9]*\)\.\([0-9]*\)$/\1 \2 \3 \4/p' \
	"$tmp/out" | awk '{ print ($3 - $1) * 1000000000 + ($4 - $2) }')
checks=$((checks + 1))
if [ "$span" != 130282 ]; then
	echo "FAIL: replay dns_udp.pcap --speed 1000: frames ${span:-?} ns apart, wanted 130282"
	sed 's/^/    /' "$tmp/out"
	fails=$((fails + 1))
fi
# Filters (libpcap's compiler, on the file's link type) and limits.
rp afs.pcap "--fast --filter icmp" \
	'output contains "576 skipped by filter"' \
	'server.nstat.IpInReceives == 25'
rp afs.pcap "--fast --limit 10" \
	'output contains "10 injected"' \
	'server.nstat.IpInReceives == 10'
rp tcp-handshake-nano.pcap "--fast --filter tcp port 80" \
	'server.nstat.IpInReceives == 3'
# --keep-mac: the NIC's unicast filter drops frames for other MACs.
rp dns_udp.pcap "--fast --keep-mac" \
	'server.dev.eth0.rx_packets == 0'

# Receiver mode: the server becomes 192.168.100.1 with a UDP listener on
# 123; the capture's checksums were left to offload (UDP_CSUM) unless
# --fix-csum recomputes them.
rp ntp.pcap "--fast --as-receiver" \
	'output contains "receiver: 192.168.100.1/32"' \
	'output contains "4 frames the receiver sent were not injected"' \
	'server.nstat.UdpInCsumErrors == 4' \
	'server.drops.UDP_CSUM == 4'
rp ntp.pcap "--fast --as-receiver --fix-csum" \
	'server.nstat.UdpInDatagrams == 4' \
	'server.drops.UDP_CSUM == 0'
rp dns_udp.pcap "--as-receiver --fix-csum" \
	'output contains "receiver: 209.87.249.18/32"' \
	'server.nstat.UdpInDatagrams == 1'
# TCP receiver: a tcp-bulk-recv listens on 43, the client (10.0.2.15)
# gets a route and a permanent neighbour; kpath answers the SYN with its
# own ISN, the client's segments are moved into that sequence space, so
# the handshake completes (PassiveOpens) and the request is ACKed as the
# file's receiver ACKed it; the file's answer (233 bytes) and FIN are
# what kpath's listener does not send (the client's ACKs of them are
# TCP_ACK_UNSENT_DATA drops).
rp whois.pcap "--as-receiver --fix-csum" \
	'output contains "receiver: tcp-bulk-recv 43 on server"' \
	'output contains "receiver: peer 10.0.2.15 lladdr 08:00:27:3e:ac:31 PERMANENT"' \
	'output contains "6 TCP segments to the receiver, 5 moved into kpath'"'"'s sequence space"' \
	'output !contains "flags: file: TCP 192.0.47.59.43 > 10.0.2.15.44188 [S.]"' \
	'output contains "TCP 192.0.47.59.43 > 10.0.2.15.44188 [P.] seq 1 ack 2239453456 len 233"' \
	'server.nstat.TcpPassiveOpens == 1' \
	'server.nstat.TcpOutRsts == 0'

# Broken files: one message with the fault, never a crash or a hang.
# bad_file NAME WANT-TEXT: replay must fail with WANT-TEXT, or report it.
bad_file() {
	checks=$((checks + 1))
	"$KPATH" --batch -c "replay $tmp/$1 on server --fast" \
		>"$tmp/out" 2>&1 </dev/null
	status=$?
	if [ "$status" -gt 2 ] || ! grep -qF -- "$2" "$tmp/out"; then
		echo "FAIL: broken file $1: exit $status, wanted '$2'"
		sed 's/^/    /' "$tmp/out"
		fails=$((fails + 1))
	fi
}
head -c 300 "$CAP/whois.pcap" >"$tmp/truncated.pcap"
bad_file truncated.pcap "truncated.pcap: frame 4 at byte 260"
printf 'this is not a capture file at all, not even close\n' \
	>"$tmp/badmagic.pcap"
bad_file badmagic.pcap "badmagic.pcap: byte 0"
head -c 10 "$CAP/whois.pcap" >"$tmp/shortheader.pcap"
bad_file shortheader.pcap "shortheader.pcap: byte"
# oversized REC_LEN BYTES FILE: a file (snaplen 96) whose first record
# claims REC_LEN bytes and holds BYTES, then one good 60-byte frame.
oversized() {
	{
		printf '\324\303\262\241\002\000\004\000\000\000\000\000'
		printf '\000\000\000\000\140\000\000\000\001\000\000\000'
		printf '\000\000\000\000\000\000\000\000'
		printf "$1$1"
		head -c "$2" /dev/zero
		printf '\000\000\000\000\000\000\000\000'
		printf '\074\000\000\000\074\000\000\000'
		head -c 60 /dev/zero
	} >"$tmp/$3"
}
# a record longer than the snap length: skipped, the next one replays
oversized '\160\021\001\000' 70000 oversnap.pcap
bad_file oversnap.pcap "oversnap.pcap: frame 1 at byte 24: record length 70000 is larger than the snap length 96; frame skipped"
bad_file oversnap.pcap "2 read, 1 injected (60 bytes), 0 skipped by filter, 1 damaged records skipped"
# longer than any record can be: the file is broken there
oversized '\340\223\004\000' 300000 overmax.pcap
bad_file overmax.pcap "overmax.pcap: frame 1 at byte 24: record length 300000 is larger than 256 KiB"
: >"$tmp/empty.pcap"
bad_file empty.pcap "empty.pcap: byte 0"
bad_file does-not-exist.pcap "cannot open"

# Deterministic: two runs of a real-time replay with a tap give the same
# trace, byte for byte.
checks=$((checks + 1))
for i in 1 2; do
	"$KPATH" --batch -c 'tcpdump -i eth0' \
		-c "replay $CAP/afs.pcap --limit 100" -c 'trace 300' \
		>"$tmp/det$i" 2>&1 </dev/null
done
if ! cmp -s "$tmp/det1" "$tmp/det2"; then
	echo "FAIL: two identical replays traced differently"
	diff "$tmp/det1" "$tmp/det2" | head -20
	fails=$((fails + 1))
fi

echo "$((checks - fails)) of $checks replay checks passed"
[ "$fails" -eq 0 ]
