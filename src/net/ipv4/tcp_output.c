/*
 * tcp_output.c - building and sending TCP segments (net/ipv4/
 * tcp_output.c): tcp_transmit_skb (clone kept for retransmission,
 * header and options, checksum, icsk_af_ops->queue_xmit), the send
 * loop tcp_write_xmit with its tests (tcp_cwnd_test, tcp_snd_wnd_test,
 * Nagle, tcp_mss_split_point, tso_fragment), ACKs (immediate and
 * delayed), FIN, RST, the SYN of tcp_connect and the SYN-ACK of
 * tcp_make_synack, and window selection.
 *
 * Departures: no GSO/TSO on transmit - sendmsg builds skbs of up to
 * 64 KB (as GSO Linux) and tso_fragment cuts one MSS off the front of
 * the skb for each segment (Linux cuts the tail off and lets the device
 * segment); no SACK blocks, TLP, pacing, TSQ or MTU probing.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <string.h>

#include "engine/probe.h"
#include "net/core/net_namespace.h"
#include "net/core/netdevice.h"
#include "net/ipv4/ip_output.h"
#include "sched/sched.h"
#include "tcp.h"

#define OPTION_SACK_ADVERTISE (1 << 0)
#define OPTION_TS (1 << 1)
#define OPTION_MSS (1 << 2)
#define OPTION_WSCALE (1 << 3)

struct tcp_out_options {
	uint16_t options;
	uint8_t ws;
	uint16_t mss;
	uint32_t tsval, tsecr;
};

uint32_t tcp_time_stamp(const struct tcp_sock *tp)
{
	/* current Linux: a millisecond clock plus a per-connection offset */
	return (uint32_t)(local_clock() / 1000000u) + tp->tsoffset;
}

/* ---- write queue helpers ---- */

struct sk_buff *tcp_write_queue_next(const struct sock *sk,
				     const struct sk_buff *skb)
{
	struct sk_buff *next = skb->next;
	return next == (const struct sk_buff *)&sk->sk_write_queue ? NULL
								   : next;
}

void tcp_advance_send_head(struct sock *sk, const struct sk_buff *skb)
{
	tcp_sk(sk)->sk_send_head = tcp_write_queue_next(sk, skb);
}

void tcp_init_nondata_skb(struct sk_buff *skb, uint32_t seq, uint8_t flags)
{
	struct tcp_skb_cb *tcb = TCP_SKB_CB(skb);
	memset(tcb, 0, sizeof(*tcb));
	skb->ip_summed = CHECKSUM_PARTIAL;
	tcb->tcp_flags = flags;
	tcb->seq = seq;
	if (flags & (TCPHDR_SYN | TCPHDR_FIN))
		seq++;
	tcb->end_seq = seq;
}

/* Append to the write queue, charging sk_wmem_queued (tcp_queue_skb). */
static void tcp_queue_skb(struct sock *sk, struct sk_buff *skb)
{
	struct tcp_sock *tp = tcp_sk(sk);
	tp->write_seq = TCP_SKB_CB(skb)->end_seq;
	__skb_queue_tail(&sk->sk_write_queue, skb);
	kp_skb_where(skb, "sk_write_queue", sk->kp.id);
	TCP_SKB_CB(skb)->kp_charge = skb->truesize;
	sk->sk_wmem_queued += (int)skb->truesize;
	if (!tp->sk_send_head)
		tp->sk_send_head = skb;
}

static struct sk_buff *tcp_alloc_ctl_skb(struct net *net)
{
	struct sk_buff *skb = alloc_skb(net, MAX_TCP_HEADER);
	if (skb)
		skb_reserve(skb, MAX_TCP_HEADER);
	return skb;
}

/* ---- windows ---- */

void tcp_select_initial_window(const struct sock *sk, int space,
			       uint32_t mss, uint32_t *rcv_wnd,
			       uint32_t *window_clamp, int wscale_ok,
			       uint8_t *rcv_wscale, uint32_t init_rcv_wnd)
{
	if (*window_clamp == 0)
		*window_clamp = 65535u << TCP_MAX_WSCALE;
	if ((uint32_t)space > *window_clamp)
		space = (int)*window_clamp;
	if ((uint32_t)space > mss)
		space = (int)((uint32_t)space / mss * mss);
	*rcv_wnd = (uint32_t)space > 65535u ? 65535u : (uint32_t)space;
	if (init_rcv_wnd)
		*rcv_wnd = *rcv_wnd < init_rcv_wnd * mss ? *rcv_wnd
							  : init_rcv_wnd * mss;
	*rcv_wscale = 0;
	if (wscale_ok) {
		/* scale for the largest buffer the socket may grow to */
		long big = sock_net(sk)->sysctl.tcp_rmem_max;
		uint32_t s = big > (long)*window_clamp ? *window_clamp
						       : (uint32_t)big;
		while (s > 65535u && *rcv_wscale < TCP_MAX_WSCALE) {
			s >>= 1;
			(*rcv_wscale)++;
		}
	}
	if (*window_clamp > (65535u << *rcv_wscale))
		*window_clamp = 65535u << *rcv_wscale;
}

/* tcp_space: half of the free receive buffer (tcp_adv_win_scale 1) */
static int tcp_space(const struct sock *sk)
{
	int free = sk->sk_rcvbuf - sk->sk_rmem_alloc;
	return free > 0 ? free / 2 : 0;
}

uint32_t __tcp_select_window(struct sock *sk)
{
	struct tcp_sock *tp = tcp_sk(sk);
	uint32_t mss = inet_csk(sk)->icsk_ack.rcv_mss;
	int free_space = tcp_space(sk);
	uint32_t window;

	if (!mss)
		mss = tp->mss_cache;
	if ((uint32_t)free_space < mss)
		return 0;
	if ((uint32_t)free_space > tp->rcv_ssthresh)
		free_space = (int)tp->rcv_ssthresh;
	if ((uint32_t)free_space > tp->window_clamp)
		free_space = (int)tp->window_clamp;
	window = (uint32_t)free_space;
	if (tp->rx_opt.rcv_wscale)
		window &= ~((1u << tp->rx_opt.rcv_wscale) - 1);
	else if (window > mss)
		window = window / mss * mss;
	return window;
}

uint16_t tcp_select_window(struct sock *sk)
{
	struct tcp_sock *tp = tcp_sk(sk);
	int32_t cur = (int32_t)(tp->rcv_wup + tp->rcv_wnd - tp->rcv_nxt);
	uint32_t cur_win = cur > 0 ? (uint32_t)cur : 0;
	uint32_t new_win = __tcp_select_window(sk);

	/* never shrink what was offered */
	if (new_win < cur_win) {
		uint32_t a = 1u << tp->rx_opt.rcv_wscale;
		new_win = (cur_win + a - 1) & ~(a - 1);
	}
	tp->rcv_wnd = new_win;
	tp->rcv_wup = tp->rcv_nxt;
	if (new_win > (65535u << tp->rx_opt.rcv_wscale))
		new_win = 65535u << tp->rx_opt.rcv_wscale;
	return (uint16_t)(new_win >> tp->rx_opt.rcv_wscale);
}

/* ---- options ---- */

static unsigned int tcp_syn_options(struct sock *sk,
				    struct tcp_out_options *opts)
{
	struct tcp_sock *tp = tcp_sk(sk);
	struct net *net = sock_net(sk);
	unsigned int size = TCPOLEN_MSS;

	opts->options = OPTION_MSS;
	opts->mss = (uint16_t)tp->rx_opt.mss_clamp;
	if (net->sysctl.tcp_timestamps) {
		opts->options |= OPTION_TS;
		opts->tsval = tcp_time_stamp(tp);
		opts->tsecr = tp->rx_opt.ts_recent;
		size += TCPOLEN_TSTAMP_ALIGNED;
	}
	if (net->sysctl.tcp_window_scaling) {
		opts->ws = tp->rx_opt.rcv_wscale;
		opts->options |= OPTION_WSCALE;
		size += 4;
	}
	if (net->sysctl.tcp_sack) {
		opts->options |= OPTION_SACK_ADVERTISE;
		if (!(opts->options & OPTION_TS))
			size += 4;
	}
	return size;
}

static unsigned int tcp_established_options(struct sock *sk,
					    struct tcp_out_options *opts)
{
	struct tcp_sock *tp = tcp_sk(sk);
	opts->options = 0;
	if (tp->rx_opt.tstamp_ok) {
		opts->options |= OPTION_TS;
		opts->tsval = tcp_time_stamp(tp);
		opts->tsecr = tp->rx_opt.ts_recent;
		return TCPOLEN_TSTAMP_ALIGNED;
	}
	return 0;
}

static void put32(unsigned char **p, uint32_t v)
{
	v = htonl(v);
	memcpy(*p, &v, 4);
	*p += 4;
}

/* In Linux's order: MSS, SACK_PERM+TS (or NOP NOP TS), NOP+WS. */
static void tcp_options_write(unsigned char *p,
			      const struct tcp_out_options *opts)
{
	uint16_t o = opts->options;
	if (o & OPTION_MSS)
		put32(&p, (TCPOPT_MSS << 24) | (TCPOLEN_MSS << 16) | opts->mss);
	if (o & OPTION_TS) {
		if (o & OPTION_SACK_ADVERTISE)
			put32(&p, (TCPOPT_SACK_PERM << 24) |
					  (TCPOLEN_SACK_PERM << 16) |
					  (TCPOPT_TIMESTAMP << 8) |
					  TCPOLEN_TIMESTAMP);
		else
			put32(&p, (TCPOPT_NOP << 24) | (TCPOPT_NOP << 16) |
					  (TCPOPT_TIMESTAMP << 8) |
					  TCPOLEN_TIMESTAMP);
		put32(&p, opts->tsval);
		put32(&p, opts->tsecr);
	}
	if ((o & OPTION_SACK_ADVERTISE) && !(o & OPTION_TS))
		put32(&p, (TCPOPT_NOP << 24) | (TCPOPT_NOP << 16) |
				  (TCPOPT_SACK_PERM << 8) | TCPOLEN_SACK_PERM);
	if (o & OPTION_WSCALE)
		put32(&p, (TCPOPT_NOP << 24) | (TCPOPT_WINDOW << 16) |
				  (TCPOLEN_WINDOW << 8) | opts->ws);
}

/* Push a TCP header for the cb's seq/flags onto @skb. */
static struct tcphdr *tcp_push_header(struct sk_buff *skb, uint16_t sport,
				      uint16_t dport, uint32_t ack_seq,
				      uint16_t window,
				      const struct tcp_out_options *opts,
				      unsigned int opts_size)
{
	const struct tcp_skb_cb *tcb = TCP_SKB_CB(skb);
	unsigned int hlen = sizeof(struct tcphdr) + opts_size;
	struct tcphdr *th;

	skb_push(skb, hlen);
	skb_reset_transport_header(skb);
	th = (struct tcphdr *)skb->data;
	memset(th, 0, hlen);
	th->source = sport;
	th->dest = dport;
	th->seq = htonl(tcb->seq);
	th->ack_seq = htonl(ack_seq);
	((uint16_t *)th)[6] = htons((uint16_t)(((hlen >> 2) << 12) |
					       tcb->tcp_flags));
	th->window = htons(window);
	tcp_options_write((unsigned char *)(th + 1), opts);
	return th;
}

/* ---- handing segments to IP ---- */

static int kp_tcp_route_reply(struct net *net, struct sk_buff *skb,
			      uint32_t saddr, uint32_t daddr)
{
	struct flowi4 fl4 = { 0 };
	struct rtable *rt;
	fl4.daddr = daddr;
	fl4.saddr = saddr;
	fl4.flowi4_proto = IPPROTO_TCP;
	if (kp_ip_route_output_key(net, &fl4, &rt)) {
		kfree_skb_reason(skb, SKB_DROP_REASON_IP_OUTNOROUTES);
		return -EHOSTUNREACH;
	}
	skb_dst_set(skb, &rt->dst);
	return 0;
}

/* SYN-ACKs and RSTs: built here, routed, ip_build_and_send_pkt. */
static int kp_tcp_send_reply(const struct sock *sk, struct sk_buff *skb,
			     uint32_t saddr, uint32_t daddr)
{
	struct net *net = skb->net;
	if (net->tcp && net->tcp->kp_xmit)
		return net->tcp->kp_xmit((struct sock *)sk, skb, saddr, daddr);
	if (kp_tcp_route_reply(net, skb, saddr, daddr))
		return -EHOSTUNREACH;
	return ip_build_and_send_pkt(skb, sk, saddr, daddr);
}

int kp_tcp_ip_send(struct sock *sk, struct sk_buff *skb, uint32_t saddr,
		   uint32_t daddr)
{
	struct net *net = sock_net(sk);
	struct flowi4 fl4 = { 0 };
	if (net->tcp->kp_xmit)
		return net->tcp->kp_xmit(sk, skb, saddr, daddr);
	fl4.saddr = saddr;
	fl4.daddr = daddr;
	fl4.flowi4_proto = IPPROTO_TCP;
	fl4.fl4_sport = inet_sk(sk)->inet_sport;
	fl4.fl4_dport = inet_sk(sk)->inet_dport;
	return inet_csk(sk)->icsk_af_ops->queue_xmit(sk, skb, &fl4);
}

/* ---- tcp_transmit_skb ---- */

static void tcp_event_ack_sent(struct sock *sk)
{
	struct inet_connection_sock *icsk = inet_csk(sk);
	if (icsk->icsk_ack.quick)
		icsk->icsk_ack.quick--;
	inet_csk_clear_xmit_timer(sk, ICSK_TIME_DACK);
}

int tcp_transmit_skb(struct sock *sk, struct sk_buff *skb, int clone_it)
{
	KP_FUNC_ARG(tcp_transmit_skb, skb, TCP_SKB_CB(skb)->seq);
	struct tcp_sock *tp = tcp_sk(sk);
	struct inet_sock *inet = inet_sk(sk);
	struct net *net = sock_net(sk);
	struct tcp_out_options opts;
	unsigned int opts_size;
	struct tcp_skb_cb *tcb;
	uint16_t window;
	struct tcphdr *th;
	int err;

	if (clone_it) {
		TCP_SKB_CB(skb)->when = local_clock();
		/* a clone still in flight shares the headroom: copy */
		if (skb_shinfo(skb)->dataref > 1)
			skb = skb_copy(skb);
		else
			skb = skb_clone(skb);
		if (!skb)
			return -ENOBUFS;
	}
	tcb = TCP_SKB_CB(skb);
	memset(&opts, 0, sizeof(opts));
	if (tcb->tcp_flags & TCPHDR_SYN)
		opts_size = tcp_syn_options(sk, &opts);
	else
		opts_size = tcp_established_options(sk, &opts);

	if (tcb->tcp_flags & TCPHDR_SYN)
		window = (uint16_t)(tp->rcv_wnd > 65535u ? 65535u
							 : tp->rcv_wnd);
	else
		window = tcp_select_window(sk);
	th = tcp_push_header(skb, inet->inet_sport, inet->inet_dport,
			     tcb->tcp_flags & TCPHDR_ACK ? tp->rcv_nxt : 0,
			     window, &opts, opts_size);
	(void)th;
	skb->sk = sk;

	if (tcb->tcp_flags & TCPHDR_ACK)
		tcp_event_ack_sent(sk);
	if (skb->len != sizeof(struct tcphdr) + opts_size) {
		tp->lsndtime = (uint32_t)jiffies;
		tp->data_segs_out++;
	}
	tp->segs_out++;
	__TCP_INC_STATS(net, OutSegs);
	tcp_v4_send_check(sk, skb);

	err = kp_tcp_ip_send(sk, skb, inet->inet_saddr, inet->inet_daddr);
	return err > 0 ? 0 : err; /* NET_XMIT_CN and drops: not our error */
}

/* ---- the send loop ---- */

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
static int tso_fragment(struct sock *sk, struct sk_buff *skb,
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

	/* the memory charged moves with the bytes */
	TCP_SKB_CB(buff)->kp_charge =
		TCP_SKB_CB(skb)->kp_charge < buff->truesize
			? TCP_SKB_CB(skb)->kp_charge
			: buff->truesize;
	TCP_SKB_CB(skb)->kp_charge -= TCP_SKB_CB(buff)->kp_charge;
	__skb_queue_after(&sk->sk_write_queue, skb->prev, buff);
	kp_skb_where(buff, "sk_write_queue", sk->kp.id);
	if (tp->sk_send_head == skb)
		tp->sk_send_head = buff;
	return 0;
}

static void tcp_rearm_rto(struct sock *sk)
{
	if (!tcp_sk(sk)->packets_out) {
		inet_csk_clear_xmit_timer(sk, ICSK_TIME_RETRANS);
		return;
	}
	inet_csk_reset_xmit_timer(sk, ICSK_TIME_RETRANS,
				  inet_csk(sk)->icsk_rto);
}

static void tcp_event_new_data_sent(struct sock *sk,
				    const struct sk_buff *skb)
{
	struct tcp_sock *tp = tcp_sk(sk);
	uint32_t prior_packets = tp->packets_out;

	tcp_advance_send_head(sk, skb);
	tp->snd_nxt = TCP_SKB_CB(skb)->end_seq;
	tp->packets_out++;

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

	while ((skb = tcp_send_head(sk)) != NULL) {
		unsigned int cwnd_quota, limit;

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
			if (limit > mss_now)
				limit = mss_now; /* no GSO: one MSS each */
			if (!limit)
				break;
		}
		if (skb->len > limit && tso_fragment(sk, skb, limit, mss_now))
			break;
		skb = tcp_send_head(sk); /* the piece cut off the front */

		if (tcp_transmit_skb(sk, skb, 1))
			break;
		if (skb->len < mss_now)
			tp->snd_sml = TCP_SKB_CB(skb)->end_seq;
		tcp_event_new_data_sent(sk, skb);
		sent_pkts++;
		if (push_one)
			break;
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

unsigned int tcp_current_mss(struct sock *sk)
{
	return tcp_sk(sk)->mss_cache;
}

/* ---- ACK, FIN, RST ---- */

void tcp_send_ack(struct sock *sk)
{
	struct sk_buff *buff;
	if (sk->sk_state == TCP_CLOSE)
		return;
	buff = tcp_alloc_ctl_skb(sock_net(sk));
	if (!buff) {
		inet_csk_reset_xmit_timer(sk, ICSK_TIME_DACK,
					  msecs_to_jiffies(TCP_DELACK_MAX_MS));
		return;
	}
	tcp_init_nondata_skb(buff, tcp_sk(sk)->snd_nxt, TCPHDR_ACK);
	tcp_transmit_skb(sk, buff, 0);
}

void tcp_send_delayed_ack(struct sock *sk)
{
	struct inet_connection_sock *icsk = inet_csk(sk);
	unsigned long ato = icsk->icsk_ack.ato;
	unsigned long timeout;

	if (!ato)
		ato = msecs_to_jiffies(TCP_ATO_MIN_MS);
	timeout = jiffies + ato;
	/* a timer already running sooner stays */
	if ((icsk->icsk_ack.pending & ICSK_ACK_TIMER) &&
	    time_before(icsk->icsk_ack.timeout, timeout)) {
		return;
	}
	icsk->icsk_ack.pending |= ICSK_ACK_SCHED | ICSK_ACK_TIMER;
	icsk->icsk_ack.timeout = timeout;
	mod_timer(&icsk->icsk_delack_timer, timeout);
}

void tcp_send_fin(struct sock *sk)
{
	struct tcp_sock *tp = tcp_sk(sk);
	struct sk_buff *tskb = skb_peek_tail(&sk->sk_write_queue);

	if (tskb && tcp_send_head(sk)) {
		/* ride on the last unsent segment */
		TCP_SKB_CB(tskb)->tcp_flags |= TCPHDR_FIN;
		TCP_SKB_CB(tskb)->end_seq++;
		tp->write_seq++;
	} else {
		struct sk_buff *skb = tcp_alloc_ctl_skb(sock_net(sk));
		if (!skb)
			return;
		tcp_init_nondata_skb(skb, tp->write_seq,
				     TCPHDR_ACK | TCPHDR_FIN);
		tcp_queue_skb(sk, skb);
	}
	__tcp_push_pending_frames(sk, tcp_current_mss(sk), TCP_NAGLE_OFF);
}

void tcp_send_active_reset(struct sock *sk)
{
	struct sk_buff *skb = tcp_alloc_ctl_skb(sock_net(sk));
	if (!skb)
		return;
	tcp_init_nondata_skb(skb, tcp_sk(sk)->snd_nxt,
			     TCPHDR_ACK | TCPHDR_RST);
	__TCP_INC_STATS(sock_net(sk), OutRsts);
	tcp_transmit_skb(sk, skb, 0);
}

/* ---- connection setup ---- */

static void tcp_connect_init(struct sock *sk)
{
	struct tcp_sock *tp = tcp_sk(sk);
	struct net *net = sock_net(sk);
	uint32_t mtu = 1500;

	tp->tcp_header_len = sizeof(struct tcphdr);
	if (net->sysctl.tcp_timestamps)
		tp->tcp_header_len += TCPOLEN_TSTAMP_ALIGNED;
	if (tp->rx_opt.user_mss)
		tp->rx_opt.mss_clamp = tp->rx_opt.user_mss;
	if (inet_csk(sk)->icsk_pmtu_cookie)
		mtu = inet_csk(sk)->icsk_pmtu_cookie;
	if (!tp->rx_opt.mss_clamp)
		tp->rx_opt.mss_clamp = (uint16_t)(mtu - 40);
	tcp_sync_mss(sk, mtu);
	tp->window_clamp = 0;
	tcp_select_initial_window(sk, sk->sk_rcvbuf / 2,
				  tp->rx_opt.mss_clamp, &tp->rcv_wnd,
				  &tp->window_clamp,
				  (int)net->sysctl.tcp_window_scaling,
				  &tp->rx_opt.rcv_wscale, 0);
	tp->rcv_ssthresh = tp->rcv_wnd;
	sk->sk_err = 0;
	sock_reset_flag(sk, SOCK_DONE);
	tp->snd_wnd = 0;
	tp->snd_una = tp->write_seq;
	tp->snd_sml = tp->write_seq;
	tp->snd_nxt = tp->write_seq;
	tp->pushed_seq = tp->write_seq;
	tp->rcv_nxt = 0;
	tp->rcv_wup = 0;
	tp->copied_seq = 0;
	inet_csk(sk)->icsk_rto = msecs_to_jiffies(TCP_TIMEOUT_INIT_MS);
	inet_csk(sk)->icsk_retransmits = 0;
}

int tcp_connect(struct sock *sk)
{
	struct tcp_sock *tp = tcp_sk(sk);
	struct sk_buff *buff;

	tcp_connect_init(sk);
	buff = tcp_alloc_ctl_skb(sock_net(sk));
	if (!buff)
		return -ENOBUFS;
	tcp_init_nondata_skb(buff, tp->write_seq, TCPHDR_SYN);
	tcp_queue_skb(sk, buff);
	tp->sk_send_head = NULL; /* sent right here */
	tp->snd_nxt = tp->write_seq;
	tp->packets_out++;
	tp->pushed_seq = tp->write_seq;
	tp->rx_opt.ts_recent = 0;
	tcp_transmit_skb(sk, buff, 1);
	__TCP_INC_STATS(sock_net(sk), ActiveOpens);
	inet_csk_reset_xmit_timer(sk, ICSK_TIME_RETRANS,
				  inet_csk(sk)->icsk_rto);
	return 0;
}

struct sk_buff *tcp_make_synack(const struct sock *sk,
				struct request_sock *req)
{
	struct net *net = sock_net(sk);
	struct tcp_out_options opts;
	unsigned int size = TCPOLEN_MSS;
	struct sk_buff *skb = tcp_alloc_ctl_skb(net);
	if (!skb)
		return NULL;
	tcp_init_nondata_skb(skb, req->snt_isn, TCPHDR_SYN | TCPHDR_ACK);
	memset(&opts, 0, sizeof(opts));
	opts.options = OPTION_MSS;
	opts.mss = req->mss;
	if (req->tstamp_ok) {
		opts.options |= OPTION_TS;
		opts.tsval = (uint32_t)(local_clock() / 1000000u) +
			     req->tsoffset;
		opts.tsecr = req->ts_recent;
		size += TCPOLEN_TSTAMP_ALIGNED;
	}
	if (req->wscale_ok) {
		opts.options |= OPTION_WSCALE;
		opts.ws = req->rcv_wscale;
		size += 4;
	}
	if (req->sack_ok) {
		opts.options |= OPTION_SACK_ADVERTISE;
		if (!req->tstamp_ok)
			size += 4;
	}
	tcp_push_header(skb, htons(req->ir_num), req->ir_rmt_port,
			req->rcv_isn + 1,
			(uint16_t)(req->rcv_wnd > 65535u ? 65535u
							 : req->rcv_wnd),
			&opts, size);
	return skb;
}

int tcp_v4_send_synack(const struct sock *sk, struct request_sock *req)
{
	struct sk_buff *skb = tcp_make_synack(sk, req);
	struct tcphdr *th;
	if (!skb)
		return -ENOMEM;
	th = tcp_hdr(skb);
	th->check = 0;
	th->check = kp_tcp_v4_csum(skb, 0, skb->len, req->ir_loc_addr,
				   req->ir_rmt_addr);
	__TCP_INC_STATS(sock_net(sk), OutSegs);
	return kp_tcp_send_reply(sk, skb, req->ir_loc_addr, req->ir_rmt_addr);
}

/* A RST answering @skb, sent with no socket (tcp_v4_send_reset's
 * ip_send_unicast_reply). */
void tcp_v4_send_reset(struct sock *sk, struct sk_buff *skb)
{
	const struct tcphdr *th = tcp_hdr(skb);
	const struct iphdr *iph = ip_hdr(skb);
	struct net *net = skb->net;
	struct tcp_out_options opts;
	struct sk_buff *rep;
	uint32_t seq = 0, ack = 0;
	uint8_t flags = TCPHDR_RST;
	(void)sk;

	if (th->rst)
		return; /* never answer a RST */
	if (th->ack) {
		seq = ntohl(th->ack_seq);
	} else {
		flags |= TCPHDR_ACK;
		ack = ntohl(th->seq) + th->syn + th->fin + skb->len -
		      __tcp_hdrlen(th);
	}
	rep = tcp_alloc_ctl_skb(net);
	if (!rep)
		return;
	tcp_init_nondata_skb(rep, seq, flags);
	memset(&opts, 0, sizeof(opts));
	tcp_push_header(rep, th->dest, th->source, ack, 0, &opts, 0);
	tcp_hdr(rep)->check = 0;
	tcp_hdr(rep)->check =
		kp_tcp_v4_csum(rep, 0, rep->len, iph->daddr, iph->saddr);
	__TCP_INC_STATS(net, OutSegs);
	__TCP_INC_STATS(net, OutRsts);
	kp_tcp_send_reply(NULL, rep, iph->daddr, iph->saddr);
}

/* ---- retransmission ---- */

int tcp_retransmit_skb(struct sock *sk, struct sk_buff *skb)
{
	struct tcp_sock *tp = tcp_sk(sk);
	unsigned int cur_mss = tcp_current_mss(sk);
	int err;

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
	err = tcp_transmit_skb(sk, skb, 1);
	if (err)
		return err;
	TCP_SKB_CB(skb)->sacked |= TCPCB_RETRANS | TCPCB_EVER_RETRANS;
	tp->retrans_out++;
	tp->total_retrans++;
	__TCP_INC_STATS(sock_net(sk), RetransSegs);
	return 0;
}
