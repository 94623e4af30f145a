/*
 * core.c - tasks, the runqueue, schedule() and wake-ups
 * (kernel/sched/core.c and a CFS reduced to its ordering rule).
 *
 * Each CPU keeps its runnable tasks in a list ordered by (vruntime, pid),
 * so the pick is deterministic.  Wake-up preemption follows CFS: the woken
 * task preempts when its vruntime is smaller than the running task's by
 * more than the wakeup granularity, or when the CPU is idle.  The kernel is
 * not preemptible (CONFIG_PREEMPT_NONE, the server default): a task
 * switches when it sleeps, calls cond_resched(), or returns to user mode
 * with need_resched set.
 */
#include "sched.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/probe.h"
#include "host.h"
#include "irq.h"

#define SCHED_WAKEUP_GRANULARITY_NS 1000000ull
#define SCHED_LATENCY_NS 6000000ull

void kp_cpu_update_ctx(struct kp_cpu *cpu)
{
	if (cpu->preempt_count & HARDIRQ_MASK)
		cpu->v.ctx = KP_CTX_HARDIRQ;
	else if (cpu->preempt_count & SOFTIRQ_OFFSET)
		cpu->v.ctx = KP_CTX_SOFTIRQ;
	else
		cpu->v.ctx = KP_CTX_TASK;
}

const char *kp_task_state_name(long state)
{
	if (state == TASK_RUNNING)
		return "TASK_RUNNING";
	if (state & TASK_DEAD)
		return "TASK_DEAD";
	if (state & TASK_NEW)
		return "TASK_NEW";
	if (state & TASK_INTERRUPTIBLE)
		return "TASK_INTERRUPTIBLE";
	if (state & TASK_UNINTERRUPTIBLE)
		return "TASK_UNINTERRUPTIBLE";
	return "?";
}

/* The letter ps and /proc/PID/status show. */
char kp_task_state_char(long state)
{
	if (state == TASK_RUNNING)
		return 'R';
	if (state & TASK_DEAD)
		return 'X';
	if (state & TASK_INTERRUPTIBLE)
		return 'S';
	if (state & (TASK_UNINTERRUPTIBLE | TASK_NEW))
		return 'D';
	return '?';
}

/* ---- runqueue ---- */

static bool runs_before(const struct task_struct *a,
			const struct task_struct *b)
{
	if (a->vruntime != b->vruntime)
		return a->vruntime < b->vruntime;
	return a->pid < b->pid;
}

static void enqueue_task(struct kp_cpu *cpu, struct task_struct *p)
{
	struct list_head *pos = &cpu->rq.queue;
	struct task_struct *t;
	list_for_each_entry(t, &cpu->rq.queue, run_list) {
		if (runs_before(p, t)) {
			pos = &t->run_list;
			break;
		}
	}
	list_add_tail(&p->run_list, pos);
	p->on_rq = true;
	p->cpu = cpu->id;
	cpu->rq.nr_running++;
}

static void dequeue_task(struct kp_cpu *cpu, struct task_struct *p)
{
	list_del_init(&p->run_list);
	p->on_rq = false;
	cpu->rq.nr_running--;
}

/* Charge the time since the last update to the running task. */
static void update_curr(struct kp_cpu *cpu)
{
	struct task_struct *p = cpu->curr;
	uint64_t now = cpu->v.clock;
	if (!p || now <= p->exec_start) {
		if (p)
			p->exec_start = now;
		return;
	}
	uint64_t delta = now - p->exec_start;
	p->exec_start = now;
	if (p == cpu->idle)
		return;
	p->vruntime += delta;
	if (p->in_user)
		p->utime_ns += delta;
	else
		p->stime_ns += delta;
	if (p->vruntime > cpu->rq.min_vruntime && list_empty(&cpu->rq.queue))
		cpu->rq.min_vruntime = p->vruntime;
}

void kp_cpu_account(struct kp_cpu *cpu)
{
	update_curr(cpu);
}

static struct task_struct *pick_next_task_fair(struct kp_cpu *cpu)
{
	KP_FUNC0(pick_next_task_fair);
	struct task_struct *p =
		list_first_entry_or_null(&cpu->rq.queue, struct task_struct,
					 run_list);
	if (p) {
		dequeue_task(cpu, p);
		cpu->rq.nr_running++; /* still counted while it runs */
		if (p->vruntime > cpu->rq.min_vruntime)
			cpu->rq.min_vruntime = p->vruntime;
	}
	return p;
}

/* After a switch, on the new task's stack: reap a dead predecessor. */
static void finish_task_switch(struct kp_cpu *cpu)
{
	struct task_struct *dead = cpu->prev_dead;
	if (dead) {
		cpu->prev_dead = NULL;
		list_del_init(&dead->tasks);
		kp_task_free(dead);
	}
}

static void context_switch(struct kp_cpu *cpu, struct task_struct *prev,
			   struct task_struct *next)
{
	KP_FUNC(context_switch, next);
	/* Woken while switching away: try_to_wake_up saw on_cpu and left
	 * the queueing to us (as ttwu waits for on_cpu in Linux). */
	if (prev != cpu->idle && prev->state == TASK_RUNNING && !prev->on_rq)
		enqueue_task(cpu, prev);
	cpu->curr = next;
	prev->on_cpu = false;
	next->on_cpu = true;
	next->cpu = cpu->id;
	next->exec_start = cpu->v.clock;
	cpu->rq.nr_switches++;
	kp_vcpu_set_pid(&cpu->v, (uint32_t)next->pid);
	cpu->v.coro = &next->coro;
	kp_coro_thread_info(&next->coro)->cpu = &cpu->v;
	if (prev->state & TASK_DEAD)
		cpu->prev_dead = prev;
	kp_coro_switch(&prev->coro, &next->coro);
	/* prev runs again here, maybe on another CPU */
	finish_task_switch(this_cpu());
}

/* The one switch path: called with the decision already made. */
static void __schedule(bool preempt)
{
	struct kp_cpu *cpu = this_cpu();
	struct task_struct *prev = cpu->curr;
	unsigned long *switch_count = &prev->nivcsw;

	update_curr(cpu);
	if (prev->state != TASK_RUNNING && !preempt) {
		if (prev != cpu->idle)
			cpu->rq.nr_running--;
		switch_count = &prev->nvcsw;
	} else if (prev != cpu->idle) {
		/* still runnable: back into the queue */
		cpu->rq.nr_running--;
		enqueue_task(cpu, prev);
	}
	cpu->need_resched = false;

	struct task_struct *next = pick_next_task_fair(cpu);
	if (!next)
		next = cpu->idle;
	if (next == prev) {
		return;
	}
	if (prev != cpu->idle)
		++*switch_count;
	prev->wchan = prev->state == TASK_RUNNING ? -1 : (int)KP_P_schedule;
	context_switch(cpu, prev, next);
}

void schedule(void)
{
	KP_FUNC0(schedule);
	__schedule(false);
}

/* Preemption at a return to user mode: an involuntary switch. */
static void preempt_schedule_user(void)
{
	__schedule(true);
}

void cond_resched(void)
{
	KP_FUNC0(cond_resched);
	if (need_resched())
		__schedule(true);
}

/* ---- wake-ups ---- */

static struct kp_cpu *select_task_rq(struct task_struct *p)
{
	struct kp_host *h = p->host;
	if (p->bound_cpu >= 0)
		return h->cpus[p->bound_cpu];
	struct kp_cpu *prev = h->cpus[p->cpu];
	if (prev->curr == prev->idle && list_empty(&prev->rq.queue))
		return prev;
	for (int i = 0; i < h->nr_cpus; i++) {
		struct kp_cpu *c = h->cpus[i];
		if (c->curr == c->idle && list_empty(&c->rq.queue))
			return c;
	}
	return prev;
}

static void check_preempt_curr(struct kp_cpu *rq_cpu, struct task_struct *p,
			       int wake_flags)
{
	struct task_struct *curr = rq_cpu->curr;
	if (curr == rq_cpu->idle) {
		rq_cpu->need_resched = true;
	} else if (!(wake_flags & WF_SYNC) &&
		   curr->vruntime > p->vruntime + SCHED_WAKEUP_GRANULARITY_NS) {
		rq_cpu->need_resched = true;
	}
	if (rq_cpu->need_resched) {
		/* the resched IPI: a halted CPU wakes up */
		uint64_t t = kp_current_thread_info()->cpu->clock;
		kp_vcpu_kick(&rq_cpu->v, t);
	}
}

int try_to_wake_up(struct task_struct *p, unsigned int state, int wake_flags)
{
	KP_FUNC(try_to_wake_up, p);
	if (!(p->state & (long)state))
		return 0;
	p->wakeups++;
	p->state = TASK_RUNNING;
	p->wchan = -1;
	if (p->on_cpu || p->on_rq)
		return 1; /* woke before it got to schedule() away */
	struct kp_cpu *cpu = select_task_rq(p);
	/* Sleeper credit, as place_entity(): at most half a latency. */
	uint64_t floor = cpu->rq.min_vruntime > SCHED_LATENCY_NS / 2
				 ? cpu->rq.min_vruntime - SCHED_LATENCY_NS / 2
				 : 0;
	if (p->vruntime < floor)
		p->vruntime = floor;
	enqueue_task(cpu, p);
	check_preempt_curr(cpu, p, wake_flags);
	return 1;
}

int wake_up_process(struct task_struct *p)
{
	KP_FUNC(wake_up_process, p);
	return try_to_wake_up(p, TASK_NORMAL | TASK_NEW, 0);
}

/* ---- tasks ---- */

static void task_entry(void *arg)
{
	struct task_struct *t = arg;
	finish_task_switch(this_cpu());
	local_irq_enable();
	t->fn(t->arg);
	do_exit(0);
}

struct task_struct *kp_task_create(struct kp_host *h, const char *comm,
				   void (*fn)(void *), void *arg,
				   int bound_cpu, bool kthread)
{
	struct task_struct *t = calloc(1, sizeof(*t));
	if (!t)
		return NULL;
	if (kp_coro_init(&t->coro, task_entry, t)) {
		free(t);
		return NULL;
	}
	struct kp_thread_info *ti = kp_coro_thread_info(&t->coro);
	ti->task = t;
	ti->depth = 0;
	ti->cpu = &h->cpus[bound_cpu >= 0 ? bound_cpu : 0]->v;
	ti->world = h->world;
	kp_obj_assign(&h->world->ids, &t->kp, KP_OBJ_TASK);
	t->pid = h->next_pid++;
	snprintf(t->comm, sizeof(t->comm), "%s", comm);
	t->state = TASK_NEW;
	t->host = h;
	t->cpu = bound_cpu >= 0 ? bound_cpu : 0;
	t->bound_cpu = bound_cpu;
	t->kthread = kthread;
	t->wchan = -1;
	t->fn = fn;
	t->arg = arg;
	INIT_LIST_HEAD(&t->run_list);
	list_add_tail(&t->tasks, &h->tasks);
	struct kp_cpu *cpu = h->cpus[t->cpu];
	t->vruntime = cpu->rq.min_vruntime;
	t->start_time = cpu->v.clock;
	return t;
}

struct task_struct *kp_task_find(struct kp_host *h, pid_t pid)
{
	struct task_struct *t;
	list_for_each_entry(t, &h->tasks, tasks)
		if (t->pid == pid)
			return t;
	return NULL;
}

void kp_task_free(struct task_struct *t)
{
	if (t->arg_free)
		t->arg_free(t->arg);
	kp_coro_free(&t->coro);
	free(t);
}

void do_exit(int code)
{
	KP_FUNC(do_exit, current);
	struct task_struct *t = current;
	t->exit_code = code;
	if (t->exit_files)
		t->exit_files(t); /* closes its files, in kernel context */
	t->state = TASK_DEAD;
	schedule();
	abort(); /* a dead task is never switched back to */
}

void kp_task_set_user(bool user)
{
	struct kp_cpu *cpu = this_cpu();
	update_curr(cpu);
	cpu->curr->in_user = user;
	/* Return to user mode: pending interrupts, then preemption. */
	if (user) {
		if (cpu->v.irq_pending && !cpu->v.irqs_disabled)
			cpu->v.ops->take_irq(&cpu->v);
		if (need_resched())
			preempt_schedule_user();
	}
}

void kp_user_work(uint64_t ns)
{
	struct kp_vcpu *v = kp_current_thread_info()->cpu;
	v->clock += ns;
	/* Time passes in user mode: let others act, take interrupts. */
	while (kp_eventq_next_time(&v->world->events) < v->clock)
		kp_vcpu_yield(v);
	kp_task_set_user(true);
}

void cpu_idle_loop(void)
{
	for (;;) {
		struct kp_cpu *cpu = this_cpu();
		while (!cpu->need_resched) {
			if (cpu->v.irq_pending) {
				cpu->v.ops->take_irq(&cpu->v);
			} else if (!list_empty(&cpu->rq.queue)) {
				cpu->need_resched = true;
			} else {
				kp_vcpu_halt(&cpu->v);
			}
			cpu = this_cpu();
		}
		schedule();
	}
}

/* ---- CPUs ---- */

struct kp_cpu *kp_cpu_create(struct kp_host *h, int id)
{
	struct kp_cpu *cpu = calloc(1, sizeof(*cpu));
	if (!cpu)
		return NULL;
	kp_vcpu_init(&cpu->v, h->world, &kp_sched_vcpu_ops, h->id,
		     (uint16_t)id);
	cpu->host = h;
	cpu->id = id;
	INIT_LIST_HEAD(&cpu->rq.queue);
	INIT_LIST_HEAD(&cpu->expired_timers);
	INIT_LIST_HEAD(&cpu->expired_hrtimers);
	INIT_LIST_HEAD(&cpu->call_single_queue);
	return cpu;
}

void kp_cpu_free(struct kp_cpu *cpu)
{
	free(cpu);
}
