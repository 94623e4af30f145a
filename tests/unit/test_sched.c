/*
 * test_sched.c - the kernel core: wait queues with exclusive wake-ups,
 * softirq deferral to ksoftirqd after the restart limit, timers, boot
 * and determinism.  Each test builds a one-host world whose initcalls
 * start the tasks under test, runs it until nothing is left to do, and
 * checks what happened.  (Test state is file-scope: tests are not the
 * product, and initcalls take no argument.)
 */
#include <string.h>

#include "engine/probe.h"
#include "kernel/kernel.h"
#include "kp_test.h"
#include "sched/host.h"
#include "sched/irq.h"
#include "sched/sched.h"
#include "sched/smp.h"
#include "sched/softirq.h"
#include "sched/timer.h"
#include "sched/wait.h"

static void teardown_hosts(struct kp_world *w)
{
	for (int i = 0; i < w->nr_hosts; i++)
		kp_host_destroy(w->hosts[i]);
	w->nr_hosts = 0;
}

static const struct kp_world_ops test_world_ops = {
	.teardown = teardown_hosts,
};

/* One host with @ic as its initcalls (after spawn_ksoftirqd), at power-on. */
static struct kp_world *new_host_world(int (*ic)(void), int nr_cpus)
{
	static struct kp_initcall calls[2];
	calls[0] = (struct kp_initcall){ KP_INITCALL_EARLY, "spawn_ksoftirqd",
					 spawn_ksoftirqd };
	calls[1] = (struct kp_initcall){ KP_INITCALL_LATE, "test", ic };
	struct kp_world *w = calloc(1, sizeof(*w));
	kp_world_init(w, 1, 12);
	w->ops = &test_world_ops;
	struct kp_host_config cfg = { .name = "h", .nr_cpus = nr_cpus,
				      .initcalls = calls, .nr_initcalls = 2 };
	struct kp_host *h = kp_host_create(w, &cfg);
	kp_host_power_on(h, 0);
	return w;
}

/* ... run until nothing is left to do. */
static struct kp_world *run_host(int (*ic)(void), int nr_cpus)
{
	struct kp_world *w = new_host_world(ic, nr_cpus);
	kp_world_set_mode(w, KP_RUN_CONTINUE, 0);
	kp_world_run(w);
	return w;
}

static void free_world(struct kp_world *w)
{
	kp_world_destroy(w);
	free(w);
}

static int nothing(void)
{
	return 0;
}

/* ---- wait queues ---- */

static struct {
	wait_queue_head_t q;
	int woken[4];
	int first_wake, second_wake;
	unsigned long nvcsw[4];
} herd;

static void herd_waiter(void *arg)
{
	int i = (int)(long)arg;
	DEFINE_WAIT(wait);
	if (i < 3)
		prepare_to_wait_exclusive(&herd.q, &wait, TASK_INTERRUPTIBLE);
	else
		prepare_to_wait(&herd.q, &wait, TASK_INTERRUPTIBLE);
	schedule();
	finish_wait(&herd.q, &wait);
	herd.woken[i] = 1;
	herd.nvcsw[i] = current->nvcsw;
}

static int count_woken(void)
{
	return herd.woken[0] + herd.woken[1] + herd.woken[2] + herd.woken[3];
}

static void herd_waker(void *arg)
{
	(void)arg;
	set_current_state(TASK_INTERRUPTIBLE);
	schedule_timeout(1);
	__wake_up(&herd.q, TASK_INTERRUPTIBLE, 1, NULL);
	set_current_state(TASK_INTERRUPTIBLE);
	schedule_timeout(1);
	herd.first_wake = count_woken();
	__wake_up(&herd.q, TASK_INTERRUPTIBLE, 0, NULL);
	set_current_state(TASK_INTERRUPTIBLE);
	schedule_timeout(1);
	herd.second_wake = count_woken();
}

static int herd_setup(void)
{
	struct kp_host *h = current_host();
	init_waitqueue_head(&herd.q);
	for (long i = 0; i < 4; i++)
		wake_up_process(kp_task_create(h, "waiter", herd_waiter,
					       (void *)i, -1, false));
	wake_up_process(kp_task_create(h, "waker", herd_waker, NULL, -1, false));
	return 0;
}

KP_TEST(exclusive_wakeup_wakes_non_exclusive_plus_nr_exclusive)
{
	memset(&herd, 0, sizeof(herd));
	struct kp_world *w = run_host(herd_setup, 2);
	/* non-exclusive entries are at the head and all woken, then exactly
	 * nr_exclusive=1 exclusive one; nr_exclusive=0 wakes the rest */
	KP_CHECK_EQ(st, herd.first_wake, 2);
	KP_CHECK_EQ(st, herd.woken[3], 1);
	KP_CHECK_EQ(st, herd.woken[0], 1); /* FIFO among exclusive waiters */
	KP_CHECK_EQ(st, herd.second_wake, 4);
	for (int i = 0; i < 4; i++)
		KP_CHECK_EQ(st, herd.nvcsw[i], 1);
	KP_CHECK(st, !waitqueue_active(&herd.q));
	free_world(w);
}

/* ---- softirq deferral ---- */

static struct {
	int runs, in_hardirq_exit, in_ksoftirqd;
	int line;
	uint64_t exhausted;
} soft;

static void test_softirq_action(struct softirq_action *a)
{
	(void)a;
	soft.runs++;
	if (current == this_cpu()->ksoftirqd)
		soft.in_ksoftirqd++;
	else
		soft.in_hardirq_exit++;
	if (soft.runs < 30)
		raise_softirq_irqoff(BLOCK_SOFTIRQ);
	soft.exhausted = this_cpu()->softirq_restarts_exhausted;
}

static irqreturn_t test_irq_handler(int irq, void *dev)
{
	(void)irq;
	(void)dev;
	raise_softirq_irqoff(BLOCK_SOFTIRQ);
	return IRQ_HANDLED;
}

static void raise_line(struct kp_world *w, void *arg, uint64_t data)
{
	(void)data;
	(void)w;
	kp_irq_raise(arg, (unsigned)soft.line);
}

static int softirq_setup(void)
{
	struct kp_host *h = current_host();
	open_softirq(BLOCK_SOFTIRQ, test_softirq_action);
	soft.line = kp_irq_alloc_line(h);
	request_irq((unsigned)soft.line, test_irq_handler, 0, "test", NULL);
	irq_set_affinity(h, (unsigned)soft.line, 0);
	kp_world_at(h->world, 1000000, raise_line, h, 0, NULL);
	return 0;
}

KP_TEST(softirq_moves_to_ksoftirqd_after_restart_limit)
{
	memset(&soft, 0, sizeof(soft));
	struct kp_world *w = run_host(softirq_setup, 1);
	KP_CHECK_EQ(st, soft.runs, 30);
	/* one pass plus MAX_SOFTIRQ_RESTART-1 restarts at irq_exit */
	KP_CHECK_EQ(st, soft.in_hardirq_exit, MAX_SOFTIRQ_RESTART);
	KP_CHECK_EQ(st, soft.in_ksoftirqd, 30 - MAX_SOFTIRQ_RESTART);
	KP_CHECK(st, soft.exhausted >= 1);
	struct kp_cpu *cpu = w->hosts[0]->cpus[0];
	KP_CHECK_EQ(st, w->hosts[0]->irq_desc[soft.line].count[0], 1);
	KP_CHECK_EQ(st, cpu->softirq_count[BLOCK_SOFTIRQ], 30);
	free_world(w);
}

/* ---- timers ---- */

static struct {
	uint64_t slept_ns;
	int fired_in_softirq, fired_deleted;
	struct timer_list t1, t2;
	int hr_ret;
	uint64_t hr_woke_at;
} tim;

static void timer_fn(unsigned long data)
{
	if (data == 1)
		tim.fired_in_softirq = in_serving_softirq();
	else
		tim.fired_deleted = 1;
}

static void timer_task(void *arg)
{
	(void)arg;
	uint64_t t0 = local_clock();
	set_current_state(TASK_INTERRUPTIBLE);
	schedule_timeout(5);
	tim.slept_ns = local_clock() - t0;
	setup_timer(&tim.t1, timer_fn, 1);
	setup_timer(&tim.t2, timer_fn, 2);
	mod_timer(&tim.t1, jiffies + 2);
	mod_timer(&tim.t2, jiffies + 3);
	del_timer(&tim.t2);
	set_current_state(TASK_INTERRUPTIBLE);
	tim.hr_ret = schedule_hrtimeout_range(local_clock() + 250000, 0);
	tim.hr_woke_at = local_clock();
}

static int timer_setup(void)
{
	wake_up_process(kp_task_create(current_host(), "sleeper", timer_task,
				       NULL, -1, false));
	return 0;
}

KP_TEST(timers_fire_in_softirq_and_sleepers_wake)
{
	memset(&tim, 0, sizeof(tim));
	struct kp_world *w = run_host(timer_setup, 2);
	KP_CHECK(st, tim.slept_ns >= 4 * NSEC_PER_MSEC);
	KP_CHECK(st, tim.slept_ns <= 6 * NSEC_PER_MSEC);
	KP_CHECK_EQ(st, tim.fired_in_softirq, 1);
	KP_CHECK_EQ(st, tim.fired_deleted, 0);
	KP_CHECK_EQ(st, tim.hr_ret, 0);
	KP_CHECK(st, tim.hr_woke_at > 0);
	free_world(w);
}

/* ---- boot and determinism ---- */

KP_TEST(default_world_boots_ksoftirqd_on_each_cpu)
{
	struct kp_world_config cfg;
	kp_world_config_default(&cfg);
	struct kp_world *w = kp_world_new(&cfg);
	kp_world_set_mode(w, KP_RUN_CONTINUE, 0);
	KP_CHECK_EQ(st, kp_world_run(w), KP_STOP_IDLE);
	KP_CHECK_EQ(st, kp_hosts_booting(w), 0);
	for (int i = 0; i < w->nr_hosts; i++) {
		struct kp_host *h = w->hosts[i];
		for (int c = 0; c < h->nr_cpus; c++) {
			struct task_struct *k = h->cpus[c]->ksoftirqd;
			KP_CHECK(st, k != NULL);
			if (!k)
				continue;
			char want[16];
			snprintf(want, sizeof(want), "ksoftirqd/%u", (unsigned)c & 0xffu);
			KP_CHECK_STR(st, k->comm, want);
			KP_CHECK_EQ(st, k->state, TASK_INTERRUPTIBLE);
			KP_CHECK_EQ(st, k->cpu, c);
		}
	}
	kp_world_free(w);
}

KP_TEST(same_seed_same_trace)
{
	struct kp_world_config cfg;
	kp_world_config_default(&cfg);
	struct kp_world *a = kp_world_new(&cfg);
	struct kp_world *b = kp_world_new(&cfg);
	kp_world_set_mode(a, KP_RUN_CONTINUE, 0);
	kp_world_set_mode(b, KP_RUN_CONTINUE, 0);
	kp_world_run(a);
	kp_world_run(b);
	KP_CHECK_EQ(st, a->trace.seq, b->trace.seq);
	for (uint64_t s = 0; s < a->trace.seq; s++) {
		const struct kp_trace_rec *x = kp_trace_get(&a->trace, s);
		const struct kp_trace_rec *y = kp_trace_get(&b->trace, s);
		if (x && y && memcmp(x, y, sizeof(*x))) {
			KP_CHECK(st, !"trace records differ");
			break;
		}
	}
	kp_world_free(a);
	kp_world_free(b);
}


KP_TEST(step_stops_at_each_probe_and_next_skips_callees)
{
	struct kp_world *w = new_host_world(nothing, 2);
	kp_world_set_mode(w, KP_RUN_STEP, 1);
	KP_CHECK_EQ(st, kp_world_run(w), KP_STOP_STEP);
	KP_CHECK_EQ(st, w->trace.seq, 1);
	KP_CHECK_EQ(st, kp_trace_get(&w->trace, 0)->probe, KP_P_start_kernel);
	/* break inside boot, then finish returns to the caller's depth */
	kp_break_add(w, KP_P_smpboot_register_percpu_thread, false, NULL, NULL);
	kp_world_set_mode(w, KP_RUN_CONTINUE, 0);
	KP_CHECK_EQ(st, kp_world_run(w), KP_STOP_BREAKPOINT);
	struct kp_thread_info *ti = w->stop_ctl.at;
	KP_CHECK(st, ti != NULL);
	if (ti) {
		uint32_t d = ti->depth;
		KP_CHECK_EQ(st, ti->frames[d - 1].probe,
			    KP_P_smpboot_register_percpu_thread);
		KP_CHECK_EQ(st, ti->frames[d - 2].probe, KP_P_spawn_ksoftirqd);
		KP_CHECK_EQ(st, ti->frames[d - 3].probe, KP_P_do_one_initcall);
		KP_CHECK_EQ(st, ti->frames[d - 4].probe, KP_P_kernel_init);
		/* next skips the callees (kthread_create_on_cpu...) */
		kp_world_set_mode(w, KP_RUN_STEP, 1);
		kp_world_run(w);
		KP_CHECK_EQ(st, kp_trace_get(&w->trace, w->stop_ctl.seq)->probe,
			    KP_P_kthread_create_on_cpu);
		uint32_t callee_depth = ti->depth;
		KP_CHECK_EQ(st, callee_depth, d + 1);
		kp_world_set_mode(w, KP_RUN_FINISH, 0);
		KP_CHECK_EQ(st, kp_world_run(w), KP_STOP_FINISH);
		KP_CHECK(st, w->stop_ctl.at == ti);
		KP_CHECK_EQ(st, ti->depth, d);
		kp_world_set_mode(w, KP_RUN_NEXT, 0);
		kp_world_run(w);
		KP_CHECK(st, w->stop_ctl.at == ti);
		KP_CHECK_EQ(st, ti->depth, d + 1); /* wake_up_process, a sibling */
		KP_CHECK_EQ(st, kp_trace_get(&w->trace, w->stop_ctl.seq)->probe,
			    KP_P_wake_up_process);
	}
	free_world(w);
}

/* ---- the function-call interrupt ---- */

static struct {
	int ran_on_cpu;
	int in_hardirq;
	int calls;
} call;

static void called(void *info)
{
	call.calls += (int)(long)info;
	call.ran_on_cpu = this_cpu()->id;
	call.in_hardirq = in_irq();
}

KP_TEST(host_call_runs_in_hardirq_on_the_target_cpu)
{
	memset(&call, 0, sizeof(call));
	struct kp_world *w = run_host(nothing, 2);
	struct kp_host *h = w->hosts[0];
	KP_CHECK_EQ(st, kp_host_call(h, 1, called, (void *)2L, NULL), 0);
	KP_CHECK_EQ(st, kp_host_call(h, 1, called, (void *)3L, NULL), 0);
	KP_CHECK(st, kp_host_call(h, 7, called, NULL, NULL) < 0);
	kp_world_set_mode(w, KP_RUN_CONTINUE, 0);
	kp_world_run(w);
	KP_CHECK_EQ(st, call.calls, 5);
	KP_CHECK_EQ(st, call.ran_on_cpu, 1);
	KP_CHECK_EQ(st, call.in_hardirq, 1);
	KP_CHECK_EQ(st, h->irq_desc[CALL_FUNCTION_IRQ].count[1], 1);
	free_world(w);
}

KP_TEST_MAIN(host_call_runs_in_hardirq_on_the_target_cpu,
	     exclusive_wakeup_wakes_non_exclusive_plus_nr_exclusive,
	     softirq_moves_to_ksoftirqd_after_restart_limit,
	     timers_fire_in_softirq_and_sleepers_wake,
	     default_world_boots_ksoftirqd_on_each_cpu, same_seed_same_trace,
	     step_stops_at_each_probe_and_next_skips_callees)
