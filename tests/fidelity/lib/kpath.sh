# kpath.sh - the kpath side of the fidelity harness (sourced by
# run-fidelity.sh): the scenario as a kpath batch script on the default
# world (client 10.0.0.1, server 10.0.0.2), `nstat -az` on server before
# and after the traffic.
#
# How the client's datagrams get to server ($KP_SEND, kp_pick_sender):
#   udp-client  client runs `run udp-client DST:PORT COUNT SIZE [GAP_US]`
#               and its datagrams cross the emulated wire; client's
#               counters are compared too;
#   inject      (until kpath transmits) they are injected on server's
#               wire (`inject server udp 10.0.0.1:P > ...`) as if client
#               had sent them; datagrams larger than the MTU go as the
#               raw fragments tools/mkfrags.c builds.
# FIDELITY_KPATH_SEND=inject|udp-client forces one; by default the
# harness uses udp-client when one datagram sent with it reaches server.
#
# TCP scenarios run kpath's own programs on both hosts: tcp-echo-server
# and tcp-echo-client (echo; none: the client alone, refused),
# tcp-bulk-recv and tcp-bulk-send (sink); client's counters are compared.
#
# Uses: $tmp, $KPATH, $TOOLS, the scenario's variables.
# Writes: $tmp/kp.kp (the script), $tmp/kp.out, $tmp/kp.before,
# $tmp/kp.after, $tmp/kp.cbefore, $tmp/kp.cafter ("NAME VALUE" lines;
# the c ones for client, with udp-client or TCP), $tmp/kp.truesize.

# The wire MAC inject uses as the source of its frames.
KP_WIRE_MAC=02:4b:50:00:00:01

# What one kpath command prints, in batch mode.
kp_query() {
	"$KPATH" --batch -c "$1" 2>&1
}

# The sk#N a UDP socket gets when task PID creates it first thing and
# binds it to 0.0.0.0:PORT (ICMP's control sockets and others take ids
# at boot, so it is not sk#1).
kp_udp_sockid() {
	"$KPATH" --batch -c 'task new server' -c "sys $1 socket inet dgram" \
		-c "sys $1 bind 3 0.0.0.0:$2" -c 'show sock' 2>&1 |
		awk -v p=":$2" '$1 ~ /^sk#/ && $2 == "server" && $3 == "UDP" &&
			index($0, p " ") { print $1; exit }'
}

# Does this kpath have TCP (its tcp-echo-server program)?
kp_has_tcp() {
	! kp_query 'run tcp-echo-server 9 1 on server' | grep -q "No program"
}

# Sets KP_SEND; prints why when it falls back to inject.
kp_pick_sender() {
	KP_SEND=${FIDELITY_KPATH_SEND:-}
	[ -n "$KP_SEND" ] && return 0
	KP_SEND=inject
	n=$("$KPATH" --batch -c 'run udp-server 9999 on server' \
		-c 'run udp-client 10.0.0.2:9999 1 10 on client' -c continue \
		-c 'nstat server -az UdpInDatagrams' 2>&1 |
		awk '$1 == "UdpInDatagrams" { print $2 }')
	if [ "${n:-0}" -gt 0 ] 2>/dev/null; then
		KP_SEND=udp-client
	fi
}

kp_script() {
	pid=
	skid=
	case $PROTO/$SERVER in
	udp/read)
		echo "run udp-server $PORT on server"
		;;
	udp/hold)
		pid=$(kp_query 'task new server' |
			sed -n 's/.* pid \([0-9][0-9]*\) .*/\1/p' | head -n 1)
		[ -n "$pid" ] || {
			echo "kpath: 'task new server' printed no pid" >&2
			return 1
		}
		skid=$(kp_udp_sockid "$pid" "$PORT")
		echo "task new server"
		echo "sys $pid socket inet dgram"
		[ -n "${RCVBUF:-}" ] &&
			echo "sys $pid setsockopt 3 SO_RCVBUF $RCVBUF"
		echo "sys $pid bind 3 0.0.0.0:$PORT"
		;;
	udp/none) ;;
	tcp/echo) echo "run tcp-echo-server $PORT 1 on server" ;;
	tcp/sink) echo "run tcp-bulk-recv $PORT on server" ;;
	tcp/none) ;;
	*)
		echo "kpath: no kpath form for $PROTO/$SERVER" >&2
		return 1
		;;
	esac
	echo "echo @@before"
	echo "nstat server -az"
	if [ "$PROTO" = tcp ]; then
		echo "echo @@cbefore"
		echo "nstat client -az"
		case $SERVER in
		sink) echo "run tcp-bulk-send 10.0.0.2 $PORT $LEN on client" ;;
		*)
			# one message of LEN bytes, echoed once (none: refused)
			msg=$(awk -v n="$LEN" 'BEGIN { s = ""
				for (i = 0; i < n || i == 0; i++)
					s = s sprintf("%c", 97 + i % 26)
				print s }')
			echo "run tcp-echo-client 10.0.0.2 $PORT $msg 1 on client"
			;;
		esac
	elif [ "$KP_SEND" = udp-client ]; then
		echo "echo @@cbefore"
		echo "nstat client -az"
		echo "run udp-client 10.0.0.2:$PORT $COUNT $LEN${GAP_US:+ $GAP_US} on client"
	elif [ $((LEN + 28)) -le 1500 ]; then
		echo "inject server udp 10.0.0.1:$SRC_PORT > 10.0.0.2:$PORT" \
			"len $LEN count $COUNT${GAP_US:+ gap ${GAP_US}us}"
	else
		mac=$(kp_query 'ip link' |
			awk '/link\/ether/ { print $2; exit }')
		i=1
		while [ $i -le "$COUNT" ]; do
			"$TOOLS/mkfrags" -s "10.0.0.1:$SRC_PORT" \
				-d "10.0.0.2:$PORT" -l "$LEN" -i "$i" \
				-D "$mac" -S "$KP_WIRE_MAC" |
				sed 's/^/inject server raw /' || return 1
			i=$((i + 1))
		done
	fi
	echo "continue"
	if [ "$SERVER" = hold ]; then
		[ -n "$skid" ] && echo "show sock $skid"
		i=0
		while [ $i -le "$COUNT" ]; do
			echo "sys $pid recvfrom 3 65535 dontwait"
			i=$((i + 1))
		done
	fi
	echo "echo @@after"
	echo "nstat server -az"
	if [ "$KP_SEND" = udp-client ] || [ "$PROTO" = tcp ]; then
		echo "echo @@cafter"
		echo "nstat client -az"
	fi
}

kp_run() {
	kp_script >"$tmp/kp.kp" || return 1
	# a kpath that never finishes fails the scenario, not the suite
	to=
	command -v timeout >/dev/null 2>&1 &&
		to="timeout ${FIDELITY_KPATH_TIMEOUT:-30}"
	$to "$KPATH" --batch "$tmp/kp.kp" >"$tmp/kp.out" 2>&1 || {
		rc=$?
		[ $rc = 124 ] && echo "kpath: did not finish in" \
			"${FIDELITY_KPATH_TIMEOUT:-30} s (FIDELITY_KPATH_TIMEOUT)" >&2
		echo "kpath: the script failed (exit $rc); its output:" >&2
		sed 's/^/    /' "$tmp/kp.out" | tail -n 20 >&2
		return 1
	}
	rm -f "$tmp/kp.cbefore" "$tmp/kp.cafter"
	awk -v b="$tmp/kp.before" -v a="$tmp/kp.after" \
		-v cb="$tmp/kp.cbefore" -v ca="$tmp/kp.cafter" '
		$0 == "@@before" { f = b; next }
		$0 == "@@after" { f = a; next }
		$0 == "@@cbefore" { f = cb; next }
		$0 == "@@cafter" { f = ca; next }
		f != "" && NF == 3 && $2 ~ /^[0-9]+$/ && $1 ~ /^[A-Za-z]/ {
			print $1, $2 > f
		}' "$tmp/kp.out"
	[ -s "$tmp/kp.before" ] && [ -s "$tmp/kp.after" ] || {
		echo "kpath: no nstat output" >&2
		return 1
	}
	awk '/^ *skb#[0-9]+ len [0-9]+ truesize [0-9]+/ { print $5; exit }' \
		"$tmp/kp.out" >"$tmp/kp.truesize"
}
