/*
 * bench_epoll.c - epoll_ctl_ns, epoll_wait_10k_ns, sock_idle_bytes.
 *
 * The default world; a kernel-side bench task on server makes EP_SOCKS
 * bound non-blocking UDP sockets and one epoll fd with all of them
 * registered (the heap growth over those sockets, per socket, is
 * sock_idle_bytes: struct socket, struct udp_sock, struct file and the
 * fd slot).  Then, timed in wall-clock time:
 *   epoll_ctl_ns       EPOLL_CTL_ADD of EP_EXTRA more sockets, each with
 *                      10,000+ already in the red-black tree;
 *   epoll_wait_10k_ns  epoll_wait(maxevents 1, timeout 0) returning the
 *                      one ready socket (a datagram injected on the wire
 *                      and left unread; level-triggered, so it stays
 *                      ready) among the 10,000.
 * The task runs system calls directly (no user-mode wrappers) and
 * sleeps between the two phases while the datagram is injected.  The
 * trace ring is on, as in interactive use.  Medians of KP_BENCH_RUNS.
 */
#include <arpa/inet.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"
#include "net/eventpoll.h"
#include "net/socket.h"
#include "sched/host.h"
#include "sched/sched.h"
#include "sched/smp.h"
#include "ui/out.h"
#include "ui/session.h"

#define EP_SOCKS 10000
#define EP_EXTRA 1000
#define EP_WAITS 200000
#define EP_PORT0 20000

struct ep_bench {
	struct kp_host *h;
	struct task_struct *t;
	int fds[EP_SOCKS + EP_EXTRA];
	int epfd;
	int errors;
	bool phase1_done, done;
	double ctl_ns, wait_ns, idle_bytes;
};

static int open_bound(int port)
{
	struct sockaddr_in sin;
	int fd = sys_socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0);
	if (fd < 0)
		return fd;
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_port = htons((uint16_t)port);
	int err = sys_bind(fd, (struct sockaddr *)&sin, sizeof(sin));
	return err < 0 ? err : fd;
}

static void ep_bench_task(void *arg)
{
	struct ep_bench *b = arg;
	struct epoll_event ev = { EPOLLIN, 0 };

	/* phase 1: 10,000 idle sockets, all registered */
	size_t before = mallinfo2().uordblks;
	for (int i = 0; i < EP_SOCKS; i++)
		if ((b->fds[i] = open_bound(EP_PORT0 + i)) < 0)
			b->errors++;
	size_t after = mallinfo2().uordblks;
	b->idle_bytes = (double)(after - before) / EP_SOCKS;
	b->epfd = sys_epoll_create1(0);
	for (int i = 0; i < EP_SOCKS; i++) {
		ev.data = (uint64_t)b->fds[i];
		if (sys_epoll_ctl(b->epfd, EPOLL_CTL_ADD, b->fds[i], &ev) < 0)
			b->errors++;
	}
	for (int i = EP_SOCKS; i < EP_SOCKS + EP_EXTRA; i++)
		if ((b->fds[i] = open_bound(EP_PORT0 + i)) < 0)
			b->errors++;
	uint64_t t0 = kp_bench_now_ns();
	for (int i = EP_SOCKS; i < EP_SOCKS + EP_EXTRA; i++) {
		ev.data = (uint64_t)b->fds[i];
		if (sys_epoll_ctl(b->epfd, EPOLL_CTL_ADD, b->fds[i], &ev) < 0)
			b->errors++;
	}
	b->ctl_ns = (double)(kp_bench_now_ns() - t0) / EP_EXTRA;
	/* take the extra ones out again: 10,000 registered */
	for (int i = EP_SOCKS; i < EP_SOCKS + EP_EXTRA; i++)
		sys_close(b->fds[i]);

	/* wait for the datagram */
	b->phase1_done = true;
	set_current_state(TASK_INTERRUPTIBLE);
	schedule();

	/* phase 2: one ready among 10,000 */
	struct epoll_event out[1];
	t0 = kp_bench_now_ns();
	for (int i = 0; i < EP_WAITS; i++)
		if (sys_epoll_wait(b->epfd, out, 1, 0) != 1)
			b->errors++;
	b->wait_ns = (double)(kp_bench_now_ns() - t0) / EP_WAITS;
	for (int i = 0; i < EP_SOCKS; i++)
		sys_close(b->fds[i]);
	sys_close(b->epfd);
	b->done = true;
	do_exit(0);
}

static void spawn_bench(void *info)
{
	struct ep_bench *b = info;
	b->t = kp_task_create(b->h, "epoll-bench", ep_bench_task, b, -1,
			      false);
	if (b->t)
		wake_up_process(b->t);
	else
		b->errors++;
}

static void wake_bench(void *info)
{
	struct ep_bench *b = info;
	wake_up_process(b->t);
}

static void exec_line(struct kp_session *s, struct ep_bench *b,
		      const char *line)
{
	if (kp_session_exec(s, line) < 0)
		b->errors++;
}

static int epoll_run(double *ctl, double *wait, double *idle)
{
	struct kp_strbuf sb;
	struct kp_out out;
	struct kp_world_config cfg;
	struct ep_bench *b = calloc(1, sizeof(*b));
	if (!b)
		return -1;
	kp_world_config_default(&cfg);
	kp_strbuf_init(&sb);
	kp_out_init_strbuf(&out, &sb);
	struct kp_session *s = kp_session_new(&cfg, &out);
	if (!s) {
		free(b);
		kp_strbuf_free(&sb);
		return -1;
	}
	s->batch = true;
	exec_line(s, b, "ps"); /* boots the world */
	b->h = kp_host_by_name(s->world, "server");
	kp_host_call(b->h, 0, spawn_bench, b, NULL);
	kp_session_run(s, KP_RUN_CONTINUE, 0);
	if (!b->phase1_done)
		b->errors++;
	exec_line(s, b, "inject server udp 10.0.0.1:4000 > 10.0.0.2:20000 "
			"data ready");
	exec_line(s, b, "continue");
	kp_host_call(b->h, 0, wake_bench, b, NULL);
	kp_session_run(s, KP_RUN_CONTINUE, 0);
	int ok = b->done && !b->errors;
	if (!ok)
		fprintf(stderr, "epoll bench: %d errors, done %d: %s\n",
			b->errors, b->done, kp_strbuf_str(&sb));
	*ctl = b->ctl_ns;
	*wait = b->wait_ns;
	*idle = b->idle_bytes;
	kp_session_free(s);
	kp_strbuf_free(&sb);
	free(b);
	return ok ? 0 : -1;
}

void bench_epoll(const struct kp_bench_ctx *ctx)
{
	(void)ctx;
	double ctl[KP_BENCH_RUNS], wait[KP_BENCH_RUNS], idle[KP_BENCH_RUNS];
	for (int r = 0; r < KP_BENCH_RUNS; r++)
		if (epoll_run(&ctl[r], &wait[r], &idle[r]) < 0)
			ctl[r] = wait[r] = idle[r] = 0;
	kp_bench_report("epoll_ctl_ns", kp_bench_median(ctl, KP_BENCH_RUNS),
			"ns");
	kp_bench_report("epoll_wait_10k_ns",
			kp_bench_median(wait, KP_BENCH_RUNS), "ns");
	kp_bench_report("sock_idle_bytes", kp_bench_median(idle, KP_BENCH_RUNS),
			"bytes");
}
