# truesize.sh - `run-fidelity.sh --truesize`: the skb->truesize one UDP
# datagram is charged to the receiving socket, per payload size, on the
# real kernel's veth and in kpath (sourced by run-fidelity.sh).
#
# Real: a socket that reads nothing receives 3 datagrams; SO_MEMINFO's
# rmem_alloc / 3 is the truesize (veth hands over the sender's skb, from
# sock_alloc_send_skb in ip_make_skb: kmalloc'ed head, so the value steps
# with the kmalloc size classes).  kpath: `show sock` lists the truesize
# of each queued skb (its igb copies the frame into a netdev_alloc_skb
# sized to the frame).  For reference, Linux's igb (build_skb on half a
# 4 KiB page) gives every frame up to 1536 bytes truesize
# SKB_TRUESIZE(2048 - 320) = 2304.
#
# Uses: $tmp, $TOOLS, $KPATH, $NS_A, $NS_B, $real (1: real side runs).
TRUESIZE_LENS="0 18 64 100 200 300 500 800 1000 1200 1472"

truesize_real() {
	rm -f "$tmp/ready" "$tmp/go"
	ip netns exec "$NS_B" "$TOOLS/udp_recv" -p 7000 -m hold -r "$tmp/ready" \
		-g "$tmp/go" -t 5000 >"$tmp/ts.out" 2>&1 &
	real_srv_pid=$!
	real_wait_file "$tmp/ready" || return 1
	ip netns exec "$NS_A" "$TOOLS/udp_send" -s 10.0.0.1:4000 \
		-d 10.0.0.2:7000 -l "$1" -n 3 >/dev/null 2>&1
	sleep 0.1
	: >"$tmp/go"
	wait "$real_srv_pid"
	real_srv_pid=
	awk '{ for (i = 1; i < NF; i++) {
		if ($i == "queued") q = $(i + 1)
		if ($i == "rmem_alloc") m = $(i + 1) }
		if (q > 0) print m / q; else print "?" }' "$tmp/ts.out"
}

truesize_kpath() {
	pid=$(kp_query 'task new server' |
		sed -n 's/.* pid \([0-9][0-9]*\) .*/\1/p' | head -n 1)
	"$KPATH" --batch -c 'task new server' -c "sys $pid socket inet dgram" \
		-c "sys $pid bind 3 0.0.0.0:7000" \
		-c "inject server udp 10.0.0.1:4000 > 10.0.0.2:7000 len $1" \
		-c continue -c "show sock $(kp_udp_sockid "$pid" 7000)" 2>&1 |
		awk '/^ *skb#[0-9]+ len [0-9]+ truesize [0-9]+/ { print $5; exit }'
}

truesize_table() {
	[ $real = 1 ] && { real_setup || return 1; }
	printf '%8s %8s %12s %12s\n' payload frame "real veth" "kpath igb"
	for len in $TRUESIZE_LENS; do
		frame=$((len + 42))
		[ $frame -lt 60 ] && frame=60
		r=-
		[ $real = 1 ] && r=$(truesize_real "$len")
		printf '%8s %8s %12s %12s\n' "$len" "$frame" "$r" \
			"$(truesize_kpath "$len")"
	done
	[ $real = 1 ] && real_teardown
	echo "(Linux igb, build_skb on half a 4 KiB page: 2304 for every frame here)"
}
