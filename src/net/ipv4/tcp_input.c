/*
 * tcp_input.c - TCP receive processing in ESTABLISHED (net/ipv4/
 * tcp_input.c): tcp_rcv_established with its header-prediction fast
 * path and the slow path, option parsing, the checks of an incoming
 * segment (tcp_validate_incoming, tcp_reset), ACK processing (tcp_ack:
 * window update, clean the retransmit queue, RTT and RTO, then
 * tcp_fastretrans_alert and congestion avoidance, the pacing rate;
 * tcp_ack_probe for a zero window), send-buffer growth (tcp_new_space)
 * and when to ACK (quick and delayed).  Data (tcp_data_queue, the
 * out-of-order queue, tcp_fin) is in tcp_data.c, the other states in
 * tcp_rcv_state.c, loss recovery in tcp_recovery.c.
 *
 * Leaves out: PAWS, undo, ECN, urgent data, receive-buffer autotuning,
 * challenge-ACK rate limits.  The fast-path test is a condition
 * equivalent to 3.10's pred_flags word.
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
			if (opsize == TCPOLEN_SACK_PERM && th->syn && !estab &&
			    skb->net->sysctl.tcp_sack) {
				opt_rx->sack_ok = 1;
				tcp_sack_reset(opt_rx);
			}
			break;
		case TCPOPT_SACK:
			/* whole blocks only; tcp_sacktag_write_queue reads
			 * them from the header at this offset */
			if (opsize >= TCPOLEN_SACK_BASE + TCPOLEN_SACK_PERBLOCK &&
			    !((opsize - TCPOLEN_SACK_BASE) %
			      TCPOLEN_SACK_PERBLOCK) &&
			    opt_rx->sack_ok)
				TCP_SKB_CB((struct sk_buff *)skb)->sacked =
					(uint8_t)((ptr - 2) -
						  (const unsigned char *)th);
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

/* ---- when to ACK ---- */

void tcp_enter_quickack_mode(struct sock *sk)
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

void tcp_ack_snd_check(struct sock *sk)
{
	if (!(inet_csk(sk)->icsk_ack.pending & ICSK_ACK_SCHED))
		return;
	__tcp_ack_snd_check(sk, 1);
}

/* May the send buffer grow?  Not if the user set it.  kpath has no
 * memory pressure, and leaves out Linux's third test, "if we filled the
 * congestion window, do not expand" (tcp_packets_in_flight >=
 * snd_cwnd): on the ACK where packetdrill's epoll_out_edge tests see
 * Linux expand, kpath has just filled the cwnd (it sends 4 segments of
 * the next skb there that Linux must hold back - not found why).
 * tests/packetdrill/sndbuf_expand.pkt keeps the cwnd from filling,
 * where the two agree. */
static bool tcp_should_expand_sndbuf(const struct sock *sk)
{
	return !(sk->sk_userlocks & SOCK_SNDBUF_LOCK);
}

/* Grow the send buffer with the window, then sk_write_space, which
 * clears SOCK_NOSPACE when it wakes the writer. */
static void tcp_new_space(struct sock *sk)
{
	if (tcp_should_expand_sndbuf(sk))
		tcp_sndbuf_expand(sk);
	sk->sk_write_space(sk);
}

/* Space was made (ACKed skbs freed, or sent ones): a writer that found
 * the buffer full (SOCK_NOSPACE) may go on. */
static void tcp_check_space(struct sock *sk)
{
	if (sk->sk_socket && test_bit(SOCK_NOSPACE, &sk->sk_socket->flags))
		tcp_new_space(sk);
}

void tcp_data_snd_check(struct sock *sk)
{
	if (tcp_send_head(sk))
		__tcp_push_pending_frames(sk, tcp_current_mss(sk),
					  tcp_sk(sk)->nonagle);
	tcp_check_space(sk);
}


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

bool tcp_validate_incoming(struct sock *sk, struct sk_buff *skb)
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
			tcp_ack(sk, skb, 0);
			consume_skb(skb);
			tcp_data_snd_check(sk);
			return 0;
		}
		/* data: only with receive memory already reserved (the
		 * first segment takes the slow path, tcp_data_queue) */
		if (rwin > 0 && len - hdrlen <= (uint32_t)rwin &&
		    (int)skb->truesize <= sk->sk_forward_alloc) {
			int eaten;

			__NET_INC_STATS(net, TCPHPHits);
			__skb_pull(skb, hdrlen);
			tcp_event_data_recv(sk, skb);
			eaten = tcp_queue_rcv(sk, skb, 0);
			if (tcb->ack_seq != tp->snd_una) {
				tcp_ack(sk, skb, FLAG_DATA);
				tcp_data_snd_check(sk);
			}
			__tcp_ack_snd_check(sk, 0);
			if (eaten)
				consume_skb(skb); /* kfree_skb_partial */
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
	if (!(tcb->tcp_flags & TCPHDR_ACK)) {
		kfree_skb_reason(skb, SKB_DROP_REASON_TCP_FLAGS);
		return 0;
	}
	if (tcp_ack(sk, skb, FLAG_SLOWPATH | FLAG_UPDATE_TS_RECENT) < 0) {
		/* it acknowledges data never sent: dropped, not answered */
		kfree_skb_reason(skb, SKB_DROP_REASON_TCP_ACK_UNSENT_DATA);
		return 0;
	}
	tcp_data_queue(sk, skb);
	if (sk->sk_state != TCP_CLOSE) {
		tcp_data_snd_check(sk);
		tcp_ack_snd_check(sk);
	}
	return 0;
}

/* ---- the handshake and the FIN states ---- */
