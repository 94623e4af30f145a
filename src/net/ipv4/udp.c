/*
 * udp.c - UDP over IPv4 (net/ipv4/udp.c): binding a port (udp_v4_get_port
 * into the hash table net->udp), receiving (udp_rcv -> __udp4_lib_rcv ->
 * __udp4_lib_lookup -> udp_queue_rcv_skb -> sock_queue_rcv_skb), and
 * udp_recvmsg, the receive system call's end.
 *
 * Sending is udp_sendmsg.c.  NoPorts answers icmp_send port unreachable;
 * udp_err turns ICMP errors into sk_err for connected sockets.
 *
 * Leaves out: multicast and broadcast delivery (every datagram is looked
 * up as unicast), UDP-Lite, encapsulation sockets, corking (UDP_CORK,
 * MSG_MORE), IP_RECVERR's error queue, the second (address, port) hash.
 * Departure: the checksum is verified at once in __udp4_lib_rcv, where
 * Linux may defer it to udp_recvmsg when the NIC did not check it.
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
#include "net/ipv4/icmp.h"
#include "net/ipv4/inet_protocol.h"
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
	/* newest first, as sk_add_node_rcu */
	list_add(&sk->sk_node, &hslot->head);
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
	}
}

/* ---- lookup ---- */

static int compute_score(struct sock *sk, uint32_t saddr, uint16_t sport,
			 uint32_t daddr, unsigned short hnum, int dif)
{
	struct inet_sock *inet = inet_sk(sk);
	int score;

	if (inet->inet_num != hnum)
		return -1;
	score = sk->sk_family == PF_INET ? 2 : 1;
	if (inet->inet_rcv_saddr) {
		if (inet->inet_rcv_saddr != daddr)
			return -1;
		score += 4;
	}
	if (inet->inet_daddr) {
		if (inet->inet_daddr != saddr)
			return -1;
		score += 4;
	}
	if (inet->inet_dport) {
		if (inet->inet_dport != sport)
			return -1;
		score += 4;
	}
	if (sk->sk_bound_dev_if) {
		if (sk->sk_bound_dev_if != dif)
			return -1;
		score += 4;
	}
	return score;
}

/* udp_ehashfn without the boot-time secret: a fixed mix, so the socket a
 * SO_REUSEPORT group picks is the same on every run. */
static uint32_t udp_ehashfn(uint32_t laddr, uint16_t lport, uint32_t faddr,
			    uint16_t fport)
{
	uint32_t h = laddr * 0x9e3779b1u;
	h ^= faddr + 0x7f4a7c15u + (h << 6) + (h >> 2);
	h ^= ((uint32_t)lport << 16 | fport) + (h << 6) + (h >> 2);
	return h;
}

struct sock *__udp4_lib_lookup(struct net *net, uint32_t saddr,
			       uint16_t sport, uint32_t daddr, uint16_t dport,
			       int dif, struct udp_table *udptable)
{
	unsigned short hnum = ntohs(dport);
	KP_FUNC_ARG(__udp4_lib_lookup, KP_NOOBJ, hnum);
	struct udp_hslot *hslot = udp_hashslot(udptable, hnum);
	struct sock *sk, *result = NULL;
	int score, badness = 0, matches = 0;
	uint32_t hash = 0;
	(void)net;

	/* best score wins: bound address, connected peer and device each
	 * add 4; a SO_REUSEPORT group shares one score and the flow hash
	 * picks among them */
	list_for_each_entry(sk, &hslot->head, sk_node) {
		score = compute_score(sk, saddr, sport, daddr, hnum, dif);
		if (score > badness) {
			result = sk;
			badness = score;
			if (sk->sk_reuseport) {
				hash = udp_ehashfn(daddr, hnum, saddr,
						   ntohs(sport));
				matches = 1;
			}
		} else if (score == badness && sk->sk_reuseport && matches) {
			matches++;
			if ((uint32_t)(((uint64_t)hash * (uint32_t)matches) >>
				       32) == 0)
				result = sk;
			hash = hash * 1664525u + 1013904223u;
		}
	}
	if (result)
		sock_hold(result);
	return result;
}

/* ---- receive ---- */

int __udp_queue_rcv_skb(struct sock *sk, struct sk_buff *skb)
{
	struct net *net = sock_net(sk);
	int rmem = sk->sk_rmem_alloc;
	int rc;

	/* __udp_enqueue_schedule_skb (Linux 6.15+): drop when the datagram
	 * would take rmem past rcvbuf, unless the queue is empty */
	if (rmem + (int)skb->truesize > sk->sk_rcvbuf && rmem) {
		sk->sk_drops++;
		rc = -ENOMEM;
	} else {
		rc = sock_queue_rcv_skb(sk, skb);
	}

	if (rc < 0) {
		enum skb_drop_reason reason = SKB_DROP_REASON_PROTO_MEM;
		if (rc == -ENOMEM) {
			__UDP_INC_STATS(net, RcvbufErrors);
			reason = SKB_DROP_REASON_SOCKET_RCVBUFF;
		}
		__UDP_INC_STATS(net, InErrors);
		kp_drop_detail(net, reason,
			       "sk#%u rmem_alloc %d + %u > rcvbuf %d",
			       sk->kp.id, sk->sk_rmem_alloc, skb->truesize,
			       sk->sk_rcvbuf);
		kfree_skb_reason(skb, reason);
		return -1;
	}
	return 0;
}

int udp_queue_rcv_skb(struct sock *sk, struct sk_buff *skb)
{
	KP_FUNC_ARG(udp_queue_rcv_skb, skb, sk->kp.id);
	int rc = 0;

	/* bh_lock_sock: a task inside lock_sock owns the socket, so the
	 * datagram waits on the backlog for release_sock */
	spin_lock(&sk->sk_lock.slock);
	if (!sock_owned_by_user(sk)) {
		rc = __udp_queue_rcv_skb(sk, skb);
	} else if (!sk_add_backlog(sk, skb, (unsigned int)sk->sk_rcvbuf)) {
		spin_unlock(&sk->sk_lock.slock);
		struct net *net = sock_net(sk);
		__UDP_INC_STATS(net, InErrors);
		sk->sk_drops++;
		kp_drop_detail(net, SKB_DROP_REASON_SOCKET_BACKLOG,
			       "sk#%u backlog full", sk->kp.id);
		kfree_skb_reason(skb, SKB_DROP_REASON_SOCKET_BACKLOG);
		return -1;
	}
	spin_unlock(&sk->sk_lock.slock);
	return rc;
}

/* The UDP checksum with its pseudo header (csum_tcpudp_nofold, then
 * skb_checksum over the datagram), as stored in the header (network
 * order): 0 when it verifies. */
uint16_t udp4_csum(const struct sk_buff *skb, uint32_t saddr,
			  uint32_t daddr, unsigned int ulen)
{
	uint64_t sum = (uint64_t)saddr + daddr + htons(IPPROTO_UDP) +
		       htons((uint16_t)ulen);
	sum = (sum & 0xffffffffu) + (sum >> 32);
	return csum_fold(skb_checksum(skb, skb_transport_offset(skb),
				      (int)ulen, (uint32_t)sum));
}

int __udp4_lib_rcv(struct sk_buff *skb, struct udp_table *udptable,
		   int proto)
{
	KP_FUNC_ARG(__udp4_lib_rcv, skb, proto);
	struct net *net = skb->net;
	enum skb_drop_reason reason = SKB_DROP_REASON_NOT_SPECIFIED;
	struct udphdr *uh;
	struct sock *sk;
	unsigned int ulen;
	uint32_t saddr, daddr;

	if (!pskb_may_pull(skb, sizeof(struct udphdr)))
		goto short_packet;
	uh = udp_hdr(skb);
	ulen = ntohs(uh->len);
	saddr = ip_hdr(skb)->saddr;
	daddr = ip_hdr(skb)->daddr;

	if (ulen > skb->len)
		goto short_packet;
	if (ulen < sizeof(*uh) || pskb_trim_rcsum(skb, ulen))
		goto short_packet;
	uh = udp_hdr(skb);

	/* udp4_csum_init + udp_lib_checksum_complete; 0 = no checksum */
	if (uh->check && skb->ip_summed != CHECKSUM_UNNECESSARY) {
		if (udp4_csum(skb, saddr, daddr, ulen))
			goto csum_error;
		skb->ip_summed = CHECKSUM_UNNECESSARY;
	}

	sk = __udp4_lib_lookup(net, saddr, uh->source, daddr, uh->dest,
			       skb->skb_iif, udptable);
	if (sk) {
		int ret = udp_queue_rcv_skb(sk, skb);
		sock_put(sk);
		return ret > 0 ? -ret : 0;
	}

	/* No socket for the port */
	__UDP_INC_STATS(net, NoPorts);
	icmp_send(skb, ICMP_DEST_UNREACH, ICMP_PORT_UNREACH, 0);
	kp_drop_detail(net, SKB_DROP_REASON_NO_SOCKET, "no socket on %u.%u.%u.%u:%u",
		       ((unsigned char *)&daddr)[0], ((unsigned char *)&daddr)[1],
		       ((unsigned char *)&daddr)[2], ((unsigned char *)&daddr)[3],
		       ntohs(uh->dest));
	kfree_skb_reason(skb, SKB_DROP_REASON_NO_SOCKET);
	return 0;

short_packet:
	reason = SKB_DROP_REASON_PKT_TOO_SMALL;
	kp_drop_detail(net, reason, "UDP length %u, %u bytes",
		       skb->len >= sizeof(struct udphdr)
			       ? ntohs(udp_hdr(skb)->len)
			       : 0,
		       skb->len);
	goto drop;
csum_error:
	reason = SKB_DROP_REASON_UDP_CSUM;
	__UDP_INC_STATS(net, InCsumErrors);
	kp_drop_detail(net, reason, "UDP checksum 0x%04x does not verify",
		       ntohs(uh->check));
drop:
	__UDP_INC_STATS(net, InErrors);
	kfree_skb_reason(skb, reason);
	return 0;
}

int udp_rcv(struct sk_buff *skb)
{
	KP_FUNC_ARG(udp_rcv, skb, skb->len);
	return __udp4_lib_rcv(skb, &skb->net->udp->udp_table, IPPROTO_UDP);
}

/* icmp_err_convert: errno and "fatal" of each ICMP_DEST_UNREACH code */
static const struct {
	int errno_;
	int fatal;
} icmp_err_convert[] = {
	{ ENETUNREACH, 0 },  { EHOSTUNREACH, 0 }, { ENOPROTOOPT, 1 },
	{ ECONNREFUSED, 1 }, { EMSGSIZE, 0 },     { EOPNOTSUPP, 0 },
	{ ENETUNREACH, 1 },  { EHOSTDOWN, 1 },    { ENONET, 1 },
	{ ENETUNREACH, 1 },  { EHOSTUNREACH, 1 }, { ENETUNREACH, 0 },
	{ EHOSTUNREACH, 0 }, { EHOSTUNREACH, 1 }, { EHOSTUNREACH, 1 },
	{ EHOSTUNREACH, 1 },
};

/* __udp4_lib_err: an ICMP error quoting one of our datagrams.  A
 * connected socket gets a hard error in sk_err (ECONNREFUSED for port
 * unreachable), which its next send or receive returns.  skb->data is
 * the quoted IP header. */
void udp_err(struct sk_buff *skb, uint32_t info)
{
	struct net *net = skb->net;
	const struct iphdr *iph = (const struct iphdr *)skb->data;
	const struct udphdr *uh =
		(const struct udphdr *)(skb->data + (iph->ihl << 2));
	const int type = icmp_hdr(skb)->type;
	const int code = icmp_hdr(skb)->code;
	struct inet_sock *inet;
	struct sock *sk;
	int harderr = 0, err = 0;
	(void)info;

	sk = __udp4_lib_lookup(net, iph->daddr, uh->dest, iph->saddr,
			       uh->source, skb->skb_iif, &net->udp->udp_table);
	if (!sk) {
		__ICMP_INC_STATS(net, InErrors);
		return; /* No socket for error */
	}
	inet = inet_sk(sk);
	switch (type) {
	default:
	case ICMP_TIME_EXCEEDED:
		err = EHOSTUNREACH;
		break;
	case ICMP_SOURCE_QUENCH:
	case ICMP_REDIRECT:
		goto out;
	case ICMP_PARAMETERPROB:
		err = EPROTO;
		harderr = 1;
		break;
	case ICMP_DEST_UNREACH:
		if (code == ICMP_FRAG_NEEDED) { /* Path MTU discovery */
			if (inet->pmtudisc != IP_PMTUDISC_DONT) {
				err = EMSGSIZE;
				harderr = 1;
				break;
			}
			goto out;
		}
		err = EHOSTUNREACH;
		if (code < (int)(sizeof(icmp_err_convert) /
				 sizeof(icmp_err_convert[0]))) {
			harderr = icmp_err_convert[code].fatal;
			err = icmp_err_convert[code].errno_;
		}
		break;
	}
	/* RFC1122: OK.  Passes ICMP errors back to application, as per
	 * 4.1.3.3; IP_RECVERR's error queue is not emulated. */
	if (!harderr || sk->sk_state != TCP_ESTABLISHED)
		goto out;
	sk->sk_err = err;
	sk->sk_error_report(sk);
out:
	sock_put(sk);
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

const struct net_protocol udp_protocol = {
	.handler = udp_rcv,
	.err_handler = udp_err,
	.no_policy = 1,
	.netns_ok = 1,
};
