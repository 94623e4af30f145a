/*
 * tcp_rcv_state.c - TCP input in every state but ESTABLISHED
 * (net/ipv4/tcp_input.c): tcp_rcv_state_process (LISTEN hands SYNs to
 * tcp_v4_conn_request; SYN_RECV, the FIN states, CLOSING, LAST_ACK),
 * tcp_rcv_synsent_state_process (the SYN-ACK of an active open),
 * tcp_finish_connect and tcp_init_transfer.
 *
 * Leaves out: simultaneous open, TCP Fast Open, the SYN_SENT PAWS and
 * ECN checks.
 */
#include <arpa/inet.h>
#include <string.h>

#include "engine/probe.h"
#include "net/core/net_namespace.h"
#include "sched/sched.h"
#include "tcp.h"


void tcp_init_transfer(struct sock *sk)
{
	struct tcp_sock *tp = tcp_sk(sk);
	if (!tp->snd_cwnd || tp->snd_cwnd > TCP_INIT_CWND)
		tp->snd_cwnd = TCP_INIT_CWND;
	tp->snd_cwnd_stamp = local_clock();
	tcp_sndbuf_expand(sk);
	/* (CUBIC's HyStart starts its first round at snd_nxt) */
	tcp_init_congestion_control(sk);
	if (!tp->srtt_us && inet_csk(sk)->icsk_retransmits)
		/* the SYN was retransmitted: RFC 6298 fallback */
		inet_csk(sk)->icsk_rto = msecs_to_jiffies(3000);
	tp->rcv_space = tp->rcv_wnd;
	tcp_update_pacing_rate(sk);
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
	acceptable = tcp_ack(sk, skb, FLAG_SLOWPATH | FLAG_UPDATE_TS_RECENT) > 0;
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
