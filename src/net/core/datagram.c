/*
 * datagram.c - receiving datagrams (net/core/datagram.c, 3.10 shape):
 * __skb_recv_datagram takes the next skb off sk_receive_queue, or sleeps
 * in wait_for_more_packets - an exclusive wait entry (func
 * autoremove_wake_function, private = current) on sk_sleep(sk), then
 * schedule_timeout - until sock_def_readable wakes it; then
 * skb_copy_datagram_iovec copies the payload out with copy_to_user.
 *
 * Departures: the receive queue's own spinlock is left out (code between
 * two probes is atomic, and the dequeue has none in between); 3.10's
 * receiver_wake_function filter is folded into autoremove_wake_function;
 * no signals, so no -ERESTARTSYS.  lock_sock_fast in
 * skb_free_datagram_locked always takes the slow path (lock_sock), so the
 * socket lock shows in the trace.
 */
#include "datagram.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "engine/probe.h"
#include "net/uaccess.h"
#include "sched/sched.h"
#include "sched/timer.h"

static bool connection_based(const struct sock *sk)
{
	return sk->sk_type == SOCK_SEQPACKET || sk->sk_type == SOCK_STREAM;
}

/* Sleep until the queue's tail is no longer @skb.  0: go and look again;
 * 1: stop with *err. */
int wait_for_more_packets(struct sock *sk, int *err, long *timeo_p,
			  const struct sk_buff *skb)
{
	KP_FUNC(wait_for_more_packets, sk);
	int error;
	DEFINE_WAIT(wait);

	prepare_to_wait_exclusive(sk_sleep(sk), &wait, TASK_INTERRUPTIBLE);

	error = sock_error(sk);
	if (error)
		goto out_err;
	/* data came while we were getting ready to sleep */
	if (sk->sk_receive_queue.prev != skb)
		goto out;
	if (sk->sk_shutdown & RCV_SHUTDOWN)
		goto out_noerr;
	error = -ENOTCONN;
	if (connection_based(sk) &&
	    !(sk->sk_state == TCP_ESTABLISHED || sk->sk_state == TCP_LISTEN))
		goto out_err;

	error = 0;
	*timeo_p = schedule_timeout(*timeo_p);
out:
	finish_wait(sk_sleep(sk), &wait);
	return error;
out_err:
	*err = error;
	error = 1;
	goto out;
out_noerr:
	*err = 0;
	error = 1;
	goto out;
}

struct sk_buff *__skb_recv_datagram(struct sock *sk, unsigned int flags,
				    int *peeked, int *off, int *err)
{
	KP_FUNC_ARG(__skb_recv_datagram, sk, flags);
	struct sk_buff_head *queue = &sk->sk_receive_queue;
	struct sk_buff *skb, *last;
	long timeo;
	int error = sock_error(sk);

	if (error)
		goto no_packet;
	timeo = sock_rcvtimeo(sk, flags & MSG_DONTWAIT);
	(void)off;

	do {
		*peeked = 0;
		last = (struct sk_buff *)queue;
		skb = skb_peek(queue);
		if (skb) {
			*peeked = skb->peeked;
			if (flags & MSG_PEEK) {
				skb->peeked = 1;
				skb->users++;
			} else {
				__skb_unlink(skb, queue);
				kp_skb_where(skb, "recvmsg", sk->kp.id);
			}
			return skb;
		}
		error = -EAGAIN;
		if (!timeo)
			goto no_packet;
	} while (!wait_for_more_packets(sk, err, &timeo, last));
	return NULL;

no_packet:
	*err = error;
	return NULL;
}

struct sk_buff *skb_recv_datagram(struct sock *sk, unsigned int flags,
				  int noblock, int *err)
{
	int peeked, off = 0;
	return __skb_recv_datagram(sk, flags | (noblock ? MSG_DONTWAIT : 0),
				   &peeked, &off, err);
}

int skb_copy_datagram_iovec(const struct sk_buff *skb, int offset,
			    struct iovec *to, int len)
{
	KP_FUNC_ARG(skb_copy_datagram_iovec, skb, len);
	unsigned char *tmp = NULL;
	const unsigned char *from;

	if (offset < 0 || len < 0 || (unsigned int)(offset + len) > skb->len)
		return -EFAULT;
	if ((unsigned int)(offset + len) <= skb_headlen(skb)) {
		from = skb->data + offset;
	} else {
		/* frag_list (GRO) data: gather it first */
		tmp = malloc((size_t)len ? (size_t)len : 1);
		if (!tmp || skb_copy_bits(skb, offset, tmp, len)) {
			free(tmp);
			return -EFAULT;
		}
		from = tmp;
	}
	/* memcpy_toiovec: fill each iovec in turn, advancing it */
	while (len > 0) {
		if (to->iov_len) {
			size_t n = to->iov_len < (size_t)len ? to->iov_len
							     : (size_t)len;
			if (copy_to_user(to->iov_base, from, n)) {
				free(tmp);
				return -EFAULT;
			}
			from += n;
			len -= (int)n;
			to->iov_base = (char *)to->iov_base + n;
			to->iov_len -= n;
		}
		if (!to->iov_len)
			to++;
	}
	free(tmp);
	return 0;
}

void skb_free_datagram(struct sock *sk, struct sk_buff *skb)
{
	(void)sk;
	skb_orphan(skb);
	consume_skb(skb);
}

void skb_free_datagram_locked(struct sock *sk, struct sk_buff *skb)
{
	if (--skb->users > 0)
		return; /* MSG_PEEK: still queued */
	skb->users = 1;
	lock_sock(sk);
	skb_orphan(skb);
	release_sock(sk);
	consume_skb(skb);
}

unsigned int datagram_poll(struct file *file, struct socket *sock,
			   poll_table *wait)
{
	struct sock *sk = sock->sk;
	KP_FUNC(datagram_poll, sk);
	unsigned int mask = 0;

	poll_wait(file, sk_sleep(sk), wait);

	if (sk->sk_err || !skb_queue_empty(&sk->sk_error_queue))
		mask |= KP_POLLERR;
	if (sk->sk_shutdown & RCV_SHUTDOWN)
		mask |= KP_POLLRDHUP | KP_POLLIN | KP_POLLRDNORM;
	if (sk->sk_shutdown == SHUTDOWN_MASK)
		mask |= KP_POLLHUP;
	if (!skb_queue_empty(&sk->sk_receive_queue))
		mask |= KP_POLLIN | KP_POLLRDNORM;
	if (connection_based(sk)) {
		if (sk->sk_state == TCP_CLOSE)
			mask |= KP_POLLHUP;
		if (sk->sk_state == TCP_SYN_SENT)
			return mask;
	}
	if (sk->sk_wmem_alloc < (sk->sk_sndbuf >> 1))
		mask |= KP_POLLOUT | KP_POLLWRNORM | KP_POLLWRBAND;
	else if (sock)
		sock->flags |= 1ul << SOCK_ASYNC_NOSPACE;
	return mask;
}
