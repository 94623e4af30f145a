/*
 * sock.c - generic socket-level code (net/core/sock.c): allocating and
 * initialising a struct sock (sk_alloc, sock_init_data), the default
 * callbacks (sock_def_readable wakes the socket's wait queue), receive
 * accounting (sock_queue_rcv_skb, skb_set_owner_r, sock_rfree), the socket
 * lock (lock_sock / release_sock with the backlog), sk_wait_data, and
 * the transmit side: send-buffer accounting (sock_alloc_send_skb,
 * skb_set_owner_w, sock_wfree, sock_wait_for_wmem) and the socket's
 * cached route (__sk_dst_check, sk_setup_caps).  setsockopt/getsockopt
 * (SOL_SOCKET) are in sock_opt.c.
 *
 * Leaves out: memory pressure and sk_forward_alloc reclaim (forward_alloc
 * is charged in pages and never reclaimed below zero), socket filters,
 * timestamps in cmsgs, signals (a sleeping task is only woken by data or
 * its timeout).
 */
#include "sock.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>

#include "engine/probe.h"
#include "net/core/net_namespace.h"
#include "net/core/netdevice.h"
#include "net/ipv4/route.h"
#include "net/ipv4/udp.h"
#include "net/socket.h"
#include "net/uaccess.h"
#include "sched/sched.h"
#include "sched/softirq.h"
#include "sched/timer.h"

#define SK_MEM_QUANTUM 4096

struct list_head *kp_net_socks(struct net *net)
{
	return net && net->udp ? &net->udp->socks : NULL;
}

struct sock *kp_sock_find(struct net *net, uint32_t id)
{
	struct list_head *socks = kp_net_socks(net);
	struct sock *sk;
	if (!socks)
		return NULL;
	list_for_each_entry(sk, socks, kp_node)
		if (sk->kp.id == id)
			return sk;
	return NULL;
}

const char *kp_sock_state_name(const struct sock *sk)
{
	static const char *const names[TCP_MAX_STATES] = {
		[TCP_ESTABLISHED] = "ESTAB",     [TCP_SYN_SENT] = "SYN-SENT",
		[TCP_SYN_RECV] = "SYN-RECV",     [TCP_FIN_WAIT1] = "FIN-WAIT-1",
		[TCP_FIN_WAIT2] = "FIN-WAIT-2",  [TCP_TIME_WAIT] = "TIME-WAIT",
		[TCP_CLOSE] = "UNCONN",          [TCP_CLOSE_WAIT] = "CLOSE-WAIT",
		[TCP_LAST_ACK] = "LAST-ACK",     [TCP_LISTEN] = "LISTEN",
		[TCP_CLOSING] = "CLOSING",       [TCP_NEW_SYN_RECV] = "NEW-SYN-RECV",
	};
	unsigned st = sk->sk_state;
	return st < TCP_MAX_STATES && names[st] ? names[st] : "UNKNOWN";
}

static void sock_lock_init(struct sock *sk)
{
	spin_lock_init(&sk->sk_lock.slock);
	sk->sk_lock.owned = 0;
	sk->sk_lock.owner = NULL;
	init_waitqueue_head(&sk->sk_lock.wq);
}

struct sock *sk_alloc(struct net *net, int family, const struct proto *prot,
		      int kern)
{
	KP_FUNC_ARG(sk_alloc, KP_NOOBJ, family);
	size_t size = prot->obj_size ? prot->obj_size : sizeof(struct sock);
	struct sock *sk = calloc(1, size);
	if (!sk)
		return NULL;
	/* kpath: kernel sockets (the ICMP socket) get no sk#N and are not
	 * listed, as ss does not list them */
	if (kern)
		kp_obj_set(&sk->kp, KP_OBJ_SOCK, 0);
	else
		kp_obj_assign(&kp_current_world()->ids, &sk->kp, KP_OBJ_SOCK);
	sk->sk_family = (unsigned short)family;
	sk->sk_prot = prot;
	sk->sk_net = net;
	sk->sk_refcnt = 1;
	INIT_LIST_HEAD(&sk->sk_node);
	sock_lock_init(sk);
	sk->kp_created = local_clock();
	struct list_head *socks = kern ? NULL : kp_net_socks(net);
	if (socks)
		list_add_tail(&sk->kp_node, socks);
	else
		INIT_LIST_HEAD(&sk->kp_node);
	return sk;
}

void sk_free(struct sock *sk)
{
	if (sk->sk_destruct)
		sk->sk_destruct(sk);
	list_del_init(&sk->kp_node);
	free(sk);
}

void sock_put(struct sock *sk)
{
	if (--sk->sk_refcnt == 0)
		sk_free(sk);
}

void sock_init_data(struct socket *sock, struct sock *sk)
{
	KP_FUNC(sock_init_data, sk);
	struct net *net = sock_net(sk);

	skb_queue_head_init(&sk->sk_receive_queue);
	skb_queue_head_init(&sk->sk_write_queue);
	skb_queue_head_init(&sk->sk_error_queue);
	sk->sk_backlog.head = sk->sk_backlog.tail = NULL;
	sk->sk_backlog.len = 0;

	sk->sk_rcvbuf = (int)net->sysctl.rmem_default;
	sk->sk_sndbuf = (int)net->sysctl.wmem_default;
	sk->sk_state = TCP_CLOSE;

	/* sk_set_socket */
	sk->sk_socket = sock;
	if (sock) {
		sk->sk_type = (unsigned short)sock->type;
		sk->sk_wq = sock->wq;
		sock->sk = sk;
	} else {
		sk->sk_wq = NULL;
	}

	sk->sk_state_change = sock_def_wakeup;
	sk->sk_data_ready = sock_def_readable;
	sk->sk_write_space = sock_def_write_space;
	sk->sk_error_report = sock_def_error_report;
	sk->sk_destruct = NULL;

	sk->sk_rcvlowat = 1;
	sk->sk_rcvtimeo = MAX_SCHEDULE_TIMEOUT;
	sk->sk_sndtimeo = MAX_SCHEDULE_TIMEOUT;
	sk->sk_stamp = 0;
	sk->sk_drops = 0;
	sk->sk_refcnt = 1;
}

/* sk_state_change: wake every sleeper (3.10 sock_def_wakeup). */
void sock_def_wakeup(struct sock *sk)
{
	struct socket_wq *wq = sk->sk_wq;
	if (skwq_has_sleeper(wq))
		__wake_up(&wq->wait, TASK_INTERRUPTIBLE, 0, NULL);
}

void sock_def_error_report(struct sock *sk)
{
	struct socket_wq *wq = sk->sk_wq;
	if (skwq_has_sleeper(wq))
		wake_up_interruptible_poll(&wq->wait, KP_POLLERR);
	sk_wake_async(sk, SOCK_WAKE_IO, POLL_ERR);
}

void sock_def_readable(struct sock *sk)
{
	KP_FUNC(sock_def_readable, sk);
	struct socket_wq *wq = sk->sk_wq;
	if (skwq_has_sleeper(wq))
		wake_up_interruptible_sync_poll(&wq->wait, KP_POLLIN |
							   KP_POLLRDNORM |
							   KP_POLLRDBAND);
	sk_wake_async(sk, SOCK_WAKE_WAITD, POLL_IN);
}

static bool sock_writeable(const struct sock *sk)
{
	return sk->sk_wmem_alloc < (sk->sk_sndbuf >> 1);
}

void sock_def_write_space(struct sock *sk)
{
	struct socket_wq *wq = sk->sk_wq;
	/* Wake only once half the send buffer is free, as Linux. */
	if (sock_writeable(sk)) {
		if (skwq_has_sleeper(wq))
			wake_up_interruptible_sync_poll(
				&wq->wait,
				KP_POLLOUT | KP_POLLWRNORM | KP_POLLWRBAND);
		sk_wake_async(sk, SOCK_WAKE_SPACE, POLL_OUT);
	}
}

/* Charge @size to the socket's forward allocation, in whole pages
 * (sk_mem_schedule + sk_mem_charge). */
static void sk_mem_charge(struct sock *sk, int size)
{
	if (sk->sk_forward_alloc < size) {
		int need = size - sk->sk_forward_alloc;
		int pages = (need + SK_MEM_QUANTUM - 1) / SK_MEM_QUANTUM;
		sk->sk_forward_alloc += pages * SK_MEM_QUANTUM;
	}
	sk->sk_forward_alloc -= size;
}

void sock_rfree(struct sk_buff *skb)
{
	struct sock *sk = skb->sk;
	unsigned int len = skb->truesize;
	sk->sk_rmem_alloc -= (int)len;
	sk->sk_forward_alloc += (int)len; /* sk_mem_uncharge */
}

void skb_set_owner_r(struct sk_buff *skb, struct sock *sk)
{
	KP_FUNC_ARG(skb_set_owner_r, skb, sk->kp.id);
	skb_orphan(skb);
	skb->sk = sk;
	skb->destructor = sock_rfree;
	sk->sk_rmem_alloc += (int)skb->truesize;
	sk_mem_charge(sk, (int)skb->truesize);
}

int __sock_queue_rcv_skb(struct sock *sk, struct sk_buff *skb)
{
	/*
	 * The limit current Linux applies to UDP (__udp_enqueue_schedule_skb):
	 * refuse once what is queued already exceeds sk_rcvbuf, so the last
	 * datagram accepted may overshoot it.  (3.10's sock_queue_rcv_skb
	 * refused when rmem_alloc + truesize >= rcvbuf.)
	 */
	if (sk->sk_rmem_alloc > sk->sk_rcvbuf) {
		sk->sk_drops++;
		return -ENOMEM;
	}
	skb->dev = NULL;
	skb_set_owner_r(skb, sk);
	skb_dst_drop(skb);
	sk->sk_stamp = skb->tstamp;
	__skb_queue_tail(&sk->sk_receive_queue, skb);
	kp_skb_where(skb, "sk_receive_queue", sk->kp.id);
	if (!sock_flag(sk, SOCK_DEAD))
		sk->sk_data_ready(sk);
	return 0;
}

int sock_queue_rcv_skb(struct sock *sk, struct sk_buff *skb)
{
	KP_FUNC_ARG(sock_queue_rcv_skb, skb, sk->kp.id);
	return __sock_queue_rcv_skb(sk, skb);
}

bool sk_add_backlog(struct sock *sk, struct sk_buff *skb, unsigned int limit)
{
	unsigned int qsize = (unsigned int)(sk->sk_backlog.len +
					    sk->sk_rmem_alloc);
	if (qsize > limit)
		return false;
	skb->next = NULL;
	if (!sk->sk_backlog.tail)
		sk->sk_backlog.head = skb;
	else
		sk->sk_backlog.tail->next = skb;
	sk->sk_backlog.tail = skb;
	sk->sk_backlog.len += (int)skb->truesize;
	kp_skb_where(skb, "sk_backlog", sk->kp.id);
	return true;
}

/* Wait for the task that owns the socket (lock_sock's slow path). */
static void __lock_sock(struct sock *sk)
{
	DEFINE_WAIT(wait);
	for (;;) {
		prepare_to_wait_exclusive(&sk->sk_lock.wq, &wait,
					  TASK_UNINTERRUPTIBLE);
		spin_unlock_bh(&sk->sk_lock.slock);
		schedule();
		spin_lock_bh(&sk->sk_lock.slock);
		if (!sock_owned_by_user(sk))
			break;
	}
	finish_wait(&sk->sk_lock.wq, &wait);
}

void lock_sock(struct sock *sk)
{
	KP_FUNC(lock_sock, sk);
	spin_lock_bh(&sk->sk_lock.slock);
	if (sk->sk_lock.owned)
		__lock_sock(sk);
	sk->sk_lock.owned = 1;
	sk->sk_lock.owner = current;
	spin_unlock(&sk->sk_lock.slock);
	local_bh_enable();
}

/* Process the packets that softirqs queued while we owned the socket. */
static void __release_sock(struct sock *sk)
{
	struct sk_buff *skb;
	while ((skb = sk->sk_backlog.head) != NULL) {
		sk->sk_backlog.head = sk->sk_backlog.tail = NULL;
		spin_unlock_bh(&sk->sk_lock.slock);
		do {
			struct sk_buff *next = skb->next;
			skb->next = NULL;
			sk->sk_backlog_rcv(sk, skb);
			skb = next;
		} while (skb);
		spin_lock_bh(&sk->sk_lock.slock);
	}
	sk->sk_backlog.len = 0;
}

void release_sock(struct sock *sk)
{
	KP_FUNC(release_sock, sk);
	spin_lock_bh(&sk->sk_lock.slock);
	if (sk->sk_backlog.tail)
		__release_sock(sk);
	if (sk->sk_prot->release_cb)
		sk->sk_prot->release_cb(sk);
	sk->sk_lock.owned = 0;
	sk->sk_lock.owner = NULL;
	if (waitqueue_active(&sk->sk_lock.wq))
		wake_up(&sk->sk_lock.wq);
	spin_unlock_bh(&sk->sk_lock.slock);
}

int sk_wait_data(struct sock *sk, long *timeo, const struct sk_buff *skb)
{
	KP_FUNC(sk_wait_data, sk);
	DEFINE_WAIT(wait);
	int rc;

	prepare_to_wait(sk_sleep(sk), &wait, TASK_INTERRUPTIBLE);
	if (sk->sk_socket)
		set_bit(SOCK_ASYNC_WAITDATA, &sk->sk_socket->flags);
	/* sk_wait_event(sk, timeo, skb_peek_tail(queue) != skb) */
	release_sock(sk);
	rc = skb_peek_tail(&sk->sk_receive_queue) != skb;
	if (!rc)
		*timeo = schedule_timeout(*timeo);
	lock_sock(sk);
	rc = skb_peek_tail(&sk->sk_receive_queue) != skb;
	if (sk->sk_socket)
		clear_bit(SOCK_ASYNC_WAITDATA, &sk->sk_socket->flags);
	finish_wait(sk_sleep(sk), &wait);
	return rc;
}

/* ---- transmit side: the send buffer ---- */

void sock_wfree(struct sk_buff *skb)
{
	struct sock *sk = skb->sk;

	sk->sk_wmem_alloc -= (int)skb->truesize;
	if (!sock_flag(sk, SOCK_USE_WRITE_QUEUE))
		sk->sk_write_space(sk);
	skb->sk = NULL;
	/* kpath: the skb held a reference so the sock outlives it (Linux
	 * frees the sock when sk_wmem_alloc drops to 0) */
	sock_put(sk);
}

void skb_set_owner_w(struct sk_buff *skb, struct sock *sk)
{
	skb_orphan(skb);
	skb->sk = sk;
	skb->destructor = sock_wfree;
	sock_hold(sk);
	sk->sk_wmem_alloc += (int)skb->truesize;
}

struct sk_buff *sock_wmalloc(struct sock *sk, unsigned long size, int force)
{
	if (force || sk->sk_wmem_alloc < sk->sk_sndbuf) {
		struct sk_buff *skb = alloc_skb(sock_net(sk),
						(unsigned int)size);
		if (skb) {
			skb_set_owner_w(skb, sk);
			return skb;
		}
	}
	return NULL;
}

/* Sleep until the send buffer has room (sock_def_write_space wakes us
 * once half of it is free), the timeout, shutdown or an error. */
static long sock_wait_for_wmem(struct sock *sk, long timeo)
{
	KP_FUNC_ARG(sock_wait_for_wmem, sk, sk->sk_wmem_alloc);
	DEFINE_WAIT(wait);

	if (sk->sk_socket)
		clear_bit(SOCK_ASYNC_NOSPACE, &sk->sk_socket->flags);
	for (;;) {
		if (!timeo)
			break;
		if (sk->sk_socket)
			set_bit(SOCK_NOSPACE, &sk->sk_socket->flags);
		prepare_to_wait(sk_sleep(sk), &wait, TASK_INTERRUPTIBLE);
		if (sk->sk_wmem_alloc < sk->sk_sndbuf)
			break;
		if (sk->sk_shutdown & SEND_SHUTDOWN)
			break;
		if (sk->sk_err)
			break;
		timeo = schedule_timeout(timeo);
	}
	finish_wait(sk_sleep(sk), &wait);
	return timeo;
}

int kp_sock_wmem_wait(struct sock *sk, int noblock)
{
	long timeo = sock_sndtimeo(sk, noblock);
	int err;

	for (;;) {
		err = sock_error(sk);
		if (err != 0)
			return err;
		if (sk->sk_shutdown & SEND_SHUTDOWN)
			return -EPIPE;
		if (sk_wmem_alloc_get(sk) < sk->sk_sndbuf)
			return 0;
		if (sk->sk_socket) {
			set_bit(SOCK_ASYNC_NOSPACE, &sk->sk_socket->flags);
			set_bit(SOCK_NOSPACE, &sk->sk_socket->flags);
		}
		if (!timeo)
			return -EAGAIN;
		timeo = sock_wait_for_wmem(sk, timeo);
		/* no signals in kpath: a sleep ends by room or timeout */
	}
}

struct sk_buff *sock_alloc_send_skb(struct sock *sk, unsigned long size,
				    int noblock, int *errcode)
{
	KP_FUNC_ARG(sock_alloc_send_skb, sk, size);
	struct sk_buff *skb;
	int err = kp_sock_wmem_wait(sk, noblock);

	if (err) {
		*errcode = err;
		return NULL;
	}
	skb = alloc_skb(sock_net(sk), (unsigned int)size);
	if (!skb) {
		*errcode = -ENOBUFS;
		return NULL;
	}
	skb_set_owner_w(skb, sk);
	return skb;
}

/* ---- transmit side: the cached route ---- */

void sk_dst_set(struct sock *sk, struct dst_entry *dst)
{
	sk->sk_dst_cache = dst;
}

void sk_dst_reset(struct sock *sk)
{
	sk->sk_dst_cache = NULL;
}

struct dst_entry *__sk_dst_check(struct sock *sk, uint32_t cookie)
{
	KP_FUNC(__sk_dst_check, sk);
	struct dst_entry *dst = __sk_dst_get(sk);
	(void)cookie;

	/* ipv4_dst_check: a route made before the last FIB change is
	 * stale (rt_is_expired) */
	if (dst && sk->sk_family == PF_INET) {
		struct rtable *rt = (struct rtable *)dst;
		struct kp_fib *fib = sock_net(sk)->fib;
		if (!fib || rt->rt_genid != fib->rt_genid) {
			sk_dst_reset(sk);
			return NULL;
		}
	}
	return dst;
}

void sk_setup_caps(struct sock *sk, struct dst_entry *dst)
{
	KP_FUNC(sk_setup_caps, sk);
	sk_dst_set(sk, dst);
	sk->sk_route_caps = dst->dev ? dst->dev->features : 0;
	sk->sk_gso_max_size = 65536;
	if (sk->sk_route_caps & NETIF_F_GSO)
		sk->sk_route_caps |= NETIF_F_SG;
}

int sock_no_listen(struct socket *sock, int backlog)
{
	(void)sock;
	(void)backlog;
	return -EOPNOTSUPP;
}

int sock_no_accept(struct socket *sock, struct socket *newsock, int flags)
{
	(void)sock;
	(void)newsock;
	(void)flags;
	return -EOPNOTSUPP;
}
