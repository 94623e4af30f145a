/*
 * timer.h - timer_list (jiffies, HZ=1000) and hrtimers (ns).
 *
 * Each armed timer is one event in the world's queue.  When it expires the
 * CPU gets its local timer interrupt: hrtimers run there, in hardirq
 * context; timer_lists are handed to TIMER_SOFTIRQ (run_timer_softirq).
 * There is no periodic tick: like NO_HZ, a CPU is only interrupted when a
 * timer of its own is due.
 */
#ifndef KP_SCHED_TIMER_H
#define KP_SCHED_TIMER_H

#include <stdbool.h>
#include <stdint.h>

#include "engine/list.h"

struct kp_cpu;
struct softirq_action;

struct timer_list {
	unsigned long expires;
	void (*function)(unsigned long);
	unsigned long data;
	struct kp_cpu *base; /* CPU it was armed on */
	uint32_t event;      /* handle in the world's event queue */
	bool pending;
	struct list_head entry; /* on base->expired_timers once due */
};

enum hrtimer_restart { HRTIMER_NORESTART, HRTIMER_RESTART };

struct hrtimer {
	uint64_t expires; /* absolute ns */
	enum hrtimer_restart (*function)(struct hrtimer *);
	struct kp_cpu *base;
	uint32_t event;
	bool queued;
	struct list_head entry; /* on base->expired_hrtimers once due */
};

void setup_timer(struct timer_list *t, void (*fn)(unsigned long),
		 unsigned long data);
int mod_timer(struct timer_list *t, unsigned long expires);
int del_timer(struct timer_list *t);
static inline bool timer_pending(const struct timer_list *t)
{
	return t->pending;
}

void hrtimer_init(struct hrtimer *t, enum hrtimer_restart (*fn)(struct hrtimer *));
void hrtimer_start(struct hrtimer *t, uint64_t expires_ns);
int hrtimer_cancel(struct hrtimer *t);

void run_timer_softirq(struct softirq_action *h);
/* start_kernel: opens TIMER_SOFTIRQ. */
void init_timers(void);
void local_apic_timer_interrupt(void);

/* Sleep helpers (kernel/timer.c, kernel/hrtimer.c) */
#define MAX_SCHEDULE_TIMEOUT ((long)(~0ul >> 1))
long schedule_timeout(long timeout);
/* @expires_ns: absolute time or 0 for "no timeout".  Returns 0 when the
 * timer expired, -EINTR when woken. */
int schedule_hrtimeout_range(uint64_t expires_ns, uint64_t delta_ns);

/* Called from irq.c for the local timer line. */
void kp_timer_cpu_init(struct kp_cpu *cpu);
void kp_timer_cpu_free(struct kp_cpu *cpu);

#endif
