/*
 * test_select.c - poll(2) and select(2) on a pollable test file (a
 * blocked poll woken through pollwake, timeouts, POLLNVAL, EBADF, the
 * wait entries taken off again), the fd table growing past 1024, and
 * fork's copy of the fd table (kp_files_dup).  (Test state is
 * file-scope; initcalls take no argument.)
 */
#include <errno.h>
#include <string.h>

#include "kp_test.h"
#include "testfile.h"
#include "net/file.h"
#include "net/select.h"
#include "sched/host.h"
#include "sched/sched.h"
#include "sched/softirq.h"
#include "sched/timer.h"

static struct {
	struct testfile tf[2];
	int zero_timeout, timed_out, woken, revents0, revents1, nval;
	int queued_while_asleep, queued_after;
	int select_ready, select_bit, select_ebadf;
	int last_fd, dup_count, dup_same;
} st_;

static int open_testfile(struct testfile *tf)
{
	int fd = get_unused_fd_flags(0);
	fd_install(fd, alloc_file(&testfile_fops, tf, 0));
	return fd;
}

static int queued(struct testfile *tf)
{
	int n = 0;
	wait_queue_t *w;
	list_for_each_entry(w, &tf->wq.task_list, task_list)
		n++;
	return n;
}

static void maker(void *arg)
{
	(void)arg;
	set_current_state(TASK_INTERRUPTIBLE);
	schedule_timeout(10);
	st_.queued_while_asleep = queued(&st_.tf[0]) + queued(&st_.tf[1]);
	st_.tf[1].ready = 1;
	wake_up_interruptible_sync_poll(&st_.tf[1].wq, KP_POLLIN);
}

static void poller(void *arg)
{
	(void)arg;
	int a = open_testfile(&st_.tf[0]), b = open_testfile(&st_.tf[1]);
	struct kp_pollfd fds[2] = { { a, KP_POLLIN, 0 }, { b, KP_POLLIN, 0 } };

	st_.zero_timeout = sys_poll(fds, 2, 0);
	st_.timed_out = sys_poll(fds, 2, 3);
	st_.woken = sys_poll(fds, 2, -1); /* maker readies b after 10 ms */
	st_.revents0 = fds[0].revents;
	st_.revents1 = fds[1].revents;
	st_.queued_after = queued(&st_.tf[0]) + queued(&st_.tf[1]);
	struct kp_pollfd bad = { 77, KP_POLLIN, 0 };
	sys_poll(&bad, 1, 0);
	st_.nval = bad.revents;

	kp_fd_set rd;
	memset(&rd, 0, sizeof(rd));
	kp_fd_set_bit(a, &rd);
	kp_fd_set_bit(b, &rd);
	st_.select_ready = sys_select(b + 1, &rd, NULL, NULL, -1);
	st_.select_bit = kp_fd_isset(b, &rd) && !kp_fd_isset(a, &rd);
	memset(&rd, 0, sizeof(rd));
	kp_fd_set_bit(77, &rd);
	st_.select_ebadf = sys_select(78, &rd, NULL, NULL, 0);

	/* the table grows past its first 1024 slots */
	for (int i = 0; i < 1500; i++)
		st_.last_fd = open_testfile(&st_.tf[0]);
	/* fork's copy: same files, one more reference each */
	struct task_struct *child =
		kp_task_create(current_host(), "child", maker, NULL, -1, false);
	struct file *f = fget(a);
	long before = f->f_count;
	kp_files_dup(child, current);
	st_.dup_count = (int)(f->f_count - before);
	st_.dup_same = ((struct files_struct *)child->files)->fd[a] == f;
	fput(f);
	child->exit_files(child); /* the child never runs: host teardown
				   * frees it */
}

static int setup(void)
{
	struct kp_host *h = current_host();
	init_waitqueue_head(&st_.tf[0].wq);
	init_waitqueue_head(&st_.tf[1].wq);
	wake_up_process(kp_task_create(h, "poller", poller, NULL, -1, false));
	wake_up_process(kp_task_create(h, "maker", maker, NULL, -1, false));
	return 0;
}

static void teardown(struct kp_world *w)
{
	for (int i = 0; i < w->nr_hosts; i++)
		kp_host_destroy(w->hosts[i]);
}

static const struct kp_world_ops ops = { .teardown = teardown };

static void run(void)
{
	memset(&st_, 0, sizeof(st_));
	const struct kp_initcall calls[] = {
		{ KP_INITCALL_EARLY, "spawn_ksoftirqd", spawn_ksoftirqd },
		{ KP_INITCALL_LATE, "setup", setup },
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

KP_TEST(poll_sleeps_until_pollwake)
{
	run();
	KP_CHECK_EQ(st, st_.zero_timeout, 0);
	KP_CHECK_EQ(st, st_.timed_out, 0);
	KP_CHECK_EQ(st, st_.queued_while_asleep, 2); /* one per file */
	KP_CHECK_EQ(st, st_.woken, 1);
	KP_CHECK_EQ(st, st_.revents0, 0);
	KP_CHECK_EQ(st, st_.revents1, KP_POLLIN);
	KP_CHECK_EQ(st, st_.queued_after, 0); /* poll_freewait */
	KP_CHECK_EQ(st, st_.nval, KP_POLLNVAL);
}

KP_TEST(select_reports_ready_bits)
{
	run();
	KP_CHECK_EQ(st, st_.select_ready, 1);
	KP_CHECK_EQ(st, st_.select_bit, 1);
	KP_CHECK_EQ(st, st_.select_ebadf, -EBADF);
}

KP_TEST(fd_table_grows_and_fork_shares_files)
{
	run();
	KP_CHECK_EQ(st, st_.last_fd, 1504);
	KP_CHECK_EQ(st, st_.dup_count, 1);
	KP_CHECK_EQ(st, st_.dup_same, 1);
}

KP_TEST_MAIN(poll_sleeps_until_pollwake, select_reports_ready_bits,
	     fd_table_grows_and_fork_shares_files)
