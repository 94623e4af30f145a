/*
 * datagram.c - connect(2) on IPv4 datagram sockets (net/ipv4/datagram.c):
 * ip4_datagram_connect routes to the peer (ip_route_output_ports, as
 * ip_route_connect), takes the route's source address if the socket had
 * none, records the peer, marks the socket TCP_ESTABLISHED and caches
 * the route on it (sk_setup_caps -> sk_dst_set), so udp_sendmsg can skip
 * the lookup.
 *
 * Leaves out: multicast interfaces (IP_MULTICAST_IF), the rehash of the
 * socket on its new (address, port), ip4_datagram_release_cb.
 */
#include <arpa/inet.h>
#include <errno.h>

#include "engine/probe.h"
#include "engine/prng.h"
#include "ip.h"
#include "ip_output.h"
#include "net/core/net_namespace.h"
#include "net/core/sock.h"
#include "net/socket.h"
#include "sched/sched.h"
#include "route.h"
#include "udp.h"

int ip4_datagram_connect(struct sock *sk, struct sockaddr *uaddr,
			 int addr_len)
{
	KP_FUNC(ip4_datagram_connect, sk);
	struct inet_sock *inet = inet_sk(sk);
	struct sockaddr_in *usin = (struct sockaddr_in *)uaddr;
	struct flowi4 fl4;
	struct rtable *rt;
	int oif, err;

	if (addr_len < (int)sizeof(*usin))
		return -EINVAL;
	if (usin->sin_family != AF_INET)
		return -EAFNOSUPPORT;

	lock_sock(sk);
	sk_dst_reset(sk);
	oif = sk->sk_bound_dev_if;
	err = ip_route_output_ports(sock_net(sk), &fl4, sk,
				    usin->sin_addr.s_addr, inet->inet_saddr,
				    usin->sin_port, inet->inet_sport,
				    (uint8_t)sk->sk_protocol, inet->tos, oif,
				    &rt);
	if (err) {
		if (err == -ENETUNREACH)
			__IP_INC_STATS(sock_net(sk), OutNoRoutes);
		goto out;
	}
	if ((rt->rt_flags & RTCF_BROADCAST) &&
	    !sock_flag(sk, SOCK_BROADCAST)) {
		err = -EACCES;
		goto out;
	}
	if (!inet->inet_saddr)
		inet->inet_saddr = fl4.saddr; /* Update source address */
	if (!inet->inet_rcv_saddr)
		inet->inet_rcv_saddr = fl4.saddr;
	inet->inet_daddr = fl4.daddr;
	inet->inet_dport = usin->sin_port;
	sk->sk_state = TCP_ESTABLISHED;
	if (sk->sk_socket)
		sk->sk_socket->state = SS_CONNECTED;
	inet->inet_id = (uint16_t)kp_prng_below(&kp_current_world()->prng,
						65536);
	sk_setup_caps(sk, &rt->dst);
	err = 0;
out:
	release_sock(sk);
	return err;
}

/* connect(AF_UNSPEC): forget the peer (__udp_disconnect). */
int udp_disconnect(struct sock *sk, int flags)
{
	struct inet_sock *inet = inet_sk(sk);
	(void)flags;

	sk->sk_state = TCP_CLOSE;
	inet->inet_daddr = 0;
	inet->inet_dport = 0;
	sk->sk_bound_dev_if = 0;
	if (sk->sk_socket)
		sk->sk_socket->state = SS_UNCONNECTED;
	if (!(sk->sk_userlocks & 4 /* SOCK_BINDADDR_LOCK */)) {
		inet->inet_rcv_saddr = 0;
		inet->inet_saddr = 0;
	}
	sk_dst_reset(sk);
	return 0;
}
