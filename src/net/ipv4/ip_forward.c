/*
 * ip_forward.c - forwarding received packets (net/ipv4/ip_forward.c).
 *
 * dst.input of a forwarding route (ip_forward_missing in route.c calls
 * net->fib->ip_forward once ip_init set it): checks, TTL decrement,
 * NF_INET_FORWARD, ip_forward_finish -> dst_output, which fragments if
 * needed.  Leaves out: router alert, ICMP redirects, xfrm policy checks,
 * LRO.  The TTL-exceeded and frag-needed ICMP errors go through tx-sock's
 * icmp_send.
 */
#include <arpa/inet.h>

#include "engine/probe.h"
#include "icmp.h"
#include "ip.h"
#include "ip_output.h"
#include "net/core/net_namespace.h"
#include "net/netfilter/netfilter.h"

static int ip_forward_finish(struct net *net, struct sock *sk,
			     struct sk_buff *skb)
{
	KP_FUNC(ip_forward_finish, skb);
	__IP_INC_STATS(net, ForwDatagrams);
	return dst_output(net, sk, skb);
}

/* ip_decrease_ttl: incremental checksum update (RFC 1624) */
static void ip_decrease_ttl(struct iphdr *iph)
{
	uint32_t check = iph->check;

	check += htons(0x0100);
	iph->check = (uint16_t)(check + (check >= 0xFFFF));
	iph->ttl--;
}

int ip_forward(struct sk_buff *skb)
{
	KP_FUNC(ip_forward, skb);
	struct net *net = skb->net;
	struct rtable *rt = skb_rtable(skb);
	struct iphdr *iph = ip_hdr(skb);
	unsigned int mtu;

	if (skb->pkt_type != PACKET_HOST) {
		kp_drop_detail(net, SKB_DROP_REASON_OTHERHOST,
			       "forwarding a frame not addressed to us");
		kfree_skb_reason(skb, SKB_DROP_REASON_OTHERHOST);
		return NET_RX_DROP;
	}
	IPCB(skb)->flags |= IPSKB_FORWARDED;
	if (iph->ttl <= 1) {
		icmp_send(skb, ICMP_TIME_EXCEEDED, ICMP_EXC_TTL, 0);
		__IP_INC_STATS(net, InHdrErrors);
		kp_drop_detail(net, SKB_DROP_REASON_IP_INHDR,
			       "TTL exceeded while forwarding");
		kfree_skb_reason(skb, SKB_DROP_REASON_IP_INHDR);
		return NET_RX_DROP;
	}
	mtu = dst_mtu(&rt->dst);
	if (skb->len > mtu && (iph->frag_off & htons(IP_DF))) {
		__IP_INC_STATS(net, FragFails);
		icmp_send(skb, ICMP_DEST_UNREACH, ICMP_FRAG_NEEDED,
				  htonl(mtu));
		kp_drop_detail(net, SKB_DROP_REASON_PKT_TOO_BIG,
			       "forwarding %u bytes over mtu %u with DF",
			       skb->len, mtu);
		kfree_skb_reason(skb, SKB_DROP_REASON_PKT_TOO_BIG);
		return NET_RX_DROP;
	}
	ip_decrease_ttl(iph);
	skb->priority = iph->tos & IPTOS_TOS_MASK;
	return NF_HOOK(NFPROTO_IPV4, NF_INET_FORWARD, net, NULL, skb, skb->dev,
		       rt->dst.dev, ip_forward_finish);
}
