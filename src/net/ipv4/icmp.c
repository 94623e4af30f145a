/*
 * icmp.c - ICMP input (net/ipv4/icmp.c).
 *
 * icmp_rcv validates the checksum, counts the message (IcmpInMsgs, the
 * per-type IcmpIn* counter and IcmpMsg InTypeN) and calls the type's
 * handler from icmp_pointers[], as Linux.  Error messages (unreachable,
 * time exceeded, ...) are passed to the err_handler of the protocol of
 * the packet they quote (icmp_unreach -> icmp_socket_deliver).
 * Leaves out (they need the transmit path): the echo and timestamp
 * replies, icmp_send and its rate limits - requests are counted and
 * consumed; redirects are counted and ignored.
 */
#include "icmp.h"

#include "engine/probe.h"
#include "ip.h"
#include "net/core/net_namespace.h"
#include "route.h"

struct icmp_control {
	enum skb_drop_reason (*handler)(struct sk_buff *skb);
	short error; /* this ICMP is classed as an error message */
};

static enum skb_drop_reason icmp_discard(struct sk_buff *skb)
{
	/* RFC 1122: 3.2.2  Unknown ICMP messages types MUST be silently
	 * discarded. */
	return SKB_DROP_REASON_NOT_DROPPED_YET;
}

/* icmp_unreach: hand the quoted packet's header to its protocol. */
static enum skb_drop_reason icmp_unreach(struct sk_buff *skb)
{
	struct net *net = skb->net;
	const struct icmphdr *icmph;
	const struct iphdr *iph;
	const struct net_protocol *ipprot;
	uint32_t info = 0;

	/* skb->data is past the ICMP header: the quoted IP header */
	if (!pskb_may_pull(skb, sizeof(struct iphdr)))
		goto out_err;
	icmph = icmp_hdr(skb);
	iph = (const struct iphdr *)skb->data;
	if (iph->ihl < 5) /* Mangled header, drop. */
		goto out_err;
	if (icmph->type == ICMP_DEST_UNREACH &&
	    icmph->code == ICMP_FRAG_NEEDED)
		info = ntohs(icmph->un.frag.mtu);
	/* icmp_socket_deliver: the quoted header + 8 bytes */
	if (!pskb_may_pull(skb, iph->ihl * 4u + 8)) {
		__ICMP_INC_STATS(net, InErrors);
		return SKB_DROP_REASON_NOT_DROPPED_YET;
	}
	ipprot = net->inet_protos[iph->protocol];
	if (ipprot && ipprot->err_handler)
		ipprot->err_handler(skb, info);
	return SKB_DROP_REASON_NOT_DROPPED_YET;

out_err:
	__ICMP_INC_STATS(net, InErrors);
	kp_drop_detail(net, SKB_DROP_REASON_NOT_SPECIFIED,
		       "ICMP error quoting a mangled IP header");
	return SKB_DROP_REASON_NOT_SPECIFIED;
}

static enum skb_drop_reason icmp_redirect(struct sk_buff *skb)
{
	if (skb->len < sizeof(struct iphdr)) {
		__ICMP_INC_STATS(skb->net, InErrors);
		return SKB_DROP_REASON_PKT_TOO_SMALL;
	}
	/* Linux updates the next hop exception; kpath ignores it. */
	return SKB_DROP_REASON_NOT_DROPPED_YET;
}

/* icmp_echo: Linux answers with icmp_reply unless icmp_echo_ignore_all.
 * The reply needs the transmit path: counted and consumed. */
static enum skb_drop_reason icmp_echo(struct sk_buff *skb)
{
	return SKB_DROP_REASON_NOT_DROPPED_YET;
}

static enum skb_drop_reason icmp_timestamp(struct sk_buff *skb)
{
	if (skb->len < 4 + 8) {
		__ICMP_INC_STATS(skb->net, InErrors);
		return SKB_DROP_REASON_PKT_TOO_SMALL;
	}
	/* the reply needs the transmit path */
	return SKB_DROP_REASON_NOT_DROPPED_YET;
}

static const struct icmp_control icmp_pointers[NR_ICMP_TYPES + 1] = {
	[ICMP_ECHOREPLY] = { .handler = icmp_discard },
	[1] = { .handler = icmp_discard, .error = 1 },
	[2] = { .handler = icmp_discard, .error = 1 },
	[ICMP_DEST_UNREACH] = { .handler = icmp_unreach, .error = 1 },
	[ICMP_SOURCE_QUENCH] = { .handler = icmp_unreach, .error = 1 },
	[ICMP_REDIRECT] = { .handler = icmp_redirect, .error = 1 },
	[6] = { .handler = icmp_discard, .error = 1 },
	[7] = { .handler = icmp_discard, .error = 1 },
	[ICMP_ECHO] = { .handler = icmp_echo },
	[9] = { .handler = icmp_discard, .error = 1 },
	[10] = { .handler = icmp_discard, .error = 1 },
	[ICMP_TIME_EXCEEDED] = { .handler = icmp_unreach, .error = 1 },
	[ICMP_PARAMETERPROB] = { .handler = icmp_unreach, .error = 1 },
	[ICMP_TIMESTAMP] = { .handler = icmp_timestamp },
	[ICMP_TIMESTAMPREPLY] = { .handler = icmp_discard },
	[ICMP_INFO_REQUEST] = { .handler = icmp_discard },
	[ICMP_INFO_REPLY] = { .handler = icmp_discard },
	[ICMP_ADDRESS] = { .handler = icmp_discard },
	[ICMP_ADDRESSREPLY] = { .handler = icmp_discard },
};

/* The Icmp In* counter of each type (icmpmibmap in net/ipv4/proc.c). */
static int icmp_in_mib(uint8_t type)
{
	switch (type) {
	case ICMP_DEST_UNREACH: return KP_MIB_Icmp_InDestUnreachs;
	case ICMP_TIME_EXCEEDED: return KP_MIB_Icmp_InTimeExcds;
	case ICMP_PARAMETERPROB: return KP_MIB_Icmp_InParmProbs;
	case ICMP_SOURCE_QUENCH: return KP_MIB_Icmp_InSrcQuenchs;
	case ICMP_REDIRECT: return KP_MIB_Icmp_InRedirects;
	case ICMP_ECHO: return KP_MIB_Icmp_InEchos;
	case ICMP_ECHOREPLY: return KP_MIB_Icmp_InEchoReps;
	case ICMP_TIMESTAMP: return KP_MIB_Icmp_InTimestamps;
	case ICMP_TIMESTAMPREPLY: return KP_MIB_Icmp_InTimestampReps;
	case ICMP_ADDRESS: return KP_MIB_Icmp_InAddrMasks;
	case ICMP_ADDRESSREPLY: return KP_MIB_Icmp_InAddrMaskReps;
	default: return -1;
	}
}

int icmp_rcv(struct sk_buff *skb)
{
	KP_FUNC(icmp_rcv, skb);
	enum skb_drop_reason reason = SKB_DROP_REASON_NOT_SPECIFIED;
	struct rtable *rt = skb_rtable(skb);
	struct net *net = skb->net;
	struct icmphdr *icmph;
	int mib;

	kp_skb_where(skb, "icmp_rcv", 0);
	__ICMP_INC_STATS(net, InMsgs);

	/* skb_checksum_simple_validate */
	if (skb->ip_summed != CHECKSUM_UNNECESSARY &&
	    csum_fold(skb_checksum(skb, 0, (int)skb->len, 0))) {
		kp_drop_detail(net, SKB_DROP_REASON_ICMP_CSUM,
			       "checksum over %u bytes is wrong", skb->len);
		goto csum_error;
	}
	if (!pskb_may_pull(skb, sizeof(*icmph))) {
		kp_drop_detail(net, reason, "%u bytes, shorter than an ICMP "
			       "header", skb->len);
		goto error;
	}
	icmph = icmp_hdr(skb);
	__skb_pull(skb, sizeof(*icmph));
	net->icmpmsg_in[icmph->type]++;
	mib = icmp_in_mib(icmph->type);
	if (mib >= 0)
		__KP_INC_STATS(net, mib);

	/* 18 is the highest 'known' ICMP type; anything else is silently
	 * discarded (RFC 1122 3.2.2). */
	if (icmph->type > NR_ICMP_TYPES) {
		reason = SKB_DROP_REASON_UNHANDLED_PROTO;
		kp_drop_detail(net, reason, "ICMP type %u", icmph->type);
		goto error;
	}
	if (rt && (rt->rt_flags & (RTCF_BROADCAST | RTCF_MULTICAST))) {
		/* RFC 1122 3.2.2.6: echo to broadcast may be ignored
		 * (icmp_echo_ignore_broadcasts); 3.2.2.8: timestamp too */
		if ((icmph->type == ICMP_ECHO ||
		     icmph->type == ICMP_TIMESTAMP) &&
		    net->sysctl.icmp_echo_ignore_broadcasts) {
			reason = SKB_DROP_REASON_INVALID_PROTO;
			kp_drop_detail(net, reason, "ICMP type %u to broadcast "
				       "(icmp_echo_ignore_broadcasts=1)",
				       icmph->type);
			goto error;
		}
		if (icmph->type != ICMP_ECHO &&
		    icmph->type != ICMP_TIMESTAMP &&
		    icmph->type != ICMP_ADDRESS &&
		    icmph->type != ICMP_ADDRESSREPLY) {
			reason = SKB_DROP_REASON_INVALID_PROTO;
			kp_drop_detail(net, reason,
				       "ICMP type %u to broadcast", icmph->type);
			goto error;
		}
	}
	reason = icmp_pointers[icmph->type].handler(skb);
	if (reason == SKB_DROP_REASON_NOT_DROPPED_YET)
		consume_skb(skb);
	else
		kfree_skb_reason(skb, reason);
	return NET_RX_SUCCESS;

csum_error:
	reason = SKB_DROP_REASON_ICMP_CSUM;
	__ICMP_INC_STATS(net, InCsumErrors);
error:
	__ICMP_INC_STATS(net, InErrors);
	kfree_skb_reason(skb, reason);
	return NET_RX_SUCCESS;
}

const struct net_protocol icmp_protocol = {
	.handler = icmp_rcv,
	.no_policy = 1,
	.netns_ok = 1,
};
