/*
 * cmd_ss_tcp.c - TCP sockets in ss(8)'s format: `ss -tanmi` prints the
 * state, Recv-Q/Send-Q (for a listener: the accept queue and its
 * backlog), the addresses, skmem:(r,rb,t,tb,f,w,o,bl,d) and the
 * tcp_info line (cubic wscale:7,7 rto:204 rtt:0.1/0.05 ... cwnd:10 ...),
 * as rows of ss_table.h.  Reads the model only; called by cmd_ss
 * (cmd_sock.c).
 */
#include "cmd_ss_tcp.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>

#include "net/core/net_namespace.h"
#include "net/ipv4/tcp.h"
#include "sched/host.h"

struct ss_tcp_ctx {
	struct ss_table *t;
	bool all, mem, info;
};

static void ss_tcp_info(struct kp_out *out, const struct sock *sk)
{
	const struct tcp_sock *tp = tcp_sk(sk);
	const struct inet_connection_sock *icsk = inet_csk(sk);
	double rtt = tp->srtt_us / 8.0 / 1000.0;
	double rttvar = tp->mdev_us / 4.0 / 1000.0;

	kp_printf(out, " %s", icsk->icsk_ca_ops ? icsk->icsk_ca_ops->name
						 : "reno");
	if (tp->rx_opt.wscale_ok || tp->rx_opt.rcv_wscale)
		kp_printf(out, " wscale:%u,%u", tp->rx_opt.snd_wscale,
			  tp->rx_opt.rcv_wscale);
	kp_printf(out, " rto:%u", icsk->icsk_rto);
	if (icsk->icsk_backoff)
		kp_printf(out, " backoff:%u", icsk->icsk_backoff);
	if (tp->srtt_us)
		kp_printf(out, " rtt:%.3g/%.3g", rtt, rttvar);
	kp_printf(out, " ato:%u mss:%u pmtu:%u rcvmss:%u advmss:%u cwnd:%u",
		  icsk->icsk_ack.ato ? icsk->icsk_ack.ato : 40, tp->mss_cache,
		  icsk->icsk_pmtu_cookie ? icsk->icsk_pmtu_cookie : 1500,
		  icsk->icsk_ack.rcv_mss ? icsk->icsk_ack.rcv_mss : 536,
		  tp->rx_opt.mss_clamp ? tp->rx_opt.mss_clamp
				       : tp->mss_cache,
		  tp->snd_cwnd);
	if (tp->snd_ssthresh < TCP_INFINITE_SSTHRESH)
		kp_printf(out, " ssthresh:%u", tp->snd_ssthresh);
	kp_printf(out, " bytes_sent:%u bytes_acked:%u bytes_received:%u",
		  tp->snd_nxt - tp->snt_isn - (tp->snt_isn ? 1 : 0),
		  tp->bytes_acked, tp->bytes_received);
	kp_printf(out, " segs_out:%u segs_in:%u data_segs_out:%u "
		       "data_segs_in:%u",
		  tp->segs_out, tp->segs_in, tp->data_segs_out,
		  tp->data_segs_in);
	if (tp->srtt_us)
		kp_printf(out, " send %.1fMbps",
			  (double)tp->snd_cwnd * tp->mss_cache * 8.0 /
				  (tp->srtt_us / 8.0));
	if (tp->packets_out)
		kp_printf(out, " unacked:%u", tp->packets_out);
	if (tp->retrans_out || tp->total_retrans)
		kp_printf(out, " retrans:%u/%u", tp->retrans_out,
			  tp->total_retrans);
	if (tp->lost_out)
		kp_printf(out, " lost:%u", tp->lost_out);
	kp_printf(out, " rcv_space:%u rcv_ssthresh:%u", tp->rcv_space,
		  tp->rcv_ssthresh);
	if (tcp_send_head(sk) || tp->snd_wnd)
		kp_printf(out, " snd_wnd:%u", tp->snd_wnd);
}

static void ss_tcp_one(struct sock *sk, void *arg)
{
	struct ss_tcp_ctx *c = arg;
	const struct inet_sock *inet = inet_sk(sk);
	const struct tcp_sock *tp = tcp_sk(sk);

	if (!c->all && sk->sk_state == TCP_LISTEN)
		return;
	struct ss_row *r = ss_table_add(c->t, sk, "tcp", inet->inet_rcv_saddr,
					inet->inet_num, inet->inet_daddr,
					inet->inet_dport);
	if (!r)
		return;
	r->state = kp_sock_state_name(sk);
	if (sk->sk_state == TCP_LISTEN) {
		r->rq = inet_csk(sk)->icsk_accept_queue.accept_qlen;
		r->sq = inet_csk(sk)->sk_max_ack_backlog;
	} else if (sk->sk_state != TCP_TIME_WAIT) {
		/* a timewait sock has no queues in Linux: 0 0 */
		r->rq = (long)(tp->rcv_nxt - tp->copied_seq);
		if (r->rq < 0)
			r->rq = 0;
		r->sq = (long)(tp->write_seq - tp->snd_una);
	}
	if (!c->mem && !(c->info && sk->sk_state != TCP_LISTEN))
		return;
	struct kp_strbuf sb;
	struct kp_out line;
	kp_strbuf_init(&sb);
	kp_out_init_strbuf(&line, &sb);
	if (c->mem)
		kp_ss_skmem(&line, sk);
	if (c->info && sk->sk_state != TCP_LISTEN)
		ss_tcp_info(&line, sk);
	r->extra = sb.buf; /* the row owns the text now */
}

void kp_ss_skmem(struct kp_out *out, const struct sock *sk)
{
	kp_printf(out, " skmem:(r%d,rb%d,t%d,tb%d,f%d,w%d,o0,bl%d,d%d)",
		  sk->sk_rmem_alloc, sk->sk_rcvbuf, sk->sk_wmem_alloc,
		  sk->sk_sndbuf, sk->sk_forward_alloc, sk->sk_wmem_queued,
		  sk->sk_backlog.len, sk->sk_drops);
}

void kp_ss_tcp(struct ss_table *t, struct kp_host *h, bool all, bool mem,
	       bool info)
{
	struct ss_tcp_ctx c = { t, all, mem, info };
	if (!h->net || !h->net->tcp)
		return;
	kp_tcp_for_each_sock(h->net, ss_tcp_one, &c);
}
