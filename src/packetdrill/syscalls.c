/*
 * syscalls.c - a script's system call lines turned into calls for the
 * packetdrill task, and their results checked (packetdrill's
 * run_system_call.c).  Supported: socket, bind, listen, accept, connect,
 * read, write, send, recv, close, shutdown, setsockopt, getsockopt,
 * fcntl (F_GETFL, F_SETFL).  Addresses are always the script's: bind
 * binds the local port 8080, connect goes to the remote at port 8080.
 * The script's fd numbers are mapped to the task's.
 */
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "run.h"
#include "user/manual.h"

static const struct {
	const char *name;
	long v;
} consts[] = {
	{ "AF_INET", AF_INET }, { "PF_INET", AF_INET },
	{ "SOCK_STREAM", SOCK_STREAM }, { "SOCK_DGRAM", SOCK_DGRAM },
	{ "SOCK_NONBLOCK", SOCK_NONBLOCK }, { "IPPROTO_TCP", IPPROTO_TCP },
	{ "IPPROTO_IP", IPPROTO_IP }, { "IPPROTO_UDP", IPPROTO_UDP },
	{ "SOL_SOCKET", SOL_SOCKET }, { "SOL_TCP", IPPROTO_TCP },
	{ "SO_REUSEADDR", SO_REUSEADDR }, { "SO_REUSEPORT", SO_REUSEPORT },
	{ "SO_RCVBUF", SO_RCVBUF }, { "SO_SNDBUF", SO_SNDBUF },
	{ "SO_ERROR", SO_ERROR }, { "SO_KEEPALIVE", SO_KEEPALIVE },
	{ "SO_RCVLOWAT", SO_RCVLOWAT }, { "TCP_NODELAY", TCP_NODELAY },
	{ "TCP_MAXSEG", TCP_MAXSEG }, { "TCP_CORK", TCP_CORK },
	{ "TCP_KEEPIDLE", TCP_KEEPIDLE }, { "TCP_KEEPINTVL", TCP_KEEPINTVL },
	{ "TCP_KEEPCNT", TCP_KEEPCNT }, { "TCP_QUICKACK", TCP_QUICKACK },
	{ "TCP_DEFER_ACCEPT", TCP_DEFER_ACCEPT },
	{ "TCP_USER_TIMEOUT", TCP_USER_TIMEOUT },
	{ "F_GETFL", F_GETFL }, { "F_SETFL", F_SETFL },
	{ "O_RDWR", O_RDWR }, { "O_NONBLOCK", O_NONBLOCK },
	{ "SHUT_RD", SHUT_RD }, { "SHUT_WR", SHUT_WR },
	{ "SHUT_RDWR", SHUT_RDWR }, { "MSG_DONTWAIT", MSG_DONTWAIT },
	{ "MSG_PEEK", MSG_PEEK }, { "MSG_WAITALL", MSG_WAITALL },
	{ "MSG_NOSIGNAL", MSG_NOSIGNAL },
};

static int errno_by_name(const char *name)
{
	for (int e = 1; e < 134; e++) {
		const char *n = kp_errno_name(e);
		if (n && strcmp(n, name) == 0)
			return e;
	}
	return -1;
}

/* "A|B", a number, "[N]", or an errno name (SO_ERROR's value). */
static int expr(struct pd_run *r, const char *text, long *v)
{
	char buf[64], *save = NULL;
	snprintf(buf, sizeof(buf), "%s", text);
	char *p = buf;
	size_t n = strlen(p);
	if (n >= 2 && p[0] == '[' && p[n - 1] == ']') {
		p[n - 1] = '\0';
		p++;
	}
	*v = 0;
	if (!strcmp(p, "..."))
		return 0;
	for (char *tok = strtok_r(p, "| ", &save); tok;
	     tok = strtok_r(NULL, "| ", &save)) {
		char *end;
		long x = strtol(tok, &end, 0);
		if (*end) {
			size_t i;
			for (i = 0; i < sizeof(consts) / sizeof(consts[0]); i++)
				if (strcmp(tok, consts[i].name) == 0)
					break;
			if (i < sizeof(consts) / sizeof(consts[0])) {
				x = consts[i].v;
			} else if (errno_by_name(tok) > 0) {
				x = errno_by_name(tok);
			} else {
				snprintf(r->err, sizeof(r->err),
					 "unknown symbol '%s'", tok);
				return -1;
			}
		}
		*v |= x;
	}
	return 0;
}

static int need(struct pd_run *r, const struct pd_syscall *sc, int n)
{
	if (sc->argc == n)
		return 0;
	snprintf(r->err, sizeof(r->err), "%s takes %d arguments, not %d",
		 sc->name, n, sc->argc);
	return -1;
}

static int fd_arg(struct pd_run *r, const char *text, int *fd)
{
	long v;
	if (expr(r, text, &v) < 0)
		return -1;
	if (v < 0 || v >= PD_MAX_FDS || r->fdmap[v] < 0) {
		snprintf(r->err, sizeof(r->err), "bad file descriptor %ld in "
			 "the script (not from socket or accept)", v);
		return -1;
	}
	*fd = r->fdmap[v];
	return 0;
}

int pd_syscall_start(struct pd_run *r, const struct pd_event *ev)
{
	const struct pd_syscall *sc = &ev->sc;
	struct pd_call c = { 0 };
	long v;
	const char *nm = sc->name;
	if (!strcmp(nm, "socket")) {
		long f, t, p;
		if (need(r, sc, 3) || expr(r, sc->args[0], &f) ||
		    expr(r, sc->args[1], &t) || expr(r, sc->args[2], &p))
			return -1;
		c = (struct pd_call){ .op = PD_OP_SOCKET, .a = AF_INET,
				      .b = (int)t, .c = (int)p };
		(void)f;
	} else if (!strcmp(nm, "bind") || !strcmp(nm, "connect")) {
		if (need(r, sc, 3) || fd_arg(r, sc->args[0], &c.fd))
			return -1;
		bool b = nm[0] == 'b';
		c.op = b ? PD_OP_BIND : PD_OP_CONNECT;
		c.addr = b ? 0 : r->in_addr.saddr;
		c.port = htons(b ? r->local_port : r->remote_port);
	} else if (!strcmp(nm, "listen")) {
		if (need(r, sc, 2) || fd_arg(r, sc->args[0], &c.fd) ||
		    expr(r, sc->args[1], &v))
			return -1;
		c.op = PD_OP_LISTEN;
		c.a = (int)v;
	} else if (!strcmp(nm, "accept")) {
		if (need(r, sc, 3) || fd_arg(r, sc->args[0], &c.fd))
			return -1;
		c.op = PD_OP_ACCEPT;
	} else if (!strcmp(nm, "read") || !strcmp(nm, "write")) {
		if (need(r, sc, 3) || fd_arg(r, sc->args[0], &c.fd) ||
		    expr(r, sc->args[2], &c.len))
			return -1;
		c.op = nm[0] == 'r' ? PD_OP_READ : PD_OP_WRITE;
	} else if (!strcmp(nm, "send") || !strcmp(nm, "recv")) {
		if (need(r, sc, 4) || fd_arg(r, sc->args[0], &c.fd) ||
		    expr(r, sc->args[2], &c.len) || expr(r, sc->args[3], &v))
			return -1;
		c.op = nm[0] == 's' ? PD_OP_SEND : PD_OP_RECV;
		c.flags = (int)v;
	} else if (!strcmp(nm, "close")) {
		if (need(r, sc, 1) || fd_arg(r, sc->args[0], &c.fd))
			return -1;
		c.op = PD_OP_CLOSE;
	} else if (!strcmp(nm, "shutdown")) {
		if (need(r, sc, 2) || fd_arg(r, sc->args[0], &c.fd) ||
		    expr(r, sc->args[1], &v))
			return -1;
		c.op = PD_OP_SHUTDOWN;
		c.a = (int)v;
	} else if (!strcmp(nm, "setsockopt") || !strcmp(nm, "getsockopt")) {
		long lv, on;
		if (need(r, sc, 5) || fd_arg(r, sc->args[0], &c.fd) ||
		    expr(r, sc->args[1], &lv) || expr(r, sc->args[2], &on))
			return -1;
		c.op = nm[0] == 's' ? PD_OP_SETSOCKOPT : PD_OP_GETSOCKOPT;
		c.a = (int)lv;
		c.b = (int)on;
		if (c.op == PD_OP_SETSOCKOPT && expr(r, sc->args[3], &c.val))
			return -1;
	} else if (!strcmp(nm, "fcntl")) {
		if ((sc->argc != 2 && sc->argc != 3) ||
		    fd_arg(r, sc->args[0], &c.fd) || expr(r, sc->args[1], &v)) {
			if (!r->err[0])
				snprintf(r->err, sizeof(r->err),
					 "fcntl(FD, CMD[, ARG]) expected");
			return -1;
		}
		c.op = PD_OP_FCNTL;
		c.a = (int)v;
		if (sc->argc == 3 && expr(r, sc->args[2], &c.val))
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

int pd_syscall_check(struct pd_run *r, const struct pd_event *ev)
{
	const struct pd_syscall *sc = &ev->sc;
	struct pd_task *pt = r->pt;
	long ret = pt->ret;
	int want_err = 0;
	if (sc->err_name[0]) {
		want_err = errno_by_name(sc->err_name);
		if (want_err < 0) {
			snprintf(r->err, sizeof(r->err), "unknown errno %s",
				 sc->err_name);
			return -1;
		}
	}
	bool fd_ret = pt->call.op == PD_OP_SOCKET ||
		      pt->call.op == PD_OP_ACCEPT;
	if (fd_ret && ret >= 0 && sc->ret >= 0 && sc->ret < PD_MAX_FDS) {
		r->fdmap[sc->ret] = (int)ret;
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
	if (pt->call.op == PD_OP_GETSOCKOPT && strcmp(sc->args[3], "...")) {
		long v;
		if (expr(r, sc->args[3], &v) < 0)
			return -1;
		if (v != pt->optval_out) {
			snprintf(r->err, sizeof(r->err),
				 "runtime error in getsockopt call: Bad "
				 "getsockopt optval: expected: %ld actual: %ld",
				 v, pt->optval_out);
			return -1;
		}
	}
	return 0;
}
