/*
 * inet_connection_sock.c - what every connection-oriented inet socket
 * has (net/ipv4/inet_connection_sock.c, net/core/request_sock.c): the
 * listener's SYN queue of request socks and its accept queue,
 * inet_csk_accept sleeping on the socket's wait queue
 * (inet_csk_wait_for_connect), cloning the child at the end of the
 * handshake, destroying a socket, and the retransmit/delayed-ACK timers.
 *
 * Departure: the SYN queue is a list on the listener (3.10's
 * listen_sock syn_table), searched linearly.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>

#include "engine/probe.h"
#include "net/core/net_namespace.h"
#include "sched/sched.h"
#include "sched/timer.h"
#include "tcp.h"

/* ---- request socks ---- */

struct request_sock *reqsk_alloc(struct sock *listener)
{
	struct request_sock *req = calloc(1, sizeof(*req));
	if (!req)
		return NULL;
	kp_obj_assign(&kp_current_world()->ids, &req->kp, KP_OBJ_SOCK);
	req->rsk_listener = listener;
	INIT_LIST_HEAD(&req->dl_next);
	setup_timer(&req->rsk_timer, tcp_reqsk_timer, (unsigned long)req);
	return req;
}

void reqsk_free(struct request_sock *req)
{
	del_timer(&req->rsk_timer);
	if (!list_empty(&req->dl_next))
		list_del_init(&req->dl_next);
	free(req);
}

bool inet_csk_reqsk_queue_is_full(const struct sock *sk)
{
	const struct inet_connection_sock *icsk = inet_csk(sk);
	return icsk->icsk_accept_queue.qlen >= icsk->sk_max_ack_backlog &&
	       icsk->icsk_accept_queue.qlen > 0;
}

bool sk_acceptq_is_full(const struct sock *sk)
{
	const struct inet_connection_sock *icsk = inet_csk(sk);
	/* current Linux: full once more than the backlog are queued */
	return icsk->icsk_accept_queue.accept_qlen > icsk->sk_max_ack_backlog;
}

void inet_csk_reqsk_queue_hash_add(struct sock *sk, struct request_sock *req,
				   unsigned long timeout)
{
	struct request_sock_queue *q = &inet_csk(sk)->icsk_accept_queue;
	list_add_tail(&req->dl_next, &q->syn_table);
	q->qlen++;
	mod_timer(&req->rsk_timer, jiffies + timeout);
}

void inet_csk_reqsk_queue_drop(struct sock *sk, struct request_sock *req)
{
	struct request_sock_queue *q = &inet_csk(sk)->icsk_accept_queue;
	list_del_init(&req->dl_next);
	q->qlen--;
	reqsk_free(req);
}

struct request_sock *inet_csk_search_req(struct sock *sk, uint16_t rport,
					 uint32_t raddr, uint32_t laddr)
{
	struct request_sock *req;
	list_for_each_entry(req, &inet_csk(sk)->icsk_accept_queue.syn_table,
			    dl_next) {
		if (req->ir_rmt_port == rport && req->ir_rmt_addr == raddr &&
		    req->ir_loc_addr == laddr)
			return req;
	}
	return NULL;
}

/* Move @req from the SYN queue to the accept queue with its child, and
 * wake a task sleeping in accept (sk_data_ready). */
void inet_csk_reqsk_queue_add(struct sock *sk, struct request_sock *req,
			      struct sock *child)
{
	struct request_sock_queue *q = &inet_csk(sk)->icsk_accept_queue;
	list_del_init(&req->dl_next);
	q->qlen--;
	del_timer(&req->rsk_timer);
	req->sk = child;
	list_add_tail(&req->dl_next, &q->accept_q);
	q->accept_qlen++;
}

/* ---- listen and accept ---- */

int inet_csk_listen_start(struct sock *sk, int backlog)
{
	struct inet_connection_sock *icsk = inet_csk(sk);
	struct request_sock_queue *q = &icsk->icsk_accept_queue;

	INIT_LIST_HEAD(&q->syn_table);
	INIT_LIST_HEAD(&q->accept_q);
	q->qlen = q->accept_qlen = 0;
	icsk->sk_max_ack_backlog = backlog;
	sk->sk_state = TCP_LISTEN;
	if (sk->sk_prot->get_port(sk, inet_sk(sk)->inet_num)) {
		sk->sk_state = TCP_CLOSE;
		return -EADDRINUSE;
	}
	inet_sk(sk)->inet_sport = htons(inet_sk(sk)->inet_num);
	sk->sk_prot->hash(sk);
	return 0;
}

/* Close a listener: pending handshakes are forgotten, children not yet
 * accepted are reset and destroyed. */
void inet_csk_listen_stop(struct sock *sk)
{
	struct request_sock_queue *q = &inet_csk(sk)->icsk_accept_queue;
	struct request_sock *req, *tmp;

	list_for_each_entry_safe(req, tmp, &q->syn_table, dl_next)
		inet_csk_reqsk_queue_drop(sk, req);
	list_for_each_entry_safe(req, tmp, &q->accept_q, dl_next) {
		struct sock *child = req->sk;
		list_del_init(&req->dl_next);
		q->accept_qlen--;
		reqsk_free(req);
		lock_sock(child);
		sock_hold(child);
		child->sk_prot->disconnect(child, O_NONBLOCK);
		sock_set_flag(child, SOCK_DEAD);
		sock_net(child)->tcp->orphans++;
		inet_csk_destroy_sock(child);
		release_sock(child);
		sock_put(child);
	}
}

static int inet_csk_wait_for_connect(struct sock *sk, long timeo)
{
	struct request_sock_queue *q = &inet_csk(sk)->icsk_accept_queue;
	DEFINE_WAIT(wait);
	int err;

	for (;;) {
		/* exclusive: one connection wakes one acceptor (no herd
		 * in accept since 2.6) */
		prepare_to_wait_exclusive(sk_sleep(sk), &wait,
					  TASK_INTERRUPTIBLE);
		release_sock(sk);
		if (list_empty(&q->accept_q))
			timeo = schedule_timeout(timeo);
		lock_sock(sk);
		err = 0;
		if (!list_empty(&q->accept_q))
			break;
		err = -EINVAL;
		if (sk->sk_state != TCP_LISTEN)
			break;
		err = -EAGAIN;
		if (!timeo)
			break;
	}
	finish_wait(sk_sleep(sk), &wait);
	return err;
}

struct sock *inet_csk_accept(struct sock *sk, int flags, int *err)
{
	KP_FUNC(inet_csk_accept, sk);
	struct request_sock_queue *q = &inet_csk(sk)->icsk_accept_queue;
	struct request_sock *req;
	struct sock *newsk = NULL;
	int error;

	lock_sock(sk);
	error = -EINVAL;
	if (sk->sk_state != TCP_LISTEN)
		goto out_err;
	if (list_empty(&q->accept_q)) {
		long timeo = sock_rcvtimeo(sk, flags & O_NONBLOCK);
		error = -EAGAIN;
		if (!timeo)
			goto out_err;
		error = inet_csk_wait_for_connect(sk, timeo);
		if (error)
			goto out_err;
	}
	req = list_first_entry(&q->accept_q, struct request_sock, dl_next);
	list_del_init(&req->dl_next);
	q->accept_qlen--;
	newsk = req->sk;
	reqsk_free(req);
	release_sock(sk);
	return newsk;
out_err:
	release_sock(sk);
	*err = error;
	return NULL;
}

/* ---- children ---- */

/* A copy of the listener for a finished handshake (sk_clone_lock): new
 * id, fresh queues and lock, the listener's settings. */
struct sock *inet_csk_clone_lock(const struct sock *sk,
				 const struct request_sock *req)
{
	struct sock *newsk = sk_alloc(sock_net(sk), PF_INET, sk->sk_prot, 0);
	struct kp_obj kp;
	struct list_head kp_node;
	uint64_t created;
	if (!newsk)
		return NULL;
	kp = newsk->kp;
	kp_node = newsk->kp_node;
	created = newsk->kp_created;
	memcpy(newsk, sk, sk->sk_prot->obj_size);
	newsk->kp = kp;
	newsk->kp_created = created;
	/* keep newsk's own place on the per-host list */
	newsk->kp_node = kp_node;
	newsk->kp_node.next->prev = &newsk->kp_node;
	newsk->kp_node.prev->next = &newsk->kp_node;

	newsk->sk_refcnt = 1; /* dropped by inet_csk_destroy_sock */
	INIT_LIST_HEAD(&newsk->sk_node);
	newsk->sk_lock.owned = 0;
	newsk->sk_lock.owner = NULL;
	spin_lock_init(&newsk->sk_lock.slock);
	init_waitqueue_head(&newsk->sk_lock.wq);
	skb_queue_head_init(&newsk->sk_receive_queue);
	skb_queue_head_init(&newsk->sk_write_queue);
	skb_queue_head_init(&newsk->sk_error_queue);
	newsk->sk_backlog.head = newsk->sk_backlog.tail = NULL;
	newsk->sk_backlog.len = 0;
	newsk->sk_rmem_alloc = 0;
	newsk->sk_wmem_alloc = 0;
	newsk->sk_wmem_queued = 0;
	newsk->sk_forward_alloc = 0;
	newsk->sk_drops = 0;
	newsk->sk_err = newsk->sk_err_soft = 0;
	newsk->sk_socket = NULL;
	newsk->sk_wq = NULL;
	newsk->sk_shutdown = 0;
	newsk->sk_state = TCP_SYN_RECV;

	struct inet_sock *newinet = inet_sk(newsk);
	newinet->inet_dport = req->ir_rmt_port;
	newinet->inet_daddr = req->ir_rmt_addr;
	newinet->inet_rcv_saddr = req->ir_loc_addr;
	newinet->inet_saddr = req->ir_loc_addr;
	newinet->inet_num = req->ir_num;
	newinet->inet_sport = htons(req->ir_num);

	struct inet_connection_sock *newicsk = inet_csk(newsk);
	memset(&newicsk->icsk_accept_queue, 0,
	       sizeof(newicsk->icsk_accept_queue));
	INIT_LIST_HEAD(&newicsk->icsk_accept_queue.syn_table);
	INIT_LIST_HEAD(&newicsk->icsk_accept_queue.accept_q);
	INIT_LIST_HEAD(&newicsk->kp_bind_node);
	newicsk->icsk_retransmits = 0;
	newicsk->icsk_backoff = 0;
	newicsk->icsk_pending = 0;
	memset(&newicsk->icsk_ack, 0, sizeof(newicsk->icsk_ack));
	tcp_init_xmit_timers(newsk);
	return newsk;
}

/* The end of a socket the user has let go of (closed and orphaned) and
 * TCP is done with: out of the hashes, queues purged, last reference. */
void inet_csk_destroy_sock(struct sock *sk)
{
	inet_csk_clear_xmit_timers(sk);
	del_timer(&inet_csk(sk)->kp_tw_timer);
	sk->sk_prot->unhash(sk);
	inet_put_port(sk);
	if (sk->sk_prot->destroy)
		sk->sk_prot->destroy(sk);
	if (sock_flag(sk, SOCK_DEAD) && sock_net(sk)->tcp->orphans > 0)
		sock_net(sk)->tcp->orphans--;
	sock_put(sk);
}

/* ---- timers ---- */

void inet_csk_reset_xmit_timer(struct sock *sk, int what, unsigned long when)
{
	struct inet_connection_sock *icsk = inet_csk(sk);
	unsigned long max = msecs_to_jiffies(TCP_RTO_MAX_MS);
	if (when > max)
		when = max;
	if (what == ICSK_TIME_RETRANS || what == ICSK_TIME_PROBE0) {
		icsk->icsk_pending = (uint8_t)what;
		icsk->icsk_timeout = jiffies + when;
		mod_timer(&icsk->icsk_retransmit_timer, icsk->icsk_timeout);
	} else if (what == ICSK_TIME_DACK) {
		icsk->icsk_ack.pending |= ICSK_ACK_TIMER;
		icsk->icsk_ack.timeout = jiffies + when;
		mod_timer(&icsk->icsk_delack_timer, icsk->icsk_ack.timeout);
	}
}

void inet_csk_clear_xmit_timer(struct sock *sk, int what)
{
	struct inet_connection_sock *icsk = inet_csk(sk);
	if (what == ICSK_TIME_RETRANS || what == ICSK_TIME_PROBE0) {
		icsk->icsk_pending = 0;
		del_timer(&icsk->icsk_retransmit_timer);
	} else if (what == ICSK_TIME_DACK) {
		icsk->icsk_ack.blocked = icsk->icsk_ack.pending = 0;
		del_timer(&icsk->icsk_delack_timer);
	}
}

void inet_csk_clear_xmit_timers(struct sock *sk)
{
	inet_csk_clear_xmit_timer(sk, ICSK_TIME_RETRANS);
	inet_csk_clear_xmit_timer(sk, ICSK_TIME_DACK);
}
