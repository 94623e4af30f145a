# real.sh - the real-kernel side of the fidelity harness (sourced by
# run-fidelity.sh): two network namespaces joined by a veth pair,
# 10.0.0.1/24 (client, "a") and 10.0.0.2/24 (server, "b"), lo up, IPv6
# off; the scenario's server and client run in them (tools/*.c), with
# `nstat -az` before and after in each namespace.
#
# Uses: $tmp, $NS_A, $NS_B, $TOOLS, the scenario's variables.
# Writes: $tmp/real.b.before/after, $tmp/real.a.before/after ("NAME
# VALUE" lines), $tmp/real.server.out, $tmp/real.client.out.

# Can this machine run the real side?  Prints why not, returns 1.
real_available() {
	if [ "$(id -u)" != 0 ]; then
		echo "not root"
		return 1
	fi
	for t in ip nstat; do
		command -v "$t" >/dev/null 2>&1 || {
			echo "no $t command"
			return 1
		}
	done
	if ! ip netns add "$NS_A" 2>/dev/null; then
		echo "'ip netns add' failed"
		return 1
	fi
	ip netns del "$NS_A" 2>/dev/null
	return 0
}

real_setup() {
	ip netns add "$NS_A" && ip netns add "$NS_B" || return 1
	for ns in "$NS_A" "$NS_B"; do
		ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 \
			net.ipv6.conf.default.disable_ipv6=1 >/dev/null 2>&1
		ip -n "$ns" link set lo up || return 1
	done
	ip link add "$VETH_A" netns "$NS_A" type veth peer name "$VETH_B" \
		netns "$NS_B" &&
		ip -n "$NS_A" addr add 10.0.0.1/24 dev "$VETH_A" &&
		ip -n "$NS_B" addr add 10.0.0.2/24 dev "$VETH_B" &&
		ip -n "$NS_A" link set "$VETH_A" up &&
		ip -n "$NS_B" link set "$VETH_B" up
}

real_teardown() {
	if [ -n "${real_srv_pid:-}" ]; then
		kill "$real_srv_pid" 2>/dev/null
		wait "$real_srv_pid" 2>/dev/null
		real_srv_pid=
	fi
	ip netns del "$NS_A" 2>/dev/null
	ip netns del "$NS_B" 2>/dev/null
	return 0
}

# nstat -az in namespace $1, as "NAME VALUE" lines (history untouched).
real_nstat() {
	NSTAT_HISTORY=$tmp/nstat.hist ip netns exec "$1" nstat -az -s 2>/dev/null |
		awk '!/^#/ && NF >= 2 { print $1, $2 }'
}

# Wait up to 5 s for file $1.
real_wait_file() {
	i=0
	while [ ! -e "$1" ] && [ $i -lt 500 ]; do
		sleep 0.01
		i=$((i + 1))
	done
	[ -e "$1" ]
}

real_run() {
	real_srv_pid=
	rm -f "$tmp/ready" "$tmp/go"
	: >"$tmp/real.server.out"
	case $PROTO/$SERVER in
	udp/read | udp/hold)
		ip netns exec "$NS_B" "$TOOLS/udp_recv" -p "$PORT" \
			${RCVBUF:+-b "$RCVBUF"} -m "$SERVER" -n "$COUNT" \
			-r "$tmp/ready" -g "$tmp/go" -t 5000 \
			>"$tmp/real.server.out" 2>&1 &
		real_srv_pid=$!
		;;
	tcp/echo | tcp/sink)
		ip netns exec "$NS_B" "$TOOLS/tcp_srv" -p "$PORT" -m "$SERVER" \
			-r "$tmp/ready" -t 5000 >"$tmp/real.server.out" 2>&1 &
		real_srv_pid=$!
		;;
	*/none) : >"$tmp/ready" ;;
	*)
		echo "scenario: unknown PROTO/SERVER $PROTO/$SERVER" >&2
		return 1
		;;
	esac
	real_wait_file "$tmp/ready" || {
		echo "real: the server did not start" >&2
		return 1
	}
	real_nstat "$NS_B" >"$tmp/real.b.before"
	real_nstat "$NS_A" >"$tmp/real.a.before"
	case $PROTO in
	udp)
		ip netns exec "$NS_A" "$TOOLS/udp_send" -s "10.0.0.1:$SRC_PORT" \
			-d "10.0.0.2:$PORT" -l "$LEN" -n "$COUNT" \
			${GAP_US:+-g "$GAP_US"} >"$tmp/real.client.out" 2>&1
		;;
	tcp)
		mode='echo'
		[ "$SERVER" = sink ] && mode=bulk
		ip netns exec "$NS_A" "$TOOLS/tcp_cli" -s 10.0.0.1 \
			-d "10.0.0.2:$PORT" -l "$LEN" -m "$mode" \
			>"$tmp/real.client.out" 2>&1
		;;
	esac
	sleep 0.2 # the last packets' softirq work and replies
	: >"$tmp/go"
	if [ -n "$real_srv_pid" ]; then
		wait "$real_srv_pid"
		real_srv_pid=
	fi
	sleep 0.1
	real_nstat "$NS_B" >"$tmp/real.b.after"
	real_nstat "$NS_A" >"$tmp/real.a.after"
}
