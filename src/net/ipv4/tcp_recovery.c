/*
 * tcp_recovery.c - what TCP does about lost segments (the loss half of
 * net/ipv4/tcp_input.c, where Linux keeps it; tcp_recovery.c is its
 * RACK file): duplicate ACKs counted Reno-style, fast retransmit and
 * NewReno recovery (tcp_fastretrans_alert, tcp_enter_recovery), the
 * RTO's loss state (tcp_enter_loss) and resending what is marked lost
 * as the congestion window allows (tcp_xmit_retransmit_queue).
 *
 * Leaves out: SACK and RACK loss detection, PRR, undo (spurious
 * retransmission detection), F-RTO.
 */
#include "engine/probe.h"
#include "net/core/net_namespace.h"
#include "tcp.h"

static void tcp_mark_head_lost(struct sock *sk)
{
	struct sk_buff *head = skb_peek(&sk->sk_write_queue);
	if (head && head != tcp_send_head(sk) &&
	    !(TCP_SKB_CB(head)->sacked & TCPCB_LOST)) {
		TCP_SKB_CB(head)->sacked |= TCPCB_LOST;
		tcp_sk(sk)->lost_out++;
	}
}

/* Retransmit segments marked lost, as the congestion window allows
 * (@force: the first one goes regardless - fast retransmit). */
static void tcp_xmit_retransmit_queue(struct sock *sk, bool force)
{
	struct tcp_sock *tp = tcp_sk(sk);
	struct sk_buff *skb, *tmp;

	skb_queue_walk_safe(&sk->sk_write_queue, skb, tmp) {
		uint8_t sacked = TCP_SKB_CB(skb)->sacked;
		uint32_t in_flight;
		if (skb == tcp_send_head(sk))
			break;
		if (!(sacked & TCPCB_LOST) || (sacked & TCPCB_RETRANS))
			continue;
		in_flight = tcp_packets_in_flight(tp);
		if (!force && in_flight >= tp->snd_cwnd)
			break;
		force = false;
		if (tcp_retransmit_skb(sk, skb))
			break;
	}
}

static void tcp_set_ca_state(struct sock *sk, uint8_t state)
{
	struct inet_connection_sock *icsk = inet_csk(sk);
	if (icsk->icsk_ca_ops->set_state)
		icsk->icsk_ca_ops->set_state(sk, state);
	icsk->icsk_ca_state = state;
}

static void tcp_enter_recovery(struct sock *sk)
{
	struct tcp_sock *tp = tcp_sk(sk);
	struct inet_connection_sock *icsk = inet_csk(sk);

	__NET_INC_STATS(sock_net(sk), TCPRenoRecovery);
	__NET_INC_STATS(sock_net(sk), TCPFastRetrans);
	tp->prior_cwnd = tp->snd_cwnd;
	tp->snd_ssthresh = icsk->icsk_ca_ops->ssthresh(sk);
	tp->high_seq = tp->snd_nxt;
	tcp_set_ca_state(sk, TCP_CA_Recovery);
	/* RFC 6582 NewReno with the window set to ssthresh at once
	 * (Linux does PRR) */
	tp->snd_cwnd = tp->snd_ssthresh;
	tcp_mark_head_lost(sk);
	tcp_xmit_retransmit_queue(sk, true);
}

/* Duplicate ACKs, recovery and its end (tcp_fastretrans_alert, Reno:
 * each duplicate ACK counts as one segment that left the network). */
void tcp_fastretrans_alert(struct sock *sk, int flag, int acked,
				  bool is_dupack)
{
	struct tcp_sock *tp = tcp_sk(sk);
	struct inet_connection_sock *icsk = inet_csk(sk);

	/* tcp_add_reno_sack + tcp_limit_reno_sacked */
	if (is_dupack && tp->sacked_out + tp->lost_out + 1 < tp->packets_out)
		tp->sacked_out++;
	if (flag & FLAG_SND_UNA_ADVANCED)
		tp->sacked_out = tp->sacked_out > (uint32_t)acked
					 ? tp->sacked_out - (uint32_t)acked
					 : 0;

	if (icsk->icsk_ca_state == TCP_CA_Recovery ||
	    icsk->icsk_ca_state == TCP_CA_Loss) {
		if (!before(tp->snd_una, tp->high_seq)) {
			/* everything outstanding at the start is acked */
			tcp_set_ca_state(sk, TCP_CA_Open);
			tp->sacked_out = 0;
			if (tp->snd_cwnd > tp->snd_ssthresh &&
			    tp->snd_ssthresh < TCP_INFINITE_SSTHRESH)
				tp->snd_cwnd = tp->snd_ssthresh;
			return;
		}
		if (icsk->icsk_ca_state == TCP_CA_Recovery &&
		    (flag & FLAG_SND_UNA_ADVANCED))
			/* partial ACK: the next hole goes now */
			tcp_mark_head_lost(sk);
		tcp_xmit_retransmit_queue(sk, false);
		return;
	}
	if (tp->sacked_out >= 3)
		tcp_enter_recovery(sk);
}

/* RTO expiry: everything in flight counts as lost and goes again from
 * snd_una in slow start, as the window opens (tcp_xmit_retransmit_queue
 * from tcp_ack). */
void tcp_enter_loss(struct sock *sk)
{
	struct tcp_sock *tp = tcp_sk(sk);
	struct inet_connection_sock *icsk = inet_csk(sk);
	struct sk_buff *skb;

	if (icsk->icsk_ca_state <= TCP_CA_Disorder ||
	    tp->snd_una == tp->high_seq) {
		tp->prior_cwnd = tp->snd_cwnd;
		tp->snd_ssthresh = icsk->icsk_ca_ops->ssthresh(sk);
	}
	tp->snd_cwnd = 1;
	tp->snd_cwnd_cnt = 0;
	tp->high_seq = tp->snd_nxt;
	icsk->icsk_ca_state = TCP_CA_Loss;
	if (icsk->icsk_ca_ops->set_state)
		icsk->icsk_ca_ops->set_state(sk, TCP_CA_Loss);
	tp->sacked_out = tp->retrans_out = tp->lost_out = 0;
	skb_queue_walk(&sk->sk_write_queue, skb) {
		if (skb == tcp_send_head(sk))
			break;
		TCP_SKB_CB(skb)->sacked &= (uint8_t)~TCPCB_RETRANS;
		TCP_SKB_CB(skb)->sacked |= TCPCB_LOST;
		tp->lost_out++;
	}
}

/* After an RTO: the head again, now (tcp_retransmit_timer). */
void tcp_retransmit_lost_head(struct sock *sk)
{
	tcp_xmit_retransmit_queue(sk, true);
}
