/*
 * manual.h - a task driven by hand from the REPL (`task new`, `sys PID
 * ...`).  The task runs the built-in program "manual": it waits for the
 * next system call the user posts, makes it through the same libc
 * wrappers as any program, and prints it with its result as strace does:
 *
 *	recvfrom(3, "hi", 2048, 0, {sa_family=AF_INET,
 *	         sin_port=htons(4000), sin_addr=inet_addr("10.0.0.1")},
 *	         [16]) = 2
 *
 * A call that blocks leaves the task asleep in the kernel; its line is
 * printed when it returns.
 */
#ifndef KP_USER_MANUAL_H
#define KP_USER_MANUAL_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stdint.h>

#include "sched/sched.h"

enum kp_sys_op {
	KP_SYS_SOCKET,
	KP_SYS_BIND,
	KP_SYS_RECVFROM,
	KP_SYS_EPOLL_CREATE1,
	KP_SYS_EPOLL_CTL,
	KP_SYS_EPOLL_WAIT,
	KP_SYS_CLOSE,
	KP_SYS_SETSOCKOPT,
	KP_SYS_FCNTL_NONBLOCK,
	KP_SYS_POLL,
	KP_SYS_SELECT,
	KP_SYS_EXIT,
};

#define KP_SYS_MAX_POLLFDS 8

/* One system call posted by `sys`. */
struct kp_sys_call {
	enum kp_sys_op op;
	int fd, fd2;           /* fd; epoll_ctl: epfd in fd, target in fd2 */
	int family, type, protocol;
	struct sockaddr_in addr; /* bind */
	int len, flags;        /* recvfrom: buffer length, MSG_* */
	int ctl_op;            /* EPOLL_CTL_* */
	uint32_t events;       /* epoll_ctl */
	int maxevents, timeout; /* epoll_wait; poll, select: timeout */
	int pfds[KP_SYS_MAX_POLLFDS], nfds; /* poll, select: for reading */
	int level, optname, optval; /* setsockopt; fcntl: optval 0/1 */
	int code;              /* exit */
};

#define KP_MANUAL_QUEUE 16

/* The manual program's state (kp_uproc.state). */
struct kp_manual {
	struct kp_sys_call queue[KP_MANUAL_QUEUE];
	unsigned head, tail; /* posted: tail - head waiting */
	bool waiting;        /* asleep waiting for the next call */
	bool in_call;        /* making queue[head - 1] now */
	struct kp_sys_call call; /* the call being made */
	unsigned long posted, done; /* calls posted, calls returned */
};

/* The manual state of task @t, or NULL when @t is not a manual task. */
struct kp_manual *kp_manual_of(struct task_struct *t);

/*
 * From the UI: queue @call for task @t and, if it waits for one, wake it
 * through the function-call interrupt.  0, -EINVAL (not a manual task),
 * -EBUSY (queue full) or what kp_host_call returned.
 */
int kp_manual_post(struct task_struct *t, const struct kp_sys_call *call);

/* "recvfrom" for @op (what strace prints before the parenthesis). */
const char *kp_sys_name(enum kp_sys_op op);

#endif
