/*
 * pdtask.h - the user task a packetdrill script drives: packetdrill runs
 * each system call of the script in its own process (run_system_call in
 * packetdrill's run_system_call.c); here one emulated task waits for the
 * runner to post a call, makes it through the libc wrappers (so the
 * kernel path is the real one, steppable), and keeps the result and
 * errno for the runner to check.
 */
#ifndef KP_PACKETDRILL_PDTASK_H
#define KP_PACKETDRILL_PDTASK_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "net/eventpoll.h"
#include "net/select.h"

struct kp_host;
struct kp_world;

enum pd_op {
	PD_OP_SOCKET, PD_OP_BIND, PD_OP_LISTEN, PD_OP_ACCEPT, PD_OP_CONNECT,
	PD_OP_READ, PD_OP_WRITE, PD_OP_SEND, PD_OP_RECV, PD_OP_CLOSE,
	PD_OP_SHUTDOWN, PD_OP_SETSOCKOPT, PD_OP_GETSOCKOPT, PD_OP_FCNTL,
	PD_OP_SENDMSG, PD_OP_RECVMSG, PD_OP_IOCTL, PD_OP_POLL,
	PD_OP_EPOLL_CREATE, PD_OP_EPOLL_CTL, PD_OP_EPOLL_WAIT,
	PD_OP_TCP_INFO, /* TCP_INFO for a %{ }% snippet */
	PD_OP_EXIT,
};

/* struct tcp_info as Linux's uapi linux/tcp.h lays it out, up to
 * tcpi_total_retrans (netinet/tcp.h cannot meet kpath's own tcp.h). */
struct pd_tcp_info {
	uint8_t tcpi_state, tcpi_ca_state, tcpi_retransmits, tcpi_probes;
	uint8_t tcpi_backoff, tcpi_options;
	uint8_t tcpi_snd_wscale : 4, tcpi_rcv_wscale : 4;
	uint8_t tcpi_delivery_rate_app_limited;
	uint32_t tcpi_rto, tcpi_ato, tcpi_snd_mss, tcpi_rcv_mss;
	uint32_t tcpi_unacked, tcpi_sacked, tcpi_lost, tcpi_retrans;
	uint32_t tcpi_fackets;
	uint32_t tcpi_last_data_sent, tcpi_last_ack_sent;
	uint32_t tcpi_last_data_recv, tcpi_last_ack_recv;
	uint32_t tcpi_pmtu, tcpi_rcv_ssthresh, tcpi_rtt, tcpi_rttvar;
	uint32_t tcpi_snd_ssthresh, tcpi_snd_cwnd, tcpi_advmss;
	uint32_t tcpi_reordering, tcpi_rcv_rtt, tcpi_rcv_space;
	uint32_t tcpi_total_retrans;
};

#define PD_MAX_POLL 8
#define PD_MAX_IO (4L << 20) /* largest read/write, bytes */

/* Where a blocking call's result is checked and what it filled in. */
struct pd_result {
	long optval;       /* getsockopt's int value, ioctl's */
	int optlen;
	struct pd_tcp_info info; /* getsockopt(TCP_INFO) */
	bool have_info;
	struct kp_pollfd pfd[PD_MAX_POLL];
	struct epoll_event ev[PD_MAX_POLL];
};

struct pd_call {
	enum pd_op op;
	int fd;
	int a, b, c;       /* socket: family,type,proto; sockopt: level,name;
			    * fcntl: cmd; shutdown: how; listen: backlog */
	long val;          /* setsockopt value; fcntl arg */
	long len;          /* read/write/send/recv length */
	int flags;         /* send/recv */
	uint32_t addr;     /* bind/connect, network order */
	uint16_t port;     /* network order */
	/* struct arguments */
	int linger_onoff, linger_secs; /* setsockopt SO_LINGER */
	bool is_linger;
	bool want_info;    /* getsockopt TCP_INFO */
	int nfds;          /* poll's, epoll_wait's maxevents */
	int timeout;       /* poll/epoll_wait, ms */
	struct kp_pollfd pfd[PD_MAX_POLL];
	struct epoll_event ev; /* epoll_ctl */
};

struct pd_task {
	int refs;          /* the runner and the task */
	struct kp_world *w;
	struct kp_host *h;
	pid_t pid;         /* 0 until created */
	bool waiting;      /* asleep for the next call */
	bool posted;       /* a call waits to be taken */
	bool in_call;
	bool done;         /* the last call returned */
	bool exited;
	bool detached;     /* the runner left (--on-fail stop): no stops */
	struct pd_call call;
	long ret;
	int err;
	uint64_t done_at;  /* virtual time the last call returned */
	struct pd_result out;
	char *buf;         /* read/write's user buffer */
	size_t buf_size;
};

/* Start the task on @h (queued on CPU 0); NULL on ENOMEM. */
struct pd_task *pd_task_start(struct kp_host *h);
/* Post @c; the task wakes through the function-call interrupt. */
int pd_task_post(struct pd_task *pt, const struct pd_call *c);
void pd_task_put(struct pd_task *pt);

#endif
