/*
 * udp_rcv.c - receiving UDP over IPv4 (net/ipv4/udp.c): udp_rcv ->
 * __udp4_lib_rcv (length and checksum checks) -> __udp4_lib_lookup (the
 * best-scoring socket of the port's hash slot, SO_REUSEPORT groups) ->
 * udp_queue_rcv_skb (the socket's backlog while a task owns it) ->
 * __udp_queue_rcv_skb -> sock_queue_rcv_skb.  NoPorts answers icmp_send
 * port unreachable; udp_err turns ICMP errors into sk_err for connected
 * sockets.  udp_protocol is what inet_protos holds for IPPROTO_UDP.
 *
 * Leaves out: multicast and broadcast delivery (every datagram is looked
 * up as unicast), UDP-Lite, encapsulation sockets, IP_RECVERR's error
 * queue, the second (address, port) hash.
 * Departure: the checksum is verified at once in __udp4_lib_rcv, where
 * Linux may defer it to udp_recvmsg when the NIC did not check it.
 */
#include "udp.h"

#include <arpa/inet.h>
#include <errno.h>

#include "engine/probe.h"
#include "net/core/net_namespace.h"
#include "net/ipv4/icmp.h"
#include "net/ipv4/inet_protocol.h"
#include "net/ipv4/ip.h"
#include "sched/sched.h"

/* ---- lookup ---- */

static int compute_score(struct sock *sk, uint32_t saddr, uint16_t sport,
			 uint32_t daddr, unsigned short hnum, int dif)
{
	struct inet_sock *inet = inet_sk(sk);
	int score;

	if (inet->inet_num != hnum)
		return -1;
	score = sk->sk_family == PF_INET ? 2 : 1;
	if (inet->inet_rcv_saddr) {
		if (inet->inet_rcv_saddr != daddr)
			return -1;
		score += 4;
	}
	if (inet->inet_daddr) {
		if (inet->inet_daddr != saddr)
			return -1;
		score += 4;
	}
	if (inet->inet_dport) {
		if (inet->inet_dport != sport)
			return -1;
		score += 4;
	}
	if (sk->sk_bound_dev_if) {
		if (sk->sk_bound_dev_if != dif)
			return -1;
		score += 4;
	}
	return score;
}

/* udp_ehashfn without the boot-time secret: a fixed mix, so the socket a
 * SO_REUSEPORT group picks is the same on every run. */
static uint32_t udp_ehashfn(uint32_t laddr, uint16_t lport, uint32_t faddr,
			    uint16_t fport)
{
	uint32_t h = laddr * 0x9e3779b1u;
	h ^= faddr + 0x7f4a7c15u + (h << 6) + (h >> 2);
	h ^= ((uint32_t)lport << 16 | fport) + (h << 6) + (h >> 2);
	return h;
}

struct sock *__udp4_lib_lookup(struct net *net, uint32_t saddr,
			       uint16_t sport, uint32_t daddr, uint16_t dport,
			       int dif, struct udp_table *udptable)
{
	unsigned short hnum = ntohs(dport);
	KP_FUNC_ARG(__udp4_lib_lookup, KP_NOOBJ, hnum);
	struct udp_hslot *hslot = udp_hashslot(udptable, hnum);
	struct sock *sk, *result = NULL;
	int score, badness = 0, matches = 0;
	uint32_t hash = 0;
	(void)net;

	/* best score wins: bound address, connected peer and device each
	 * add 4; a SO_REUSEPORT group shares one score and the flow hash
	 * picks among them */
	list_for_each_entry(sk, &hslot->head, sk_node) {
		score = compute_score(sk, saddr, sport, daddr, hnum, dif);
		if (score > badness) {
			result = sk;
			badness = score;
			if (sk->sk_reuseport) {
				hash = udp_ehashfn(daddr, hnum, saddr,
						   ntohs(sport));
				matches = 1;
			}
		} else if (score == badness && sk->sk_reuseport && matches) {
			matches++;
			if ((uint32_t)(((uint64_t)hash * (uint32_t)matches) >>
				       32) == 0)
				result = sk;
			hash = hash * 1664525u + 1013904223u;
		}
	}
	if (result)
		sock_hold(result);
	return result;
}

/* ---- receive ---- */

int __udp_queue_rcv_skb(struct sock *sk, struct sk_buff *skb)
{
	struct net *net = sock_net(sk);
	int rmem = sk->sk_rmem_alloc;
	int rc;

	/* __udp_enqueue_schedule_skb (Linux 6.15+): drop when the datagram
	 * would take rmem past rcvbuf, unless the queue is empty */
	if (rmem + (int)skb->truesize > sk->sk_rcvbuf && rmem) {
		sk->sk_drops++;
		rc = -ENOMEM;
	} else {
		rc = sock_queue_rcv_skb(sk, skb);
	}

	if (rc < 0) {
		enum skb_drop_reason reason = SKB_DROP_REASON_PROTO_MEM;
		if (rc == -ENOMEM) {
			__UDP_INC_STATS(net, RcvbufErrors);
			reason = SKB_DROP_REASON_SOCKET_RCVBUFF;
		}
		__UDP_INC_STATS(net, InErrors);
		kp_drop_detail(net, reason,
			       "sk#%u rmem_alloc %d + %u > rcvbuf %d",
			       sk->kp.id, sk->sk_rmem_alloc, skb->truesize,
			       sk->sk_rcvbuf);
		kfree_skb_reason(skb, reason);
		return -1;
	}
	return 0;
}

int udp_queue_rcv_skb(struct sock *sk, struct sk_buff *skb)
{
	KP_FUNC_ARG(udp_queue_rcv_skb, skb, sk->kp.id);
	int rc = 0;

	/* bh_lock_sock: a task inside lock_sock owns the socket, so the
	 * datagram waits on the backlog for release_sock */
	spin_lock(&sk->sk_lock.slock);
	if (!sock_owned_by_user(sk)) {
		rc = __udp_queue_rcv_skb(sk, skb);
	} else if (!sk_add_backlog(sk, skb, (unsigned int)sk->sk_rcvbuf)) {
		spin_unlock(&sk->sk_lock.slock);
		struct net *net = sock_net(sk);
		__UDP_INC_STATS(net, InErrors);
		sk->sk_drops++;
		kp_drop_detail(net, SKB_DROP_REASON_SOCKET_BACKLOG,
			       "sk#%u backlog full", sk->kp.id);
		kfree_skb_reason(skb, SKB_DROP_REASON_SOCKET_BACKLOG);
		return -1;
	}
	spin_unlock(&sk->sk_lock.slock);
	return rc;
}

/* The UDP checksum with its pseudo header (csum_tcpudp_nofold, then
 * skb_checksum over the datagram), as stored in the header (network
 * order): 0 when it verifies. */
uint16_t udp4_csum(const struct sk_buff *skb, uint32_t saddr,
			  uint32_t daddr, unsigned int ulen)
{
	uint64_t sum = (uint64_t)saddr + daddr + htons(IPPROTO_UDP) +
		       htons((uint16_t)ulen);
	sum = (sum & 0xffffffffu) + (sum >> 32);
	return csum_fold(skb_checksum(skb, skb_transport_offset(skb),
				      (int)ulen, (uint32_t)sum));
}

int __udp4_lib_rcv(struct sk_buff *skb, struct udp_table *udptable,
		   int proto)
{
	KP_FUNC_ARG(__udp4_lib_rcv, skb, proto);
	struct net *net = skb->net;
	enum skb_drop_reason reason = SKB_DROP_REASON_NOT_SPECIFIED;
	struct udphdr *uh;
	struct sock *sk;
	unsigned int ulen;
	uint32_t saddr, daddr;

	if (!pskb_may_pull(skb, sizeof(struct udphdr)))
		goto short_packet;
	uh = udp_hdr(skb);
	ulen = ntohs(uh->len);
	saddr = ip_hdr(skb)->saddr;
	daddr = ip_hdr(skb)->daddr;

	if (ulen > skb->len)
		goto short_packet;
	if (ulen < sizeof(*uh) || pskb_trim_rcsum(skb, ulen))
		goto short_packet;
	uh = udp_hdr(skb);

	/* udp4_csum_init + udp_lib_checksum_complete; 0 = no checksum */
	if (uh->check && skb->ip_summed != CHECKSUM_UNNECESSARY) {
		if (udp4_csum(skb, saddr, daddr, ulen))
			goto csum_error;
		skb->ip_summed = CHECKSUM_UNNECESSARY;
	}

	sk = __udp4_lib_lookup(net, saddr, uh->source, daddr, uh->dest,
			       skb->skb_iif, udptable);
	if (sk) {
		int ret = udp_queue_rcv_skb(sk, skb);
		sock_put(sk);
		return ret > 0 ? -ret : 0;
	}

	/* No socket for the port */
	__UDP_INC_STATS(net, NoPorts);
	icmp_send(skb, ICMP_DEST_UNREACH, ICMP_PORT_UNREACH, 0);
	kp_drop_detail(net, SKB_DROP_REASON_NO_SOCKET, "no socket on %u.%u.%u.%u:%u",
		       ((unsigned char *)&daddr)[0], ((unsigned char *)&daddr)[1],
		       ((unsigned char *)&daddr)[2], ((unsigned char *)&daddr)[3],
		       ntohs(uh->dest));
	kfree_skb_reason(skb, SKB_DROP_REASON_NO_SOCKET);
	return 0;

short_packet:
	reason = SKB_DROP_REASON_PKT_TOO_SMALL;
	kp_drop_detail(net, reason, "UDP length %u, %u bytes",
		       skb->len >= sizeof(struct udphdr)
			       ? ntohs(udp_hdr(skb)->len)
			       : 0,
		       skb->len);
	goto drop;
csum_error:
	reason = SKB_DROP_REASON_UDP_CSUM;
	__UDP_INC_STATS(net, InCsumErrors);
	kp_drop_detail(net, reason, "UDP checksum 0x%04x does not verify",
		       ntohs(uh->check));
drop:
	__UDP_INC_STATS(net, InErrors);
	kfree_skb_reason(skb, reason);
	return 0;
}

int udp_rcv(struct sk_buff *skb)
{
	KP_FUNC_ARG(udp_rcv, skb, skb->len);
	return __udp4_lib_rcv(skb, &skb->net->udp->udp_table, IPPROTO_UDP);
}

/* __udp4_lib_err: an ICMP error quoting one of our datagrams.  A
 * connected socket gets a hard error in sk_err (ECONNREFUSED for port
 * unreachable), which its next send or receive returns.  skb->data is
 * the quoted IP header. */
void udp_err(struct sk_buff *skb, uint32_t info)
{
	struct net *net = skb->net;
	const struct iphdr *iph = (const struct iphdr *)skb->data;
	const struct udphdr *uh =
		(const struct udphdr *)(skb->data + (iph->ihl << 2));
	const int type = icmp_hdr(skb)->type;
	const int code = icmp_hdr(skb)->code;
	struct inet_sock *inet;
	struct sock *sk;
	int harderr = 0, err = 0;
	(void)info;

	sk = __udp4_lib_lookup(net, iph->daddr, uh->dest, iph->saddr,
			       uh->source, skb->skb_iif, &net->udp->udp_table);
	if (!sk) {
		__ICMP_INC_STATS(net, InErrors);
		return; /* No socket for error */
	}
	inet = inet_sk(sk);
	switch (type) {
	default:
	case ICMP_TIME_EXCEEDED:
		err = EHOSTUNREACH;
		break;
	case ICMP_SOURCE_QUENCH:
	case ICMP_REDIRECT:
		goto out;
	case ICMP_PARAMETERPROB:
		err = EPROTO;
		harderr = 1;
		break;
	case ICMP_DEST_UNREACH:
		if (code == ICMP_FRAG_NEEDED) { /* Path MTU discovery */
			if (inet->pmtudisc != IP_PMTUDISC_DONT) {
				err = EMSGSIZE;
				harderr = 1;
				break;
			}
			goto out;
		}
		err = EHOSTUNREACH;
		if (code < (int)(sizeof(icmp_err_convert) /
				 sizeof(icmp_err_convert[0]))) {
			harderr = icmp_err_convert[code].fatal;
			err = icmp_err_convert[code].errno_;
		}
		break;
	}
	/* RFC1122: OK.  Passes ICMP errors back to application, as per
	 * 4.1.3.3; IP_RECVERR's error queue is not emulated. */
	if (!harderr || sk->sk_state != TCP_ESTABLISHED)
		goto out;
	sk->sk_err = err;
	sk->sk_error_report(sk);
out:
	sock_put(sk);
}

const struct net_protocol udp_protocol = {
	.handler = udp_rcv,
	.err_handler = udp_err,
	.no_policy = 1,
	.netns_ok = 1,
};
