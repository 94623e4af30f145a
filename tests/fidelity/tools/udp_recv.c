/*
 * udp_recv.c - the fidelity harness's UDP receiver (real-kernel side).
 *
 *   udp_recv -p PORT [-a ADDR] [-b RCVBUF] [-m read|hold] [-n COUNT]
 *            [-r READYFILE] [-g GOFILE] [-t IDLE_MS]
 *
 * Binds a UDP socket to ADDR:PORT (default 0.0.0.0), sets SO_RCVBUF when
 * -b is given, then creates READYFILE so the harness knows it listens.
 *   read: recv() until COUNT datagrams arrived or none came for IDLE_MS.
 *   hold: read nothing until GOFILE exists (or IDLE_MS passed), then
 *         report what the queue holds (SO_MEMINFO's rmem_alloc, so
 *         truesize = rmem_alloc / queued) and drain it.
 * Prints one line: "rcvbuf R queued Q rmem_alloc M received N bytes B".
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/sock_diag.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#ifndef SO_MEMINFO
#define SO_MEMINFO 55
#endif

static void touch(const char *path)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd >= 0)
		close(fd);
}

static long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

int main(int argc, char **argv)
{
	const char *addr = "0.0.0.0", *mode = "read", *ready = NULL,
		   *go = NULL;
	int port = 0, rcvbuf = -1, count = -1, idle = 2000, c;
	while ((c = getopt(argc, argv, "p:a:b:m:n:r:g:t:")) != -1) {
		switch (c) {
		case 'p': port = atoi(optarg); break;
		case 'a': addr = optarg; break;
		case 'b': rcvbuf = atoi(optarg); break;
		case 'm': mode = optarg; break;
		case 'n': count = atoi(optarg); break;
		case 'r': ready = optarg; break;
		case 'g': go = optarg; break;
		case 't': idle = atoi(optarg); break;
		default:
			fprintf(stderr, "usage: udp_recv -p PORT [-a ADDR] "
					"[-b RCVBUF] [-m read|hold] [-n COUNT] "
					"[-r READY] [-g GO] [-t IDLE_MS]\n");
			return 2;
		}
	}
	int fd = socket(AF_INET, SOCK_DGRAM, 0);
	if (fd < 0) {
		perror("socket");
		return 1;
	}
	if (rcvbuf >= 0 &&
	    setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf))) {
		perror("setsockopt SO_RCVBUF");
		return 1;
	}
	struct sockaddr_in sin = {.sin_family = AF_INET,
				  .sin_port = htons((unsigned short)port)};
	if (inet_pton(AF_INET, addr, &sin.sin_addr) != 1 ||
	    bind(fd, (struct sockaddr *)&sin, sizeof(sin))) {
		perror("bind");
		return 1;
	}
	int eff = 0;
	socklen_t len = sizeof(eff);
	getsockopt(fd, SOL_SOCKET, SO_RCVBUF, &eff, &len);
	if (ready)
		touch(ready);

	char buf[65536];
	long received = 0, bytes = 0, queued = 0;
	unsigned int rmem = 0;
	if (strcmp(mode, "hold") == 0) {
		long end = now_ms() + idle;
		struct stat st;
		while (now_ms() < end && !(go && stat(go, &st) == 0))
			usleep(5000);
		unsigned int mi[SK_MEMINFO_VARS] = {0};
		len = sizeof(mi);
		if (getsockopt(fd, SOL_SOCKET, SO_MEMINFO, mi, &len) == 0)
			rmem = mi[SK_MEMINFO_RMEM_ALLOC];
		for (;;) {
			ssize_t n = recv(fd, buf, sizeof(buf), MSG_DONTWAIT);
			if (n < 0)
				break;
			queued++;
			received++;
			bytes += n;
		}
	} else {
		struct pollfd p = {.fd = fd, .events = POLLIN};
		while (count < 0 || received < count) {
			int r = poll(&p, 1, idle);
			if (r <= 0)
				break;
			ssize_t n = recv(fd, buf, sizeof(buf), 0);
			if (n < 0) {
				if (errno == EINTR)
					continue;
				break;
			}
			received++;
			bytes += n;
		}
	}
	printf("rcvbuf %d queued %ld rmem_alloc %u received %ld bytes %ld\n",
	       eff, queued, rmem, received, bytes);
	return 0;
}
