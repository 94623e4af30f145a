/*
 * tcp_xmit.c - the send loop (net/ipv4/tcp_output.c): tcp_write_xmit
 * with its tests (tcp_cwnd_test with its half-cwnd limit,
 * tcp_snd_wnd_test, Nagle, tcp_tso_should_defer, tcp_mss_split_point,
 * tso_fragment), TSO sizing (tcp_tso_autosize from the pacing rate and
 * tcp_min_tso_segs), tcp_event_new_data_sent, __tcp_push_pending_frames
 * and tcp_push_one, and the MSS (tcp_sync_mss, tcp_current_mss).
 *
 * Departures: no GSO/TSO on transmit - sendmsg builds skbs of up to
 * 64 KB (as GSO Linux) and tso_fragment cuts one MSS off the front of
 * the skb for each segment (Linux cuts the tail off and lets the device
 * segment; the send buffer is charged as Linux's splits would be,
 * tcp_push_one sends the pieces of one GSO skb, and the last piece of
 * what Linux would send as one GSO skb carries its forced PSH, on the
 * copy sent only); no TLP, no pacing (the rate only sizes TSO skbs), no
 * TSQ or MTU probing.
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
	uint32_t in_flight, cwnd, halfcwnd;

	if (TCP_SKB_CB(skb)->tcp_flags & TCPHDR_FIN)
		return 1; /* a lone FIN always goes */
	in_flight = tcp_packets_in_flight(tp);
	cwnd = tp->snd_cwnd;
	if (in_flight >= cwnd)
		return 0;
	/* For better scheduling, ensure we have at least 2 GSO packets
	 * in flight. */
	halfcwnd = cwnd >> 1 > 1 ? cwnd >> 1 : 1;
	return halfcwnd < cwnd - in_flight ? halfcwnd : cwnd - in_flight;
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

/* How many segments a TSO skb should hold: about 1 ms worth at the
 * pacing rate (sk_pacing_shift 10), a whole GSO skb when the RTT is
 * tiny (tcp_tso_rtt_log 9), at least tcp_min_tso_segs (tcp_tso_autosize
 * for tcp_tso_segs). */
static uint32_t tcp_tso_autosize(const struct sock *sk, unsigned int mss_now,
				 uint32_t min_tso_segs)
{
	const struct tcp_sock *tp = tcp_sk(sk);
	uint64_t rate = tp->pacing_rate;
	uint64_t bytes = rate == UINT64_MAX ? rate : rate >> 10;
	uint32_t r = tp->rtt_min >> 9, segs;

	if (r < 32 && bytes != UINT64_MAX)
		bytes += sk->sk_gso_max_size >> r;
	if (bytes > sk->sk_gso_max_size)
		bytes = sk->sk_gso_max_size;
	segs = (uint32_t)(bytes / mss_now);
	return segs > min_tso_segs ? segs : min_tso_segs;
}

static uint32_t tcp_tso_segs(struct sock *sk, unsigned int mss_now)
{
	return tcp_tso_autosize(sk, mss_now,
				(uint32_t)sock_net(sk)->sysctl.tcp_min_tso_segs);
}

/* Try to defer sending, if possible, in order to minimize the amount of
 * TSO splitting we do: a kind of TSO Nagle test (John Heffner's).  Sends
 * now when the window is far enough open, when the last send is more
 * than 1 ms old, or when the next ACK is not due within min(1 ms,
 * srtt/2). */
static bool tcp_tso_should_defer(struct sock *sk, struct sk_buff *skb,
				 bool *is_cwnd_limited, uint32_t max_segs)
{
	KP_FUNC_ARG(tcp_tso_should_defer, skb, skb->len);
	const struct tcp_sock *tp = tcp_sk(sk);
	uint32_t send_win, cong_win, limit, in_flight;
	uint64_t now = local_clock(), srtt_in_ns, expected_ack, threshold;
	const struct sk_buff *head;
	long win_divisor;

	if (inet_csk(sk)->icsk_ca_state >= TCP_CA_Recovery)
		return false;
	/* Avoid bursty behavior by allowing defer only if the last write
	 * was recent (1 ms). */
	if (now > tp->tcp_wstamp_ns + 1000000u)
		return false;
	in_flight = tcp_packets_in_flight(tp);
	send_win = tcp_wnd_end(tp) - TCP_SKB_CB(skb)->seq;
	cong_win = (tp->snd_cwnd - in_flight) * tp->mss_cache;
	limit = send_win < cong_win ? send_win : cong_win;
	/* If a full-sized TSO skb can be sent, do it. */
	if (limit >= max_segs * tp->mss_cache)
		return false;
	/* Middle in queue won't get any more data, full sendable already? */
	if (skb != skb_peek_tail(&sk->sk_write_queue) && limit >= skb->len)
		return false;
	win_divisor = sock_net(sk)->sysctl.tcp_tso_win_divisor;
	if (win_divisor) {
		uint32_t chunk = tp->snd_cwnd * tp->mss_cache;
		if (tp->snd_wnd < chunk)
			chunk = tp->snd_wnd;
		/* If at least some fraction of a window is available, just
		 * use it. */
		chunk /= (uint32_t)win_divisor;
		if (limit >= chunk)
			return false;
	} else if (limit > 3 * tp->mss_cache) {
		/* tcp_max_tso_deferred_mss: do not defer past one ACK */
		return false;
	}
	head = skb_peek(&sk->sk_write_queue); /* tcp_rtx_queue_head */
	if (!head || head == tcp_send_head(sk))
		return false;
	/* If next ACK is likely to come too late, ie in more than
	 * min(1ms, half srtt), do not defer. */
	srtt_in_ns = (uint64_t)tp->srtt_us * (1000u >> 3);
	expected_ack = TCP_SKB_CB(head)->when + srtt_in_ns;
	threshold = srtt_in_ns >> 1 < 1000000u ? srtt_in_ns >> 1 : 1000000u;
	if ((int64_t)(expected_ack - now - threshold) > 0)
		return false;
	/* Ok, it looks like it is advisable to defer. */
	if (cong_win < send_win && cong_win <= skb->len)
		*is_cwnd_limited = true;
	return true;
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

void tcp_event_new_data_sent(struct sock *sk,
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

	if (!prior_packets ||
	    (inet_csk(sk)->icsk_pending != ICSK_TIME_RETRANS &&
	     inet_csk(sk)->icsk_pending != ICSK_TIME_REO_TIMEOUT))
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

	/* the skb Linux would send now as one GSO skb (a "run"): what is
	 * left of it to send, whether it is more than one segment, and the
	 * first piece cut off for it */
	struct sk_buff *run_skb = NULL, *run_first = NULL;
	unsigned int run_left = 0;
	bool run_gso = false;
	uint32_t max_segs = tcp_tso_segs(sk, mss_now);

	while ((skb = tcp_send_head(sk)) != NULL) {
		struct sk_buff *orig = skb;
		unsigned int cut;
		uint8_t flags;
		int err;

		if (orig != run_skb || !run_left) {
			/* Linux's tests, once for each skb it sends */
			unsigned int cwnd_quota, limit = mss_now;

			cwnd_quota = tcp_cwnd_test(tp, skb);
			if (!cwnd_quota) {
				is_cwnd_limited = true;
				if (push_one != 2)
					break;
				cwnd_quota = 1; /* a loss probe goes anyway */
			}
			if (!tcp_snd_wnd_test(tp, skb, mss_now))
				break;
			if (skb->len <= mss_now) {
				if (!tcp_nagle_test(tp, skb, mss_now,
						    tcp_write_queue_next(sk, skb)
							    ? TCP_NAGLE_PUSH
							    : nonagle))
					break;
			} else if (!push_one &&
				   tcp_tso_should_defer(sk, skb,
							&is_cwnd_limited,
							max_segs)) {
				break;
			}
			if (skb->len > mss_now) {
				limit = tcp_mss_split_point(
					sk, skb, mss_now,
					cwnd_quota < max_segs ? cwnd_quota
							      : max_segs,
					nonagle);
				if (!limit)
					break;
			}
			run_skb = orig;
			run_first = NULL;
			run_left = skb->len < limit ? skb->len : limit;
			run_gso = run_left > mss_now;
		}
		/* no GSO: one MSS (or what is left of the run) each */
		cut = run_left < mss_now ? run_left : mss_now;
		if (skb->len > cut) {
			if (tso_fragment(sk, skb, cut, mss_now))
				break;
			skb = tcp_send_head(sk); /* the piece cut off */
			if (!run_first)
				run_first = skb;
		}

		/* __tcp_transmit_skb forces PSH on (the clone of) a GSO
		 * skb, which GSO leaves on its last segment; the skb kept
		 * for retransmission does not have it */
		run_left = run_left > skb->len ? run_left - skb->len : 0;
		flags = TCP_SKB_CB(skb)->tcp_flags;
		if (!run_left && run_gso)
			TCP_SKB_CB(skb)->tcp_flags |= TCPHDR_PSH;
		err = tcp_transmit_skb(sk, skb, 1);
		TCP_SKB_CB(skb)->tcp_flags = flags;
		if (err)
			break;
		if (skb->len < mss_now)
			tp->snd_sml = TCP_SKB_CB(skb)->end_seq;
		tcp_event_new_data_sent(sk, skb);
		sent_pkts++;
		if (run_left)
			continue;
		/* Linux split the skb at the end of the run (tso_fragment):
		 * the rest is a new skb whose head is charged to
		 * sk_wmem_queued */
		if (run_first && tcp_send_head(sk) == orig) {
			TCP_SKB_CB(run_first)->kp_charge +=
				KP_TCP_SKB_HEAD_TRUESIZE;
			sk->sk_wmem_queued += (int)KP_TCP_SKB_HEAD_TRUESIZE;
		}
		/* push_one: one (GSO) skb, here all pieces of it */
		if (push_one)
			break;
	}
	/* one loss probe per tail loss episode (not for the probe) */
	if (sent_pkts && push_one != 2)
		tcp_schedule_loss_probe(sk, false);
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

