/*
 * udp.c - UDP sockets over IPv4 (net/ipv4/udp.c): the per-net table
 * (kp_udp_net_init), binding a port (udp_v4_get_port into the hash
 * table net->udp, udp_lib_unhash), the socket calls of udp_prot
 * (udp_recvmsg, the receive system call's end; udp_poll, close,
 * setsockopt/getsockopt, ioctl).
 *
 * Receiving from IP (udp_rcv -> __udp4_lib_rcv -> __udp4_lib_lookup ->
 * udp_queue_rcv_skb, udp_err) is udp_rcv.c; sending is udp_sendmsg.c.
 *
 * Leaves out: UDP-Lite, encapsulation sockets, corking (UDP_CORK,
 * MSG_MORE), IP_RECVERR's error queue, the second (address, port) hash.
 */
#include "udp.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "engine/probe.h"
#include "engine/prng.h"
#include "net/core/datagram.h"
#include "net/core/net_namespace.h"
#include "net/ipv4/ip.h"
#include "net/ipv4/ip_output.h"
#include "net/uaccess.h"
#include "sched/sched.h"

static void udp_net_exit(struct net *net)
{
	struct kp_udp_table *t = net->udp;
	struct sock *sk, *tmp;
	if (!t)
		return;
	/* Teardown, off any CPU: no probes.  Queued skbs are freed with the
	 * stack's other live skbs; cut them loose from their socket (sent
	 * ones still in a qdisc or TX ring too: sock_wfree must not run). */
	{
		struct sk_buff *skb;
		list_for_each_entry(skb, &net->skb_alive, kp_alive) {
			if (skb->sk) {
				skb->sk = NULL;
				skb->destructor = NULL;
			}
		}
	}
	list_for_each_entry_safe(sk, tmp, &t->socks, kp_node) {
		struct sk_buff *skb;
		skb_queue_walk(&sk->sk_receive_queue, skb) {
			skb->sk = NULL;
			skb->destructor = NULL;
		}
		for (skb = sk->sk_backlog.head; skb; skb = skb->next) {
			skb->sk = NULL;
			skb->destructor = NULL;
		}
		list_del_init(&sk->kp_node);
		/* the socket's file is the fs layer's to free (it may be
		 * gone already): do not touch it */
		if (sk->sk_socket) {
			sk->sk_socket->sk = NULL;
			list_del(&sk->sk_socket->kp_node);
			free(sk->sk_socket);
		}
		free(sk);
	}
	/* sockets no sock owns: accept's new socket while its caller
	 * still sleeps in (or is stopped inside) accept */
	{
		struct socket *sock, *stmp;
		list_for_each_entry_safe(sock, stmp, &t->sockets, kp_node) {
			list_del(&sock->kp_node);
			free(sock);
		}
	}
	/* linked once inet_init's dev_add_pack has run (teardown may
	 * come while stopped at that step point) */
	if (t->ip_packet_type.list.next)
		list_del_init(&t->ip_packet_type.list); /* dev_remove_pack */
	free(t);
	net->udp = NULL;
}

int kp_udp_net_init(struct net *net)
{
	if (net->udp)
		return 0;
	struct kp_udp_table *t = calloc(1, sizeof(*t));
	if (!t)
		return -ENOMEM;
	t->udp_table.mask = UDP_HTABLE_SIZE_MIN - 1;
	for (unsigned i = 0; i < UDP_HTABLE_SIZE_MIN; i++) {
		INIT_LIST_HEAD(&t->udp_table.hash[i].head);
		spin_lock_init(&t->udp_table.hash[i].lock);
	}
	INIT_LIST_HEAD(&t->socks);
	INIT_LIST_HEAD(&t->sockets);
	net->udp = t;
	return kp_net_register_exit(net, udp_net_exit);
}

/* ---- binding ---- */

static bool ipv4_rcv_saddr_equal(const struct sock *sk1,
				 const struct sock *sk2)
{
	uint32_t a1 = inet_sk(sk1)->inet_rcv_saddr;
	uint32_t a2 = inet_sk(sk2)->inet_rcv_saddr;
	return !a1 || !a2 || a1 == a2;
}

/* Does a socket other than @sk hold @num in a way @sk may not share? */
static bool udp_lib_lport_inuse(struct udp_hslot *hslot, unsigned short num,
				const struct sock *sk)
{
	struct sock *sk2;
	list_for_each_entry(sk2, &hslot->head, sk_node) {
		if (sk2 != sk && inet_sk(sk2)->inet_num == num &&
		    (!sk2->sk_reuse || !sk->sk_reuse) &&
		    (!sk2->sk_bound_dev_if || !sk->sk_bound_dev_if ||
		     sk2->sk_bound_dev_if == sk->sk_bound_dev_if) &&
		    (!sk2->sk_reuseport || !sk->sk_reuseport) &&
		    ipv4_rcv_saddr_equal(sk, sk2))
			return true;
	}
	return false;
}

int udp_v4_get_port(struct sock *sk, unsigned short snum)
{
	KP_FUNC_ARG(udp_v4_get_port, sk, snum);
	struct net *net = sock_net(sk);
	struct udp_table *udptable = &net->udp->udp_table;
	struct udp_hslot *hslot;

	if (!snum) {
		/* An ephemeral port: from a random point of
		 * ip_local_port_range, the first one free. */
		int low = (int)net->sysctl.ip_local_port_range_min;
		int high = (int)net->sysctl.ip_local_port_range_max;
		unsigned int remaining = (unsigned int)(high - low) + 1;
		struct kp_prng *prng = &kp_current_world()->prng;
		unsigned int first =
			(unsigned int)kp_prng_below(prng, remaining);
		for (unsigned int i = 0; i < remaining; i++) {
			unsigned short port =
				(unsigned short)(low +
						 (first + i) % remaining);
			hslot = udp_hashslot(udptable, port);
			if (!udp_lib_lport_inuse(hslot, port, sk)) {
				snum = port;
				goto found;
			}
		}
		return 1;
	}
	hslot = udp_hashslot(udptable, snum);
	if (udp_lib_lport_inuse(hslot, snum, sk))
		return 1;
found:
	hslot = udp_hashslot(udptable, snum);
	inet_sk(sk)->inet_num = snum;
	/* newest first, as sk_add_node_rcu, which holds a reference for
	 * the table (ss and /proc/net/udp show refcnt 2) */
	list_add(&sk->sk_node, &hslot->head);
	sock_hold(sk);
	hslot->count++;
	return 0;
}

void udp_lib_unhash(struct sock *sk)
{
	if (sk_hashed(sk)) {
		struct udp_hslot *hslot = udp_hashslot(
			&sock_net(sk)->udp->udp_table, inet_sk(sk)->inet_num);
		list_del_init(&sk->sk_node);
		hslot->count--;
		inet_sk(sk)->inet_num = 0;
		sock_put(sk); /* the table's reference (sk_del_node_init_rcu) */
	}
}

/* ---- receive system call ---- */

int udp_recvmsg(struct sock *sk, struct msghdr *msg, size_t len, int noblock,
		int flags, int *addr_len)
{
	KP_FUNC_ARG(udp_recvmsg, sk, len);
	struct sockaddr_in *sin = msg->msg_name;
	struct sk_buff *skb;
	unsigned int ulen, copied;
	int peeked, off = 0;
	int err;

	if (addr_len)
		*addr_len = sizeof(*sin);
	if (flags & MSG_ERRQUEUE)
		return -EAGAIN; /* ip_recv_error: no error queue yet */

	skb = __skb_recv_datagram(sk, (unsigned int)flags |
					      (noblock ? MSG_DONTWAIT : 0),
				  &peeked, &off, &err);
	if (!skb)
		return err;

	ulen = skb->len - (unsigned int)sizeof(struct udphdr);
	copied = (unsigned int)len;
	if (copied > ulen)
		copied = ulen;
	else if (copied < ulen)
		msg->msg_flags |= MSG_TRUNC;

	err = skb_copy_datagram_iovec(skb, sizeof(struct udphdr), msg->msg_iov,
				      (int)copied);
	if (err)
		goto out_free;
	if (!peeked)
		__UDP_INC_STATS(sock_net(sk), InDatagrams);

	if (sin) {
		memset(sin, 0, sizeof(*sin));
		sin->sin_family = AF_INET;
		sin->sin_port = udp_hdr(skb)->source;
		sin->sin_addr.s_addr = ip_hdr(skb)->saddr;
	}
	err = (int)copied;
	if (flags & MSG_TRUNC)
		err = (int)ulen;
out_free:
	skb_free_datagram_locked(sk, skb);
	return err;
}

unsigned int udp_poll(struct file *file, struct socket *sock,
		      poll_table *wait)
{
	KP_FUNC(udp_poll, sock->sk);
	return datagram_poll(file, sock, wait);
}

void udp_lib_close(struct sock *sk, long timeout)
{
	(void)timeout;
	/* sk_common_release */
	if (sk->sk_prot->destroy)
		sk->sk_prot->destroy(sk);
	sk->sk_prot->unhash(sk);
	/* sock_orphan */
	sock_set_flag(sk, SOCK_DEAD);
	sk->sk_socket = NULL;
	sk->sk_wq = NULL;
	sock_put(sk);
}

int udp_setsockopt(struct sock *sk, int level, int optname,
		   const char *optval, unsigned int optlen)
{
	(void)sk;
	(void)level;
	(void)optname;
	(void)optval;
	(void)optlen;
	return -ENOPROTOOPT; /* IP- and UDP-level options: not yet */
}

int udp_getsockopt(struct sock *sk, int level, int optname, char *optval,
		   int *optlen)
{
	(void)sk;
	(void)level;
	(void)optname;
	(void)optval;
	(void)optlen;
	return -ENOPROTOOPT;
}

static void udp_destroy_sock(struct sock *sk)
{
	/* inet_sock_destruct's purge, done here while the socket lives */
	struct sk_buff *skb;
	while ((skb = __skb_dequeue(&sk->sk_receive_queue)) != NULL) {
		skb_orphan(skb);
		kfree_skb_reason(skb, SKB_DROP_REASON_QUEUE_PURGE);
	}
}

/* udp_ioctl: SIOCINQ is the payload length of the datagram the next
 * recv would return (first_packet_length; 0 when none), SIOCOUTQ the
 * bytes still charged to the socket for sending. */
int udp_ioctl(struct sock *sk, int cmd, int *karg)
{
	KP_FUNC_ARG(udp_ioctl, sk, cmd);
	struct sk_buff *skb;

	switch (cmd) {
	case SIOCOUTQ:
		*karg = sk_wmem_alloc_get(sk);
		return 0;
	case SIOCINQ:
		skb = skb_peek(&sk->sk_receive_queue);
		*karg = skb ? (int)(skb->len - sizeof(struct udphdr)) : 0;
		return 0;
	default:
		return -ENOIOCTLCMD;
	}
}

const struct proto udp_prot = {
	.name = "UDP",
	.close = udp_lib_close,
	.destroy = udp_destroy_sock,
	.setsockopt = udp_setsockopt,
	.getsockopt = udp_getsockopt,
	.ioctl = udp_ioctl,
	.connect = ip4_datagram_connect,
	.disconnect = udp_disconnect,
	.sendmsg = udp_sendmsg,
	.recvmsg = udp_recvmsg,
	.backlog_rcv = __udp_queue_rcv_skb,
	.unhash = udp_lib_unhash,
	.get_port = udp_v4_get_port,
	.obj_size = sizeof(struct udp_sock),
};
