/*
 * tcp_data.c - TCP receive data (net/ipv4/tcp_input.c):
 * tcp_data_queue (in order to the receive queue, old data, beyond the
 * window, else the out-of-order queue), tcp_ofo_queue moving what a
 * hole's filling made in order, tcp_queue_rcv with tcp_try_coalesce
 * (TCPRcvCoalesce), tcp_event_data_recv
 * (delayed-ACK estimator, window growth) and tcp_fin.
 *
 * Leaves out: receive-buffer collapsing and pruning (tcp_prune_queue),
 * urgent data, ECN marks.
 */
#include <string.h>

#include "engine/probe.h"
#include "net/core/net_namespace.h"
#include "sched/sched.h"
#include "tcp.h"

/* New data arrived: an ACK is due, the delayed-ACK estimator and the
 * window it may grow (tcp_event_data_recv, tcp_grow_window). */
void tcp_event_data_recv(struct sock *sk, struct sk_buff *skb)
{
	struct tcp_sock *tp = tcp_sk(sk);
	struct inet_connection_sock *icsk = inet_csk(sk);
	uint32_t len = skb->len;

	inet_csk_schedule_ack(sk);
	/* tcp_measure_rcv_mss: the peer's segment size - a GRO'd skb's
	 * gso_size, not its length */
	if (skb_shinfo(skb)->gso_size)
		len = skb_shinfo(skb)->gso_size;
	if (len > icsk->icsk_ack.rcv_mss)
		icsk->icsk_ack.rcv_mss = (uint16_t)len;
	len = skb->len;
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

/* Append @from's data to @to, the receive queue's tail, when it
 * continues it (tcp_try_coalesce with skb_try_coalesce's first case:
 * the bytes fit in @to's tailroom, so no truesize moves; Linux can also
 * steal @from's head or page frags - kpath's skbs have none). */
static bool tcp_try_coalesce(struct sock *sk, struct sk_buff *to,
			     struct sk_buff *from)
{
	if (TCP_SKB_CB(from)->seq != TCP_SKB_CB(to)->end_seq)
		return false;
	if (to->cloned || skb_shinfo(to)->frag_list ||
	    skb_shinfo(from)->frag_list)
		return false;
	if (from->len > (unsigned int)skb_tailroom(to))
		return false;
	if (from->len &&
	    skb_copy_bits(from, 0, skb_put(to, from->len), (int)from->len))
		return false;
	__NET_INC_STATS(sock_net(sk), TCPRcvCoalesce);
	TCP_SKB_CB(to)->end_seq = TCP_SKB_CB(from)->end_seq;
	TCP_SKB_CB(to)->ack_seq = TCP_SKB_CB(from)->ack_seq;
	TCP_SKB_CB(to)->tcp_flags |= TCP_SKB_CB(from)->tcp_flags;
	return true;
}

/* Put in-order data (header already pulled) on the receive queue, or
 * onto its tail skb; 1 if it was merged (the caller frees @skb). */
int tcp_queue_rcv(struct sock *sk, struct sk_buff *skb, int hdrlen)
{
	KP_FUNC_ARG(tcp_queue_rcv, skb, skb->len - (unsigned int)hdrlen);
	struct tcp_sock *tp = tcp_sk(sk);
	struct sk_buff *tail = skb_peek_tail(&sk->sk_receive_queue);
	int eaten;

	if (hdrlen)
		__skb_pull(skb, (unsigned int)hdrlen);
	eaten = tail && tcp_try_coalesce(sk, tail, skb);
	tp->rcv_nxt = TCP_SKB_CB(skb)->end_seq;
	sk->sk_stamp = skb->tstamp;
	if (!eaten) {
		skb_dst_drop(skb);
		skb->dev = NULL;
		__skb_queue_tail(&sk->sk_receive_queue, skb);
		kp_skb_where(skb, "sk_receive_queue", sk->kp.id);
		skb_set_owner_r(skb, sk);
	}
	return eaten;
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
	if (tcp_is_sack(tp))
		tcp_sack_reset(&tp->rx_opt);
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
		struct sk_buff *tail;
		bool fin;

		__skb_unlink(skb, &tp->out_of_order_queue);
		if (!after(tcb->end_seq, tp->rcv_nxt)) {
			kfree_skb_reason(skb, SKB_DROP_REASON_TCP_OFOMERGE);
			continue;
		}
		if (before(tcb->seq, tp->rcv_nxt)) {
			__skb_pull(skb, tp->rcv_nxt - tcb->seq);
			tcb->seq = tp->rcv_nxt;
		}
		tail = skb_peek_tail(&sk->sk_receive_queue);
		tp->rcv_nxt = tcb->end_seq;
		fin = tcb->tcp_flags & TCPHDR_FIN;
		if (tail && tcp_try_coalesce(sk, tail, skb)) {
			/* it was charged on the out-of-order queue */
			consume_skb(skb);
		} else {
			__skb_queue_tail(&sk->sk_receive_queue, skb);
			kp_skb_where(skb, "sk_receive_queue", sk->kp.id);
		}
		if (fin)
			tcp_fin(sk);
	}
}

static void tcp_data_queue_ofo(struct sock *sk, struct sk_buff *skb)
{
	struct tcp_sock *tp = tcp_sk(sk);
	struct tcp_skb_cb *tcb = TCP_SKB_CB(skb);
	struct sk_buff *pos, *prev = NULL;

	/* a hole: the sender hears of it at once (a duplicate ACK with
	 * the SACK blocks, from tcp_ack_snd_check) */
	inet_csk_schedule_ack(sk);
	if (sk->sk_rmem_alloc > sk->sk_rcvbuf) {
		__NET_INC_STATS(sock_net(sk), TCPOFODrop);
		kfree_skb_reason(skb, SKB_DROP_REASON_TCP_OFO_DROP);
		return;
	}
	__NET_INC_STATS(sock_net(sk), TCPOFOQueue);
	skb_queue_walk(&tp->out_of_order_queue, pos) {
		struct tcp_skb_cb *pcb = TCP_SKB_CB(pos);
		if (!before(tcb->seq, pcb->seq) &&
		    !after(tcb->end_seq, pcb->end_seq)) {
			/* all of it is queued already */
			__NET_INC_STATS(sock_net(sk), TCPOFOMerge);
			tcp_dsack_set(sk, tcb->seq, tcb->end_seq);
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
	if (tcp_is_sack(tp))
		tcp_sack_new_ofo_skb(sk, tcb->seq, tcb->end_seq);
}

void tcp_data_queue(struct sock *sk, struct sk_buff *skb)
{
	KP_FUNC_ARG(tcp_data_queue, skb, skb->len);
	struct tcp_sock *tp = tcp_sk(sk);
	struct tcp_skb_cb *tcb = TCP_SKB_CB(skb);
	int32_t rwin = (int32_t)(tp->rcv_wup + tp->rcv_wnd - tp->rcv_nxt);
	int eaten;

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
		eaten = tcp_queue_rcv(sk, skb, 0);
		if (tcb->tcp_flags & TCPHDR_FIN)
			tcp_fin(sk);
		if (!skb_queue_empty(&tp->out_of_order_queue)) {
			tcp_ofo_queue(sk);
			if (skb_queue_empty(&tp->out_of_order_queue))
				inet_csk(sk)->icsk_ack.pingpong = 0;
		}
		if (tp->rx_opt.num_sacks)
			tcp_sack_remove(tp);
		if (eaten)
			consume_skb(skb); /* kfree_skb_partial */
		if (!sock_flag(sk, SOCK_DEAD))
			sk->sk_data_ready(sk);
		return;
	}
	if (!after(tcb->end_seq, tp->rcv_nxt)) {
		/* all old: a retransmission of what we have; ACK at once,
		 * with a D-SACK saying so */
		__NET_INC_STATS(sock_net(sk), DelayedACKLost);
		tcp_dsack_set(sk, tcb->seq, tcb->end_seq);
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
		/* partly old: keep the new part, D-SACK the old */
		tcp_dsack_set(sk, tcb->seq, tp->rcv_nxt);
		__skb_pull(skb, tp->rcv_nxt - tcb->seq);
		tcb->seq = tp->rcv_nxt;
		goto queue_and_out;
	}
	tcp_data_queue_ofo(sk, skb);
}

