/*
 * tcp.c - TCP's system-call side (net/ipv4/tcp.c, net/core/stream.c):
 * tcp_sendmsg (copy into skbs of the write queue up to the send buffer,
 * forced_push/tcp_mark_push, __tcp_push_pending_frames, tcp_push_one,
 * sleeping in sk_stream_wait_memory), tcp_recvmsg (copy from the receive
 * queue, sleeping in sk_wait_data, the 3.10 prequeue), close and
 * shutdown with the FIN states, poll, socket options, tcp_set_state and
 * tcp_done.
 *
 * Leaves out: urgent data, MSG_ZEROCOPY, splice, TCP_INFO, keepalive,
 * linger, memory pressure.
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

/* Grow the send buffer to two windows' worth (tcp_sndbuf_expand). */
void tcp_sndbuf_expand(struct sock *sk)
{
	const struct tcp_sock *tp = tcp_sk(sk);
	long max = sock_net(sk)->sysctl.tcp_wmem_max;
	uint32_t nr_segs = tp->snd_cwnd > TCP_INIT_CWND ? tp->snd_cwnd
							: TCP_INIT_CWND;
	long per_mss = (long)SKB_TRUESIZE(SKB_DATA_ALIGN(tp->mss_cache +
							  MAX_TCP_HEADER));
	long sndmem = 2 * (long)nr_segs * per_mss;
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

/* ---- sending ---- */

static bool forced_push(const struct tcp_sock *tp)
{
	return after(tp->write_seq, tp->pushed_seq + (tp->max_window >> 1));
}

void tcp_mark_push(struct tcp_sock *tp, struct sk_buff *skb)
{
	KP_FUNC(tcp_mark_push, skb);
	TCP_SKB_CB(skb)->tcp_flags |= TCPHDR_PSH;
	tp->pushed_seq = tp->write_seq;
}

void tcp_push(struct sock *sk, int flags, unsigned int mss_now, int nonagle)
{
	struct tcp_sock *tp = tcp_sk(sk);
	struct sk_buff *skb;

	if (!tcp_send_head(sk))
		return;
	skb = skb_peek_tail(&sk->sk_write_queue);
	if (!(flags & MSG_MORE) || forced_push(tp))
		tcp_mark_push(tp, skb);
	__tcp_push_pending_frames(sk, mss_now,
				  (flags & MSG_MORE) ? TCP_NAGLE_CORK
						     : nonagle);
}

/* mss_now and how big an skb sendmsg builds (tcp_send_mss +
 * tcp_xmit_size_goal): up to 64 KB as with GSO, at most half the
 * peer's largest window and half the send buffer. */
static unsigned int tcp_send_mss(struct sock *sk, unsigned int *size_goal)
{
	struct tcp_sock *tp = tcp_sk(sk);
	unsigned int mss_now = tcp_current_mss(sk);
	unsigned int goal = 65536u - MAX_TCP_HEADER;

	if (tp->max_window && goal > tp->max_window / 2)
		goal = tp->max_window / 2;
	if (goal > (unsigned int)sk->sk_sndbuf / 2)
		goal = (unsigned int)sk->sk_sndbuf / 2;
	goal = goal / mss_now * mss_now;
	*size_goal = goal > mss_now ? goal : mss_now;
	return mss_now;
}

static bool sk_stream_memory_free(const struct sock *sk)
{
	return sk->sk_wmem_queued < sk->sk_sndbuf;
}

void sk_stream_write_space(struct sock *sk)
{
	struct socket *sock = sk->sk_socket;
	/* sk_stream_wspace >= sk_stream_min_wspace */
	if (sk->sk_sndbuf - sk->sk_wmem_queued >= sk->sk_wmem_queued / 2 &&
	    sock) {
		clear_bit(SOCK_NOSPACE, &sock->flags);
		if (skwq_has_sleeper(sk->sk_wq))
			wake_up_interruptible_poll(
				&sk->sk_wq->wait,
				KP_POLLOUT | KP_POLLWRNORM | KP_POLLWRBAND);
		sk_wake_async(sk, SOCK_WAKE_SPACE, POLL_OUT);
	}
}

int sk_stream_wait_memory(struct sock *sk, long *timeo_p)
{
	KP_FUNC(sk_stream_wait_memory, sk);
	DEFINE_WAIT(wait);
	int err = 0;

	for (;;) {
		if (sk->sk_socket)
			set_bit(SOCK_NOSPACE, &sk->sk_socket->flags);
		prepare_to_wait(sk_sleep(sk), &wait, TASK_INTERRUPTIBLE);
		if (sk->sk_err || (sk->sk_shutdown & SEND_SHUTDOWN)) {
			err = -EPIPE;
			break;
		}
		if (!*timeo_p) {
			err = -EAGAIN;
			break;
		}
		if (sk_stream_memory_free(sk))
			break;
		release_sock(sk);
		if (!sk_stream_memory_free(sk) && !sk->sk_err &&
		    !(sk->sk_shutdown & SEND_SHUTDOWN))
			*timeo_p = schedule_timeout(*timeo_p);
		lock_sock(sk);
	}
	finish_wait(sk_sleep(sk), &wait);
	return err;
}

/* Wait for connect() to finish (sk_stream_wait_connect). */
static int sk_stream_wait_connect(struct sock *sk, long *timeo_p)
{
	DEFINE_WAIT(wait);
	for (;;) {
		if (sk->sk_err)
			return sock_error(sk);
		if (sk->sk_state != TCP_SYN_SENT &&
		    sk->sk_state != TCP_SYN_RECV)
			return sk->sk_state == TCP_ESTABLISHED ||
					       sk->sk_state == TCP_CLOSE_WAIT
				       ? 0
				       : -EPIPE;
		if (!*timeo_p)
			return -EPIPE;
		prepare_to_wait(sk_sleep(sk), &wait, TASK_INTERRUPTIBLE);
		release_sock(sk);
		if (sk->sk_state == TCP_SYN_SENT ||
		    sk->sk_state == TCP_SYN_RECV)
			*timeo_p = schedule_timeout(*timeo_p);
		lock_sock(sk);
		finish_wait(sk_sleep(sk), &wait);
	}
}

int tcp_sendmsg(struct sock *sk, struct msghdr *msg, size_t size)
{
	KP_FUNC_ARG(tcp_sendmsg, sk, size);
	struct tcp_sock *tp = tcp_sk(sk);
	int flags = msg->msg_flags;
	unsigned int mss_now, size_goal;
	int copied = 0, err;
	long timeo;

	lock_sock(sk);
	timeo = sock_sndtimeo(sk, flags & MSG_DONTWAIT);
	if (sk->sk_state != TCP_ESTABLISHED &&
	    sk->sk_state != TCP_CLOSE_WAIT) {
		err = sk_stream_wait_connect(sk, &timeo);
		if (err)
			goto out_err;
	}
	if (sk->sk_socket)
		clear_bit(SOCK_ASYNC_NOSPACE, &sk->sk_socket->flags);
	mss_now = tcp_send_mss(sk, &size_goal);

	err = -EPIPE;
	if (sk->sk_err || (sk->sk_shutdown & SEND_SHUTDOWN))
		goto out_err;

	for (size_t i = 0; i < msg->msg_iovlen; i++) {
		const unsigned char *from = msg->msg_iov[i].iov_base;
		size_t seglen = msg->msg_iov[i].iov_len;

		while (seglen > 0) {
			struct sk_buff *skb = skb_peek_tail(&sk->sk_write_queue);
			int copy = 0;

			if (tcp_send_head(sk) && skb)
				copy = (int)size_goal - (int)skb->len;
			/* no room left behind the data (tso_fragment took
			 * the front of a full skb): a new segment */
			if (copy > 0 && skb_tailroom(skb) <= 0)
				copy = 0;
			if (copy <= 0) {
				if (!sk_stream_memory_free(sk))
					goto wait_for_sndbuf;
				skb = alloc_skb(sock_net(sk),
						MAX_TCP_HEADER + size_goal);
				if (!skb)
					goto wait_for_memory;
				skb_reserve(skb, MAX_TCP_HEADER);
				/* skb_entail */
				tcp_init_nondata_skb(skb, tp->write_seq,
						     TCPHDR_ACK);
				TCP_SKB_CB(skb)->kp_charge = skb->truesize;
				__skb_queue_tail(&sk->sk_write_queue, skb);
				kp_skb_where(skb, "sk_write_queue", sk->kp.id);
				sk->sk_wmem_queued += (int)skb->truesize;
				if (!tp->sk_send_head)
					tp->sk_send_head = skb;
				copy = (int)size_goal;
			}
			if ((size_t)copy > seglen)
				copy = (int)seglen;
			if (skb_tailroom(skb) < copy)
				copy = skb_tailroom(skb);
			if (copy_from_user(skb_put(skb, (unsigned int)copy),
					   from, (size_t)copy)) {
				err = -EFAULT;
				goto do_error;
			}
			if (!copied)
				TCP_SKB_CB(skb)->tcp_flags &= ~TCPHDR_PSH;
			tp->write_seq += (uint32_t)copy;
			TCP_SKB_CB(skb)->end_seq += (uint32_t)copy;
			from += copy;
			copied += copy;
			seglen -= (size_t)copy;

			if (skb->len < size_goal)
				continue;
			if (forced_push(tp)) {
				tcp_mark_push(tp, skb);
				__tcp_push_pending_frames(sk, mss_now,
							  TCP_NAGLE_PUSH);
			} else if (skb == tcp_send_head(sk)) {
				tcp_push_one(sk, mss_now);
			}
			continue;

wait_for_sndbuf:
			if (sk->sk_socket)
				set_bit(SOCK_NOSPACE, &sk->sk_socket->flags);
wait_for_memory:
			if (copied)
				tcp_push(sk, flags & ~MSG_MORE, mss_now,
					 TCP_NAGLE_PUSH);
			err = sk_stream_wait_memory(sk, &timeo);
			if (err)
				goto do_error;
			mss_now = tcp_send_mss(sk, &size_goal);
		}
	}
out:
	if (copied)
		tcp_push(sk, flags, mss_now, tp->nonagle);
	release_sock(sk);
	return copied;
do_error:
	if (copied)
		goto out;
out_err:
	release_sock(sk);
	return err;
}

/* ---- receiving ---- */

/* Send a window update if reading opened the window a lot, or an ACK
 * a timer was holding back (tcp_cleanup_rbuf). */
void tcp_cleanup_rbuf(struct sock *sk, int copied)
{
	struct tcp_sock *tp = tcp_sk(sk);
	struct inet_connection_sock *icsk = inet_csk(sk);
	bool time_to_ack = false;

	if (icsk->icsk_ack.pending & ICSK_ACK_SCHED) {
		if (icsk->icsk_ack.blocked ||
		    tp->rcv_nxt - tp->rcv_wup > icsk->icsk_ack.rcv_mss ||
		    (copied > 0 && icsk->icsk_ack.pingpong &&
		     !sk->sk_rmem_alloc))
			time_to_ack = true;
	}
	if (copied > 0 && !time_to_ack && !(sk->sk_shutdown & RCV_SHUTDOWN)) {
		int32_t now = (int32_t)(tp->rcv_wup + tp->rcv_wnd -
					tp->rcv_nxt);
		uint32_t rcv_window_now = now > 0 ? (uint32_t)now : 0;
		if (2 * rcv_window_now <= tp->window_clamp) {
			uint32_t new_window = __tcp_select_window(sk);
			if (new_window && new_window >= 2 * rcv_window_now)
				time_to_ack = true;
		}
	}
	if (time_to_ack)
		tcp_send_ack(sk);
}

static void tcp_prequeue_process(struct sock *sk)
{
	struct tcp_sock *tp = tcp_sk(sk);
	struct sk_buff *skb;
	while ((skb = __skb_dequeue(&tp->ucopy.prequeue)) != NULL)
		sk->sk_backlog_rcv(sk, skb);
	tp->ucopy.memory = 0;
}

static void sk_eat_skb(struct sock *sk, struct sk_buff *skb)
{
	__skb_unlink(skb, &sk->sk_receive_queue);
	consume_skb(skb);
}

int tcp_recvmsg(struct sock *sk, struct msghdr *msg, size_t len,
		int nonblock, int flags, int *addr_len)
{
	KP_FUNC_ARG(tcp_recvmsg, sk, len);
	struct tcp_sock *tp = tcp_sk(sk);
	uint32_t peek_seq, *seq;
	struct task_struct *user_recv = NULL;
	size_t target;
	int copied = 0, err;
	long timeo;
	(void)addr_len;

	lock_sock(sk);
	err = -ENOTCONN;
	if (sk->sk_state == TCP_LISTEN)
		goto out;
	timeo = sock_rcvtimeo(sk, nonblock);
	seq = &tp->copied_seq;
	if (flags & MSG_PEEK) {
		peek_seq = tp->copied_seq;
		seq = &peek_seq;
	}
	target = (flags & MSG_WAITALL) ? len
				       : ((size_t)sk->sk_rcvlowat < len
						  ? (size_t)sk->sk_rcvlowat
						  : len);
	if (!target)
		target = 1;

	do {
		struct sk_buff *skb;
		uint32_t offset;
		size_t used;

		skb_queue_walk(&sk->sk_receive_queue, skb) {
			offset = *seq - TCP_SKB_CB(skb)->seq;
			if (offset < skb->len)
				goto found_ok_skb;
			if (TCP_SKB_CB(skb)->tcp_flags & TCPHDR_FIN)
				goto found_fin_ok;
		}
		if ((size_t)copied >= target && !sk->sk_backlog.tail)
			break;
		if (copied) {
			if (sk->sk_err || sk->sk_state == TCP_CLOSE ||
			    (sk->sk_shutdown & RCV_SHUTDOWN) || !timeo)
				break;
		} else {
			if (sock_flag(sk, SOCK_DONE))
				break;
			if (sk->sk_err) {
				copied = sock_error(sk);
				break;
			}
			if (sk->sk_shutdown & RCV_SHUTDOWN)
				break;
			if (sk->sk_state == TCP_CLOSE) {
				copied = -ENOTCONN;
				break;
			}
			if (!timeo) {
				copied = -EAGAIN;
				break;
			}
		}
		tcp_cleanup_rbuf(sk, copied);

		/* 3.10: become the prequeue's reader */
		if (!sock_net(sk)->sysctl.tcp_low_latency &&
		    tp->ucopy.task == user_recv) {
			user_recv = current;
			tp->ucopy.task = user_recv;
		}
		if ((size_t)copied >= target) {
			/* process the backlog before returning */
			release_sock(sk);
			lock_sock(sk);
		} else {
			sk_wait_data(sk, &timeo,
				     skb_peek_tail(&sk->sk_receive_queue));
		}
		if (user_recv &&
		    !skb_queue_empty(&tp->ucopy.prequeue))
			tcp_prequeue_process(sk);
		continue;

found_ok_skb:
		used = skb->len - offset;
		if (len < used)
			used = len;
		if (!(flags & MSG_TRUNC)) {
			if (skb_copy_datagram_iovec(skb, (int)offset,
						    msg->msg_iov, (int)used)) {
				if (!copied)
					copied = -EFAULT;
				break;
			}
		}
		*seq += (uint32_t)used;
		copied += (int)used;
		len -= used;
		if (used + offset < skb->len)
			continue;
		if (TCP_SKB_CB(skb)->tcp_flags & TCPHDR_FIN)
			goto found_fin_ok;
		if (!(flags & MSG_PEEK))
			sk_eat_skb(sk, skb);
		continue;

found_fin_ok:
		++*seq;
		if (!(flags & MSG_PEEK))
			sk_eat_skb(sk, skb);
		break;
	} while (len > 0);

	if (user_recv) {
		if (!skb_queue_empty(&tp->ucopy.prequeue))
			tcp_prequeue_process(sk);
		tp->ucopy.task = NULL;
	}
	tcp_cleanup_rbuf(sk, copied);
	release_sock(sk);
	return copied;
out:
	release_sock(sk);
	return err;
}

/* ---- closing ---- */

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
			    sk->sk_wmem_queued / 2)
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
