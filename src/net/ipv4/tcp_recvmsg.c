/*
 * tcp_recvmsg.c - TCP's receive system call (net/ipv4/tcp.c):
 * tcp_recvmsg copies from the receive queue, sleeping in sk_wait_data,
 * and as in 3.10 becomes the prequeue's reader (tcp_prequeue_process);
 * tcp_cleanup_rbuf sends the window update or the held-back ACK that
 * reading made due.
 *
 * Leaves out: urgent data, MSG_ERRQUEUE, receive-buffer autotuning
 * (tcp_rcv_space_adjust), busy polling.
 */
#include <errno.h>
#include <string.h>

#include "engine/probe.h"
#include "net/core/datagram.h"
#include "net/core/net_namespace.h"
#include "net/socket.h"
#include "sched/sched.h"
#include "tcp.h"

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
