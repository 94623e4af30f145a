/*
 * softirq.h - softirqs and ksoftirqd (kernel/softirq.c, kernel/smpboot.c).
 */
#ifndef KP_SCHED_SOFTIRQ_H
#define KP_SCHED_SOFTIRQ_H

#include <stdbool.h>

struct softirq_action {
	void (*action)(struct softirq_action *);
};

/* As kernel/softirq.c: at most 10 restarts or 2 ms, then ksoftirqd. */
#define MAX_SOFTIRQ_RESTART 10
#define MAX_SOFTIRQ_TIME_MS 2

struct smp_hotplug_thread {
	const char *thread_comm; /* printf format with the CPU number */
	int (*thread_should_run)(unsigned int cpu);
	void (*thread_fn)(unsigned int cpu);
};

extern const char *const softirq_to_name[];

void open_softirq(int nr, void (*action)(struct softirq_action *));
void raise_softirq(unsigned int nr);
void raise_softirq_irqoff(unsigned int nr);
void __raise_softirq_irqoff(unsigned int nr);
unsigned int local_softirq_pending(void);
void __do_softirq(void);
void invoke_softirq(void);
void wakeup_softirqd(void);
void local_bh_disable(void);
void local_bh_enable(void);

int spawn_ksoftirqd(void);
int smpboot_register_percpu_thread(const struct smp_hotplug_thread *ht);

#endif
