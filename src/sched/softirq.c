/*
 * softirq.c - softirqs, their processing at irq_exit and local_bh_enable,
 * and the ksoftirqd threads that take over when there is too much
 * (kernel/softirq.c in 3.10).
 */
#include "softirq.h"

#include <stdio.h>

#include "engine/probe.h"
#include "host.h"
#include "irq.h"
#include "sched.h"

const char *const softirq_to_name[NR_SOFTIRQS] = {
	"HI",      "TIMER", "NET_TX",  "NET_RX",  "BLOCK",
	"BLOCK_IOPOLL", "TASKLET", "SCHED", "HRTIMER", "RCU",
};

void open_softirq(int nr, void (*action)(struct softirq_action *))
{
	KP_FUNC_ARG(open_softirq, KP_NOOBJ, nr);
	current_host()->softirq_vec[nr].action = action;
}

unsigned int local_softirq_pending(void)
{
	return this_cpu()->softirq_pending;
}

void __raise_softirq_irqoff(unsigned int nr)
{
	KP_FUNC_ARG(__raise_softirq_irqoff, KP_NOOBJ, nr);
	this_cpu()->softirq_pending |= 1u << nr;
}

void wakeup_softirqd(void)
{
	KP_FUNC0(wakeup_softirqd);
	struct task_struct *tsk = this_cpu()->ksoftirqd;
	if (tsk && tsk->state != TASK_RUNNING)
		wake_up_process(tsk);
}

void raise_softirq_irqoff(unsigned int nr)
{
	KP_FUNC_ARG(raise_softirq_irqoff, KP_NOOBJ, nr);
	__raise_softirq_irqoff(nr);
	/* Outside interrupt context nobody would run it soon: ksoftirqd. */
	if (!in_interrupt())
		wakeup_softirqd();
}

void raise_softirq(unsigned int nr)
{
	KP_FUNC_ARG(raise_softirq, KP_NOOBJ, nr);
	unsigned long flags;
	local_irq_save(flags);
	raise_softirq_irqoff(nr);
	local_irq_restore(flags);
}

/* The CPU's context (v.ctx) depends only on these bits of preempt_count
 * (kp_cpu_update_ctx, its only writer).  local_bh_disable/enable's
 * SOFTIRQ_DISABLE_OFFSET leaves them alone: those skip the update (two
 * calls a datagram). */
#define CTX_BITS (HARDIRQ_MASK | SOFTIRQ_OFFSET)

static void softirq_enter(struct kp_cpu *cpu, unsigned int offset)
{
	unsigned int old = cpu->preempt_count;
	if (!(cpu->preempt_count & SOFTIRQ_OFFSET) && offset == SOFTIRQ_OFFSET)
		cpu->softirq_enter_time = cpu->v.clock;
	cpu->preempt_count += offset;
	if ((old ^ cpu->preempt_count) & CTX_BITS)
		kp_cpu_update_ctx(cpu);
}

static void softirq_leave(struct kp_cpu *cpu, unsigned int offset)
{
	unsigned int old = cpu->preempt_count;
	cpu->preempt_count -= offset;
	if (offset == SOFTIRQ_OFFSET && !(cpu->preempt_count & SOFTIRQ_OFFSET))
		cpu->softirq_ns += cpu->v.clock - cpu->softirq_enter_time;
	if ((old ^ cpu->preempt_count) & CTX_BITS)
		kp_cpu_update_ctx(cpu);
}

void __do_softirq(void)
{
	KP_FUNC0(__do_softirq);
	struct kp_cpu *cpu = this_cpu();
	struct kp_host *h = cpu->host;
	unsigned long end = jiffies + msecs_to_jiffies(MAX_SOFTIRQ_TIME_MS);
	int max_restart = MAX_SOFTIRQ_RESTART;
	uint32_t pending = cpu->softirq_pending;

	softirq_enter(cpu, SOFTIRQ_OFFSET);
restart:
	cpu->softirq_pending = 0;
	local_irq_enable();
	for (unsigned int nr = 0; pending; nr++, pending >>= 1) {
		if (!(pending & 1))
			continue;
		struct softirq_action *a = &h->softirq_vec[nr];
		cpu->softirq_count[nr]++;
		if (a->action)
			a->action(a);
	}
	local_irq_disable();
	pending = cpu->softirq_pending;
	if (pending) {
		if (time_before(jiffies, end) && !need_resched() &&
		    --max_restart)
			goto restart;
		cpu->softirq_restarts_exhausted++;
		wakeup_softirqd();
	}
	softirq_leave(cpu, SOFTIRQ_OFFSET);
}

void invoke_softirq(void)
{
	KP_FUNC0(invoke_softirq);
	__do_softirq();
}

static void do_softirq(void)
{
	unsigned long flags;
	if (in_interrupt())
		return;
	local_irq_save(flags);
	if (local_softirq_pending())
		__do_softirq();
	local_irq_restore(flags);
}

void local_bh_disable(void)
{
	softirq_enter(this_cpu(), SOFTIRQ_DISABLE_OFFSET);
}

void local_bh_enable(void)
{
	KP_FUNC0(local_bh_enable);
	struct kp_cpu *cpu = this_cpu();
	softirq_leave(cpu, SOFTIRQ_DISABLE_OFFSET);
	if (!in_interrupt() && local_softirq_pending())
		do_softirq();
}

/* ---- ksoftirqd ---- */

static int ksoftirqd_should_run(unsigned int cpu)
{
	KP_FUNC_ARG(ksoftirqd_should_run, KP_NOOBJ, cpu);
	return local_softirq_pending() != 0;
}

static void run_ksoftirqd(unsigned int cpu)
{
	KP_FUNC_ARG(run_ksoftirqd, KP_NOOBJ, cpu);
	local_irq_disable();
	if (local_softirq_pending()) {
		__do_softirq();
		local_irq_enable();
		cond_resched();
		return;
	}
	local_irq_enable();
}

static const struct smp_hotplug_thread softirq_threads = {
	.thread_comm = "ksoftirqd/%u",
	.thread_should_run = ksoftirqd_should_run,
	.thread_fn = run_ksoftirqd,
};

int spawn_ksoftirqd(void)
{
	KP_FUNC0(spawn_ksoftirqd);
	return smpboot_register_percpu_thread(&softirq_threads);
}

/* ---- smpboot: per-CPU threads (kernel/smpboot.c) ---- */

static void smpboot_thread_fn(void *data)
{
	struct task_struct *self = data;
	const struct smp_hotplug_thread *ht = self->ht;
	unsigned int cpu = (unsigned int)self->bound_cpu;

	for (;;) {
		KP_FUNC(smpboot_thread_fn, self);
		set_current_state(TASK_INTERRUPTIBLE);
		if (!ht->thread_should_run(cpu)) {
			schedule();
		} else {
			__set_current_state(TASK_RUNNING);
			ht->thread_fn(cpu);
		}
	}
}

static struct task_struct *kthread_create_on_cpu(void (*fn)(void *),
						 unsigned int cpu,
						 const char *comm)
{
	KP_FUNC_ARG(kthread_create_on_cpu, KP_NOOBJ, cpu);
	struct kp_host *h = current_host();
	struct task_struct *t = kp_task_create(h, comm, fn, NULL, (int)cpu, true);
	if (t)
		t->arg = t;
	return t;
}

int smpboot_register_percpu_thread(const struct smp_hotplug_thread *ht)
{
	KP_FUNC0(smpboot_register_percpu_thread);
	struct kp_host *h = current_host();
	for (int i = 0; i < h->nr_cpus; i++) {
		char comm[TASK_COMM_LEN];
		snprintf(comm, sizeof(comm), ht->thread_comm, (unsigned)i);
		struct task_struct *t =
			kthread_create_on_cpu(smpboot_thread_fn, (unsigned)i, comm);
		if (!t)
			return -12; /* -ENOMEM */
		t->ht = ht;
		if (ht == &softirq_threads)
			h->cpus[i]->ksoftirqd = t;
		wake_up_process(t);
	}
	return 0;
}
