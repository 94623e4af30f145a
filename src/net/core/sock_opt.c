/*
 * sock_opt.c - the socket-level options (net/core/sock.c, the
 * sk_setsockopt / sk_getsockopt half): setsockopt(SOL_SOCKET) and
 * getsockopt(SOL_SOCKET) for SO_RCVTIMEO/SO_SNDTIMEO, SO_LINGER,
 * SO_REUSEADDR, SO_REUSEPORT, SO_BROADCAST, SO_SNDBUF/SO_RCVBUF (doubled,
 * capped by wmem_max/rmem_max), SO_RCVLOWAT, SO_PRIORITY, SO_MARK and the
 * read-only SO_TYPE, SO_PROTOCOL, SO_DOMAIN, SO_ERROR; and the
 * sock_common_{set,get}sockopt hand-off to the protocol.  The rest of the
 * generic socket code is in sock.c.
 *
 * Leaves out: every other SOL_SOCKET option (-ENOPROTOOPT), among them
 * SO_KEEPALIVE, SO_*BUFFORCE, SO_TIMESTAMP*, SO_ATTACH_FILTER,
 * SO_BINDTODEVICE and SO_PEERCRED.
 */
#include "sock.h"

#include <errno.h>
#include <sys/time.h>

#include "engine/probe.h"
#include "net/core/net_namespace.h"
#include "net/socket.h"
#include "net/uaccess.h"
#include "sched/sched.h"
#include "sched/timer.h"

/* Smallest buffers setsockopt allows (include/net/sock.h): two skbs of
 * TCP_SKB_MIN_TRUESIZE to send, one to receive */
#define TCP_SKB_MIN_TRUESIZE (2048 + (int)SKB_DATA_ALIGN(KP_SKB_STRUCT_SIZE))
#define SOCK_MIN_SNDBUF (2 * TCP_SKB_MIN_TRUESIZE)
#define SOCK_MIN_RCVBUF TCP_SKB_MIN_TRUESIZE

static int sock_set_timeout(long *timeo_p, const char *optval,
			    unsigned int optlen)
{
	struct timeval tv;
	if (optlen < sizeof(tv))
		return -EINVAL;
	if (copy_from_user(&tv, optval, sizeof(tv)))
		return -EFAULT;
	if (tv.tv_usec < 0 || tv.tv_usec >= 1000000)
		return -EDOM;
	if (tv.tv_sec < 0) {
		*timeo_p = 0;
		return 0;
	}
	*timeo_p = MAX_SCHEDULE_TIMEOUT;
	if (tv.tv_sec == 0 && tv.tv_usec == 0)
		return 0;
	if (tv.tv_sec < (MAX_SCHEDULE_TIMEOUT / HZ - 1))
		*timeo_p = (long)(tv.tv_sec * HZ +
				  (tv.tv_usec + (1000000 / HZ - 1)) /
					  (1000000 / HZ));
	return 0;
}

/* SO_LINGER: l_onoff sets SOCK_LINGER, l_linger seconds the time close
 * may wait (0: close aborts with an RST - the protocol's close reads
 * both). */
static int sock_set_linger(struct sock *sk, const char *optval,
			   unsigned int optlen)
{
	struct linger ling;

	if (optlen < sizeof(ling))
		return -EINVAL;
	if (copy_from_user(&ling, optval, sizeof(ling)))
		return -EFAULT;
	lock_sock(sk);
	if (!ling.l_onoff) {
		sock_reset_flag(sk, SOCK_LINGER);
	} else {
		unsigned long t_sec = (unsigned int)ling.l_linger;
		sk->sk_lingertime = t_sec >= MAX_SCHEDULE_TIMEOUT / HZ
					    ? MAX_SCHEDULE_TIMEOUT
					    : (long)(t_sec * HZ);
		sock_set_flag(sk, SOCK_LINGER);
	}
	release_sock(sk);
	return 0;
}

int sock_setsockopt(struct socket *sock, int level, int optname,
		    const char *optval, unsigned int optlen)
{
	KP_FUNC_ARG(sock_setsockopt, sock->sk, optname);
	struct sock *sk = sock->sk;
	struct net *net = sock_net(sk);
	int val, ret = 0;
	(void)level;

	if (optname == SO_RCVTIMEO || optname == SO_SNDTIMEO) {
		lock_sock(sk);
		ret = sock_set_timeout(optname == SO_RCVTIMEO ? &sk->sk_rcvtimeo
							      : &sk->sk_sndtimeo,
				       optval, optlen);
		release_sock(sk);
		return ret;
	}
	if (optname == SO_LINGER)
		return sock_set_linger(sk, optval, optlen);
	if (optlen < sizeof(int))
		return -EINVAL;
	if (copy_from_user(&val, optval, sizeof(val)))
		return -EFAULT;

	lock_sock(sk);
	switch (optname) {
	case SO_REUSEADDR:
		sk->sk_reuse = val ? SK_CAN_REUSE : SK_NO_REUSE;
		break;
	case SO_REUSEPORT:
		sk->sk_reuseport = val ? 1 : 0;
		break;
	case SO_BROADCAST:
		if (val)
			sock_set_flag(sk, SOCK_BROADCAST);
		else
			sock_reset_flag(sk, SOCK_BROADCAST);
		break;
	case SO_SNDBUF:
		/* doubled for bookkeeping overhead, capped by wmem_max */
		if (val > net->sysctl.wmem_max)
			val = (int)net->sysctl.wmem_max;
		sk->sk_userlocks |= SOCK_SNDBUF_LOCK;
		sk->sk_sndbuf = val * 2 > SOCK_MIN_SNDBUF ? val * 2
							   : SOCK_MIN_SNDBUF;
		sk->sk_write_space(sk);
		break;
	case SO_RCVBUF:
		if (val > net->sysctl.rmem_max)
			val = (int)net->sysctl.rmem_max;
		sk->sk_userlocks |= SOCK_RCVBUF_LOCK;
		sk->sk_rcvbuf = val * 2 > SOCK_MIN_RCVBUF ? val * 2
							   : SOCK_MIN_RCVBUF;
		break;
	case SO_RCVLOWAT:
		sk->sk_rcvlowat = val ? val : 1;
		break;
	case SO_PRIORITY:
		sk->sk_priority = (uint32_t)val;
		break;
	case SO_MARK:
		sk->sk_mark = (uint32_t)val;
		break;
	default:
		ret = -ENOPROTOOPT;
		break;
	}
	release_sock(sk);
	return ret;
}

int sock_getsockopt(struct socket *sock, int level, int optname,
		    char *optval, int *optlen)
{
	struct sock *sk = sock->sk;
	int len, val;
	(void)level;

	if (copy_from_user(&len, optlen, sizeof(len)))
		return -EFAULT;
	if (len < 0)
		return -EINVAL;

	if (optname == SO_RCVTIMEO || optname == SO_SNDTIMEO) {
		long t = optname == SO_RCVTIMEO ? sk->sk_rcvtimeo
						: sk->sk_sndtimeo;
		struct timeval tv = { 0, 0 };
		if (t != MAX_SCHEDULE_TIMEOUT) {
			tv.tv_sec = t / HZ;
			tv.tv_usec = (t % HZ) * (1000000 / HZ);
		}
		if (len > (int)sizeof(tv))
			len = sizeof(tv);
		if (copy_to_user(optval, &tv, (size_t)len) ||
		    copy_to_user(optlen, &len, sizeof(len)))
			return -EFAULT;
		return 0;
	}
	if (optname == SO_LINGER) {
		struct linger ling = {
			.l_onoff = sock_flag(sk, SOCK_LINGER),
			.l_linger = (int)(sk->sk_lingertime / HZ),
		};
		if (len > (int)sizeof(ling))
			len = sizeof(ling);
		if (copy_to_user(optval, &ling, (size_t)len) ||
		    copy_to_user(optlen, &len, sizeof(len)))
			return -EFAULT;
		return 0;
	}

	switch (optname) {
	case SO_TYPE:
		val = sk->sk_type;
		break;
	case SO_PROTOCOL:
		val = sk->sk_protocol;
		break;
	case SO_DOMAIN:
		val = sk->sk_family;
		break;
	case SO_ERROR:
		val = -sock_error(sk);
		break;
	case SO_REUSEADDR:
		val = sk->sk_reuse;
		break;
	case SO_REUSEPORT:
		val = sk->sk_reuseport;
		break;
	case SO_BROADCAST:
		val = sock_flag(sk, SOCK_BROADCAST);
		break;
	case SO_SNDBUF:
		val = sk->sk_sndbuf;
		break;
	case SO_RCVBUF:
		val = sk->sk_rcvbuf;
		break;
	case SO_RCVLOWAT:
		val = sk->sk_rcvlowat;
		break;
	default:
		return -ENOPROTOOPT;
	}
	if (len > (int)sizeof(int))
		len = sizeof(int);
	if (copy_to_user(optval, &val, (size_t)len) ||
	    copy_to_user(optlen, &len, sizeof(len)))
		return -EFAULT;
	return 0;
}

int sock_common_setsockopt(struct socket *sock, int level, int optname,
			   const char *optval, unsigned int optlen)
{
	struct sock *sk = sock->sk;
	if (!sk->sk_prot->setsockopt)
		return -ENOPROTOOPT;
	return sk->sk_prot->setsockopt(sk, level, optname, optval, optlen);
}

int sock_common_getsockopt(struct socket *sock, int level, int optname,
			   char *optval, int *optlen)
{
	struct sock *sk = sock->sk;
	if (!sk->sk_prot->getsockopt)
		return -ENOPROTOOPT;
	return sk->sk_prot->getsockopt(sk, level, optname, optval, optlen);
}
