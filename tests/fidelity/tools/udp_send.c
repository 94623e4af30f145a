/*
 * udp_send.c - the fidelity harness's UDP sender (real-kernel side).
 *
 *   udp_send -s SRC:PORT -d DST:PORT [-l LEN] [-n COUNT] [-g GAP_US]
 *
 * Sends COUNT datagrams of LEN payload bytes (filled with 'a'..'z')
 * from a socket bound to SRC:PORT, GAP_US microseconds apart (0: back
 * to back).  A datagram larger than the path MTU is fragmented by the
 * sender's kernel (IP_PMTUDISC_DONT), as kpath's fragment scenario
 * needs.  Errors such as ECONNREFUSED (an ICMP port unreachable came
 * back) are counted, not fatal.  Prints "sent N errors E".
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static int parse(const char *s, struct sockaddr_in *sin)
{
	char host[64];
	const char *colon = strrchr(s, ':');
	if (!colon || (size_t)(colon - s) >= sizeof(host))
		return -1;
	memcpy(host, s, (size_t)(colon - s));
	host[colon - s] = 0;
	memset(sin, 0, sizeof(*sin));
	sin->sin_family = AF_INET;
	sin->sin_port = htons((unsigned short)atoi(colon + 1));
	return inet_pton(AF_INET, host, &sin->sin_addr) == 1 ? 0 : -1;
}

int main(int argc, char **argv)
{
	const char *src = NULL, *dst = NULL;
	int len = 0, count = 1, gap = 0, c;
	while ((c = getopt(argc, argv, "s:d:l:n:g:")) != -1) {
		switch (c) {
		case 's': src = optarg; break;
		case 'd': dst = optarg; break;
		case 'l': len = atoi(optarg); break;
		case 'n': count = atoi(optarg); break;
		case 'g': gap = atoi(optarg); break;
		default: goto usage;
		}
	}
	struct sockaddr_in s, d;
	if (!src || !dst || parse(src, &s) || parse(dst, &d) || len < 0 ||
	    len > 65507)
		goto usage;
	int fd = socket(AF_INET, SOCK_DGRAM, 0);
	int pmtu = IP_PMTUDISC_DONT;
	setsockopt(fd, IPPROTO_IP, IP_MTU_DISCOVER, &pmtu, sizeof(pmtu));
	if (fd < 0 || bind(fd, (struct sockaddr *)&s, sizeof(s))) {
		perror("bind");
		return 1;
	}
	char *buf = malloc((size_t)len + 1);
	for (int i = 0; i < len; i++)
		buf[i] = (char)('a' + i % 26);
	int sent = 0, errors = 0;
	for (int i = 0; i < count; i++) {
		if (sendto(fd, buf, (size_t)len, 0, (struct sockaddr *)&d,
			   sizeof(d)) < 0)
			errors++;
		else
			sent++;
		if (gap > 0)
			usleep((useconds_t)gap);
	}
	printf("sent %d errors %d\n", sent, errors);
	free(buf);
	return 0;
usage:
	fprintf(stderr, "usage: udp_send -s SRC:PORT -d DST:PORT [-l LEN] "
			"[-n COUNT] [-g GAP_US]\n");
	return 2;
}
