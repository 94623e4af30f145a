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
#include <stddef.h>
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
	/* the connection and send side (prog_manual_net.c) */
	KP_SYS_CONNECT,
	KP_SYS_SENDTO, /* send: without an address */
	KP_SYS_LISTEN,
	KP_SYS_ACCEPT,
	KP_SYS_SHUTDOWN,
	KP_SYS_IOCTL, /* SIOCINQ, SIOCOUTQ, SIOCOUTQNSD in optname */
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
	char data[256];        /* sendto, send: the bytes */
	int datalen;
	bool has_addr;         /* sendto: with addr; send: without */
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

/* Parse connect, sendto, send, listen, accept, shutdown from "CALL
 * ARGS...": 1 parsed into @c, 0 not one of them, -1 malformed (@err
 * says how to write it). */
int kp_manual_parse_net(int argc, char **argv, struct kp_sys_call *c,
			const char **err);
struct kp_uproc;
/* Make one of those calls in the manual task and print it. */
void kp_manual_do_net(struct kp_uproc *p, const struct kp_sys_call *c);

/* strace's way of printing: an address, a buffer (at most 32 bytes,
 * quoted), " = RET" or " = -1 ENAME (text)", an errno's name. */
void kp_strace_sockaddr(char *buf, size_t n, const struct sockaddr_in *sin);
void kp_strace_data(char *buf, size_t n, const char *data, long len);
void kp_strace_result(char *buf, size_t n, long ret, int err);
const char *kp_errno_name(int err);

/* "recvfrom" for @op (what strace prints before the parenthesis). */
const char *kp_sys_name(enum kp_sys_op op);

#endif
