/*
 * icmp.c - ICMP (net/ipv4/icmp.c, with inet_peer's rate limit from
 * net/ipv4/inetpeer.c).
 *
 * icmp_rcv validates the checksum, counts the message (IcmpInMsgs, the
 * per-type IcmpIn* counter and IcmpMsg InTypeN) and calls the type's
 * handler from icmp_pointers[], as Linux.  Error messages (unreachable,
 * time exceeded, ...) are passed to the err_handler of the protocol of
 * the packet they quote (icmp_unreach -> icmp_socket_deliver).
 *
 * Sending: icmp_echo -> icmp_reply answers echo requests; icmp_send
 * (__icmp_send) reports errors about a packet to its source.  Both
 * build the message with ip_make_skb on the stack's ICMP socket and send
 * it with ip_send_skb.  Rate limits are current Linux's: the host-wide
 * token bucket icmp_global_allow (icmp_msgs_per_sec, icmp_msgs_burst,
 * a random 0-2 credits consumed per message; OutRateLimitGlobal) and
 * the per-destination inet_peer bucket icmpv4_xrlim_allow
 * (icmp_ratelimit ms, burst 6; OutRateLimitHost), both only for types
 * in icmp_ratemask.
 *
 * Leaves out: IP options echo, timestamp replies (counted and consumed),
 * redirects (counted and ignored), xfrm relookups,
 * icmp_errors_use_inbound_ifaddr (always 0), l3mdev.
 */
#include "icmp.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "engine/prng.h"
#include "engine/probe.h"
#include "ip.h"
#include "ip_output.h"
#include "ping.h"
#include "net/core/net_namespace.h"
#include "net/core/netdevice.h"
#include "net/core/sock.h"
#include "route.h"
#include "sched/sched.h"
#include "sched/timer.h"

/* What an ICMP message is built from (struct icmp_bxm). */
struct icmp_bxm {
	struct sk_buff *skb; /* the packet quoted or echoed */
	int offset;          /* where its quoted bytes start, from data */
	int data_len;
	int head_len;
	struct icmphdr icmph;
};

#define IPTOS_PREC_INTERNETCONTROL 0xc0
#define INADDR_DUMMY_BE htonl(0xc0000008) /* 192.0.0.8 */
#define XRLIM_BURST_FACTOR 6
/* Linux's jiffies start 5 minutes before wrapping; the buckets compare
 * against stamps that start at 0, so kpath counts from there too. */
#define INITIAL_JIFFIES ((unsigned long)(unsigned int)(-300 * HZ))

static unsigned long icmp_jiffies(void)
{
	return jiffies + INITIAL_JIFFIES;
}

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

static void icmp_reply(struct icmp_bxm *icmp_param, struct sk_buff *skb);

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

/* ---- send side ---- */

/* The Icmp Out* counter of each type (icmpmibmap). */
static int icmp_out_mib(uint8_t type)
{
	switch (type) {
	case ICMP_DEST_UNREACH: return KP_MIB_Icmp_OutDestUnreachs;
	case ICMP_TIME_EXCEEDED: return KP_MIB_Icmp_OutTimeExcds;
	case ICMP_PARAMETERPROB: return KP_MIB_Icmp_OutParmProbs;
	case ICMP_SOURCE_QUENCH: return KP_MIB_Icmp_OutSrcQuenchs;
	case ICMP_REDIRECT: return KP_MIB_Icmp_OutRedirects;
	case ICMP_ECHO: return KP_MIB_Icmp_OutEchos;
	case ICMP_ECHOREPLY: return KP_MIB_Icmp_OutEchoReps;
	case ICMP_TIMESTAMP: return KP_MIB_Icmp_OutTimestamps;
	case ICMP_TIMESTAMPREPLY: return KP_MIB_Icmp_OutTimestampReps;
	case ICMP_ADDRESS: return KP_MIB_Icmp_OutAddrMasks;
	case ICMP_ADDRESSREPLY: return KP_MIB_Icmp_OutAddrMaskReps;
	default: return -1;
	}
}

void icmp_out_count(struct net *net, unsigned char type)
{
	int mib = icmp_out_mib(type);
	net->icmpmsg_out[type]++;
	__ICMP_INC_STATS(net, OutMsgs);
	if (mib >= 0)
		__KP_INC_STATS(net, mib);
}

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
	sk->kp.kind = KP_OBJ_SOCK;
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

struct inet_peer *inet_getpeer_v4(struct net *net, uint32_t daddr,
				  int create)
{
	struct inet_peer *p;
	list_for_each_entry(p, &net->icmp->peers, list)
		if (p->daddr == daddr)
			return p;
	if (!create)
		return NULL;
	p = calloc(1, sizeof(*p));
	if (!p)
		return NULL;
	p->daddr = daddr;
	p->rate_tokens = 0;
	/* 60*HZ is arbitrary, but chosen enough high so that the first
	 * calculation of tokens is at its maximum. */
	p->rate_last = icmp_jiffies() - 60 * HZ;
	list_add_tail(&p->list, &net->icmp->peers);
	return p;
}

bool inet_peer_xrlim_allow(struct inet_peer *peer, int timeout)
{
	unsigned long now, token, delta;
	bool rc = false;

	if (!peer)
		return true;
	token = peer->rate_tokens;
	now = icmp_jiffies();
	delta = now - peer->rate_last;
	if (delta) {
		peer->rate_last = now;
		token += delta;
		if (token > XRLIM_BURST_FACTOR * (unsigned long)timeout)
			token = XRLIM_BURST_FACTOR * (unsigned long)timeout;
	}
	if (token >= (unsigned long)timeout) {
		token -= (unsigned long)timeout;
		rc = true;
	}
	peer->rate_tokens = token;
	return rc;
}

bool icmp_global_allow(struct net *net)
{
	struct kp_icmp_net *in = net->icmp;
	uint32_t delta, now, oldstamp;
	int incr;

	if (in->icmp_global_credit > 0)
		return true;
	now = (uint32_t)icmp_jiffies();
	oldstamp = in->icmp_global_stamp;
	delta = now - oldstamp < HZ ? now - oldstamp : HZ;
	if (delta < HZ / 50)
		return false;
	incr = (int)((long)net->sysctl.icmp_msgs_per_sec * delta / HZ);
	if (!incr)
		return false;
	in->icmp_global_stamp = now;
	in->icmp_global_credit += incr;
	if (in->icmp_global_credit > (int)net->sysctl.icmp_msgs_burst)
		in->icmp_global_credit = (int)net->sysctl.icmp_msgs_burst;
	return true;
}

/* One credit in average, random for security reasons (this can make the
 * credit negative, as in Linux). */
static void icmp_global_consume(struct net *net)
{
	int credits = (int)kp_prng_below(&kp_current_world()->prng, 3);
	if (credits)
		net->icmp->icmp_global_credit -= credits;
}

static bool icmpv4_mask_allow(struct net *net, int type, int code)
{
	if (type > NR_ICMP_TYPES)
		return true;
	/* Don't limit PMTU discovery. */
	if (type == ICMP_DEST_UNREACH && code == ICMP_FRAG_NEEDED)
		return true;
	/* Limit if icmp type is enabled in ratemask. */
	if (!((1 << type) & net->sysctl.icmp_ratemask))
		return true;
	return false;
}

static bool icmpv4_global_allow(struct net *net, int type, int code,
				bool *apply_ratelimit)
{
	if (icmpv4_mask_allow(net, type, code))
		return true;
	if (icmp_global_allow(net)) {
		*apply_ratelimit = true;
		return true;
	}
	__ICMP_INC_STATS(net, OutRateLimitGlobal);
	return false;
}

static bool icmpv4_xrlim_allow(struct net *net, struct rtable *rt,
			       struct flowi4 *fl4, int type, int code,
			       bool apply_ratelimit)
{
	struct net_device *dev = rt->dst.dev;
	int peer_timeout;
	bool rc = true;
	(void)type;
	(void)code;

	if (!apply_ratelimit)
		return true;
	/* icmp_ratelimit is in ms; HZ = 1000 makes that jiffies */
	peer_timeout = (int)msecs_to_jiffies(
		(unsigned int)net->sysctl.icmp_ratelimit);
	if (peer_timeout && !(dev && (dev->flags & IFF_LOOPBACK))) {
		struct inet_peer *peer = inet_getpeer_v4(net, fl4->daddr, 1);
		rc = inet_peer_xrlim_allow(peer, peer_timeout);
	}
	if (!rc)
		__ICMP_INC_STATS(net, OutRateLimitHost);
	else
		icmp_global_consume(net);
	return rc;
}

/* Internet checksum of @len bytes, as stored in a header field. */
static uint16_t icmp_csum(const unsigned char *buf, size_t len)
{
	uint32_t sum = 0;
	size_t i;
	for (i = 0; i + 1 < len; i += 2) {
		uint16_t w;
		memcpy(&w, buf + i, 2);
		sum += w;
	}
	if (len & 1) {
		unsigned char last[2] = { buf[len - 1], 0 };
		uint16_t w;
		memcpy(&w, last, 2);
		sum += w;
	}
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

/* The message (header + quoted bytes) into one buffer, checksummed,
 * then ip_make_skb + ip_send_skb on the ICMP socket. */
static void icmp_push_reply(struct sock *sk, struct icmp_bxm *icmp_param,
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
	((struct icmphdr *)buf)->checksum = icmp_csum(buf, len);

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
	if (icmp_pointers[type].error && iph->protocol == IPPROTO_ICMP) {
		const unsigned char *itp =
			skb_network_header(skb_in) + iph->ihl * 4u;
		if (itp + 1 > skb_tail_pointer(skb_in))
			return;
		/* Assume any unknown ICMP type is an error. */
		if (*itp > NR_ICMP_TYPES || icmp_pointers[*itp].error)
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
	tos = icmp_pointers[type].error
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
