/*
 * tcp_srv.c - the fidelity harness's TCP server (real-kernel side).
 *
 *   tcp_srv -p PORT [-m echo|sink] [-r READYFILE] [-t IDLE_MS]
 *
 * Listens on 0.0.0.0:PORT (SO_REUSEADDR), creates READYFILE, accepts
 * one connection and either echoes what it reads (echo) or reads and
 * discards it (sink) until the peer closes, then closes.  Gives up after
 * IDLE_MS without a connection or data.  Prints "received B".
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	const char *mode = "echo", *ready = NULL;
	int port = 0, idle = 5000, c;
	while ((c = getopt(argc, argv, "p:m:r:t:")) != -1) {
		switch (c) {
		case 'p': port = atoi(optarg); break;
		case 'm': mode = optarg; break;
		case 'r': ready = optarg; break;
		case 't': idle = atoi(optarg); break;
		default:
			fprintf(stderr, "usage: tcp_srv -p PORT [-m echo|sink] "
					"[-r READY] [-t IDLE_MS]\n");
			return 2;
		}
	}
	int one = 1, lfd = socket(AF_INET, SOCK_STREAM, 0);
	setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	struct sockaddr_in sin = {.sin_family = AF_INET,
				  .sin_port = htons((unsigned short)port)};
	if (lfd < 0 || bind(lfd, (struct sockaddr *)&sin, sizeof(sin)) ||
	    listen(lfd, 16)) {
		perror("listen");
		return 1;
	}
	if (ready) {
		int fd = open(ready, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		if (fd >= 0)
			close(fd);
	}
	struct pollfd p = {.fd = lfd, .events = POLLIN};
	if (poll(&p, 1, idle) <= 0) {
		printf("received 0 (no connection)\n");
		return 1;
	}
	int fd = accept(lfd, NULL, NULL);
	if (fd < 0) {
		perror("accept");
		return 1;
	}
	static char buf[65536];
	long total = 0;
	int echo = strcmp(mode, "echo") == 0;
	p.fd = fd;
	while (poll(&p, 1, idle) > 0) {
		ssize_t n = read(fd, buf, sizeof(buf));
		if (n <= 0)
			break;
		total += n;
		for (ssize_t off = 0; echo && off < n;) {
			ssize_t w = write(fd, buf + off, (size_t)(n - off));
			if (w <= 0)
				break;
			off += w;
		}
	}
	close(fd);
	close(lfd);
	printf("received %ld\n", total);
	return 0;
}
