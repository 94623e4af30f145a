/*
 * tcp_retransmit.c - what TCP sends again (net/ipv4/tcp_output.c): one
 * skb of the retransmit queue (__tcp_retransmit_skb, trimmed to what
 * the peer lacks and cut to one MSS; tcp_retransmit_skb counts it in
 * retrans_out), and the zero-window probes of the probe timer
 * (tcp_send_probe0 -> tcp_write_wakeup: what of the next segment fits
 * the window, else tcp_xmit_probe_skb, an old sequence number), backed
 * off by tcp_probe0_when.  What decides to retransmit is tcp_timer.c
 * (RTO), tcp_recovery.c (fast retransmit, RACK) and tcp_tlp.c.
 *
 * Leaves out: urgent data in probes, retransmit collapse
 * (tcp_retrans_try_collapse), TSQ throttling of retransmissions.
 */
#include <errno.h>

#include "engine/probe.h"
#include "net/core/net_namespace.h"
#include "sched/sched.h"
#include "tcp.h"

/* ---- zero-window probes ---- */

/* A segment with an old sequence number (snd_una - 1): the peer answers
 * it with an ACK that tells its window.  Not queued, sent once. */
static int tcp_xmit_probe_skb(struct sock *sk, int urgent)
{
	struct tcp_sock *tp = tcp_sk(sk);
	struct sk_buff *skb = tcp_alloc_ctl_skb(sock_net(sk));

	if (!skb)
		return -1;
	tcp_init_nondata_skb(skb, tp->snd_una - !urgent, TCPHDR_ACK);
	__NET_INC_STATS(sock_net(sk), TCPWinProbe);
	return tcp_transmit_skb(sk, skb, 0);
}

/* Probe the peer's window: what of the next segment fits in it, with
 * PSH, else a window probe.  kpath has no urgent data. */
int tcp_write_wakeup(struct sock *sk)
{
	struct tcp_sock *tp = tcp_sk(sk);
	struct sk_buff *skb = tcp_send_head(sk);
	uint32_t wnd_end = tp->snd_una + tp->snd_wnd;

	if (sk->sk_state == TCP_CLOSE)
		return -1;
	if (skb && before(TCP_SKB_CB(skb)->seq, wnd_end)) {
		unsigned int mss = tcp_current_mss(sk);
		unsigned int seg_size = wnd_end - TCP_SKB_CB(skb)->seq;
		int err;

		if (before(tp->pushed_seq, TCP_SKB_CB(skb)->end_seq))
			tp->pushed_seq = TCP_SKB_CB(skb)->end_seq;
		if (seg_size > mss)
			seg_size = mss;
		if (skb->len > seg_size) {
			if (tso_fragment(sk, skb, seg_size, mss))
				return -1;
			skb = tcp_send_head(sk); /* the piece cut off */
		}
		TCP_SKB_CB(skb)->tcp_flags |= TCPHDR_PSH;
		err = tcp_transmit_skb(sk, skb, 1);
		if (!err)
			tcp_event_new_data_sent(sk, skb);
		return err;
	}
	return tcp_xmit_probe_skb(sk, 0);
}

/* max(RTO, TCP_RTO_MIN), doubled per unanswered probe (tcp_probe0_when) */
unsigned long tcp_probe0_when(const struct sock *sk, unsigned long max_when)
{
	const struct inet_connection_sock *icsk = inet_csk(sk);
	unsigned long base = icsk->icsk_rto > TCP_RTO_MIN_MS
				     ? icsk->icsk_rto
				     : msecs_to_jiffies(TCP_RTO_MIN_MS);
	unsigned long when = base << (icsk->icsk_backoff < 16
					      ? icsk->icsk_backoff
					      : 16);
	return when < max_when ? when : max_when;
}

/* The probe timer fired: probe, and arm it again, backed off. */
void tcp_send_probe0(struct sock *sk)
{
	KP_FUNC(tcp_send_probe0, sk);
	struct inet_connection_sock *icsk = inet_csk(sk);
	struct tcp_sock *tp = tcp_sk(sk);
	int err = tcp_write_wakeup(sk);

	if (tp->packets_out || !tcp_send_head(sk)) {
		/* Cancel probe timer, if it is not required. */
		icsk->icsk_probes_out = 0;
		icsk->icsk_backoff = 0;
		return;
	}
	icsk->icsk_probes_out++;
	if (err <= 0) {
		if (icsk->icsk_backoff < sock_net(sk)->sysctl.tcp_retries2)
			icsk->icsk_backoff++;
		inet_csk_reset_xmit_timer(
			sk, ICSK_TIME_PROBE0,
			tcp_probe0_when(sk, msecs_to_jiffies(TCP_RTO_MAX_MS)));
	} else {
		/* not sent for local congestion: TCP_RESOURCE_PROBE_INTERVAL */
		inet_csk_reset_xmit_timer(sk, ICSK_TIME_PROBE0,
					  msecs_to_jiffies(500));
	}
}

/* ---- retransmission ---- */

int __tcp_retransmit_skb(struct sock *sk, struct sk_buff *skb)
{
	struct tcp_sock *tp = tcp_sk(sk);
	unsigned int cur_mss = tcp_current_mss(sk);

	if (before(TCP_SKB_CB(skb)->seq, tp->snd_una)) {
		/* partly acknowledged: trim what the peer has */
		uint32_t acked = tp->snd_una - TCP_SKB_CB(skb)->seq;
		if (acked >= skb->len)
			return -EINVAL;
		skb_pull(skb, acked);
		TCP_SKB_CB(skb)->seq = tp->snd_una;
	}
	if (skb->len > cur_mss) {
		if (tso_fragment(sk, skb, cur_mss, cur_mss))
			return -ENOMEM;
		skb = skb->prev; /* the front piece */
		tp->packets_out++;
		if (TCP_SKB_CB(skb)->sacked & TCPCB_LOST)
			tp->lost_out++;
	}
	/* counted whether or not it leaves (as Linux 6.x), before it goes:
	 * whoever sees the segment on the wire sees the counts too */
	TCP_SKB_CB(skb)->sacked |= TCPCB_EVER_RETRANS;
	tp->total_retrans++;
	__TCP_INC_STATS(sock_net(sk), RetransSegs);
	return tcp_transmit_skb(sk, skb, 1);
}

/* (tcp_retransmit_skb) the segment that went is counted in retrans_out
 * until it is delivered or judged lost.  @skb may be split: the piece
 * that went is the front one, which the caller finds before @skb. */
int tcp_retransmit_skb(struct sock *sk, struct sk_buff *skb)
{
	struct sk_buff *prev = skb->prev;
	int err = __tcp_retransmit_skb(sk, skb);

	if (err)
		return err;
	TCP_SKB_CB(prev->next)->sacked |= TCPCB_RETRANS;
	tcp_sk(sk)->retrans_out++;
	return 0;
}
