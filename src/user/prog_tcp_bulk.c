/*
 * prog_tcp_bulk.c - `tcp-bulk-recv PORT` and `tcp-bulk-send ADDR PORT
 * BYTES [CHUNK]`: a bulk transfer.  The sender writes BYTES in CHUNK-
 * byte send(2) calls (sleeping in sk_stream_wait_memory whenever the
 * send buffer is full) and closes; the receiver reads until the FIN and
 * prints how many bytes came and how long it took.
 */
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#include "libc.h"
#include "sockets.h"

static int tcp_bulk_recv_main(struct kp_uproc *p, int argc, char **argv)
{
	if (argc < 1) {
		u_printf(p, "usage: tcp-bulk-recv PORT");
		return 2;
	}
	int lfd = u_listen_on(p, atoi(argv[0]), SOCK_STREAM, 16);
	if (lfd < 0)
		return 1;
	u_printf(p, "tcp-bulk-recv: listening on 0.0.0.0:%s", argv[0]);
	int fd = u_accept(p, lfd, NULL, NULL);
	if (fd < 0) {
		u_printf(p, "accept: %s", u_strerror(p->err));
		u_close(p, lfd);
		return 1;
	}
	static const size_t bufsz = 65536;
	char *buf = u_malloc(p, bufsz);
	uint64_t t0 = u_now(p), total = 0;
	for (;;) {
		ssize_t r = u_recv(p, fd, buf, bufsz, 0);
		if (r < 0) {
			u_printf(p, "recv: %s", u_strerror(p->err));
			break;
		}
		if (r == 0)
			break;
		total += (uint64_t)r;
	}
	uint64_t ns = u_now(p) - t0;
	u_printf(p, "tcp-bulk-recv: %llu bytes in %llu us (%.1f Mbit/s)",
		 (unsigned long long)total, (unsigned long long)(ns / 1000),
		 ns ? (double)total * 8e3 / (double)ns : 0.0);
	u_free(p, buf);
	u_close(p, fd);
	u_close(p, lfd);
	return 0;
}

static int tcp_bulk_send_main(struct kp_uproc *p, int argc, char **argv)
{
	if (argc < 3) {
		u_printf(p, "usage: tcp-bulk-send ADDR PORT BYTES [CHUNK]");
		return 2;
	}
	struct sockaddr_in sin;
	if (u_inet_addr(p, "tcp-bulk-send", argv[0], argv[1], &sin) < 0)
		return 2;
	uint64_t bytes = strtoull(argv[2], NULL, 0);
	size_t chunk = argc > 3 ? (size_t)strtoul(argv[3], NULL, 0) : 65536;
	if (chunk == 0 || chunk > (1u << 20))
		chunk = 65536;

	int fd = u_tcp_connect(p, &sin);
	if (fd < 0)
		return 1;
	char *buf = u_malloc(p, chunk);
	for (size_t i = 0; i < chunk; i++)
		buf[i] = (char)('a' + i % 26);
	uint64_t sent = 0, t0 = u_now(p);
	int rc = 0;
	while (sent < bytes) {
		size_t n = bytes - sent < chunk ? (size_t)(bytes - sent) : chunk;
		ssize_t w = u_send(p, fd, buf, n, 0);
		if (w < 0) {
			u_printf(p, "send: %s", u_strerror(p->err));
			rc = 1;
			break;
		}
		sent += (uint64_t)w;
	}
	u_printf(p, "tcp-bulk-send: %llu bytes written in %llu us",
		 (unsigned long long)sent,
		 (unsigned long long)((u_now(p) - t0) / 1000));
	u_free(p, buf);
	u_close(p, fd);
	return rc;
}

const struct kp_user_program kp_uprog_tcp_bulk_recv = {
	.name = "tcp-bulk-recv",
	.usage = "tcp-bulk-recv PORT",
	.summary = "accepts one TCP connection and reads until the FIN; prints bytes and rate",
	.help = "listen on PORT, accept one connection, recv(2) 64 KiB at a "
		"time until the peer's FIN (recv returns 0), then print the "
		"byte count, the time and the rate.",
	.main = tcp_bulk_recv_main,
};

const struct kp_user_program kp_uprog_tcp_bulk_send = {
	.name = "tcp-bulk-send",
	.usage = "tcp-bulk-send ADDR PORT BYTES [CHUNK]",
	.summary = "connects and writes BYTES in CHUNK-byte sends, then closes",
	.help = "connect to ADDR:PORT and send(2) BYTES bytes, CHUNK (default "
		"65536) at a time.  tcp_sendmsg copies into the write queue "
		"until the send buffer is full, then sleeps in "
		"sk_stream_wait_memory until ACKs free space; the congestion "
		"window (ss -tanmi: cwnd) paces what tcp_write_xmit sends.",
	.main = tcp_bulk_send_main,
};
