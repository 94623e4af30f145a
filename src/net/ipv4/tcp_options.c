/*
 * tcp_options.c - the TCP options kpath sends (net/ipv4/tcp_output.c):
 * tcp_syn_options for a SYN, tcp_established_options for every other
 * segment, tcp_options_write laying them out in Linux's order, and
 * tcp_push_header putting header and options in front of a segment.
 *
 * Leaves out: MD5, TCP-AO, Fast Open cookies, MPTCP, ECN negotiation.
 */
#include <arpa/inet.h>
#include <string.h>

#include "net/core/net_namespace.h"
#include "tcp.h"

unsigned int tcp_syn_options(struct sock *sk, struct tcp_out_options *opts)
{
	struct tcp_sock *tp = tcp_sk(sk);
	struct net *net = sock_net(sk);
	unsigned int size = TCPOLEN_MSS;

	opts->options = OPTION_MSS;
	opts->mss = (uint16_t)tp->rx_opt.mss_clamp;
	if (net->sysctl.tcp_timestamps) {
		opts->options |= OPTION_TS;
		opts->tsval = tcp_time_stamp(tp);
		opts->tsecr = tp->rx_opt.ts_recent;
		size += TCPOLEN_TSTAMP_ALIGNED;
	}
	if (net->sysctl.tcp_window_scaling) {
		opts->ws = tp->rx_opt.rcv_wscale;
		opts->options |= OPTION_WSCALE;
		size += 4;
	}
	if (net->sysctl.tcp_sack) {
		opts->options |= OPTION_SACK_ADVERTISE;
		if (!(opts->options & OPTION_TS))
			size += 4;
	}
	return size;
}

/* Timestamps, and the SACK blocks (a D-SACK first) in the room left:
 * three with timestamps, four without. */
unsigned int tcp_established_options(struct sock *sk,
				     struct tcp_out_options *opts)
{
	struct tcp_sock *tp = tcp_sk(sk);
	unsigned int size = 0, eff_sacks, n = 0, i;

	opts->options = 0;
	opts->num_sack_blocks = 0;
	opts->dsack = 0;
	if (tp->rx_opt.tstamp_ok) {
		opts->options |= OPTION_TS;
		opts->tsval = tcp_time_stamp(tp);
		opts->tsecr = tp->rx_opt.ts_recent;
		size += TCPOLEN_TSTAMP_ALIGNED;
	}
	eff_sacks = tp->rx_opt.num_sacks + tp->rx_opt.dsack;
	if (eff_sacks) {
		unsigned int remaining = MAX_TCP_OPTION_SPACE - size;
		unsigned int room = (remaining - TCPOLEN_SACK_BASE_ALIGNED) /
				    TCPOLEN_SACK_PERBLOCK;
		if (eff_sacks > room)
			eff_sacks = room;
		if (tp->rx_opt.dsack && n < eff_sacks) {
			opts->sacks[n++] = tp->duplicate_sack[0];
			opts->dsack = 1;
		}
		for (i = 0; i < tp->rx_opt.num_sacks && n < eff_sacks; i++)
			opts->sacks[n++] = tp->selective_acks[i];
		opts->num_sack_blocks = (uint8_t)n;
		size += TCPOLEN_SACK_BASE_ALIGNED + n * TCPOLEN_SACK_PERBLOCK;
	}
	return size;
}

static void put32(unsigned char **p, uint32_t v)
{
	v = htonl(v);
	memcpy(*p, &v, 4);
	*p += 4;
}

/* In Linux's order: MSS, SACK_PERM+TS (or NOP NOP TS), NOP+WS. */
void tcp_options_write(unsigned char *p,
			      const struct tcp_out_options *opts)
{
	uint16_t o = opts->options;
	if (o & OPTION_MSS)
		put32(&p, (TCPOPT_MSS << 24) | (TCPOLEN_MSS << 16) | opts->mss);
	if (o & OPTION_TS) {
		if (o & OPTION_SACK_ADVERTISE)
			put32(&p, (TCPOPT_SACK_PERM << 24) |
					  (TCPOLEN_SACK_PERM << 16) |
					  (TCPOPT_TIMESTAMP << 8) |
					  TCPOLEN_TIMESTAMP);
		else
			put32(&p, (TCPOPT_NOP << 24) | (TCPOPT_NOP << 16) |
					  (TCPOPT_TIMESTAMP << 8) |
					  TCPOLEN_TIMESTAMP);
		put32(&p, opts->tsval);
		put32(&p, opts->tsecr);
	}
	if ((o & OPTION_SACK_ADVERTISE) && !(o & OPTION_TS))
		put32(&p, (TCPOPT_NOP << 24) | (TCPOPT_NOP << 16) |
				  (TCPOPT_SACK_PERM << 8) | TCPOLEN_SACK_PERM);
	if (o & OPTION_WSCALE)
		put32(&p, (TCPOPT_NOP << 24) | (TCPOPT_WINDOW << 16) |
				  (TCPOLEN_WINDOW << 8) | opts->ws);
	if (opts->num_sack_blocks) {
		put32(&p, (TCPOPT_NOP << 24) | (TCPOPT_NOP << 16) |
				  (TCPOPT_SACK << 8) |
				  (TCPOLEN_SACK_BASE +
				   opts->num_sack_blocks * TCPOLEN_SACK_PERBLOCK));
		for (unsigned int i = 0; i < opts->num_sack_blocks; i++) {
			put32(&p, opts->sacks[i].start_seq);
			put32(&p, opts->sacks[i].end_seq);
		}
	}
}

/* Push a TCP header for the cb's seq/flags onto @skb. */
struct tcphdr *tcp_push_header(struct sk_buff *skb, uint16_t sport,
				      uint16_t dport, uint32_t ack_seq,
				      uint16_t window,
				      const struct tcp_out_options *opts,
				      unsigned int opts_size)
{
	const struct tcp_skb_cb *tcb = TCP_SKB_CB(skb);
	unsigned int hlen = sizeof(struct tcphdr) + opts_size;
	struct tcphdr *th;

	skb_push(skb, hlen);
	skb_reset_transport_header(skb);
	th = (struct tcphdr *)skb->data;
	memset(th, 0, hlen);
	th->source = sport;
	th->dest = dport;
	th->seq = htonl(tcb->seq);
	th->ack_seq = htonl(ack_seq);
	((uint16_t *)th)[6] = htons((uint16_t)(((hlen >> 2) << 12) |
					       tcb->tcp_flags));
	th->window = htons(window);
	tcp_options_write((unsigned char *)(th + 1), opts);
	return th;
}

