/*
 * af_inet.c - the AF_INET family (net/ipv4/af_inet.c): inet_init, the
 * fs_initcall that registers the family (sock_register), the transport
 * handlers (inet_add_protocol) and IPv4 itself (dev_add_pack with
 * ip_rcv); inet_create, which picks proto and proto_ops from inetsw_array;
 * and the inet_* proto_ops (bind, release, recvmsg...).
 *
 * Leaves out: raw sockets, inet_addr_type checks in bind (any address may
 * be bound, as with ip_nonlocal_bind=1).  The TCP issue adds its row (tcp_prot,
 * inet_stream_ops) to inetsw_array and tcp_protocol to inet_init.
 */
#include "af_inet.h"

#include <arpa/inet.h>
#include <errno.h>
#include <string.h>

#include "engine/probe.h"
#include "net/core/datagram.h"
#include "net/core/net_namespace.h"
#include "net/core/netdevice.h"
#include "net/ipv4/inet_protocol.h"
#include "net/ipv4/arp.h"
#include "net/ipv4/ip.h"
#include "net/ipv4/ip_output.h"
#include "net/ipv4/tcp.h"
#include "net/ipv4/udp.h"
#include "net/socket.h"
#include "net/uaccess.h"
#include "sched/sched.h"

#include "net/ipv4/ping.h"
#if __has_include("net/ipv4/icmp.h")
#include "net/ipv4/icmp.h"
#define KP_HAVE_ICMP 1
#endif

#define PROT_SOCK 1024

static const struct inet_protosw inetsw_array[] = {
	{
		.type = SOCK_STREAM,
		.protocol = IPPROTO_TCP,
		.prot = &tcp_prot,
		.ops = &inet_stream_ops,
		.flags = INET_PROTOSW_PERMANENT | INET_PROTOSW_ICSK,
	},
	{
		.type = SOCK_DGRAM,
		.protocol = IPPROTO_UDP,
		.prot = &udp_prot,
		.ops = &inet_dgram_ops,
		.flags = INET_PROTOSW_PERMANENT,
	},
	{
		.type = SOCK_DGRAM,
		.protocol = IPPROTO_ICMP,
		.prot = &ping_prot,
		.ops = &inet_dgram_ops,
		.flags = INET_PROTOSW_REUSE,
	},
};

#define INETSW_ARRAY_LEN (sizeof(inetsw_array) / sizeof(inetsw_array[0]))

static void inet_sock_destruct(struct sock *sk)
{
	(void)sk; /* queues were purged by the protocol's destroy */
}

int inet_create(struct net *net, struct socket *sock, int protocol, int kern)
{
	KP_FUNC_ARG(inet_create, KP_NOOBJ, protocol);
	const struct inet_protosw *answer = NULL;
	struct inet_sock *inet;
	struct sock *sk;
	bool type_found = false;
	int err;

	sock->state = SS_UNCONNECTED;
	for (size_t i = 0; i < INETSW_ARRAY_LEN; i++) {
		const struct inet_protosw *a = &inetsw_array[i];
		if (a->type != sock->type)
			continue;
		type_found = true;
		if (protocol == a->protocol) {
			answer = a;
			break;
		}
		if (protocol == IPPROTO_IP) {
			protocol = a->protocol;
			answer = a;
			break;
		}
	}
	if (!answer)
		return type_found ? -EPROTONOSUPPORT : -ESOCKTNOSUPPORT;

	sock->ops = answer->ops;
	sk = sk_alloc(net, PF_INET, answer->prot, kern);
	if (!sk)
		return -ENOBUFS;
	if (answer->flags & INET_PROTOSW_REUSE)
		sk->sk_reuse = SK_CAN_REUSE;

	inet = inet_sk(sk);
	inet->is_icsk = (answer->flags & INET_PROTOSW_ICSK) != 0;
	inet->nodefrag = 0;
	inet->inet_id = 0;

	sock_init_data(sock, sk);

	sk->sk_destruct = inet_sock_destruct;
	sk->sk_protocol = (unsigned short)protocol;
	sk->sk_backlog_rcv = sk->sk_prot->backlog_rcv;

	/* net.ipv4.ip_no_pmtu_disc is 0: every inet socket does path MTU
	 * discovery, so what fits the route's MTU leaves with DF */
	inet->pmtudisc = IP_PMTUDISC_WANT;
	inet->uc_ttl = -1;
	inet->mc_loop = 1;
	inet->mc_ttl = 1;
	inet->mc_all = 1;
	inet->mc_index = 0;

	if (sk->sk_prot->init) {
		err = sk->sk_prot->init(sk);
		if (err) {
			sk->sk_prot->close(sk, 0);
			sock->sk = NULL;
			return err;
		}
	}
	return 0;
}

int inet_release(struct socket *sock)
{
	struct sock *sk = sock->sk;
	KP_FUNC(inet_release, sk);
	if (sk) {
		sock->sk = NULL;
		sk->sk_prot->close(sk, 0);
	}
	return 0;
}

int inet_bind(struct socket *sock, struct sockaddr *uaddr, int addr_len)
{
	struct sock *sk = sock->sk;
	KP_FUNC(inet_bind, sk);
	struct sockaddr_in *addr = (struct sockaddr_in *)uaddr;
	struct inet_sock *inet = inet_sk(sk);
	unsigned short snum;
	int err;

	if (addr_len < (int)sizeof(struct sockaddr_in))
		return -EINVAL;
	if (addr->sin_family != AF_INET) {
		/* compatibility: AF_UNSPEC with INADDR_ANY */
		if (addr->sin_family != AF_UNSPEC ||
		    addr->sin_addr.s_addr != htonl(INADDR_ANY))
			return -EAFNOSUPPORT;
	}
	snum = ntohs(addr->sin_port);

	lock_sock(sk);
	err = -EINVAL;
	if (sk->sk_state != TCP_CLOSE || inet->inet_num)
		goto out_release_sock;

	inet->inet_rcv_saddr = inet->inet_saddr = addr->sin_addr.s_addr;
	if (ipv4_is_multicast(addr->sin_addr.s_addr) ||
	    ipv4_is_lbcast(addr->sin_addr.s_addr))
		inet->inet_saddr = 0; /* use the device's address to send */

	if (sk->sk_prot->get_port(sk, snum)) {
		inet->inet_saddr = inet->inet_rcv_saddr = 0;
		err = -EADDRINUSE;
		goto out_release_sock;
	}
	inet->inet_sport = htons(inet->inet_num);
	inet->inet_daddr = 0;
	inet->inet_dport = 0;
	err = 0;
out_release_sock:
	release_sock(sk);
	return err;
}

int inet_dgram_connect(struct socket *sock, struct sockaddr *uaddr,
		       int addr_len, int flags)
{
	struct sock *sk = sock->sk;
	(void)flags;
	if (addr_len < (int)sizeof(uaddr->sa_family))
		return -EINVAL;
	if (uaddr->sa_family == AF_UNSPEC)
		return sk->sk_prot->disconnect ? sk->sk_prot->disconnect(sk, 0)
					       : 0;
	if (!sk->sk_prot->connect)
		return -EOPNOTSUPP;
	return sk->sk_prot->connect(sk, uaddr, addr_len);
}

int inet_getname(struct socket *sock, struct sockaddr *uaddr, int peer)
{
	struct sock *sk = sock->sk;
	struct inet_sock *inet = inet_sk(sk);
	struct sockaddr_in *sin = (struct sockaddr_in *)uaddr;

	memset(sin, 0, sizeof(*sin));
	sin->sin_family = AF_INET;
	if (peer) {
		if (!inet->inet_dport)
			return -ENOTCONN;
		sin->sin_port = inet->inet_dport;
		sin->sin_addr.s_addr = inet->inet_daddr;
	} else {
		uint32_t addr = inet->inet_rcv_saddr;
		if (!addr)
			addr = inet->inet_saddr;
		sin->sin_port = inet->inet_sport;
		sin->sin_addr.s_addr = addr;
	}
	return (int)sizeof(*sin);
}

/* inet_ioctl: the stamp and routing/device ioctls are not modelled;
 * the rest go to the protocol (sk_ioctl), which answers in an int that is
 * copied to the user's pointer. */
int inet_ioctl(struct socket *sock, unsigned int cmd, unsigned long arg)
{
	struct sock *sk = sock->sk;
	KP_FUNC_ARG(inet_ioctl, sk, cmd);
	int karg = 0;

	if (!sk->sk_prot->ioctl)
		return -ENOIOCTLCMD;
	int err = sk->sk_prot->ioctl(sk, (int)cmd, &karg);
	if (err)
		return err;
	return copy_to_user((void *)arg, &karg, sizeof(karg)) ? -EFAULT : 0;
}

int inet_recvmsg(struct socket *sock, struct msghdr *msg, size_t size,
		 int flags)
{
	struct sock *sk = sock->sk;
	KP_FUNC_ARG(inet_recvmsg, sk, size);
	int addr_len = 0;
	int err = sk->sk_prot->recvmsg(sk, msg, size, flags & MSG_DONTWAIT,
				       flags & ~MSG_DONTWAIT, &addr_len);
	if (err >= 0)
		msg->msg_namelen = (socklen_t)addr_len;
	return err;
}

/* Bind an ephemeral port to a socket that sends before binding. */
static int inet_autobind(struct sock *sk)
{
	struct inet_sock *inet = inet_sk(sk);

	lock_sock(sk);
	if (!inet->inet_num) {
		if (sk->sk_prot->get_port(sk, 0)) {
			release_sock(sk);
			return -EAGAIN;
		}
		inet->inet_sport = htons(inet->inet_num);
	}
	release_sock(sk);
	return 0;
}

int inet_sendmsg(struct socket *sock, struct msghdr *msg, size_t size)
{
	struct sock *sk = sock->sk;
	KP_FUNC_ARG(inet_sendmsg, sk, size);

	if (!sk->sk_prot->sendmsg)
		return -EOPNOTSUPP;
	/* TCP autobinds in connect; datagram sockets here */
	if (!inet_sk(sk)->inet_num && !sk->sk_prot->no_autobind &&
	    inet_autobind(sk))
		return -EAGAIN;
	return sk->sk_prot->sendmsg(sk, msg, size);
}

int inet_shutdown(struct socket *sock, int how)
{
	struct sock *sk = sock->sk;
	how++; /* SHUT_RD -> RCV_SHUTDOWN, SHUT_WR -> SEND_SHUTDOWN */
	if ((how & ~SHUTDOWN_MASK) || !how)
		return -EINVAL;
	lock_sock(sk);
	if (sock->state == SS_CONNECTING)
		sock->state = SS_DISCONNECTING;
	else if (sk->sk_state == TCP_CLOSE && sock->state != SS_CONNECTED) {
		release_sock(sk);
		return -ENOTCONN;
	}
	sk->sk_shutdown |= how;
	if (sk->sk_prot->shutdown)
		sk->sk_prot->shutdown(sk, how);
	sk->sk_state_change(sk);
	release_sock(sk);
	return 0;
}

const struct proto_ops inet_dgram_ops = {
	.family = PF_INET,
	.name = "inet_dgram_ops",
	.release = inet_release,
	.bind = inet_bind,
	.connect = inet_dgram_connect,
	.accept = sock_no_accept,
	.getname = inet_getname,
	.poll = udp_poll,
	.listen = sock_no_listen,
	.shutdown = inet_shutdown,
	.setsockopt = sock_common_setsockopt,
	.getsockopt = sock_common_getsockopt,
	.ioctl = inet_ioctl,
	.sendmsg = inet_sendmsg,
	.recvmsg = inet_recvmsg,
};

const struct net_proto_family inet_family_ops = {
	.family = PF_INET,
	.create = inet_create,
};

/* ip_packet_type is per host in kpath: it sits on that host's ptype_base
 * list.  It lives in the host's socket-layer state. */
static int kp_inet_register_ip(struct net *net)
{
	struct packet_type *pt = &net->udp->ip_packet_type;
	pt->type = ETH_P_IP;
	pt->dev = NULL;
	pt->func = ip_rcv;
	pt->name = "ip_rcv";
	dev_add_pack(pt);
	return 0;
}

int inet_init(void)
{
	KP_FUNC0(inet_init);
	struct net *net = current_net();
	int rc = kp_udp_net_init(net);
	if (rc)
		return rc;

	(void)sock_register(&inet_family_ops);

	/* Add all the base protocols. */
#ifdef KP_HAVE_ICMP
	if (inet_add_protocol(&icmp_protocol, IPPROTO_ICMP) < 0)
		return -EAGAIN;
#endif
	if (inet_add_protocol(&udp_protocol, IPPROTO_UDP) < 0)
		return -EAGAIN;
	if (inet_add_protocol(&tcp_protocol, IPPROTO_TCP) < 0)
		return -EAGAIN;
	arp_init(); ip_init(); /* neighbours, the transmit path's hooks */
#ifdef KP_HAVE_ICMP
	/* Set the ICMP layer up (its socket, rate limits, ping sockets) */
	rc = icmp_init();
	if (rc)
		return rc;
#endif

	return kp_inet_register_ip(net);
}
