/*
 * af_inet_stream.c - the stream half of the AF_INET socket layer
 * (net/ipv4/af_inet.c): inet_stream_ops, whose connect sleeps in
 * inet_wait_for_connect until the handshake ends, listen, accept
 * (inet_csk_accept, then grafting the child onto the new socket), and
 * tcp_poll.  bind, release, shutdown, getname, sendmsg and recvmsg are
 * the inet_* functions shared with datagram sockets (af_inet.c).
 */
#include <errno.h>
#include <fcntl.h>

#include "af_inet.h"
#include "engine/probe.h"
#include "net/core/net_namespace.h"
#include "sched/sched.h"
#include "tcp.h"

static long inet_wait_for_connect(struct sock *sk, long timeo)
{
	DEFINE_WAIT(wait);

	prepare_to_wait(sk_sleep(sk), &wait, TASK_INTERRUPTIBLE);
	while ((1 << sk->sk_state) & ((1 << TCP_SYN_SENT) |
				      (1 << TCP_SYN_RECV))) {
		release_sock(sk);
		timeo = schedule_timeout(timeo);
		lock_sock(sk);
		if (!timeo)
			break;
		prepare_to_wait(sk_sleep(sk), &wait, TASK_INTERRUPTIBLE);
	}
	finish_wait(sk_sleep(sk), &wait);
	return timeo;
}

int inet_stream_connect(struct socket *sock, struct sockaddr *uaddr,
			int addr_len, int flags)
{
	struct sock *sk = sock->sk;
	KP_FUNC(inet_stream_connect, sk);
	long timeo;
	int err;

	if (addr_len < (int)sizeof(uaddr->sa_family))
		return -EINVAL;
	lock_sock(sk);
	if (uaddr->sa_family == AF_UNSPEC) {
		err = sk->sk_prot->disconnect(sk, flags);
		sock->state = err ? SS_DISCONNECTING : SS_UNCONNECTED;
		goto out;
	}
	switch (sock->state) {
	default:
		err = -EINVAL;
		goto out;
	case SS_CONNECTED:
		err = -EISCONN;
		goto out;
	case SS_CONNECTING:
		err = -EALREADY;
		break; /* wait below, as a blocking connect would */
	case SS_UNCONNECTED:
		err = -EISCONN;
		if (sk->sk_state != TCP_CLOSE)
			goto out;
		err = sk->sk_prot->connect(sk, uaddr, addr_len);
		if (err < 0)
			goto out;
		sock->state = SS_CONNECTING;
		err = -EINPROGRESS;
		break;
	}

	timeo = sock_sndtimeo(sk, flags & O_NONBLOCK);
	if ((1 << sk->sk_state) & ((1 << TCP_SYN_SENT) | (1 << TCP_SYN_RECV))) {
		if (!timeo)
			goto out; /* -EINPROGRESS / -EALREADY */
		timeo = inet_wait_for_connect(sk, timeo);
		err = -EAGAIN; /* timed out (SO_SNDTIMEO) */
		if ((1 << sk->sk_state) &
		    ((1 << TCP_SYN_SENT) | (1 << TCP_SYN_RECV)))
			goto out;
	}
	if (sk->sk_state == TCP_CLOSE)
		goto sock_error;
	sock->state = SS_CONNECTED;
	err = 0;
out:
	release_sock(sk);
	return err;
sock_error:
	err = sock_error(sk);
	if (!err)
		err = -ECONNABORTED;
	sock->state = SS_UNCONNECTED;
	if (sk->sk_prot->disconnect(sk, flags))
		sock->state = SS_DISCONNECTING;
	goto out;
}

int inet_listen(struct socket *sock, int backlog)
{
	struct sock *sk = sock->sk;
	KP_FUNC_ARG(inet_listen, sk, backlog);
	int err;

	lock_sock(sk);
	err = -EINVAL;
	if (sock->state != SS_UNCONNECTED || sock->type != SOCK_STREAM)
		goto out;
	if (sk->sk_state == TCP_LISTEN) {
		/* a second listen() only changes the backlog */
		inet_csk(sk)->sk_max_ack_backlog = backlog;
		err = 0;
		goto out;
	}
	if (sk->sk_state != TCP_CLOSE)
		goto out;
	err = inet_csk_listen_start(sk, backlog);
out:
	release_sock(sk);
	return err;
}

int inet_accept(struct socket *sock, struct socket *newsock, int flags)
{
	struct sock *sk1 = sock->sk;
	KP_FUNC(inet_accept, sk1);
	int err = -EINVAL;
	struct sock *sk2 = sk1->sk_prot->accept(sk1, flags, &err);

	if (!sk2)
		return err;
	lock_sock(sk2);
	/* sock_graft */
	sk2->sk_wq = newsock->wq;
	sk2->sk_socket = newsock;
	sk2->sk_type = (unsigned short)newsock->type;
	newsock->sk = sk2;
	newsock->ops = sock->ops;
	newsock->state = SS_CONNECTED;
	release_sock(sk2);
	return 0;
}

static unsigned int inet_stream_poll(struct file *file, struct socket *sock,
				     poll_table *wait)
{
	return tcp_poll(file, sock, wait);
}

const struct proto_ops inet_stream_ops = {
	.family = PF_INET,
	.name = "inet_stream_ops",
	.release = inet_release,
	.bind = inet_bind,
	.connect = inet_stream_connect,
	.accept = inet_accept,
	.getname = inet_getname,
	.poll = inet_stream_poll,
	.listen = inet_listen,
	.shutdown = inet_shutdown,
	.setsockopt = sock_common_setsockopt,
	.getsockopt = sock_common_getsockopt,
	.ioctl = inet_ioctl,
	.sendmsg = inet_sendmsg,
	.recvmsg = inet_recvmsg,
};
