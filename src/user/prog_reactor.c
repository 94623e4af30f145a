/*
 * prog_reactor.c - the seed's Reactor servers (chapter 2) as TCP echo
 * servers, and the accept herd:
 *
 *   reactor-single PORT [WORK_US]   one task: epoll_wait on the listener
 *       and every connection; accept4 when the listener is readable,
 *       recv + WORK_US of "business logic" + send when a connection is.
 *   reactor-pool PORT N [WORK_US]   one reactor task does all socket
 *       I/O; the business logic runs in N worker processes.  kpath's
 *       programs have fork but no threads or user-space locks, so the
 *       job queue is a UDP socket on loopback (127.0.0.1:PORT+1) that all
 *       workers block on in recvfrom - exclusive waiters, one woken per
 *       job, as a condition variable would - and the results come back
 *       to the reactor on its own UDP socket (127.0.0.1:PORT+2), which
 *       sits in its epoll set next to the connections.
 *   tcp-accept-herd PORT N          N processes (forked after listen)
 *       blocked in accept(2) on one listener: inet_csk_wait_for_connect
 *       waits with prepare_to_wait_exclusive, so each connection wakes
 *       one - no thundering herd.  Each serves its connection as an echo.
 *
 *   reactor-multi PORT N [WORK_US]  main + sub reactors: the main
 *       reactor watches only the listener and deals each new connection
 *       to one of N sub-reactor processes, round robin; a sub-reactor has
 *       its own epoll set with its connections and does all their I/O.
 *       kpath's programs have neither threads sharing an fd table (clone
 *       CLONE_FILES) nor SCM_RIGHTS, so the main reactor cannot hand over
 *       an accepted fd: it hands over the *accept* instead - a loopback
 *       datagram to the chosen sub, which inherited the listener at fork
 *       and calls accept4 itself.  The connection then lives in the sub's
 *       fd table and epoll set, as it would after the hand-off.
 *
 * Left out: real threads (the workers and sub-reactors are processes).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "libc.h"
#include "sockets.h"

#define REACTOR_BUF 2048

static void loopback_addr(struct sockaddr_in *sin, int port)
{
	memset(sin, 0, sizeof(*sin));
	sin->sin_family = AF_INET;
	sin->sin_port = htons((uint16_t)port);
	sin->sin_addr.s_addr = htonl(0x7f000001);
}

static int ep_add(struct kp_uproc *p, int epfd, int fd)
{
	struct epoll_event ev = { EPOLLIN, (uint64_t)fd };
	return u_epoll_ctl(p, epfd, EPOLL_CTL_ADD, fd, &ev);
}

/* Accept every pending connection (non-blocking listener) into @epfd. */
static void accept_all(struct kp_uproc *p, const char *name, int lfd,
		       int epfd)
{
	char from[INET_ADDRSTRLEN];
	for (;;) {
		struct sockaddr_in peer;
		socklen_t plen = sizeof(peer);
		int fd = u_accept4(p, lfd, (struct sockaddr *)&peer, &plen,
				   SOCK_NONBLOCK);
		if (fd < 0)
			return; /* EAGAIN: drained */
		inet_ntop(AF_INET, &peer.sin_addr, from, sizeof(from));
		u_printf(p, "%s: connection from %s:%u (fd %d)", name, from,
			 ntohs(peer.sin_port), fd);
		if (ep_add(p, epfd, fd) < 0) {
			u_printf(p, "%s: epoll_ctl: %s", name,
				 u_strerror(p->err));
			u_close(p, fd);
		}
	}
}

static void conn_close(struct kp_uproc *p, const char *name, int epfd,
		       int fd, long served)
{
	u_epoll_ctl(p, epfd, EPOLL_CTL_DEL, fd, NULL);
	u_close(p, fd);
	u_printf(p, "%s: fd %d closed, %ld requests served in all", name, fd,
		 served);
}

/* ---- single reactor, single thread ---- */

static int reactor_single_main(struct kp_uproc *p, int argc, char **argv)
{
	const char *name = "reactor-single";
	if (argc < 1) {
		u_printf(p, "usage: reactor-single PORT [WORK_US]");
		return 2;
	}
	int port = atoi(argv[0]);
	uint64_t work = (uint64_t)(argc > 1 ? atol(argv[1]) : 10) * 1000;
	int lfd = u_listen_on(p, port, SOCK_STREAM | SOCK_NONBLOCK, 128);
	int epfd = u_epoll_create1(p, 0);
	if (lfd < 0 || epfd < 0 || ep_add(p, epfd, lfd) < 0)
		return 1;
	u_printf(p, "%s: listening on 0.0.0.0:%d, one task does epoll, "
		    "accept, read, work, write",
		 name, port);
	long served = 0;
	char buf[REACTOR_BUF];
	for (;;) {
		struct epoll_event ev[16];
		int n = u_epoll_wait(p, epfd, ev, 16, -1);
		if (n < 0) {
			u_printf(p, "epoll_wait: %s", u_strerror(p->err));
			return 1;
		}
		for (int i = 0; i < n; i++) {
			int fd = (int)ev[i].data;
			if (fd == lfd) {
				accept_all(p, name, lfd, epfd);
				continue;
			}
			ssize_t r = u_recv(p, fd, buf, sizeof(buf), 0);
			if (r < 0 && p->err == EAGAIN)
				continue;
			if (r <= 0) {
				conn_close(p, name, epfd, fd, served);
				continue;
			}
			u_work(p, work); /* the request's business logic */
			u_send(p, fd, buf, (size_t)r, 0);
			served++;
		}
	}
}

/* ---- single reactor + worker pool ---- */

struct job_hdr {
	int32_t fd; /* the connection the reply goes to */
};

static int pool_worker(struct kp_uproc *p, long arg)
{
	int idx = (int)(arg & 0xff), jfd = (int)((arg >> 8) & 0xff);
	uint64_t work = (uint64_t)(arg >> 16) * 1000;
	char buf[REACTOR_BUF + sizeof(struct job_hdr)];
	for (;;) {
		struct sockaddr_in from;
		socklen_t flen = sizeof(from);
		ssize_t r = u_recvfrom(p, jfd, buf, sizeof(buf), 0,
				       (struct sockaddr *)&from, &flen);
		if (r < (ssize_t)sizeof(struct job_hdr))
			continue;
		u_work(p, work); /* the business logic, off the reactor */
		u_sendto(p, jfd, buf, (size_t)r, 0, (struct sockaddr *)&from,
			 flen);
	}
	(void)idx;
	return 0;
}

static int reactor_pool_main(struct kp_uproc *p, int argc, char **argv)
{
	const char *name = "reactor-pool";
	if (argc < 2) {
		u_printf(p, "usage: reactor-pool PORT N [WORK_US]");
		return 2;
	}
	int port = atoi(argv[0]), nw = atoi(argv[1]);
	long work_us = argc > 2 ? atol(argv[2]) : 10;
	if (nw < 1 || nw > 32 || port < 1 || port > 65533 || work_us < 0 ||
	    work_us > 1000000) {
		u_printf(p, "%s: N must be 1..32, WORK_US 0..1000000", name);
		return 2;
	}
	struct sockaddr_in jaddr, raddr;
	loopback_addr(&jaddr, port + 1);
	loopback_addr(&raddr, port + 2);
	int lfd = u_listen_on(p, port, SOCK_STREAM | SOCK_NONBLOCK, 128);
	int jfd = u_socket(p, AF_INET, SOCK_DGRAM, 0);
	int rfd = u_socket(p, AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0);
	if (lfd < 0 || jfd < 0 || rfd < 0 ||
	    u_bind(p, jfd, (struct sockaddr *)&jaddr, sizeof(jaddr)) < 0 ||
	    u_bind(p, rfd, (struct sockaddr *)&raddr, sizeof(raddr)) < 0) {
		u_printf(p, "%s: sockets: %s", name, u_strerror(p->err));
		return 1;
	}
	int epfd = u_epoll_create1(p, 0);
	if (epfd < 0 || ep_add(p, epfd, lfd) < 0 || ep_add(p, epfd, rfd) < 0)
		return 1;
	for (int i = 0; i < nw; i++)
		if (u_fork(p, pool_worker,
			   (long)i | (long)jfd << 8 | work_us << 16) < 0)
			u_printf(p, "fork: %s", u_strerror(p->err));
	u_printf(p, "%s: listening on 0.0.0.0:%d, %d workers take jobs "
		    "from 127.0.0.1:%d",
		 name, port, nw, port + 1);
	long served = 0;
	char buf[REACTOR_BUF + sizeof(struct job_hdr)];
	for (;;) {
		struct epoll_event ev[16];
		int n = u_epoll_wait(p, epfd, ev, 16, -1);
		if (n < 0) {
			u_printf(p, "epoll_wait: %s", u_strerror(p->err));
			return 1;
		}
		for (int i = 0; i < n; i++) {
			int fd = (int)ev[i].data;
			if (fd == lfd) {
				accept_all(p, name, lfd, epfd);
				continue;
			}
			if (fd == rfd) { /* finished jobs: write the replies */
				ssize_t r;
				while ((r = u_recv(p, rfd, buf, sizeof(buf),
						   0)) >=
				       (ssize_t)sizeof(struct job_hdr)) {
					struct job_hdr h;
					memcpy(&h, buf, sizeof(h));
					u_send(p, h.fd, buf + sizeof(h),
					       (size_t)r - sizeof(h), 0);
					served++;
				}
				continue;
			}
			ssize_t r = u_recv(p, fd, buf + sizeof(struct job_hdr),
					   REACTOR_BUF, 0);
			if (r < 0 && p->err == EAGAIN)
				continue;
			if (r <= 0) {
				conn_close(p, name, epfd, fd, served);
				continue;
			}
			struct job_hdr h = { fd };
			memcpy(buf, &h, sizeof(h));
			u_sendto(p, rfd, buf, sizeof(h) + (size_t)r, 0,
				 (struct sockaddr *)&jaddr, sizeof(jaddr));
		}
	}
}

/* ---- main + sub reactors ---- */

#define MULTI_ARG(idx, lfd, sfd, work_us)                                    \
	((long)(idx) | (long)(lfd) << 8 | (long)(sfd) << 16 |                 \
	 (long)(work_us) << 24)

static int sub_reactor(struct kp_uproc *p, long arg)
{
	int idx = (int)(arg & 0xff), lfd = (int)((arg >> 8) & 0xff);
	int sfd = (int)((arg >> 16) & 0xff);
	uint64_t work = (uint64_t)(arg >> 24) * 1000;
	char name[32], buf[REACTOR_BUF];
	snprintf(name, sizeof(name), "sub-reactor %d", idx);
	int epfd = u_epoll_create1(p, 0);
	if (epfd < 0 || ep_add(p, epfd, sfd) < 0) {
		u_printf(p, "%s: epoll: %s", name, u_strerror(p->err));
		return 1;
	}
	long served = 0;
	for (;;) {
		struct epoll_event ev[16];
		int n = u_epoll_wait(p, epfd, ev, 16, -1);
		if (n < 0) {
			u_printf(p, "%s: epoll_wait: %s", name,
				 u_strerror(p->err));
			return 1;
		}
		for (int i = 0; i < n; i++) {
			int fd = (int)ev[i].data;
			if (fd == sfd) { /* the main reactor dealt us an accept */
				while (u_recv(p, sfd, buf, sizeof(buf), 0) >= 0)
					;
				accept_all(p, name, lfd, epfd);
				continue;
			}
			ssize_t r = u_recv(p, fd, buf, sizeof(buf), 0);
			if (r < 0 && p->err == EAGAIN)
				continue;
			if (r <= 0) {
				conn_close(p, name, epfd, fd, served);
				continue;
			}
			u_work(p, work);
			u_send(p, fd, buf, (size_t)r, 0);
			served++;
		}
	}
}

static int reactor_multi_main(struct kp_uproc *p, int argc, char **argv)
{
	const char *name = "reactor-multi";
	if (argc < 2) {
		u_printf(p, "usage: reactor-multi PORT N [WORK_US]");
		return 2;
	}
	int port = atoi(argv[0]), nsub = atoi(argv[1]);
	long work_us = argc > 2 ? atol(argv[2]) : 10;
	if (nsub < 1 || nsub > 16 || port < 1 || port + nsub > 65535 ||
	    work_us < 0 || work_us > 1000000) {
		u_printf(p, "%s: N must be 1..16, WORK_US 0..1000000", name);
		return 2;
	}
	int lfd = u_listen_on(p, port, SOCK_STREAM | SOCK_NONBLOCK, 128);
	int cfd = u_socket(p, AF_INET, SOCK_DGRAM, 0);
	int epfd = u_epoll_create1(p, 0);
	struct epoll_event lev = { EPOLLIN | EPOLLET, (uint64_t)lfd };
	if (lfd < 0 || cfd < 0 || epfd < 0 ||
	    u_epoll_ctl(p, epfd, EPOLL_CTL_ADD, lfd, &lev) < 0) {
		u_printf(p, "%s: setup: %s", name, u_strerror(p->err));
		return 1;
	}
	/* each sub's control socket is bound before the fork: no datagram
	 * can arrive before its port exists */
	for (int i = 0; i < nsub; i++) {
		struct sockaddr_in a;
		loopback_addr(&a, port + 1 + i);
		int sfd = u_socket(p, AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0);
		if (sfd < 0 ||
		    u_bind(p, sfd, (struct sockaddr *)&a, sizeof(a)) < 0) {
			u_printf(p, "%s: sub socket: %s", name,
				 u_strerror(p->err));
			return 1;
		}
		if (u_fork(p, sub_reactor, MULTI_ARG(i, lfd, sfd, work_us)) < 0)
			u_printf(p, "fork: %s", u_strerror(p->err));
		u_close(p, sfd); /* the sub keeps its copy */
	}
	u_printf(p, "%s: main reactor on 0.0.0.0:%d deals connections to "
		    "%d sub-reactors",
		 name, port, nsub);
	int next = 0;
	for (;;) {
		struct epoll_event ev[4];
		int n = u_epoll_wait(p, epfd, ev, 4, -1);
		if (n < 0) {
			u_printf(p, "epoll_wait: %s", u_strerror(p->err));
			return 1;
		}
		for (int i = 0; i < n; i++) {
			struct sockaddr_in a;
			loopback_addr(&a, port + 1 + next);
			u_printf(p, "%s: new connection -> sub-reactor %d",
				 name, next);
			u_sendto(p, cfd, "A", 1, 0, (struct sockaddr *)&a,
				 sizeof(a));
			next = (next + 1) % nsub;
		}
	}
}

/* ---- the accept herd ---- */

static int herd_accept_worker(struct kp_uproc *p, long arg)
{
	int idx = (int)(arg & 0xff), lfd = (int)((arg >> 8) & 0xff);
	char buf[REACTOR_BUF], from[INET_ADDRSTRLEN];
	for (;;) {
		struct sockaddr_in peer;
		socklen_t plen = sizeof(peer);
		int fd = u_accept(p, lfd, (struct sockaddr *)&peer, &plen);
		if (fd < 0) {
			u_printf(p, "worker %d: accept: %s", idx,
				 u_strerror(p->err));
			return 1;
		}
		inet_ntop(AF_INET, &peer.sin_addr, from, sizeof(from));
		u_printf(p, "worker %d: accepted %s:%u", idx, from,
			 ntohs(peer.sin_port));
		ssize_t r;
		while ((r = u_recv(p, fd, buf, sizeof(buf), 0)) > 0)
			u_send(p, fd, buf, (size_t)r, 0);
		u_close(p, fd);
	}
}

static int tcp_accept_herd_main(struct kp_uproc *p, int argc, char **argv)
{
	if (argc < 2) {
		u_printf(p, "usage: tcp-accept-herd PORT N");
		return 2;
	}
	int port = atoi(argv[0]), n = atoi(argv[1]);
	if (n < 1 || n > 64) {
		u_printf(p, "tcp-accept-herd: N must be 1..64");
		return 2;
	}
	int lfd = u_listen_on(p, port, SOCK_STREAM, 128);
	if (lfd < 0)
		return 1;
	u_printf(p, "tcp-accept-herd: %d workers blocked in accept on "
		    "0.0.0.0:%d",
		 n, port);
	for (int i = 1; i < n; i++)
		if (u_fork(p, herd_accept_worker, (long)i | (long)lfd << 8) < 0)
			u_printf(p, "fork: %s", u_strerror(p->err));
	return herd_accept_worker(p, (long)lfd << 8);
}

const struct kp_user_program kp_uprog_reactor_single = {
	.name = "reactor-single",
	.usage = "reactor-single PORT [WORK_US]",
	.summary = "single reactor, single thread: epoll + accept + echo in one task",
	.help = "A non-blocking listener and every accepted connection sit "
		"in one epoll set (level-triggered).  The one task sleeps in "
		"epoll_wait (ep_poll); a readable listener means accept4 until "
		"EAGAIN, a readable connection means recv, WORK_US "
		"microseconds of user-space work (default 10), send.  No "
		"context switch between requests - but a slow request delays "
		"every other connection.",
	.main = reactor_single_main,
};

const struct kp_user_program kp_uprog_reactor_pool = {
	.name = "reactor-pool",
	.usage = "reactor-pool PORT N [WORK_US]",
	.summary = "single reactor + N worker processes: the reactor does I/O, workers the work",
	.help = "The reactor task owns the listener and the connections "
		"(epoll, accept4, recv, send).  Each request becomes a job "
		"datagram on a loopback UDP socket (127.0.0.1:PORT+1) on "
		"which N forked workers block in recvfrom: the receive "
		"queue is the job queue, sock_def_readable wakes one worker "
		"(exclusive wait).  The worker spends WORK_US (default 10) "
		"and sends the result to the reactor's UDP socket "
		"(127.0.0.1:PORT+2), which is in its epoll set; the reactor "
		"writes it to the connection.  Each request costs two more "
		"wake-ups and context switches than reactor-single, but the "
		"work runs on other CPUs.  (kpath programs have no threads: "
		"the workers are processes, the queue a socket.)",
	.main = reactor_pool_main,
};

const struct kp_user_program kp_uprog_reactor_multi = {
	.name = "reactor-multi",
	.usage = "reactor-multi PORT N [WORK_US]",
	.summary = "main + N sub reactors: the main deals connections, subs do their I/O",
	.help = "The main reactor's epoll set holds only the listener "
		"(edge-triggered): each new connection is dealt to the next "
		"of N forked sub-reactors, round robin.  A sub-reactor has "
		"its own epoll set; it accepts (accept4 on the listener it "
		"inherited) and then does all the I/O of its connections - "
		"recv, WORK_US of work (default 10), send.  kpath programs "
		"have no threads and no fd passing, so the hand-off is a "
		"loopback datagram telling the sub to accept, not the fd.",
	.main = reactor_multi_main,
};

const struct kp_user_program kp_uprog_tcp_accept_herd = {
	.name = "tcp-accept-herd",
	.usage = "tcp-accept-herd PORT N",
	.summary = "N processes blocked in accept on one TCP listener",
	.help = "Listens on PORT (blocking), forks N-1 workers; all N sleep "
		"in accept(2) - inet_csk_accept, inet_csk_wait_for_connect - "
		"on the listener's wait queue with exclusive entries "
		"(prepare_to_wait_exclusive).  When a handshake completes, "
		"sock_def_readable wakes one of them: each connection is "
		"accepted by one worker and no other wakes up.  Each worker "
		"echoes its connection until the peer closes.",
	.main = tcp_accept_herd_main,
};
