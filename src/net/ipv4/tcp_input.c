/*
 * tcp_input.c - TCP receive processing (net/ipv4/tcp_input.c):
 * tcp_rcv_established with its header-prediction fast path and the
 * slow path, tcp_rcv_state_process for every other state (handshake,
 * FIN states), ACK processing (tcp_ack: window update, clean the
 * retransmit queue, RTT and RTO, duplicate ACKs and fast retransmit,
 * congestion avoidance), data (tcp_data_queue, the out-of-order queue,
 * tcp_queue_rcv, tcp_fin), and when to ACK (quick and delayed).
 *
 * Leaves out: SACK scoreboard (Reno duplicate-ACK counting instead),
 * PAWS, undo, ECN, urgent data, receive-buffer autotuning and
 * collapsing, challenge-ACK rate limits.  The fast-path test is a
 * condition equivalent to 3.10's pred_flags word.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <string.h>

#include "engine/probe.h"
#include "net/core/net_namespace.h"
#include "sched/sched.h"
#include "tcp.h"

/* ---- options ---- */

void tcp_parse_options(const struct sk_buff *skb,
		       struct tcp_options_received *opt_rx, int estab)
{
	const struct tcphdr *th = tcp_hdr(skb);
	const unsigned char *ptr = (const unsigned char *)(th + 1);
	int length = (int)__tcp_hdrlen(th) - (int)sizeof(struct tcphdr);

	opt_rx->saw_tstamp = 0;
	while (length > 0) {
		int opcode = *ptr++, opsize;
		uint32_t v;
		if (opcode == TCPOPT_EOL)
			return;
		if (opcode == TCPOPT_NOP) {
			length--;
			continue;
		}
		if (length < 2)
			return;
		opsize = *ptr++;
		if (opsize < 2 || opsize > length)
			return; /* malformed: stop parsing */
		switch (opcode) {
		case TCPOPT_MSS:
			if (opsize == TCPOLEN_MSS && th->syn && !estab) {
				uint16_t in_mss = (uint16_t)(ptr[0] << 8 |
							     ptr[1]);
				if (in_mss) {
					if (opt_rx->user_mss &&
					    opt_rx->user_mss < in_mss)
						in_mss = opt_rx->user_mss;
					opt_rx->mss_clamp = in_mss;
				}
			}
			break;
		case TCPOPT_WINDOW:
			if (opsize == TCPOLEN_WINDOW && th->syn && !estab) {
				opt_rx->wscale_ok = 1;
				opt_rx->snd_wscale =
					ptr[0] > TCP_MAX_WSCALE
						? TCP_MAX_WSCALE
						: ptr[0];
			}
			break;
		case TCPOPT_TIMESTAMP:
			if (opsize == TCPOLEN_TIMESTAMP) {
				opt_rx->saw_tstamp = 1;
				memcpy(&v, ptr, 4);
				opt_rx->rcv_tsval = ntohl(v);
				memcpy(&v, ptr + 4, 4);
				opt_rx->rcv_tsecr = ntohl(v);
			}
			break;
		case TCPOPT_SACK_PERM:
			if (opsize == TCPOLEN_SACK_PERM && th->syn && !estab)
				opt_rx->sack_ok = 1;
			break;
		default:
			break;
		}
		ptr += opsize - 2;
		length -= opsize;
	}
}

static void tcp_store_ts_recent(struct tcp_sock *tp, uint32_t seq)
{
	if (tp->rx_opt.saw_tstamp && !after(seq, tp->rcv_wup))
		tp->rx_opt.ts_recent = tp->rx_opt.rcv_tsval;
}

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

static void tcp_rearm_rto(struct sock *sk)
{
	if (!tcp_sk(sk)->packets_out)
		inet_csk_clear_xmit_timer(sk, ICSK_TIME_RETRANS);
	else
		inet_csk_reset_xmit_timer(sk, ICSK_TIME_RETRANS,
					  inet_csk(sk)->icsk_rto);
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
		} else if (!(scb->sacked & TCPCB_EVER_RETRANS) && rtt_us < 0 &&
			   scb->when) {
			rtt_us = (long)((local_clock() - scb->when) / 1000u);
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
		tcp_rearm_rto(sk);
		tp->delivered += acked;
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
		if (tp->snd_wnd != nwin)
			flag |= FLAG_WIN_UPDATE;
		tp->snd_wl1 = ack_seq;
		tp->snd_wnd = nwin;
		if (nwin > tp->max_window)
			tp->max_window = nwin;
	}
	return flag;
}

/* 0: old ACK ignored; -1: invalid (drop); 1: processed. */
static int tcp_ack(struct sock *sk, const struct sk_buff *skb, int flag)
{
	struct tcp_sock *tp = tcp_sk(sk);
	struct inet_connection_sock *icsk = inet_csk(sk);
	uint32_t prior_snd_una = tp->snd_una;
	uint32_t ack_seq = TCP_SKB_CB(skb)->seq;
	uint32_t ack = TCP_SKB_CB(skb)->ack_seq;
	uint32_t prior_packets = tp->packets_out;
	uint32_t prior_wnd = tp->snd_wnd;
	int acked = 0;
	bool is_dupack;

	if (before(ack, prior_snd_una))
		return 0;
	if (after(ack, tp->snd_nxt))
		return -1;
	if (after(ack, prior_snd_una)) {
		flag |= FLAG_SND_UNA_ADVANCED;
		icsk->icsk_retransmits = 0;
	}
	flag |= tcp_ack_update_window(sk, skb, ack, ack_seq);
	tp->snd_una = ack;
	tp->rcv_tstamp = (uint32_t)jiffies;
	if (!prior_packets)
		return 1;

	acked = tcp_clean_rtx_queue(sk, &flag);
	is_dupack = !(flag & (FLAG_SND_UNA_ADVANCED | FLAG_DATA)) &&
		    tp->snd_wnd == prior_wnd && !(flag & FLAG_WIN_UPDATE);
	tcp_fastretrans_alert(sk, flag, acked, is_dupack);
	if ((flag & FLAG_DATA_ACKED) && icsk->icsk_ca_state == TCP_CA_Open &&
	    tp->snd_cwnd < tp->snd_cwnd_clamp && tcp_is_cwnd_limited(tp))
		icsk->icsk_ca_ops->cong_avoid(sk, ack, (uint32_t)acked);
	else if ((flag & FLAG_DATA_ACKED) &&
		 icsk->icsk_ca_state == TCP_CA_Loss)
		tcp_slow_start(tp, (uint32_t)acked);
	return 1;
}

/* ---- when to ACK ---- */

static void inet_csk_schedule_ack(struct sock *sk)
{
	inet_csk(sk)->icsk_ack.pending |= ICSK_ACK_SCHED;
}

static void tcp_enter_quickack_mode(struct sock *sk)
{
	struct inet_connection_sock *icsk = inet_csk(sk);
	icsk->icsk_ack.quick = 16;
	icsk->icsk_ack.pingpong = 0;
	icsk->icsk_ack.ato = (uint32_t)msecs_to_jiffies(TCP_ATO_MIN_MS);
}

static bool tcp_in_quickack_mode(const struct sock *sk)
{
	const struct inet_connection_sock *icsk = inet_csk(sk);
	return icsk->icsk_ack.quick && !icsk->icsk_ack.pingpong;
}

static void __tcp_ack_snd_check(struct sock *sk, int ofo_possible)
{
	struct tcp_sock *tp = tcp_sk(sk);
	uint32_t rcv_mss = inet_csk(sk)->icsk_ack.rcv_mss;
	if (!rcv_mss)
		rcv_mss = tp->mss_cache;
	/* more than one full segment unacknowledged, quick-ACK mode, or
	 * data out of order: ACK now */
	if (tp->rcv_nxt - tp->rcv_wup > rcv_mss || tcp_in_quickack_mode(sk) ||
	    (ofo_possible && !skb_queue_empty(&tp->out_of_order_queue)))
		tcp_send_ack(sk);
	else
		tcp_send_delayed_ack(sk);
}

static void tcp_ack_snd_check(struct sock *sk)
{
	if (!(inet_csk(sk)->icsk_ack.pending & ICSK_ACK_SCHED))
		return;
	__tcp_ack_snd_check(sk, 1);
}

static void tcp_check_space(struct sock *sk)
{
	/* tcp_new_space: grow the send buffer with the window, then
	 * sk_write_space, which clears SOCK_NOSPACE when it wakes */
	if (sk->sk_socket && test_bit(SOCK_NOSPACE, &sk->sk_socket->flags)) {
		tcp_sndbuf_expand(sk);
		sk->sk_write_space(sk);
	}
}

static void tcp_data_snd_check(struct sock *sk)
{
	if (tcp_send_head(sk))
		__tcp_push_pending_frames(sk, tcp_current_mss(sk),
					  tcp_sk(sk)->nonagle);
	tcp_check_space(sk);
}

/* ---- data ---- */

static void tcp_event_data_recv(struct sock *sk, struct sk_buff *skb)
{
	struct tcp_sock *tp = tcp_sk(sk);
	struct inet_connection_sock *icsk = inet_csk(sk);
	uint32_t len = skb->len;

	inet_csk_schedule_ack(sk);
	if (len > icsk->icsk_ack.rcv_mss)
		icsk->icsk_ack.rcv_mss = (uint16_t)len;
	if (!icsk->icsk_ack.ato) {
		/* the first data: ACK the next segments at once */
		tcp_enter_quickack_mode(sk);
	}
	icsk->icsk_ack.lrcvtime = (uint32_t)jiffies;
	/* tcp_grow_window */
	if (tp->rcv_ssthresh < tp->window_clamp) {
		tp->rcv_ssthresh += 2 * icsk->icsk_ack.rcv_mss;
		if (tp->rcv_ssthresh > tp->window_clamp)
			tp->rcv_ssthresh = tp->window_clamp;
	}
	tp->data_segs_in++;
	tp->bytes_received += len;
}

/* Put in-order data (header already pulled) on the receive queue. */
void tcp_queue_rcv(struct sock *sk, struct sk_buff *skb, int hdrlen)
{
	KP_FUNC_ARG(tcp_queue_rcv, skb, skb->len - (unsigned int)hdrlen);
	struct tcp_sock *tp = tcp_sk(sk);

	if (hdrlen)
		__skb_pull(skb, (unsigned int)hdrlen);
	skb_dst_drop(skb);
	skb->dev = NULL;
	__skb_queue_tail(&sk->sk_receive_queue, skb);
	kp_skb_where(skb, "sk_receive_queue", sk->kp.id);
	skb_set_owner_r(skb, sk);
	tp->rcv_nxt = TCP_SKB_CB(skb)->end_seq;
	sk->sk_stamp = skb->tstamp;
}

void tcp_fin(struct sock *sk)
{
	struct tcp_sock *tp = tcp_sk(sk);

	inet_csk_schedule_ack(sk);
	sk->sk_shutdown |= RCV_SHUTDOWN;
	sock_set_flag(sk, SOCK_DONE);
	switch (sk->sk_state) {
	case TCP_SYN_RECV:
	case TCP_ESTABLISHED:
		tcp_set_state(sk, TCP_CLOSE_WAIT);
		inet_csk(sk)->icsk_ack.pingpong = 1;
		break;
	case TCP_FIN_WAIT1:
		/* simultaneous close */
		tcp_send_ack(sk);
		tcp_set_state(sk, TCP_CLOSING);
		break;
	case TCP_FIN_WAIT2:
		tcp_send_ack(sk);
		del_timer(&inet_csk(sk)->kp_tw_timer);
		tcp_time_wait(sk, TCP_TIME_WAIT, TCP_TIMEWAIT_LEN_MS);
		break;
	default:
		break;
	}
	__skb_queue_purge_reason(&tp->out_of_order_queue,
				 SKB_DROP_REASON_TCP_OFO_QUEUE_PRUNE);
	if (!sock_flag(sk, SOCK_DEAD))
		sk->sk_state_change(sk);
}

/* Move what the out-of-order queue now continues onto the receive
 * queue. */
static void tcp_ofo_queue(struct sock *sk)
{
	struct tcp_sock *tp = tcp_sk(sk);
	struct sk_buff *skb;

	while ((skb = skb_peek(&tp->out_of_order_queue)) != NULL) {
		struct tcp_skb_cb *tcb = TCP_SKB_CB(skb);
		if (after(tcb->seq, tp->rcv_nxt))
			break;
		__skb_unlink(skb, &tp->out_of_order_queue);
		if (!after(tcb->end_seq, tp->rcv_nxt)) {
			kfree_skb_reason(skb, SKB_DROP_REASON_TCP_OFOMERGE);
			continue;
		}
		if (before(tcb->seq, tp->rcv_nxt)) {
			__skb_pull(skb, tp->rcv_nxt - tcb->seq);
			tcb->seq = tp->rcv_nxt;
		}
		__skb_queue_tail(&sk->sk_receive_queue, skb);
		kp_skb_where(skb, "sk_receive_queue", sk->kp.id);
		tp->rcv_nxt = tcb->end_seq;
		if (tcb->tcp_flags & TCPHDR_FIN)
			tcp_fin(sk);
	}
}

static void tcp_data_queue_ofo(struct sock *sk, struct sk_buff *skb)
{
	struct tcp_sock *tp = tcp_sk(sk);
	struct tcp_skb_cb *tcb = TCP_SKB_CB(skb);
	struct sk_buff *pos, *prev = NULL;

	/* a hole: tell the sender at once (duplicate ACK) */
	inet_csk_schedule_ack(sk);
	tcp_send_ack(sk);
	if (sk->sk_rmem_alloc > sk->sk_rcvbuf) {
		kfree_skb_reason(skb, SKB_DROP_REASON_TCP_OFO_DROP);
		return;
	}
	skb_queue_walk(&tp->out_of_order_queue, pos) {
		struct tcp_skb_cb *pcb = TCP_SKB_CB(pos);
		if (!before(tcb->seq, pcb->seq) &&
		    !after(tcb->end_seq, pcb->end_seq)) {
			/* all of it is queued already */
			kfree_skb_reason(skb, SKB_DROP_REASON_TCP_OFOMERGE);
			return;
		}
		if (after(pcb->seq, tcb->seq))
			break;
		prev = pos;
	}
	if (prev)
		__skb_queue_after(&tp->out_of_order_queue, prev, skb);
	else
		__skb_queue_head(&tp->out_of_order_queue, skb);
	kp_skb_where(skb, "out_of_order_queue", sk->kp.id);
	skb_set_owner_r(skb, sk);
}

void tcp_data_queue(struct sock *sk, struct sk_buff *skb)
{
	KP_FUNC_ARG(tcp_data_queue, skb, skb->len);
	struct tcp_sock *tp = tcp_sk(sk);
	struct tcp_skb_cb *tcb = TCP_SKB_CB(skb);
	int32_t rwin = (int32_t)(tp->rcv_wup + tp->rcv_wnd - tp->rcv_nxt);

	if (tcb->seq == tcb->end_seq) {
		consume_skb(skb);
		return;
	}
	__skb_pull(skb, __tcp_hdrlen(tcp_hdr(skb)));

	if (tcb->seq == tp->rcv_nxt) {
		if (rwin <= 0 && skb->len) {
			kfree_skb_reason(skb, SKB_DROP_REASON_TCP_ZEROWINDOW);
			tcp_send_ack(sk);
			return;
		}
queue_and_out:
		if (skb->len)
			tcp_event_data_recv(sk, skb);
		tcp_queue_rcv(sk, skb, 0);
		if (tcb->tcp_flags & TCPHDR_FIN)
			tcp_fin(sk);
		if (!skb_queue_empty(&tp->out_of_order_queue)) {
			tcp_ofo_queue(sk);
			if (skb_queue_empty(&tp->out_of_order_queue))
				inet_csk(sk)->icsk_ack.pingpong = 0;
		}
		if (!sock_flag(sk, SOCK_DEAD))
			sk->sk_data_ready(sk);
		return;
	}
	if (!after(tcb->end_seq, tp->rcv_nxt)) {
		/* all old: a retransmission of what we have; ACK at once */
		__NET_INC_STATS(sock_net(sk), DelayedACKLost);
		tcp_enter_quickack_mode(sk);
		inet_csk_schedule_ack(sk);
		kfree_skb_reason(skb, SKB_DROP_REASON_TCP_OLD_DATA);
		tcp_send_ack(sk);
		return;
	}
	if (!before(tcb->seq, tp->rcv_nxt + (uint32_t)(rwin > 0 ? rwin : 0))) {
		inet_csk_schedule_ack(sk);
		kfree_skb_reason(skb, SKB_DROP_REASON_TCP_OVERWINDOW);
		tcp_send_ack(sk);
		return;
	}
	if (before(tcb->seq, tp->rcv_nxt)) {
		/* partly old: keep the new part */
		__skb_pull(skb, tp->rcv_nxt - tcb->seq);
		tcb->seq = tp->rcv_nxt;
		goto queue_and_out;
	}
	tcp_data_queue_ofo(sk, skb);
}

/* ---- incoming segment checks ---- */

void tcp_reset(struct sock *sk)
{
	switch (sk->sk_state) {
	case TCP_SYN_SENT:
		sk->sk_err = ECONNREFUSED;
		break;
	case TCP_CLOSE_WAIT:
		sk->sk_err = EPIPE;
		break;
	case TCP_CLOSE:
		return;
	default:
		sk->sk_err = ECONNRESET;
	}
	tcp_done(sk);
	if (!sock_flag(sk, SOCK_DEAD))
		sk->sk_error_report(sk);
}

static bool tcp_sequence(const struct tcp_sock *tp, uint32_t seq,
			 uint32_t end_seq)
{
	int32_t rwin = (int32_t)(tp->rcv_wup + tp->rcv_wnd - tp->rcv_nxt);
	return !before(end_seq, tp->rcv_wup) &&
	       !after(seq, tp->rcv_nxt + (uint32_t)(rwin > 0 ? rwin : 0));
}

static bool tcp_validate_incoming(struct sock *sk, struct sk_buff *skb)
{
	struct tcp_sock *tp = tcp_sk(sk);
	const struct tcp_skb_cb *tcb = TCP_SKB_CB(skb);

	if (!tcp_sequence(tp, tcb->seq, tcb->end_seq)) {
		if (!(tcb->tcp_flags & TCPHDR_RST))
			tcp_send_ack(sk); /* tcp_send_dupack */
		kfree_skb_reason(skb, SKB_DROP_REASON_TCP_INVALID_SEQUENCE);
		return false;
	}
	if (tcb->tcp_flags & TCPHDR_RST) {
		if (tcb->seq == tp->rcv_nxt)
			tcp_reset(sk);
		else
			tcp_send_ack(sk); /* challenge ACK */
		kfree_skb_reason(skb, SKB_DROP_REASON_TCP_RESET);
		return false;
	}
	if (tcb->tcp_flags & TCPHDR_SYN) {
		tcp_send_ack(sk); /* challenge ACK */
		kfree_skb_reason(skb, SKB_DROP_REASON_TCP_INVALID_SYN);
		return false;
	}
	return true;
}

/* ---- ESTABLISHED ---- */

int tcp_rcv_established(struct sock *sk, struct sk_buff *skb)
{
	KP_FUNC_ARG(tcp_rcv_established, skb, skb->len);
	struct tcp_sock *tp = tcp_sk(sk);
	const struct tcphdr *th = tcp_hdr(skb);
	struct tcp_skb_cb *tcb = TCP_SKB_CB(skb);
	unsigned int len = skb->len, hdrlen = __tcp_hdrlen(th);
	struct net *net = sock_net(sk);
	uint8_t flags = tcb->tcp_flags & ~TCPHDR_PSH;
	int32_t rwin = (int32_t)(tp->rcv_wup + tp->rcv_wnd - tp->rcv_nxt);

	tp->segs_in++;
	tcp_parse_options(skb, &tp->rx_opt, 1);

	/* header prediction: a plain ACK (maybe with data) in order, the
	 * expected header length and an unchanged window */
	if (flags == TCPHDR_ACK && hdrlen == tp->tcp_header_len &&
	    tcb->seq == tp->rcv_nxt && !after(tcb->ack_seq, tp->snd_nxt) &&
	    ((uint32_t)ntohs(th->window) << tp->rx_opt.snd_wscale) ==
		    tp->snd_wnd &&
	    skb_queue_empty(&tp->out_of_order_queue) &&
	    inet_csk(sk)->icsk_ca_state == TCP_CA_Open) {
		tcp_store_ts_recent(tp, tcb->seq);
		if (len == hdrlen) {
			/* a pure ACK of our data */
			__NET_INC_STATS(net, TCPHPAcks);
			tcp_ack(sk, skb, 0);
			consume_skb(skb);
			tcp_data_snd_check(sk);
			return 0;
		}
		if (rwin > 0 && len - hdrlen <= (uint32_t)rwin) {
			__NET_INC_STATS(net, TCPHPHits);
			__skb_pull(skb, hdrlen);
			tcp_event_data_recv(sk, skb);
			tcp_queue_rcv(sk, skb, 0);
			if (tcb->ack_seq != tp->snd_una) {
				tcp_ack(sk, skb, FLAG_DATA);
				tcp_data_snd_check(sk);
			}
			__tcp_ack_snd_check(sk, 0);
			sk->sk_data_ready(sk);
			return 0;
		}
	}

	/* slow path */
	if (len < hdrlen) {
		__TCP_INC_STATS(net, InErrs);
		kfree_skb_reason(skb, SKB_DROP_REASON_PKT_TOO_SMALL);
		return 0;
	}
	if (!tcp_validate_incoming(sk, skb))
		return 0;
	tcp_store_ts_recent(tp, tcb->seq);
	if (!(tcb->tcp_flags & TCPHDR_ACK)) {
		kfree_skb_reason(skb, SKB_DROP_REASON_TCP_FLAGS);
		return 0;
	}
	if (tcp_ack(sk, skb, FLAG_SLOWPATH) < 0) {
		__NET_INC_STATS(net, TCPACKSkippedSeq);
		kfree_skb_reason(skb, SKB_DROP_REASON_TCP_ACK_UNSENT_DATA);
		tcp_send_ack(sk);
		return 0;
	}
	if (len == hdrlen && !(tcb->tcp_flags & TCPHDR_FIN))
		__NET_INC_STATS(net, TCPPureAcks);
	tcp_data_queue(sk, skb);
	if (sk->sk_state != TCP_CLOSE) {
		tcp_data_snd_check(sk);
		tcp_ack_snd_check(sk);
	}
	return 0;
}

/* ---- the handshake and the FIN states ---- */

void tcp_init_transfer(struct sock *sk)
{
	struct tcp_sock *tp = tcp_sk(sk);
	if (!tp->snd_cwnd || tp->snd_cwnd > TCP_INIT_CWND)
		tp->snd_cwnd = TCP_INIT_CWND;
	tp->snd_cwnd_stamp = local_clock();
	tcp_sndbuf_expand(sk);
	if (!tp->srtt_us && inet_csk(sk)->icsk_retransmits)
		/* the SYN was retransmitted: RFC 6298 fallback */
		inet_csk(sk)->icsk_rto = msecs_to_jiffies(3000);
	tp->rcv_space = tp->rcv_wnd;
}

void tcp_finish_connect(struct sock *sk, struct sk_buff *skb)
{
	(void)skb;
	tcp_set_state(sk, TCP_ESTABLISHED);
	tcp_init_transfer(sk);
	tcp_sk(sk)->lsndtime = (uint32_t)jiffies;
	if (!sock_flag(sk, SOCK_DEAD))
		sk->sk_state_change(sk);
}

static int tcp_rcv_synsent_state_process(struct sock *sk, struct sk_buff *skb)
{
	struct tcp_sock *tp = tcp_sk(sk);
	const struct tcphdr *th = tcp_hdr(skb);
	struct tcp_skb_cb *tcb = TCP_SKB_CB(skb);
	struct tcp_options_received *rx = &tp->rx_opt;

	tcp_parse_options(skb, rx, 0);
	if (th->ack) {
		if (!after(tcb->ack_seq, tp->snd_una) ||
		    after(tcb->ack_seq, tp->snd_nxt))
			return 1; /* reset_and_undo */
		if (th->rst) {
			tcp_reset(sk);
			kfree_skb_reason(skb, SKB_DROP_REASON_TCP_RESET);
			return 0;
		}
		if (!th->syn) {
			kfree_skb_reason(skb, SKB_DROP_REASON_TCP_FLAGS);
			return 0;
		}
		/* SYN-ACK */
		tp->snd_wl1 = tcb->seq;
		tcp_ack(sk, skb, FLAG_SLOWPATH);
		tp->rcv_nxt = tcb->seq + 1;
		tp->rcv_wup = tp->rcv_nxt;
		tp->copied_seq = tp->rcv_nxt;
		tp->rcv_isn = tcb->seq;
		tp->snd_wnd = ntohs(th->window);
		tp->max_window = tp->snd_wnd;
		if (!rx->wscale_ok) {
			rx->snd_wscale = rx->rcv_wscale = 0;
			if (tp->window_clamp > 65535u)
				tp->window_clamp = 65535u;
		}
		if (rx->saw_tstamp) {
			rx->tstamp_ok = 1;
			tp->tcp_header_len =
				sizeof(struct tcphdr) + TCPOLEN_TSTAMP_ALIGNED;
			rx->ts_recent = rx->rcv_tsval;
		} else {
			rx->tstamp_ok = 0;
			tp->tcp_header_len = sizeof(struct tcphdr);
		}
		tcp_sync_mss(sk, inet_csk(sk)->icsk_pmtu_cookie
					 ? inet_csk(sk)->icsk_pmtu_cookie
					 : 1500);
		inet_csk(sk)->icsk_ack.rcv_mss = (uint16_t)tp->mss_cache;
		tcp_finish_connect(sk, skb);
		consume_skb(skb);
		tcp_send_ack(sk);
		tcp_data_snd_check(sk);
		return 0;
	}
	/* no ACK: a RST is ignored, a SYN (simultaneous open) is not
	 * emulated */
	kfree_skb_reason(skb, th->rst ? SKB_DROP_REASON_TCP_RESET
				      : SKB_DROP_REASON_TCP_FLAGS);
	return 0;
}

int tcp_rcv_state_process(struct sock *sk, struct sk_buff *skb)
{
	struct tcp_sock *tp = tcp_sk(sk);
	const struct tcphdr *th = tcp_hdr(skb);
	struct tcp_skb_cb *tcb = TCP_SKB_CB(skb);
	int acceptable;

	switch (sk->sk_state) {
	case TCP_CLOSE:
		kfree_skb_reason(skb, SKB_DROP_REASON_TCP_CLOSE);
		return 0;
	case TCP_LISTEN:
		if (th->ack)
			return 1;
		if (th->rst) {
			kfree_skb_reason(skb, SKB_DROP_REASON_TCP_RESET);
			return 0;
		}
		if (th->syn && !th->fin) {
			tcp_v4_conn_request(sk, skb);
			consume_skb(skb);
			return 0;
		}
		kfree_skb_reason(skb, SKB_DROP_REASON_TCP_FLAGS);
		return 0;
	case TCP_SYN_SENT:
		tp->segs_in++;
		return tcp_rcv_synsent_state_process(sk, skb);
	default:
		break;
	}
	tp->segs_in++;
	tcp_parse_options(skb, &tp->rx_opt, 1);
	if (!tcp_validate_incoming(sk, skb))
		return 0;
	if (!th->ack) {
		kfree_skb_reason(skb, SKB_DROP_REASON_TCP_FLAGS);
		return 0;
	}
	acceptable = tcp_ack(sk, skb, FLAG_SLOWPATH) > 0;
	switch (sk->sk_state) {
	case TCP_SYN_RECV:
		if (!acceptable)
			return 1;
		tp->snd_una = tcb->ack_seq;
		tp->snd_wnd = (uint32_t)ntohs(th->window)
			      << tp->rx_opt.snd_wscale;
		tp->max_window = tp->snd_wnd;
		tp->snd_wl1 = tcb->seq;
		tcp_set_state(sk, TCP_ESTABLISHED);
		tcp_init_transfer(sk);
		if (!sock_flag(sk, SOCK_DEAD))
			sk->sk_state_change(sk);
		break;
	case TCP_FIN_WAIT1:
		if (tp->snd_una != tp->write_seq)
			break;
		tcp_set_state(sk, TCP_FIN_WAIT2);
		sk->sk_shutdown |= SEND_SHUTDOWN;
		if (!sock_flag(sk, SOCK_DEAD)) {
			sk->sk_state_change(sk);
			break;
		}
		if (tcb->end_seq != tcb->seq + th->fin && th->fin == 0 &&
		    after(tcb->end_seq, tp->rcv_nxt)) {
			/* data for a closed socket */
			__NET_INC_STATS(sock_net(sk), TCPAbortOnData);
			tcp_done(sk);
			return 1;
		}
		tcp_time_wait(sk, TCP_FIN_WAIT2,
			      (int)sock_net(sk)->sysctl.tcp_fin_timeout * 1000);
		break;
	case TCP_CLOSING:
		if (tp->snd_una == tp->write_seq) {
			tcp_time_wait(sk, TCP_TIME_WAIT, TCP_TIMEWAIT_LEN_MS);
			consume_skb(skb);
			return 0;
		}
		break;
	case TCP_LAST_ACK:
		if (tp->snd_una == tp->write_seq) {
			tcp_done(sk);
			consume_skb(skb);
			return 0;
		}
		break;
	default:
		break;
	}

	switch (sk->sk_state) {
	case TCP_CLOSE_WAIT:
	case TCP_CLOSING:
	case TCP_LAST_ACK:
		/* the peer sent its FIN: nothing more may come */
		consume_skb(skb);
		break;
	case TCP_FIN_WAIT1:
	case TCP_FIN_WAIT2:
		if ((sk->sk_shutdown & RCV_SHUTDOWN) &&
		    tcb->end_seq != tcb->seq &&
		    after(tcb->end_seq - th->fin, tp->rcv_nxt)) {
			__NET_INC_STATS(sock_net(sk), TCPAbortOnData);
			tcp_reset(sk);
			kfree_skb_reason(skb, SKB_DROP_REASON_TCP_CLOSE);
			return 1;
		}
		/* fall through */
	case TCP_ESTABLISHED:
		tcp_data_queue(sk, skb);
		break;
	default:
		consume_skb(skb);
		break;
	}
	if (sk->sk_state != TCP_CLOSE) {
		tcp_data_snd_check(sk);
		tcp_ack_snd_check(sk);
	}
	return 0;
}
