/*
 * prog_tcp_echo.c - `tcp-echo-server PORT [COUNT]` and
 * `tcp-echo-client ADDR PORT MESSAGE [COUNT]`: the seed's blocking TCP
 * pair.  The server: socket, bind, listen, then accept (sleeping in
 * inet_csk_accept until a handshake completes), recv (sk_wait_data) and
 * send back what came, until the client closes; COUNT connections
 * (0 = forever).  The client: connect (SYN, sleeping in
 * inet_wait_for_connect), COUNT times send MESSAGE and read the echo,
 * then close (FIN).
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "libc.h"
#include "sockets.h"

static void printable(char *out, size_t outsz, const char *buf, ssize_t n)
{
	size_t j = 0;
	for (ssize_t i = 0; i < n && j + 1 < outsz; i++)
		out[j++] = isprint((unsigned char)buf[i]) ? buf[i] : '.';
	out[j] = '\0';
}

static int tcp_echo_server_main(struct kp_uproc *p, int argc, char **argv)
{
	if (argc < 1) {
		u_printf(p, "usage: tcp-echo-server PORT [COUNT]");
		return 2;
	}
	int port = atoi(argv[0]);
	long count = argc > 1 ? atol(argv[1]) : 0;

	int lfd = u_listen_on(p, port, SOCK_STREAM, 128);
	if (lfd < 0)
		return 1;
	u_printf(p, "tcp-echo-server: listening on 0.0.0.0:%d", port);

	char buf[4096], text[64], from[INET_ADDRSTRLEN];
	for (long n = 0; count == 0 || n < count; n++) {
		struct sockaddr_in peer;
		socklen_t plen = sizeof(peer);
		int fd = u_accept(p, lfd, (struct sockaddr *)&peer, &plen);
		if (fd < 0) {
			u_printf(p, "accept: %s", u_strerror(p->err));
			break;
		}
		inet_ntop(AF_INET, &peer.sin_addr, from, sizeof(from));
		u_printf(p, "tcp-echo-server: connection from %s:%u", from,
			 ntohs(peer.sin_port));
		for (;;) {
			ssize_t r = u_recv(p, fd, buf, sizeof(buf), 0);
			if (r <= 0) {
				if (r < 0)
					u_printf(p, "recv: %s",
						 u_strerror(p->err));
				break;
			}
			printable(text, sizeof(text), buf, r);
			u_printf(p, "tcp-echo-server: %zd bytes: %s", r, text);
			u_work(p, 2000);
			if (u_send(p, fd, buf, (size_t)r, 0) < 0) {
				u_printf(p, "send: %s", u_strerror(p->err));
				break;
			}
		}
		u_printf(p, "tcp-echo-server: %s:%u closed", from,
			 ntohs(peer.sin_port));
		u_close(p, fd);
	}
	u_close(p, lfd);
	return 0;
}

static int tcp_echo_client_main(struct kp_uproc *p, int argc, char **argv)
{
	if (argc < 3) {
		u_printf(p, "usage: tcp-echo-client ADDR PORT MESSAGE [COUNT]");
		return 2;
	}
	struct sockaddr_in sin;
	if (u_inet_addr(p, "tcp-echo-client", argv[0], argv[1], &sin) < 0)
		return 2;
	const char *msg = argv[2];
	size_t len = strlen(msg);
	long count = argc > 3 ? atol(argv[3]) : 1;

	int fd = u_tcp_connect(p, &sin);
	if (fd < 0)
		return 1;
	u_printf(p, "tcp-echo-client: connected to %s:%s", argv[0], argv[1]);
	char buf[4096], text[64];
	int rc = 0;
	for (long i = 0; i < count; i++) {
		uint64_t t0 = u_now(p);
		if (u_send(p, fd, msg, len, 0) < 0) {
			u_printf(p, "send: %s", u_strerror(p->err));
			rc = 1;
			break;
		}
		size_t got = 0;
		while (got < len) {
			ssize_t r = u_recv(p, fd, buf + got,
					   sizeof(buf) - got, 0);
			if (r <= 0) {
				u_printf(p, "recv: %s",
					 r < 0 ? u_strerror(p->err)
					       : "connection closed");
				rc = 1;
				goto out;
			}
			got += (size_t)r;
		}
		printable(text, sizeof(text), buf, (ssize_t)got);
		u_printf(p, "tcp-echo-client: echo %zu bytes in %llu us: %s",
			 got, (unsigned long long)((u_now(p) - t0) / 1000),
			 text);
	}
out:
	u_close(p, fd);
	return rc;
}

const struct kp_user_program kp_uprog_tcp_echo_server = {
	.name = "tcp-echo-server",
	.usage = "tcp-echo-server PORT [COUNT]",
	.summary = "blocking TCP echo server: accept, then recv/send until the peer closes",
	.help = "socket(AF_INET, SOCK_STREAM, 0), bind to 0.0.0.0:PORT, "
		"listen(128).  accept(2) sleeps in inet_csk_accept on the "
		"listener's wait queue until tcp_child_process puts a finished "
		"handshake on the accept queue; recv(2) sleeps in sk_wait_data "
		"until tcp_rcv_established queues data; send(2) goes through "
		"tcp_sendmsg and tcp_write_xmit.  A recv of 0 (the client's "
		"FIN) ends the connection; close(2) sends our FIN.  Serves "
		"COUNT connections (default: forever).",
	.main = tcp_echo_server_main,
};

const struct kp_user_program kp_uprog_tcp_echo_client = {
	.name = "tcp-echo-client",
	.usage = "tcp-echo-client ADDR PORT MESSAGE [COUNT]",
	.summary = "blocking TCP client: connect, COUNT times send MESSAGE and read the echo, close",
	.help = "connect(2) sends the SYN (tcp_v4_connect, tcp_connect) and "
		"sleeps in inet_wait_for_connect until the SYN-ACK arrives; "
		"then COUNT rounds of send(2) and recv(2) until the whole "
		"message came back, printing the round-trip time; close(2) "
		"sends a FIN (FIN-WAIT-1, FIN-WAIT-2, TIME-WAIT).",
	.main = tcp_echo_client_main,
};
