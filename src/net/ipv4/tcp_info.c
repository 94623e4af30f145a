/*
 * tcp_info.c - getsockopt(TCP_INFO) (tcp_get_info, net/ipv4/tcp.c):
 * the connection's state, windows, RTT and counters in Linux's struct
 * tcp_info layout (include/uapi/linux/tcp.h), cut to the caller's
 * length as Linux does.
 *
 * Leaves out (0): probes, fackets, last_ack_sent (Linux: "not
 * remembered" too), rcv_rtt, pacing rates, min_rtt, delivery rate,
 * busy/limited times, delivered_ce, bytes_sent/retrans, dsack_dups,
 * reord_seen, rcv_ooopack, rehash and the RTO recovery totals.
 */
#include <errno.h>
#include <string.h>

#include "net/core/net_namespace.h"
#include "net/uaccess.h"
#include "sched/sched.h"
#include "tcp.h"

#define TCPI_OPT_TIMESTAMPS 1
#define TCPI_OPT_SACK 2
#define TCPI_OPT_WSCALE 4

static uint32_t tcp_info_ms_since(uint32_t then)
{
	return (uint32_t)((uint32_t)jiffies - then) * (1000u / HZ);
}

void tcp_get_info(struct sock *sk, struct tcp_info *info)
{
	const struct tcp_sock *tp = tcp_sk(sk);
	const struct inet_connection_sock *icsk = inet_csk(sk);

	memset(info, 0, sizeof(*info));
	info->tcpi_state = sk->sk_state;
	if (sk->sk_state == TCP_LISTEN) {
		/* the accept queue and its limit */
		info->tcpi_unacked =
			(uint32_t)icsk->icsk_accept_queue.accept_qlen;
		info->tcpi_sacked = (uint32_t)icsk->sk_max_ack_backlog;
		return;
	}
	info->tcpi_ca_state = icsk->icsk_ca_state;
	info->tcpi_retransmits = icsk->icsk_retransmits;
	info->tcpi_backoff = icsk->icsk_backoff;
	if (tp->rx_opt.tstamp_ok)
		info->tcpi_options |= TCPI_OPT_TIMESTAMPS;
	if (tcp_is_sack(tp))
		info->tcpi_options |= TCPI_OPT_SACK;
	if (tp->rx_opt.wscale_ok) {
		info->tcpi_options |= TCPI_OPT_WSCALE;
		info->tcpi_snd_wscale = tp->rx_opt.snd_wscale & 0xf;
		info->tcpi_rcv_wscale = tp->rx_opt.rcv_wscale & 0xf;
	}
	info->tcpi_rto = icsk->icsk_rto * (1000000u / HZ);
	info->tcpi_ato = icsk->icsk_ack.ato * (1000000u / HZ);
	info->tcpi_snd_mss = tp->mss_cache;
	info->tcpi_rcv_mss = icsk->icsk_ack.rcv_mss;
	info->tcpi_unacked = tp->packets_out;
	info->tcpi_sacked = tp->sacked_out;
	info->tcpi_lost = tp->lost_out;
	info->tcpi_retrans = tp->retrans_out;
	info->tcpi_last_data_sent = tcp_info_ms_since(tp->lsndtime);
	info->tcpi_last_data_recv = tcp_info_ms_since(icsk->icsk_ack.lrcvtime);
	info->tcpi_last_ack_recv = tcp_info_ms_since(tp->rcv_tstamp);
	info->tcpi_pmtu = icsk->icsk_pmtu_cookie;
	info->tcpi_rcv_ssthresh = tp->rcv_ssthresh;
	info->tcpi_rtt = tp->srtt_us >> 3;
	info->tcpi_rttvar = tp->mdev_us >> 2;
	info->tcpi_snd_ssthresh = tp->snd_ssthresh;
	info->tcpi_snd_cwnd = tp->snd_cwnd;
	/* advmss: the MSS we offered - the route's, capped by TCP_MAXSEG */
	info->tcpi_advmss = icsk->icsk_pmtu_cookie > 40
				    ? icsk->icsk_pmtu_cookie - 40
				    : 1460;
	if (tp->rx_opt.user_mss && tp->rx_opt.user_mss < info->tcpi_advmss)
		info->tcpi_advmss = tp->rx_opt.user_mss;
	info->tcpi_reordering = 3; /* net.ipv4.tcp_reordering */
	info->tcpi_rcv_space = tp->rcv_space;
	info->tcpi_total_retrans = tp->total_retrans;
	info->tcpi_bytes_acked = tp->bytes_acked;
	info->tcpi_bytes_received = tp->bytes_received;
	info->tcpi_segs_out = tp->segs_out;
	info->tcpi_segs_in = tp->segs_in;
	info->tcpi_notsent_bytes = tp->write_seq - tp->snd_nxt;
	info->tcpi_data_segs_in = tp->data_segs_in;
	info->tcpi_data_segs_out = tp->data_segs_out;
	info->tcpi_delivered = tp->delivered;
	info->tcpi_snd_wnd = tp->snd_wnd;
	info->tcpi_rcv_wnd = tp->rcv_wnd;
}

/* getsockopt(SOL_TCP, TCP_INFO): as much of struct tcp_info as the
 * caller's buffer holds; *optlen says how much. */
int tcp_getsockopt_info(struct sock *sk, char *optval, int *optlen)
{
	struct tcp_info info;
	int len = *optlen;

	if (len < 0)
		return -EINVAL;
	if ((size_t)len > sizeof(info))
		len = (int)sizeof(info);
	tcp_get_info(sk, &info);
	*optlen = len;
	if (copy_to_user(optval, &info, (size_t)len))
		return -EFAULT;
	return 0;
}
