/*
 * udp_sendmsg.c - sending UDP over IPv4 (net/ipv4/udp.c): udp_sendmsg ->
 * (route: __sk_dst_check on a connected socket, else
 * ip_route_output_ports, cached with sk_setup_caps) -> ip_make_skb
 * (copy_from_user into the skb) -> udp_send_skb (header, checksum) ->
 * ip_send_skb.
 *
 * Leaves out: corking (UDP_CORK, MSG_MORE), multicast and broadcast
 * routes' special cases, GSO.
 */
#include "udp.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "engine/probe.h"
#include "net/core/net_namespace.h"
#include "net/ipv4/ip.h"
#include "net/ipv4/ip_output.h"
#include "net/uaccess.h"
#include "sched/sched.h"


int udp_send_skb(struct sk_buff *skb, struct flowi4 *fl4)
{
	struct sock *sk = skb->sk;
	KP_FUNC_ARG(udp_send_skb, skb, skb->len);
	struct net *net = sock_net(sk);
	struct udphdr *uh;
	unsigned int len;
	int offset = skb_transport_offset(skb);
	int err;

	len = skb->len - (unsigned int)offset;
	uh = udp_hdr(skb);
	uh->source = inet_sk(sk)->inet_sport;
	uh->dest = fl4->fl4_dport;
	uh->len = htons((uint16_t)len);
	uh->check = 0;
	/* igb does not offload the checksum in kpath (no CHECKSUM_PARTIAL):
	 * udp_csum over the pseudo header and the data */
	{
		uint16_t csum = udp4_csum(skb, fl4->saddr, fl4->daddr, len);
		/* 0 means "no checksum": send it as 0xffff
		 * (CSUM_MANGLED_0) */
		uh->check = csum ? csum : 0xffff;
		skb->ip_summed = CHECKSUM_NONE;
	}
	err = ip_send_skb(net, skb);
	if (err) {
		if (err == -ENOBUFS && !inet_sk(sk)->recverr) {
			__UDP_INC_STATS(net, SndbufErrors);
			err = 0;
		}
	} else {
		__UDP_INC_STATS(net, OutDatagrams);
	}
	return err;
}

/* The user data as one buffer: ip_make_skb takes a single source, so a
 * multi-segment iovec is gathered first (kpath departure: Linux's
 * getfrag walks the iovec). */
static const void *udp_msg_data(struct msghdr *msg, size_t len,
				void **to_free)
{
	*to_free = NULL;
	if (msg->msg_iovlen == 0)
		return "";
	if (msg->msg_iovlen == 1)
		return msg->msg_iov[0].iov_base;
	char *buf = malloc(len ? len : 1);
	if (!buf)
		return NULL;
	if (memcpy_from_msg(buf, msg, len)) {
		free(buf);
		return NULL;
	}
	*to_free = buf;
	return buf;
}

int udp_sendmsg(struct sock *sk, struct msghdr *msg, size_t len)
{
	KP_FUNC_ARG(udp_sendmsg, sk, len);
	struct inet_sock *inet = inet_sk(sk);
	struct net *net = sock_net(sk);
	struct flowi4 fl4;
	struct rtable *rt = NULL;
	struct sk_buff *skb;
	uint32_t daddr, saddr;
	uint16_t dport;
	uint8_t tos;
	int connected = 0, oif, err;
	const void *data;
	void *gathered;

	if (len > 0xFFFF - sizeof(struct udphdr))
		return -EMSGSIZE;
	if (msg->msg_flags & MSG_OOB) /* Mirror BSD error message */
		return -EOPNOTSUPP;
	/* kpath leaves out corking (UDP_CORK, MSG_MORE): every call sends
	 * one datagram, as the lockless fast path of Linux */

	if (msg->msg_name) {
		struct sockaddr_in *usin = msg->msg_name;
		if (msg->msg_namelen < sizeof(*usin))
			return -EINVAL;
		if (usin->sin_family != AF_INET &&
		    usin->sin_family != AF_UNSPEC)
			return -EAFNOSUPPORT;
		daddr = usin->sin_addr.s_addr;
		dport = usin->sin_port;
		if (dport == 0)
			return -EINVAL;
	} else {
		if (sk->sk_state != TCP_ESTABLISHED)
			return -EDESTADDRREQ;
		daddr = inet->inet_daddr;
		dport = inet->inet_dport;
		/* Open fast path for connected socket. */
		connected = 1;
	}
	saddr = inet->inet_saddr;
	oif = sk->sk_bound_dev_if;
	tos = inet->tos;
	if (sock_flag(sk, SOCK_LOCALROUTE) ||
	    (msg->msg_flags & MSG_DONTROUTE))
		connected = 0; /* RTO_ONLINK: kpath routes as usual */
	if (ipv4_is_multicast(daddr))
		connected = 0;

	memset(&fl4, 0, sizeof(fl4));
	if (connected) {
		rt = (struct rtable *)__sk_dst_check(sk, 0);
		/* inet->cork.fl of the connected socket */
		fl4.daddr = daddr;
		fl4.saddr = saddr;
		fl4.fl4_dport = dport;
		fl4.fl4_sport = inet->inet_sport;
		fl4.flowi4_proto = IPPROTO_UDP;
		fl4.flowi4_oif = oif;
		fl4.flowi4_tos = tos;
	}
	if (!rt) {
		err = ip_route_output_ports(net, &fl4, sk, daddr, saddr, dport,
					    inet->inet_sport, IPPROTO_UDP, tos,
					    oif, &rt);
		if (err)
			goto out;
		err = -EACCES;
		if ((rt->rt_flags & RTCF_BROADCAST) &&
		    !sock_flag(sk, SOCK_BROADCAST))
			goto out;
		if (connected)
			sk_dst_set(sk, &rt->dst);
	}

	/* The send buffer: Linux's __ip_append_data waits for room in
	 * sock_alloc_send_skb; kpath's ip_make_skb allocates at once, so
	 * the wait (or EAGAIN with MSG_DONTWAIT) happens here. */
	err = kp_sock_wmem_wait(sk, msg->msg_flags & MSG_DONTWAIT);
	if (err)
		goto out;

	data = udp_msg_data(msg, len, &gathered);
	err = -EFAULT;
	if (!data)
		goto out;
	skb = ip_make_skb(sk, &fl4, data, len, sizeof(struct udphdr), rt,
			  (unsigned int)msg->msg_flags, &err);
	if (gathered)
		free(gathered);
	if (skb)
		err = udp_send_skb(skb, &fl4);
	else if (!err)
		err = -ENOBUFS;
out:
	if (!err)
		return (int)len;
	/* ENOBUFS = no kernel mem, SOCK_NOSPACE = no sndbuf space.
	 * Reporting ENOBUFS might not be good (it's not tunable per se),
	 * but otherwise we don't have a good statistic (IpOutDiscards but
	 * it can be too many things). */
	if (err == -ENOBUFS ||
	    (sk->sk_socket &&
	     test_bit(SOCK_NOSPACE, &sk->sk_socket->flags)))
		__UDP_INC_STATS(net, SndbufErrors);
	return err;
}
