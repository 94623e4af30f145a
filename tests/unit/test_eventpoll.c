/*
 * test_eventpoll.c - epoll on a pollable test file: a blocked epoll_wait
 * woken through ep_poll_callback, level- vs edge-triggered re-queueing,
 * EEXIST/ENOENT, and the thundering herd with and without EPOLLEXCLUSIVE.
 * (Test state is file-scope; initcalls take no argument.)
 */
#include <errno.h>
#include <string.h>

#include "engine/probe.h"
#include "kp_test.h"
#include "testfile.h"
#include "net/eventpoll.h"
#include "net/file.h"
#include "sched/host.h"
#include "sched/sched.h"
#include "sched/softirq.h"
#include "sched/timer.h"

static struct {
	struct testfile tf;
	int tfd;
	int nwaiters;
	unsigned int ep_flags;
	int got[8];
	int lt_again, et_again;
	int eexist, enoent;
	unsigned long callbacks;
} ept;

static int open_testfile(void)
{
	int fd = get_unused_fd_flags(0);
	struct file *f = alloc_file(&testfile_fops, &ept.tf, 0);
	fd_install(fd, f);
	return fd;
}

static void sleep_ms(int ms)
{
	set_current_state(TASK_INTERRUPTIBLE);
	schedule_timeout(ms);
}

static void make_ready(void *arg)
{
	(void)arg;
	sleep_ms(2);
	ept.tf.ready = 1;
	wake_up_interruptible_sync_poll(&ept.tf.wq, EPOLLIN);
	sleep_ms(5);
}

/* Each waiter has its own epoll fd watching the shared test file. */
static void waiter(void *arg)
{
	int i = (int)(long)arg;
	struct task_struct *me = current;
	/* share the creator's fd table view of the test file */
	int tfd = open_testfile();
	int epfd = sys_epoll_create1(0);
	struct epoll_event ev = { EPOLLIN | ept.ep_flags, (uint64_t)i };
	sys_epoll_ctl(epfd, EPOLL_CTL_ADD, tfd, &ev);
	if (i == 0) {
		ept.eexist = sys_epoll_ctl(epfd, EPOLL_CTL_ADD, tfd, &ev);
		ept.enoent = sys_epoll_ctl(epfd, EPOLL_CTL_MOD, 999, &ev);
	}
	struct epoll_event out[4];
	int n = sys_epoll_wait(epfd, out, 4, 20);
	ept.got[i] = n == 1 && out[0].events == EPOLLIN &&
		     out[0].data == (uint64_t)i;
	(void)me;
	if (i == 0) {
		/* still readable: LT reports it again, ET does not */
		int again = sys_epoll_wait(epfd, out, 4, 0);
		if (ept.ep_flags & EPOLLET)
			ept.et_again = again;
		else
			ept.lt_again = again;
		struct file *ef = fget(epfd);
		ept.callbacks = kp_file_eventpoll(ef)->callbacks;
		fput(ef);
	}
}

static int epoll_setup(void)
{
	struct kp_host *h = current_host();
	init_waitqueue_head(&ept.tf.wq);
	for (long i = 0; i < ept.nwaiters; i++)
		wake_up_process(kp_task_create(h, "waiter", waiter, (void *)i,
					       -1, false));
	wake_up_process(kp_task_create(h, "maker", make_ready, NULL, -1, false));
	return 0;
}

static void teardown(struct kp_world *w)
{
	for (int i = 0; i < w->nr_hosts; i++)
		kp_host_destroy(w->hosts[i]);
}

static const struct kp_world_ops ops = { .teardown = teardown };

static void run(int nwaiters, unsigned int flags)
{
	memset(&ept, 0, sizeof(ept));
	ept.nwaiters = nwaiters;
	ept.ep_flags = flags;
	const struct kp_initcall calls[] = {
		{ KP_INITCALL_EARLY, "spawn_ksoftirqd", spawn_ksoftirqd },
		{ KP_INITCALL_LATE, "epoll_setup", epoll_setup },
	};
	struct kp_world w;
	kp_world_init(&w, 1, 12);
	w.ops = &ops;
	struct kp_host_config cfg = { .name = "h", .nr_cpus = 2,
				      .initcalls = calls, .nr_initcalls = 2 };
	kp_host_power_on(kp_host_create(&w, &cfg), 0);
	kp_world_set_mode(&w, KP_RUN_CONTINUE, 0);
	kp_world_run(&w);
	kp_world_destroy(&w);
}

static int woken(void)
{
	int n = 0;
	for (int i = 0; i < 8; i++)
		n += ept.got[i];
	return n;
}

KP_TEST(epoll_wait_wakes_on_readiness_and_lt_requeues)
{
	run(1, 0);
	KP_CHECK_EQ(st, ept.got[0], 1);
	KP_CHECK_EQ(st, ept.lt_again, 1);
	KP_CHECK_EQ(st, ept.eexist, -EEXIST);
	KP_CHECK_EQ(st, ept.enoent, -EBADF); /* fd 999 is not open */
	KP_CHECK_EQ(st, ept.callbacks, 1);
}

KP_TEST(edge_triggered_reports_once)
{
	run(1, EPOLLET);
	KP_CHECK_EQ(st, ept.got[0], 1);
	KP_CHECK_EQ(st, ept.et_again, 0);
}

KP_TEST(herd_without_exclusive_wakes_every_epoll)
{
	run(4, 0);
	KP_CHECK_EQ(st, woken(), 4);
}

KP_TEST(herd_with_exclusive_wakes_one)
{
	run(4, EPOLLEXCLUSIVE);
	/* one wakes with the event; the others time out empty */
	KP_CHECK_EQ(st, woken(), 1);
}

KP_TEST_MAIN(epoll_wait_wakes_on_readiness_and_lt_requeues,
	     edge_triggered_reports_once,
	     herd_without_exclusive_wakes_every_epoll,
	     herd_with_exclusive_wakes_one)
