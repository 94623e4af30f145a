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

struct kp_host;
struct kp_world;

enum pd_op {
	PD_OP_SOCKET, PD_OP_BIND, PD_OP_LISTEN, PD_OP_ACCEPT, PD_OP_CONNECT,
	PD_OP_READ, PD_OP_WRITE, PD_OP_SEND, PD_OP_RECV, PD_OP_CLOSE,
	PD_OP_SHUTDOWN, PD_OP_SETSOCKOPT, PD_OP_GETSOCKOPT, PD_OP_FCNTL,
	PD_OP_EXIT,
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
	struct pd_call call;
	long ret;
	int err;
	uint64_t done_at;  /* virtual time the last call returned */
	long optval_out;   /* getsockopt's value */
};

/* Start the task on @h (queued on CPU 0); NULL on ENOMEM. */
struct pd_task *pd_task_start(struct kp_host *h);
/* Post @c; the task wakes through the function-call interrupt. */
int pd_task_post(struct pd_task *pt, const struct pd_call *c);
void pd_task_put(struct pd_task *pt);

#endif
