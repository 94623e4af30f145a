/*
 * tcp_sendmsg.c - TCP's send system call (net/ipv4/tcp.c,
 * net/core/stream.c): tcp_sendmsg copies user data into skbs of the
 * write queue up to the send buffer (forced_push/tcp_mark_push,
 * __tcp_push_pending_frames, tcp_push_one), sleeping in
 * sk_stream_wait_memory when the buffer is full and in
 * sk_stream_wait_connect before the handshake is done.
 *
 * Send-buffer accounting as Linux's (tcp_stream_alloc_skb +
 * skb_copy_to_page_nocache): a new skb charges sk_wmem_queued the
 * truesize of its MAX_TCP_HEADER head, each copied byte one more, and
 * data goes on filling the unsent tail skb (also the rest of one that
 * tso_fragment split) up to size_goal.
 *
 * Leaves out: MSG_ZEROCOPY, MSG_FASTOPEN, splice/sendpage, memory
 * pressure (sk_stream_alloc_skb's forward allocation); page frags (kpath
 * skbs are linear: a tail without room is copied into a bigger one).
 */
#include <errno.h>
#include <string.h>

#include "engine/probe.h"
#include "net/core/net_namespace.h"
#include "net/socket.h"
#include "net/uaccess.h"
#include "sched/sched.h"
#include "tcp.h"

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

/* __sk_stream_memory_free(sk, 0) with tcp_stream_memory_free. */
static bool sk_stream_memory_free(const struct sock *sk)
{
	if (sk->sk_wmem_queued >= sk->sk_sndbuf)
		return false;
	return tcp_stream_memory_free(sk, 0);
}

/* Room behind the data of the write queue's unsent tail for up to
 * @size_goal bytes.  Linux appends page frags; kpath's skbs are linear,
 * so a tail without room (tso_fragment took its front) is copied into a
 * bigger skb in its place.  Its charge (TCP_SKB_CB kp_charge) moves. */
static struct sk_buff *tcp_grow_tail(struct sock *sk, struct sk_buff *skb,
				     unsigned int size_goal)
{
	struct tcp_sock *tp = tcp_sk(sk);
	struct sk_buff *nskb;

	nskb = alloc_skb(sock_net(sk), MAX_TCP_HEADER + size_goal);
	if (!nskb)
		return NULL;
	skb_reserve(nskb, MAX_TCP_HEADER);
	if (skb_copy_bits(skb, 0, skb_put(nskb, skb->len), (int)skb->len)) {
		consume_skb(nskb);
		return NULL;
	}
	nskb->ip_summed = skb->ip_summed;
	memcpy(TCP_SKB_CB(nskb), TCP_SKB_CB(skb), sizeof(struct tcp_skb_cb));
	__skb_queue_after(&sk->sk_write_queue, skb, nskb);
	__skb_unlink(skb, &sk->sk_write_queue);
	kp_skb_where(nskb, "sk_write_queue", sk->kp.id);
	if (tp->sk_send_head == skb)
		tp->sk_send_head = nskb;
	consume_skb(skb);
	return nskb;
}

void sk_stream_write_space(struct sock *sk)
{
	struct socket *sock = sk->sk_socket;
	/* sk_stream_wspace >= sk_stream_min_wspace */
	if (sk->sk_sndbuf - sk->sk_wmem_queued >= sk->sk_wmem_queued / 2 &&
	    tcp_stream_memory_free(sk, 1) && sock) {
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
			 * the front of a full skb): grow it, as Linux would
			 * add a page frag to it */
			if (copy > 0 && skb_tailroom(skb) < copy &&
			    (size_t)skb_tailroom(skb) < seglen) {
				struct sk_buff *nskb =
					tcp_grow_tail(sk, skb, size_goal);
				if (nskb)
					skb = nskb;
				else if (skb_tailroom(skb) <= 0)
					copy = 0;
			}
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
				/* tcp_stream_alloc_skb: the head's truesize;
				 * the payload is charged as it is copied */
				TCP_SKB_CB(skb)->kp_charge =
					KP_TCP_SKB_HEAD_TRUESIZE;
				__skb_queue_tail(&sk->sk_write_queue, skb);
				kp_skb_where(skb, "sk_write_queue", sk->kp.id);
				sk->sk_wmem_queued +=
					(int)KP_TCP_SKB_HEAD_TRUESIZE;
				if (!tp->sk_send_head)
					tp->sk_send_head = skb;
				if (tp->nonagle & TCP_NAGLE_PUSH)
					tp->nonagle &= (uint8_t)~TCP_NAGLE_PUSH;
				tcp_slow_start_after_idle_check(sk);
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
			/* skb_copy_to_page_nocache: sk_wmem_queued_add */
			TCP_SKB_CB(skb)->kp_charge += (uint32_t)copy;
			sk->sk_wmem_queued += copy;
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

