/*
 * sysresult.c - checking what a script's system call returned
 * (packetdrill's run_system_call.c, the "expected result" half): the
 * result and errno, an fd from socket/accept/epoll_create mapped to the
 * script's number, and the values calls fill in: getsockopt's int or
 * struct tcp_info fields, ioctl's [N], poll's revents, epoll_wait's
 * events and data.  Messages as packetdrill prints them.
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

static int check_outputs(struct pd_run *r, const struct pd_syscall *sc,
			 long ret)
{
	struct pd_task *pt = r->pt;
	const struct pd_call *c = &pt->call;
	long v;
	bool found;
	if (c->op == PD_OP_GETSOCKOPT && c->want_info)
		return pd_check_tcp_info(r, "runtime error in getsockopt call",
				      sc->args[3], &pt->out.info);
	if (c->op == PD_OP_GETSOCKOPT && strcmp(sc->args[3], "...")) {
		if (pd_expr(r, sc->args[3], &v) < 0)
			return -1;
		if (v != pt->out.optval &&
		    (uint32_t)v != (uint32_t)pt->out.optval) {
			snprintf(r->err, sizeof(r->err),
				 "runtime error in getsockopt call: Bad "
				 "getsockopt optval: expected: %ld actual: %ld",
				 v, pt->out.optval);
			return -1;
		}
	}
	if (c->op == PD_OP_IOCTL && strcmp(sc->args[2], "...")) {
		if (pd_expr(r, sc->args[2], &v) < 0)
			return -1;
		if (v != pt->out.optval) {
			snprintf(r->err, sizeof(r->err),
				 "runtime error in ioctl call: Bad ioctl "
				 "value: expected: %ld actual: %ld", v,
				 pt->out.optval);
			return -1;
		}
	}
	if (c->op == PD_OP_POLL) {
		char g[PD_ARG_LEN];
		const char *p = sc->args[0];
		for (int i = 0; i < c->nfds && pd_next_group(&p, g, sizeof(g));
		     i++) {
			if (pd_field_expr(r, g, "revents", &v, &found) < 0)
				return -1;
			if (found && (short)v != pt->out.pfd[i].revents) {
				snprintf(r->err, sizeof(r->err),
					 "runtime error in poll call: Bad "
					 "revents for pollfd %d: expected: "
					 "0x%lx actual: 0x%x", i, v,
					 (unsigned)(unsigned short)
						 pt->out.pfd[i].revents);
				return -1;
			}
		}
	}
	if (c->op == PD_OP_EPOLL_WAIT && ret > 0) {
		char g[PD_ARG_LEN];
		const char *p = sc->args[1];
		for (int i = 0; i < ret && i < PD_MAX_POLL &&
				pd_next_group(&p, g, sizeof(g)); i++) {
			uint64_t data;
			if (pd_field_expr(r, g, "events", &v, &found) < 0 ||
			    pd_epoll_data(r, g, &data) < 0)
				return -1;
			if (found && (uint32_t)v != pt->out.ev[i].events) {
				snprintf(r->err, sizeof(r->err),
					 "runtime error in epoll_wait call: "
					 "Bad events for event %d: expected: "
					 "0x%x actual: 0x%x", i, (uint32_t)v,
					 pt->out.ev[i].events);
				return -1;
			}
			if (data != pt->out.ev[i].data) {
				snprintf(r->err, sizeof(r->err),
					 "runtime error in epoll_wait call: "
					 "Bad data for event %d: expected: "
					 "%llu actual: %llu", i,
					 (unsigned long long)data,
					 (unsigned long long)pt->out.ev[i].data);
				return -1;
			}
		}
	}
	return 0;
}

int pd_syscall_check(struct pd_run *r, const struct pd_event *ev)
{
	const struct pd_syscall *sc = &ev->sc;
	struct pd_task *pt = r->pt;
	long ret = pt->ret;
	int want_err = 0;
	if (sc->err_name[0]) {
		want_err = pd_errno_by_name(sc->err_name);
		if (want_err < 0) {
			snprintf(r->err, sizeof(r->err), "unknown errno %s",
				 sc->err_name);
			return -1;
		}
	}
	bool fd_ret = pt->call.op == PD_OP_SOCKET ||
		      pt->call.op == PD_OP_ACCEPT ||
		      pt->call.op == PD_OP_EPOLL_CREATE;
	if (fd_ret && ret >= 0 && sc->ret >= 0 && sc->ret < PD_MAX_FDS) {
		r->fdmap[sc->ret] = (int)ret;
		r->last_fd = (int)sc->ret;
		ret = sc->ret; /* the script's number for it */
	}
	if (pt->call.op == PD_OP_FCNTL && pt->call.a == F_GETFL && ret >= 0)
		ret &= O_ACCMODE | O_NONBLOCK;
	if (ret != sc->ret || (ret < 0 && pt->err != want_err)) {
		if (ret < 0)
			snprintf(r->err, sizeof(r->err),
				 "runtime error in %s call: Expected result %ld "
				 "but got %ld with errno %d (%s)", sc->name,
				 sc->ret, ret, pt->err, strerror(pt->err));
		else
			snprintf(r->err, sizeof(r->err),
				 "runtime error in %s call: Expected result %ld "
				 "but got %ld", sc->name, sc->ret, ret);
		return -1;
	}
	return ret >= 0 ? check_outputs(r, sc, ret) : 0;
}
