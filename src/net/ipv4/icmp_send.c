/*
 * icmp_send.c - sending ICMP messages (net/ipv4/icmp.c): icmp_send
 * (__icmp_send) reports an error about a packet to its source, and
 * icmp_push_reply builds any message - that error, or icmp_reply's echo
 * reply - with ip_make_skb on the stack's ICMP socket and sends it with
 * ip_send_skb.  Both pass the rate limits of icmp_ratelimit.c first.
 *
 * Leaves out: IP options echo, xfrm relookups (icmp_route_lookup is one
 * route lookup), icmp_errors_use_inbound_ifaddr (always 0), l3mdev.
 */
#include "icmp.h"

#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#include "engine/probe.h"
#include "icmp_priv.h"
#include "ip.h"
#include "ip_output.h"
#include "net/core/net_namespace.h"
#include "net/core/netdevice.h"
#include "net/core/sock.h"
#include "route.h"

#define IPTOS_PREC_INTERNETCONTROL 0xc0
#define INADDR_DUMMY_BE htonl(0xc0000008) /* 192.0.0.8 */

uint16_t kp_icmp_csum(const void *data, size_t len)
{
	return csum_fold(csum_partial(data, (unsigned int)len, 0));
}

void icmp_push_reply(struct sock *sk, struct icmp_bxm *icmp_param,
		     struct flowi4 *fl4, struct rtable *rt)
{
	KP_FUNC_ARG(icmp_push_reply, sk, icmp_param->icmph.type);
	struct net *net = sock_net(sk);
	size_t len = (size_t)(icmp_param->head_len + icmp_param->data_len);
	struct sk_buff *in = icmp_param->skb;
	unsigned char *buf = malloc(len ? len : 1);
	struct sk_buff *skb;
	int err, off = icmp_param->offset, n = icmp_param->data_len;
	unsigned char *to;

	if (!buf) {
		__ICMP_INC_STATS(net, OutErrors);
		return;
	}
	memcpy(buf, &icmp_param->icmph, (size_t)icmp_param->head_len);
	to = buf + icmp_param->head_len;
	/* quoted bytes before skb->data (the IP header of an error's
	 * packet) are in the linear head */
	if (off < 0) {
		int pre = -off < n ? -off : n;
		memcpy(to, in->data + off, (size_t)pre);
		to += pre;
		n -= pre;
		off = 0;
	}
	if (n > 0 && skb_copy_bits(in, off, to, n)) {
		free(buf);
		__ICMP_INC_STATS(net, OutErrors);
		return;
	}
	((struct icmphdr *)buf)->checksum = 0;
	((struct icmphdr *)buf)->checksum = kp_icmp_csum(buf, len);

	skb = ip_make_skb(sk, fl4, buf, len, 0, rt, MSG_DONTWAIT, &err);
	free(buf);
	if (!skb) {
		__ICMP_INC_STATS(net, OutErrors);
		return;
	}
	skb->ip_summed = CHECKSUM_NONE;
	/* __ip_make_skb counts every ICMP message it builds */
	icmp_out_count(net, icmp_param->icmph.type);
	ip_send_skb(net, skb);
}

void icmp_send(struct sk_buff *skb_in, int type, int code, uint32_t info)
{
	KP_FUNC_ARG(icmp_send, skb_in, (uint64_t)type << 8 | (unsigned)code);
	struct rtable *rt = skb_rtable(skb_in), *rt2;
	struct net *net = skb_in->net;
	struct icmp_bxm icmp_param;
	const struct iphdr *iph;
	bool apply_ratelimit = false;
	struct flowi4 fl4;
	struct sock *sk;
	uint32_t saddr;
	uint8_t tos;
	int room;

	if (!rt || !net || !net->icmp || type < 0 || type > NR_ICMP_TYPES)
		return;
	/* Find the original header; icmp_send is called from the most
	 * obscure places sometimes. */
	iph = ip_hdr(skb_in);
	if (skb_network_header(skb_in) < skb_in->head ||
	    skb_network_header(skb_in) + sizeof(*iph) >
		    skb_tail_pointer(skb_in))
		return;
	/* No replies to physical multicast/broadcast */
	if (skb_in->pkt_type != PACKET_HOST)
		return;
	/* Now check at the protocol level */
	if (rt->rt_flags & (RTCF_BROADCAST | RTCF_MULTICAST))
		return;
	/* Only reply to fragment 0. */
	if (iph->frag_off & htons(IP_OFFSET))
		return;
	/* If we send an ICMP error to an ICMP error a mess would result. */
	if (icmp_type_is_error(type) && iph->protocol == IPPROTO_ICMP) {
		const unsigned char *itp =
			skb_network_header(skb_in) + iph->ihl * 4u;
		if (itp + 1 > skb_tail_pointer(skb_in))
			return;
		/* Assume any unknown ICMP type is an error. */
		if (*itp > NR_ICMP_TYPES || icmp_type_is_error(*itp))
			return;
	}

	/* The global limit, unless the packet came in on loopback. */
	if (!(skb_in->dev && (skb_in->dev->flags & IFF_LOOPBACK)) &&
	    !icmpv4_global_allow(net, type, code, &apply_ratelimit))
		return;
	sk = net->icmp->icmp_sk; /* icmp_xmit_lock */

	saddr = iph->daddr;
	if (!(rt->rt_flags & RTCF_LOCAL))
		saddr = 0; /* icmp_errors_use_inbound_ifaddr = 0 */
	tos = icmp_type_is_error(type)
		      ? (uint8_t)((iph->tos & IPTOS_TOS_MASK) |
				  IPTOS_PREC_INTERNETCONTROL)
		      : iph->tos;

	memset(&icmp_param, 0, sizeof(icmp_param));
	icmp_param.icmph.type = (uint8_t)type;
	icmp_param.icmph.code = (uint8_t)code;
	icmp_param.icmph.un.gateway = info;
	icmp_param.skb = skb_in;
	icmp_param.offset = skb_network_offset(skb_in);
	inet_sk(sk)->tos = tos;

	/* icmp_route_lookup */
	memset(&fl4, 0, sizeof(fl4));
	fl4.daddr = iph->saddr;
	fl4.saddr = saddr;
	fl4.flowi4_tos = tos & IPTOS_TOS_MASK;
	fl4.flowi4_proto = IPPROTO_ICMP;
	if (kp_ip_route_output_key(net, &fl4, &rt2))
		return;

	/* peer icmp_ratelimit */
	if (!icmpv4_xrlim_allow(net, rt2, &fl4, type, code, apply_ratelimit))
		return;

	/* RFC says return as much as we can without exceeding 576 bytes. */
	room = (int)dst_mtu(&rt2->dst);
	if (room > 576)
		room = 576;
	room -= (int)sizeof(struct iphdr);
	room -= (int)sizeof(struct icmphdr);
	/* Guard against tiny mtu. */
	if (room <= (int)sizeof(struct iphdr))
		return;
	icmp_param.data_len = (int)skb_in->len - icmp_param.offset;
	if (icmp_param.data_len > room)
		icmp_param.data_len = room;
	icmp_param.head_len = sizeof(struct icmphdr);
	/* no source address: the dummy one rather than 0.0.0.0 */
	if (!fl4.saddr)
		fl4.saddr = INADDR_DUMMY_BE;
	icmp_push_reply(sk, &icmp_param, &fl4, rt2);
}
