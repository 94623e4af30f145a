/*
 * ip_sockglue.c - IP_RECVERR's error queue (net/ipv4/ip_sockglue.c, with
 * sock_queue_err_skb and sock_dequeue_err_skb of net/core/skbuff.c, which
 * only IP uses here).  A socket with IP_RECVERR set keeps every ICMP
 * error about its packets: ip_icmp_error queues a clone of the error,
 * cut to the quoted transport header, with a struct sock_extended_err
 * (errno, origin ICMP, type, code) in skb->cb; poll reports POLLERR; and
 * recvmsg(MSG_ERRQUEUE) (ip_recv_error) returns the quoted bytes, the
 * quoted destination as msg_name and an IP_RECVERR control message
 * whose SO_EE_OFFENDER is the ICMP message's source.  iputils' ping
 * prints "From 10.0.0.1 icmp_seq=1 Destination Host Unreachable" from it.
 *
 * Leaves out: local errors (SO_EE_ORIGIN_LOCAL: ip_local_error for
 * EMSGSIZE), IP_RECVERR on UDP and TCP sockets (ping sockets only),
 * timestamping and zerocopy notifications (other origins).
 */
#include "ip_sockglue.h"

#include <errno.h>
#include <string.h>

#include "engine/probe.h"
#include "icmp.h"
#include "ip.h"
#include "net/core/datagram.h"

void put_cmsg(struct msghdr *msg, int level, int type, int len,
	      const void *data)
{
	size_t need = CMSG_SPACE((size_t)len);
	struct cmsghdr *cm;

	if (!msg->msg_control || msg->msg_controllen < need) {
		msg->msg_flags |= MSG_CTRUNC;
		return;
	}
	cm = msg->msg_control;
	cm->cmsg_level = level;
	cm->cmsg_type = type;
	cm->cmsg_len = CMSG_LEN((size_t)len);
	memcpy(CMSG_DATA(cm), data, (size_t)len);
	msg->msg_control = (char *)msg->msg_control + need;
	msg->msg_controllen -= need;
}

/* sock_queue_err_skb: charged to the receive buffer like a datagram;
 * refused (-ENOMEM) when it does not fit. */
static int sock_queue_err_skb(struct sock *sk, struct sk_buff *skb)
{
	if (sk->sk_rmem_alloc + (int)skb->truesize >= sk->sk_rcvbuf)
		return -ENOMEM;
	skb_orphan(skb);
	skb_set_owner_r(skb, sk);
	__skb_queue_tail(&sk->sk_error_queue, skb);
	if (!sock_flag(sk, SOCK_DEAD))
		sk->sk_error_report(sk);
	return 0;
}

/* sock_dequeue_err_skb: the next error's errno becomes sk_err (0 when
 * none is left), and a reader is told there is more. */
static struct sk_buff *sock_dequeue_err_skb(struct sock *sk)
{
	struct sk_buff_head *q = &sk->sk_error_queue;
	struct sk_buff *skb = __skb_dequeue(q);
	struct sk_buff *next = skb_peek(q);

	sk->sk_err = next ? (int)SKB_EXT_ERR(next)->ee.ee_errno : 0;
	if (next)
		sk->sk_error_report(sk);
	return skb;
}

void ip_icmp_error(struct sock *sk, struct sk_buff *skb, int err,
		   uint16_t port, uint32_t info, uint8_t *payload)
{
	KP_FUNC_ARG(ip_icmp_error, sk, err);
	const struct iphdr *quoted = (const struct iphdr *)skb->data;
	struct sock_exterr_skb *serr;

	if (!inet_sk(sk)->recverr)
		return;
	skb = skb_clone(skb);
	if (!skb)
		return;
	serr = SKB_EXT_ERR(skb);
	memset(serr, 0, sizeof(*serr));
	serr->ee.ee_errno = (uint32_t)err;
	serr->ee.ee_origin = SO_EE_ORIGIN_ICMP;
	serr->ee.ee_type = icmp_hdr(skb)->type;
	serr->ee.ee_code = icmp_hdr(skb)->code;
	serr->ee.ee_info = info;
	serr->addr_offset =
		(uint16_t)((const uint8_t *)&quoted->daddr -
			   skb_network_header(skb));
	serr->port = port;
	if (skb_pull(skb, (unsigned int)(payload - skb->data))) {
		skb_reset_transport_header(skb);
		kp_skb_where(skb, "sk_error_queue", sk->kp.id);
		if (sock_queue_err_skb(sk, skb) == 0)
			return;
	}
	kfree_skb_reason(skb, SKB_DROP_REASON_SOCKET_RCVBUFF);
}

int ip_recv_error(struct sock *sk, struct msghdr *msg, size_t len,
		  int *addr_len)
{
	KP_FUNC_ARG(ip_recv_error, sk, len);
	struct sockaddr_in *sin = msg->msg_name;
	struct {
		struct sock_extended_err ee;
		struct sockaddr_in offender;
	} errhdr;
	struct sock_exterr_skb *serr;
	struct sk_buff *skb;
	size_t copied;
	int err;

	skb = sock_dequeue_err_skb(sk);
	if (!skb)
		return -EAGAIN;
	copied = skb->len;
	if (copied > len) {
		msg->msg_flags |= MSG_TRUNC;
		copied = len;
	}
	err = skb_copy_datagram_iovec(skb, 0, msg->msg_iov, (int)copied);
	if (err) {
		kfree_skb(skb);
		return err;
	}
	serr = SKB_EXT_ERR(skb);
	if (sin) {
		memset(sin, 0, sizeof(*sin));
		sin->sin_family = AF_INET;
		memcpy(&sin->sin_addr.s_addr,
		       skb_network_header(skb) + serr->addr_offset, 4);
		sin->sin_port = serr->port;
		if (addr_len)
			*addr_len = sizeof(*sin);
	}
	memset(&errhdr, 0, sizeof(errhdr));
	errhdr.ee = serr->ee;
	errhdr.offender.sin_family = AF_INET;
	errhdr.offender.sin_addr.s_addr = ip_hdr(skb)->saddr;
	put_cmsg(msg, SOL_IP, IP_RECVERR, sizeof(errhdr), &errhdr);
	msg->msg_flags |= MSG_ERRQUEUE;
	consume_skb(skb);
	return (int)copied;
}

void ip_purge_error_queue(struct sock *sk)
{
	__skb_queue_purge_reason(&sk->sk_error_queue,
				 SKB_DROP_REASON_QUEUE_PURGE);
	sk->sk_err = 0;
}
