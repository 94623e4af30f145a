/*
 * prog_udp_client.c - `udp-client DST:PORT [COUNT] [SIZE] [GAP_US] [BURST]`: the
 * seed's sender.  socket(AF_INET, SOCK_DGRAM), then sendto in a loop:
 * each call runs sys_sendto -> sock_sendmsg -> inet_sendmsg (which binds
 * an ephemeral port the first time) -> udp_sendmsg -> ip_make_skb ->
 * udp_send_skb -> ip_send_skb, down to the driver.  COUNT datagrams
 * (default 1) of SIZE bytes (default: the text "hello N"), GAP_US
 * microseconds apart (default 0), or in bursts of BURST back to back with
 * GAP_US of nanosleep after each: the rate of GAP_US / BURST, sent the way
 * iperf3 -u's pacing timer sends, whatever is due at each tick.  With
 * GAP_US 0 and a large COUNT it is a bulk sender: the send buffer fills
 * and sendto sleeps in sock_wait_for_wmem until TX completions free it.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "libc.h"

/* "10.0.0.2:7000" -> sin; false if malformed. */
static bool parse_dst(const char *s, struct sockaddr_in *sin)
{
	char host[64];
	const char *colon = strrchr(s, ':');
	if (!colon || colon == s || (size_t)(colon - s) >= sizeof(host))
		return false;
	memcpy(host, s, (size_t)(colon - s));
	host[colon - s] = '\0';
	char *end;
	long port = strtol(colon + 1, &end, 10);
	if (*end || port <= 0 || port > 65535)
		return false;
	memset(sin, 0, sizeof(*sin));
	sin->sin_family = AF_INET;
	sin->sin_port = htons((uint16_t)port);
	return inet_pton(AF_INET, host, &sin->sin_addr) == 1;
}

static int udp_client_main(struct kp_uproc *p, int argc, char **argv)
{
	struct sockaddr_in dst;
	if (argc < 1 || !parse_dst(argv[0], &dst)) {
		u_printf(p, "usage: udp-client DST:PORT [COUNT] [SIZE] "
			    "[GAP_US] [BURST]");
		return 2;
	}
	long count = argc > 1 ? atol(argv[1]) : 1;
	long size = argc > 2 ? atol(argv[2]) : 0;
	long gap_us = argc > 3 ? atol(argv[3]) : 0;
	long burst = argc > 4 ? atol(argv[4]) : 1;
	if (count < 1 || size < 0 || size > 65507 || gap_us < 0 ||
	    burst < 1) {
		u_printf(p, "udp-client: COUNT >= 1, 0 <= SIZE <= 65507, "
			    "GAP_US >= 0, BURST >= 1");
		return 2;
	}
	bool verbose = count <= 10;

	int fd = u_socket(p, AF_INET, SOCK_DGRAM, 0);
	if (fd < 0) {
		u_printf(p, "socket: %s", u_strerror(p->err));
		return 1;
	}
	char *buf = u_calloc(p, 1, (size_t)(size > 64 ? size : 64));
	if (!buf) {
		u_close(p, fd);
		return 1;
	}
	char to[INET_ADDRSTRLEN];
	inet_ntop(AF_INET, &dst.sin_addr, to, sizeof(to));
	long sent = 0, failed = 0;
	uint64_t start = u_now(p);
	for (long n = 1; n <= count; n++) {
		size_t len;
		if (size == 0) {
			len = (size_t)snprintf(buf, 64, "hello %ld", n);
		} else {
			len = (size_t)size;
			memset(buf, 'a' + (int)((n - 1) % 26), len);
		}
		ssize_t r = u_sendto(p, fd, buf, len, 0,
				     (struct sockaddr *)&dst, sizeof(dst));
		if (r < 0) {
			failed++;
			u_printf(p, "sendto: %s", u_strerror(p->err));
			if (failed >= 3)
				break;
		} else {
			sent++;
			if (verbose)
				u_printf(p, "udp-client: %zd bytes to %s:%u",
					 r, to, ntohs(dst.sin_port));
		}
		if (gap_us && n < count && n % burst == 0)
			u_nanosleep(p, (uint64_t)gap_us * 1000);
	}
	if (!verbose)
		u_printf(p, "udp-client: %ld datagrams to %s:%u in %llu us",
			 sent, to, ntohs(dst.sin_port),
			 (unsigned long long)((u_now(p) - start) / 1000));
	u_free(p, buf);
	u_close(p, fd);
	return failed ? 1 : 0;
}

const struct kp_user_program kp_uprog_udp_client = {
	.name = "udp-client",
	.usage = "udp-client DST:PORT [COUNT] [SIZE] [GAP_US] [BURST]",
	.summary = "UDP sender: sendto COUNT datagrams to DST:PORT",
	.help = "socket(AF_INET, SOCK_DGRAM, 0), then sendto(2) COUNT times "
		"(default 1), SIZE bytes each (default \"hello N\"), GAP_US "
		"microseconds apart, or with BURST in bursts of BURST "
		"datagrams with a GAP_US nanosleep after each (as iperf3 -u "
		"paces).  The first sendto binds an ephemeral "
		"port (inet_autobind); udp_sendmsg routes, ip_make_skb copies "
		"the data, udp_send_skb adds the header and checksum, and "
		"ip_send_skb hands it to IP output, ARP and the device.  With "
		"the send buffer full sendto sleeps in sock_wait_for_wmem "
		"until TX completions free it (sock_wfree).",
	.main = udp_client_main,
};
