/*
 * timer.c - timer_list and hrtimer, the local timer interrupt, and the
 * sleep-with-timeout helpers (kernel/timer.c, kernel/hrtimer.c).
 */
#include "timer.h"

#include "engine/probe.h"
#include "host.h"
#include "irq.h"
#include "sched.h"
#include "softirq.h"

/* The timer hardware of @cpu fires: queue the local timer interrupt. */
static void cpu_timer_due(struct kp_cpu *cpu)
{
	if (cpu->timer_irq_pending)
		return;
	cpu->timer_irq_pending = true;
	cpu->irq_lines |= 1ull << LOCAL_TIMER_IRQ;
	cpu->v.irq_pending = true;
	kp_vcpu_kick(&cpu->v, cpu->v.world->now);
}

static void timer_list_expired(struct kp_world *w, void *arg, uint64_t data)
{
	(void)w;
	(void)data;
	struct timer_list *t = arg;
	list_add_tail(&t->entry, &t->base->expired_timers);
	cpu_timer_due(t->base);
}

static void hrtimer_expired(struct kp_world *w, void *arg, uint64_t data)
{
	(void)w;
	(void)data;
	struct hrtimer *t = arg;
	list_add_tail(&t->entry, &t->base->expired_hrtimers);
	cpu_timer_due(t->base);
}

void setup_timer(struct timer_list *t, void (*fn)(unsigned long),
		 unsigned long data)
{
	t->function = fn;
	t->data = data;
	t->expires = 0;
	t->base = NULL;
	t->event = 0;
	t->pending = false;
	INIT_LIST_HEAD(&t->entry);
}

static int detach_timer(struct timer_list *t)
{
	if (!t->pending)
		return 0;
	kp_eventq_cancel(&t->base->v.world->events, &t->event);
	list_del_init(&t->entry);
	t->pending = false;
	return 1;
}

int mod_timer(struct timer_list *t, unsigned long expires)
{
	KP_FUNC_ARG(mod_timer, KP_NOOBJ, expires);
	int was_pending = detach_timer(t);
	struct kp_cpu *cpu = this_cpu();
	t->base = cpu;
	t->expires = expires;
	t->pending = true;
	uint64_t when = (uint64_t)expires * NSEC_PER_JIFFY;
	if (when < cpu->v.clock)
		when = cpu->v.clock;
	kp_world_at(cpu->v.world, when, timer_list_expired, t, 0, &t->event);
	return was_pending;
}

int del_timer(struct timer_list *t)
{
	KP_FUNC0(del_timer);
	return detach_timer(t);
}

static void call_timer_fn(struct timer_list *t)
{
	KP_FUNC0(call_timer_fn);
	t->function(t->data);
}

void run_timer_softirq(struct softirq_action *h)
{
	(void)h;
	KP_FUNC0(run_timer_softirq);
	struct kp_cpu *cpu = this_cpu();
	while (!list_empty(&cpu->expired_timers)) {
		struct timer_list *t = list_first_entry(
			&cpu->expired_timers, struct timer_list, entry);
		list_del_init(&t->entry);
		t->pending = false;
		call_timer_fn(t);
	}
}

void hrtimer_init(struct hrtimer *t, enum hrtimer_restart (*fn)(struct hrtimer *))
{
	t->function = fn;
	t->expires = 0;
	t->base = NULL;
	t->event = 0;
	t->queued = false;
	INIT_LIST_HEAD(&t->entry);
}

static int hrtimer_detach(struct hrtimer *t)
{
	if (!t->queued)
		return 0;
	kp_eventq_cancel(&t->base->v.world->events, &t->event);
	list_del_init(&t->entry);
	t->queued = false;
	return 1;
}

void hrtimer_start(struct hrtimer *t, uint64_t expires_ns)
{
	KP_FUNC0(hrtimer_start);
	hrtimer_detach(t);
	struct kp_cpu *cpu = this_cpu();
	t->base = cpu;
	t->expires = expires_ns;
	t->queued = true;
	uint64_t when = expires_ns < cpu->v.clock ? cpu->v.clock : expires_ns;
	kp_world_at(cpu->v.world, when, hrtimer_expired, t, 0, &t->event);
}

int hrtimer_cancel(struct hrtimer *t)
{
	KP_FUNC0(hrtimer_cancel);
	return hrtimer_detach(t);
}

static void __run_hrtimer(struct hrtimer *t)
{
	KP_FUNC0(__run_hrtimer);
	if (t->function(t) == HRTIMER_RESTART)
		hrtimer_start(t, t->expires);
}

static void hrtimer_interrupt(struct kp_cpu *cpu)
{
	KP_FUNC0(hrtimer_interrupt);
	while (!list_empty(&cpu->expired_hrtimers)) {
		struct hrtimer *t = list_first_entry(&cpu->expired_hrtimers,
						     struct hrtimer, entry);
		list_del_init(&t->entry);
		t->queued = false;
		__run_hrtimer(t);
	}
}

void local_apic_timer_interrupt(void)
{
	KP_FUNC0(local_apic_timer_interrupt);
	struct kp_cpu *cpu = this_cpu();
	cpu->timer_irq_pending = false;
	hrtimer_interrupt(cpu);
	/* run_local_timers(): timer_lists run in TIMER_SOFTIRQ */
	if (!list_empty(&cpu->expired_timers))
		raise_softirq(TIMER_SOFTIRQ);
}

/* ---- sleeping with a timeout ---- */

static void process_timeout(unsigned long data)
{
	wake_up_process((struct task_struct *)data);
}

long schedule_timeout(long timeout)
{
	KP_FUNC_ARG(schedule_timeout, KP_NOOBJ, timeout);
	if (timeout == MAX_SCHEDULE_TIMEOUT) {
		schedule();
		return timeout;
	}
	if (timeout < 0) {
		__set_current_state(TASK_RUNNING);
		return 0;
	}
	struct timer_list timer;
	unsigned long expire = (unsigned long)timeout + jiffies;
	setup_timer(&timer, process_timeout, (unsigned long)current);
	mod_timer(&timer, expire);
	schedule();
	del_timer(&timer);
	long left = (long)(expire - jiffies);
	return left < 0 ? 0 : left;
}

struct hrtimer_sleeper {
	struct hrtimer timer;
	struct task_struct *task;
};

static enum hrtimer_restart hrtimer_wakeup(struct hrtimer *timer)
{
	struct hrtimer_sleeper *t =
		container_of(timer, struct hrtimer_sleeper, timer);
	struct task_struct *task = t->task;
	t->task = NULL;
	if (task)
		wake_up_process(task);
	return HRTIMER_NORESTART;
}

int schedule_hrtimeout_range(uint64_t expires_ns, uint64_t delta_ns)
{
	KP_FUNC_ARG(schedule_hrtimeout_range, KP_NOOBJ, expires_ns);
	(void)delta_ns;
	if (!expires_ns) {
		schedule();
		return -4; /* -EINTR */
	}
	struct hrtimer_sleeper t;
	hrtimer_init(&t.timer, hrtimer_wakeup);
	t.task = current;
	hrtimer_start(&t.timer, expires_ns);
	if (t.task)
		schedule();
	hrtimer_cancel(&t.timer);
	__set_current_state(TASK_RUNNING);
	return !t.task ? 0 : -4;
}

void init_timers(void)
{
	KP_FUNC0(init_timers);
	open_softirq(TIMER_SOFTIRQ, run_timer_softirq);
}

void kp_timer_cpu_init(struct kp_cpu *cpu)
{
	INIT_LIST_HEAD(&cpu->expired_timers);
	INIT_LIST_HEAD(&cpu->expired_hrtimers);
}

void kp_timer_cpu_free(struct kp_cpu *cpu)
{
	(void)cpu;
}
