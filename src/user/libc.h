/*
 * libc.h - the thin libc of emulated programs.  Each u_* call enters the
 * kernel (the task leaves user mode), runs the sys_* function, and returns
 * to user mode, where pending interrupts are taken and a pending
 * preemption happens.  On error it returns -1 and sets p->err, as libc
 * sets errno.  (The u_ prefix keeps these apart from the real libc.)
 */
#ifndef KP_USER_LIBC_H
#define KP_USER_LIBC_H

#include <stdint.h>

#include "net/eventpoll.h"
#include "net/select.h"
#include "net/socket.h"
#include "sched/sched.h"
#include "uprog.h"

/* Wrap a system call: kernel mode around @call, errno convention. */
#define U_SYSCALL(p, call)                                                    \
	({                                                                    \
		kp_task_set_user(false);                                      \
		long __ret = (long)(call);                                    \
		kp_task_set_user(true);                                       \
		if (__ret < 0) {                                              \
			(p)->err = (int)-__ret;                               \
			__ret = -1;                                           \
		}                                                             \
		__ret;                                                        \
	})

int u_close(struct kp_uproc *p, int fd);
int u_epoll_create1(struct kp_uproc *p, int flags);
int u_epoll_ctl(struct kp_uproc *p, int epfd, int op, int fd,
		struct epoll_event *event);
int u_epoll_wait(struct kp_uproc *p, int epfd, struct epoll_event *events,
		 int maxevents, int timeout_ms);
int u_poll(struct kp_uproc *p, struct kp_pollfd *fds, unsigned int nfds,
	   int timeout_ms);
/* timeout_ms < 0: no timeout */
int u_select(struct kp_uproc *p, int n, kp_fd_set *in, kp_fd_set *out,
	     kp_fd_set *ex, int timeout_ms);
/* Sleep @ns of virtual time (nanosleep(2)). */
int u_nanosleep(struct kp_uproc *p, uint64_t ns);
/* Compute in user mode for @ns (parsing a request, building a reply). */
void u_work(struct kp_uproc *p, uint64_t ns);
/* Virtual time now, ns (clock_gettime(CLOCK_MONOTONIC) without a syscall,
 * as the vDSO gives it). */
uint64_t u_now(struct kp_uproc *p);
const char *u_strerror(int err);

/* sockets */
int u_socket(struct kp_uproc *p, int family, int type, int protocol);
int u_bind(struct kp_uproc *p, int fd, const struct sockaddr *addr,
	   socklen_t len);
ssize_t u_recvfrom(struct kp_uproc *p, int fd, void *buf, size_t len,
		   int flags, struct sockaddr *addr, socklen_t *addrlen);
ssize_t u_sendto(struct kp_uproc *p, int fd, const void *buf, size_t len,
		 int flags, const struct sockaddr *addr, socklen_t addrlen);
int u_setsockopt(struct kp_uproc *p, int fd, int level, int optname,
		 const void *optval, socklen_t optlen);
int u_getsockopt(struct kp_uproc *p, int fd, int level, int optname,
		 void *optval, socklen_t *optlen);
int u_getsockname(struct kp_uproc *p, int fd, struct sockaddr *addr,
		  socklen_t *addrlen);
int u_fcntl(struct kp_uproc *p, int fd, int cmd, long arg);
/* ioctl(fd, SIOCINQ|SIOCOUTQ|SIOCOUTQNSD, &int) */
int u_ioctl(struct kp_uproc *p, int fd, unsigned long cmd, int *arg);
int u_connect(struct kp_uproc *p, int fd, const struct sockaddr *addr,
	      socklen_t len);
int u_listen(struct kp_uproc *p, int fd, int backlog);
int u_accept(struct kp_uproc *p, int fd, struct sockaddr *addr,
	     socklen_t *addrlen);
int u_accept4(struct kp_uproc *p, int fd, struct sockaddr *addr,
	      socklen_t *addrlen, int flags);
int u_shutdown(struct kp_uproc *p, int fd, int how);
int u_getpeername(struct kp_uproc *p, int fd, struct sockaddr *addr,
		  socklen_t *addrlen);
ssize_t u_send(struct kp_uproc *p, int fd, const void *buf, size_t len,
	       int flags);
ssize_t u_recv(struct kp_uproc *p, int fd, void *buf, size_t len, int flags);
ssize_t u_sendmsg(struct kp_uproc *p, int fd, const struct msghdr *msg,
		  int flags);
ssize_t u_recvmsg(struct kp_uproc *p, int fd, struct msghdr *msg, int flags);
/* read(2)/write(2): on sockets only */
ssize_t u_read(struct kp_uproc *p, int fd, void *buf, size_t len);
ssize_t u_write(struct kp_uproc *p, int fd, const void *buf, size_t len);

#endif
