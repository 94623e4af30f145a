/*
 * inet_hashtables.c - where TCP finds its sockets (net/ipv4/
 * inet_hashtables.c, net/ipv4/inet_connection_sock.c's port part):
 * ehash (connected sockets by 4-tuple), the listening hash (by port),
 * bhash (bound ports), inet_csk_get_port for bind/listen, and
 * inet_hash_connect choosing an ephemeral port from ip_local_port_range.
 *
 * Hash functions have no boot-time secret (deterministic runs).  Leaves
 * out: SO_REUSEPORT groups for TCP, bind conflicts against TIME_WAIT
 * sockets beyond "same port, reuse not set".
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>

#include "engine/probe.h"
#include "engine/prng.h"
#include "net/core/net_namespace.h"
#include "sched/sched.h"
#include "tcp.h"

static unsigned int inet_ehashfn(uint32_t laddr, uint16_t lport,
				 uint32_t faddr, uint16_t fport)
{
	uint32_t h = ntohl(laddr) * 0x9e3779b1u;
	h ^= ntohl(faddr) + 0x7f4a7c15u + (h << 6) + (h >> 2);
	h ^= ((uint32_t)lport << 16 | ntohs(fport)) + (h << 6) + (h >> 2);
	/* finish with an avalanche (murmur3's fmix32): the mask keeps the
	 * low bits, and without it a client's connections to one server
	 * port, which differ only in lport (high bits), share a bucket */
	h ^= h >> 16;
	h *= 0x85ebca6bu;
	h ^= h >> 13;
	h *= 0xc2b2ae35u;
	h ^= h >> 16;
	return h & (KP_TCP_EHASH_SIZE - 1);
}

static unsigned int inet_lhashfn(uint16_t num)
{
	return num & (KP_TCP_LHASH_SIZE - 1);
}

static unsigned int inet_bhashfn(uint16_t num)
{
	return num & (KP_TCP_BHASH_SIZE - 1);
}

struct sock *__inet_lookup_established(struct net *net, uint32_t saddr,
				       uint16_t sport, uint32_t daddr,
				       uint16_t hnum)
{
	struct kp_tcp_hashinfo *h = net->tcp;
	struct list_head *head =
		&h->ehash[inet_ehashfn(daddr, hnum, saddr, sport)];
	struct sock *sk;

	list_for_each_entry(sk, head, sk_node) {
		struct inet_sock *inet = inet_sk(sk);
		if (inet->inet_num == hnum && inet->inet_daddr == saddr &&
		    inet->inet_dport == sport &&
		    (!inet->inet_rcv_saddr || inet->inet_rcv_saddr == daddr))
			return sk;
	}
	return NULL;
}

struct sock *__inet_lookup_listener(struct net *net, uint32_t daddr,
				    uint16_t hnum, int dif)
{
	struct kp_tcp_hashinfo *h = net->tcp;
	struct sock *sk, *result = NULL;
	int hiscore = 0;

	list_for_each_entry(sk, &h->listening_hash[inet_lhashfn(hnum)],
			    sk_node) {
		struct inet_sock *inet = inet_sk(sk);
		int score;
		if (inet->inet_num != hnum)
			continue;
		score = 1;
		if (inet->inet_rcv_saddr) {
			if (inet->inet_rcv_saddr != daddr)
				continue;
			score += 4;
		}
		if (sk->sk_bound_dev_if) {
			if (sk->sk_bound_dev_if != dif)
				continue;
			score += 4;
		}
		if (score > hiscore) {
			hiscore = score;
			result = sk;
		}
	}
	return result;
}

struct sock *__inet_lookup_skb(struct kp_tcp_hashinfo *h,
			       struct sk_buff *skb, uint16_t sport,
			       uint16_t dport)
{
	uint16_t hnum = ntohs(dport);
	KP_FUNC_ARG(__inet_lookup_skb, skb, hnum);
	const struct iphdr *iph = ip_hdr(skb);
	struct sock *sk;
	(void)h;

	sk = __inet_lookup_established(skb->net, iph->saddr, sport,
				       iph->daddr, hnum);
	if (!sk)
		sk = __inet_lookup_listener(skb->net, iph->daddr, hnum,
					    skb->skb_iif);
	if (sk)
		sock_hold(sk);
	return sk;
}

/* ---- bind hash ---- */

static bool inet_csk_bind_conflict(const struct sock *sk, uint16_t snum)
{
	struct kp_tcp_hashinfo *h = sock_net(sk)->tcp;
	struct inet_connection_sock *icsk2;

	list_for_each_entry(icsk2, &h->bhash[inet_bhashfn(snum)],
			    kp_bind_node) {
		const struct sock *sk2 = &icsk2->icsk_inet.sk;
		uint32_t a1 = inet_sk(sk)->inet_rcv_saddr;
		uint32_t a2 = inet_sk(sk2)->inet_rcv_saddr;
		if (sk2 == sk || inet_sk(sk2)->inet_num != snum)
			continue;
		if (sk->sk_bound_dev_if && sk2->sk_bound_dev_if &&
		    sk->sk_bound_dev_if != sk2->sk_bound_dev_if)
			continue;
		/* SO_REUSEADDR on both lets a new socket share the port
		 * with one that is not listening (TIME_WAIT, ...) */
		if (sk->sk_reuse && sk2->sk_reuse &&
		    sk2->sk_state != TCP_LISTEN)
			continue;
		if (!a1 || !a2 || a1 == a2)
			return true;
	}
	return false;
}

static void inet_bind_hash(struct sock *sk, uint16_t snum)
{
	struct kp_tcp_hashinfo *h = sock_net(sk)->tcp;
	inet_sk(sk)->inet_num = snum;
	list_add_tail(&inet_csk(sk)->kp_bind_node,
		      &h->bhash[inet_bhashfn(snum)]);
}

int inet_csk_get_port(struct sock *sk, unsigned short snum)
{
	struct net *net = sock_net(sk);

	if (!list_empty(&inet_csk(sk)->kp_bind_node))
		return 0; /* already bound (listen after bind) */
	if (!snum) {
		int low = (int)net->sysctl.ip_local_port_range_min;
		int high = (int)net->sysctl.ip_local_port_range_max;
		unsigned int remaining = (unsigned int)(high - low) + 1;
		unsigned int first = (unsigned int)kp_prng_below(
			&kp_current_world()->prng, remaining);
		for (unsigned int i = 0; i < remaining; i++) {
			uint16_t port =
				(uint16_t)(low + (first + i) % remaining);
			inet_sk(sk)->inet_num = port;
			if (!inet_csk_bind_conflict(sk, port)) {
				snum = port;
				goto found;
			}
		}
		inet_sk(sk)->inet_num = 0;
		return 1;
	}
	if (inet_csk_bind_conflict(sk, snum))
		return 1;
found:
	inet_bind_hash(sk, snum);
	return 0;
}

void inet_put_port(struct sock *sk)
{
	if (!list_empty(&inet_csk(sk)->kp_bind_node))
		list_del_init(&inet_csk(sk)->kp_bind_node);
}

void __inet_inherit_port(const struct sock *sk, struct sock *child)
{
	(void)sk;
	inet_bind_hash(child, inet_sk(child)->inet_num);
}

/* ---- ehash and listening hash ---- */

void __inet_hash_nolisten(struct sock *sk)
{
	struct kp_tcp_hashinfo *h = sock_net(sk)->tcp;
	struct inet_sock *inet = inet_sk(sk);
	list_add_tail(&sk->sk_node,
		      &h->ehash[inet_ehashfn(inet->inet_rcv_saddr,
					     inet->inet_num, inet->inet_daddr,
					     inet->inet_dport)]);
}

void inet_hash(struct sock *sk)
{
	struct kp_tcp_hashinfo *h = sock_net(sk)->tcp;
	if (sk->sk_state == TCP_CLOSE || sk_hashed(sk))
		return;
	if (sk->sk_state != TCP_LISTEN) {
		__inet_hash_nolisten(sk);
		return;
	}
	list_add_tail(&sk->sk_node,
		      &h->listening_hash[inet_lhashfn(inet_sk(sk)->inet_num)]);
}

void inet_unhash(struct sock *sk)
{
	if (sk_hashed(sk))
		list_del_init(&sk->sk_node);
}

/* A local port for connect(): one no other socket uses with the same
 * 4-tuple (__inet_check_established) and no listener holds. */
int inet_hash_connect(struct sock *sk)
{
	struct net *net = sock_net(sk);
	struct inet_sock *inet = inet_sk(sk);

	if (inet->inet_num) {
		if (__inet_lookup_established(net, inet->inet_daddr,
					      inet->inet_dport,
					      inet->inet_rcv_saddr,
					      inet->inet_num))
			return -EADDRNOTAVAIL;
		__inet_hash_nolisten(sk);
		return 0;
	}
	int low = (int)net->sysctl.ip_local_port_range_min;
	int high = (int)net->sysctl.ip_local_port_range_max;
	unsigned int remaining = (unsigned int)(high - low) + 1;
	unsigned int first = (unsigned int)kp_prng_below(
		&kp_current_world()->prng, remaining);
	/* Linux steps by 2 from an even offset (connect gets the even
	 * ports, bind the odd ones); kpath keeps the plain walk. */
	for (unsigned int i = 0; i < remaining; i++) {
		uint16_t port = (uint16_t)(low + (first + i) % remaining);
		inet->inet_num = port;
		if (inet_csk_bind_conflict(sk, port) ||
		    __inet_lookup_established(net, inet->inet_daddr,
					      inet->inet_dport,
					      inet->inet_rcv_saddr, port))
			continue;
		inet_bind_hash(sk, port);
		inet->inet_sport = htons(port);
		__inet_hash_nolisten(sk);
		return 0;
	}
	inet->inet_num = 0;
	return -EADDRNOTAVAIL;
}

void kp_tcp_for_each_sock(struct net *net,
			  void (*fn)(struct sock *sk, void *arg), void *arg)
{
	struct kp_tcp_hashinfo *h = net->tcp;
	struct sock *sk, *tmp;
	if (!h)
		return;
	for (int i = 0; i < KP_TCP_LHASH_SIZE; i++)
		list_for_each_entry_safe(sk, tmp, &h->listening_hash[i],
					 sk_node)
			fn(sk, arg);
	for (int i = 0; i < KP_TCP_EHASH_SIZE; i++)
		list_for_each_entry_safe(sk, tmp, &h->ehash[i], sk_node)
			fn(sk, arg);
}
