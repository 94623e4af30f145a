/*
 * tcp_timer.c - TCP's timers (net/ipv4/tcp_timer.c): the retransmit
 * timer (tcp_write_timer -> tcp_retransmit_timer: RTO with exponential
 * backoff, SYN retries, giving up after tcp_retries2) and the delayed
 * ACK timer (tcp_delack_timer).  Both run in TIMER_SOFTIRQ; when a task
 * owns the socket they defer to tcp_release_cb, as Linux does.
 *
 * The probe timer (tcp_probe_timer) probes a zero window.
 *
 * The tail loss probe (tcp_tlp.c) and RACK's reordering timer
 * (tcp_recovery.c) share the retransmit timer (ICSK_TIME_LOSS_PROBE,
 * ICSK_TIME_REO_TIMEOUT), as in Linux.
 *
 * Leaves out: keepalive, orphan limits.
 */
#include <errno.h>

#include "engine/probe.h"
#include "net/core/net_namespace.h"
#include "sched/sched.h"
#include "tcp.h"

static void tcp_write_err(struct sock *sk)
{
	sk->sk_err = sk->sk_err_soft ? sk->sk_err_soft : ETIMEDOUT;
	sk->sk_error_report(sk);
	tcp_done(sk);
	__NET_INC_STATS(sock_net(sk), TCPAbortOnTimeout);
}

/* Too many retransmissions? (tcp_write_timeout) */
static bool tcp_write_timeout(struct sock *sk)
{
	struct inet_connection_sock *icsk = inet_csk(sk);
	struct net *net = sock_net(sk);
	long limit;

	if (sk->sk_state == TCP_SYN_SENT || sk->sk_state == TCP_SYN_RECV)
		limit = icsk->icsk_syn_retries ? icsk->icsk_syn_retries
					       : net->sysctl.tcp_syn_retries;
	else
		limit = net->sysctl.tcp_retries2;
	if (icsk->icsk_retransmits >= limit) {
		tcp_write_err(sk);
		return true;
	}
	return false;
}

void tcp_retransmit_timer(struct sock *sk)
{
	KP_FUNC_ARG(tcp_retransmit_timer, sk, inet_csk(sk)->icsk_rto);
	struct tcp_sock *tp = tcp_sk(sk);
	struct inet_connection_sock *icsk = inet_csk(sk);
	struct net *net = sock_net(sk);
	struct sk_buff *head = skb_peek(&sk->sk_write_queue);

	if (!tp->packets_out || !head || head == tcp_send_head(sk))
		return;
	tp->tlp_high_seq = 0;
	if (tcp_write_timeout(sk))
		return;
	if (sk->sk_state == TCP_SYN_SENT) {
		/* the SYN again (its clone carries fresh options) */
		__NET_INC_STATS(net, TCPTimeouts);
		if (!tcp_transmit_skb(sk, head, 1)) {
			__TCP_INC_STATS(net, RetransSegs);
			tp->total_retrans++;
			TCP_SKB_CB(head)->sacked |= TCPCB_EVER_RETRANS;
		}
	} else {
		__NET_INC_STATS(net, TCPTimeouts);
		tcp_enter_loss(sk);
		tcp_retransmit_lost_head(sk);
	}
	icsk->icsk_backoff++;
	icsk->icsk_retransmits++;
	icsk->icsk_rto = icsk->icsk_rto * 2 > TCP_RTO_MAX_MS
				 ? TCP_RTO_MAX_MS
				 : icsk->icsk_rto * 2;
	inet_csk_reset_xmit_timer(sk, ICSK_TIME_RETRANS, icsk->icsk_rto);
}

/* The peer's window stays shut: probe it (tcp_send_probe0), giving up
 * after tcp_retries2 unanswered probes.  No orphan or user-timeout
 * limits. */
static void tcp_probe_timer(struct sock *sk)
{
	KP_FUNC(tcp_probe_timer, sk);
	struct inet_connection_sock *icsk = inet_csk(sk);
	struct tcp_sock *tp = tcp_sk(sk);

	if (tp->packets_out || !tcp_send_head(sk)) {
		icsk->icsk_probes_out = 0;
		return;
	}
	if (icsk->icsk_probes_out >= sock_net(sk)->sysctl.tcp_retries2)
		tcp_write_err(sk);
	else
		tcp_send_probe0(sk);
}

void tcp_write_timer_handler(struct sock *sk)
{
	struct inet_connection_sock *icsk = inet_csk(sk);
	int event;

	if (sk->sk_state == TCP_CLOSE || !icsk->icsk_pending)
		return;
	if (time_after(icsk->icsk_timeout, jiffies)) {
		mod_timer(&icsk->icsk_retransmit_timer, icsk->icsk_timeout);
		return;
	}
	event = icsk->icsk_pending;
	/* the loss probe and the reordering timer rearm the timer
	 * themselves, from what is pending (tcp_rearm_rto) */
	if (event == ICSK_TIME_REO_TIMEOUT) {
		tcp_rack_reo_timeout(sk);
	} else if (event == ICSK_TIME_LOSS_PROBE) {
		tcp_send_loss_probe(sk);
	} else if (event == ICSK_TIME_RETRANS) {
		icsk->icsk_pending = 0;
		tcp_retransmit_timer(sk);
	} else if (event == ICSK_TIME_PROBE0) {
		icsk->icsk_pending = 0;
		tcp_probe_timer(sk);
	}
}

static void tcp_write_timer(unsigned long data)
{
	struct sock *sk = (struct sock *)data;
	sock_hold(sk);
	spin_lock(&sk->sk_lock.slock); /* bh_lock_sock */
	if (!sock_owned_by_user(sk))
		tcp_write_timer_handler(sk);
	else
		tcp_sk(sk)->kp_deferred |= TCP_WRITE_TIMER_DEFERRED;
	spin_unlock(&sk->sk_lock.slock);
	sock_put(sk);
}

void tcp_delack_timer_handler(struct sock *sk)
{
	struct inet_connection_sock *icsk = inet_csk(sk);

	if (sk->sk_state == TCP_CLOSE ||
	    !(icsk->icsk_ack.pending & ICSK_ACK_TIMER))
		return;
	if (time_after(icsk->icsk_ack.timeout, jiffies)) {
		mod_timer(&icsk->icsk_delack_timer, icsk->icsk_ack.timeout);
		return;
	}
	icsk->icsk_ack.pending &= (uint8_t)~ICSK_ACK_TIMER;
	if (icsk->icsk_ack.pending & ICSK_ACK_SCHED) {
		if (!icsk->icsk_ack.pingpong) {
			/* delayed ACK missed: inflate ATO */
			icsk->icsk_ack.ato <<= 1;
			if (icsk->icsk_ack.ato > icsk->icsk_rto)
				icsk->icsk_ack.ato = icsk->icsk_rto;
		} else {
			icsk->icsk_ack.pingpong = 0;
			icsk->icsk_ack.ato =
				(uint32_t)msecs_to_jiffies(TCP_ATO_MIN_MS);
		}
		tcp_send_ack(sk);
		__NET_INC_STATS(sock_net(sk), DelayedACKs);
	}
}

static void tcp_delack_timer(unsigned long data)
{
	struct sock *sk = (struct sock *)data;
	sock_hold(sk);
	spin_lock(&sk->sk_lock.slock);
	if (!sock_owned_by_user(sk)) {
		tcp_delack_timer_handler(sk);
	} else {
		inet_csk(sk)->icsk_ack.blocked = 1;
		__NET_INC_STATS(sock_net(sk), DelayedACKLocked);
		tcp_sk(sk)->kp_deferred |= TCP_DELACK_TIMER_DEFERRED;
	}
	spin_unlock(&sk->sk_lock.slock);
	sock_put(sk);
}

void tcp_init_xmit_timers(struct sock *sk)
{
	struct inet_connection_sock *icsk = inet_csk(sk);
	setup_timer(&icsk->icsk_retransmit_timer, tcp_write_timer,
		    (unsigned long)sk);
	setup_timer(&icsk->icsk_delack_timer, tcp_delack_timer,
		    (unsigned long)sk);
	setup_timer(&icsk->kp_tw_timer, NULL, (unsigned long)sk);
	icsk->icsk_pending = 0;
	icsk->icsk_ack.pending = 0;
}

/* release_sock's hook: timers that fired while the task held the lock. */
void tcp_release_cb(struct sock *sk)
{
	struct tcp_sock *tp = tcp_sk(sk);
	uint8_t flags = tp->kp_deferred;
	tp->kp_deferred = 0;
	if (flags & TCP_WRITE_TIMER_DEFERRED)
		tcp_write_timer_handler(sk);
	if (flags & TCP_DELACK_TIMER_DEFERRED)
		tcp_delack_timer_handler(sk);
}
