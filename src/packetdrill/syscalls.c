/*
 * syscalls.c - a script's system call lines turned into calls for the
 * packetdrill task, and their results checked (packetdrill's
 * run_system_call.c).  Supported: socket, bind, listen, accept, connect,
 * read, write, readv, writev, send, recv, sendto, recvfrom, sendmsg,
 * recvmsg, close, shutdown, setsockopt (ints, SO_LINGER's {onoff=,
 * linger=}), getsockopt (ints, TCP_INFO's {tcpi_...=}), fcntl
 * (F_GETFL, F_SETFL), ioctl (SIOCINQ/FIONREAD, SIOCOUTQ), poll,
 * epoll_create, epoll_create1, epoll_ctl, epoll_wait.  Addresses are
 * always the script's: bind binds the local port 8080, connect goes to
 * the remote at port 8080.  The script's fd numbers are mapped to the
 * task's.  Struct values are read with pd_field (parser.c).  Left out:
 * checking msg_flags and control messages, sendfile, splice.
 */
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

#include "run.h"
#include "sysargs.h"
#include "user/manual.h"

static int need(struct pd_run *r, const struct pd_syscall *sc, int n)
{
	if (sc->argc == n)
		return 0;
	snprintf(r->err, sizeof(r->err), "%s takes %d arguments, not %d",
		 sc->name, n, sc->argc);
	return -1;
}

static int start_sockopt(struct pd_run *r, const struct pd_syscall *sc,
			 struct pd_call *c)
{
	long lv, on;
	if (need(r, sc, 5) || pd_fd_arg(r, sc->args[0], &c->fd) ||
	    pd_expr(r, sc->args[1], &lv) || pd_expr(r, sc->args[2], &on))
		return -1;
	c->op = sc->name[0] == 's' ? PD_OP_SETSOCKOPT : PD_OP_GETSOCKOPT;
	c->a = (int)lv;
	c->b = (int)on;
	if (c->op == PD_OP_GETSOCKOPT) {
		c->want_info = lv == IPPROTO_TCP && on == TCP_INFO;
		return 0;
	}
	if (sc->args[3][0] == '{') {
		long onoff, secs;
		bool f1, f2;
		if (pd_field_expr(r, sc->args[3], "onoff", &onoff, &f1) < 0 ||
		    pd_field_expr(r, sc->args[3], "linger", &secs, &f2) < 0)
			return -1;
		if (!f1 || !f2) {
			snprintf(r->err, sizeof(r->err), "setsockopt: only "
				 "{onoff=N, linger=N} structs are known");
			return -1;
		}
		c->is_linger = true;
		c->linger_onoff = (int)onoff;
		c->linger_secs = (int)secs;
		return 0;
	}
	return pd_expr(r, sc->args[3], &c->val);
}

static int start_poll(struct pd_run *r, const struct pd_syscall *sc,
		      struct pd_call *c)
{
	char g[PD_ARG_LEN];
	const char *p = sc->args[0];
	long v;
	if (need(r, sc, 3))
		return -1;
	c->op = PD_OP_POLL;
	while (pd_next_group(&p, g, sizeof(g))) {
		char fdtext[64];
		bool found;
		if (c->nfds == PD_MAX_POLL) {
			snprintf(r->err, sizeof(r->err), "poll: more than %d "
				 "fds", PD_MAX_POLL);
			return -1;
		}
		struct kp_pollfd *pf = &c->pfd[c->nfds++];
		if (!pd_field(g, "fd", fdtext, sizeof(fdtext)) ||
		    pd_fd_arg(r, fdtext, &pf->fd) < 0 ||
		    pd_field_expr(r, g, "events", &v, &found) < 0) {
			if (!r->err[0])
				snprintf(r->err, sizeof(r->err), "poll: "
					 "{fd=N, events=..., revents=...}");
			return -1;
		}
		pf->events = (short)v;
	}
	if (pd_expr(r, sc->args[1], &v) < 0)
		return -1;
	if (v != c->nfds) {
		snprintf(r->err, sizeof(r->err), "poll: nfds %ld but %d "
			 "pollfds given", v, c->nfds);
		return -1;
	}
	if (pd_expr(r, sc->args[2], &v) < 0)
		return -1;
	c->timeout = (int)v;
	return 0;
}

static int start_epoll(struct pd_run *r, const struct pd_syscall *sc,
		       struct pd_call *c)
{
	long v;
	bool found;
	const char *nm = sc->name;
	if (!strcmp(nm, "epoll_create") || !strcmp(nm, "epoll_create1")) {
		if (need(r, sc, 1) || pd_expr(r, sc->args[0], &v))
			return -1;
		c->op = PD_OP_EPOLL_CREATE;
		c->a = nm[12] == '1' ? (int)v : 0;
		if (nm[12] != '1' && v <= 0)
			c->a = -1; /* epoll_create(0): EINVAL */
		return 0;
	}
	if (!strcmp(nm, "epoll_ctl")) {
		if (need(r, sc, 4) || pd_fd_arg(r, sc->args[0], &c->fd) ||
		    pd_expr(r, sc->args[1], &v))
			return -1;
		c->op = PD_OP_EPOLL_CTL;
		c->a = (int)v;
		uint64_t data;
		if (pd_fd_arg(r, sc->args[2], &c->b) < 0 ||
		    pd_field_expr(r, sc->args[3], "events", &v, &found) < 0 ||
		    pd_epoll_data(r, sc->args[3], &data) < 0)
			return -1;
		c->ev.events = (uint32_t)v;
		c->ev.data = data;
		return 0;
	}
	/* epoll_wait(epfd, events, maxevents, timeout) */
	if (need(r, sc, 4) || pd_fd_arg(r, sc->args[0], &c->fd) ||
	    pd_expr(r, sc->args[2], &v))
		return -1;
	c->op = PD_OP_EPOLL_WAIT;
	c->nfds = v > PD_MAX_POLL ? PD_MAX_POLL : (int)v;
	if (pd_expr(r, sc->args[3], &v) < 0)
		return -1;
	c->timeout = (int)v;
	return 0;
}

int pd_syscall_start(struct pd_run *r, const struct pd_event *ev)
{
	const struct pd_syscall *sc = &ev->sc;
	struct pd_call c = { 0 };
	long v;
	const char *nm = sc->name;
	r->err[0] = '\0';
	if (!strcmp(nm, "socket")) {
		long f, t, p;
		if (need(r, sc, 3) || pd_expr(r, sc->args[0], &f) ||
		    pd_expr(r, sc->args[1], &t) || pd_expr(r, sc->args[2], &p))
			return -1;
		c = (struct pd_call){ .op = PD_OP_SOCKET, .a = AF_INET,
				      .b = (int)t, .c = (int)p };
	} else if (!strcmp(nm, "bind") || !strcmp(nm, "connect")) {
		if (need(r, sc, 3) || pd_fd_arg(r, sc->args[0], &c.fd))
			return -1;
		bool b = nm[0] == 'b';
		c.op = b ? PD_OP_BIND : PD_OP_CONNECT;
		c.addr = b ? 0 : r->in_addr.saddr;
		c.port = htons(b ? r->local_port : r->remote_port);
	} else if (!strcmp(nm, "listen")) {
		if (need(r, sc, 2) || pd_fd_arg(r, sc->args[0], &c.fd) ||
		    pd_expr(r, sc->args[1], &v))
			return -1;
		c.op = PD_OP_LISTEN;
		c.a = (int)v;
	} else if (!strcmp(nm, "accept") || !strcmp(nm, "accept4")) {
		if (sc->argc < 3 || pd_fd_arg(r, sc->args[0], &c.fd)) {
			if (!r->err[0])
				snprintf(r->err, sizeof(r->err),
					 "accept(FD, ..., ...) expected");
			return -1;
		}
		c.op = PD_OP_ACCEPT;
	} else if (!strcmp(nm, "read") || !strcmp(nm, "write")) {
		if (need(r, sc, 3) || pd_fd_arg(r, sc->args[0], &c.fd) ||
		    pd_expr(r, sc->args[2], &c.len))
			return -1;
		c.op = nm[0] == 'r' ? PD_OP_READ : PD_OP_WRITE;
	} else if (!strcmp(nm, "readv") || !strcmp(nm, "writev")) {
		if (need(r, sc, 3) || pd_fd_arg(r, sc->args[0], &c.fd) ||
		    pd_iov_total(r, sc->args[1], &c.len))
			return -1;
		c.op = nm[0] == 'r' ? PD_OP_READ : PD_OP_WRITE;
	} else if (!strcmp(nm, "send") || !strcmp(nm, "recv") ||
		   !strcmp(nm, "sendto") || !strcmp(nm, "recvfrom")) {
		if (sc->argc < 4 || pd_fd_arg(r, sc->args[0], &c.fd) ||
		    pd_expr(r, sc->args[2], &c.len) ||
		    pd_expr(r, sc->args[3], &v)) {
			if (!r->err[0])
				snprintf(r->err, sizeof(r->err), "%s takes 4 "
					 "arguments or more", nm);
			return -1;
		}
		c.op = nm[0] == 's' ? PD_OP_SEND : PD_OP_RECV;
		c.flags = (int)v;
	} else if (!strcmp(nm, "sendmsg") || !strcmp(nm, "recvmsg")) {
		if (need(r, sc, 3) || pd_fd_arg(r, sc->args[0], &c.fd) ||
		    pd_iov_total(r, sc->args[1], &c.len) ||
		    pd_expr(r, sc->args[2], &v))
			return -1;
		c.op = nm[0] == 's' ? PD_OP_SENDMSG : PD_OP_RECVMSG;
		c.flags = (int)v;
	} else if (!strcmp(nm, "close")) {
		if (need(r, sc, 1) || pd_fd_arg(r, sc->args[0], &c.fd))
			return -1;
		c.op = PD_OP_CLOSE;
	} else if (!strcmp(nm, "shutdown")) {
		if (need(r, sc, 2) || pd_fd_arg(r, sc->args[0], &c.fd) ||
		    pd_expr(r, sc->args[1], &v))
			return -1;
		c.op = PD_OP_SHUTDOWN;
		c.a = (int)v;
	} else if (!strcmp(nm, "setsockopt") || !strcmp(nm, "getsockopt")) {
		if (start_sockopt(r, sc, &c) < 0)
			return -1;
	} else if (!strcmp(nm, "fcntl")) {
		if ((sc->argc != 2 && sc->argc != 3) ||
		    pd_fd_arg(r, sc->args[0], &c.fd) ||
		    pd_expr(r, sc->args[1], &v)) {
			if (!r->err[0])
				snprintf(r->err, sizeof(r->err),
					 "fcntl(FD, CMD[, ARG]) expected");
			return -1;
		}
		c.op = PD_OP_FCNTL;
		c.a = (int)v;
		if (sc->argc == 3 && pd_expr(r, sc->args[2], &c.val))
			return -1;
	} else if (!strcmp(nm, "ioctl")) {
		if (need(r, sc, 3) || pd_fd_arg(r, sc->args[0], &c.fd) ||
		    pd_expr(r, sc->args[1], &v))
			return -1;
		c.op = PD_OP_IOCTL;
		c.a = (int)v;
	} else if (!strcmp(nm, "poll")) {
		if (start_poll(r, sc, &c) < 0)
			return -1;
	} else if (!strncmp(nm, "epoll_", 6)) {
		if (start_epoll(r, sc, &c) < 0)
			return -1;
	} else {
		snprintf(r->err, sizeof(r->err), "unsupported system call: %s",
			 nm);
		return -1;
	}
	int e = pd_task_post(r->pt, &c);
	if (e < 0) {
		snprintf(r->err, sizeof(r->err), "cannot run %s: %s", nm,
			 strerror(-e));
		return -1;
	}
	return 0;
}
