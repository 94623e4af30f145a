/*
 * prog_udp_epoll_server.c - `udp-epoll-server PORT[-LAST] [lt|et]
 * [COUNT]`: non-blocking UDP sockets (one per port) watched by one
 * epoll.  epoll_ctl hangs an entry with func ep_poll_callback on each
 * socket's wait queue; sock_def_readable
 * then puts the epitem on rdllist and wakes the task in epoll_wait.
 * Level-triggered reads one datagram per wake-up; edge-triggered drains
 * the socket until EAGAIN, as an ET program must.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "libc.h"

static int udp_epoll_server_main(struct kp_uproc *p, int argc, char **argv)
{
	if (argc < 1) {
		u_printf(p, "usage: udp-epoll-server PORT[-LAST] [lt|et] "
			    "[COUNT]");
		return 2;
	}
	/* PORT or FIRST-LAST: one socket per port, all in one epoll set */
	int port = atoi(argv[0]), last = port;
	const char *dash = strchr(argv[0], '-');
	if (dash)
		last = atoi(dash + 1);
	if (port < 1 || last < port || last - port >= 64) {
		u_printf(p, "udp-epoll-server: ports FIRST-LAST, at most 64");
		return 2;
	}
	int et = argc > 1 && strcmp(argv[1], "et") == 0;
	long count = argc > 2 ? atol(argv[2]) : 0;

	int epfd = u_epoll_create1(p, 0);
	if (epfd < 0) {
		u_printf(p, "epoll_create1: %s", u_strerror(p->err));
		return 1;
	}
	for (int port_i = port; port_i <= last; port_i++) {
		int fd = u_socket(p, AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0);
		if (fd < 0) {
			u_printf(p, "socket: %s", u_strerror(p->err));
			return 1;
		}
		struct sockaddr_in sin;
		memset(&sin, 0, sizeof(sin));
		sin.sin_family = AF_INET;
		sin.sin_port = htons((uint16_t)port_i);
		struct epoll_event ev = { EPOLLIN | (et ? EPOLLET : 0),
					  (uint64_t)fd };
		if (u_bind(p, fd, (struct sockaddr *)&sin, sizeof(sin)) < 0 ||
		    u_epoll_ctl(p, epfd, EPOLL_CTL_ADD, fd, &ev) < 0) {
			u_printf(p, "bind/epoll_ctl %d: %s", port_i,
				 u_strerror(p->err));
			return 1;
		}
	}
	if (last > port)
		u_printf(p, "udp-epoll-server: 0.0.0.0:%d-%d, %s-triggered",
			 port, last, et ? "edge" : "level");
	else
		u_printf(p, "udp-epoll-server: 0.0.0.0:%d, %s-triggered", port,
			 et ? "edge" : "level");

	char buf[2048];
	long got = 0;
	while (count == 0 || got < count) {
		struct epoll_event events[8];
		int n = u_epoll_wait(p, epfd, events, 8, -1);
		if (n < 0) {
			u_printf(p, "epoll_wait: %s", u_strerror(p->err));
			break;
		}
		for (int i = 0; i < n; i++) {
			do {
				struct sockaddr_in peer;
				socklen_t plen = sizeof(peer);
				ssize_t r = u_recvfrom(p, (int)events[i].data,
						       buf, sizeof(buf), 0,
						       (struct sockaddr *)&peer,
						       &plen);
				if (r < 0)
					break; /* EAGAIN: drained */
				got++;
				char from[INET_ADDRSTRLEN];
				inet_ntop(AF_INET, &peer.sin_addr, from,
					  sizeof(from));
				u_printf(p, "udp-epoll-server: %zd bytes from "
					    "%s:%u",
					 r, from, ntohs(peer.sin_port));
				u_work(p, 2000);
			} while (et);
		}
	}
	u_close(p, epfd); /* exit closes the sockets */
	return 0;
}

const struct kp_user_program kp_uprog_udp_epoll_server = {
	.name = "udp-epoll-server",
	.usage = "udp-epoll-server PORT[-LAST] [lt|et] [COUNT]",
	.summary = "UDP receiver on epoll, level- or edge-triggered",
	.help = "socket(SOCK_DGRAM|SOCK_NONBLOCK), bind 0.0.0.0:PORT, "
		"epoll_create1, epoll_ctl(ADD, EPOLLIN [|EPOLLET]), then "
		"epoll_wait in a loop.  The socket's wait queue holds the "
		"epitem's entry (func ep_poll_callback); a datagram puts the "
		"epitem on rdllist and wakes the task.  lt reads one datagram "
		"per event; et reads until EAGAIN.  Stops after COUNT "
		"datagrams (default: never).  With FIRST-LAST, one socket per "
		"port, all in the one epoll set: one task serves them all.",
	.main = udp_epoll_server_main,
};
