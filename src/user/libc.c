/*
 * libc.c - system call wrappers for emulated programs.
 */
#include "libc.h"

#include <errno.h>
#include <string.h>

#include "engine/probe.h"
#include "net/file.h"
#include "sched/timer.h"

int u_close(struct kp_uproc *p, int fd)
{
	return (int)U_SYSCALL(p, sys_close(fd));
}

int u_epoll_create1(struct kp_uproc *p, int flags)
{
	return (int)U_SYSCALL(p, sys_epoll_create1(flags));
}

int u_epoll_ctl(struct kp_uproc *p, int epfd, int op, int fd,
		struct epoll_event *event)
{
	return (int)U_SYSCALL(p, sys_epoll_ctl(epfd, op, fd, event));
}

int u_epoll_wait(struct kp_uproc *p, int epfd, struct epoll_event *events,
		 int maxevents, int timeout_ms)
{
	return (int)U_SYSCALL(p,
			      sys_epoll_wait(epfd, events, maxevents, timeout_ms));
}

int u_poll(struct kp_uproc *p, struct kp_pollfd *fds, unsigned int nfds,
	   int timeout_ms)
{
	return (int)U_SYSCALL(p, sys_poll(fds, nfds, timeout_ms));
}

int u_select(struct kp_uproc *p, int n, kp_fd_set *in, kp_fd_set *out,
	     kp_fd_set *ex, int timeout_ms)
{
	return (int)U_SYSCALL(p, sys_select(n, in, out, ex, timeout_ms));
}

static long sys_nanosleep(uint64_t ns)
{
	KP_FUNC_ARG(sys_nanosleep, KP_NOOBJ, ns);
	set_current_state(TASK_INTERRUPTIBLE);
	return schedule_hrtimeout_range(local_clock() + ns, 0) == 0 ? 0
								    : -EINTR;
}

int u_nanosleep(struct kp_uproc *p, uint64_t ns)
{
	return (int)U_SYSCALL(p, sys_nanosleep(ns));
}

void u_work(struct kp_uproc *p, uint64_t ns)
{
	(void)p;
	kp_user_work(ns);
}

uint64_t u_now(struct kp_uproc *p)
{
	(void)p;
	return local_clock();
}

const char *u_strerror(int err)
{
	return strerror(err);
}

int u_socket(struct kp_uproc *p, int family, int type, int protocol)
{
	return (int)U_SYSCALL(p, sys_socket(family, type, protocol));
}

int u_bind(struct kp_uproc *p, int fd, const struct sockaddr *addr,
	   socklen_t len)
{
	return (int)U_SYSCALL(p, sys_bind(fd, (struct sockaddr *)addr,
					  (int)len));
}

ssize_t u_recvfrom(struct kp_uproc *p, int fd, void *buf, size_t len,
		   int flags, struct sockaddr *addr, socklen_t *addrlen)
{
	return U_SYSCALL(p, sys_recvfrom(fd, buf, len, (unsigned int)flags,
					 addr, (int *)addrlen));
}

ssize_t u_sendto(struct kp_uproc *p, int fd, const void *buf, size_t len,
		 int flags, const struct sockaddr *addr, socklen_t addrlen)
{
	return U_SYSCALL(p, sys_sendto(fd, buf, len, (unsigned int)flags,
				       (struct sockaddr *)addr, (int)addrlen));
}

int u_setsockopt(struct kp_uproc *p, int fd, int level, int optname,
		 const void *optval, socklen_t optlen)
{
	return (int)U_SYSCALL(p, sys_setsockopt(fd, level, optname, optval,
						(int)optlen));
}

int u_getsockopt(struct kp_uproc *p, int fd, int level, int optname,
		 void *optval, socklen_t *optlen)
{
	return (int)U_SYSCALL(p, sys_getsockopt(fd, level, optname, optval,
						(int *)optlen));
}

int u_getsockname(struct kp_uproc *p, int fd, struct sockaddr *addr,
		  socklen_t *addrlen)
{
	return (int)U_SYSCALL(p, sys_getsockname(fd, addr, (int *)addrlen));
}

int u_fcntl(struct kp_uproc *p, int fd, int cmd, long arg)
{
	return (int)U_SYSCALL(p, sys_fcntl(fd, (unsigned int)cmd,
					   (unsigned long)arg));
}

int u_ioctl(struct kp_uproc *p, int fd, unsigned long cmd, int *arg)
{
	return (int)U_SYSCALL(p, sys_ioctl(fd, (unsigned int)cmd,
					   (unsigned long)arg));
}

int u_connect(struct kp_uproc *p, int fd, const struct sockaddr *addr,
	      socklen_t len)
{
	return (int)U_SYSCALL(p, sys_connect(fd, (struct sockaddr *)addr,
					     (int)len));
}

int u_listen(struct kp_uproc *p, int fd, int backlog)
{
	return (int)U_SYSCALL(p, sys_listen(fd, backlog));
}

int u_accept4(struct kp_uproc *p, int fd, struct sockaddr *addr,
	      socklen_t *addrlen, int flags)
{
	return (int)U_SYSCALL(p, sys_accept4(fd, addr, (int *)addrlen, flags));
}

int u_accept(struct kp_uproc *p, int fd, struct sockaddr *addr,
	     socklen_t *addrlen)
{
	return u_accept4(p, fd, addr, addrlen, 0);
}

int u_shutdown(struct kp_uproc *p, int fd, int how)
{
	return (int)U_SYSCALL(p, sys_shutdown(fd, how));
}

int u_getpeername(struct kp_uproc *p, int fd, struct sockaddr *addr,
		  socklen_t *addrlen)
{
	return (int)U_SYSCALL(p, sys_getpeername(fd, addr, (int *)addrlen));
}

ssize_t u_send(struct kp_uproc *p, int fd, const void *buf, size_t len,
	       int flags)
{
	return U_SYSCALL(p, sys_sendto(fd, buf, len, (unsigned int)flags, NULL,
				       0));
}

ssize_t u_recv(struct kp_uproc *p, int fd, void *buf, size_t len, int flags)
{
	return U_SYSCALL(p, sys_recvfrom(fd, buf, len, (unsigned int)flags,
					 NULL, NULL));
}

ssize_t u_sendmsg(struct kp_uproc *p, int fd, const struct msghdr *msg,
		  int flags)
{
	return U_SYSCALL(p, sys_sendmsg(fd, (struct msghdr *)msg,
				       (unsigned int)flags));
}

ssize_t u_recvmsg(struct kp_uproc *p, int fd, struct msghdr *msg, int flags)
{
	return U_SYSCALL(p, sys_recvmsg(fd, msg, (unsigned int)flags));
}

ssize_t u_read(struct kp_uproc *p, int fd, void *buf, size_t len)
{
	return U_SYSCALL(p, sys_read(fd, buf, len));
}

ssize_t u_write(struct kp_uproc *p, int fd, const void *buf, size_t len)
{
	return U_SYSCALL(p, sys_write(fd, buf, len));
}
