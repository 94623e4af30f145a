/*
 * icmp.c - ICMP input and the echo reply (net/ipv4/icmp.c), and the
 * stack's ICMP socket (icmp_init).
 *
 * icmp_rcv validates the checksum, counts the message (IcmpInMsgs, the
 * per-type IcmpIn* counter and IcmpMsg InTypeN) and calls the type's
 * handler from icmp_pointers[], as Linux.  Error messages (unreachable,
 * time exceeded, ...) are passed to the err_handler of the protocol of
 * the packet they quote (icmp_unreach -> icmp_socket_deliver).  Echo
 * requests are answered by icmp_echo -> icmp_reply, through the rate
 * limits of icmp_ratelimit.c and icmp_push_reply of icmp_send.c, which
 * also holds icmp_send (errors about a packet).  Counters: icmp_mib.c.
 *
 * Leaves out: IP options echo, timestamp replies (counted and consumed),
 * redirects (counted and ignored), l3mdev; icmp_sk_init makes one
 * kernel socket per stack, not one per CPU.
 */
#include "icmp.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "engine/probe.h"
#include "icmp_priv.h"
#include "ip.h"
#include "ping.h"
#include "net/core/net_namespace.h"
#include "net/core/netdevice.h"
#include "net/core/sock.h"
#include "route.h"
#include "sched/sched.h"
#include "sched/timer.h"

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

/* icmp_reply: route back to the sender of @skb, through the rate
 * limits, then push the message. */
static void icmp_reply(struct icmp_bxm *icmp_param, struct sk_buff *skb)
{
	KP_FUNC_ARG(icmp_reply, skb, icmp_param->icmph.type);
	struct net *net = skb->net;
	struct rtable *rt;
	struct flowi4 fl4;
	struct sock *sk;
	int type = icmp_param->icmph.type;
	int code = icmp_param->icmph.code;
	bool apply_ratelimit = false;

	if (!net->icmp)
		return;
	/* global icmp_msgs_per_sec */
	if (!icmpv4_global_allow(net, type, code, &apply_ratelimit))
		return;
	sk = net->icmp->icmp_sk; /* icmp_xmit_lock */
	icmp_param->icmph.checksum = 0;
	inet_sk(sk)->tos = ip_hdr(skb)->tos;

	memset(&fl4, 0, sizeof(fl4));
	fl4.daddr = ip_hdr(skb)->saddr;
	/* fib_compute_spec_dst: the address the request was sent to */
	fl4.saddr = ip_hdr(skb)->daddr;
	fl4.flowi4_tos = ip_hdr(skb)->tos & IPTOS_TOS_MASK;
	fl4.flowi4_proto = IPPROTO_ICMP;
	if (kp_ip_route_output_key(net, &fl4, &rt))
		return;
	if (icmpv4_xrlim_allow(net, rt, &fl4, type, code, apply_ratelimit))
		icmp_push_reply(sk, icmp_param, &fl4, rt);
}


/* icmp_echo: answer with the same id, sequence and data (RFC 1122
 * 3.2.2.6), unless icmp_echo_ignore_all. */
static enum skb_drop_reason icmp_echo(struct sk_buff *skb)
{
	struct net *net = skb->net;
	struct icmp_bxm icmp_param;

	if (net->sysctl.icmp_echo_ignore_all)
		return SKB_DROP_REASON_NOT_DROPPED_YET;
	icmp_param.icmph = *icmp_hdr(skb);
	icmp_param.icmph.type = ICMP_ECHOREPLY;
	icmp_param.skb = skb;
	icmp_param.offset = 0;
	icmp_param.data_len = (int)skb->len;
	icmp_param.head_len = sizeof(struct icmphdr);
	icmp_reply(&icmp_param, skb);
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
	[ICMP_ECHOREPLY] = { .handler = ping_rcv },
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

bool icmp_type_is_error(int type)
{
	return type >= 0 && type <= NR_ICMP_TYPES && icmp_pointers[type].error;
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

const struct icmp_err icmp_err_convert[ICMP_NR_UNREACH_CODES] = {
	{ ENETUNREACH, 0 },  { EHOSTUNREACH, 0 }, { ENOPROTOOPT, 1 },
	{ ECONNREFUSED, 1 }, { EMSGSIZE, 0 },     { EOPNOTSUPP, 0 },
	{ ENETUNREACH, 1 },  { EHOSTDOWN, 1 },    { ENONET, 1 },
	{ ENETUNREACH, 1 },  { EHOSTUNREACH, 1 }, { ENETUNREACH, 0 },
	{ EHOSTUNREACH, 0 }, { EHOSTUNREACH, 1 }, { EHOSTUNREACH, 1 },
	{ EHOSTUNREACH, 1 },
};

/* icmp_err: an ICMP error quoting an ICMP message of ours.  All but a
 * quoted echo reply (which the kernel itself sent) go to ping_err. */
static void icmp_err(struct sk_buff *skb, uint32_t info)
{
	const struct iphdr *iph = (const struct iphdr *)skb->data;
	const struct icmphdr *icmph =
		(const struct icmphdr *)(skb->data + iph->ihl * 4u);
	if (icmph->type != ICMP_ECHOREPLY)
		ping_err(skb, (int)(iph->ihl * 4u), info);
}

const struct net_protocol icmp_protocol = {
	.handler = icmp_rcv,
	.err_handler = icmp_err,
	.no_policy = 1,
	.netns_ok = 1,
};

static void icmp_net_exit(struct net *net)
{
	struct kp_icmp_net *in = net->icmp;
	struct inet_peer *p, *tmp;
	if (!in)
		return;
	list_for_each_entry_safe(p, tmp, &in->peers, list)
		free(p);
	free(in->icmp_sk);
	free(in);
	net->icmp = NULL;
}

static const struct proto icmp_sk_prot = {
	.name = "ICMP",
	.obj_size = sizeof(struct inet_sock),
};

int icmp_init(void)
{
	struct net *net = current_net();
	struct kp_icmp_net *in = calloc(1, sizeof(*in));
	struct sock *sk;

	if (!in)
		return -ENOMEM;
	INIT_LIST_HEAD(&in->peers);
	INIT_LIST_HEAD(&in->ping_table);
	net->icmp = in;
	/* icmp_sk_init: a kernel raw socket per CPU in Linux, one here.
	 * kpath builds it quietly (no sk_alloc/sock_init_data step points,
	 * no sk#N): boot's trace stays the one lesson 1 walks through. */
	sk = calloc(1, sizeof(struct inet_sock));
	if (!sk)
		return -ENOMEM;
	kp_obj_set(&sk->kp, KP_OBJ_SOCK, 0);
	sk->sk_family = PF_INET;
	sk->sk_prot = &icmp_sk_prot;
	sk->sk_net = net;
	sk->sk_refcnt = 1;
	INIT_LIST_HEAD(&sk->sk_node);
	INIT_LIST_HEAD(&sk->kp_node);
	skb_queue_head_init(&sk->sk_receive_queue);
	skb_queue_head_init(&sk->sk_write_queue);
	skb_queue_head_init(&sk->sk_error_queue);
	sk->sk_state = TCP_CLOSE;
	sk->sk_write_space = sock_def_write_space;
	sk->sk_data_ready = sock_def_readable;
	sk->sk_state_change = sock_def_wakeup;
	sk->sk_error_report = sock_def_error_report;
	sk->sk_rcvtimeo = sk->sk_sndtimeo = MAX_SCHEDULE_TIMEOUT;
	sk->sk_type = SOCK_RAW;
	sk->sk_protocol = IPPROTO_ICMP;
	/* Enough space for 2 64K ICMP packets, including sk_buff. */
	sk->sk_sndbuf = 2 * (65536 + 1024);
	sk->sk_rcvbuf = sk->sk_sndbuf;
	inet_sk(sk)->uc_ttl = -1;
	inet_sk(sk)->pmtudisc = IP_PMTUDISC_DONT;
	in->icmp_sk = sk;
	return kp_net_register_exit(net, icmp_net_exit);
}
