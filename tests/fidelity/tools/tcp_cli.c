/*
 * tcp_cli.c - the fidelity harness's TCP client (real-kernel side).
 *
 *   tcp_cli -s SRC -d DST:PORT [-l LEN] [-m echo|bulk]
 *
 * Connects from SRC (port chosen by the kernel) to DST:PORT; sends LEN
 * bytes in one write() per 64 KiB; in echo mode reads LEN bytes back
 * before closing, in bulk mode shuts down its write side and waits for
 * the server's close.  A refused connection is a result, not an error:
 * prints "refused".  Otherwise prints "sent S echoed E".
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	const char *src = "0.0.0.0", *dst = NULL, *mode = "echo";
	long len = 0;
	int c;
	while ((c = getopt(argc, argv, "s:d:l:m:")) != -1) {
		switch (c) {
		case 's': src = optarg; break;
		case 'd': dst = optarg; break;
		case 'l': len = atol(optarg); break;
		case 'm': mode = optarg; break;
		default: goto usage;
		}
	}
	if (!dst)
		goto usage;
	char host[64];
	const char *colon = strrchr(dst, ':');
	if (!colon || (size_t)(colon - dst) >= sizeof(host))
		goto usage;
	memcpy(host, dst, (size_t)(colon - dst));
	host[colon - dst] = 0;
	struct sockaddr_in s = {.sin_family = AF_INET}, d = {
		.sin_family = AF_INET,
		.sin_port = htons((unsigned short)atoi(colon + 1))};
	if (inet_pton(AF_INET, host, &d.sin_addr) != 1 ||
	    inet_pton(AF_INET, src, &s.sin_addr) != 1)
		goto usage;
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	if (fd < 0 || bind(fd, (struct sockaddr *)&s, sizeof(s))) {
		perror("bind");
		return 1;
	}
	if (connect(fd, (struct sockaddr *)&d, sizeof(d))) {
		if (errno == ECONNREFUSED) {
			printf("refused\n");
			return 0;
		}
		perror("connect");
		return 1;
	}
	static char buf[65536];
	for (size_t i = 0; i < sizeof(buf); i++)
		buf[i] = (char)('a' + i % 26);
	long sent = 0, echoed = 0;
	while (sent < len) {
		size_t chunk = (size_t)(len - sent) < sizeof(buf)
				       ? (size_t)(len - sent) : sizeof(buf);
		ssize_t w = write(fd, buf, chunk);
		if (w <= 0) {
			perror("write");
			return 1;
		}
		sent += w;
		if (strcmp(mode, "echo") == 0) {
			long want = sent;
			while (echoed < want) {
				ssize_t n = read(fd, buf, sizeof(buf));
				if (n <= 0)
					break;
				echoed += n;
			}
		}
	}
	shutdown(fd, SHUT_WR);
	struct pollfd p = {.fd = fd, .events = POLLIN};
	while (poll(&p, 1, 5000) > 0) {
		ssize_t n = read(fd, buf, sizeof(buf));
		if (n <= 0)
			break;
		echoed += n;
	}
	close(fd);
	printf("sent %ld echoed %ld\n", sent, echoed);
	return 0;
usage:
	fprintf(stderr, "usage: tcp_cli -s SRC -d DST:PORT [-l LEN] "
			"[-m echo|bulk]\n");
	return 2;
}
