/*
 * prog_udp_server.c - `udp-server [-q] PORT [COUNT]`: the seed's blocking
 * receiver.  socket(AF_INET, SOCK_DGRAM), bind(0.0.0.0:PORT), then
 * recvfrom in a loop: each call sleeps in wait_for_more_packets until
 * sock_def_readable wakes the task, copies the datagram out, and the
 * program prints it (not with -q: a quiet server for long runs and
 * benchmarks prints only its errors).  Stops after COUNT datagrams
 * (0 = forever).
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "libc.h"

/* The first bytes of a datagram as printable text. */
static void printable(char *out, size_t outsz, const char *buf, ssize_t n)
{
	size_t j = 0;
	for (ssize_t i = 0; i < n && j + 1 < outsz; i++)
		out[j++] = isprint((unsigned char)buf[i]) ? buf[i] : '.';
	out[j] = '\0';
}

static int udp_server_main(struct kp_uproc *p, int argc, char **argv)
{
	bool quiet = argc > 0 && strcmp(argv[0], "-q") == 0;
	if (quiet) {
		argc--;
		argv++;
	}
	if (argc < 1) {
		u_printf(p, "usage: udp-server [-q] PORT [COUNT]");
		return 2;
	}
	int port = atoi(argv[0]);
	long count = argc > 1 ? atol(argv[1]) : 0;

	int fd = u_socket(p, AF_INET, SOCK_DGRAM, 0);
	if (fd < 0) {
		u_printf(p, "socket: %s", u_strerror(p->err));
		return 1;
	}
	struct sockaddr_in sin;
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_port = htons((uint16_t)port);
	sin.sin_addr.s_addr = htonl(INADDR_ANY);
	if (u_bind(p, fd, (struct sockaddr *)&sin, sizeof(sin)) < 0) {
		u_printf(p, "bind: %s", u_strerror(p->err));
		u_close(p, fd);
		return 1;
	}
	u_printf(p, "udp-server: listening on 0.0.0.0:%d", port);

	char buf[2048], text[80], from[INET_ADDRSTRLEN];
	for (long n = 0; count == 0 || n < count; n++) {
		struct sockaddr_in peer;
		socklen_t plen = sizeof(peer);
		ssize_t r = u_recvfrom(p, fd, buf, sizeof(buf), 0,
				       (struct sockaddr *)&peer, &plen);
		if (r < 0) {
			u_printf(p, "recvfrom: %s", u_strerror(p->err));
			break;
		}
		if (!quiet) {
			inet_ntop(AF_INET, &peer.sin_addr, from, sizeof(from));
			printable(text, sizeof(text), buf, r);
			u_printf(p, "udp-server: %zd bytes from %s:%u: %s", r,
				 from, ntohs(peer.sin_port), text);
		}
		u_work(p, 2000); /* handle the request in user mode */
	}
	u_close(p, fd);
	return 0;
}

const struct kp_user_program kp_uprog_udp_server = {
	.name = "udp-server",
	.usage = "udp-server [-q] PORT [COUNT]",
	.summary = "blocking UDP receiver: recvfrom in a loop, prints each datagram",
	.help = "socket(AF_INET, SOCK_DGRAM, 0), bind to 0.0.0.0:PORT, then "
		"recvfrom(2) in a loop.  With the queue empty the task sleeps "
		"in wait_for_more_packets on the socket's wait queue (state S); "
		"the softirq that queues a datagram calls sock_def_readable, "
		"which wakes it (state R).  Prints each datagram, or with -q "
		"nothing but errors.  Stops after COUNT datagrams "
		"(default: never).",
	.main = udp_server_main,
};
