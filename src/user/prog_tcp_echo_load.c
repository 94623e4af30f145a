/*
 * prog_tcp_echo_load.c - `tcp-echo-load ADDR PORT CONNS REQUESTS [SIZE]`:
 * a load generator for the echo servers (reactor-single and friends).
 * One task opens CONNS connections one after the other (blocking
 * connect), sleeps 1 us (a mark between the two phases: `break
 * sys_nanosleep` stops there), then keeps one SIZE-byte request in
 * flight on every connection: epoll_wait, read what came, and when a
 * whole echo is back send the next request, until each connection has
 * done REQUESTS.  Then it sleeps 1 us again, closes everything and
 * prints the count and the virtual time of the request phase.
 *
 * As wrk or memtier_benchmark would, with one connection per "client";
 * left out: pipelining, timeouts, latency histograms.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "libc.h"
#include "sockets.h"

#define LOAD_SIZE_MAX 1024
#define LOAD_EVENTS 64

struct load_conn {
	int fd;
	long done;   /* requests answered */
	size_t got;  /* bytes of the current echo */
};

static int load_send(struct kp_uproc *p, struct load_conn *c,
		     const char *req, size_t size)
{
	c->got = 0;
	return u_send(p, c->fd, req, size, 0) == (ssize_t)size ? 0 : -1;
}

static int tcp_echo_load_main(struct kp_uproc *p, int argc, char **argv)
{
	const char *name = "tcp-echo-load";
	if (argc < 4) {
		u_printf(p, "usage: tcp-echo-load ADDR PORT CONNS REQUESTS "
			    "[SIZE]");
		return 2;
	}
	struct sockaddr_in sin;
	if (u_inet_addr(p, name, argv[0], argv[1], &sin) < 0)
		return 2;
	long nconn = atol(argv[2]), nreq = atol(argv[3]);
	long size = argc > 4 ? atol(argv[4]) : 64;
	if (nconn < 1 || nconn > 60000 || nreq < 1 || size < 1 ||
	    size > LOAD_SIZE_MAX) {
		u_printf(p, "%s: CONNS 1..60000, REQUESTS >= 1, SIZE 1..%d",
			 name, LOAD_SIZE_MAX);
		return 2;
	}
	struct load_conn *conn = u_calloc(p, (size_t)nconn, sizeof(*conn));
	char req[LOAD_SIZE_MAX], buf[LOAD_SIZE_MAX];
	memset(req, 'x', sizeof(req));
	int epfd = u_epoll_create1(p, 0);
	if (!conn || epfd < 0) {
		u_free(p, conn);
		return 1;
	}
	long open = 0;
	for (; open < nconn; open++) {
		conn[open].fd = u_tcp_connect(p, &sin);
		if (conn[open].fd < 0)
			break;
		struct epoll_event ev = { EPOLLIN, (uint64_t)open };
		u_epoll_ctl(p, epfd, EPOLL_CTL_ADD, conn[open].fd, &ev);
	}
	u_printf(p, "%s: %ld connections to %s:%s", name, open, argv[0],
		 argv[1]);
	u_nanosleep(p, 1000); /* the mark: requests start */

	uint64_t t0 = u_now(p);
	long total = 0, busy = 0;
	for (long i = 0; i < open; i++)
		if (load_send(p, &conn[i], req, (size_t)size) == 0)
			busy++;
	while (busy > 0) {
		struct epoll_event ev[LOAD_EVENTS];
		int n = u_epoll_wait(p, epfd, ev, LOAD_EVENTS, -1);
		if (n < 0) {
			u_printf(p, "%s: epoll_wait: %s", name,
				 u_strerror(p->err));
			break;
		}
		for (int k = 0; k < n; k++) {
			struct load_conn *c = &conn[ev[k].data];
			ssize_t r = u_recv(p, c->fd, buf, sizeof(buf), 0);
			if (r <= 0) {
				u_epoll_ctl(p, epfd, EPOLL_CTL_DEL, c->fd,
					    NULL);
				busy--;
				continue;
			}
			c->got += (size_t)r;
			if (c->got < (size_t)size)
				continue;
			c->done++;
			total++;
			if (c->done < nreq &&
			    load_send(p, c, req, (size_t)size) == 0)
				continue;
			u_epoll_ctl(p, epfd, EPOLL_CTL_DEL, c->fd, NULL);
			busy--;
		}
	}
	uint64_t us = (u_now(p) - t0) / 1000;
	u_nanosleep(p, 1000); /* the mark: requests done */
	for (long i = 0; i < open; i++)
		u_close(p, conn[i].fd);
	u_close(p, epfd);
	u_free(p, conn);
	u_printf(p, "%s: %ld requests on %ld connections in %llu us", name,
		 total, open, (unsigned long long)us);
	return total == open * nreq ? 0 : 1;
}

const struct kp_user_program kp_uprog_tcp_echo_load = {
	.name = "tcp-echo-load",
	.usage = "tcp-echo-load ADDR PORT CONNS REQUESTS [SIZE]",
	.summary = "CONNS connections, each doing REQUESTS echo round trips",
	.help = "Opens CONNS TCP connections to ADDR:PORT (an echo server "
		"such as reactor-single), then keeps one SIZE-byte request "
		"(default 64) in flight on each, driven by one epoll set, "
		"until every connection has had REQUESTS echoes back.  It "
		"sleeps 1 us before and after the requests, so 'break "
		"sys_nanosleep' can stop at the start and end of that phase. "
		"Prints the requests and the virtual time they took.",
	.main = tcp_echo_load_main,
};
