/*
 * prog_ping.c - `ping [-c COUNT] [-i INTERVAL] [-s SIZE] DST`: iputils
 * ping over a ping socket (socket(AF_INET, SOCK_DGRAM, IPPROTO_ICMP), as
 * iputils uses when it has no raw socket).  Every INTERVAL seconds
 * (default 1) it sends an ICMP echo request with a sequence number and
 * a timestamp in its data, waits with poll(2) for the reply (recvmsg
 * with IP_RECVTTL for the TTL), and prints iputils' lines; at the end
 * the statistics.  Times are virtual.  The identifier is the kernel's
 * (ping_get_port), as with ping sockets on Linux.
 */
#include <arpa/inet.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "libc.h"
#include "net/ipv4/icmp.h"

struct ping_stats {
	long ntransmitted, nreceived;
	long tmin, tmax;         /* us */
	long long tsum, tsum2;   /* us, us^2 */
};

/* " time=0.052 ms" as iputils prints a round trip of @t us */
static void fmt_time(char *out, size_t n, long t)
{
	if (t >= 100000 - 50)
		snprintf(out, n, "%ld", (t + 500) / 1000);
	else if (t >= 10000 - 5)
		snprintf(out, n, "%ld.%01ld", (t + 50) / 1000,
			 ((t + 50) % 1000) / 100);
	else if (t >= 1000)
		snprintf(out, n, "%ld.%02ld", (t + 5) / 1000,
			 ((t + 5) % 1000) / 10);
	else
		snprintf(out, n, "%ld.%03ld", t / 1000, t % 1000);
}

/* Wait until @deadline (ns) for the echo reply of @seq; true if it
 * came.  Other replies (late ones) are read and ignored. */
static bool ping_wait_reply(struct kp_uproc *p, int fd, uint16_t seq,
			    uint64_t deadline, const char *dst, size_t size,
			    uint64_t sent_at, struct ping_stats *st)
{
	unsigned char buf[65536 + 64];
	for (;;) {
		uint64_t now = u_now(p);
		if (now >= deadline)
			return false;
		struct kp_pollfd pfd = { .fd = fd, .events = KP_POLLIN };
		int ms = (int)((deadline - now + 999999) / 1000000);
		int r = u_poll(p, &pfd, 1, ms);
		if (r < 0)
			return false;
		if (r == 0)
			continue; /* timed out: the loop checks the deadline */
		struct sockaddr_in from;
		union {
			char buf[64];
			struct cmsghdr align;
		} ctl;
		struct iovec iov = { .iov_base = buf, .iov_len = sizeof(buf) };
		struct msghdr msg = {
			.msg_name = &from,
			.msg_namelen = sizeof(from),
			.msg_iov = &iov,
			.msg_iovlen = 1,
			.msg_control = ctl.buf,
			.msg_controllen = sizeof(ctl.buf),
		};
		ssize_t n = u_recvmsg(p, fd, &msg, MSG_DONTWAIT);
		if (n < (ssize_t)sizeof(struct icmphdr))
			continue;
		struct icmphdr *icmph = (struct icmphdr *)buf;
		if (icmph->type != ICMP_ECHOREPLY ||
		    ntohs(icmph->un.echo.sequence) != seq)
			continue;
		int ttl = -1;
		for (struct cmsghdr *cm = CMSG_FIRSTHDR(&msg); cm;
		     cm = CMSG_NXTHDR(&msg, cm))
			if (cm->cmsg_level == SOL_IP && cm->cmsg_type == IP_TTL)
				memcpy(&ttl, CMSG_DATA(cm), sizeof(ttl));
		long t = (long)((u_now(p) - sent_at) / 1000);
		char ts[32];
		fmt_time(ts, sizeof(ts), t);
		st->nreceived++;
		st->tsum += t;
		st->tsum2 += (long long)t * t;
		if (st->nreceived == 1 || t < st->tmin)
			st->tmin = t;
		if (t > st->tmax)
			st->tmax = t;
		(void)size;
		u_printf(p, "%zd bytes from %s: icmp_seq=%u ttl=%d time=%s ms",
			 n, dst, seq, ttl, ts);
		return true;
	}
}

static int ping_main(struct kp_uproc *p, int argc, char **argv)
{
	long count = 0, size = 56;
	double interval = 1.0;
	const char *target = NULL;

	for (int i = 0; i < argc; i++) {
		if (!strcmp(argv[i], "-c") && i + 1 < argc)
			count = atol(argv[++i]);
		else if (!strcmp(argv[i], "-i") && i + 1 < argc)
			interval = atof(argv[++i]);
		else if (!strcmp(argv[i], "-s") && i + 1 < argc)
			size = atol(argv[++i]);
		else if (argv[i][0] != '-' && !target)
			target = argv[i];
		else
			target = NULL, i = argc;
	}
	struct sockaddr_in dst;
	memset(&dst, 0, sizeof(dst));
	dst.sin_family = AF_INET;
	if (!target || inet_pton(AF_INET, target, &dst.sin_addr) != 1 ||
	    count < 0 || size < 0 || size > 65507 || interval < 0.002) {
		u_printf(p, "usage: ping [-c COUNT] [-i INTERVAL] [-s SIZE] "
			    "DESTINATION");
		return 2;
	}
	int fd = u_socket(p, AF_INET, SOCK_DGRAM, IPPROTO_ICMP);
	if (fd < 0) {
		u_printf(p, "ping: socket: %s", u_strerror(p->err));
		return 2;
	}
	int on = 1;
	u_setsockopt(p, fd, SOL_IP, IP_RECVTTL, &on, sizeof(on));

	char dsts[INET_ADDRSTRLEN];
	inet_ntop(AF_INET, &dst.sin_addr, dsts, sizeof(dsts));
	u_printf(p, "PING %s (%s) %ld(%ld) bytes of data.", dsts, dsts, size,
		 size + 28);

	size_t len = sizeof(struct icmphdr) + (size_t)size;
	unsigned char *pkt = u_calloc(p, 1, len);
	if (!pkt) {
		u_close(p, fd);
		return 2;
	}
	struct ping_stats st = { 0 };
	uint64_t ival = (uint64_t)(interval * 1e9);
	uint64_t start = u_now(p);
	for (long seq = 1; count == 0 || seq <= count; seq++) {
		uint64_t sent_at = u_now(p);
		struct icmphdr *icmph = (struct icmphdr *)pkt;
		icmph->type = ICMP_ECHO;
		icmph->code = 0;
		icmph->un.echo.id = 0; /* the kernel puts the socket's */
		icmph->un.echo.sequence = htons((uint16_t)seq);
		/* the data: a timestamp, then a byte pattern, as iputils */
		for (size_t i = sizeof(*icmph); i < len; i++)
			pkt[i] = (unsigned char)(i - sizeof(*icmph));
		if (size >= 8)
			memcpy(pkt + sizeof(*icmph), &sent_at, 8);
		ssize_t r = u_sendto(p, fd, pkt, len, 0,
				     (struct sockaddr *)&dst, sizeof(dst));
		if (r < 0) {
			u_printf(p, "ping: sendto: %s", u_strerror(p->err));
		} else {
			st.ntransmitted++;
		}
		bool last = count && seq == count;
		/* the last one may take up to 10 s (iputils' linger) */
		uint64_t deadline = sent_at + (last ? 10000000000ull : ival);
		if (r >= 0)
			ping_wait_reply(p, fd, (uint16_t)seq, deadline, dsts,
					len, sent_at, &st);
		if (last)
			break;
		uint64_t now = u_now(p);
		if (now < sent_at + ival)
			u_nanosleep(p, sent_at + ival - now);
	}
	uint64_t elapsed_ms = (u_now(p) - start + 500000) / 1000000;

	u_printf(p, "%s", "");
	u_printf(p, "--- %s ping statistics ---", dsts);
	char loss[32];
	double pct = st.ntransmitted
			     ? (double)(st.ntransmitted - st.nreceived) * 100.0 /
				       (double)st.ntransmitted
			     : 0;
	snprintf(loss, sizeof(loss), "%g%%", (float)pct);
	u_printf(p, "%ld packets transmitted, %ld received, %s packet loss, "
		    "time %llums",
		 st.ntransmitted, st.nreceived, loss,
		 (unsigned long long)elapsed_ms);
	if (st.nreceived) {
		long long avg = st.tsum / st.nreceived;
		long long var = st.tsum2 / st.nreceived - avg * avg;
		long mdev = (long)sqrt((double)(var > 0 ? var : 0));
		u_printf(p, "rtt min/avg/max/mdev = %ld.%03ld/%lld.%03lld/"
			    "%ld.%03ld/%ld.%03ld ms",
			 st.tmin / 1000, st.tmin % 1000, avg / 1000,
			 avg % 1000, st.tmax / 1000, st.tmax % 1000,
			 mdev / 1000, mdev % 1000);
	}
	u_free(p, pkt);
	u_close(p, fd);
	return st.nreceived ? 0 : 1;
}

const struct kp_user_program kp_uprog_ping = {
	.name = "ping",
	.usage = "ping [-c COUNT] [-i INTERVAL] [-s SIZE] DESTINATION",
	.summary = "ICMP echo over a ping socket, with iputils' output",
	.help = "socket(AF_INET, SOCK_DGRAM, IPPROTO_ICMP): a ping socket. "
		"Each INTERVAL (default 1 s) sendto an echo request "
		"(ping_v4_sendmsg puts in the identifier and checksum); the "
		"peer's icmp_rcv -> icmp_echo -> icmp_reply answers; here "
		"icmp_rcv -> ping_rcv queues the reply on the socket and "
		"poll + recvmsg (IP_RECVTTL) read it.  Prints iputils' lines "
		"and statistics; times are virtual.",
	.main = ping_main,
};
