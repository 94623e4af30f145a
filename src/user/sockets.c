/*
 * sockets.c - the socket chores the emulated programs share (see
 * sockets.h).  Mirrors no kernel file: it is user space.
 */
#include "sockets.h"

#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#include "libc.h"

int u_listen_on(struct kp_uproc *p, int port, int type, int backlog)
{
	int one = 1;
	int lfd = u_socket(p, AF_INET, type, 0);
	if (lfd < 0) {
		u_printf(p, "socket: %s", u_strerror(p->err));
		return -1;
	}
	u_setsockopt(p, lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	struct sockaddr_in sin;
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_port = htons((uint16_t)port);
	if (u_bind(p, lfd, (struct sockaddr *)&sin, sizeof(sin)) < 0 ||
	    u_listen(p, lfd, backlog) < 0) {
		u_printf(p, "bind/listen: %s", u_strerror(p->err));
		u_close(p, lfd);
		return -1;
	}
	return lfd;
}

int u_inet_addr(struct kp_uproc *p, const char *prog, const char *addr,
		const char *port, struct sockaddr_in *sin)
{
	memset(sin, 0, sizeof(*sin));
	sin->sin_family = AF_INET;
	sin->sin_port = htons((uint16_t)atoi(port));
	if (inet_pton(AF_INET, addr, &sin->sin_addr) != 1) {
		u_printf(p, "%s: bad address %s", prog, addr);
		return -1;
	}
	return 0;
}

int u_tcp_connect(struct kp_uproc *p, const struct sockaddr_in *sin)
{
	int fd = u_socket(p, AF_INET, SOCK_STREAM, 0);
	if (fd < 0) {
		u_printf(p, "socket: %s", u_strerror(p->err));
		return -1;
	}
	if (u_connect(p, fd, (const struct sockaddr *)sin, sizeof(*sin)) < 0) {
		u_printf(p, "connect: %s", u_strerror(p->err));
		u_close(p, fd);
		return -1;
	}
	return fd;
}
