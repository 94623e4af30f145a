/*
 * tcp_recovery.c - what TCP does about lost segments (the loss half of
 * net/ipv4/tcp_input.c, where Linux keeps it, and net/ipv4/
 * tcp_recovery.c, its RACK file): loss detection - RACK with SACK
 * (tcp_rack_advance, tcp_rack_mark_lost), duplicate ACKs counted
 * Reno-style without it (tcp_add_reno_sack, tcp_remove_reno_sacks) -
 * fast recovery (tcp_fastretrans_alert, tcp_enter_recovery, NewReno's
 * partial ACKs), the RTO's loss state (tcp_enter_loss) and resending
 * what is marked lost, holes only, as the congestion window allows
 * (tcp_xmit_retransmit_queue).
 *
 * RACK waits a reordering window (min_rtt/4, 0 once dupthresh segments
 * are SACKed or while recovering) before it counts a hole lost, and
 * arms the retransmit timer as ICSK_TIME_REO_TIMEOUT for what waits
 * (tcp_rack_reo_timeout).  The tail loss probe is in tcp_tlp.c.
 *
 * Leaves out: reordering detection (reord_seen, tp->reordering,
 * reo_wnd_steps growth), undo (spurious retransmission detection),
 * F-RTO.
 * PRR (tcp_cwnd_reduction) brings cwnd down to ssthresh while
 * recovering.
 */
#include "engine/probe.h"
#include "net/core/net_namespace.h"
#include "sched/sched.h"
#include "tcp.h"

#define TCP_FASTRETRANS_THRESH 3

/* ---- marking ---- */

static void tcp_mark_skb_lost(struct sock *sk, struct sk_buff *skb)
{
	struct tcp_sock *tp = tcp_sk(sk);
	uint8_t sacked = TCP_SKB_CB(skb)->sacked;

	if (sacked & TCPCB_SACKED_ACKED)
		return;
	if (sacked & TCPCB_LOST) {
		/* Account for retransmits that are lost again */
		if (sacked & TCPCB_RETRANS) {
			TCP_SKB_CB(skb)->sacked =
				sacked & (uint8_t)~TCPCB_RETRANS;
			if (tp->retrans_out)
				tp->retrans_out--;
			__NET_INC_STATS(sock_net(sk), TCPLostRetransmit);
		}
		return;
	}
	if (sacked & TCPCB_RETRANS) {
		/* the retransmission is lost too */
		sacked &= (uint8_t)~TCPCB_RETRANS;
		if (tp->retrans_out)
			tp->retrans_out--;
		__NET_INC_STATS(sock_net(sk), TCPLostRetransmit);
	}
	TCP_SKB_CB(skb)->sacked = sacked | TCPCB_LOST;
	tp->lost_out++;
}

static void tcp_mark_head_lost(struct sock *sk)
{
	struct sk_buff *head = skb_peek(&sk->sk_write_queue);
	if (head && head != tcp_send_head(sk))
		tcp_mark_skb_lost(sk, head);
}

/* RACK: @sacked/@end_seq/@xmit_time of a segment just delivered (SACKed
 * or cumulatively ACKed): remember the most recently sent one.  A
 * retransmission is only believed if it is older than one RTT. */
void tcp_rack_advance(struct tcp_sock *tp, uint8_t sacked, uint32_t end_seq,
		      uint64_t xmit_time)
{
	uint64_t now = local_clock();
	uint32_t rtt_us;

	if (!xmit_time)
		return;
	rtt_us = (uint32_t)((now - xmit_time) / 1000u);
	if ((sacked & TCPCB_RETRANS) && tp->srtt_us &&
	    rtt_us < (tp->srtt_us >> 3))
		return; /* may be the original's ACK */
	if (xmit_time > tp->rack.mstamp ||
	    (xmit_time == tp->rack.mstamp && after(end_seq, tp->rack.end_seq))) {
		tp->rack.mstamp = xmit_time;
		tp->rack.end_seq = end_seq;
		tp->rack.rtt_us = rtt_us;
		tp->rack.advanced = 1;
	}
}

/* RACK's reordering window (tcp_rack_reo_wnd): none while recovering
 * or once dupthresh segments are SACKed (kpath never sees reordering:
 * no reord_seen), else a quarter of the minimum RTT, at most srtt. */
static uint32_t tcp_rack_reo_wnd(const struct sock *sk)
{
	const struct tcp_sock *tp = tcp_sk(sk);
	uint32_t wnd;

	if (inet_csk(sk)->icsk_ca_state >= TCP_CA_Recovery ||
	    tp->sacked_out >= TCP_FASTRETRANS_THRESH)
		return 0;
	wnd = (tp->rtt_min >> 2) *
	      (tp->rack.reo_wnd_steps ? tp->rack.reo_wnd_steps : 1u);
	return wnd < (tp->srtt_us >> 3) ? wnd : tp->srtt_us >> 3;
}

/* RACK (tcp_rack_detect_loss): what was sent before the most recently
 * sent delivered segment and is still not delivered is lost once it is
 * older than that segment's RTT plus the reordering window - a
 * retransmission too, by the time it was sent (it is sent again).
 * @reo_timeout: the longest any other still has to wait, us (0: none). */
static void tcp_rack_detect_loss(struct sock *sk, uint32_t *reo_timeout)
{
	struct tcp_sock *tp = tcp_sk(sk);
	uint32_t reo_wnd = tcp_rack_reo_wnd(sk);
	uint64_t now = local_clock();
	struct sk_buff *skb;

	*reo_timeout = 0;
	skb_queue_walk(&sk->sk_write_queue, skb) {
		const struct tcp_skb_cb *scb = TCP_SKB_CB(skb);
		int64_t remaining;

		if (skb == tcp_send_head(sk))
			break;
		if (scb->sacked & TCPCB_SACKED_ACKED)
			continue;
		/* lost, not yet retransmitted: nothing to tell; a
		 * retransmission is judged by when it went */
		if ((scb->sacked & TCPCB_LOST) &&
		    !(scb->sacked & TCPCB_RETRANS))
			continue;
		if (scb->when > tp->rack.mstamp ||
		    (scb->when == tp->rack.mstamp &&
		     !before(scb->end_seq, tp->rack.end_seq)))
			continue; /* sent after it: may still come */
		remaining = (int64_t)tp->rack.rtt_us + reo_wnd -
			    (int64_t)((now - scb->when) / 1000u);
		if (remaining <= 0)
			tcp_mark_skb_lost(sk, skb);
		else if ((uint32_t)remaining > *reo_timeout)
			*reo_timeout = (uint32_t)remaining;
	}
}

/* On an ACK that advanced RACK: mark what is lost, and arm the
 * reordering timer (ICSK_TIME_REO_TIMEOUT, never past the RTO) for
 * what is not yet lost only because of the reordering window. */
bool tcp_rack_mark_lost(struct sock *sk)
{
	struct tcp_sock *tp = tcp_sk(sk);
	uint32_t timeout;
	unsigned long when;

	if (!tp->rack.advanced)
		return false;
	tp->rack.advanced = 0;
	tcp_rack_detect_loss(sk, &timeout);
	if (!timeout)
		return false;
	/* usecs_to_jiffies (HZ = 1000) + TCP_TIMEOUT_MIN */
	when = (timeout + 999u) / 1000u + 2u;
	if (when > inet_csk(sk)->icsk_rto)
		when = inet_csk(sk)->icsk_rto;
	tcp_reset_xmit_timer(sk, ICSK_TIME_REO_TIMEOUT, when);
	return true;
}

/* ---- Reno: duplicate ACKs stand for segments ---- */

/* At most packets_out less the holes may count as "SACKed"
 * (tcp_limit_reno_sacked). */
static void tcp_limit_reno_sacked(struct tcp_sock *tp)
{
	uint32_t holes = tp->lost_out > 1 ? tp->lost_out : 1;
	if (holes > tp->packets_out)
		holes = tp->packets_out;
	if (tp->sacked_out + holes > tp->packets_out)
		tp->sacked_out = tp->packets_out - holes;
}

/* A duplicate ACK: one segment left the network and was delivered
 * (tcp_add_reno_sack). */
static void tcp_add_reno_sack(struct sock *sk)
{
	struct tcp_sock *tp = tcp_sk(sk);
	uint32_t prior_sacked = tp->sacked_out;

	tp->sacked_out++;
	tcp_limit_reno_sacked(tp);
	if (tp->sacked_out > prior_sacked)
		tp->delivered += tp->sacked_out - prior_sacked;
}

/* A cumulative ACK: one acked segment filled the hole, the rest were
 * counted by duplicate ACKs already (tcp_remove_reno_sacks). */
static void tcp_remove_reno_sacks(struct sock *sk, int acked)
{
	struct tcp_sock *tp = tcp_sk(sk);
	uint32_t a = (uint32_t)acked;

	tp->delivered += a > tp->sacked_out + 1 ? a - tp->sacked_out : 1;
	if (a - 1 >= tp->sacked_out)
		tp->sacked_out = 0;
	else
		tp->sacked_out -= a - 1;
}

/* ---- retransmitting ---- */

/* Retransmit segments marked lost, holes only (never a SACKed one), as
 * the congestion window allows (@force: the first one goes regardless
 * - fast retransmit, RTO). */
static void tcp_xmit_retransmit_queue(struct sock *sk, bool force)
{
	struct tcp_sock *tp = tcp_sk(sk);
	struct net *net = sock_net(sk);
	struct sk_buff *skb, *tmp;
	struct sk_buff *rtx_head = skb_peek(&sk->sk_write_queue);
	bool rearm_timer = false;

	skb_queue_walk_safe(&sk->sk_write_queue, skb, tmp) {
		uint8_t sacked = TCP_SKB_CB(skb)->sacked;
		uint32_t in_flight;
		bool is_head = skb == rtx_head;
		if (skb == tcp_send_head(sk))
			break;
		if (!(sacked & TCPCB_LOST) ||
		    (sacked & (TCPCB_RETRANS | TCPCB_SACKED_ACKED)))
			continue;
		in_flight = tcp_packets_in_flight(tp);
		if (!force && in_flight >= tp->snd_cwnd)
			break;
		force = false;
		if (tcp_retransmit_skb(sk, skb))
			break;
		/* the head went again: the RTO runs from now */
		if (is_head &&
		    inet_csk(sk)->icsk_pending != ICSK_TIME_REO_TIMEOUT)
			rearm_timer = true;
		if (tcp_in_cwnd_reduction(sk))
			tp->prr_out++;
		if (inet_csk(sk)->icsk_ca_state == TCP_CA_Loss)
			__NET_INC_STATS(net, TCPSlowStartRetrans);
		else
			__NET_INC_STATS(net, TCPFastRetrans);
	}
	if (rearm_timer)
		tcp_reset_xmit_timer(sk, ICSK_TIME_RETRANS,
				     inet_csk(sk)->icsk_rto);
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

	if (tcp_is_reno(tp))
		__NET_INC_STATS(sock_net(sk), TCPRenoRecovery);
	else
		__NET_INC_STATS(sock_net(sk), TCPSackRecovery);
	/* tcp_init_cwnd_reduction */
	tp->high_seq = tp->snd_nxt;
	tp->snd_cwnd_cnt = 0;
	tp->prior_cwnd = tp->snd_cwnd;
	tp->prr_delivered = 0;
	tp->prr_out = 0;
	tp->tlp_high_seq = 0;
	tp->snd_ssthresh = icsk->icsk_ca_ops->ssthresh(sk);
	tcp_set_ca_state(sk, TCP_CA_Recovery);
	if (tcp_is_reno(tp))
		tcp_mark_head_lost(sk);
}

/* Proportional Rate Reduction (RFC 6937, tcp_cwnd_reduction): while
 * recovering, send about ssthresh/prior_cwnd segments for each one
 * delivered, so cwnd comes down to ssthresh over a round trip instead
 * of all at once; the first retransmission always goes. */
void tcp_cwnd_reduction(struct sock *sk, int newly_acked_sacked, int flag)
{
	struct tcp_sock *tp = tcp_sk(sk);
	int delta = (int)tp->snd_ssthresh - (int)tcp_packets_in_flight(tp);
	int sndcnt;

	if (newly_acked_sacked <= 0 || !tp->prior_cwnd)
		return;
	tp->prr_delivered += (uint32_t)newly_acked_sacked;
	if (delta < 0) {
		uint64_t dividend = (uint64_t)tp->snd_ssthresh *
					    tp->prr_delivered +
				    tp->prior_cwnd - 1;
		sndcnt = (int)(dividend / tp->prior_cwnd) - (int)tp->prr_out;
	} else {
		sndcnt = (int)tp->prr_delivered - (int)tp->prr_out;
		if (sndcnt < newly_acked_sacked)
			sndcnt = newly_acked_sacked;
		if (flag & FLAG_SND_UNA_ADVANCED)
			sndcnt++;
		if (sndcnt > delta)
			sndcnt = delta;
	}
	if (sndcnt < (tp->prr_out ? 0 : 1))
		sndcnt = tp->prr_out ? 0 : 1;
	tp->snd_cwnd = tcp_packets_in_flight(tp) + (uint32_t)sndcnt;
}

void tcp_xmit_recovery(struct sock *sk)
{
	uint8_t state = inet_csk(sk)->icsk_ca_state;
	if (sk->sk_state == TCP_SYN_SENT ||
	    (state != TCP_CA_Recovery && state != TCP_CA_Loss))
		return;
	tcp_xmit_retransmit_queue(sk, false);
}

/* Every ACK while segments are out: count duplicates (Reno) or mark
 * losses (RACK), start fast recovery, end it, resend holes
 * (tcp_fastretrans_alert). */
bool tcp_fastretrans_alert(struct sock *sk, int flag, int acked,
			   bool is_dupack)
{
	struct tcp_sock *tp = tcp_sk(sk);
	struct inet_connection_sock *icsk = inet_csk(sk);
	bool reo_armed = false;

	if (tcp_is_reno(tp)) {
		if (acked > 0)
			tcp_remove_reno_sacks(sk, acked);
		if (is_dupack)
			tcp_add_reno_sack(sk);
	} else {
		reo_armed = tcp_rack_mark_lost(sk);
	}

	if (icsk->icsk_ca_state == TCP_CA_Recovery ||
	    icsk->icsk_ca_state == TCP_CA_Loss) {
		if (!before(tp->snd_una, tp->high_seq)) {
			/* everything outstanding at the start is acked:
			 * tcp_end_cwnd_reduction after recovery */
			if (icsk->icsk_ca_state == TCP_CA_Recovery &&
			    tp->snd_ssthresh < TCP_INFINITE_SSTHRESH)
				tp->snd_cwnd = tp->snd_ssthresh;
			else if (tp->snd_cwnd > tp->snd_ssthresh &&
				 tp->snd_ssthresh < TCP_INFINITE_SSTHRESH)
				tp->snd_cwnd = tp->snd_ssthresh;
			tcp_set_ca_state(sk, TCP_CA_Open);
			if (tcp_is_reno(tp))
				tp->sacked_out = 0;
			return reo_armed;
		}
		if (icsk->icsk_ca_state == TCP_CA_Recovery &&
		    tcp_is_reno(tp) && (flag & FLAG_SND_UNA_ADVANCED))
			/* NewReno partial ACK: the next hole goes now */
			tcp_mark_head_lost(sk);
		return reo_armed;
	}
	/* Open or Disorder */
	if (tcp_is_reno(tp) ? tp->sacked_out >= TCP_FASTRETRANS_THRESH
			    : tp->lost_out > 0) {
		tcp_enter_recovery(sk);
		return reo_armed;
	}
	if (tp->sacked_out)
		tcp_set_ca_state(sk, TCP_CA_Disorder);
	else if (icsk->icsk_ca_state == TCP_CA_Disorder)
		tcp_set_ca_state(sk, TCP_CA_Open);
	return reo_armed;
}

/* RTO expiry: what is not SACKed counts as lost and goes again from
 * snd_una in slow start, as the window opens (tcp_xmit_retransmit_queue
 * from tcp_ack).  A SACKed head means the peer reneged: forget them. */
void tcp_enter_loss(struct sock *sk)
{
	struct tcp_sock *tp = tcp_sk(sk);
	struct inet_connection_sock *icsk = inet_csk(sk);
	struct sk_buff *skb, *head = skb_peek(&sk->sk_write_queue);
	bool is_reneg = head && head != tcp_send_head(sk) &&
			(TCP_SKB_CB(head)->sacked & TCPCB_SACKED_ACKED);

	if (icsk->icsk_ca_state <= TCP_CA_Disorder ||
	    tp->snd_una == tp->high_seq) {
		tp->prior_cwnd = tp->snd_cwnd;
		tp->snd_ssthresh = icsk->icsk_ca_ops->ssthresh(sk);
	}
	tp->snd_cwnd = 1;
	tp->snd_cwnd_cnt = 0;
	tp->high_seq = tp->snd_nxt;
	tcp_set_ca_state(sk, TCP_CA_Loss);
	if (is_reneg) {
		__NET_INC_STATS(sock_net(sk), TCPSACKReneging);
		tp->sacked_out = 0;
	} else if (tcp_is_reno(tp)) {
		tp->sacked_out = 0;
	}
	tp->retrans_out = tp->lost_out = 0;
	skb_queue_walk(&sk->sk_write_queue, skb) {
		if (skb == tcp_send_head(sk))
			break;
		TCP_SKB_CB(skb)->sacked &=
			(uint8_t)~(TCPCB_RETRANS | TCPCB_LOST);
		if (is_reneg)
			TCP_SKB_CB(skb)->sacked &= (uint8_t)~TCPCB_SACKED_ACKED;
		if (TCP_SKB_CB(skb)->sacked & TCPCB_SACKED_ACKED)
			continue;
		TCP_SKB_CB(skb)->sacked |= TCPCB_LOST;
		tp->lost_out++;
	}
}

/* After an RTO: the first lost segment again, now (tcp_retransmit_timer
 * retransmits the head itself; the rest go from tcp_ack as
 * TCPSlowStartRetrans). */
void tcp_retransmit_lost_head(struct sock *sk)
{
	struct sk_buff *skb;

	skb_queue_walk(&sk->sk_write_queue, skb) {
		uint8_t sacked = TCP_SKB_CB(skb)->sacked;
		if (skb == tcp_send_head(sk))
			break;
		if ((sacked & TCPCB_LOST) &&
		    !(sacked & (TCPCB_RETRANS | TCPCB_SACKED_ACKED))) {
			tcp_retransmit_skb(sk, skb);
			return;
		}
	}
}

/* RACK's reordering timer fired (tcp_rack_reo_timeout): what waited
 * out the reordering window is lost now; start recovery and resend it
 * as PRR allows, then the RTO (or what else is pending) again. */
void tcp_rack_reo_timeout(struct sock *sk)
{
	KP_FUNC(tcp_rack_reo_timeout, sk);
	struct tcp_sock *tp = tcp_sk(sk);
	uint32_t timeout, prior_inflight = tcp_packets_in_flight(tp);

	tcp_rack_detect_loss(sk, &timeout);
	if (prior_inflight != tcp_packets_in_flight(tp)) {
		if (inet_csk(sk)->icsk_ca_state != TCP_CA_Recovery) {
			tcp_enter_recovery(sk);
			tcp_cwnd_reduction(sk, 1, 0);
		}
		tcp_xmit_retransmit_queue(sk, false);
	}
	if (inet_csk(sk)->icsk_pending != ICSK_TIME_RETRANS)
		tcp_rearm_rto(sk);
}
