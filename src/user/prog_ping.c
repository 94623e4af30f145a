/*
 * prog_ping.c - `ping [-c COUNT] [-i INTERVAL] [-s SIZE] DST`: iputils
 * ping over a ping socket (socket(AF_INET, SOCK_DGRAM, IPPROTO_ICMP), as
 * iputils uses when it has no raw socket).  Every INTERVAL seconds
 * (default 1) it sends an ICMP echo request with a sequence number and
 * a timestamp in its data, waits with poll(2) for the reply (recvmsg
 * with IP_RECVTTL for the TTL), and prints iputils' lines; at the end
 * the statistics.  With IP_RECVERR set, ICMP errors about its requests
 * (an unanswered ARP makes the kernel send itself "host unreachable")
 * come on the socket's error queue: POLLERR, recvmsg(MSG_ERRQUEUE), and
 * "From 10.0.0.1 icmp_seq=1 Destination Host Unreachable" as iputils'
 * receive_error_msg prints it, counted as "+N errors".  Times are
 * virtual.  The identifier is the kernel's (ping_get_port), as with
 * ping sockets on Linux.
 */
#include <arpa/inet.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "libc.h"
#include "net/ipv4/errqueue.h"
#include "net/ipv4/icmp.h"

struct ping_stats {
	long ntransmitted, nreceived, nerrors;
	int pipesize;            /* most requests out at once (acknowledge) */
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

/* iputils' acknowledge(): an answer (reply or error) to @seq while
 * ntransmitted were sent: how many were out at once. */
static void acknowledge(struct ping_stats *st, uint16_t seq)
{
	uint16_t diff = (uint16_t)((uint16_t)st->ntransmitted - seq);
	if (diff <= 0x7fff && (int)diff + 1 > st->pipesize)
		st->pipesize = (int)diff + 1;
}

/* pr_icmph's words for an error's ICMP type and code */
static void icmp_error_text(char *out, size_t n, int type, int code,
			    uint32_t info)
{
	static const char *const unreach[] = {
		"Destination Net Unreachable",
		"Destination Host Unreachable",
		"Destination Protocol Unreachable",
		"Destination Port Unreachable",
		NULL, /* frag needed: with the MTU */
		"Source Route Failed",
		"Destination Net Unknown",
		"Destination Host Unknown",
		"Source Host Isolated",
		"Destination Net Prohibited",
		"Destination Host Prohibited",
		"Destination Net Unreachable for Type of Service",
		"Destination Host Unreachable for Type of Service",
		"Packet filtered",
		"Precedence Violation",
		"Precedence Cutoff",
	};
	if (type == ICMP_DEST_UNREACH && code == ICMP_FRAG_NEEDED)
		snprintf(out, n, "Frag needed and DF set (mtu = %u)", info);
	else if (type == ICMP_DEST_UNREACH && code >= 0 && code < 16)
		snprintf(out, n, "%s", unreach[code]);
	else if (type == ICMP_DEST_UNREACH)
		snprintf(out, n, "Dest Unreachable, Bad Code: %d", code);
	else if (type == ICMP_TIME_EXCEEDED)
		snprintf(out, n, "%s", code ? "Frag reassembly time exceeded"
					    : "Time to live exceeded");
	else
		snprintf(out, n, "Bad ICMP type: %d", type);
}

/* receive_error_msg: one error off the error queue; its line printed
 * and counted.  false when the queue held nothing of ours. */
static bool ping_read_error(struct kp_uproc *p, int fd, struct ping_stats *st)
{
	struct icmphdr icmph;
	struct sockaddr_in target;
	union {
		char buf[128];
		struct cmsghdr align;
	} ctl;
	struct iovec iov = { .iov_base = &icmph, .iov_len = sizeof(icmph) };
	struct msghdr msg = {
		.msg_name = &target,
		.msg_namelen = sizeof(target),
		.msg_iov = &iov,
		.msg_iovlen = 1,
		.msg_control = ctl.buf,
		.msg_controllen = sizeof(ctl.buf),
	};
	ssize_t n = u_recvmsg(p, fd, &msg, MSG_ERRQUEUE | MSG_DONTWAIT);
	if (n < (ssize_t)sizeof(icmph))
		return false;
	const struct sock_extended_err *ee = NULL;
	for (struct cmsghdr *cm = CMSG_FIRSTHDR(&msg); cm;
	     cm = CMSG_NXTHDR(&msg, cm))
		if (cm->cmsg_level == SOL_IP && cm->cmsg_type == IP_RECVERR)
			ee = (const struct sock_extended_err *)CMSG_DATA(cm);
	if (!ee || ee->ee_origin != SO_EE_ORIGIN_ICMP ||
	    icmph.type != ICMP_ECHO)
		return false;
	struct sockaddr_in offender;
	memcpy(&offender, SO_EE_OFFENDER(ee), sizeof(offender));
	char from[INET_ADDRSTRLEN], what[64];
	inet_ntop(AF_INET, &offender.sin_addr, from, sizeof(from));
	icmp_error_text(what, sizeof(what), ee->ee_type, ee->ee_code,
			ee->ee_info);
	uint16_t seq = ntohs(icmph.un.echo.sequence);
	st->nerrors++;
	acknowledge(st, seq);
	u_printf(p, "From %s icmp_seq=%u %s", from, seq, what);
	return true;
}

/* One echo reply off the receive queue: its line printed, its round
 * trip (from the timestamp in its data) counted.  Replies to any of our
 * requests count, late ones too, as iputils counts them. */
static void ping_read_reply(struct kp_uproc *p, int fd, const char *dst,
			    struct ping_stats *st)
{
	unsigned char buf[65536 + 64];
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
		return;
	struct icmphdr *icmph = (struct icmphdr *)buf;
	if (icmph->type != ICMP_ECHOREPLY)
		return;
	uint16_t seq = ntohs(icmph->un.echo.sequence);
	int ttl = -1;
	for (struct cmsghdr *cm = CMSG_FIRSTHDR(&msg); cm;
	     cm = CMSG_NXTHDR(&msg, cm))
		if (cm->cmsg_level == SOL_IP && cm->cmsg_type == IP_TTL)
			memcpy(&ttl, CMSG_DATA(cm), sizeof(ttl));
	uint64_t sent_at = 0;
	if (n >= (ssize_t)(sizeof(*icmph) + 8))
		memcpy(&sent_at, buf + sizeof(*icmph), 8);
	long t = (long)((u_now(p) - sent_at) / 1000);
	char ts[32];
	fmt_time(ts, sizeof(ts), t);
	st->nreceived++;
	acknowledge(st, seq);
	st->tsum += t;
	st->tsum2 += (long long)t * t;
	if (st->nreceived == 1 || t < st->tmin)
		st->tmin = t;
	if (t > st->tmax)
		st->tmax = t;
	u_printf(p, "%zd bytes from %s: icmp_seq=%u ttl=%d time=%s ms", n, dst,
		 seq, ttl, ts);
}

/* Read replies and errors until @deadline (ns) or until @want requests
 * have their answer (a reply or an error). */
static void ping_wait(struct kp_uproc *p, int fd, uint64_t deadline,
		      long want, const char *dst, struct ping_stats *st)
{
	while (st->nreceived + st->nerrors < want) {
		uint64_t now = u_now(p);
		if (now >= deadline)
			return;
		struct kp_pollfd pfd = { .fd = fd, .events = KP_POLLIN };
		int ms = (int)((deadline - now + 999999) / 1000000);
		int r = u_poll(p, &pfd, 1, ms);
		if (r < 0)
			return;
		if (r == 0)
			continue; /* timed out: the loop checks the deadline */
		if (pfd.revents & KP_POLLERR)
			ping_read_error(p, fd, st);
		if (pfd.revents & KP_POLLIN)
			ping_read_reply(p, fd, dst, st);
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
	u_setsockopt(p, fd, SOL_IP, IP_RECVERR, &on, sizeof(on));
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
	uint64_t start = u_now(p), last_sent = start;
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
			last_sent = sent_at;
		}
		bool last = count && seq == count;
		/* the last one may take up to 10 s (iputils' linger); before
		 * it, answers are read until the next request is due */
		if (last) {
			ping_wait(p, fd, sent_at + 10000000000ull, count, dsts,
				  &st);
			break;
		}
		ping_wait(p, fd, sent_at + ival, st.ntransmitted, dsts, &st);
		uint64_t now = u_now(p);
		if (now < sent_at + ival)
			u_nanosleep(p, sent_at + ival - now);
	}
	/* iputils: from the first request to the last one sent */
	uint64_t elapsed_ms = (last_sent - start + 500000) / 1000000;

	u_printf(p, "%s", "");
	u_printf(p, "--- %s ping statistics ---", dsts);
	char loss[32];
	double pct = st.ntransmitted
			     ? (double)(st.ntransmitted - st.nreceived) * 100.0 /
				       (double)st.ntransmitted
			     : 0;
	snprintf(loss, sizeof(loss), "%g%%", (float)pct);
	char errors[40] = "";
	if (st.nerrors)
		snprintf(errors, sizeof(errors), ", +%ld errors", st.nerrors);
	u_printf(p, "%ld packets transmitted, %ld received%s, %s packet loss, "
		    "time %llums",
		 st.ntransmitted, st.nreceived, errors, loss,
		 (unsigned long long)elapsed_ms);
	char pipe[32] = "";
	if (st.pipesize > 1)
		snprintf(pipe, sizeof(pipe), "%spipe %d",
			 st.nreceived ? ", " : "", st.pipesize);
	if (st.nreceived) {
		long long avg = st.tsum / st.nreceived;
		long long var = st.tsum2 / st.nreceived - avg * avg;
		long mdev = (long)sqrt((double)(var > 0 ? var : 0));
		u_printf(p, "rtt min/avg/max/mdev = %ld.%03ld/%lld.%03lld/"
			    "%ld.%03ld/%ld.%03ld ms%s",
			 st.tmin / 1000, st.tmin % 1000, avg / 1000,
			 avg % 1000, st.tmax / 1000, st.tmax % 1000,
			 mdev / 1000, mdev % 1000, pipe);
	} else if (pipe[0]) {
		u_printf(p, "%s", pipe);
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
		"poll + recvmsg (IP_RECVTTL) read it.  ICMP errors about the "
		"requests (host unreachable when ARP gets no answer) come "
		"through IP_RECVERR's error queue (ping_err, ip_icmp_error, "
		"recvmsg MSG_ERRQUEUE) and print as \"From ADDR icmp_seq=N "
		"Destination Host Unreachable\".  Prints iputils' lines and "
		"statistics; times are virtual.",
	.main = ping_main,
};
