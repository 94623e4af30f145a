/*
 * tcp_ack.c - TCP's ACK processing (net/ipv4/tcp_input.c): tcp_ack
 * (window update, tcp_sacktag_write_queue, clean the retransmit queue
 * with tcp_clean_rtx_queue, then the TLP ACK, tcp_fastretrans_alert,
 * congestion avoidance or PRR, the pacing rate), tcp_ack_probe for a
 * zero window, the RTT estimator and RTO (tcp_rtt_estimator,
 * tcp_set_rto, tcp_rearm_rto).  The segment that carries the ACK is
 * taken apart in tcp_input.c (tcp_rcv_established) and
 * tcp_rcv_state.c.
 *
 * Leaves out: undo, ECN, RTT samples from timestamps or SACKs (only
 * Karn's, from the retransmit queue), the windowed min_rtt filter.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <string.h>

#include "engine/probe.h"
#include "net/core/net_namespace.h"
#include "sched/sched.h"
#include "tcp.h"

/* ---- RTT and RTO ---- */

void tcp_rtt_estimator(struct sock *sk, long mrtt_us)
{
	struct tcp_sock *tp = tcp_sk(sk);
	long m = mrtt_us ? mrtt_us : 1;
	uint32_t srtt = tp->srtt_us;
	uint32_t rto_min_us = TCP_RTO_MIN_MS * 1000u;

	if (srtt) {
		m -= (long)(srtt >> 3);
		srtt += (uint32_t)m;
		if (m < 0) {
			m = -m;
			m -= (long)(tp->mdev_us >> 2);
			if (m > 0)
				m >>= 3;
		} else {
			m -= (long)(tp->mdev_us >> 2);
		}
		tp->mdev_us += (uint32_t)m;
		if (tp->mdev_us > tp->mdev_max_us) {
			tp->mdev_max_us = tp->mdev_us;
			if (tp->mdev_max_us > tp->rttvar_us)
				tp->rttvar_us = tp->mdev_max_us;
		}
		if (after(tp->snd_una, tp->rtt_seq)) {
			if (tp->mdev_max_us < tp->rttvar_us)
				tp->rttvar_us -= (tp->rttvar_us -
						  tp->mdev_max_us) >> 2;
			tp->rtt_seq = tp->snd_nxt;
			tp->mdev_max_us = rto_min_us;
		}
	} else {
		srtt = (uint32_t)m << 3;
		tp->mdev_us = (uint32_t)m << 1;
		tp->rttvar_us = tp->mdev_us > rto_min_us ? tp->mdev_us
							 : rto_min_us;
		tp->mdev_max_us = tp->rttvar_us;
		tp->rtt_seq = tp->snd_nxt;
	}
	tp->srtt_us = srtt > 1 ? srtt : 1;
	/* tcp_update_rtt_min */
	if (!tp->rtt_min || (uint32_t)mrtt_us < tp->rtt_min)
		tp->rtt_min = mrtt_us > 0 ? (uint32_t)mrtt_us : 1;
}

/* The pacing rate, bytes a second: 200 % (slow start) or 120 % of
 * cwnd * mss / srtt.  Nothing paces in kpath (no fq, no EDT): the rate
 * only sizes TSO skbs (tcp_tso_autosize).  Before an RTT sample:
 * unlimited, as Linux's initial ~0UL. */
void tcp_update_pacing_rate(struct sock *sk)
{
	struct tcp_sock *tp = tcp_sk(sk);
	const struct net *net = sock_net(sk);
	uint64_t rate = (uint64_t)tp->mss_cache * ((1000000u / 100) << 3);
	uint32_t cwnd = tp->snd_cwnd > tp->packets_out ? tp->snd_cwnd
						       : tp->packets_out;

	if (!tp->srtt_us) {
		tp->pacing_rate = UINT64_MAX;
		return;
	}
	if (tp->snd_cwnd < tp->snd_ssthresh / 2)
		rate *= (uint64_t)net->sysctl.tcp_pacing_ss_ratio;
	else
		rate *= (uint64_t)net->sysctl.tcp_pacing_ca_ratio;
	tp->pacing_rate = rate * cwnd / tp->srtt_us;
}

void tcp_set_rto(struct sock *sk)
{
	const struct tcp_sock *tp = tcp_sk(sk);
	uint32_t us = (tp->srtt_us >> 3) + tp->rttvar_us;
	unsigned long rto = (us + 999) / 1000; /* HZ = 1000: ms = jiffies */
	if (rto > TCP_RTO_MAX_MS)
		rto = TCP_RTO_MAX_MS;
	inet_csk(sk)->icsk_rto = (uint32_t)rto;
}

/* ---- ACK processing ---- */

void tcp_rearm_rto(struct sock *sk)
{
	struct inet_connection_sock *icsk = inet_csk(sk);
	unsigned long rto = icsk->icsk_rto;

	if (!tcp_sk(sk)->packets_out) {
		inet_csk_clear_xmit_timer(sk, ICSK_TIME_RETRANS);
		return;
	}
	if (icsk->icsk_pending == ICSK_TIME_REO_TIMEOUT ||
	    icsk->icsk_pending == ICSK_TIME_LOSS_PROBE) {
		/* the RTO runs from when the head was sent, not now */
		int64_t delta_us = tcp_rto_delta_us(sk);
		rto = delta_us > 1 ? (unsigned long)((delta_us + 999) / 1000)
				   : 1;
	}
	inet_csk_reset_xmit_timer(sk, ICSK_TIME_RETRANS, rto);
}

/* Free what @snd_una now covers; RTT from the first never-retransmitted
 * segment (Karn). */
static int tcp_clean_rtx_queue(struct sock *sk, int *flag)
{
	struct tcp_sock *tp = tcp_sk(sk);
	struct sk_buff *skb;
	long rtt_us = -1;
	uint32_t acked = 0;

	while ((skb = skb_peek(&sk->sk_write_queue)) != NULL &&
	       skb != tcp_send_head(sk)) {
		struct tcp_skb_cb *scb = TCP_SKB_CB(skb);
		if (after(scb->end_seq, tp->snd_una))
			break;
		if ((scb->sacked & TCPCB_LOST) && tp->lost_out)
			tp->lost_out--;
		if (scb->sacked & TCPCB_RETRANS) {
			if (tp->retrans_out)
				tp->retrans_out--;
		} else if (!(scb->sacked &
			     (TCPCB_EVER_RETRANS | TCPCB_SACKED_ACKED)) &&
			   rtt_us < 0 && scb->when) {
			rtt_us = (long)((local_clock() - scb->when) / 1000u);
		}
		if (scb->sacked & TCPCB_SACKED_ACKED) {
			/* counted as delivered when it was SACKed */
			if (tp->sacked_out)
				tp->sacked_out--;
		} else if (tcp_is_sack(tp)) {
			tp->delivered++; /* tcp_count_delivered */
			tcp_rack_advance(tp, scb->sacked, scb->end_seq,
					 scb->when);
		}
		if (scb->tcp_flags & TCPHDR_SYN)
			*flag |= FLAG_SYN_ACKED;
		else
			*flag |= FLAG_DATA_ACKED;
		tp->bytes_acked += scb->end_seq - scb->seq;
		if (tp->packets_out)
			tp->packets_out--;
		acked++;
		__skb_unlink(skb, &sk->sk_write_queue);
		kp_tcp_wmem_free_skb(sk, skb);
	}
	if (acked) {
		if (rtt_us >= 0) {
			tcp_rtt_estimator(sk, rtt_us);
			tcp_set_rto(sk);
			inet_csk(sk)->icsk_backoff = 0;
		}
		if (inet_csk(sk)->icsk_ca_ops->pkts_acked)
			inet_csk(sk)->icsk_ca_ops->pkts_acked(sk, acked,
							       rtt_us);
		*flag |= FLAG_SET_XMIT_TIMER; /* TLP or RTO, in tcp_ack */
	}
	return (int)acked;
}

static bool tcp_may_update_window(const struct tcp_sock *tp, uint32_t ack,
				  uint32_t ack_seq, uint32_t nwin)
{
	return after(ack, tp->snd_una) || after(ack_seq, tp->snd_wl1) ||
	       (ack_seq == tp->snd_wl1 && nwin > tp->snd_wnd);
}

static int tcp_ack_update_window(struct sock *sk, const struct sk_buff *skb,
				 uint32_t ack, uint32_t ack_seq)
{
	struct tcp_sock *tp = tcp_sk(sk);
	uint32_t nwin = ntohs(tcp_hdr(skb)->window);
	int flag = 0;

	if (!tcp_hdr(skb)->syn)
		nwin <<= tp->rx_opt.snd_wscale;
	if (tcp_may_update_window(tp, ack, ack_seq, nwin)) {
		if (tp->snd_wnd != nwin) {
			flag |= FLAG_WIN_UPDATE;
			tp->snd_wnd = nwin;
			if (tcp_send_head(sk))
				tcp_slow_start_after_idle_check(sk);
		}
		tp->snd_wl1 = ack_seq;
		if (nwin > tp->max_window)
			tp->max_window = nwin;
	}
	return flag;
}

/* Did the ACK open the window for the next segment?  Then stop
 * probing (the caller sends it); else probe again, backed off. */
static void tcp_ack_probe(struct sock *sk)
{
	struct inet_connection_sock *icsk = inet_csk(sk);
	const struct tcp_sock *tp = tcp_sk(sk);
	const struct sk_buff *head = tcp_send_head(sk);

	if (!after(TCP_SKB_CB(head)->end_seq, tp->snd_una + tp->snd_wnd)) {
		icsk->icsk_backoff = 0;
		inet_csk_clear_xmit_timer(sk, ICSK_TIME_PROBE0);
	} else {
		inet_csk_reset_xmit_timer(
			sk, ICSK_TIME_PROBE0,
			tcp_probe0_when(sk, msecs_to_jiffies(TCP_RTO_MAX_MS)));
	}
}

/* 0: old ACK ignored; -1: invalid (drop); 1: processed.  As Linux, an
 * ACK that advances snd_una outside the slow path is a TCPHPAcks
 * (header prediction did the checks); in the slow path a segment with
 * nothing in sequence space (no data, SYN or FIN) is a TCPPureAcks. */
int tcp_ack(struct sock *sk, const struct sk_buff *skb, int flag)
{
	struct tcp_sock *tp = tcp_sk(sk);
	struct inet_connection_sock *icsk = inet_csk(sk);
	struct net *net = sock_net(sk);
	uint32_t prior_snd_una = tp->snd_una;
	uint32_t ack_seq = TCP_SKB_CB(skb)->seq;
	uint32_t ack = TCP_SKB_CB(skb)->ack_seq;
	uint32_t prior_packets = tp->packets_out;
	uint32_t prior_delivered = tp->delivered;
	uint32_t prior_wnd = tp->snd_wnd;
	int acked = 0;
	bool is_dupack;

	if (before(ack, prior_snd_una)) {
		/* old: its SACK blocks still tell what the peer has */
		if (TCP_SKB_CB(skb)->sacked && prior_packets) {
			flag |= tcp_sacktag_write_queue(sk, skb, prior_snd_una);
			tcp_fastretrans_alert(sk, flag, 0, false);
			tcp_xmit_recovery(sk);
			__NET_ADD_STATS(net, TCPDelivered,
					tp->delivered - prior_delivered);
		}
		return 0;
	}
	if (after(ack, tp->snd_nxt))
		return -1;
	if (after(ack, prior_snd_una)) {
		flag |= FLAG_SND_UNA_ADVANCED;
		icsk->icsk_retransmits = 0;
	}
	if (flag & FLAG_UPDATE_TS_RECENT)
		tcp_store_ts_recent(tp, ack_seq);
	if (!(flag & FLAG_SLOWPATH) && after(ack, prior_snd_una)) {
		/* the window is the predicted one: a pure advance */
		tp->snd_wl1 = ack_seq;
		flag |= FLAG_WIN_UPDATE;
		__NET_INC_STATS(net, TCPHPAcks);
	} else {
		if (ack_seq != TCP_SKB_CB(skb)->end_seq)
			flag |= FLAG_DATA;
		else
			__NET_INC_STATS(net, TCPPureAcks);
		flag |= tcp_ack_update_window(sk, skb, ack, ack_seq);
		tp->snd_una = ack;
		if (TCP_SKB_CB(skb)->sacked)
			flag |= tcp_sacktag_write_queue(sk, skb, prior_snd_una);
	}
	tp->snd_una = ack;
	icsk->icsk_probes_out = 0;
	tp->rcv_tstamp = (uint32_t)jiffies;
	if (!prior_packets) {
		/* no_queue: an ACK that opens a zero window */
		if (tcp_send_head(sk))
			tcp_ack_probe(sk);
		if (tp->tlp_high_seq)
			tcp_process_tlp_ack(sk, ack, flag);
		return 1;
	}

	acked = tcp_clean_rtx_queue(sk, &flag);
	is_dupack = !(flag & (FLAG_SND_UNA_ADVANCED | FLAG_DATA)) &&
		    tp->snd_wnd == prior_wnd && !(flag & FLAG_WIN_UPDATE);
	if (tp->tlp_high_seq)
		tcp_process_tlp_ack(sk, ack, flag);
	if (tcp_fastretrans_alert(sk, flag, acked, is_dupack))
		flag &= ~FLAG_SET_XMIT_TIMER; /* RACK armed its timer */
	if (flag & FLAG_SET_XMIT_TIMER)
		tcp_set_xmit_timer(sk);
	/* tcp_cong_control: PRR while recovering, else grow */
	if (tcp_in_cwnd_reduction(sk))
		tcp_cwnd_reduction(sk, (int)(tp->delivered - prior_delivered),
				   flag);
	/* (both grow by acked_sacked, the segments newly delivered: those
	 * SACKed before count at their SACK, not again at the ACK) */
	else if ((flag & FLAG_DATA_ACKED) &&
		 icsk->icsk_ca_state <= TCP_CA_Disorder &&
		 tp->snd_cwnd < tp->snd_cwnd_clamp && tcp_is_cwnd_limited(tp))
		icsk->icsk_ca_ops->cong_avoid(sk, ack,
					      tp->delivered - prior_delivered);
	else if ((flag & FLAG_DATA_ACKED) &&
		 icsk->icsk_ca_state == TCP_CA_Loss)
		tcp_slow_start(tp, tp->delivered - prior_delivered);
	tcp_update_pacing_rate(sk); /* (tcp_cong_control) */
	tcp_xmit_recovery(sk);
	/* tcp_newly_delivered */
	__NET_ADD_STATS(net, TCPDelivered, tp->delivered - prior_delivered);
	return 1;
}
