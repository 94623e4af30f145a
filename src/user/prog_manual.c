/*
 * prog_manual.c - `manual`: the program of a task driven by hand (`task
 * new HOST [NAME]`, then `sys PID CALL ...`).  It sleeps until the user
 * posts a system call, makes it through the libc wrappers, and prints
 * the call and its result in strace's format.  See manual.h.
 *
 * In Linux such a task would read its next command from a terminal
 * (n_tty_read); here it sleeps in TASK_INTERRUPTIBLE until `sys` wakes it
 * through the function-call interrupt.  Those sleeps count as voluntary
 * context switches, as reading a terminal would.
 */
#include "manual.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "libc.h"
#include "sched/host.h"
#include "sched/smp.h"

extern const struct kp_user_program kp_uprog_manual;

struct kp_manual *kp_manual_of(struct task_struct *t)
{
	struct kp_uproc *p = t ? t->user : NULL;
	if (!p || p->prog != &kp_uprog_manual || p->child_main)
		return NULL;
	return p->state;
}

const char *kp_sys_name(enum kp_sys_op op)
{
	switch (op) {
	case KP_SYS_SOCKET: return "socket";
	case KP_SYS_BIND: return "bind";
	case KP_SYS_RECVFROM: return "recvfrom";
	case KP_SYS_EPOLL_CREATE1: return "epoll_create1";
	case KP_SYS_EPOLL_CTL: return "epoll_ctl";
	case KP_SYS_EPOLL_WAIT: return "epoll_wait";
	case KP_SYS_CLOSE: return "close";
	case KP_SYS_SETSOCKOPT: return "setsockopt";
	case KP_SYS_FCNTL_NONBLOCK: return "fcntl";
	case KP_SYS_POLL: return "poll";
	case KP_SYS_SELECT: return "select";
	case KP_SYS_EXIT: return "exit";
	case KP_SYS_CONNECT: return "connect";
	case KP_SYS_SENDTO: return "sendto";
	case KP_SYS_LISTEN: return "listen";
	case KP_SYS_ACCEPT: return "accept";
	case KP_SYS_SHUTDOWN: return "shutdown";
	case KP_SYS_IOCTL: return "ioctl";
	}
	return "?";
}

/* ---- waiting for the user ---- */

/* Kernel half of "read the next command": sleep until one is posted. */
static long manual_wait(struct kp_manual *m)
{
	for (;;) {
		set_current_state(TASK_INTERRUPTIBLE);
		if (m->head != m->tail)
			break;
		m->waiting = true;
		schedule();
		m->waiting = false;
	}
	set_current_state(TASK_RUNNING);
	return 0;
}

struct manual_wake {
	struct kp_host *h;
	pid_t pid;
};

/* On CPU 0, in the function-call interrupt. */
static void manual_wake_on_cpu(void *info)
{
	struct manual_wake *mw = info;
	struct task_struct *t = kp_task_find(mw->h, mw->pid);
	struct kp_manual *m = kp_manual_of(t);
	if (m && m->waiting)
		wake_up_process(t);
}

int kp_manual_post(struct task_struct *t, const struct kp_sys_call *call)
{
	struct kp_manual *m = kp_manual_of(t);
	if (!m)
		return -EINVAL;
	if (m->tail - m->head >= KP_MANUAL_QUEUE)
		return -EBUSY;
	m->queue[m->tail++ % KP_MANUAL_QUEUE] = *call;
	m->posted++;
	struct manual_wake *mw = malloc(sizeof(*mw));
	if (!mw)
		return -ENOMEM;
	*mw = (struct manual_wake){ t->host, t->pid };
	return kp_host_call(t->host, 0, manual_wake_on_cpu, mw, free);
}

/* ---- strace's way of printing arguments ---- */

void kp_strace_sockaddr(char *buf, size_t n, const struct sockaddr_in *sin)
{
	char a[INET_ADDRSTRLEN];
	inet_ntop(AF_INET, &sin->sin_addr, a, sizeof(a));
	snprintf(buf, n,
		 "{sa_family=AF_INET, sin_port=htons(%u), "
		 "sin_addr=inet_addr(\"%s\")}",
		 ntohs(sin->sin_port), a);
}

/* A user buffer as strace quotes it: at most 32 bytes, C escapes. */
void kp_strace_data(char *buf, size_t n, const char *data, long len)
{
	size_t j = 0;
	buf[j++] = '"';
	for (long i = 0; i < len && i < 32 && j + 6 < n; i++) {
		unsigned char c = (unsigned char)data[i];
		if (c == '"' || c == '\\')
			j += (size_t)snprintf(buf + j, n - j, "\\%c", c);
		else if (c == '\n')
			j += (size_t)snprintf(buf + j, n - j, "\\n");
		else if (isprint(c))
			buf[j++] = (char)c;
		else
			j += (size_t)snprintf(buf + j, n - j, "\\%o", c);
	}
	if (j + 5 < n) {
		buf[j++] = '"';
		if (len > 32)
			j += (size_t)snprintf(buf + j, n - j, "...");
	}
	buf[j < n ? j : n - 1] = '\0';
}

static void fmt_events(char *buf, size_t n, uint32_t ev)
{
	static const struct {
		uint32_t bit;
		const char *name;
	} names[] = {
		{ EPOLLIN, "EPOLLIN" },       { EPOLLOUT, "EPOLLOUT" },
		{ EPOLLERR, "EPOLLERR" },     { EPOLLHUP, "EPOLLHUP" },
		{ EPOLLRDNORM, "EPOLLRDNORM" }, { EPOLLEXCLUSIVE, "EPOLLEXCLUSIVE" },
		{ EPOLLONESHOT, "EPOLLONESHOT" }, { EPOLLET, "EPOLLET" },
	};
	size_t used = 0;
	buf[0] = '\0';
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (ev & names[i].bit)
			used += (size_t)snprintf(buf + used,
						 used < n ? n - used : 0,
						 "%s%s", used ? "|" : "",
						 names[i].name);
	if (!used)
		snprintf(buf, n, "0");
}

const char *kp_errno_name(int err)
{
	switch (err) {
	case EAGAIN: return "EAGAIN";
	case EBADF: return "EBADF";
	case EINVAL: return "EINVAL";
	case EEXIST: return "EEXIST";
	case ENOENT: return "ENOENT";
	case ENOTSOCK: return "ENOTSOCK";
	case EADDRINUSE: return "EADDRINUSE";
	case EADDRNOTAVAIL: return "EADDRNOTAVAIL";
	case EAFNOSUPPORT: return "EAFNOSUPPORT";
	case EPROTONOSUPPORT: return "EPROTONOSUPPORT";
	case EFAULT: return "EFAULT";
	case EPERM: return "EPERM";
	case ENOMEM: return "ENOMEM";
	case EMFILE: return "EMFILE";
	case EINTR: return "EINTR";
	case ENOPROTOOPT: return "ENOPROTOOPT";
	case ENOTTY: return "ENOTTY";
	case EOPNOTSUPP: return "EOPNOTSUPP";
	case ESOCKTNOSUPPORT: return "ESOCKTNOSUPPORT";
	case EMSGSIZE: return "EMSGSIZE";
	case ENOBUFS: return "ENOBUFS";
	case ECONNREFUSED: return "ECONNREFUSED";
	case ENOTCONN: return "ENOTCONN";
	case EISCONN: return "EISCONN";
	case EDESTADDRREQ: return "EDESTADDRREQ";
	case EPIPE: return "EPIPE";
	case EINPROGRESS: return "EINPROGRESS";
	case EALREADY: return "EALREADY";
	case ECONNRESET: return "ECONNRESET";
	case ETIMEDOUT: return "ETIMEDOUT";
	case ENETUNREACH: return "ENETUNREACH";
	case EHOSTUNREACH: return "EHOSTUNREACH";
	case EACCES: return "EACCES";
	}
	return "E?";
}

/* " = 3" or " = -1 EAGAIN (Resource temporarily unavailable)" */
void kp_strace_result(char *buf, size_t n, long ret, int err)
{
	if (ret >= 0)
		snprintf(buf, n, " = %ld", ret);
	else
		snprintf(buf, n, " = -1 %s (%s)", kp_errno_name(err),
			 strerror(err));
}

static const char *sockopt_name(int optname)
{
	switch (optname) {
	case SO_RCVBUF: return "SO_RCVBUF";
	case SO_SNDBUF: return "SO_SNDBUF";
	case SO_REUSEADDR: return "SO_REUSEADDR";
	case SO_REUSEPORT: return "SO_REUSEPORT";
	case SO_RCVTIMEO: return "SO_RCVTIMEO";
	}
	return "?";
}

/* ---- making the calls ---- */

static void do_recvfrom(struct kp_uproc *p, const struct kp_sys_call *c)
{
	char *data = u_malloc(p, (size_t)c->len + 1);
	char dtext[160], atext[128], res[96];
	struct sockaddr_in peer;
	socklen_t plen = sizeof(peer);
	if (!data)
		return;
	memset(&peer, 0, sizeof(peer));
	long r = (long)u_recvfrom(p, c->fd, data, (size_t)c->len, c->flags,
				  (struct sockaddr *)&peer, &plen);
	kp_strace_result(res, sizeof(res), r, p->err);
	if (r >= 0) {
		kp_strace_data(dtext, sizeof(dtext), data, r);
		kp_strace_sockaddr(atext, sizeof(atext), &peer);
	} else {
		snprintf(dtext, sizeof(dtext), "...");
		snprintf(atext, sizeof(atext), "...");
	}
	u_printf(p, "recvfrom(%d, %s, %d, %s, %s, [%u])%s", c->fd, dtext,
		 c->len, c->flags & MSG_DONTWAIT ? "MSG_DONTWAIT" : "0", atext,
		 (unsigned)plen, res);
	u_free(p, data);
}

static void do_epoll_wait(struct kp_uproc *p, const struct kp_sys_call *c)
{
	struct epoll_event *evs = u_calloc(p, (size_t)c->maxevents, sizeof(*evs));
	char list[512], res[96];
	size_t used = 0;
	if (!evs)
		return;
	long r = u_epoll_wait(p, c->fd, evs, c->maxevents, c->timeout);
	kp_strace_result(res, sizeof(res), r, p->err);
	list[0] = '\0';
	for (long i = 0; i < r && used < sizeof(list); i++) {
		char ev[128];
		fmt_events(ev, sizeof(ev), evs[i].events);
		used += (size_t)snprintf(list + used, sizeof(list) - used,
					 "%s{events=%s, data={u32=%u, u64=%llu}}",
					 i ? ", " : "", ev,
					 (unsigned)evs[i].data,
					 (unsigned long long)evs[i].data);
	}
	u_printf(p, "epoll_wait(%d, [%s], %d, %d)%s", c->fd, list,
		 c->maxevents, c->timeout, res);
	u_free(p, evs);
}

static void do_poll_call(struct kp_uproc *p, const struct kp_sys_call *c)
{
	struct kp_pollfd fds[KP_SYS_MAX_POLLFDS];
	char in[256], outs[256], res[96];
	size_t ui = 0, uo = 0;
	for (int i = 0; i < c->nfds; i++)
		fds[i] = (struct kp_pollfd){ c->pfds[i], KP_POLLIN, 0 };
	long r = u_poll(p, fds, (unsigned int)c->nfds, c->timeout);
	kp_strace_result(res, sizeof(res), r, p->err);
	in[0] = outs[0] = '\0';
	for (int i = 0; i < c->nfds; i++) {
		ui += (size_t)snprintf(in + ui, sizeof(in) - ui,
				       "%s{fd=%d, events=POLLIN}",
				       i ? ", " : "", fds[i].fd);
		if (r > 0 && fds[i].revents)
			uo += (size_t)snprintf(outs + uo, sizeof(outs) - uo,
					       "%s{fd=%d, revents=%s}",
					       uo ? ", " : "", fds[i].fd,
					       fds[i].revents & KP_POLLNVAL
						       ? "POLLNVAL"
						       : "POLLIN");
		if (ui >= sizeof(in) || uo >= sizeof(outs))
			break;
	}
	if (r > 0)
		u_printf(p, "poll([%s], %d, %d)%s ([%s])", in, c->nfds,
			 c->timeout, res, outs);
	else
		u_printf(p, "poll([%s], %d, %d)%s%s", in, c->nfds, c->timeout,
			 res, r == 0 ? " (Timeout)" : "");
}

static void do_select_call(struct kp_uproc *p, const struct kp_sys_call *c)
{
	kp_fd_set rd;
	char in[128], outs[128], res[96];
	size_t ui = 0, uo = 0;
	int n = 0;
	memset(&rd, 0, sizeof(rd));
	for (int i = 0; i < c->nfds; i++) {
		if (c->pfds[i] >= 0 && c->pfds[i] < KP_FD_SETSIZE)
			kp_fd_set_bit(c->pfds[i], &rd);
		if (c->pfds[i] + 1 > n)
			n = c->pfds[i] + 1;
	}
	long r = u_select(p, n, &rd, NULL, NULL, c->timeout);
	kp_strace_result(res, sizeof(res), r, p->err);
	in[0] = outs[0] = '\0';
	for (int i = 0; i < c->nfds && ui < sizeof(in); i++)
		ui += (size_t)snprintf(in + ui, sizeof(in) - ui, "%s%d",
				       i ? " " : "", c->pfds[i]);
	for (int fd = 0; r > 0 && fd < n && uo < sizeof(outs); fd++)
		if (kp_fd_isset(fd, &rd))
			uo += (size_t)snprintf(outs + uo, sizeof(outs) - uo,
					       "%s%d", uo ? " " : "", fd);
	char tv[64] = "NULL";
	if (c->timeout >= 0)
		snprintf(tv, sizeof(tv), "{tv_sec=%d, tv_usec=%d}",
			 c->timeout / 1000, c->timeout % 1000 * 1000);
	if (r > 0)
		u_printf(p, "select(%d, [%s], NULL, NULL, %s)%s (in [%s])", n,
			 in, tv, res, outs);
	else
		u_printf(p, "select(%d, [%s], NULL, NULL, %s)%s%s", n, in, tv,
			 res, r == 0 ? " (Timeout)" : "");
}

static void do_call(struct kp_uproc *p, const struct kp_sys_call *c)
{
	char res[96], a[128];
	long r;
	switch (c->op) {
	case KP_SYS_SOCKET:
		r = u_socket(p, c->family, c->type, c->protocol);
		kp_strace_result(res, sizeof(res), r, p->err);
		u_printf(p, "socket(AF_INET, %s%s, %s)%s",
			 (c->type & 0xf) == SOCK_STREAM ? "SOCK_STREAM"
							: "SOCK_DGRAM",
			 c->type & SOCK_NONBLOCK ? "|SOCK_NONBLOCK" : "",
			 c->protocol ? "IPPROTO_UDP" : "IPPROTO_IP", res);
		break;
	case KP_SYS_BIND:
		r = u_bind(p, c->fd, (const struct sockaddr *)&c->addr,
			   sizeof(c->addr));
		kp_strace_result(res, sizeof(res), r, p->err);
		kp_strace_sockaddr(a, sizeof(a), &c->addr);
		u_printf(p, "bind(%d, %s, %zu)%s", c->fd, a, sizeof(c->addr),
			 res);
		break;
	case KP_SYS_RECVFROM:
		do_recvfrom(p, c);
		break;
	case KP_SYS_EPOLL_CREATE1:
		r = u_epoll_create1(p, c->flags);
		kp_strace_result(res, sizeof(res), r, p->err);
		u_printf(p, "epoll_create1(%s)%s",
			 c->flags ? "EPOLL_CLOEXEC" : "0", res);
		break;
	case KP_SYS_EPOLL_CTL: {
		static const char *const ops[] = { "?", "EPOLL_CTL_ADD",
						   "EPOLL_CTL_DEL",
						   "EPOLL_CTL_MOD" };
		struct epoll_event ev = { c->events, (uint64_t)c->fd2 };
		r = u_epoll_ctl(p, c->fd, c->ctl_op, c->fd2, &ev);
		kp_strace_result(res, sizeof(res), r, p->err);
		if (c->ctl_op == EPOLL_CTL_DEL) {
			snprintf(a, sizeof(a), "NULL");
		} else {
			char evs[96];
			fmt_events(evs, sizeof(evs), c->events);
			snprintf(a, sizeof(a),
				 "{events=%s, data={u32=%d, u64=%d}}", evs,
				 c->fd2, c->fd2);
		}
		u_printf(p, "epoll_ctl(%d, %s, %d, %s)%s", c->fd,
			 ops[c->ctl_op >= 1 && c->ctl_op <= 3 ? c->ctl_op : 0],
			 c->fd2, a, res);
		break;
	}
	case KP_SYS_EPOLL_WAIT:
		do_epoll_wait(p, c);
		break;
	case KP_SYS_CLOSE:
		r = u_close(p, c->fd);
		kp_strace_result(res, sizeof(res), r, p->err);
		u_printf(p, "close(%d)%s", c->fd, res);
		break;
	case KP_SYS_SETSOCKOPT:
		if (c->optname == SO_RCVTIMEO) {
			struct timeval tv = { c->optval / 1000,
					      (c->optval % 1000) * 1000 };
			r = u_setsockopt(p, c->fd, c->level, c->optname, &tv,
					 sizeof(tv));
			kp_strace_result(res, sizeof(res), r, p->err);
			u_printf(p, "setsockopt(%d, SOL_SOCKET, SO_RCVTIMEO, "
				    "{tv_sec=%ld, tv_usec=%ld}, %zu)%s",
				 c->fd, (long)tv.tv_sec, (long)tv.tv_usec,
				 sizeof(tv), res);
			break;
		}
		r = u_setsockopt(p, c->fd, c->level, c->optname, &c->optval,
				 sizeof(int));
		kp_strace_result(res, sizeof(res), r, p->err);
		u_printf(p, "setsockopt(%d, SOL_SOCKET, %s, [%d], %zu)%s",
			 c->fd, sockopt_name(c->optname), c->optval,
			 sizeof(int), res);
		break;
	case KP_SYS_FCNTL_NONBLOCK: {
		long fl = u_fcntl(p, c->fd, F_GETFL, 0);
		if (fl >= 0)
			fl = c->optval ? (fl | O_NONBLOCK) : (fl & ~O_NONBLOCK);
		r = fl < 0 ? fl : u_fcntl(p, c->fd, F_SETFL, fl);
		kp_strace_result(res, sizeof(res), r, p->err);
		u_printf(p, "fcntl(%d, F_SETFL, %s)%s", c->fd,
			 c->optval ? "O_RDWR|O_NONBLOCK" : "O_RDWR", res);
		break;
	}
	case KP_SYS_POLL:
		do_poll_call(p, c);
		break;
	case KP_SYS_SELECT:
		do_select_call(p, c);
		break;
	case KP_SYS_EXIT:
		break;
	case KP_SYS_CONNECT:
	case KP_SYS_SENDTO:
	case KP_SYS_LISTEN:
	case KP_SYS_ACCEPT:
	case KP_SYS_SHUTDOWN:
	case KP_SYS_IOCTL:
		kp_manual_do_net(p, c);
		break;
	}
}

static int manual_main(struct kp_uproc *p, int argc, char **argv)
{
	(void)argc;
	(void)argv;
	struct kp_manual *m = calloc(1, sizeof(*m));
	if (!m)
		return 1;
	p->state = m;
	for (;;) {
		U_SYSCALL(p, manual_wait(m));
		m->call = m->queue[m->head++ % KP_MANUAL_QUEUE];
		if (m->call.op == KP_SYS_EXIT) {
			m->done++;
			u_printf(p, "exit(%d) = ?", m->call.code);
			return m->call.code;
		}
		m->in_call = true;
		do_call(p, &m->call);
		m->in_call = false;
		m->done++;
	}
}

const struct kp_user_program kp_uprog_manual = {
	.name = "manual",
	.usage = "manual",
	.summary = "a task driven by hand: makes the system calls 'sys' posts",
	.help = "Waits for the system calls the user posts with 'sys PID "
		"CALL ...' (see 'help sys'), makes each one through the libc "
		"wrappers, and prints it with its result as strace does.  A "
		"call that blocks (recvfrom, epoll_wait) leaves the task "
		"asleep; its line appears when it returns.  'task new HOST "
		"[NAME]' starts one.",
	.main = manual_main,
};
