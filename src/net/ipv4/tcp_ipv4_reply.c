/*
 * tcp_ipv4_reply.c - the segments TCP sends without a full socket
 * (net/ipv4/tcp_ipv4.c, net/ipv4/ip_output.c): tcp_v4_send_reset (a RST
 * for a segment no socket wants), tcp_v4_send_ack (the ACK a pending
 * request answers an out-of-window segment with), both through
 * ip_send_unicast_reply, and tcp_v4_send_synack (route the request
 * first, tcp_make_synack, ip_build_and_send_pkt).
 *
 * As Linux: the route is looked up before anything is built, and a
 * reply with no route is silently not sent; replies leave from the
 * per-net control socket, so DF is set (IP_PMTUDISC_DO), the IP id is
 * 0, the TTL is ip_default_ttl and the TOS echoes the segment's.
 * Departures: kpath has no control socket (the reply skb has no owner);
 * ip_send_unicast_reply builds one linear skb (no ip_append_data), and
 * lives here with its only callers rather than in ip_output.c.  No IP
 * options echo, MD5/AO signatures, or per-socket mark/priority.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <string.h>

#include "engine/probe.h"
#include "net/core/net_namespace.h"
#include "net/ipv4/ip_output.h"
#include "sched/sched.h"
#include "tcp.h"

/* ETH_P_IP (skb->protocol of a built packet) */
#ifndef KP_ETH_P_IP
#define KP_ETH_P_IP 0x0800
#endif

/* What tcp_v4_send_reset / tcp_v4_send_ack hand ip_send_unicast_reply
 * (struct ip_reply_arg): the TCP header with options, its checksum
 * still to do. */
struct ip_reply_arg {
	unsigned char data[sizeof(struct tcphdr) + TCPOLEN_TSTAMP_ALIGNED];
	unsigned int len;
	uint8_t tos;
};

/* A new skb holding @arg's TCP segment, its transport header set. */
static struct sk_buff *reply_segment_skb(struct net *net,
					 const struct ip_reply_arg *arg)
{
	struct sk_buff *nskb = alloc_skb(net, MAX_TCP_HEADER + arg->len);
	if (!nskb)
		return NULL;
	skb_reserve(nskb, MAX_TCP_HEADER);
	memcpy(skb_put(nskb, arg->len), arg->data, arg->len);
	skb_reset_transport_header(nskb);
	return nskb;
}

/* Send the TCP segment of @arg back to where @skb came from: route
 * first (no route: nothing is sent), then one skb with an IP header as
 * the control socket's, ip_local_out. */
static void ip_send_unicast_reply(struct sk_buff *skb,
				  const struct ip_reply_arg *arg)
{
	KP_FUNC(ip_send_unicast_reply, skb);
	const struct iphdr *oiph = ip_hdr(skb);
	const struct tcphdr *oth = tcp_hdr(skb);
	struct net *net = skb->net;
	uint32_t daddr = oiph->saddr, saddr = oiph->daddr;
	struct flowi4 fl4 = { 0 };
	struct rtable *rt;
	struct sk_buff *nskb;
	struct tcphdr *th;
	struct iphdr *iph;

	if (net->tcp && net->tcp->kp_xmit) {
		/* unit tests: the segment alone, no route */
		nskb = reply_segment_skb(net, arg);
		if (!nskb)
			return;
		net->tcp->kp_xmit(NULL, nskb, saddr, daddr);
		return;
	}
	fl4.daddr = daddr;
	fl4.saddr = saddr;
	fl4.flowi4_proto = IPPROTO_TCP;
	fl4.fl4_dport = oth->source;
	fl4.fl4_sport = oth->dest;
	if (kp_ip_route_output_key(net, &fl4, &rt))
		return;

	nskb = reply_segment_skb(net, arg);
	if (!nskb)
		return;
	th = tcp_hdr(nskb);
	th->check = 0;
	th->check = kp_tcp_v4_csum(nskb, 0, nskb->len, saddr, daddr);
	nskb->ip_summed = CHECKSUM_NONE;

	skb_push(nskb, sizeof(struct iphdr));
	skb_reset_network_header(nskb);
	iph = ip_hdr(nskb);
	memset(iph, 0, sizeof(*iph));
	iph->version = 4;
	iph->ihl = 5;
	iph->tos = arg->tos;
	iph->frag_off = htons(IP_DF); /* the control socket: PMTUDISC_DO */
	iph->id = 0;                  /* DF and no connection: id 0 */
	iph->ttl = (uint8_t)ip_select_ttl(NULL, &rt->dst);
	iph->protocol = IPPROTO_TCP;
	iph->saddr = saddr;
	iph->daddr = daddr;
	nskb->protocol = KP_ETH_P_IP;
	skb_dst_set(nskb, &rt->dst);
	ip_local_out(net, NULL, nskb);
}

/* A RST answering @skb (@sk: the socket that found it wrong, or NULL). */
void tcp_v4_send_reset(struct sock *sk, struct sk_buff *skb)
{
	KP_FUNC(tcp_v4_send_reset, skb);
	const struct tcphdr *th = tcp_hdr(skb);
	struct net *net = skb->net;
	struct ip_reply_arg arg;
	struct tcphdr *rep = (struct tcphdr *)arg.data;
	const struct rtable *in_rt = skb_rtable(skb);

	if (th->rst)
		return; /* never answer a RST */
	/* not addressed to this host (a forwarded or broadcast segment) */
	if (!sk && in_rt && in_rt->rt_type != RTN_LOCAL)
		return;

	memset(&arg, 0, sizeof(arg));
	rep->dest = th->source;
	rep->source = th->dest;
	rep->doff = sizeof(struct tcphdr) / 4;
	rep->rst = 1;
	if (th->ack) {
		rep->seq = th->ack_seq;
	} else {
		rep->ack = 1;
		rep->ack_seq = htonl(ntohl(th->seq) + th->syn + th->fin +
				     skb->len - __tcp_hdrlen(th));
	}
	arg.len = sizeof(struct tcphdr);
	arg.tos = ip_hdr(skb)->tos;
	ip_send_unicast_reply(skb, &arg);
	__TCP_INC_STATS(net, OutSegs);
	__TCP_INC_STATS(net, OutRsts);
}

/* An ACK with no full socket behind it (a request answering a segment
 * outside its window: tcp_v4_reqsk_send_ack). */
void tcp_v4_send_ack(struct sk_buff *skb, uint32_t seq, uint32_t ack,
		     uint32_t win, uint32_t tsval, uint32_t tsecr, bool ts)
{
	const struct tcphdr *th = tcp_hdr(skb);
	struct net *net = skb->net;
	struct ip_reply_arg arg;
	struct tcphdr *rep = (struct tcphdr *)arg.data;

	memset(&arg, 0, sizeof(arg));
	rep->dest = th->source;
	rep->source = th->dest;
	rep->seq = htonl(seq);
	rep->ack_seq = htonl(ack);
	rep->ack = 1;
	rep->window = htons((uint16_t)(win > 65535u ? 65535u : win));
	arg.len = sizeof(struct tcphdr);
	if (ts) {
		struct tcp_out_options opts;
		memset(&opts, 0, sizeof(opts));
		opts.options = OPTION_TS;
		opts.tsval = tsval;
		opts.tsecr = tsecr;
		tcp_options_write((unsigned char *)(rep + 1), &opts);
		arg.len += TCPOLEN_TSTAMP_ALIGNED;
	}
	rep->doff = (uint16_t)(arg.len / 4);
	arg.tos = ip_hdr(skb)->tos;
	ip_send_unicast_reply(skb, &arg);
	__TCP_INC_STATS(net, OutSegs);
}

/* The SYN-ACK of @req: its route first (none: OutNoRoutes, nothing
 * built), then tcp_make_synack and ip_build_and_send_pkt. */
int tcp_v4_send_synack(const struct sock *sk, struct request_sock *req)
{
	struct net *net = sock_net(sk);
	struct flowi4 fl4 = { 0 };
	struct rtable *rt = NULL;
	struct sk_buff *skb;
	struct tcphdr *th;

	if (!(net->tcp && net->tcp->kp_xmit) &&
	    ip_route_output_ports(net, &fl4, sk, req->ir_rmt_addr,
				  req->ir_loc_addr, req->ir_rmt_port,
				  htons(req->ir_num), IPPROTO_TCP,
				  inet_sk(sk)->tos, 0, &rt))
		return -EHOSTUNREACH; /* inet_csk_route_req: OutNoRoutes */
	/* dst_metric_advmss: the route's MTU less the IP and TCP headers */
	skb = tcp_make_synack(sk, rt ? dst_mtu(&rt->dst) - 40 : 1460, req);
	if (!skb)
		return -ENOMEM;
	if (!req->snt_synack)
		req->snt_synack = local_clock(); /* the first SYN-ACK */
	th = tcp_hdr(skb);
	th->check = 0;
	th->check = kp_tcp_v4_csum(skb, 0, skb->len, req->ir_loc_addr,
				   req->ir_rmt_addr);
	__TCP_INC_STATS(net, OutSegs);
	if (net->tcp && net->tcp->kp_xmit)
		return net->tcp->kp_xmit((struct sock *)sk, skb,
					 req->ir_loc_addr, req->ir_rmt_addr);
	skb_dst_set(skb, &rt->dst);
	return ip_build_and_send_pkt(skb, sk, req->ir_loc_addr,
				     req->ir_rmt_addr);
}
