/*
 * sock.h - struct sock, struct socket and the protocol tables
 * (include/net/sock.h, include/linux/net.h, include/net/inet_sock.h,
 * include/linux/udp.h).
 *
 * struct socket is the BSD-socket half that the file points to (state,
 * type, ops = inet_dgram_ops / inet_stream_ops); struct sock is the
 * network half (addresses, receive queue, buffer accounting, wait queue,
 * callbacks, sk_prot = udp_prot / tcp_prot).  struct inet_sock embeds
 * struct sock, struct udp_sock embeds struct inet_sock, as in Linux.
 *
 * Addresses and skc_dport/inet_sport are uint32_t/uint16_t in network
 * byte order (Linux's __be32/__be16); skc_num is the local port in host
 * order.  Departures: no RCU, no refcount races; the socket lock
 * (lock_sock) is real state: owned + a wait queue of tasks waiting for
 * it, and a backlog that release_sock processes.  sk_data_ready and
 * friends take only @sk (current Linux), 3.10 also passed a length.
 */
#ifndef KP_NET_CORE_SOCK_H
#define KP_NET_CORE_SOCK_H

#include <netinet/in.h>
#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include "engine/ids.h"
#include "engine/list.h"
#include "net/core/skbuff.h"
#include "net/poll.h"
#include "sched/spinlock.h"
#include "sched/wait.h"

struct net;
struct file;
struct proto;
struct socket;
struct sock;
struct task_struct;

/* ---- struct socket (include/linux/net.h) ---- */

typedef enum {
	SS_FREE = 0,
	SS_UNCONNECTED,
	SS_CONNECTING,
	SS_CONNECTED,
	SS_DISCONNECTING
} socket_state;

/* socket->flags bits */
#define SOCK_ASYNC_NOSPACE 0
#define SOCK_ASYNC_WAITDATA 1
#define SOCK_NOSPACE 2
#define SOCK_PASSCRED 3
#define SOCK_PASSSEC 4

/* The wait queue the socket's sleepers and epitems hang on. */
struct socket_wq {
	wait_queue_head_t wait;
	void *fasync_list; /* O_ASYNC owners: none in kpath */
};

struct proto_ops;

struct socket {
	socket_state state;
	short type;             /* SOCK_DGRAM, SOCK_STREAM */
	unsigned long flags;
	struct socket_wq *wq;
	struct file *file;
	struct sock *sk;
	const struct proto_ops *ops;
	/* kpath: Linux allocates socket and inode together (socket_alloc);
	 * here the wait queue lives with the socket */
	struct socket_wq wq_storage;
	/* kpath: on the host's socket list from sock_alloc to release, so
	 * teardown frees sockets no sock owns yet (accept's new one) */
	struct list_head kp_node;
};

/* What `socket->ops` points to: the address-family level of a socket
 * type (inet_dgram_ops, inet_stream_ops).  Current Linux's signatures,
 * without the 3.10 kiocb. */
struct proto_ops {
	int family;
	const char *name; /* "inet_dgram_ops" for display */
	int (*release)(struct socket *sock);
	int (*bind)(struct socket *sock, struct sockaddr *myaddr,
		    int sockaddr_len);
	int (*connect)(struct socket *sock, struct sockaddr *vaddr,
		       int sockaddr_len, int flags);
	int (*accept)(struct socket *sock, struct socket *newsock, int flags);
	/* fills @addr; returns its length or a negative errno */
	int (*getname)(struct socket *sock, struct sockaddr *addr, int peer);
	unsigned int (*poll)(struct file *file, struct socket *sock,
			     poll_table *wait);
	int (*listen)(struct socket *sock, int len);
	int (*shutdown)(struct socket *sock, int flags);
	int (*setsockopt)(struct socket *sock, int level, int optname,
			  const char *optval, unsigned int optlen);
	int (*getsockopt)(struct socket *sock, int level, int optname,
			  char *optval, int *optlen);
	/* ioctl(2) on the socket; @arg is the user pointer (inet_ioctl) */
	int (*ioctl)(struct socket *sock, unsigned int cmd, unsigned long arg);
	int (*sendmsg)(struct socket *sock, struct msghdr *m,
		       size_t total_len);
	int (*recvmsg)(struct socket *sock, struct msghdr *m,
		       size_t total_len, int flags);
};

/* A family's socket constructor (inet_family_ops: inet_create). */
struct net_proto_family {
	int family;
	int (*create)(struct net *net, struct socket *sock, int protocol,
		      int kern);
};

/* ---- struct proto (include/net/sock.h): the transport level ---- */

struct proto {
	const char *name; /* "UDP", "TCP" */
	void (*close)(struct sock *sk, long timeout);
	int (*connect)(struct sock *sk, struct sockaddr *uaddr, int addr_len);
	int (*disconnect)(struct sock *sk, int flags);
	struct sock *(*accept)(struct sock *sk, int flags, int *err);
	int (*init)(struct sock *sk);
	void (*destroy)(struct sock *sk);
	void (*shutdown)(struct sock *sk, int how);
	int (*setsockopt)(struct sock *sk, int level, int optname,
			  const char *optval, unsigned int optlen);
	int (*getsockopt)(struct sock *sk, int level, int optname,
			  char *optval, int *optlen);
	/* SIOCINQ, SIOCOUTQ...: the answer in *karg (tcp_ioctl,
	 * udp_ioctl); -ENOIOCTLCMD for a command it does not know */
	int (*ioctl)(struct sock *sk, int cmd, int *karg);
	int (*sendmsg)(struct sock *sk, struct msghdr *msg, size_t len);
	int (*recvmsg)(struct sock *sk, struct msghdr *msg, size_t len,
		       int noblock, int flags, int *addr_len);
	int (*bind)(struct sock *sk, struct sockaddr *uaddr, int addr_len);
	int (*backlog_rcv)(struct sock *sk, struct sk_buff *skb);
	void (*release_cb)(struct sock *sk);
	void (*hash)(struct sock *sk);
	void (*unhash)(struct sock *sk);
	void (*rehash)(struct sock *sk);
	/* bind a local port (0: pick an ephemeral one); 0 or 1 if in use */
	int (*get_port)(struct sock *sk, unsigned short snum);
	unsigned int obj_size; /* sizeof(struct udp_sock), ... */
	int max_header;
	bool no_autobind; /* TCP: inet_sendmsg does not bind a port */
};

/* ---- struct sock ---- */

/* The socket lock: a spinlock for softirq-vs-process and "owned" by a
 * task between lock_sock and release_sock (socket_lock_t). */
typedef struct {
	spinlock_t slock;
	int owned;
	struct task_struct *owner; /* kpath: who owns it, for display */
	wait_queue_head_t wq;      /* tasks waiting in lock_sock */
} socket_lock_t;

/* TCP-style states (include/net/tcp_states.h); UDP uses CLOSE and
 * ESTABLISHED (after connect) only. */
enum {
	TCP_ESTABLISHED = 1,
	TCP_SYN_SENT,
	TCP_SYN_RECV,
	TCP_FIN_WAIT1,
	TCP_FIN_WAIT2,
	TCP_TIME_WAIT,
	TCP_CLOSE,
	TCP_CLOSE_WAIT,
	TCP_LAST_ACK,
	TCP_LISTEN,
	TCP_CLOSING,
	TCP_NEW_SYN_RECV,
	TCP_MAX_STATES
};

/* sk->sk_flags bits (enum sock_flags) */
enum sock_flags {
	SOCK_DEAD,
	SOCK_DONE,
	SOCK_URGINLINE,
	SOCK_KEEPOPEN,
	SOCK_LINGER,
	SOCK_DESTROY,
	SOCK_BROADCAST,
	SOCK_TIMESTAMP,
	SOCK_ZAPPED,
	SOCK_USE_WRITE_QUEUE,
	SOCK_DBG,
	SOCK_RCVTSTAMP,
	SOCK_RCVTSTAMPNS,
	SOCK_LOCALROUTE,
	SOCK_QUEUE_SHRUNK,
	SOCK_MEMALLOC,
	SOCK_TIMESTAMPING_RX_SOFTWARE,
	SOCK_FASYNC,
	SOCK_RXQ_OVFL,
	SOCK_ZEROCOPY,
	SOCK_WIFI_STATUS,
	SOCK_NOFCS,
	SOCK_FILTER_LOCKED,
	SOCK_SELECT_ERR_QUEUE,
};

/* sk_reuse values */
#define SK_NO_REUSE 0
#define SK_CAN_REUSE 1
#define SK_FORCE_REUSE 2

/* sk_shutdown bits */
#define RCV_SHUTDOWN 1
#define SEND_SHUTDOWN 2
#define SHUTDOWN_MASK 3

/* sk_wake_async how / band */
#define SOCK_WAKE_IO 0
#define SOCK_WAKE_WAITD 1
#define SOCK_WAKE_SPACE 2
#define SOCK_WAKE_URG 3
/* band: POLL_IN, POLL_OUT, POLL_ERR from <signal.h> */

struct sock_common {
	uint32_t skc_daddr;     /* peer address, network order */
	uint32_t skc_rcv_saddr; /* bound local address, network order */
	uint16_t skc_dport;     /* peer port, network order */
	uint16_t skc_num;       /* local port, host order */
	unsigned short skc_family;
	volatile unsigned char skc_state;
	unsigned char skc_reuse : 4;
	unsigned char skc_reuseport : 1;
	int skc_bound_dev_if;
	struct list_head skc_node; /* on the protocol's hash chain */
	struct net *skc_net;
	const struct proto *skc_prot;
	int skc_refcnt;
};

struct sock {
	struct sock_common __sk_common;
#define sk_family __sk_common.skc_family
#define sk_state __sk_common.skc_state
#define sk_reuse __sk_common.skc_reuse
#define sk_reuseport __sk_common.skc_reuseport
#define sk_bound_dev_if __sk_common.skc_bound_dev_if
#define sk_node __sk_common.skc_node
#define sk_prot __sk_common.skc_prot
#define sk_net __sk_common.skc_net
#define sk_refcnt __sk_common.skc_refcnt
	struct kp_obj kp; /* sk#N */

	socket_lock_t sk_lock;
	struct sk_buff_head sk_receive_queue;
	/* Packets that came while a task owned the socket; release_sock
	 * runs sk_backlog_rcv on them.  rmem_alloc lives here in Linux. */
	struct {
		int rmem_alloc;
		int len;
		struct sk_buff *head;
		struct sk_buff *tail;
	} sk_backlog;
#define sk_rmem_alloc sk_backlog.rmem_alloc
	int sk_forward_alloc;
	int sk_rcvbuf;
	int sk_sndbuf;
	int sk_wmem_alloc;
	int sk_wmem_queued;
	int sk_drops;
	int sk_rcvlowat;
	struct sk_buff_head sk_write_queue;
	struct sk_buff_head sk_error_queue;

	struct socket_wq *sk_wq;
	unsigned long sk_flags;
	unsigned int sk_userlocks; /* SOCK_RCVBUF_LOCK, SOCK_SNDBUF_LOCK */
#define SOCK_SNDBUF_LOCK 1
#define SOCK_RCVBUF_LOCK 2
	long sk_rcvtimeo; /* jiffies; MAX_SCHEDULE_TIMEOUT = forever */
	long sk_sndtimeo;
	long sk_lingertime; /* jiffies, with SOCK_LINGER (SO_LINGER) */
	int sk_err;
	int sk_err_soft;
	unsigned char sk_shutdown : 2;
	unsigned short sk_type;
	unsigned short sk_protocol;
	uint32_t sk_priority;
	uint32_t sk_mark;
	uint64_t sk_stamp; /* ns of the last received packet */
	struct socket *sk_socket;
	void *sk_user_data;

	void (*sk_state_change)(struct sock *sk);
	void (*sk_data_ready)(struct sock *sk);
	void (*sk_write_space)(struct sock *sk);
	void (*sk_error_report)(struct sock *sk);
	int (*sk_backlog_rcv)(struct sock *sk, struct sk_buff *skb);
	void (*sk_destruct)(struct sock *sk);

	/* transmit: the cached route (__sk_dst_check, sk_dst_set; no
	 * reference: dsts live in the FIB's cache) and what its device can
	 * do (sk_setup_caps: dev->features, NETIF_F_*) */
	struct dst_entry *sk_dst_cache;
	uint32_t sk_route_caps;
	unsigned int sk_gso_max_size;

	/* kpath: every sock of the host, by creation (show sock, ss) */
	struct list_head kp_node;
	uint64_t kp_created; /* ns */
};

/* ---- struct inet_sock (include/net/inet_sock.h) ---- */

struct inet_sock {
	struct sock sk;
#define inet_daddr sk.__sk_common.skc_daddr
#define inet_rcv_saddr sk.__sk_common.skc_rcv_saddr
#define inet_dport sk.__sk_common.skc_dport
#define inet_num sk.__sk_common.skc_num
	uint32_t inet_saddr; /* source address of sent packets */
	int16_t uc_ttl;      /* -1: use sysctl ip_default_ttl */
	uint16_t cmsg_flags;
	uint16_t inet_sport; /* network order */
	uint16_t inet_id;
	uint8_t tos;
	uint8_t min_ttl;
	uint8_t mc_ttl;
	uint8_t pmtudisc;
	uint8_t recverr : 1, is_icsk : 1, freebind : 1, hdrincl : 1,
		mc_loop : 1, transparent : 1, mc_all : 1, nodefrag : 1;
	int uc_index;
	int mc_index;
	uint32_t mc_addr;
};

static inline struct inet_sock *inet_sk(const struct sock *sk)
{
	return (struct inet_sock *)sk;
}

/* ---- struct udp_sock (include/linux/udp.h) ---- */

struct udp_sock {
	struct inet_sock inet;
	int pending;           /* corked: AF_INET while building a datagram */
	unsigned int corkflag; /* UDP_CORK */
	uint16_t encap_type;
	uint16_t len;          /* bytes of the pending datagram */
};

static inline struct udp_sock *udp_sk(const struct sock *sk)
{
	return (struct udp_sock *)sk;
}

/* ---- helpers (include/net/sock.h) ---- */

static inline struct net *sock_net(const struct sock *sk)
{
	return sk->sk_net;
}
static inline bool sock_flag(const struct sock *sk, enum sock_flags flag)
{
	return (sk->sk_flags >> flag) & 1ul;
}
static inline void sock_set_flag(struct sock *sk, enum sock_flags flag)
{
	sk->sk_flags |= 1ul << flag;
}
static inline void sock_reset_flag(struct sock *sk, enum sock_flags flag)
{
	sk->sk_flags &= ~(1ul << flag);
}
static inline wait_queue_head_t *sk_sleep(struct sock *sk)
{
	return &sk->sk_wq->wait;
}
static inline bool sock_owned_by_user(const struct sock *sk)
{
	return sk->sk_lock.owned;
}
static inline long sock_rcvtimeo(const struct sock *sk, bool noblock)
{
	return noblock ? 0 : sk->sk_rcvtimeo;
}
static inline long sock_sndtimeo(const struct sock *sk, bool noblock)
{
	return noblock ? 0 : sk->sk_sndtimeo;
}
static inline int sk_rmem_alloc_get(const struct sock *sk)
{
	return sk->sk_rmem_alloc;
}
static inline int sk_wmem_alloc_get(const struct sock *sk)
{
	return sk->sk_wmem_alloc;
}
static inline bool sk_has_sleeper(struct sock *sk)
{
	return sk->sk_wq && waitqueue_active(&sk->sk_wq->wait);
}
#define skwq_has_sleeper(wq) ((wq) && waitqueue_active(&(wq)->wait))
/* sock_error: take and clear sk_err, as a negative errno. */
static inline int sock_error(struct sock *sk)
{
	int err = sk->sk_err;
	sk->sk_err = 0;
	return -err;
}
static inline void sock_hold(struct sock *sk)
{
	sk->sk_refcnt++;
}
/* Drop a reference; the last one frees the sock (sk_free). */
void sock_put(struct sock *sk);
static inline bool sk_unhashed(const struct sock *sk)
{
	return list_empty(&sk->sk_node);
}
static inline bool sk_hashed(const struct sock *sk)
{
	return !sk_unhashed(sk);
}

/* ---- net/core/sock.c ---- */

/* A sock of @prot (obj_size bytes, zeroed) on @net; NULL on ENOMEM. */
struct sock *sk_alloc(struct net *net, int family, const struct proto *prot,
		      int kern);
void sk_free(struct sock *sk);
/* Defaults: queues, buffers from rmem_default/wmem_default, callbacks
 * (sk_data_ready = sock_def_readable), and links @sk to @sock. */
void sock_init_data(struct socket *sock, struct sock *sk);
void sock_def_readable(struct sock *sk);
void sock_def_wakeup(struct sock *sk);
void sock_def_write_space(struct sock *sk);
void sock_def_error_report(struct sock *sk);
/* Charge and queue @skb on sk_receive_queue, then sk_data_ready.
 * 0, or -ENOMEM (rcvbuf full: the caller drops and counts). */
int sock_queue_rcv_skb(struct sock *sk, struct sk_buff *skb);
int __sock_queue_rcv_skb(struct sock *sk, struct sk_buff *skb);
void skb_set_owner_r(struct sk_buff *skb, struct sock *sk);
/* skb->destructor of received skbs: gives truesize back. */
void sock_rfree(struct sk_buff *skb);
void lock_sock(struct sock *sk);
void release_sock(struct sock *sk);
/* The backlog: add while owned (false when it would exceed @limit). */
bool sk_add_backlog(struct sock *sk, struct sk_buff *skb, unsigned int limit);
/* Sleep until sk_receive_queue is not empty, @timeo (jiffies) runs out,
 * or a signal; releases the socket lock meanwhile.  Returns true if
 * the queue has data. */
int sk_wait_data(struct sock *sk, long *timeo, const struct sk_buff *skb);
/* setsockopt(SOL_SOCKET, ...) and getsockopt */
int sock_setsockopt(struct socket *sock, int level, int optname,
		    const char *optval, unsigned int optlen);
int sock_getsockopt(struct socket *sock, int level, int optname,
		    char *optval, int *optlen);
/* ---- transmit side: send buffer and the cached route ---- */

/* An skb of @size bytes charged to @sk's send buffer (skb_set_owner_w:
 * truesize into sk_wmem_alloc, destructor sock_wfree).  Sleeps in
 * sock_wait_for_wmem while sk_wmem_alloc >= sk_sndbuf unless @noblock
 * (then NULL and *errcode = -EAGAIN); -EPIPE after shutdown(SHUT_WR),
 * sk_err as an error, -EINTR/-EAGAIN when the sndtimeo runs out. */
struct sk_buff *sock_alloc_send_skb(struct sock *sk, unsigned long size,
				    int noblock, int *errcode);
/* sock_alloc_send_skb's wait alone: 0 once sk_wmem_alloc < sk_sndbuf
 * (sleeping in sock_wait_for_wmem meanwhile), -EAGAIN if @noblock or
 * the sndtimeo ran out, -EPIPE after SHUT_WR, or sk_err.  For senders
 * whose allocation cannot wait (ip_make_skb). */
int kp_sock_wmem_wait(struct sock *sk, int noblock);
/* Allocate without waiting; NULL when over sk_sndbuf unless @force. */
struct sk_buff *sock_wmalloc(struct sock *sk, unsigned long size, int force);
void skb_set_owner_w(struct sk_buff *skb, struct sock *sk);
/* skb->destructor of sent skbs: gives truesize back, sk_write_space. */
void sock_wfree(struct sk_buff *skb);
/* The cached route if still valid (rt_genid unchanged), else reset it
 * and NULL. */
struct dst_entry *__sk_dst_check(struct sock *sk, uint32_t cookie);
static inline struct dst_entry *__sk_dst_get(const struct sock *sk)
{
	return sk->sk_dst_cache;
}
void sk_dst_set(struct sock *sk, struct dst_entry *dst);
void sk_dst_reset(struct sock *sk);
/* Cache @dst on @sk and take its device's offload features. */
void sk_setup_caps(struct sock *sk, struct dst_entry *dst);

int sock_no_listen(struct socket *sock, int backlog);
int sock_no_accept(struct socket *sock, struct socket *newsock, int flags);
int sock_common_getsockopt(struct socket *sock, int level, int optname,
			   char *optval, int *optlen);
int sock_common_setsockopt(struct socket *sock, int level, int optname,
			   const char *optval, unsigned int optlen);
/* -EINTR (Linux: -ERESTARTSYS when no timeout was set) */
static inline int sock_intr_errno(long timeo)
{
	(void)timeo;
	return -4; /* -EINTR */
}

/* ---- kpath: finding socks for display ---- */

/* Every sock of @net, oldest first (the list head; NULL before
 * inet_init). */
struct list_head *kp_net_socks(struct net *net);
/* sk#@id on @net, or NULL. */
struct sock *kp_sock_find(struct net *net, uint32_t id);
/* "UNCONN", "ESTAB", "LISTEN", ... as ss prints sk_state. */
const char *kp_sock_state_name(const struct sock *sk);

#endif
