/*
 * tcp_xmit.c - the send loop (net/ipv4/tcp_output.c): tcp_write_xmit
 * with its tests (tcp_cwnd_test, tcp_snd_wnd_test, Nagle,
 * tcp_mss_split_point, tso_fragment), tcp_event_new_data_sent,
 * __tcp_push_pending_frames and tcp_push_one, and the MSS
 * (tcp_sync_mss, tcp_current_mss).
 *
 * Departures: no GSO/TSO on transmit - sendmsg builds skbs of up to
 * 64 KB (as GSO Linux) and tso_fragment cuts one MSS off the front of
 * the skb for each segment (Linux cuts the tail off and lets the device
 * segment; the send buffer is charged as Linux's one split would be,
 * tcp_push_one sends all the pieces of the skb, and the last piece of
 * what Linux would send as one GSO skb carries its forced PSH); no TLP,
 * pacing, TSQ or MTU probing.
 */
#include <errno.h>
#include <string.h>

#include "engine/probe.h"
#include "net/core/net_namespace.h"
#include "sched/sched.h"
#include "tcp.h"

/* How many more segments the congestion window allows. */
static unsigned int tcp_cwnd_test(const struct tcp_sock *tp,
				  const struct sk_buff *skb)
{
	KP_FUNC_ARG(tcp_cwnd_test, KP_NOOBJ, tp->snd_cwnd);
	uint32_t in_flight, cwnd;

	if (TCP_SKB_CB(skb)->tcp_flags & TCPHDR_FIN)
		return 1; /* a lone FIN always goes */
	in_flight = tcp_packets_in_flight(tp);
	cwnd = tp->snd_cwnd;
	if (in_flight >= cwnd)
		return 0;
	return cwnd - in_flight;
}

static uint32_t tcp_wnd_end(const struct tcp_sock *tp)
{
	return tp->snd_una + tp->snd_wnd;
}

/* Does the first segment of @skb fit in the peer's window? */
static bool tcp_snd_wnd_test(const struct tcp_sock *tp,
			     const struct sk_buff *skb, unsigned int cur_mss)
{
	KP_FUNC_ARG(tcp_snd_wnd_test, KP_NOOBJ, tp->snd_wnd);
	uint32_t end_seq = TCP_SKB_CB(skb)->end_seq;
	if (skb->len > cur_mss)
		end_seq = TCP_SKB_CB(skb)->seq + cur_mss;
	return !after(end_seq, tcp_wnd_end(tp));
}

static bool tcp_minshall_check(const struct tcp_sock *tp)
{
	return after(tp->snd_sml, tp->snd_una) &&
	       !after(tp->snd_sml, tp->snd_nxt);
}

/* Nagle: may a segment of @skb go now? */
static bool tcp_nagle_test(const struct tcp_sock *tp,
			   const struct sk_buff *skb, unsigned int cur_mss,
			   int nonagle)
{
	bool partial = skb->len < cur_mss;
	if (nonagle & TCP_NAGLE_PUSH)
		return true;
	if (TCP_SKB_CB(skb)->tcp_flags & TCPHDR_FIN)
		return true;
	return !(partial &&
		 ((nonagle & TCP_NAGLE_CORK) ||
		  (!nonagle && tp->packets_out && tcp_minshall_check(tp))));
}

static unsigned int tcp_mss_split_point(const struct sock *sk,
					const struct sk_buff *skb,
					unsigned int mss_now,
					unsigned int max_segs, int nonagle)
{
	KP_FUNC_ARG(tcp_mss_split_point, KP_NOOBJ, skb->len);
	const struct tcp_sock *tp = tcp_sk(sk);
	uint32_t partial, needed, window, max_len;

	window = tcp_wnd_end(tp) - TCP_SKB_CB(skb)->seq;
	max_len = mss_now * max_segs;
	if (max_len <= window && skb != skb_peek_tail(&sk->sk_write_queue))
		return max_len;
	needed = skb->len < window ? skb->len : window;
	if (max_len <= needed)
		return max_len;
	partial = needed % mss_now;
	/* a partial segment at the end waits under Nagle */
	if (partial && !(nonagle & TCP_NAGLE_PUSH) && tp->packets_out)
		return needed - partial;
	return needed;
}

/* Cut the first @len bytes of @skb off into a new skb queued before it
 * (kpath's departure; see the file comment). */
int tso_fragment(struct sock *sk, struct sk_buff *skb,
			unsigned int len, unsigned int mss_now)
{
	KP_FUNC_ARG(tso_fragment, skb, len);
	struct tcp_sock *tp = tcp_sk(sk);
	struct sk_buff *buff;
	uint8_t flags = TCP_SKB_CB(skb)->tcp_flags;
	(void)mss_now;

	buff = alloc_skb(sock_net(sk), MAX_TCP_HEADER + len);
	if (!buff)
		return -ENOMEM;
	skb_reserve(buff, MAX_TCP_HEADER);
	skb_copy_bits(skb, 0, skb_put(buff, len), (int)len);
	skb_pull(skb, len);
	buff->ip_summed = CHECKSUM_PARTIAL;

	memcpy(TCP_SKB_CB(buff), TCP_SKB_CB(skb), sizeof(struct tcp_skb_cb));
	TCP_SKB_CB(buff)->end_seq = TCP_SKB_CB(skb)->seq + len;
	TCP_SKB_CB(buff)->tcp_flags = flags & ~(TCPHDR_FIN | TCPHDR_PSH);
	TCP_SKB_CB(skb)->seq += len;

	/* the bytes' charge moves with them; the head Linux's split
	 * allocates is charged by tcp_write_xmit (kp_tso_charge_split) */
	TCP_SKB_CB(buff)->kp_charge =
		TCP_SKB_CB(skb)->kp_charge < len ? TCP_SKB_CB(skb)->kp_charge
						 : len;
	TCP_SKB_CB(skb)->kp_charge -= TCP_SKB_CB(buff)->kp_charge;
	__skb_queue_after(&sk->sk_write_queue, skb->prev, buff);
	kp_skb_where(buff, "sk_write_queue", sk->kp.id);
	if (tp->sk_send_head == skb)
		tp->sk_send_head = buff;
	return 0;
}

static void tcp_event_new_data_sent(struct sock *sk,
				    const struct sk_buff *skb)
{
	struct tcp_sock *tp = tcp_sk(sk);
	uint32_t prior_packets = tp->packets_out;

	tcp_advance_send_head(sk, skb);
	tp->snd_nxt = TCP_SKB_CB(skb)->end_seq;
	tp->packets_out++;
	if (tcp_in_cwnd_reduction(sk))
		tp->prr_out++;
	__NET_INC_STATS(sock_net(sk), TCPOrigDataSent);

	if (!prior_packets || inet_csk(sk)->icsk_pending != ICSK_TIME_RETRANS)
		tcp_rearm_rto(sk);
}

bool tcp_write_xmit(struct sock *sk, unsigned int mss_now, int nonagle,
		    int push_one)
{
	KP_FUNC_ARG(tcp_write_xmit, sk, push_one);
	struct tcp_sock *tp = tcp_sk(sk);
	struct sk_buff *skb;
	unsigned int sent_pkts = 0;
	bool is_cwnd_limited = false;

	/* the skb pieces are being cut from, and its first piece */
	struct sk_buff *cut_from = NULL, *first_piece = NULL;
	/* the skb Linux would send now (GSO): what is left of it to send,
	 * and whether it is more than one segment */
	struct sk_buff *run_skb = NULL;
	unsigned int run_left = 0;
	bool run_gso = false;

	while ((skb = tcp_send_head(sk)) != NULL) {
		unsigned int cwnd_quota, limit;
		struct sk_buff *orig = skb;

		cwnd_quota = tcp_cwnd_test(tp, skb);
		if (!cwnd_quota) {
			is_cwnd_limited = true;
			break;
		}
		if (!tcp_snd_wnd_test(tp, skb, mss_now))
			break;
		if (skb->len <= mss_now &&
		    !tcp_nagle_test(tp, skb, mss_now,
				    tcp_write_queue_next(sk, skb)
					    ? TCP_NAGLE_PUSH
					    : nonagle))
			break;

		limit = mss_now;
		if (skb->len > mss_now) {
			limit = tcp_mss_split_point(sk, skb, mss_now,
						    cwnd_quota, nonagle);
			if (!limit)
				break;
		}
		if (orig != run_skb || !run_left) {
			run_skb = orig;
			run_left = skb->len < limit ? skb->len : limit;
			run_gso = run_left > mss_now;
		}
		if (limit > mss_now)
			limit = mss_now; /* no GSO: one MSS each */
		if (skb->len > limit) {
			if (tso_fragment(sk, skb, limit, mss_now))
				break;
			skb = tcp_send_head(sk); /* the piece cut off */
			if (cut_from != orig) {
				cut_from = orig;
				first_piece = skb;
			}
		}

		/* __tcp_transmit_skb forces PSH on a GSO skb, which GSO
		 * leaves on its last segment */
		run_left = run_left > skb->len ? run_left - skb->len : 0;
		if (!run_left && run_gso)
			TCP_SKB_CB(skb)->tcp_flags |= TCPHDR_PSH;
		if (tcp_transmit_skb(sk, skb, 1))
			break;
		if (skb->len < mss_now)
			tp->snd_sml = TCP_SKB_CB(skb)->end_seq;
		tcp_event_new_data_sent(sk, skb);
		sent_pkts++;
		/* Linux sends one (GSO) skb: here all pieces of it */
		if (push_one && tcp_send_head(sk) != orig)
			break;
	}
	/* Linux split the skb once (tso_fragment at the split point): the
	 * rest is a new skb whose head is charged to sk_wmem_queued. */
	if (cut_from && cut_from == tcp_send_head(sk)) {
		TCP_SKB_CB(first_piece)->kp_charge += KP_TCP_SKB_HEAD_TRUESIZE;
		sk->sk_wmem_queued += (int)KP_TCP_SKB_HEAD_TRUESIZE;
	}
	/* tcp_cwnd_validate */
	is_cwnd_limited |= tcp_packets_in_flight(tp) >= tp->snd_cwnd;
	if (!before(tp->snd_una, tp->max_packets_seq) ||
	    tp->packets_out > tp->max_packets_out || is_cwnd_limited) {
		tp->max_packets_out = tp->packets_out;
		tp->max_packets_seq = tp->snd_nxt;
		tp->is_cwnd_limited = is_cwnd_limited;
	}
	return !tp->packets_out && tcp_send_head(sk);
}

void __tcp_push_pending_frames(struct sock *sk, unsigned int cur_mss,
			       int nonagle)
{
	KP_FUNC(__tcp_push_pending_frames, sk);
	if (sk->sk_state == TCP_CLOSE)
		return;
	if (tcp_write_xmit(sk, cur_mss, nonagle, 0) &&
	    !inet_csk(sk)->icsk_pending)
		/* zero window: the probe timer (here the RTO) retries */
		inet_csk_reset_xmit_timer(sk, ICSK_TIME_PROBE0,
					  inet_csk(sk)->icsk_rto);
}

void tcp_push_one(struct sock *sk, unsigned int mss_now)
{
	KP_FUNC(tcp_push_one, sk);
	tcp_write_xmit(sk, mss_now, TCP_NAGLE_PUSH, 1);
}

unsigned int tcp_sync_mss(struct sock *sk, uint32_t pmtu)
{
	struct tcp_sock *tp = tcp_sk(sk);
	int mss = (int)pmtu - (int)sizeof(struct iphdr) -
		  (int)sizeof(struct tcphdr);
	if (tp->rx_opt.mss_clamp && mss > tp->rx_opt.mss_clamp)
		mss = tp->rx_opt.mss_clamp;
	if (mss < 48)
		mss = 48;
	inet_csk(sk)->icsk_pmtu_cookie = pmtu;
	/* the MSS less the options every segment carries */
	tp->mss_cache = (uint32_t)mss -
			(tp->tcp_header_len - sizeof(struct tcphdr));
	return tp->mss_cache;
}

/* The MSS now: less the room SACK blocks take on this segment. */
unsigned int tcp_current_mss(struct sock *sk)
{
	const struct tcp_sock *tp = tcp_sk(sk);
	unsigned int mss_now = tp->mss_cache;
	struct tcp_out_options opts;
	unsigned int header_len;

	if (!tp->rx_opt.num_sacks && !tp->rx_opt.dsack)
		return mss_now;
	header_len = tcp_established_options(sk, &opts) +
		     sizeof(struct tcphdr);
	if (header_len > tp->tcp_header_len)
		mss_now -= header_len - tp->tcp_header_len;
	return mss_now;
}

