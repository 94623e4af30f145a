/*
 * tcp_ioctl.c - ioctl(2) on a TCP socket (tcp_ioctl and tcp_inq,
 * net/ipv4/tcp.c, include/net/tcp.h): SIOCINQ, the bytes a read would
 * find (a received FIN is not one); SIOCOUTQ, the bytes not yet
 * acknowledged (sent or not); SIOCOUTQNSD, those not yet sent.  A
 * listener has none of these (-EINVAL).
 *
 * Leaves out: SIOCATMARK (kpath has no urgent data).
 */
#include <errno.h>

#include "engine/probe.h"
#include "net/socket.h"
#include "tcp.h"

/* tcp_inq: what recv(2) could copy now (no urgent data here). */
static int tcp_inq(const struct sock *sk)
{
	const struct tcp_sock *tp = tcp_sk(sk);

	if (sk->sk_state == TCP_SYN_SENT || sk->sk_state == TCP_SYN_RECV)
		return 0;
	int answ = (int)(tp->rcv_nxt - tp->copied_seq);
	/* subtract 1 if a FIN was received */
	if (answ && sock_flag(sk, SOCK_DONE))
		answ--;
	return answ;
}

int tcp_ioctl(struct sock *sk, int cmd, int *karg)
{
	KP_FUNC_ARG(tcp_ioctl, sk, cmd);
	const struct tcp_sock *tp = tcp_sk(sk);

	switch (cmd) {
	case SIOCINQ:
		if (sk->sk_state == TCP_LISTEN)
			return -EINVAL;
		lock_sock(sk);
		*karg = tcp_inq(sk);
		release_sock(sk);
		return 0;
	case SIOCOUTQ:
		if (sk->sk_state == TCP_LISTEN)
			return -EINVAL;
		if (sk->sk_state == TCP_SYN_SENT || sk->sk_state == TCP_SYN_RECV)
			*karg = 0;
		else
			*karg = (int)(tp->write_seq - tp->snd_una);
		return 0;
	case SIOCOUTQNSD:
		if (sk->sk_state == TCP_LISTEN)
			return -EINVAL;
		if (sk->sk_state == TCP_SYN_SENT || sk->sk_state == TCP_SYN_RECV)
			*karg = 0;
		else
			*karg = (int)(tp->write_seq - tp->snd_nxt);
		return 0;
	default:
		return -ENOIOCTLCMD;
	}
}
