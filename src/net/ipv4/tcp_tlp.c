/*
 * tcp_tlp.c - the tail loss probe (net/ipv4/tcp_output.c:
 * tcp_schedule_loss_probe, tcp_send_loss_probe; net/ipv4/tcp_input.c:
 * tcp_process_tlp_ack, tcp_set_xmit_timer; include/net/tcp.h:
 * tcp_rto_delta_us, tcp_reset_xmit_timer).  When the last segments of a
 * flight are lost no (S)ACK comes to start fast recovery; instead of
 * waiting for the RTO, a SACK connection that is not recovering arms
 * the retransmit timer as ICSK_TIME_LOSS_PROBE at PTO = 2*srtt (plus
 * the minimum RTO when one segment is out, for a delayed ACK; never
 * past the RTO) and then sends one probe: new data if the window
 * takes it, else the last segment again.  Its (S)ACK starts recovery
 * for what else was lost; an ACK beyond the probe (tlp_high_seq) says
 * the probe repaired a loss: cwnd is reduced (TCPLossProbeRecovery).
 *
 * On when net.ipv4.tcp_early_retrans is 3 or 4 (3, the default, as
 * Linux), for SACK connections.
 * Leaves out: pacing delay on the timer, TLP on Fast Open, the DSACK
 * of a probe (FLAG_DSACK_TLP), skb_still_in_host_queue, fragmenting a
 * last skb longer than the MSS (kpath's sent skbs are one MSS each).
 */
#include "engine/probe.h"
#include "net/core/net_namespace.h"
#include "sched/sched.h"
#include "tcp.h"

#define TCP_TIMEOUT_MIN_US 2000u /* 2 jiffies */

static unsigned long usecs_to_jiffies_up(uint64_t us)
{
	return (unsigned long)((us + 999u) / 1000u); /* HZ = 1000 */
}

void tcp_reset_xmit_timer(struct sock *sk, int what, unsigned long when)
{
	/* inet_csk_reset_xmit_timer knows RETRANS and PROBE0; the loss
	 * probe and the reordering timer share the retransmit timer */
	if (what == ICSK_TIME_LOSS_PROBE || what == ICSK_TIME_REO_TIMEOUT) {
		inet_csk_reset_xmit_timer(sk, ICSK_TIME_RETRANS, when);
		inet_csk(sk)->icsk_pending = (uint8_t)what;
	} else {
		inet_csk_reset_xmit_timer(sk, what, when);
	}
}

/* How far in the future the RTO of the oldest segment out is, from
 * when that segment was last sent. */
int64_t tcp_rto_delta_us(const struct sock *sk)
{
	struct sk_buff *head = skb_peek(&sk->sk_write_queue);
	uint64_t sent_ns, now = local_clock();
	int64_t rto_us = (int64_t)inet_csk(sk)->icsk_rto * 1000;

	if (!head || head == tcp_send_head(sk))
		return rto_us;
	sent_ns = TCP_SKB_CB(head)->when;
	if (!sent_ns || sent_ns > now)
		return rto_us;
	return rto_us - (int64_t)((now - sent_ns) / 1000u);
}

/* Arm the loss probe in place of the RTO (@advancing_rto: the RTO
 * would restart now, not run from the head's transmission).  false:
 * no probe for this connection now. */
bool tcp_schedule_loss_probe(struct sock *sk, bool advancing_rto)
{
	KP_FUNC(tcp_schedule_loss_probe, sk);
	struct inet_connection_sock *icsk = inet_csk(sk);
	struct tcp_sock *tp = tcp_sk(sk);
	unsigned long timeout;
	int64_t rto_delta_us;
	int early_retrans = sock_net(sk)->sysctl.tcp_early_retrans;

	if ((early_retrans != 3 && early_retrans != 4) ||
	    !tp->packets_out || !tcp_is_sack(tp) ||
	    (icsk->icsk_ca_state != TCP_CA_Open &&
	     icsk->icsk_ca_state != TCP_CA_CWR))
		return false;
	/* PTO = 2*srtt, + the minimum RTO for one segment out (the
	 * peer's delayed ACK); no RTT sample: TCP_TIMEOUT_INIT */
	if (tp->srtt_us) {
		uint64_t timeout_us = tp->srtt_us >> 2;
		if (tp->packets_out == 1)
			timeout_us += (uint64_t)TCP_RTO_MIN_MS * 1000u;
		else
			timeout_us += TCP_TIMEOUT_MIN_US;
		timeout = usecs_to_jiffies_up(timeout_us);
	} else {
		timeout = msecs_to_jiffies(TCP_TIMEOUT_INIT_MS);
	}
	/* never past the RTO */
	rto_delta_us = advancing_rto ? (int64_t)icsk->icsk_rto * 1000
				     : tcp_rto_delta_us(sk);
	if (rto_delta_us > 0 &&
	    usecs_to_jiffies_up((uint64_t)rto_delta_us) < timeout)
		timeout = usecs_to_jiffies_up((uint64_t)rto_delta_us);
	tcp_reset_xmit_timer(sk, ICSK_TIME_LOSS_PROBE, timeout);
	return true;
}

/* The loss probe timer fired: one segment, new if the peer's window
 * takes it, else the last one sent again; then the RTO from now. */
void tcp_send_loss_probe(struct sock *sk)
{
	KP_FUNC(tcp_send_loss_probe, sk);
	struct tcp_sock *tp = tcp_sk(sk);
	struct sk_buff *skb;
	unsigned int mss = tcp_current_mss(sk);

	/* at most one probe out */
	if (tp->tlp_high_seq)
		goto rearm_timer;
	tp->tlp_retrans = 0;
	skb = tcp_send_head(sk);
	if (skb && !after(TCP_SKB_CB(skb)->end_seq, tp->snd_una + tp->snd_wnd)) {
		uint32_t pcount = tp->packets_out;
		tcp_write_xmit(sk, mss, TCP_NAGLE_OFF, 2);
		if (tp->packets_out > pcount)
			goto probe_sent;
		goto rearm_timer;
	}
	/* the last skb sent (the write queue's tail before the send head) */
	skb = tcp_send_head(sk) ? tcp_send_head(sk)->prev
				: skb_peek_tail(&sk->sk_write_queue);
	if (!skb || skb == (struct sk_buff *)&sk->sk_write_queue ||
	    !tp->packets_out) {
		inet_csk(sk)->icsk_pending = 0;
		return;
	}
	if (__tcp_retransmit_skb(sk, skb))
		goto rearm_timer;
	tp->tlp_retrans = 1;
probe_sent:
	/* snd_nxt, for telling from the ACKs whether the probe repaired
	 * a loss */
	tp->tlp_high_seq = tp->snd_nxt;
	__NET_INC_STATS(sock_net(sk), TCPLossProbes);
	/* so that tcp_rearm_rto runs the RTO from now */
	inet_csk(sk)->icsk_pending = 0;
rearm_timer:
	tcp_rearm_rto(sk);
}

/* An ACK at or beyond the probe: did it repair a loss? (only when
 * tlp_high_seq is set) */
void tcp_process_tlp_ack(struct sock *sk, uint32_t ack, int flag)
{
	struct tcp_sock *tp = tcp_sk(sk);
	struct inet_connection_sock *icsk = inet_csk(sk);
	uint8_t state;

	if (before(ack, tp->tlp_high_seq))
		return;
	if (!tp->tlp_retrans) {
		/* the probe was new data, and it is acknowledged */
		tp->tlp_high_seq = 0;
	} else if (after(ack, tp->tlp_high_seq)) {
		/* beyond the probe: something was lost and the probe
		 * repaired it - reduce cwnd once (tcp_init_cwnd_reduction,
		 * CWR, tcp_end_cwnd_reduction, tcp_try_keep_open) */
		tp->tlp_high_seq = 0;
		tp->high_seq = tp->snd_nxt;
		tp->snd_cwnd_cnt = 0;
		tp->prior_cwnd = tp->snd_cwnd;
		tp->prr_delivered = 0;
		tp->prr_out = 0;
		tp->snd_ssthresh = icsk->icsk_ca_ops->ssthresh(sk);
		if (icsk->icsk_ca_ops->set_state)
			icsk->icsk_ca_ops->set_state(sk, TCP_CA_CWR);
		icsk->icsk_ca_state = TCP_CA_CWR;
		if (tp->snd_ssthresh < TCP_INFINITE_SSTHRESH)
			tp->snd_cwnd = tp->snd_ssthresh;
		/* tcp_try_keep_open: Open, or Disorder while segments are
		 * SACKed, lost or retransmitted */
		state = (tp->sacked_out || tp->lost_out || tp->retrans_out)
				? TCP_CA_Disorder
				: TCP_CA_Open;
		if (icsk->icsk_ca_ops->set_state)
			icsk->icsk_ca_ops->set_state(sk, state);
		icsk->icsk_ca_state = state;
		tp->high_seq = tp->snd_nxt;
		__NET_INC_STATS(sock_net(sk), TCPLossProbeRecovery);
	} else if (!(flag & (FLAG_SND_UNA_ADVANCED | FLAG_NOT_DUP |
			     FLAG_DATA_SACKED))) {
		/* a pure duplicate: the original and the probe both
		 * arrived, nothing was lost */
		tp->tlp_high_seq = 0;
	}
}

/* After an ACK that delivered data: the loss probe if it may go, else
 * the RTO (tcp_set_xmit_timer). */
void tcp_set_xmit_timer(struct sock *sk)
{
	if (!tcp_schedule_loss_probe(sk, true))
		tcp_rearm_rto(sk);
}
