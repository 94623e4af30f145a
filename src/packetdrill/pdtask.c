/*
 * pdtask.c - the task that makes a packetdrill script's system calls
 * (see pdtask.h).  Mirrors what packetdrill's run_system_call.c does in
 * user space; the calls go through src/user/libc.c into the emulated
 * kernel (ioctl straight into sys_ioctl: libc.c has no wrapper).  Left
 * out: sendfile, splice, control messages (readv/writev and sendmsg/
 * recvmsg go as one buffer of the iovecs' total length).
 */
#include "pdtask.h"

#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>

#include "engine/world.h"
#include "sched/host.h"
#include "sched/sched.h"
#include "sched/smp.h"
#include "user/libc.h"
#include "user/uprog.h"

static int pdtask_main(struct kp_uproc *p, int argc, char **argv);

static const struct kp_user_program pd_prog = {
	.name = "packetdrill",
	.usage = "packetdrill",
	.summary = "the task a packetdrill script's system calls run in",
	.help = "Started by the packetdrill command; makes each system call "
		"of the script when its time comes.",
	.main = pdtask_main,
};

void pd_task_put(struct pd_task *pt)
{
	if (pt && --pt->refs == 0) {
		free(pt->buf);
		free(pt);
	}
}

static void pd_uproc_free(void *arg)
{
	struct kp_uproc *p = arg;
	struct pd_task *pt = p->state;
	if (pt)
		pt->exited = true;
	pd_task_put(pt);
	p->state = NULL;
	free(p);
}

/* Kernel half of "wait for the next call". */
static long pd_wait(struct pd_task *pt)
{
	for (;;) {
		set_current_state(TASK_INTERRUPTIBLE);
		if (pt->posted)
			break;
		pt->waiting = true;
		schedule();
		pt->waiting = false;
	}
	set_current_state(TASK_RUNNING);
	return 0;
}

#define PD_TCP_INFO 11 /* TCP_INFO (netinet/tcp.h clashes with tcp.h) */

/* getsockopt(SOL_TCP, TCP_INFO) into Linux's struct tcp_info layout */
static long get_tcp_info(struct kp_uproc *p, int fd, struct pd_result *out)
{
	socklen_t len = sizeof(out->info);
	memset(&out->info, 0, sizeof(out->info));
	long r = u_getsockopt(p, fd, IPPROTO_TCP, PD_TCP_INFO, &out->info,
			      &len);
	out->have_info = r == 0;
	out->optlen = (int)len;
	return r;
}

static long do_call(struct kp_uproc *p, struct pd_task *pt,
		    const struct pd_call *c)
{
	struct sockaddr_in sin = { .sin_family = AF_INET,
				   .sin_port = c->port,
				   .sin_addr.s_addr = c->addr };
	/* the user buffer of read/write: on the heap, kept in pt so that
	 * a world torn down during a blocking call frees it */
	long len = c->len < 0 ? 0 : c->len > PD_MAX_IO ? PD_MAX_IO : c->len;
	if ((size_t)len + 1 > pt->buf_size) {
		char *nb = realloc(pt->buf, (size_t)len + 1);
		if (!nb)
			return U_SYSCALL(p, -ENOMEM);
		pt->buf = nb;
		pt->buf_size = (size_t)len + 1;
	}
	char *buf = pt->buf;
	int iv;
	socklen_t sl;
	switch (c->op) {
	case PD_OP_SOCKET:
		return u_socket(p, c->a, c->b, c->c);
	case PD_OP_BIND:
		return u_bind(p, c->fd, (struct sockaddr *)&sin, sizeof(sin));
	case PD_OP_LISTEN:
		return u_listen(p, c->fd, c->a);
	case PD_OP_ACCEPT:
		sl = sizeof(sin);
		return u_accept(p, c->fd, (struct sockaddr *)&sin, &sl);
	case PD_OP_CONNECT:
		return u_connect(p, c->fd, (struct sockaddr *)&sin,
				 sizeof(sin));
	case PD_OP_READ:
		return u_read(p, c->fd, buf, (size_t)len);
	case PD_OP_RECV:
		return u_recv(p, c->fd, buf, (size_t)len, c->flags);
	case PD_OP_WRITE:
		memset(buf, 'x', (size_t)len);
		return u_write(p, c->fd, buf, (size_t)len);
	case PD_OP_SEND:
		memset(buf, 'x', (size_t)len);
		return u_send(p, c->fd, buf, (size_t)len, c->flags);
	case PD_OP_CLOSE:
		return u_close(p, c->fd);
	case PD_OP_SHUTDOWN:
		return u_shutdown(p, c->fd, c->a);
	case PD_OP_SETSOCKOPT:
		if (c->is_linger) {
			struct linger lg = { c->linger_onoff, c->linger_secs };
			return u_setsockopt(p, c->fd, c->a, c->b, &lg,
					    sizeof(lg));
		}
		iv = (int)c->val;
		return u_setsockopt(p, c->fd, c->a, c->b, &iv, sizeof(iv));
	case PD_OP_GETSOCKOPT: {
		if (c->want_info)
			return get_tcp_info(p, c->fd, &pt->out);
		iv = 0;
		sl = sizeof(iv);
		long r = u_getsockopt(p, c->fd, c->a, c->b, &iv, &sl);
		pt->out.optval = iv;
		pt->out.optlen = (int)sl;
		return r;
	}
	case PD_OP_TCP_INFO:
		return get_tcp_info(p, c->fd, &pt->out);
	case PD_OP_FCNTL:
		return u_fcntl(p, c->fd, c->a, c->val);
	case PD_OP_SENDMSG:
	case PD_OP_RECVMSG: {
		struct iovec iov = { buf, (size_t)len };
		struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1 };
		if (c->op == PD_OP_RECVMSG)
			return u_recvmsg(p, c->fd, &msg, c->flags);
		memset(buf, 'x', (size_t)len);
		return u_sendmsg(p, c->fd, &msg, c->flags);
	}
	case PD_OP_IOCTL: {
		iv = 0;
		long r = U_SYSCALL(p, sys_ioctl(c->fd, (unsigned int)c->a,
						(unsigned long)&iv));
		pt->out.optval = iv;
		return r;
	}
	case PD_OP_POLL:
		memcpy(pt->out.pfd, c->pfd, sizeof(c->pfd));
		return u_poll(p, pt->out.pfd, (unsigned)c->nfds, c->timeout);
	case PD_OP_EPOLL_CREATE:
		return u_epoll_create1(p, c->a);
	case PD_OP_EPOLL_CTL: {
		struct epoll_event ev = c->ev;
		return u_epoll_ctl(p, c->fd, c->a, c->b, &ev);
	}
	case PD_OP_EPOLL_WAIT:
		memset(pt->out.ev, 0, sizeof(pt->out.ev));
		return u_epoll_wait(p, c->fd, pt->out.ev, c->nfds, c->timeout);
	case PD_OP_EXIT:
		break;
	}
	return 0;
}

static int pdtask_main(struct kp_uproc *p, int argc, char **argv)
{
	(void)argc;
	(void)argv;
	struct pd_task *pt = p->state;
	for (;;) {
		U_SYSCALL(p, pd_wait(pt));
		struct pd_call c = pt->call;
		pt->posted = false;
		if (c.op == PD_OP_EXIT) {
			pt->done = true;
			return 0;
		}
		pt->in_call = true;
		p->err = 0;
		long r = do_call(p, pt, &c);
		pt->ret = r;
		pt->err = r < 0 ? p->err : 0;
		pt->in_call = false;
		pt->done_at = kp_world_time(pt->w);
		pt->done = true;
		if (!pt->detached)
			kp_world_request_stop(pt->w,
					      "packetdrill: system call done");
	}
}

static void pd_task_body(void *arg)
{
	struct kp_uproc *p = arg;
	kp_task_set_user(true);
	int code = p->prog->main(p, p->argc, p->argv);
	kp_task_set_user(false);
	do_exit(code);
}

static void spawn_on_cpu(void *info)
{
	struct kp_uproc *p = info;
	struct pd_task *pt = p->state;
	struct task_struct *t = kp_task_create(p->host, "packetdrill",
					       pd_task_body, p, -1, false);
	if (!t)
		return;
	pt->pid = t->pid;
	pt->refs++;
	t->user = p;
	t->arg_free = pd_uproc_free;
	wake_up_process(t);
}

static void spawn_free(void *info)
{
	struct kp_uproc *p = info;
	struct pd_task *pt = p->state;
	if (pt && pt->pid)
		return; /* the task owns p */
	free(p);
}

struct pd_task *pd_task_start(struct kp_host *h)
{
	struct pd_task *pt = calloc(1, sizeof(*pt));
	struct kp_uproc *p = calloc(1, sizeof(*p));
	if (!pt || !p) {
		free(pt);
		free(p);
		return NULL;
	}
	pt->refs = 1;
	pt->h = h;
	pt->w = h->world;
	p->prog = &pd_prog;
	p->host = h;
	p->state = pt;
	if (kp_host_call(h, 0, spawn_on_cpu, p, spawn_free) < 0) {
		pd_task_put(pt);
		return NULL;
	}
	return pt;
}

struct pd_wake {
	struct kp_host *h;
	pid_t pid;
	struct pd_task *pt;
};

static void wake_on_cpu(void *info)
{
	struct pd_wake *pw = info;
	struct task_struct *t = kp_task_find(pw->h, pw->pid);
	if (t && pw->pt->waiting && !pw->pt->exited)
		wake_up_process(t);
}

static void wake_free(void *info)
{
	struct pd_wake *pw = info;
	pd_task_put(pw->pt);
	free(pw);
}

int pd_task_post(struct pd_task *pt, const struct pd_call *c)
{
	if (!pt->pid || pt->exited)
		return -ESRCH;
	if (pt->posted || pt->in_call)
		return -EBUSY;
	pt->call = *c;
	pt->posted = true;
	pt->done = false;
	struct pd_wake *pw = malloc(sizeof(*pw));
	if (!pw)
		return -ENOMEM;
	*pw = (struct pd_wake){ pt->h, pt->pid, pt };
	pt->refs++;
	return kp_host_call(pt->h, 0, wake_on_cpu, pw, wake_free);
}
