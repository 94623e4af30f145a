/*
 * tcp_output.c - building and sending TCP segments (net/ipv4/
 * tcp_output.c): tcp_transmit_skb (clone kept for retransmission,
 * header and options, checksum, icsk_af_ops->queue_xmit), ACKs
 * (immediate and delayed), FIN, RST, the SYN of tcp_connect, the
 * SYN-ACK of tcp_make_synack, slow start after idle (tcp_cwnd_restart),
 * and window selection.  The send loop (tcp_write_xmit) is in
 * tcp_xmit.c, retransmission and zero-window probes in
 * tcp_retransmit.c, the options in tcp_options.c; RSTs and SYN-ACKs
 * leave through tcp_ipv4_reply.c.
 *
 * Departures: see tcp_xmit.c (no GSO); no TLP, pacing or TSQ.
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

struct sk_buff *tcp_alloc_ctl_skb(struct net *net)
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

/* ---- handing segments to IP ---- */

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

	tp->tcp_wstamp_ns = local_clock(); /* tcp_update_skb_after_send */
	if (clone_it) {
		TCP_SKB_CB(skb)->when = tp->tcp_wstamp_ns;
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
	if (opts.dsack)
		tp->rx_opt.dsack = 0; /* a D-SACK goes once */
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
	const struct tcp_sock *tp = tcp_sk(sk);
	unsigned long ato = icsk->icsk_ack.ato;
	unsigned long timeout;

	if (ato > msecs_to_jiffies(TCP_DELACK_MIN_MS)) {
		/* slow path, segments far apart: at most an RTT, and the
		 * 200 ms maximum for interactive sessions */
		unsigned long max_ato = HZ / 2;
		if (icsk->icsk_ack.pingpong ||
		    (icsk->icsk_ack.pending & ICSK_ACK_PUSHED))
			max_ato = msecs_to_jiffies(TCP_DELACK_MAX_MS);
		if (tp->srtt_us) {
			unsigned long rtt = (tp->srtt_us >> 3) / 1000u;
			if (rtt < msecs_to_jiffies(TCP_DELACK_MIN_MS))
				rtt = msecs_to_jiffies(TCP_DELACK_MIN_MS);
			if (rtt < max_ato)
				max_ato = rtt;
		}
		if (ato > max_ato)
			ato = max_ato;
	}
	/* ato 0 (nothing received yet, e.g. a bare FIN): at once, at the
	 * next timer tick */
	timeout = jiffies + ato;
	if (icsk->icsk_ack.pending & ICSK_ACK_TIMER) {
		/* the timer is about to fire anyway: ACK now */
		if (!time_after(icsk->icsk_ack.timeout,
				jiffies + (ato >> 2))) {
			tcp_send_ack(sk);
			return;
		}
		if (!time_before(timeout, icsk->icsk_ack.timeout))
			timeout = icsk->icsk_ack.timeout;
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

/* The SYN-ACK of @req; it offers our own MSS, @advmss (the route's,
 * capped by TCP_MAXSEG: tcp_mss_clamp). */
struct sk_buff *tcp_make_synack(const struct sock *sk, unsigned int advmss,
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
	if (tcp_sk(sk)->rx_opt.user_mss && tcp_sk(sk)->rx_opt.user_mss < advmss)
		advmss = tcp_sk(sk)->rx_opt.user_mss;
	opts.mss = (uint16_t)advmss;
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

/* ---- slow start after idle (RFC 2861) ---- */

/* The window restarts from the initial one after an idle period: halved
 * once per RTO idle, not below min(TCP_INIT_CWND, cwnd); ssthresh keeps
 * 3/4 of the old cwnd (tcp_current_ssthresh).  No CA_EVENT_CWND_RESTART:
 * kpath's congestion modules take no events. */
void tcp_cwnd_restart(struct sock *sk, int32_t delta)
{
	struct tcp_sock *tp = tcp_sk(sk);
	uint32_t restart_cwnd = TCP_INIT_CWND, cwnd = tp->snd_cwnd;
	uint32_t cur = (cwnd >> 1) + (cwnd >> 2);

	if (!tcp_in_cwnd_reduction(sk) && cur > tp->snd_ssthresh)
		tp->snd_ssthresh = cur;
	if (restart_cwnd > cwnd)
		restart_cwnd = cwnd;
	while ((delta -= (int32_t)inet_csk(sk)->icsk_rto) > 0 &&
	       cwnd > restart_cwnd)
		cwnd >>= 1;
	tp->snd_cwnd = cwnd > restart_cwnd ? cwnd : restart_cwnd;
	tp->snd_cwnd_stamp = local_clock();
}

/* A new skb joins the write queue with nothing in flight: idle longer
 * than an RTO since the last data went out? (tcp_skb_entail) */
void tcp_slow_start_after_idle_check(struct sock *sk)
{
	struct tcp_sock *tp = tcp_sk(sk);
	int32_t delta;

	if (!sock_net(sk)->sysctl.tcp_slow_start_after_idle || tp->packets_out)
		return;
	delta = (int32_t)((uint32_t)jiffies - tp->lsndtime);
	if (delta > (int32_t)inet_csk(sk)->icsk_rto)
		tcp_cwnd_restart(sk, delta);
}
