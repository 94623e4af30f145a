/*
 * ping.c - ICMP echo sockets, "ping sockets" (net/ipv4/ping.c):
 * socket(AF_INET, SOCK_DGRAM, IPPROTO_ICMP) lets a program send echo
 * requests without a raw socket.  The socket's local "port" is the echo
 * identifier (ping_get_port); ping_v4_sendmsg takes the user's ICMP
 * header + data, puts the identifier in, checksums and sends it;
 * ping_rcv (icmp_rcv's handler for ICMP_ECHOREPLY) finds the socket by
 * the reply's identifier and queues a clone of the reply (ICMP header
 * included) for ping_recvmsg.
 *
 * ICMP errors about our echo requests (icmp_err -> ping_err) go on the
 * socket's error queue with IP_RECVERR (ip_sockglue.c), where ping
 * reads "Destination Host Unreachable" and the like.
 *
 * Leaves out: net.ipv4.ping_group_range (every task may create ping
 * sockets, as with "0 2147483647"; kpath has no raw sockets), IPv6.
 * Keeps: IP_RECVERR, IP_RECVTTL (the TTL as a cmsg, which ping prints),
 * IP_TTL.
 */
#include "ping.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "engine/probe.h"
#include "icmp.h"
#include "ip.h"
#include "ip_output.h"
#include "ip_sockglue.h"
#include "net/core/datagram.h"
#include "net/core/net_namespace.h"
#include "net/uaccess.h"
#include "route.h"
#include "udp.h"

#ifndef IP_CMSG_TTL
#define IP_CMSG_TTL 4 /* inet->cmsg_flags bit for IP_RECVTTL */
#endif

static struct list_head *ping_table(struct net *net)
{
	return &net->icmp->ping_table;
}

/* The socket with echo identifier @ident (ping_lookup). */
static struct sock *ping_lookup(struct net *net, uint16_t ident,
				uint32_t daddr)
{
	struct sock *sk;
	list_for_each_entry(sk, ping_table(net), sk_node) {
		struct inet_sock *isk = inet_sk(sk);
		if (isk->inet_num != ident)
			continue;
		if (isk->inet_rcv_saddr && isk->inet_rcv_saddr != daddr)
			continue;
		sock_hold(sk);
		return sk;
	}
	return NULL;
}

int ping_get_port(struct sock *sk, unsigned short ident)
{
	KP_FUNC_ARG(ping_get_port, sk, ident);
	struct net *net = sock_net(sk);
	struct kp_icmp_net *in = net->icmp;
	struct sock *sk2;

	if (!ident) {
		/* the next free identifier after the last one given */
		unsigned short result = in->ping_next_port;
		for (long i = 0; i < 65536; i++) {
			bool used = false;
			result++;
			if (!result)
				result++; /* avoid zero */
			list_for_each_entry(sk2, ping_table(net), sk_node)
				if (inet_sk(sk2)->inet_num == result)
					used = true;
			if (!used) {
				ident = result;
				in->ping_next_port = result;
				goto found;
			}
		}
		return 1;
	}
	list_for_each_entry(sk2, ping_table(net), sk_node)
		if (sk2 != sk && inet_sk(sk2)->inet_num == ident &&
		    (!sk2->sk_reuse || !sk->sk_reuse))
			return 1;
found:
	inet_sk(sk)->inet_num = ident;
	if (sk_unhashed(sk)) {
		sock_hold(sk);
		list_add_tail(&sk->sk_node, ping_table(net));
	}
	return 0;
}

void ping_unhash(struct sock *sk)
{
	if (sk_hashed(sk)) {
		list_del_init(&sk->sk_node);
		inet_sk(sk)->inet_num = 0;
		inet_sk(sk)->inet_sport = 0;
		sock_put(sk);
	}
}

static void ping_close(struct sock *sk, long timeout)
{
	struct sk_buff *skb;
	(void)timeout;
	while ((skb = __skb_dequeue(&sk->sk_receive_queue)) != NULL) {
		skb_orphan(skb);
		kfree_skb_reason(skb, SKB_DROP_REASON_QUEUE_PURGE);
	}
	ip_purge_error_queue(sk);
	ping_unhash(sk);
	sock_set_flag(sk, SOCK_DEAD);
	sk->sk_socket = NULL;
	sk->sk_wq = NULL;
	sock_put(sk);
}

static int ping_init_sock(struct sock *sk)
{
	(void)sk; /* ping_group_range check: everyone may (see above) */
	return 0;
}

static int ping_queue_rcv_skb(struct sock *sk, struct sk_buff *skb)
{
	if (sock_queue_rcv_skb(sk, skb) < 0) {
		kfree_skb_reason(skb, SKB_DROP_REASON_SOCKET_RCVBUFF);
		return -1;
	}
	return 0;
}

enum skb_drop_reason ping_rcv(struct sk_buff *skb)
{
	KP_FUNC(ping_rcv, skb);
	struct net *net = skb->net;
	struct icmphdr *icmph = icmp_hdr(skb);
	struct sk_buff *skb2;
	struct sock *sk;

	/* Push ICMP header back */
	skb_push(skb, (unsigned int)(skb->data - (unsigned char *)icmph));
	if (!net->icmp)
		return SKB_DROP_REASON_NO_SOCKET;
	sk = ping_lookup(net, ntohs(icmph->un.echo.id), ip_hdr(skb)->daddr);
	if (!sk) {
		kp_drop_detail(net, SKB_DROP_REASON_NO_SOCKET,
			       "no ping socket with echo id %u",
			       ntohs(icmph->un.echo.id));
		return SKB_DROP_REASON_NO_SOCKET;
	}
	skb2 = skb_clone(skb);
	if (skb2)
		ping_queue_rcv_skb(sk, skb2);
	sock_put(sk);
	return SKB_DROP_REASON_NOT_DROPPED_YET;
}

/*
 * ping_err: an ICMP error quoting one of our echo requests (icmp_err).
 * The socket whose identifier the quoted request carries gets the error:
 * with IP_RECVERR (ping sets it) on its error queue, for recvmsg
 * (MSG_ERRQUEUE) to read; without it only a hard error on a connected
 * socket shows, in sk_err.  skb->data is the quoted IP header, @offset
 * its length.
 */
void ping_err(struct sk_buff *skb, int offset, uint32_t info)
{
	KP_FUNC(ping_err, skb);
	struct net *net = skb->net;
	const struct iphdr *iph = (const struct iphdr *)skb->data;
	struct icmphdr *icmph = (struct icmphdr *)(skb->data + offset);
	int type = icmp_hdr(skb)->type, code = icmp_hdr(skb)->code;
	int harderr = 0, err = 0;
	struct sock *sk;

	if (!net->icmp || icmph->type != ICMP_ECHO)
		return;
	sk = ping_lookup(net, ntohs(icmph->un.echo.id), iph->saddr);
	if (!sk) {
		__ICMP_INC_STATS(net, InErrors);
		return; /* no socket for the error */
	}
	switch (type) {
	default:
	case ICMP_TIME_EXCEEDED:
		err = EHOSTUNREACH;
		break;
	case ICMP_SOURCE_QUENCH:
		/* This is not a real error but ping wants to see it. */
		err = EREMOTEIO;
		break;
	case ICMP_PARAMETERPROB:
		err = EPROTO;
		harderr = 1;
		break;
	case ICMP_DEST_UNREACH:
		if (code == ICMP_FRAG_NEEDED) {
			err = EMSGSIZE;
			harderr = inet_sk(sk)->pmtudisc != IP_PMTUDISC_DONT;
		} else if (code < ICMP_NR_UNREACH_CODES) {
			err = icmp_err_convert[code].errno_;
			harderr = icmp_err_convert[code].fatal;
		} else {
			err = EHOSTUNREACH;
		}
		break;
	case ICMP_REDIRECT:
		err = EREMOTEIO;
		break;
	}
	if (!inet_sk(sk)->recverr) {
		if (!harderr || sk->sk_state != TCP_ESTABLISHED)
			goto out;
	} else {
		ip_icmp_error(sk, skb, err, 0 /* no remote port */, info,
			      (uint8_t *)icmph);
	}
	sk->sk_err = err;
	sk->sk_error_report(sk);
out:
	sock_put(sk);
}

int ping_v4_sendmsg(struct sock *sk, struct msghdr *msg, size_t len)
{
	KP_FUNC_ARG(ping_v4_sendmsg, sk, len);
	struct inet_sock *inet = inet_sk(sk);
	struct net *net = sock_net(sk);
	struct icmphdr user_icmph, *icmph;
	struct flowi4 fl4;
	struct rtable *rt;
	struct sk_buff *skb;
	unsigned char *buf;
	uint32_t daddr, saddr;
	int err;

	if (len > 0xFFFF)
		return -EMSGSIZE;
	/* Must have at least a full ICMP header. */
	if (len < sizeof(struct icmphdr))
		return -EINVAL;
	if (msg->msg_flags & MSG_OOB)
		return -EOPNOTSUPP;

	if (msg->msg_name) {
		struct sockaddr_in *usin = msg->msg_name;
		if (msg->msg_namelen < sizeof(*usin))
			return -EINVAL;
		if (usin->sin_family != AF_INET)
			return -EAFNOSUPPORT;
		daddr = usin->sin_addr.s_addr;
	} else {
		if (sk->sk_state != TCP_ESTABLISHED)
			return -EDESTADDRREQ;
		daddr = inet->inet_daddr;
	}

	/* the user's buffer: ICMP header + data, gathered */
	buf = malloc(len);
	if (!buf)
		return -ENOBUFS;
	if (memcpy_from_msg(buf, msg, len)) {
		free(buf);
		return -EFAULT;
	}
	memcpy(&user_icmph, buf, sizeof(user_icmph));
	/* ping_v4_sendmsg accepts echo requests only, code 0 */
	if (user_icmph.type != ICMP_ECHO || user_icmph.code != 0) {
		free(buf);
		return -EINVAL;
	}
	icmph = (struct icmphdr *)buf;
	icmph->un.echo.id = inet->inet_sport;
	icmph->checksum = 0;
	icmph->checksum = kp_icmp_csum(buf, len);

	saddr = inet->inet_saddr;
	err = ip_route_output_ports(net, &fl4, sk, daddr, saddr, 0, 0,
				    IPPROTO_ICMP, inet->tos,
				    sk->sk_bound_dev_if, &rt);
	if (err)
		goto out;
	err = -EACCES;
	if ((rt->rt_flags & RTCF_BROADCAST) &&
	    !sock_flag(sk, SOCK_BROADCAST))
		goto out;
	skb = ip_make_skb(sk, &fl4, buf, len, 0, rt,
			  (unsigned int)msg->msg_flags, &err);
	if (!skb) {
		if (!err)
			err = -ENOBUFS;
		__ICMP_INC_STATS(net, OutErrors);
		goto out;
	}
	skb->ip_summed = CHECKSUM_NONE;
	icmp_out_count(net, ICMP_ECHO);
	err = ip_send_skb(net, skb);
out:
	free(buf);
	return err < 0 ? err : (int)len;
}

int ping_recvmsg(struct sock *sk, struct msghdr *msg, size_t len,
		 int noblock, int flags, int *addr_len)
{
	KP_FUNC_ARG(ping_recvmsg, sk, len);
	struct inet_sock *isk = inet_sk(sk);
	struct sockaddr_in *sin = msg->msg_name;
	struct sk_buff *skb;
	size_t copied;
	int peeked, off = 0, err;

	if (addr_len)
		*addr_len = sizeof(*sin);
	if (flags & MSG_OOB)
		return -EOPNOTSUPP;
	if (flags & MSG_ERRQUEUE)
		return ip_recv_error(sk, msg, len, addr_len);

	skb = __skb_recv_datagram(sk, (unsigned int)flags |
					      (noblock ? MSG_DONTWAIT : 0),
				  &peeked, &off, &err);
	if (!skb)
		return err;
	copied = skb->len;
	if (copied > len) {
		msg->msg_flags |= MSG_TRUNC;
		copied = len;
	}
	/* Don't bother checking the checksum */
	err = skb_copy_datagram_iovec(skb, 0, msg->msg_iov, (int)copied);
	if (err)
		goto done;
	if (sin) {
		memset(sin, 0, sizeof(*sin));
		sin->sin_family = AF_INET;
		sin->sin_port = 0 /* skb->h.uh->source */;
		sin->sin_addr.s_addr = ip_hdr(skb)->saddr;
	}
	if (isk->cmsg_flags & IP_CMSG_TTL) {
		int ttl = ip_hdr(skb)->ttl;
		put_cmsg(msg, SOL_IP, IP_TTL, sizeof(ttl), &ttl);
	}
	err = (int)copied;
done:
	skb_free_datagram_locked(sk, skb);
	return err;
}

static int ping_setsockopt(struct sock *sk, int level, int optname,
			   const char *optval, unsigned int optlen)
{
	struct inet_sock *inet = inet_sk(sk);
	int val;

	if (level != SOL_IP)
		return -ENOPROTOOPT;
	if (optlen < sizeof(int))
		return -EINVAL;
	if (copy_from_user(&val, optval, sizeof(val)))
		return -EFAULT;
	switch (optname) {
	case IP_RECVERR:
		inet->recverr = !!val;
		if (!val)
			ip_purge_error_queue(sk);
		return 0;
	case IP_RECVTTL:
		if (val)
			inet->cmsg_flags |= IP_CMSG_TTL;
		else
			inet->cmsg_flags &= (uint16_t)~IP_CMSG_TTL;
		return 0;
	case IP_TTL:
		if (val != -1 && (val < 1 || val > 255))
			return -EINVAL;
		inet->uc_ttl = (int16_t)val;
		return 0;
	default:
		return -ENOPROTOOPT;
	}
}

static int ping_getsockopt(struct sock *sk, int level, int optname,
			   char *optval, int *optlen)
{
	(void)sk;
	(void)level;
	(void)optname;
	(void)optval;
	(void)optlen;
	return -ENOPROTOOPT;
}

const struct proto ping_prot = {
	.name = "PING",
	.close = ping_close,
	.init = ping_init_sock,
	.connect = ip4_datagram_connect,
	.disconnect = udp_disconnect,
	.setsockopt = ping_setsockopt,
	.getsockopt = ping_getsockopt,
	.sendmsg = ping_v4_sendmsg,
	.recvmsg = ping_recvmsg,
	.backlog_rcv = ping_queue_rcv_skb,
	.unhash = ping_unhash,
	.get_port = ping_get_port,
	.obj_size = sizeof(struct inet_sock),
};
