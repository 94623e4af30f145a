/*
 * ip_input.c - IPv4 input: header checks, routing, local delivery
 * (net/ipv4/ip_input.c).
 *
 * ip_rcv (ip_rcv_core's checks as in current Linux, each drop with its
 * reason, counter and a detail for `show drops`) -> NF_INET_PRE_ROUTING
 * -> ip_rcv_finish -> ip_route_input_noref -> dst_input ->
 * ip_local_deliver (reassembly, NF_INET_LOCAL_IN) ->
 * ip_local_deliver_finish -> inet_protos[protocol]->handler.
 * Leaves out: IP options (ip_rcv_options), raw sockets, xfrm policy,
 * early demux, list receive (ip_list_rcv).  An unknown protocol is
 * answered with ICMP protocol unreachable (icmp_send).
 */
#include "ip.h"

#include "engine/probe.h"
#include "net/ipv4/icmp.h"
#include "inet_protocol.h"
#include "net/core/net_namespace.h"
#include "net/netfilter/netfilter.h"
#include "route.h"

int ip_local_deliver_finish(struct net *net, struct sock *sk,
			    struct sk_buff *skb)
{
	KP_FUNC(ip_local_deliver_finish, skb);
	int protocol = ip_hdr(skb)->protocol;
	const struct net_protocol *ipprot;

	__skb_pull(skb, (unsigned int)(skb_transport_header(skb) -
				       skb->data));
	kp_skb_where(skb, "ip_local_deliver_finish", 0);
resubmit:
	ipprot = net->inet_protos[protocol];
	if (ipprot) {
		int ret = ipprot->handler(skb);
		if (ret < 0) {
			protocol = -ret;
			goto resubmit;
		}
		__IP_INC_STATS(net, InDelivers);
	} else {
		__IP_INC_STATS(net, InUnknownProtos);
		icmp_send(skb, ICMP_DEST_UNREACH, ICMP_PROT_UNREACH, 0);
		kp_drop_detail(net, SKB_DROP_REASON_IP_NOPROTO,
			       "no handler for protocol %d", protocol);
		kfree_skb_reason(skb, SKB_DROP_REASON_IP_NOPROTO);
	}
	return 0;
}

int ip_local_deliver(struct sk_buff *skb)
{
	KP_FUNC(ip_local_deliver, skb);
	struct net *net = skb->net;

	if (ip_is_fragment(ip_hdr(skb))) {
		/* kpath: reassembly may hand back a new skb (see
		 * ip_fragment.c) */
		if (ip_defrag(net, &skb, IP_DEFRAG_LOCAL_DELIVER))
			return 0;
	}
	return NF_HOOK(NFPROTO_IPV4, NF_INET_LOCAL_IN, net, NULL, skb,
		       skb->dev, NULL, ip_local_deliver_finish);
}

int ip_rcv_finish(struct net *net, struct sock *sk, struct sk_buff *skb)
{
	KP_FUNC(ip_rcv_finish, skb);
	const struct iphdr *iph = ip_hdr(skb);
	enum skb_drop_reason drop_reason;
	struct rtable *rt;

	/* A looped-back packet keeps the route it was sent with. */
	if (!skb_dst(skb)) {
		drop_reason = ip_route_input_noref(skb, iph->daddr, iph->saddr,
						   iph->tos, skb->dev);
		if (drop_reason != SKB_DROP_REASON_NOT_DROPPED_YET)
			goto drop;
	}
	rt = skb_rtable(skb);
	if (rt->rt_type == RTN_MULTICAST) {
		__IPEXT_INC_STATS(net, InMcastPkts);
		__IPEXT_ADD_STATS(net, InMcastOctets, skb->len);
	} else if (rt->rt_type == RTN_BROADCAST) {
		__IPEXT_INC_STATS(net, InBcastPkts);
		__IPEXT_ADD_STATS(net, InBcastOctets, skb->len);
	} else if (skb->pkt_type == PACKET_BROADCAST ||
		   skb->pkt_type == PACKET_MULTICAST) {
		/* RFC 1122 3.3.6: Linux drops unicast IP in an L2
		 * broadcast only when drop_unicast_in_l2_multicast=1
		 * (default 0): accepted */
	}
	return dst_input(skb);

drop:
	kfree_skb_reason(skb, drop_reason);
	return NET_RX_DROP;
}

/* ip_rcv_core: the header checks.  Returns the skb, or NULL when it was
 * dropped. */
static struct sk_buff *ip_rcv_core(struct sk_buff *skb, struct net *net)
{
	enum skb_drop_reason drop_reason = SKB_DROP_REASON_NOT_SPECIFIED;
	const struct iphdr *iph;
	unsigned int len;

	if (skb->pkt_type == PACKET_OTHERHOST) {
		drop_reason = SKB_DROP_REASON_OTHERHOST;
		kp_drop_detail(net, drop_reason, "pkt_type PACKET_OTHERHOST");
		goto drop;
	}
	__IP_INC_STATS(net, InReceives);
	__IPEXT_ADD_STATS(net, InOctets, skb->len);

	if (!pskb_may_pull(skb, sizeof(struct iphdr))) {
		kp_drop_detail(net, SKB_DROP_REASON_IP_INHDR,
			       "%u bytes, shorter than an IP header",
			       skb->len);
		goto inhdr_error;
	}
	iph = ip_hdr(skb);
	if (iph->ihl < 5 || iph->version != 4) {
		if (iph->ihl < 5)
			kp_drop_detail(net, SKB_DROP_REASON_IP_INHDR,
				       "ihl %u < 5", iph->ihl);
		else
			kp_drop_detail(net, SKB_DROP_REASON_IP_INHDR,
				       "version %u != 4", iph->version);
		goto inhdr_error;
	}
	__KP_INC_STATS(net, KP_MIB_IpExt_InNoECTPkts +
				    (iph->tos & INET_ECN_MASK));

	if (!pskb_may_pull(skb, iph->ihl * 4u)) {
		kp_drop_detail(net, SKB_DROP_REASON_IP_INHDR,
			       "ihl %u: header of %u bytes, packet %u",
			       iph->ihl, iph->ihl * 4u, skb->len);
		goto inhdr_error;
	}
	iph = ip_hdr(skb);
	if (ip_fast_csum(iph, iph->ihl)) {
		kp_drop_detail(net, SKB_DROP_REASON_IP_CSUM,
			       "header checksum 0x%04x is wrong",
			       ntohs(iph->check));
		goto csum_error;
	}
	len = ntohs(iph->tot_len);
	if (skb->len < len) {
		drop_reason = SKB_DROP_REASON_PKT_TOO_SMALL;
		__IPEXT_INC_STATS(net, InTruncatedPkts);
		kp_drop_detail(net, drop_reason, "tot_len %u > %u bytes",
			       len, skb->len);
		goto drop;
	} else if (len < iph->ihl * 4u) {
		kp_drop_detail(net, SKB_DROP_REASON_IP_INHDR,
			       "tot_len %u < header %u", len, iph->ihl * 4u);
		goto inhdr_error;
	}
	/* Our transport medium may have padded the buffer out. */
	if (pskb_trim_rcsum(skb, len)) {
		__IP_INC_STATS(net, InDiscards);
		drop_reason = SKB_DROP_REASON_NOMEM;
		goto drop;
	}
	iph = ip_hdr(skb);
	skb->transport_header = (uint16_t)(skb->network_header + iph->ihl * 4);
	__builtin_memset(IPCB(skb), 0, sizeof(struct inet_skb_parm));
	IPCB(skb)->iif = skb->skb_iif;
	/* Must drop socket now because of tproxy. */
	skb_orphan(skb);
	return skb;

csum_error:
	drop_reason = SKB_DROP_REASON_IP_CSUM;
	__IPEXT_INC_STATS(net, InCsumErrors);
inhdr_error:
	if (drop_reason == SKB_DROP_REASON_NOT_SPECIFIED)
		drop_reason = SKB_DROP_REASON_IP_INHDR;
	__IP_INC_STATS(net, InHdrErrors);
drop:
	kfree_skb_reason(skb, drop_reason);
	return NULL;
}

int ip_rcv(struct sk_buff *skb, struct net_device *dev,
	   struct packet_type *pt, struct net_device *orig_dev)
{
	KP_FUNC_ARG(ip_rcv, skb, skb->len);
	struct net *net = skb->net;

	kp_skb_where(skb, "ip_rcv", 0);
	skb_reset_network_header(skb);
	skb = ip_rcv_core(skb, net);
	if (!skb)
		return NET_RX_DROP;
	return NF_HOOK(NFPROTO_IPV4, NF_INET_PRE_ROUTING, net, NULL, skb, dev,
		       NULL, ip_rcv_finish);
}
