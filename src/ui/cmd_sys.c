/*
 * cmd_sys.c - `sys [HOST] PID CALL ARGS...`: one system call for a task
 * started with `task new`.  The call is parsed here, posted to the task
 * (user/manual.h), and the world runs until idle; the task prints the
 * call as strace does when it returns.  A call still blocked when the
 * run ends is reported as <unfinished ...> with where the task sleeps.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "complete.h"
#include "net/eventpoll.h"
#include "net/socket.h"
#include "proc_pid.h"
#include "sched/host.h"
#include "session.h"
#include "task_ref.h"
#include "user/manual.h"

static bool parse_int(const char *s, int *v)
{
	char *end;
	long l = strtol(s, &end, 10);
	if (!*s || *end || l < -2147483647L || l > 2147483647L)
		return false;
	*v = (int)l;
	return true;
}

/* "ADDR:PORT", ":PORT", "*:PORT" or "PORT" */
static bool parse_addr(const char *s, struct sockaddr_in *sin)
{
	char host[64];
	const char *colon = strrchr(s, ':');
	int port;
	memset(sin, 0, sizeof(*sin));
	sin->sin_family = AF_INET;
	if (!colon)
		return parse_int(s, &port) && port >= 0 && port < 65536 &&
		       (sin->sin_port = htons((uint16_t)port), true);
	size_t n = (size_t)(colon - s);
	if (n >= sizeof(host) || !parse_int(colon + 1, &port) || port < 0 ||
	    port > 65535)
		return false;
	memcpy(host, s, n);
	host[n] = '\0';
	sin->sin_port = htons((uint16_t)port);
	if (n == 0 || strcmp(host, "*") == 0)
		return true;
	return inet_pton(AF_INET, host, &sin->sin_addr) == 1;
}

static int parse_sockopt(const char *s)
{
	static const struct {
		const char *name;
		int opt;
	} opts[] = {
		{ "SO_RCVBUF", SO_RCVBUF },       { "SO_SNDBUF", SO_SNDBUF },
		{ "SO_REUSEADDR", SO_REUSEADDR }, { "SO_REUSEPORT", SO_REUSEPORT },
		{ "SO_RCVTIMEO", SO_RCVTIMEO },
	};
	for (size_t i = 0; i < sizeof(opts) / sizeof(opts[0]); i++)
		if (strcasecmp(s, opts[i].name) == 0 ||
		    strcasecmp(s, opts[i].name + 3) == 0)
			return opts[i].opt;
	return -1;
}

/* Fill @c from "CALL ARGS..."; an error message in @err. */
static bool parse_call(int argc, char **argv, struct kp_sys_call *c,
		       const char **err)
{
	const char *call = argv[0];
	memset(c, 0, sizeof(*c));
	*err = NULL;
	if (strcmp(call, "socket") == 0) {
		c->op = KP_SYS_SOCKET;
		c->family = AF_INET;
		c->type = SOCK_DGRAM;
		for (int i = 1; i < argc; i++) {
			if (strcmp(argv[i], "inet") == 0)
				c->family = AF_INET;
			else if (strcmp(argv[i], "dgram") == 0)
				c->type = (c->type & ~0xf) | SOCK_DGRAM;
			else if (strcmp(argv[i], "stream") == 0)
				c->type = (c->type & ~0xf) | SOCK_STREAM;
			else if (strcmp(argv[i], "nonblock") == 0)
				c->type |= SOCK_NONBLOCK;
			else
				return *err = "socket [inet] [dgram|stream] "
					      "[nonblock]", false;
		}
		return true;
	}
	if (strcmp(call, "bind") == 0) {
		c->op = KP_SYS_BIND;
		if (argc != 3 || !parse_int(argv[1], &c->fd) ||
		    !parse_addr(argv[2], &c->addr))
			return *err = "bind FD ADDR:PORT", false;
		return true;
	}
	if (strcmp(call, "recvfrom") == 0 || strcmp(call, "recv") == 0) {
		c->op = KP_SYS_RECVFROM;
		c->len = 2048;
		if (argc < 2 || !parse_int(argv[1], &c->fd))
			return *err = "recvfrom FD [LEN] [dontwait]", false;
		for (int i = 2; i < argc; i++) {
			if (strcmp(argv[i], "dontwait") == 0)
				c->flags |= MSG_DONTWAIT;
			else if (!parse_int(argv[i], &c->len) || c->len < 0 ||
				 c->len > 65536)
				return *err = "recvfrom FD [LEN] [dontwait] "
					      "(LEN up to 65536)", false;
		}
		return true;
	}
	if (strcmp(call, "epoll_create1") == 0 ||
	    strcmp(call, "epoll_create") == 0) {
		c->op = KP_SYS_EPOLL_CREATE1;
		if (argc > 1 && strcmp(argv[1], "cloexec") == 0)
			c->flags = O_CLOEXEC;
		else if (argc > 1)
			return *err = "epoll_create1 [cloexec]", false;
		return true;
	}
	if (strcmp(call, "epoll_ctl") == 0) {
		c->op = KP_SYS_EPOLL_CTL;
		const char *use = "epoll_ctl EPFD add|mod|del FD [in] [out] "
				  "[et] [oneshot] [exclusive]";
		if (argc < 4 || !parse_int(argv[1], &c->fd) ||
		    !parse_int(argv[3], &c->fd2))
			return *err = use, false;
		if (strcmp(argv[2], "add") == 0)
			c->ctl_op = EPOLL_CTL_ADD;
		else if (strcmp(argv[2], "mod") == 0)
			c->ctl_op = EPOLL_CTL_MOD;
		else if (strcmp(argv[2], "del") == 0)
			c->ctl_op = EPOLL_CTL_DEL;
		else
			return *err = use, false;
		for (int i = 4; i < argc; i++) {
			if (strcmp(argv[i], "in") == 0)
				c->events |= EPOLLIN;
			else if (strcmp(argv[i], "out") == 0)
				c->events |= EPOLLOUT;
			else if (strcmp(argv[i], "et") == 0)
				c->events |= EPOLLET;
			else if (strcmp(argv[i], "oneshot") == 0)
				c->events |= EPOLLONESHOT;
			else if (strcmp(argv[i], "exclusive") == 0)
				c->events |= EPOLLEXCLUSIVE;
			else
				return *err = use, false;
		}
		if (c->ctl_op != EPOLL_CTL_DEL &&
		    !(c->events & (EPOLLIN | EPOLLOUT)))
			c->events |= EPOLLIN;
		return true;
	}
	if (strcmp(call, "epoll_wait") == 0) {
		c->op = KP_SYS_EPOLL_WAIT;
		c->maxevents = 8;
		c->timeout = -1;
		if (argc < 2 || argc > 4 || !parse_int(argv[1], &c->fd) ||
		    (argc > 2 && (!parse_int(argv[2], &c->maxevents) ||
				  c->maxevents > 1024)) ||
		    (argc > 3 && !parse_int(argv[3], &c->timeout)))
			return *err = "epoll_wait EPFD [MAX] [TIMEOUT_MS] "
				      "(MAX up to 1024)", false;
		return true;
	}
	if (strcmp(call, "close") == 0) {
		c->op = KP_SYS_CLOSE;
		if (argc != 2 || !parse_int(argv[1], &c->fd))
			return *err = "close FD", false;
		return true;
	}
	if (strcmp(call, "setsockopt") == 0) {
		c->op = KP_SYS_SETSOCKOPT;
		c->level = SOL_SOCKET;
		if (argc != 4 || !parse_int(argv[1], &c->fd) ||
		    (c->optname = parse_sockopt(argv[2])) < 0 ||
		    !parse_int(argv[3], &c->optval))
			return *err = "setsockopt FD SO_RCVBUF|SO_SNDBUF|"
				      "SO_REUSEADDR|SO_REUSEPORT|SO_RCVTIMEO N "
				      "(SO_RCVTIMEO in ms)", false;
		return true;
	}
	if (strcmp(call, "nonblock") == 0) {
		c->op = KP_SYS_FCNTL_NONBLOCK;
		c->optval = 1;
		if (argc < 2 || argc > 3 || !parse_int(argv[1], &c->fd) ||
		    (argc == 3 && !parse_int(argv[2], &c->optval)))
			return *err = "nonblock FD [0|1]", false;
		return true;
	}
	if (strcmp(call, "poll") == 0 || strcmp(call, "select") == 0) {
		c->op = call[0] == 'p' ? KP_SYS_POLL : KP_SYS_SELECT;
		c->timeout = -1;
		const char *use = "poll|select FD[,FD...] [TIMEOUT_MS] (at most "
				  "8 fds, read readiness)";
		if (argc < 2 || argc > 3 ||
		    (argc == 3 && !parse_int(argv[2], &c->timeout)))
			return *err = use, false;
		char list[128];
		snprintf(list, sizeof(list), "%s", argv[1]);
		for (char *save = NULL, *tok = strtok_r(list, ",", &save); tok;
		     tok = strtok_r(NULL, ",", &save)) {
			if (c->nfds == KP_SYS_MAX_POLLFDS ||
			    !parse_int(tok, &c->pfds[c->nfds]) ||
			    c->pfds[c->nfds] < 0 || c->pfds[c->nfds] >= 1024)
				return *err = use, false;
			c->nfds++;
		}
		if (!c->nfds)
			return *err = use, false;
		return true;
	}
	if (strcmp(call, "exit") == 0) {
		c->op = KP_SYS_EXIT;
		if (argc > 2 || (argc == 2 && !parse_int(argv[1], &c->code)))
			return *err = "exit [CODE]", false;
		return true;
	}
	/* connect, sendto, send, listen, accept, shutdown (user/manual.h) */
	int net = kp_manual_parse_net(argc, argv, c, err);
	if (net)
		return net > 0;
	*err = "the calls are socket, bind, recvfrom, epoll_create1, "
	       "epoll_ctl, epoll_wait, poll, select, close, setsockopt, "
	       "nonblock, exit, connect, listen, accept, sendto, send, "
	       "shutdown";
	return false;
}

static int cmd_sys(struct kp_session *s, int argc, char **argv,
		   struct kp_out *out)
{
	int used = 0;
	struct task_struct *t = kp_cmd_task_ref(s, out, argc, argv, &used);
	struct kp_sys_call call;
	const char *err;
	if (!t)
		return -ENOENT;
	argc -= used;
	argv += used;
	struct kp_manual *m = kp_manual_of(t);
	if (!m)
		return kp_cmd_error(s, out, "%s/%d is not driven by hand; "
					    "start one with 'task new %s'",
				    t->comm, (int)t->pid, t->host->name);
	if (argc < 1)
		return KP_CMD_USAGE;
	if (!parse_call(argc, argv, &call, &err))
		return kp_cmd_error(s, out, "sys: %s", err);
	int ret = kp_manual_post(t, &call);
	if (ret < 0)
		return kp_cmd_error(s, out, "could not post the call (%s)",
				    strerror(-ret));
	unsigned long seq = m->posted;
	struct kp_host *h = t->host;
	pid_t pid = t->pid;
	enum kp_stop_reason why = kp_session_run(s, KP_RUN_CONTINUE, 0);
	if (why != KP_STOP_IDLE)
		kp_session_report_stop(s, out);
	t = kp_task_find(h, pid);
	m = kp_manual_of(t);
	if (m && m->done < seq) {
		if (m->in_call && m->posted == seq &&
		    (t->state == TASK_RUNNING || t->on_cpu))
			kp_printf(out, "%s(...) <unfinished ...>: %s/%d is "
				       "in the kernel, on a CPU\n",
				  kp_sys_name(call.op), t->comm, (int)t->pid);
		else if (m->in_call && m->posted == seq)
			kp_printf(out, "%s(...) <unfinished ...>: %s/%d sleeps "
				       "in %s\n",
				  kp_sys_name(call.op), t->comm, (int)t->pid,
				  kp_task_wchan(t));
		else
			kp_printf(out, "%s(...) <queued>: %s/%d is busy\n",
				  kp_sys_name(call.op), t->comm, (int)t->pid);
	}
	return 0;
}

static void complete_sys(struct kp_session *s, int argc, char **argv,
			 struct kp_completions *c)
{
	(void)s;
	(void)argv;
	static const char *const calls[] = {
		"socket", "bind",  "recvfrom",   "epoll_create1", "epoll_ctl",
		"epoll_wait", "poll", "select", "close", "setsockopt",
		"nonblock", "exit", "connect", "sendto", "send", "listen",
		"accept", "shutdown", "ioctl",
	};
	if (argc == 1)
		for (size_t i = 0; i < sizeof(calls) / sizeof(calls[0]); i++)
			kp_complete_add(c, calls[i]);
}

const struct kp_cmd kp_cmd_sys = {
	.name = "sys",
	.usage = "sys [HOST] PID CALL [ARGS...]",
	.summary = "make one system call in a task started with 'task new'",
	.help = "Posts one system call to task PID (started with 'task new')\n"
		"and runs the world until nothing is left to do.  The task\n"
		"makes the call through the real kernel path and prints it as\n"
		"strace does.  A call that blocks leaves the task asleep and\n"
		"the prompt free: it prints '<unfinished ...>' and where the\n"
		"task sleeps; the result prints when a later command (inject,\n"
		"continue) wakes it.  A breakpoint inside the call stops it on\n"
		"its CPU ('<unfinished ...>: ... is in the kernel, on a CPU').\n"
		"The calls:\n"
		"  socket [inet] [dgram|stream] [nonblock]\n"
		"  bind FD ADDR:PORT\n"
		"  recvfrom FD [LEN] [dontwait]         (recv: the same)\n"
		"  connect FD ADDR:PORT\n"
		"  sendto FD DATA ADDR:PORT              (DATA: up to 256 bytes)\n"
		"  send FD DATA                          (write: the same)\n"
		"  listen FD [BACKLOG]\n"
		"  accept FD\n"
		"  shutdown FD rd|wr|rdwr\n"
		"  ioctl FD SIOCINQ|SIOCOUTQ|SIOCOUTQNSD  (FIONREAD, TIOCOUTQ)\n"
		"  epoll_create1 [cloexec]\n"
		"  epoll_ctl EPFD add|mod|del FD [in] [out] [et] [oneshot]\n"
		"            [exclusive]\n"
		"  epoll_wait EPFD [MAX] [TIMEOUT_MS]   (-1: forever)\n"
		"  poll FD[,FD...] [TIMEOUT_MS]          (POLLIN on each)\n"
		"  select FD[,FD...] [TIMEOUT_MS]        (read set)\n"
		"  close FD\n"
		"  setsockopt FD SO_RCVBUF|SO_SNDBUF|SO_REUSEADDR|SO_REUSEPORT|\n"
		"             SO_RCVTIMEO N\n"
		"  nonblock FD [0|1]                     (fcntl O_NONBLOCK)\n"
		"  exit [CODE]\n"
		"\n"
		"Example:\n"
		"  task new server\n"
		"  sys 4 socket inet dgram\n"
		"  sys 4 bind 3 0.0.0.0:7000\n"
		"  sys 4 recvfrom 3 dontwait\n"
		"  sys 4 recvfrom 3\n"
		"  inject server udp 10.0.0.1:4000 > 10.0.0.2:7000 data hi\n",
	.group = "programs",
	.flags = 0,
	.complete = complete_sys,
	.handler = cmd_sys,
};
