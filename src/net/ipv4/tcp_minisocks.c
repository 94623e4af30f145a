/*
 * tcp_minisocks.c - the small states around a connection (net/ipv4/
 * tcp_minisocks.c): tcp_check_req (the ACK that completes a passive
 * handshake, or a retransmitted SYN), the child socket it creates
 * (tcp_create_openreq_child), tcp_child_process, and TIME_WAIT.
 *
 * Departure: TIME_WAIT keeps the whole tcp_sock (Linux swaps it for a
 * small inet_timewait_sock); it answers segments as Linux's
 * tcp_timewait_state_process does (re-ACK a retransmitted FIN, RST
 * kills it) and a new SYN for the same 4-tuple is dropped rather than
 * reusing the pair.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <string.h>

#include "engine/probe.h"
#include "net/core/net_namespace.h"
#include "sched/sched.h"
#include "tcp.h"

struct sock *tcp_create_openreq_child(const struct sock *sk,
				      struct request_sock *req,
				      struct sk_buff *skb)
{
	struct sock *newsk = inet_csk_clone_lock(sk, req);
	struct tcp_sock *newtp;
	(void)skb;

	if (!newsk)
		return NULL;
	newtp = tcp_sk(newsk);
	newtp->pred_flags = 0;
	newtp->rcv_wup = newtp->copied_seq = newtp->rcv_nxt = req->rcv_isn + 1;
	newtp->snd_sml = newtp->snd_una = newtp->snd_nxt =
		newtp->write_seq = newtp->pushed_seq = req->snt_isn + 1;
	newtp->snt_isn = req->snt_isn;
	newtp->rcv_isn = req->rcv_isn;
	newtp->srtt_us = 0;
	newtp->rtt_min = 0;
	newtp->pacing_rate = UINT64_MAX;
	newtp->tcp_wstamp_ns = 0;
	newtp->mdev_us = 0;
	newtp->packets_out = newtp->retrans_out = newtp->sacked_out = 0;
	newtp->lost_out = 0;
	newtp->total_retrans = 0;
	newtp->snd_cwnd = TCP_INIT_CWND;
	newtp->snd_cwnd_cnt = 0;
	newtp->snd_ssthresh = TCP_INFINITE_SSTHRESH;
	newtp->sk_send_head = NULL;
	newtp->segs_in = newtp->segs_out = 0;
	newtp->data_segs_in = newtp->data_segs_out = 0;
	newtp->bytes_acked = newtp->bytes_received = 0;
	newtp->kp_deferred = 0;
	skb_queue_head_init(&newtp->out_of_order_queue);
	skb_queue_head_init(&newtp->ucopy.prequeue);
	newtp->ucopy.task = NULL;
	newtp->ucopy.memory = 0;
	inet_csk(newsk)->icsk_rto = msecs_to_jiffies(TCP_TIMEOUT_INIT_MS);
	inet_csk(newsk)->icsk_ca_state = TCP_CA_Open;

	newtp->rx_opt.tstamp_ok = req->tstamp_ok;
	newtp->rx_opt.sack_ok = req->sack_ok;
	newtp->rx_opt.wscale_ok = req->wscale_ok;
	newtp->rx_opt.snd_wscale = req->snd_wscale;
	newtp->rx_opt.rcv_wscale = req->rcv_wscale;
	newtp->rx_opt.ts_recent = req->ts_recent;
	newtp->tsoffset = req->tsoffset;
	newtp->rcv_wnd = req->rcv_wnd;
	newtp->rcv_ssthresh = req->rcv_wnd;
	newtp->window_clamp = 65535u << req->rcv_wscale;
	newtp->tcp_header_len = sizeof(struct tcphdr) +
				(req->tstamp_ok ? TCPOLEN_TSTAMP_ALIGNED : 0);
	newtp->rx_opt.mss_clamp = req->mss;
	tcp_sync_mss(newsk, (uint32_t)req->mss + 40);
	inet_csk(newsk)->icsk_ack.rcv_mss = (uint16_t)newtp->mss_cache;
	newtp->snd_wnd = 0; /* set from the ACK by tcp_rcv_state_process */
	newtp->snd_wl1 = req->rcv_isn;
	tcp_init_congestion_control(newsk);
	__TCP_INC_STATS(sock_net(sk), PassiveOpens);
	return newsk;
}

/* The RTT of the handshake, from the first SYN-ACK to the ACK that
 * completes it, unless the SYN-ACK went again (Karn). */
static void tcp_synack_rtt_meas(struct sock *sk,
				const struct request_sock *req)
{
	long rtt_us;

	if (req->num_retrans || !req->snt_synack)
		return;
	rtt_us = (long)((local_clock() - req->snt_synack) / 1000u);
	tcp_rtt_estimator(sk, rtt_us);
	tcp_set_rto(sk);
	inet_csk(sk)->icsk_backoff = 0;
}

/* Retransmit the SYN-ACK of a request whose timer ran out (the 3.10
 * listener's inet_csk_reqsk_queue_prune, one timer per request here). */
void tcp_reqsk_timer(unsigned long data)
{
	struct request_sock *req = (struct request_sock *)data;
	struct sock *sk = req->rsk_listener;
	struct net *net = sock_net(sk);

	if (req->num_retrans >= net->sysctl.tcp_synack_retries) {
		inet_csk_reqsk_queue_drop(sk, req);
		return;
	}
	req->num_retrans++;
	__TCP_INC_STATS(net, RetransSegs);
	tcp_v4_send_synack(sk, req);
	mod_timer(&req->rsk_timer,
		  jiffies + (msecs_to_jiffies(TCP_TIMEOUT_INIT_MS)
			     << req->num_retrans));
}

/* A segment for a pending request: a retransmitted SYN gets the
 * SYN-ACK again; the right ACK makes the child (NULL: drop; @sk: the
 * listener handles it, e.g. a new SYN). */
struct sock *tcp_check_req(struct sock *sk, struct sk_buff *skb,
			   struct request_sock *req)
{
	const struct tcp_skb_cb *tcb = TCP_SKB_CB(skb);
	uint8_t flg = tcb->tcp_flags & (TCPHDR_RST | TCPHDR_SYN | TCPHDR_ACK);
	struct tcp_options_received tmp_opt;
	struct sock *child;

	memset(&tmp_opt, 0, sizeof(tmp_opt));
	if (__tcp_hdrlen(tcp_hdr(skb)) > sizeof(struct tcphdr))
		tcp_parse_options(skb, &tmp_opt, 0);

	if (tcb->seq == req->rcv_isn && flg == TCPHDR_SYN) {
		/* the SYN again: our SYN-ACK was lost */
		tcp_v4_send_synack(sk, req);
		return NULL;
	}
	if ((flg & TCPHDR_ACK) && tcb->ack_seq != req->snt_isn + 1)
		return sk; /* bad ACK: the listener answers with a RST */
	if (!between(tcb->seq, req->rcv_isn + 1,
		     req->rcv_isn + 1 + req->rcv_wnd)) {
		/* out of window: an ACK (tcp_v4_reqsk_send_ack) */
		if (!(flg & TCPHDR_RST))
			tcp_v4_send_ack(skb, req->snt_isn + 1,
					req->rcv_isn + 1,
					req->rcv_wnd >> req->rcv_wscale,
					(uint32_t)(local_clock() / 1000000u) +
						req->tsoffset,
					req->ts_recent, req->tstamp_ok);
		return NULL;
	}
	/* in sequence: the ACK's TSval is the one to echo from now on */
	if (tmp_opt.saw_tstamp && !after(tcb->seq, req->rcv_isn + 1))
		req->ts_recent = tmp_opt.rcv_tsval;
	if (flg & (TCPHDR_RST | TCPHDR_SYN)) {
		inet_csk_reqsk_queue_drop(sk, req);
		__NET_INC_STATS(sock_net(sk), EmbryonicRsts);
		return NULL;
	}
	if (!(flg & TCPHDR_ACK))
		return NULL;

	child = tcp_v4_syn_recv_sock(sk, skb, req);
	if (!child) {
		/* accept queue full: forget the ACK, the peer retries
		 * (tcp_abort_on_overflow = 0) */
		return NULL;
	}
	tcp_synack_rtt_meas(child, req);
	inet_csk_reqsk_queue_add(sk, req, child);
	return child;
}

/* Run the completing segment on the child, then tell the listener's
 * acceptors (sk_data_ready on the listener). */
int tcp_child_process(struct sock *parent, struct sock *child,
		      struct sk_buff *skb)
{
	int ret = 0;
	int state = child->sk_state;

	spin_lock(&child->sk_lock.slock);
	if (!sock_owned_by_user(child)) {
		ret = tcp_rcv_state_process(child, skb);
		if (state == TCP_SYN_RECV && child->sk_state != state)
			parent->sk_data_ready(parent);
		spin_unlock(&child->sk_lock.slock);
	} else {
		sk_add_backlog(child, skb, (unsigned int)child->sk_rcvbuf);
		spin_unlock(&child->sk_lock.slock);
	}
	return ret;
}

static void tcp_tw_timer(unsigned long data)
{
	struct sock *sk = (struct sock *)data;
	sock_hold(sk);
	spin_lock(&sk->sk_lock.slock);
	if (sk->sk_state == TCP_FIN_WAIT2 && sock_flag(sk, SOCK_DEAD)) {
		/* orphan FIN_WAIT2 timed out (tcp_fin_timeout) */
		tcp_send_active_reset(sk);
		__NET_INC_STATS(sock_net(sk), TCPAbortOnTimeout);
	}
	if (sk->sk_state == TCP_TIME_WAIT ||
	    (sk->sk_state == TCP_FIN_WAIT2 && sock_flag(sk, SOCK_DEAD)))
		tcp_done(sk);
	spin_unlock(&sk->sk_lock.slock);
	sock_put(sk);
}

/* Enter TIME_WAIT (or an orphan's FIN_WAIT2 timeout): the socket stays
 * in ehash for @timeo_ms and then goes. */
void tcp_time_wait(struct sock *sk, int state, int timeo_ms)
{
	struct inet_connection_sock *icsk = inet_csk(sk);
	if (state == TCP_TIME_WAIT) {
		tcp_set_state(sk, TCP_TIME_WAIT);
		inet_csk_clear_xmit_timers(sk);
		__NET_INC_STATS(sock_net(sk), TW);
	}
	del_timer(&icsk->kp_tw_timer);
	setup_timer(&icsk->kp_tw_timer, tcp_tw_timer, (unsigned long)sk);
	mod_timer(&icsk->kp_tw_timer,
		  jiffies + msecs_to_jiffies((unsigned int)timeo_ms));
}

int tcp_timewait_state_process(struct sock *sk, struct sk_buff *skb)
{
	const struct tcp_skb_cb *tcb = TCP_SKB_CB(skb);
	struct tcp_sock *tp = tcp_sk(sk);

	if (tcb->tcp_flags & TCPHDR_RST) {
		/* RFC 1337: Linux ignores it by default; kpath too */
		consume_skb(skb);
		return 0;
	}
	if (tcb->tcp_flags & TCPHDR_FIN) {
		/* the peer did not get our last ACK: send it again and
		 * restart the wait */
		if (!after(tcb->end_seq, tp->rcv_nxt)) {
			tcp_send_ack(sk);
			mod_timer(&inet_csk(sk)->kp_tw_timer,
				  jiffies +
					  msecs_to_jiffies(TCP_TIMEWAIT_LEN_MS));
		}
	} else if (tcb->end_seq != tcb->seq || (tcb->tcp_flags & TCPHDR_SYN)) {
		tcp_send_ack(sk);
	}
	consume_skb(skb);
	return 0;
}
