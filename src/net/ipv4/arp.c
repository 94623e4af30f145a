/*
 * arp.c - ARP: resolving IPv4 next hops to Ethernet addresses
 * (net/ipv4/arp.c).
 *
 * arp_init creates the stack's arp_tbl and registers arp_rcv for
 * ETH_P_ARP.  arp_constructor makes loopback and broadcast neighbours
 * NOARP and the others resolvable; arp_solicit sends the requests
 * (broadcast while INCOMPLETE, unicast while PROBE); arp_process answers
 * requests for our addresses (learning the asker as STALE) and turns
 * replies into REACHABLE entries, which releases their queued packets.
 *
 * Leaves out: proxy ARP, arp_filter/arp_ignore/arp_announce other than
 * their defaults (0), arp_accept (gratuitous ARP does not create
 * entries), the NFPROTO_ARP netfilter hooks, /proc/net/arp.  A request
 * is recognised as ours with inet_addr_type rather than a full input
 * route.
 */
#include "arp.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "engine/probe.h"
#include "icmp.h"
#include "inetdevice.h"
#include "ip.h"
#include "net/ethernet/eth.h"
#include "route.h"

struct kp_arp {
	struct neigh_table tbl; /* first: net->arp_tbl points here */
	struct packet_type arp_packet_type;
};

static void arp_solicit(struct neighbour *n, struct sk_buff *skb);
static void arp_error_report(struct neighbour *n, struct sk_buff *skb);

static const struct neigh_ops arp_generic_ops = {
	.family = AF_INET,
	.name = "arp_generic_ops",
	.solicit = arp_solicit,
	.error_report = arp_error_report,
	.output = neigh_resolve_output,
	.connected_output = neigh_connected_output,
};

static const struct neigh_ops arp_direct_ops = {
	.family = AF_INET,
	.name = "arp_direct_ops",
	.output = neigh_direct_output,
	.connected_output = neigh_direct_output,
};

static int arp_constructor(struct neighbour *n)
{
	struct net_device *dev = n->dev;
	struct net *net = dev->nd_net;

	n->type = (uint8_t)inet_addr_type(net, n->primary_key);
	if (!dev_has_header(dev)) {
		n->nud_state = NUD_NOARP;
		n->ops = &arp_direct_ops;
		n->output = neigh_direct_output;
		return 0;
	}
	if (dev->flags & IFF_LOOPBACK) {
		n->nud_state = NUD_NOARP;
		memcpy(n->ha, dev->dev_addr, ETH_ALEN);
	} else if (n->type == RTN_BROADCAST ||
		   n->primary_key == htonl(INADDR_BROADCAST)) {
		n->nud_state = NUD_NOARP;
		memcpy(n->ha, dev->broadcast, ETH_ALEN);
	}
	n->ops = &arp_generic_ops; /* arp_hh_ops: same functions here */
	n->output = (n->nud_state & NUD_VALID) ? n->ops->connected_output :
						  n->ops->output;
	return 0;
}

struct neighbour *__ipv4_neigh_lookup_noref(struct net_device *dev,
					    uint32_t key)
{
	KP_FUNC(__ipv4_neigh_lookup_noref, dev);
	struct neigh_table *tbl = dev->nd_net->arp_tbl;
	struct neighbour *n;

	if (!tbl)
		return NULL;
	list_for_each_entry(n, &tbl->entries, list)
		if (n->primary_key == key && n->dev == dev)
			return n;
	return NULL;
}

/* ---- building and sending ---- */

static struct sk_buff *arp_create(int type, int ptype, uint32_t dest_ip,
				  struct net_device *dev, uint32_t src_ip,
				  const unsigned char *dest_hw,
				  const unsigned char *src_hw,
				  const unsigned char *target_hw)
{
	unsigned int hlen = dev->hard_header_len;
	struct sk_buff *skb = alloc_skb(dev->nd_net,
					NET_SKB_PAD + hlen + ARP_HDR_LEN);
	struct arphdr *arp;
	unsigned char *p;

	if (!skb)
		return NULL;
	skb_reserve(skb, (int)(NET_SKB_PAD + hlen));
	skb_reset_network_header(skb);
	arp = (struct arphdr *)skb_put(skb, ARP_HDR_LEN);
	skb->dev = dev;
	skb->protocol = ETH_P_ARP;
	kp_skb_where(skb, "arp_create", 0);
	if (!src_hw)
		src_hw = dev->dev_addr;
	if (!dest_hw)
		dest_hw = dev->broadcast;
	if (dev_hard_header(skb, dev, (uint16_t)ptype, dest_hw, src_hw,
			    skb->len) < 0) {
		kfree_skb(skb);
		return NULL;
	}
	arp->ar_hrd = htons(ARPHRD_ETHER);
	arp->ar_pro = htons(ETH_P_IP);
	arp->ar_hln = ETH_ALEN;
	arp->ar_pln = 4;
	arp->ar_op = htons((uint16_t)type);
	p = (unsigned char *)(arp + 1);
	memcpy(p, src_hw, ETH_ALEN);
	p += ETH_ALEN;
	memcpy(p, &src_ip, 4);
	p += 4;
	if (target_hw)
		memcpy(p, target_hw, ETH_ALEN);
	else
		memset(p, 0, ETH_ALEN);
	p += ETH_ALEN;
	memcpy(p, &dest_ip, 4);
	return skb;
}

void arp_send(int type, int ptype, uint32_t dest_ip, struct net_device *dev,
	      uint32_t src_ip, const unsigned char *dest_hw,
	      const unsigned char *src_hw, const unsigned char *target_hw)
{
	KP_FUNC_ARG(arp_send, dev, type);
	struct sk_buff *skb;

	if (dev->flags & IFF_LOOPBACK)
		return; /* arp_send: IFF_NOARP devices never ARP */
	skb = arp_create(type, ptype, dest_ip, dev, src_ip, dest_hw, src_hw,
			 target_hw);
	if (!skb)
		return;
	/* arp_xmit: NF_HOOK(NFPROTO_ARP, NF_ARP_OUT) -> dev_queue_xmit */
	dev_queue_xmit(skb);
}

static void arp_solicit(struct neighbour *n, struct sk_buff *skb)
{
	KP_FUNC_ARG(arp_solicit, n, n->probes);
	struct net_device *dev = n->dev;
	struct net *net = dev->nd_net;
	uint32_t target = n->primary_key;
	uint32_t saddr = 0;
	const unsigned char *dst_hw = NULL;
	long probes = n->probes;

	/* arp_announce 0: the packet's own source if it is ours */
	if (skb && skb->network_header != (uint16_t)~0u &&
	    inet_addr_type(net, ip_hdr(skb)->saddr) == RTN_LOCAL)
		saddr = ip_hdr(skb)->saddr;
	if (!saddr)
		saddr = inet_select_addr(dev, target, RT_SCOPE_LINK);

	probes -= net->sysctl.neigh_ucast_solicit;
	if (probes < 0) {
		if (!(n->nud_state & NUD_VALID))
			return; /* no address to unicast to */
		dst_hw = n->ha;
	}
	/* else app_solicit probes (none): broadcast */
	arp_send(ARPOP_REQUEST, ETH_P_ARP, target, dev, saddr, dst_hw,
		 dev->dev_addr, NULL);
}

/* dst_link_failure: the sender learns the host is unreachable. */
static void arp_error_report(struct neighbour *n, struct sk_buff *skb)
{
	(void)n;
	if (skb->network_header != (uint16_t)~0u)
		icmp_send(skb, ICMP_DEST_UNREACH, ICMP_HOST_UNREACH, 0);
}

/* ---- receiving ---- */

static int arp_process(struct net *net, struct sock *sk, struct sk_buff *skb)
{
	KP_FUNC(arp_process, skb);
	struct net_device *dev = skb->dev;
	struct in_device *in_dev = __in_dev_get_rcu(dev);
	struct arphdr *arp = arp_hdr(skb);
	const unsigned char *sha, *tha, *p;
	uint32_t sip, tip;
	struct neighbour *n;
	(void)sk;

	if (!in_dev || !net->arp_tbl) {
		kp_drop_detail(net, SKB_DROP_REASON_NOT_SPECIFIED,
			       "ARP on a device without IPv4");
		kfree_skb(skb);
		return 0;
	}
	if (arp->ar_pro != htons(ETH_P_IP) ||
	    arp->ar_hrd != htons(ARPHRD_ETHER) ||
	    (arp->ar_op != htons(ARPOP_REPLY) &&
	     arp->ar_op != htons(ARPOP_REQUEST))) {
		kp_drop_detail(net, SKB_DROP_REASON_INVALID_PROTO,
			       "ARP: not Ethernet/IPv4 request or reply");
		kfree_skb_reason(skb, SKB_DROP_REASON_INVALID_PROTO);
		return 0;
	}
	p = (const unsigned char *)(arp + 1);
	sha = p;
	p += ETH_ALEN;
	memcpy(&sip, p, 4);
	p += 4;
	tha = p;
	p += ETH_ALEN;
	memcpy(&tip, p, 4);
	(void)tha;

	/* Check for bad requests for 127.x.x.x and requests for multicast
	 * addresses. */
	if (ipv4_is_multicast(tip) || ipv4_is_loopback(tip)) {
		kp_drop_detail(net, SKB_DROP_REASON_INVALID_PROTO,
			       "ARP for a multicast or loopback address");
		kfree_skb_reason(skb, SKB_DROP_REASON_INVALID_PROTO);
		return 0;
	}

	/* Duplicate address detection: sender 0.0.0.0 */
	if (sip == 0) {
		if (arp->ar_op == htons(ARPOP_REQUEST) &&
		    inet_addr_type(net, tip) == RTN_LOCAL)
			arp_send(ARPOP_REPLY, ETH_P_ARP, sip, dev, tip, sha,
				 dev->dev_addr, sha);
		consume_skb(skb);
		return 0;
	}

	if (arp->ar_op == htons(ARPOP_REQUEST) &&
	    inet_addr_type(net, tip) == RTN_LOCAL) {
		if (skb->pkt_type == PACKET_HOST)
			net->arp_tbl->stats.rcv_probes_ucast++;
		else
			net->arp_tbl->stats.rcv_probes_mcast++;
		n = neigh_event_ns(net->arp_tbl, sha, sip, dev);
		if (n)
			arp_send(ARPOP_REPLY, ETH_P_ARP, sip, dev, tip, sha,
				 dev->dev_addr, sha);
		consume_skb(skb);
		return 0;
	}

	/* Update our ARP tables: only entries we asked about */
	n = __neigh_lookup(net->arp_tbl, sip, dev, false);
	if (n) {
		uint8_t state = NUD_REACHABLE;
		bool override = (long)(jiffies - (n->updated + HZ)) > 0 ||
				tip == sip;

		/* A request or a broadcast reply proves less */
		if (arp->ar_op != htons(ARPOP_REPLY) ||
		    skb->pkt_type != PACKET_HOST)
			state = NUD_STALE;
		neigh_update(n, sha, state,
			     override ? NEIGH_UPDATE_F_OVERRIDE : 0);
	}
	consume_skb(skb);
	return 0;
}

int arp_rcv(struct sk_buff *skb, struct net_device *dev,
	    struct packet_type *pt, struct net_device *orig_dev)
{
	KP_FUNC(arp_rcv, skb);
	const struct arphdr *arp;
	(void)pt;
	(void)orig_dev;

	if ((dev->flags & IFF_LOOPBACK) ||
	    skb->pkt_type == PACKET_OTHERHOST) {
		consume_skb(skb);
		return NET_RX_SUCCESS;
	}
	skb_reset_network_header(skb);
	if (!pskb_may_pull(skb, ARP_HDR_LEN)) {
		kp_drop_detail(dev->nd_net, SKB_DROP_REASON_PKT_TOO_SMALL,
			       "ARP packet of %u bytes", skb->len);
		kfree_skb_reason(skb, SKB_DROP_REASON_PKT_TOO_SMALL);
		return NET_RX_DROP;
	}
	arp = arp_hdr(skb);
	if (arp->ar_hln != dev->addr_len || arp->ar_pln != 4) {
		kp_drop_detail(dev->nd_net, SKB_DROP_REASON_NOT_SPECIFIED,
			       "ARP with hln %u pln %u", arp->ar_hln,
			       arp->ar_pln);
		kfree_skb(skb);
		return NET_RX_DROP;
	}
	skb->dev = dev;
	/* NF_HOOK(NFPROTO_ARP, NF_ARP_IN): no arptables in kpath */
	arp_process(dev->nd_net, NULL, skb);
	return NET_RX_SUCCESS;
}

static void arp_net_exit(struct net *net)
{
	struct kp_arp *arp = (struct kp_arp *)net->arp_tbl;

	if (!arp)
		return;
	neigh_table_clear(&arp->tbl);
	/* not linked yet when the world stops inside arp_init's
	 * dev_add_pack and is torn down there */
	if (arp->arp_packet_type.list.next)
		list_del(&arp->arp_packet_type.list);
	free(arp);
	net->arp_tbl = NULL;
}

void arp_init(void)
{
	struct net *net = current_net();
	struct kp_arp *arp;

	if (net->arp_tbl)
		return;
	arp = calloc(1, sizeof(*arp));
	if (!arp)
		return;
	neigh_table_init(net, &arp->tbl, AF_INET, "arp_cache",
			 arp_constructor);
	net->arp_tbl = &arp->tbl;
	kp_net_register_exit(net, arp_net_exit);
	arp->arp_packet_type.type = ETH_P_ARP;
	arp->arp_packet_type.func = arp_rcv;
	arp->arp_packet_type.name = "arp_rcv";
	dev_add_pack(&arp->arp_packet_type);
}
