/*
 * sockets.h - the socket chores the emulated programs share, as a small
 * user-space library over libc.h: a listening socket, a connected TCP
 * socket, an address from "ADDR" and "PORT" words.  Each prints what
 * failed (as the program would with perror) and returns -1.
 */
#ifndef KP_USER_SOCKETS_H
#define KP_USER_SOCKETS_H

#include <netinet/in.h>

#include "uprog.h"

/* socket(AF_INET, @type, 0), SO_REUSEADDR, bind to 0.0.0.0:@port,
 * listen(@backlog).  The listening fd, or -1. */
int u_listen_on(struct kp_uproc *p, int port, int type, int backlog);
/* @sin = @addr:@port; 0, or -1 after "PROG: bad address ADDR". */
int u_inet_addr(struct kp_uproc *p, const char *prog, const char *addr,
		const char *port, struct sockaddr_in *sin);
/* socket(AF_INET, SOCK_STREAM, 0) and connect to @sin (blocking).
 * The connected fd, or -1. */
int u_tcp_connect(struct kp_uproc *p, const struct sockaddr_in *sin);

#endif
