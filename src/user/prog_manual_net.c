/*
 * prog_manual_net.c - the connection and send-side calls of a task driven
 * by hand (`task new`, then `sys PID CALL ...`): connect, sendto, send,
 * listen, accept, shutdown.  Parsed here for cmd_sys, made through the
 * libc wrappers and printed as strace prints them:
 *
 *	sendto(3, "hi", 2, 0, {sa_family=AF_INET, sin_port=htons(7000),
 *	       sin_addr=inet_addr("10.0.0.2")}, 16) = 2
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "libc.h"
#include "manual.h"

/* The socket ioctls `sys ioctl` knows: strace's name, then the other. */
static const struct {
	const char *name, *alias;
	unsigned long cmd;
} ioctls[] = {
	{ "FIONREAD", "SIOCINQ", SIOCINQ },
	{ "TIOCOUTQ", "SIOCOUTQ", SIOCOUTQ },
	{ "SIOCOUTQNSD", "SIOCOUTQNSD", SIOCOUTQNSD },
};
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static bool net_parse_int(const char *s, int *v)
{
	char *end;
	long l = strtol(s, &end, 10);
	if (!*s || *end || l < -2147483647L || l > 2147483647L)
		return false;
	*v = (int)l;
	return true;
}

/* "ADDR:PORT" */
static bool net_parse_addr(const char *s, struct sockaddr_in *sin)
{
	char host[64];
	const char *colon = strrchr(s, ':');
	int port;
	memset(sin, 0, sizeof(*sin));
	sin->sin_family = AF_INET;
	if (!colon || (size_t)(colon - s) >= sizeof(host) ||
	    !net_parse_int(colon + 1, &port) || port < 0 || port > 65535)
		return false;
	memcpy(host, s, (size_t)(colon - s));
	host[colon - s] = '\0';
	sin->sin_port = htons((uint16_t)port);
	return inet_pton(AF_INET, host, &sin->sin_addr) == 1;
}

static bool net_parse_data(const char *s, struct kp_sys_call *c)
{
	size_t n = strlen(s);
	if (n > sizeof(c->data))
		return false;
	memcpy(c->data, s, n);
	c->datalen = (int)n;
	return true;
}

int kp_manual_parse_net(int argc, char **argv, struct kp_sys_call *c,
			const char **err)
{
	const char *call = argv[0];
	if (strcmp(call, "connect") == 0) {
		c->op = KP_SYS_CONNECT;
		if (argc != 3 || !net_parse_int(argv[1], &c->fd) ||
		    !net_parse_addr(argv[2], &c->addr))
			return *err = "connect FD ADDR:PORT", -1;
		return 1;
	}
	if (strcmp(call, "sendto") == 0) {
		c->op = KP_SYS_SENDTO;
		c->has_addr = true;
		if (argc != 4 || !net_parse_int(argv[1], &c->fd) ||
		    !net_parse_data(argv[2], c) ||
		    !net_parse_addr(argv[3], &c->addr))
			return *err = "sendto FD DATA ADDR:PORT (DATA: up to "
				      "256 bytes, quote it)",
			       -1;
		return 1;
	}
	if (strcmp(call, "send") == 0 || strcmp(call, "write") == 0) {
		c->op = KP_SYS_SENDTO;
		c->has_addr = false;
		if (argc != 3 || !net_parse_int(argv[1], &c->fd) ||
		    !net_parse_data(argv[2], c))
			return *err = "send FD DATA (on a connected socket)",
			       -1;
		return 1;
	}
	if (strcmp(call, "listen") == 0) {
		c->op = KP_SYS_LISTEN;
		c->len = 128;
		if (argc < 2 || argc > 3 || !net_parse_int(argv[1], &c->fd) ||
		    (argc == 3 && !net_parse_int(argv[2], &c->len)))
			return *err = "listen FD [BACKLOG]", -1;
		return 1;
	}
	if (strcmp(call, "accept") == 0) {
		c->op = KP_SYS_ACCEPT;
		if (argc != 2 || !net_parse_int(argv[1], &c->fd))
			return *err = "accept FD", -1;
		return 1;
	}
	if (strcmp(call, "shutdown") == 0) {
		static const char *const hows[] = { "rd", "wr", "rdwr" };
		c->op = KP_SYS_SHUTDOWN;
		c->flags = -1;
		if (argc == 3)
			for (int i = 0; i < 3; i++)
				if (strcasecmp(argv[2], hows[i]) == 0 ||
				    (strncasecmp(argv[2], "SHUT_", 5) == 0 &&
				     strcasecmp(argv[2] + 5, hows[i]) == 0))
					c->flags = i;
		if (argc != 3 || !net_parse_int(argv[1], &c->fd) ||
		    c->flags < 0)
			return *err = "shutdown FD rd|wr|rdwr", -1;
		return 1;
	}
	if (strcmp(call, "ioctl") == 0) {
		c->op = KP_SYS_IOCTL;
		c->optname = -1;
		for (size_t i = 0; argc == 3 && i < ARRAY_SIZE(ioctls); i++)
			if (strcasecmp(argv[2], ioctls[i].name) == 0 ||
			    strcasecmp(argv[2], ioctls[i].alias) == 0)
				c->optname = (int)ioctls[i].cmd;
		if (argc != 3 || !net_parse_int(argv[1], &c->fd) ||
		    c->optname < 0)
			return *err = "ioctl FD SIOCINQ|SIOCOUTQ|SIOCOUTQNSD", -1;
		return 1;
	}
	return 0;
}

/* strace's names first (FIONREAD, TIOCOUTQ), the socket ones second */
static const char *ioctl_name(int cmd)
{
	for (size_t i = 0; i < ARRAY_SIZE(ioctls); i++)
		if ((int)ioctls[i].cmd == cmd)
			return ioctls[i].name;
	return "?";
}

void kp_manual_do_net(struct kp_uproc *p, const struct kp_sys_call *c)
{
	static const char *const hows[] = { "SHUT_RD", "SHUT_WR",
					    "SHUT_RDWR" };
	char res[96], a[128], d[160];
	long r;

	switch (c->op) {
	case KP_SYS_CONNECT:
		r = u_connect(p, c->fd, (const struct sockaddr *)&c->addr,
			      sizeof(c->addr));
		kp_strace_result(res, sizeof(res), r, p->err);
		kp_strace_sockaddr(a, sizeof(a), &c->addr);
		u_printf(p, "connect(%d, %s, %zu)%s", c->fd, a,
			 sizeof(c->addr), res);
		break;
	case KP_SYS_SENDTO:
		kp_strace_data(d, sizeof(d), c->data, c->datalen);
		if (c->has_addr) {
			r = u_sendto(p, c->fd, c->data, (size_t)c->datalen, 0,
				     (const struct sockaddr *)&c->addr,
				     sizeof(c->addr));
			kp_strace_result(res, sizeof(res), r, p->err);
			kp_strace_sockaddr(a, sizeof(a), &c->addr);
			u_printf(p, "sendto(%d, %s, %d, 0, %s, %zu)%s", c->fd,
				 d, c->datalen, a, sizeof(c->addr), res);
		} else {
			r = u_sendto(p, c->fd, c->data, (size_t)c->datalen, 0,
				     NULL, 0);
			kp_strace_result(res, sizeof(res), r, p->err);
			u_printf(p, "sendto(%d, %s, %d, 0, NULL, 0)%s", c->fd,
				 d, c->datalen, res);
		}
		break;
	case KP_SYS_LISTEN:
		r = u_listen(p, c->fd, c->len);
		kp_strace_result(res, sizeof(res), r, p->err);
		u_printf(p, "listen(%d, %d)%s", c->fd, c->len, res);
		break;
	case KP_SYS_ACCEPT: {
		struct sockaddr_in peer;
		socklen_t plen = sizeof(peer);
		memset(&peer, 0, sizeof(peer));
		r = u_accept(p, c->fd, (struct sockaddr *)&peer, &plen);
		kp_strace_result(res, sizeof(res), r, p->err);
		if (r >= 0) {
			kp_strace_sockaddr(a, sizeof(a), &peer);
			u_printf(p, "accept(%d, %s, [%u])%s", c->fd, a,
				 (unsigned)plen, res);
		} else {
			u_printf(p, "accept(%d, ..., [%zu])%s", c->fd,
				 sizeof(peer), res);
		}
		break;
	}
	case KP_SYS_IOCTL: {
		int val = 0;
		r = u_ioctl(p, c->fd, (unsigned long)c->optname, &val);
		kp_strace_result(res, sizeof(res), r, p->err);
		if (r == 0)
			u_printf(p, "ioctl(%d, %s, [%d])%s", c->fd,
				 ioctl_name(c->optname), val, res);
		else
			u_printf(p, "ioctl(%d, %s, &n)%s", c->fd,
				 ioctl_name(c->optname), res);
		break;
	}
	case KP_SYS_SHUTDOWN:
		r = u_shutdown(p, c->fd, c->flags);
		kp_strace_result(res, sizeof(res), r, p->err);
		u_printf(p, "shutdown(%d, %s)%s", c->fd, hows[c->flags & 3],
			 res);
		break;
	default:
		break;
	}
}
