/*
 * tcp.c - TCP's socket side (net/ipv4/tcp.c): tcp_init_sock,
 * tcp_set_state and tcp_done, close and shutdown with the FIN states,
 * tcp_disconnect, poll and socket options.  The send and receive system
 * calls are in tcp_sendmsg.c and tcp_recvmsg.c.
 *
 * Leaves out: urgent data, keepalive, a lingering close (SO_LINGER with
 * a time: close does not wait; {1, 0} aborts with a RST), memory
 * pressure.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <string.h>

#include "engine/probe.h"
#include "net/core/net_namespace.h"
#include "net/core/netdevice.h"
#include "net/file.h"
#include "net/socket.h"
#include "net/uaccess.h"
#include "net/core/datagram.h"
#include "sched/sched.h"
#include "tcp.h"

#ifndef TCP_NODELAY
#define TCP_NODELAY 1
#define TCP_MAXSEG 2
#define TCP_CORK 3
#define TCP_SYNCNT 7
#define TCP_QUICKACK 12
#endif
#ifndef SOL_TCP
#define SOL_TCP 6
#endif

/* ---- state ---- */

void tcp_set_state(struct sock *sk, int state)
{
	struct net *net = sock_net(sk);
	int oldstate = sk->sk_state;

	switch (state) {
	case TCP_ESTABLISHED:
		if (oldstate != TCP_ESTABLISHED)
			__TCP_INC_STATS(net, CurrEstab);
		break;
	case TCP_CLOSE:
		if (oldstate == TCP_CLOSE_WAIT || oldstate == TCP_ESTABLISHED)
			__TCP_INC_STATS(net, EstabResets);
		sk->sk_prot->unhash(sk);
		if (!(sk->sk_userlocks & 4 /* SOCK_BINDPORT_LOCK */) ||
		    sock_flag(sk, SOCK_DEAD))
			inet_put_port(sk);
		/* fall through */
	default:
		if (oldstate == TCP_ESTABLISHED && net->mib[KP_MIB_Tcp_CurrEstab])
			net->mib[KP_MIB_Tcp_CurrEstab]--;
	}
	sk->sk_state = (unsigned char)state;
}

void tcp_done(struct sock *sk)
{
	if (sk->sk_state == TCP_SYN_SENT || sk->sk_state == TCP_SYN_RECV)
		__TCP_INC_STATS(sock_net(sk), AttemptFails);
	tcp_set_state(sk, TCP_CLOSE);
	inet_csk_clear_xmit_timers(sk);
	sk->sk_shutdown = SHUTDOWN_MASK;
	if (!sock_flag(sk, SOCK_DEAD))
		sk->sk_state_change(sk);
	else
		inet_csk_destroy_sock(sk);
}

void kp_tcp_wmem_free_skb(struct sock *sk, struct sk_buff *skb)
{
	sk->sk_wmem_queued -= (int)TCP_SKB_CB(skb)->kp_charge;
	if (sk->sk_wmem_queued < 0)
		sk->sk_wmem_queued = 0;
	consume_skb(skb);
}

/* Grow the send buffer to two windows' worth (tcp_sndbuf_expand:
 * 2 * max(IW10, cwnd) heads of roundup_pow_of_two(mss + MAX_TCP_HEADER +
 * skb_shared_info) + sk_buff; no tp->reordering term, it is 3 < 10). */
void tcp_sndbuf_expand(struct sock *sk)
{
	const struct tcp_sock *tp = tcp_sk(sk);
	long max = sock_net(sk)->sysctl.tcp_wmem_max;
	uint32_t nr_segs = tp->snd_cwnd > TCP_INIT_CWND ? tp->snd_cwnd
							: TCP_INIT_CWND;
	/* worst case, no GSO: each frame a kmalloced power-of-two head */
	uint32_t mss = tp->rx_opt.mss_clamp > tp->mss_cache
			       ? tp->rx_opt.mss_clamp
			       : tp->mss_cache;
	uint32_t head = mss + MAX_TCP_HEADER + KP_SKB_SHINFO_SIZE, pow2 = 1;
	long per_mss, sndmem;

	while (pow2 < head)
		pow2 <<= 1; /* roundup_pow_of_two */
	per_mss = (long)pow2 + (long)KP_SKB_STRUCT_SIZE;
	sndmem = 2 * (long)nr_segs * per_mss;
	if (sk->sk_userlocks & SOCK_SNDBUF_LOCK)
		return;
	if (sndmem > max)
		sndmem = max;
	if (sk->sk_sndbuf < sndmem)
		sk->sk_sndbuf = (int)sndmem;
}

void tcp_init_sock(struct sock *sk)
{
	struct inet_connection_sock *icsk = inet_csk(sk);
	struct tcp_sock *tp = tcp_sk(sk);
	struct net *net = sock_net(sk);

	if (!net->tcp)
		kp_tcp_net_init(net);
	skb_queue_head_init(&tp->out_of_order_queue);
	skb_queue_head_init(&tp->ucopy.prequeue);
	INIT_LIST_HEAD(&icsk->kp_bind_node);
	INIT_LIST_HEAD(&icsk->icsk_accept_queue.syn_table);
	INIT_LIST_HEAD(&icsk->icsk_accept_queue.accept_q);
	tcp_init_xmit_timers(sk);
	icsk->icsk_rto = msecs_to_jiffies(TCP_TIMEOUT_INIT_MS);
	tp->mdev_us = TCP_TIMEOUT_INIT_MS * 1000u;
	tp->snd_cwnd = TCP_INIT_CWND;
	tp->snd_ssthresh = TCP_INFINITE_SSTHRESH;
	tp->pacing_rate = UINT64_MAX; /* sk_pacing_rate: ~0UL */
	tp->snd_cwnd_clamp = ~0u;
	tp->mss_cache = TCP_MSS_DEFAULT;
	tp->tcp_header_len = sizeof(struct tcphdr);
	sk->sk_state = TCP_CLOSE;
	sk->sk_write_space = sk_stream_write_space;
	sock_set_flag(sk, SOCK_USE_WRITE_QUEUE);
	icsk->icsk_ca_ops = tcp_ca_find_default(net);
	sk->sk_sndbuf = (int)net->sysctl.tcp_wmem_default;
	sk->sk_rcvbuf = (int)net->sysctl.tcp_rmem_default;
}


/* The state close() moves to, and whether a FIN goes (tcp_close_state). */
static bool tcp_close_state(struct sock *sk)
{
	int next;
	switch (sk->sk_state) {
	case TCP_ESTABLISHED:
	case TCP_SYN_RECV:
		next = TCP_FIN_WAIT1;
		break;
	case TCP_CLOSE_WAIT:
		next = TCP_LAST_ACK;
		break;
	case TCP_SYN_SENT:
		next = TCP_CLOSE;
		break;
	default:
		return false;
	}
	tcp_set_state(sk, next);
	return next != TCP_CLOSE;
}

void tcp_shutdown(struct sock *sk, int how)
{
	if (!(how & SEND_SHUTDOWN))
		return;
	if ((1 << sk->sk_state) &
	    ((1 << TCP_ESTABLISHED) | (1 << TCP_SYN_SENT) |
	     (1 << TCP_SYN_RECV) | (1 << TCP_CLOSE_WAIT))) {
		if (tcp_close_state(sk))
			tcp_send_fin(sk);
	}
}

static void sock_orphan(struct sock *sk)
{
	sock_set_flag(sk, SOCK_DEAD);
	sk->sk_socket = NULL;
	sk->sk_wq = NULL;
}

void tcp_close(struct sock *sk, long timeout)
{
	KP_FUNC(tcp_close, sk);
	struct sk_buff *skb;
	uint32_t data_was_unread = 0;
	int state;
	(void)timeout;

	lock_sock(sk);
	sk->sk_shutdown = SHUTDOWN_MASK;
	if (sk->sk_state == TCP_LISTEN) {
		tcp_set_state(sk, TCP_CLOSE);
		inet_csk_listen_stop(sk);
		goto adjudge_to_death;
	}
	while ((skb = __skb_dequeue(&sk->sk_receive_queue)) != NULL) {
		data_was_unread += skb->len;
		consume_skb(skb);
	}
	if (sk->sk_state == TCP_CLOSE)
		goto adjudge_to_death;
	if (data_was_unread) {
		/* RFC 2525: unread data means a RST, not a FIN */
		tcp_set_state(sk, TCP_CLOSE);
		tcp_send_active_reset(sk);
		__NET_INC_STATS(sock_net(sk), TCPAbortOnClose);
	} else if (sock_flag(sk, SOCK_LINGER) && !sk->sk_lingertime) {
		/* SO_LINGER {1, 0}: abort - a RST, no FIN (checked after
		 * unread data, as Linux does) */
		tcp_disconnect(sk, 0);
		__NET_INC_STATS(sock_net(sk), TCPAbortOnData);
	} else if (tcp_close_state(sk)) {
		tcp_send_fin(sk);
	}

adjudge_to_death:
	state = sk->sk_state;
	sock_hold(sk);
	sock_orphan(sk);
	sock_net(sk)->tcp->orphans++;
	release_sock(sk);

	if (state != TCP_CLOSE && sk->sk_state == TCP_FIN_WAIT2 &&
	    !timer_pending(&inet_csk(sk)->kp_tw_timer))
		tcp_time_wait(sk, TCP_FIN_WAIT2,
			      (int)sock_net(sk)->sysctl.tcp_fin_timeout * 1000);
	if (sk->sk_state == TCP_CLOSE)
		inet_csk_destroy_sock(sk);
	sock_put(sk);
}

int tcp_disconnect(struct sock *sk, int flags)
{
	struct tcp_sock *tp = tcp_sk(sk);
	int old_state = sk->sk_state;
	struct sk_buff *skb;
	(void)flags;

	if (old_state != TCP_CLOSE)
		tcp_set_state(sk, TCP_CLOSE);
	if (old_state == TCP_LISTEN) {
		inet_csk_listen_stop(sk);
	} else if (old_state != TCP_SYN_SENT && old_state != TCP_CLOSE &&
		   old_state != TCP_TIME_WAIT) {
		tcp_send_active_reset(sk);
	}
	inet_csk_clear_xmit_timers(sk);
	while ((skb = __skb_dequeue(&sk->sk_write_queue)) != NULL)
		kp_tcp_wmem_free_skb(sk, skb);
	tp->sk_send_head = NULL;
	__skb_queue_purge_reason(&sk->sk_receive_queue, 0);
	__skb_queue_purge_reason(&tp->out_of_order_queue, 0);
	tp->packets_out = tp->retrans_out = tp->sacked_out = 0;
	tcp_sack_reset(&tp->rx_opt);
	memset(&tp->rack, 0, sizeof(tp->rack));
	tp->lost_out = 0;
	sk->sk_shutdown = 0;
	sock_reset_flag(sk, SOCK_DONE);
	inet_sk(sk)->inet_dport = 0;
	return 0;
}

/* ---- poll ---- */

unsigned int tcp_poll(struct file *file, struct socket *sock,
		      poll_table *wait)
{
	struct sock *sk = sock->sk;
	KP_FUNC(tcp_poll, sk);
	const struct tcp_sock *tp = tcp_sk(sk);
	unsigned int mask = 0;
	int state;

	poll_wait(file, sk_sleep(sk), wait);
	state = sk->sk_state;
	if (state == TCP_LISTEN)
		return list_empty(&inet_csk(sk)->icsk_accept_queue.accept_q)
			       ? 0
			       : KP_POLLIN | KP_POLLRDNORM;

	if (sk->sk_shutdown == SHUTDOWN_MASK || state == TCP_CLOSE)
		mask |= KP_POLLHUP;
	if (sk->sk_shutdown & RCV_SHUTDOWN)
		mask |= KP_POLLIN | KP_POLLRDNORM | KP_POLLRDHUP;
	if (state != TCP_SYN_SENT && state != TCP_SYN_RECV) {
		if (tp->rcv_nxt - tp->copied_seq >= 1 &&
		    !skb_queue_empty(&sk->sk_receive_queue))
			mask |= KP_POLLIN | KP_POLLRDNORM;
		if (!(sk->sk_shutdown & SEND_SHUTDOWN)) {
			if (sk->sk_sndbuf - sk->sk_wmem_queued >=
				    sk->sk_wmem_queued / 2 &&
			    tcp_stream_memory_free(sk, 0))
				mask |= KP_POLLOUT | KP_POLLWRNORM;
			else
				set_bit(SOCK_NOSPACE, &sock->flags);
		} else {
			mask |= KP_POLLOUT | KP_POLLWRNORM;
		}
	}
	if (sk->sk_err)
		mask |= KP_POLLERR;
	return mask;
}

/* ---- options ---- */

int tcp_setsockopt(struct sock *sk, int level, int optname,
		   const char *optval, unsigned int optlen)
{
	struct tcp_sock *tp = tcp_sk(sk);
	int val, err = 0;

	if (level != SOL_TCP)
		return -ENOPROTOOPT;
	if (optlen < sizeof(int))
		return -EINVAL;
	if (copy_from_user(&val, optval, sizeof(val)))
		return -EFAULT;
	lock_sock(sk);
	switch (optname) {
	case TCP_NODELAY:
		if (val) {
			tp->nonagle |= TCP_NAGLE_OFF | TCP_NAGLE_PUSH;
			if (tcp_send_head(sk))
				__tcp_push_pending_frames(
					sk, tcp_current_mss(sk), tp->nonagle);
		} else {
			tp->nonagle &= (uint8_t)~TCP_NAGLE_OFF;
		}
		break;
	case TCP_CORK:
		if (val) {
			tp->nonagle |= TCP_NAGLE_CORK;
		} else {
			tp->nonagle &= (uint8_t)~TCP_NAGLE_CORK;
			if (tp->nonagle & TCP_NAGLE_OFF)
				tp->nonagle |= TCP_NAGLE_PUSH;
			if (tcp_send_head(sk))
				__tcp_push_pending_frames(
					sk, tcp_current_mss(sk), tp->nonagle);
		}
		break;
	case TCP_MAXSEG:
		if (val && (val < 88 || val > 65535))
			err = -EINVAL;
		else
			tp->rx_opt.user_mss = (uint16_t)val;
		break;
	case TCP_NOTSENT_LOWAT:
		/* 0: net.ipv4.tcp_notsent_lowat (UINT_MAX: no limit) */
		tp->notsent_lowat = (uint32_t)val;
		sk->sk_write_space(sk);
		break;
	case TCP_SYNCNT:
		if (val < 1 || val > 127)
			err = -EINVAL;
		else
			inet_csk(sk)->icsk_syn_retries = (uint8_t)val;
		break;
	case TCP_QUICKACK:
		if (val) {
			inet_csk(sk)->icsk_ack.pingpong = 0;
			if (inet_csk(sk)->icsk_ack.pending & ICSK_ACK_SCHED)
				tcp_cleanup_rbuf(sk, 1);
		} else {
			inet_csk(sk)->icsk_ack.pingpong = 1;
		}
		break;
	default:
		err = -ENOPROTOOPT;
	}
	release_sock(sk);
	return err;
}

int tcp_getsockopt(struct sock *sk, int level, int optname, char *optval,
		   int *optlen)
{
	struct tcp_sock *tp = tcp_sk(sk);
	int val;

	if (level != SOL_TCP)
		return -ENOPROTOOPT;
	switch (optname) {
	case TCP_NODELAY:
		val = !!(tp->nonagle & TCP_NAGLE_OFF);
		break;
	case TCP_CORK:
		val = !!(tp->nonagle & TCP_NAGLE_CORK);
		break;
	case TCP_MAXSEG:
		val = (int)tp->mss_cache;
		if (!val || sk->sk_state == TCP_CLOSE ||
		    sk->sk_state == TCP_LISTEN)
			val = tp->rx_opt.user_mss;
		break;
	case TCP_INFO:
		return tcp_getsockopt_info(sk, optval, optlen);
	case TCP_NOTSENT_LOWAT:
		val = (int)tp->notsent_lowat;
		break;
	case TCP_SYNCNT:
		val = inet_csk(sk)->icsk_syn_retries
			      ? inet_csk(sk)->icsk_syn_retries
			      : (int)sock_net(sk)->sysctl.tcp_syn_retries;
		break;
	default:
		return -ENOPROTOOPT;
	}
	if (*optlen < (int)sizeof(int))
		return -EINVAL;
	*optlen = sizeof(int);
	if (copy_to_user(optval, &val, sizeof(val)))
		return -EFAULT;
	return 0;
}
