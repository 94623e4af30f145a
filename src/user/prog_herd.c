/*
 * prog_herd.c - the seed's thundering herds (chapter 2): N processes
 * waiting for one UDP socket, forked after the socket is bound, as
 * pre-fork servers do.  Each datagram wakes some of them; those that find
 * nothing to read were woken for nothing.
 *
 *   herd-epoll PORT N [exclusive]  each worker has its own epoll fd
 *       watching the socket: one ep_poll_callback entry per worker on the
 *       socket's wait queue, all non-exclusive - every datagram wakes all
 *       N.  With EPOLLEXCLUSIVE (Linux 4.5) the entries are exclusive and
 *       __wake_up_common stops after the first that woke someone.
 *   herd-shared-ep PORT N          all workers in epoll_wait on one epfd:
 *       ep->wq holds exclusive entries, so ep_poll_callback wakes one;
 *       level-triggered re-queueing can wake a second, who finds nothing.
 *   herd-recv PORT N               all workers blocked in recvfrom on
 *       the socket: exclusive entries (wait_for_more_packets), one woken.
 *
 * A worker that wakes and reads nothing prints "woken, nothing to read";
 * one that empties ep_poll's way back to sleep is counted by the kernel
 * (eventpoll empty_wakeups, `show ep`).  Workers run forever.
 */
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#include "libc.h"

enum herd_mode { HERD_EPOLL, HERD_EPOLL_EXCL, HERD_SHARED_EP, HERD_RECV };

/* What a forked worker needs, packed into fork's argument. */
#define HERD_ARG(idx, fd, epfd, mode)                                        \
	((long)(idx) | (long)(fd) << 8 | (long)(epfd) << 16 |                 \
	 (long)(mode) << 24)

static void report(struct kp_uproc *p, int idx, ssize_t r,
		   const struct sockaddr_in *peer)
{
	char from[INET_ADDRSTRLEN];
	if (r < 0) {
		u_printf(p, "worker %d: woken, nothing to read (%s)", idx,
			 u_strerror(p->err));
		return;
	}
	inet_ntop(AF_INET, &peer->sin_addr, from, sizeof(from));
	u_printf(p, "worker %d: %zd bytes from %s:%u", idx, r, from,
		 ntohs(peer->sin_port));
}

static ssize_t read_one(struct kp_uproc *p, int fd, int flags,
			struct sockaddr_in *peer)
{
	char buf[2048];
	socklen_t plen = sizeof(*peer);
	return u_recvfrom(p, fd, buf, sizeof(buf), flags,
			  (struct sockaddr *)peer, &plen);
}

static int herd_worker(struct kp_uproc *p, long arg)
{
	int idx = (int)(arg & 0xff), fd = (int)((arg >> 8) & 0xff);
	int epfd = (int)((arg >> 16) & 0xff);
	enum herd_mode mode = (enum herd_mode)((arg >> 24) & 0xff);
	struct sockaddr_in peer;

	if (mode == HERD_RECV) {
		for (;;) {
			ssize_t r = read_one(p, fd, 0, &peer);
			report(p, idx, r, &peer);
			if (r >= 0)
				u_work(p, 2000);
		}
	}
	if (mode != HERD_SHARED_EP) {
		epfd = u_epoll_create1(p, 0);
		struct epoll_event ev = {
			EPOLLIN | (mode == HERD_EPOLL_EXCL ? EPOLLEXCLUSIVE : 0),
			(uint64_t)fd
		};
		if (epfd < 0 || u_epoll_ctl(p, epfd, EPOLL_CTL_ADD, fd, &ev)) {
			u_printf(p, "worker %d: epoll: %s", idx,
				 u_strerror(p->err));
			return 1;
		}
	}
	for (;;) {
		struct epoll_event events[4];
		int n = u_epoll_wait(p, epfd, events, 4, -1);
		if (n < 0) {
			u_printf(p, "worker %d: epoll_wait: %s", idx,
				 u_strerror(p->err));
			return 1;
		}
		for (int i = 0; i < n; i++) {
			ssize_t r = read_one(p, (int)events[i].data, 0, &peer);
			report(p, idx, r, &peer);
			if (r >= 0)
				u_work(p, 2000);
		}
	}
}

static int herd_main(struct kp_uproc *p, int argc, char **argv,
		     enum herd_mode mode, const char *name)
{
	if (argc < 2) {
		u_printf(p, "usage: %s PORT N%s", name,
			 mode == HERD_EPOLL ? " [exclusive]" : "");
		return 2;
	}
	int port = atoi(argv[0]), n = atoi(argv[1]);
	if (mode == HERD_EPOLL && argc > 2 && strcmp(argv[2], "exclusive") == 0)
		mode = HERD_EPOLL_EXCL;
	if (n < 1 || n > 64) {
		u_printf(p, "%s: N must be 1..64", name);
		return 2;
	}
	int type = SOCK_DGRAM | (mode == HERD_RECV ? 0 : SOCK_NONBLOCK);
	int fd = u_socket(p, AF_INET, type, 0);
	if (fd < 0) {
		u_printf(p, "socket: %s", u_strerror(p->err));
		return 1;
	}
	struct sockaddr_in sin;
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_port = htons((uint16_t)port);
	if (u_bind(p, fd, (struct sockaddr *)&sin, sizeof(sin)) < 0) {
		u_printf(p, "bind: %s", u_strerror(p->err));
		return 1;
	}
	int epfd = -1;
	if (mode == HERD_SHARED_EP) {
		struct epoll_event ev = { EPOLLIN, (uint64_t)fd };
		epfd = u_epoll_create1(p, 0);
		if (epfd < 0 || u_epoll_ctl(p, epfd, EPOLL_CTL_ADD, fd, &ev)) {
			u_printf(p, "epoll: %s", u_strerror(p->err));
			return 1;
		}
	}
	static const char *const how[] = {
		"each with its own epoll fd",
		"each with its own epoll fd, EPOLLEXCLUSIVE",
		"all on one epoll fd",
		"all blocked in recvfrom",
	};
	u_printf(p, "%s: %d workers on 0.0.0.0:%d, %s", name, n, port,
		 how[mode]);
	for (int i = 1; i < n; i++)
		if (u_fork(p, herd_worker, HERD_ARG(i, fd, epfd < 0 ? 0 : epfd,
						    mode)) < 0)
			u_printf(p, "fork: %s", u_strerror(p->err));
	return herd_worker(p, HERD_ARG(0, fd, epfd < 0 ? 0 : epfd, mode));
}

static int herd_epoll_main(struct kp_uproc *p, int argc, char **argv)
{
	return herd_main(p, argc, argv, HERD_EPOLL, "herd-epoll");
}

static int herd_shared_ep_main(struct kp_uproc *p, int argc, char **argv)
{
	return herd_main(p, argc, argv, HERD_SHARED_EP, "herd-shared-ep");
}

static int herd_recv_main(struct kp_uproc *p, int argc, char **argv)
{
	return herd_main(p, argc, argv, HERD_RECV, "herd-recv");
}

const struct kp_user_program kp_uprog_herd_epoll = {
	.name = "herd-epoll",
	.usage = "herd-epoll PORT N [exclusive]",
	.summary = "N processes, each with its own epoll fd on one UDP socket",
	.help = "Binds a non-blocking UDP socket to PORT and forks N-1 "
		"workers; each worker makes its own epoll fd and adds the "
		"socket (EPOLLIN, plus EPOLLEXCLUSIVE with 'exclusive').  The "
		"socket's wait queue then holds N ep_poll_callback entries. "
		"Without EPOLLEXCLUSIVE a datagram wakes all N workers and all "
		"but one find nothing; with it, one is woken.",
	.main = herd_epoll_main,
};

const struct kp_user_program kp_uprog_herd_shared_ep = {
	.name = "herd-shared-ep",
	.usage = "herd-shared-ep PORT N",
	.summary = "N processes in epoll_wait on one shared epoll fd",
	.help = "Binds a non-blocking UDP socket to PORT, makes one epoll fd "
		"watching it (level-triggered), and forks N-1 workers that "
		"all call epoll_wait on that epfd.  ep->wq holds N exclusive "
		"entries: ep_poll_callback wakes one, but the level-triggered "
		"epitem goes back on rdllist and wakes another waiter, which "
		"may find the datagram already taken.",
	.main = herd_shared_ep_main,
};

const struct kp_user_program kp_uprog_herd_recv = {
	.name = "herd-recv",
	.usage = "herd-recv PORT N",
	.summary = "N processes blocked in recvfrom on one UDP socket",
	.help = "Binds a blocking UDP socket to PORT and forks N-1 workers; "
		"all sleep in recvfrom, on exclusive wait entries "
		"(wait_for_more_packets, autoremove_wake_function).  "
		"sock_def_readable wakes exactly one per datagram: no herd.",
	.main = herd_recv_main,
};
