/*
 * tcp_sack.c - selective acknowledgements, RFC 2018 and 2883 (the SACK
 * parts of net/ipv4/tcp_input.c).
 *
 * Receiver: each out-of-order segment extends or starts a SACK block
 * (tcp_sack_new_ofo_skb, tcp_sack_extend, tcp_sack_maybe_coalesce), the
 * newest block first; blocks rcv_nxt has passed go (tcp_sack_remove); a
 * duplicate segment is reported in a D-SACK block (tcp_dsack_set).
 * tcp_established_options (tcp_options.c) puts them on every ACK.
 *
 * Sender: tcp_sacktag_write_queue reads the blocks of an incoming ACK
 * and marks the segments they cover TCPCB_SACKED_ACKED (sacked_out,
 * delivered), taking back a LOST or retransmitted mark, and feeds RACK
 * (tcp_recovery.c), which decides what is lost.
 *
 * Leaves out: SACK compression (Linux delays the 4th and later duplicate
 * ACKs for the same rcv_nxt by up to 1 ms; here each goes at once),
 * splitting an skb a block covers in part (kpath's sent skbs are one
 * segment each, so blocks fall on their edges), shifting and merging
 * SACKed skbs (TCPSackShifted/TCPSackMerged: kpath keeps one skb per
 * segment), reordering detection and undo from D-SACKs.
 */
#include <arpa/inet.h>
#include <string.h>

#include "engine/probe.h"
#include "net/core/net_namespace.h"
#include "sched/sched.h"
#include "tcp.h"

/* ---- receiver ---- */

static bool tcp_sack_extend(struct tcp_sack_block *sp, uint32_t seq,
			    uint32_t end_seq)
{
	if (!after(seq, sp->end_seq) && !after(sp->start_seq, end_seq)) {
		if (before(seq, sp->start_seq))
			sp->start_seq = seq;
		if (after(end_seq, sp->end_seq))
			sp->end_seq = end_seq;
		return true;
	}
	return false;
}

/* The first block grew: fold the others it now touches into it. */
static void tcp_sack_maybe_coalesce(struct tcp_sock *tp)
{
	struct tcp_sack_block *sp = &tp->selective_acks[0];
	int this_sack;

	for (this_sack = 1; this_sack < tp->rx_opt.num_sacks;) {
		struct tcp_sack_block *swalk = &tp->selective_acks[this_sack];
		if (tcp_sack_extend(sp, swalk->start_seq, swalk->end_seq)) {
			int i;
			tp->rx_opt.num_sacks--;
			for (i = this_sack; i < tp->rx_opt.num_sacks; i++)
				tp->selective_acks[i] = tp->selective_acks[i + 1];
			continue;
		}
		this_sack++;
	}
}

/* An out-of-order segment [seq, end_seq) was queued: the block it
 * extends moves to the front, else a new block goes there (the oldest
 * falls off when all four are used). */
void tcp_sack_new_ofo_skb(struct sock *sk, uint32_t seq, uint32_t end_seq)
{
	struct tcp_sock *tp = tcp_sk(sk);
	struct tcp_sack_block *sp = &tp->selective_acks[0];
	int cur_sacks = tp->rx_opt.num_sacks;
	int this_sack;

	if (!cur_sacks)
		goto new_sack;
	for (this_sack = 0; this_sack < cur_sacks; this_sack++, sp++) {
		if (tcp_sack_extend(sp, seq, end_seq)) {
			/* rotate this one to the front */
			for (; this_sack > 0; this_sack--, sp--) {
				struct tcp_sack_block tmp = *sp;
				*sp = *(sp - 1);
				*(sp - 1) = tmp;
			}
			if (cur_sacks > 1)
				tcp_sack_maybe_coalesce(tp);
			return;
		}
	}
	if (this_sack >= TCP_NUM_SACKS) {
		this_sack--;
		tp->rx_opt.num_sacks--;
		sp--;
	}
	for (; this_sack > 0; this_sack--, sp--)
		*sp = *(sp - 1);
new_sack:
	sp->start_seq = seq;
	sp->end_seq = end_seq;
	tp->rx_opt.num_sacks++;
}

/* rcv_nxt moved on: drop the blocks it now covers. */
void tcp_sack_remove(struct tcp_sock *tp)
{
	int num_sacks = tp->rx_opt.num_sacks;
	int this_sack;

	if (skb_queue_empty(&tp->out_of_order_queue)) {
		tp->rx_opt.num_sacks = 0;
		return;
	}
	for (this_sack = 0; this_sack < num_sacks;) {
		struct tcp_sack_block *sp = &tp->selective_acks[this_sack];
		if (!before(tp->rcv_nxt, sp->start_seq)) {
			int i;
			for (i = this_sack + 1; i < num_sacks; i++)
				tp->selective_acks[i - 1] = tp->selective_acks[i];
			num_sacks--;
			continue;
		}
		this_sack++;
	}
	tp->rx_opt.num_sacks = (uint8_t)num_sacks;
}

/* [seq, end_seq) arrived twice: report it in a D-SACK block (RFC 2883)
 * on the next ACK. */
void tcp_dsack_set(struct sock *sk, uint32_t seq, uint32_t end_seq)
{
	struct tcp_sock *tp = tcp_sk(sk);
	struct net *net = sock_net(sk);

	/* (net.ipv4.tcp_dsack is 1, as Linux's default: not a sysctl here) */
	if (!tcp_is_sack(tp))
		return;
	if (before(seq, tp->rcv_nxt))
		__NET_INC_STATS(net, TCPDSACKOldSent);
	else
		__NET_INC_STATS(net, TCPDSACKOfoSent);
	tp->rx_opt.dsack = 1;
	tp->duplicate_sack[0].start_seq = seq;
	tp->duplicate_sack[0].end_seq = end_seq;
}

/* ---- sender ---- */

/* Is [start, end) a block that can mark something (tcp_is_sackblock_
 * valid)?  D-SACKs below snd_una only count, they mark nothing. */
static bool tcp_is_sackblock_valid(const struct tcp_sock *tp,
				   uint32_t start_seq, uint32_t end_seq)
{
	if (after(end_seq, tp->snd_nxt) || !before(start_seq, end_seq))
		return false;
	if (!before(start_seq, tp->snd_nxt))
		return false;
	return !before(start_seq, tp->snd_una);
}

/* One segment the peer has (tcp_sacktag_one). */
static int tcp_sacktag_one(struct sock *sk, struct sk_buff *skb)
{
	struct tcp_sock *tp = tcp_sk(sk);
	struct tcp_skb_cb *scb = TCP_SKB_CB(skb);
	uint8_t sacked = scb->sacked;

	if (sacked & TCPCB_SACKED_ACKED)
		return 0;
	tcp_rack_advance(tp, sacked, scb->end_seq, scb->when);
	if (sacked & TCPCB_RETRANS) {
		/* the retransmission (or the original) got there */
		sacked &= (uint8_t)~TCPCB_RETRANS;
		if (tp->retrans_out)
			tp->retrans_out--;
	}
	if (sacked & TCPCB_LOST) {
		sacked &= (uint8_t)~TCPCB_LOST;
		if (tp->lost_out)
			tp->lost_out--;
	}
	sacked |= TCPCB_SACKED_ACKED;
	scb->sacked = sacked;
	tp->sacked_out++;
	tp->delivered++; /* tcp_count_delivered */
	return FLAG_DATA_SACKED;
}

/* The SACK blocks of @ack_skb (its cb's sacked is the option's offset
 * in the TCP header) against the retransmit queue.  Returns FLAG_*. */
int tcp_sacktag_write_queue(struct sock *sk, const struct sk_buff *ack_skb,
			    uint32_t prior_snd_una)
{
	struct tcp_sock *tp = tcp_sk(sk);
	struct net *net = sock_net(sk);
	const unsigned char *ptr =
		(const unsigned char *)tcp_hdr(ack_skb) +
		TCP_SKB_CB(ack_skb)->sacked;
	int num_sacks = (ptr[1] - TCPOLEN_SACK_BASE) / TCPOLEN_SACK_PERBLOCK;
	struct tcp_sack_block sp[TCP_NUM_SACKS];
	int i, flag = 0;

	if (num_sacks > TCP_NUM_SACKS)
		num_sacks = TCP_NUM_SACKS;
	for (i = 0; i < num_sacks; i++) {
		uint32_t v;
		memcpy(&v, ptr + 2 + i * 8, 4);
		sp[i].start_seq = ntohl(v);
		memcpy(&v, ptr + 6 + i * 8, 4);
		sp[i].end_seq = ntohl(v);
	}
	/* tcp_check_dsack: the first block below the ACK, or inside the
	 * second, reports a duplicate */
	if (num_sacks &&
	    (before(sp[0].start_seq, TCP_SKB_CB(ack_skb)->ack_seq) ||
	     (num_sacks > 1 && !after(sp[0].end_seq, sp[1].end_seq) &&
	      !before(sp[0].start_seq, sp[1].start_seq)))) {
		__NET_INC_STATS(net, TCPDSACKRecv);
		__NET_ADD_STATS(net, TCPDSACKRecvSegs, 1);
		flag |= FLAG_DSACKING_ACK;
	}
	for (i = (flag & FLAG_DSACKING_ACK) ? 1 : 0; i < num_sacks; i++) {
		struct sk_buff *skb;

		if (!tcp_is_sackblock_valid(tp, sp[i].start_seq,
					    sp[i].end_seq)) {
			__NET_INC_STATS(net, TCPSACKDiscard);
			continue;
		}
		skb_queue_walk(&sk->sk_write_queue, skb) {
			const struct tcp_skb_cb *scb = TCP_SKB_CB(skb);
			if (skb == tcp_send_head(sk) ||
			    !before(scb->seq, sp[i].end_seq))
				break;
			if (before(scb->seq, sp[i].start_seq) ||
			    after(scb->end_seq, sp[i].end_seq))
				continue; /* not wholly inside the block */
			flag |= tcp_sacktag_one(sk, skb);
		}
	}
	(void)prior_snd_una;
	return flag;
}
