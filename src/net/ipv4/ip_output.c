/*
 * ip_output.c - IPv4 output (net/ipv4/ip_output.c): building datagrams
 * (ip_make_skb, ip_queue_xmit, ip_build_and_send_pkt) and the path every
 * sent packet takes: ip_local_out -> __ip_local_out (NF_INET_LOCAL_OUT)
 * -> dst_output -> ip_output (NF_INET_POST_ROUTING) -> ip_finish_output
 * (-> ip_fragment) -> ip_finish_output2 -> the neighbour -> dev_queue_xmit.
 *
 * Counters as current Linux: OutRequests in __ip_local_out, OutTransmits
 * and OutOctets per packet leaving ip_finish_output2 (after
 * fragmentation), FragOKs/FragCreates/FragFails, OutNoRoutes,
 * OutDiscards.  Leaves out: IP options, corking (ip_append_data's
 * page frags: ip_make_skb builds one linear skb and ip_fragment uses the
 * slow path), GSO, multicast loopback, lwtunnels, XFRM.
 */
#include "ip_output.h"

#include <arpa/inet.h>
#include <errno.h>
#include <string.h>
#include <sys/socket.h>

#include "arp.h"
#include "engine/probe.h"
#include "engine/world.h"
#include "icmp.h"
#include "ip.h"
#include "net/core/neighbour.h"
#include "net/core/net_namespace.h"
#include "net/core/netdevice.h"
#include "net/core/sock.h"
#include "net/ethernet/eth.h"
#include "net/netfilter/netfilter.h"
#include "net/uaccess.h"
#include "sched/host.h"

/* LL_RESERVED_SPACE: room for the link-layer header, 16-aligned. */
static unsigned int ll_reserved_space(const struct net_device *dev)
{
	return (dev->hard_header_len + 15u) & ~15u;
}

int ip_select_ttl(const struct sock *sk, const struct dst_entry *dst)
{
	KP_FUNC(ip_select_ttl, KP_NOOBJ);
	int ttl = sk ? inet_sk(sk)->uc_ttl : -1;

	if (ttl < 0)
		ttl = (int)dst->dev->nd_net->sysctl.ip_default_ttl;
	return ttl;
}

/* ip_dont_fragment: PMTU discovery asks for DF. */
static bool ip_dont_fragment(const struct sock *sk)
{
	if (!sk)
		return false;
	return inet_sk(sk)->pmtudisc == IP_PMTUDISC_DO ||
	       inet_sk(sk)->pmtudisc == IP_PMTUDISC_WANT ||
	       inet_sk(sk)->pmtudisc == IP_PMTUDISC_PROBE;
}

/* __ip_select_ident: a per-destination counter (ip_idents), each bucket
 * starting at a random value from the world's PRNG. */
static uint16_t __ip_select_ident(struct net *net, const struct iphdr *iph,
				  unsigned int segs)
{
	struct kp_fib *fib = net->fib ? net->fib : kp_fib_get(net);
	uint32_t h = ntohl(iph->daddr) * 2654435761u ^ ntohl(iph->saddr) ^
		     iph->protocol;
	unsigned int b = (h >> 16) % KP_IP_IDENTS;
	uint16_t id;

	if (!fib)
		return 0;
	if (!(fib->ip_idents_set[b / 64] & (1ull << (b % 64)))) {
		fib->ip_idents[b] = (uint16_t)kp_prng_next(
			&net->host->world->prng);
		fib->ip_idents_set[b / 64] |= 1ull << (b % 64);
	}
	id = fib->ip_idents[b];
	fib->ip_idents[b] = (uint16_t)(id + segs);
	return id;
}

/* ip_select_ident_segs: a connected socket numbers its packets (TCP
 * from inet_id, the others from inet_id + 1, as atomic_add_return
 * gives); a DF packet that may not be fragmented locally has id 0; the
 * rest - datagrams whose DF PMTU discovery set but which ip_make_skb
 * marked ignore_df - take the per-destination counter. */
static void ip_select_ident(struct net *net, struct sk_buff *skb,
			    struct sock *sk, bool ignore_df)
{
	struct iphdr *iph = ip_hdr(skb);

	if (sk && inet_sk(sk)->inet_daddr) {
		uint16_t val = inet_sk(sk)->inet_id++;
		iph->id = htons(sk->sk_protocol == IPPROTO_TCP ? val
							       : (uint16_t)(val + 1));
		return;
	}
	if ((iph->frag_off & htons(IP_DF)) && !ignore_df)
		iph->id = 0;
	else
		iph->id = htons(__ip_select_ident(net, iph, 1));
}

/* ip_sk_ignore_df: below IP_PMTUDISC_DO (and with OMIT) the stack may
 * still fragment the socket's datagrams locally. */
static bool ip_sk_ignore_df(const struct sock *sk)
{
	return inet_sk(sk)->pmtudisc < IP_PMTUDISC_DO ||
	       inet_sk(sk)->pmtudisc == IP_PMTUDISC_OMIT;
}

struct sk_buff *ip_make_skb(struct sock *sk, struct flowi4 *fl4,
			    const void *from, size_t length, int transhdrlen,
			    struct rtable *rt, unsigned int flags, int *err)
{
	KP_FUNC_ARG(ip_make_skb, sk, length);
	struct inet_sock *inet = inet_sk(sk);
	struct net *net = sock_net(sk);
	struct net_device *dev = rt->dst.dev;
	unsigned int mtu = dst_mtu(&rt->dst);
	unsigned int fragheaderlen = sizeof(struct iphdr);
	unsigned int maxnonfragsize, hh_len = ll_reserved_space(dev);
	struct sk_buff *skb;
	struct iphdr *iph;
	*err = 0;
	maxnonfragsize = (inet->pmtudisc == IP_PMTUDISC_DO ||
			  inet->pmtudisc == IP_PMTUDISC_PROBE) ?
				 mtu :
				 IP_MAX_MTU;
	if (length + (size_t)transhdrlen > maxnonfragsize - fragheaderlen) {
		/* ip_local_error: tx-sock reports it to the socket */
		*err = -EMSGSIZE;
		return NULL;
	}
	/* __ip_append_data: charged to the send buffer, may sleep for it */
	skb = sock_alloc_send_skb(sk, hh_len + fragheaderlen +
					      (unsigned int)transhdrlen + length,
				  (flags & MSG_DONTWAIT) != 0, err);
	if (!skb) {
		if (!*err)
			*err = -ENOBUFS;
		return NULL;
	}
	skb_reserve(skb, (int)hh_len);
	skb_reset_network_header(skb);
	skb_put(skb, fragheaderlen + (unsigned int)transhdrlen);
	skb_set_transport_header(skb, (int)fragheaderlen);
	if (length && copy_from_user(skb_put(skb, (unsigned int)length), from,
				     length)) {
		kfree_skb(skb);
		*err = -EFAULT;
		return NULL;
	}
	net->skb.bytes_copied += length;

	/* __ip_make_skb: the header */
	iph = ip_hdr(skb);
	memset(iph, 0, sizeof(*iph));
	iph->version = 4;
	iph->ihl = 5;
	iph->tos = inet->tos;
	if (inet->pmtudisc == IP_PMTUDISC_DO ||
	    inet->pmtudisc == IP_PMTUDISC_PROBE ||
	    (skb->len <= mtu && ip_dont_fragment(sk)))
		iph->frag_off = htons(IP_DF);
	iph->ttl = (uint8_t)ip_select_ttl(sk, &rt->dst);
	iph->protocol = fl4->flowi4_proto;
	iph->saddr = fl4->saddr;
	iph->daddr = fl4->daddr;
	ip_select_ident(net, skb, sk, ip_sk_ignore_df(sk));
	skb->priority = sk->sk_priority;
	skb->mark = sk->sk_mark;
	skb->protocol = ETH_P_IP;
	skb_dst_set_noref(skb, &rt->dst);
	kp_skb_where(skb, "ip_make_skb", 0);
	return skb;
}

int ip_send_skb(struct net *net, struct sk_buff *skb)
{
	KP_FUNC(ip_send_skb, skb);
	int err = ip_local_out(net, skb->sk, skb);

	if (err) {
		if (err > 0)
			err = err != NET_XMIT_CN ? -ENOBUFS : 0;
		if (err)
			__IP_INC_STATS(net, OutDiscards);
	}
	return err;
}

int __ip_local_out(struct net *net, struct sock *sk, struct sk_buff *skb)
{
	KP_FUNC(__ip_local_out, skb);
	struct iphdr *iph = ip_hdr(skb);

	__IP_INC_STATS(net, OutRequests);
	iph->tot_len = htons((uint16_t)(skb->len > IP_MAX_MTU ? 0 : skb->len));
	ip_send_check(iph);
	skb->protocol = ETH_P_IP;
	return nf_hook(NFPROTO_IPV4, NF_INET_LOCAL_OUT, net, sk, skb, NULL,
		       skb_dst(skb)->dev, dst_output);
}

int ip_local_out(struct net *net, struct sock *sk, struct sk_buff *skb)
{
	KP_FUNC(ip_local_out, skb);
	int err = __ip_local_out(net, sk, skb);

	if (err == 1)
		err = dst_output(net, sk, skb);
	return err;
}

int dst_output(struct net *net, struct sock *sk, struct sk_buff *skb)
{
	KP_FUNC(dst_output, skb);
	return skb_dst(skb)->output(net, sk, skb);
}

/* ---- ip_finish_output2: hand over to the neighbour ---- */

static int ip_finish_output2(struct net *net, struct sock *sk,
			     struct sk_buff *skb)
{
	KP_FUNC(ip_finish_output2, skb);
	struct dst_entry *dst = skb_dst(skb);
	struct rtable *rt = (struct rtable *)dst;
	struct net_device *dev = dst->dev;
	unsigned int hh_len = ll_reserved_space(dev);
	struct neighbour *neigh;
	uint32_t nexthop;
	(void)sk;

	if (rt->rt_type == RTN_BROADCAST) {
		__IPEXT_INC_STATS(net, OutBcastPkts);
		__IPEXT_ADD_STATS(net, OutBcastOctets, skb->len);
	}
	/* OUTOCTETS should be counted after fragment */
	__IP_INC_STATS(net, OutTransmits);
	__IPEXT_ADD_STATS(net, OutOctets, skb->len);

	if (skb_headroom(skb) < hh_len && dev_has_header(dev)) {
		/* skb_expand_head: kpath's senders always reserve it */
		kp_drop_detail(net, SKB_DROP_REASON_NOMEM,
			       "no headroom for the link-layer header");
		kfree_skb_reason(skb, SKB_DROP_REASON_NOMEM);
		return -ENOMEM;
	}
	if (!net->arp_tbl) {
		kp_drop_detail(net, SKB_DROP_REASON_NEIGH_CREATEFAIL,
			       "no ARP table (arp_init not run)");
		kfree_skb_reason(skb, SKB_DROP_REASON_NEIGH_CREATEFAIL);
		return -EINVAL;
	}
	nexthop = rt_nexthop(rt, ip_hdr(skb)->daddr);
	neigh = __ipv4_neigh_lookup_noref(dev, nexthop);
	if (!neigh)
		neigh = __neigh_create(net->arp_tbl, nexthop, dev, false);
	if (neigh)
		return dst_neigh_output(dst, neigh, skb);

	kp_drop_detail(net, SKB_DROP_REASON_NEIGH_CREATEFAIL,
		       "__neigh_create failed");
	kfree_skb_reason(skb, SKB_DROP_REASON_NEIGH_CREATEFAIL);
	return -EINVAL;
}

/* ---- fragmentation (ip_fragment, ip_do_fragment's slow path) ---- */

static int ip_do_fragment(struct net *net, struct sock *sk,
			  struct sk_buff *skb, unsigned int mtu,
			  int (*output)(struct net *, struct sock *,
					struct sk_buff *))
{
	struct iphdr *iph = ip_hdr(skb);
	struct rtable *rt = skb_rtable(skb);
	unsigned int hlen = iph->ihl * 4u;
	unsigned int left = skb->len - hlen, ptr = hlen;
	unsigned int ll_rs = ll_reserved_space(rt->dst.dev);
	unsigned int offset = (ntohs(iph->frag_off) & IP_OFFSET) << 3;
	bool not_last_frag = iph->frag_off & htons(IP_MF);
	int err = 0;

	if (mtu < hlen + 8) {
		err = -EINVAL;
		goto fail;
	}
	mtu -= hlen; /* room for data in each fragment */
	while (left > 0) {
		unsigned int len = left;
		struct sk_buff *skb2;
		struct iphdr *iph2;

		if (len > mtu)
			len = mtu;
		if (len < left)
			len &= ~7u; /* all but the last are multiples of 8 */
		skb2 = alloc_skb(net, len + hlen + ll_rs);
		if (!skb2) {
			err = -ENOMEM;
			goto fail;
		}
		/* ip_copy_metadata */
		skb2->priority = skb->priority;
		skb2->protocol = skb->protocol;
		skb2->mark = skb->mark;
		skb2->dev = skb->dev;
		skb2->sk = skb->sk;
		skb_dst_set_noref(skb2, skb_dst(skb));
		memcpy(skb2->cb, skb->cb, sizeof(skb->cb));

		skb_reserve(skb2, (int)ll_rs);
		skb_put(skb2, len + hlen);
		skb_reset_network_header(skb2);
		skb_set_transport_header(skb2, (int)hlen);
		memcpy(skb_network_header(skb2), iph, hlen);
		if (skb_copy_bits(skb, (int)ptr, skb_transport_header(skb2),
				  (int)len)) {
			kfree_skb(skb2);
			err = -EFAULT;
			goto fail;
		}
		left -= len;
		iph2 = ip_hdr(skb2);
		iph2->frag_off = htons((uint16_t)(offset >> 3));
		if (left > 0 || not_last_frag)
			iph2->frag_off |= htons(IP_MF);
		ptr += len;
		offset += len;
		iph2->tot_len = htons((uint16_t)(len + hlen));
		ip_send_check(iph2);
		kp_skb_where(skb2, "ip_fragment", 0);

		err = output(net, sk, skb2);
		if (err)
			goto fail;
		__IP_INC_STATS(net, FragCreates);
	}
	consume_skb(skb);
	__IP_INC_STATS(net, FragOKs);
	return err;

fail:
	kp_drop_detail(net, SKB_DROP_REASON_NOT_SPECIFIED,
		       "fragmentation failed (%d)", err);
	kfree_skb(skb);
	__IP_INC_STATS(net, FragFails);
	return err;
}

int ip_fragment(struct net *net, struct sock *sk, struct sk_buff *skb,
		int (*output)(struct net *, struct sock *, struct sk_buff *))
{
	KP_FUNC_ARG(ip_fragment, skb, skb->len);
	struct iphdr *iph = ip_hdr(skb);
	unsigned int mtu = dst_mtu(skb_dst(skb));

	if (!(iph->frag_off & htons(IP_DF)))
		return ip_do_fragment(net, sk, skb, mtu, output);

	/* DF set and too big: tell the sender the MTU */
	__IP_INC_STATS(net, FragFails);
	icmp_send(skb, ICMP_DEST_UNREACH, ICMP_FRAG_NEEDED, htonl(mtu));
	kp_drop_detail(net, SKB_DROP_REASON_PKT_TOO_BIG,
		       "%u bytes over mtu %u with DF", skb->len, mtu);
	kfree_skb_reason(skb, SKB_DROP_REASON_PKT_TOO_BIG);
	return -EMSGSIZE;
}

static int ip_finish_output(struct net *net, struct sock *sk,
			    struct sk_buff *skb)
{
	KP_FUNC(ip_finish_output, skb);
	unsigned int mtu = dst_mtu(skb_dst(skb));

	if (skb->len > mtu)
		return ip_fragment(net, sk, skb, ip_finish_output2);
	return ip_finish_output2(net, sk, skb);
}

int ip_output(struct net *net, struct sock *sk, struct sk_buff *skb)
{
	KP_FUNC(ip_output, skb);
	struct net_device *dev = skb_dst(skb)->dev, *indev = skb->dev;

	skb->dev = dev;
	skb->protocol = ETH_P_IP;
	return NF_HOOK(NFPROTO_IPV4, NF_INET_POST_ROUTING, net, sk, skb, indev,
		       dev, ip_finish_output);
}

/* ---- TCP's entry points ---- */

/* Push and fill the IP header in front of skb->data. */
static void ip_push_header(struct net *net, struct sock *sk,
			   struct sk_buff *skb, struct rtable *rt,
			   uint32_t saddr, uint32_t daddr, uint8_t tos)
{
	struct iphdr *iph;

	skb_push(skb, sizeof(struct iphdr));
	skb_reset_network_header(skb);
	iph = ip_hdr(skb);
	memset(iph, 0, sizeof(*iph));
	iph->version = 4;
	iph->ihl = 5;
	iph->tos = tos;
	iph->frag_off = ip_dont_fragment(sk) ? htons(IP_DF) : 0;
	iph->ttl = (uint8_t)ip_select_ttl(sk, &rt->dst);
	iph->protocol = sk ? (uint8_t)sk->sk_protocol : IPPROTO_TCP;
	iph->saddr = saddr;
	iph->daddr = daddr;
	ip_select_ident(net, skb, sk, false);
	if (sk) {
		skb->priority = sk->sk_priority;
		skb->mark = sk->sk_mark;
	}
	skb->protocol = ETH_P_IP;
}

int ip_queue_xmit(struct sock *sk, struct sk_buff *skb, struct flowi4 *fl)
{
	KP_FUNC(ip_queue_xmit, skb);
	struct inet_sock *inet = inet_sk(sk);
	struct net *net = sock_net(sk);
	struct flowi4 local_fl = { 0 };
	struct flowi4 *fl4 = fl ? fl : &local_fl;
	struct rtable *rt = skb_rtable(skb);

	if (rt)
		goto packet_routed;
	rt = (struct rtable *)__sk_dst_check(sk, 0);
	if (!rt) {
		if (ip_route_output_ports(net, fl4, sk, inet->inet_daddr,
					  inet->inet_saddr, inet->inet_dport,
					  inet->inet_sport,
					  (uint8_t)sk->sk_protocol, inet->tos,
					  sk->sk_bound_dev_if, &rt))
			goto no_route;
		sk_setup_caps(sk, &rt->dst);
	}
	skb_dst_set_noref(skb, &rt->dst);

packet_routed:
	ip_push_header(net, sk, skb, rt,
		       fl4->saddr ? fl4->saddr : inet->inet_saddr,
		       fl4->daddr ? fl4->daddr : inet->inet_daddr, inet->tos);
	return ip_local_out(net, sk, skb);

no_route:
	__IP_INC_STATS(net, OutNoRoutes);
	kp_drop_detail(net, SKB_DROP_REASON_IP_OUTNOROUTES,
		       "ip_queue_xmit: no route");
	kfree_skb_reason(skb, SKB_DROP_REASON_IP_OUTNOROUTES);
	return -EHOSTUNREACH;
}

int ip_build_and_send_pkt(struct sk_buff *skb, const struct sock *sk,
			  uint32_t saddr, uint32_t daddr)
{
	KP_FUNC(ip_build_and_send_pkt, skb);
	struct rtable *rt = skb_rtable(skb);
	struct net *net = sk ? sock_net(sk) : skb->net;

	if (!rt) {
		__IP_INC_STATS(net, OutNoRoutes);
		kfree_skb_reason(skb, SKB_DROP_REASON_IP_OUTNOROUTES);
		return -EHOSTUNREACH;
	}
	ip_push_header(net, (struct sock *)sk, skb, rt, saddr, daddr,
		       sk ? inet_sk(sk)->tos : 0);
	return ip_local_out(net, (struct sock *)sk, skb);
}

/* ---- per-stack setup ---- */

int ip_output_net_init(struct net *net)
{
	struct kp_fib *fib = kp_fib_get(net);

	if (!fib)
		return -ENOMEM;
	fib->ip_output = ip_output;
	fib->ip_forward = ip_forward;
	return 0;
}

void ip_init(void)
{
	ip_output_net_init(current_net());
}
