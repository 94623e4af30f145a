/*
 * sched.h - tasks, CPUs and the scheduler (kernel/sched/ in Linux).
 *
 * A task is a coroutine with a task_struct; a CPU (struct kp_cpu) embeds
 * the engine's kp_vcpu and adds what Linux keeps per CPU: the runqueue,
 * preempt_count, softirq_pending, the pending interrupt lines, timers and
 * accounting.  `current` and `this_cpu()` are found from the stack pointer,
 * as 3.10 found thread_info.
 */
#ifndef KP_SCHED_SCHED_H
#define KP_SCHED_SCHED_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "engine/coro.h"
#include "engine/list.h"
#include "engine/world.h"

#define KP_MAX_CPUS 8
#define TASK_COMM_LEN 16

/* Task states, as include/linux/sched.h */
#define TASK_RUNNING 0
#define TASK_INTERRUPTIBLE 1
#define TASK_UNINTERRUPTIBLE 2
#define __TASK_STOPPED 4
#define TASK_DEAD 64
#define TASK_WAKEKILL 128
#define TASK_NEW 2048
#define TASK_NORMAL (TASK_INTERRUPTIBLE | TASK_UNINTERRUPTIBLE)

/* preempt_count layout, as include/linux/preempt_mask.h */
#define PREEMPT_OFFSET 0x1u
#define SOFTIRQ_OFFSET 0x100u
#define SOFTIRQ_DISABLE_OFFSET (2 * SOFTIRQ_OFFSET)
#define HARDIRQ_OFFSET 0x10000u
#define SOFTIRQ_MASK 0xff00u
#define HARDIRQ_MASK 0xf0000u

/* Softirq numbers, as include/linux/interrupt.h */
enum {
	HI_SOFTIRQ = 0,
	TIMER_SOFTIRQ,
	NET_TX_SOFTIRQ,
	NET_RX_SOFTIRQ,
	BLOCK_SOFTIRQ,
	BLOCK_IOPOLL_SOFTIRQ,
	TASKLET_SOFTIRQ,
	SCHED_SOFTIRQ,
	HRTIMER_SOFTIRQ,
	RCU_SOFTIRQ,
	NR_SOFTIRQS
};

#define KP_NR_IRQS 64
#define LOCAL_TIMER_IRQ 0 /* "LOC" in /proc/interrupts */

#define HZ 1000
#define NSEC_PER_JIFFY (1000000000ull / HZ)
#define NSEC_PER_USEC 1000ull
#define NSEC_PER_MSEC 1000000ull
#define NSEC_PER_SEC 1000000000ull

/* Wake flags */
#define WF_SYNC 0x01

struct kp_host;
struct kp_cpu;
struct smp_hotplug_thread;

struct task_struct {
	struct kp_obj kp;
	pid_t pid;
	char comm[TASK_COMM_LEN];
	volatile long state;
	struct kp_host *host;
	int cpu;       /* CPU it runs or last ran on */
	int bound_cpu; /* -1 when it may run anywhere */
	bool on_rq;    /* queued on a runqueue (not running) */
	bool on_cpu;   /* some CPU's curr */
	bool kthread;
	bool in_user;  /* executing user code (for utime/stime) */
	uint64_t vruntime;
	uint64_t exec_start;
	uint64_t utime_ns, stime_ns;
	uint64_t start_time;
	unsigned long nvcsw, nivcsw; /* voluntary / involuntary switches */
	unsigned long wakeups;
	int wchan;     /* probe id where it sleeps, -1 when running */
	struct kp_coro coro;
	struct list_head run_list;
	struct list_head tasks;
	void (*fn)(void *arg);
	void *arg;
	void (*arg_free)(void *arg); /* frees arg when the task is reaped */
	const struct smp_hotplug_thread *ht; /* per-CPU threads */
	void *files;   /* the file table (src/net/file.c) */
	/* do_exit closes the task's files through this; files left at
	 * world teardown are freed by the layer that owns them */
	void (*exit_files)(struct task_struct *t);
	void *user;    /* the user program's state */
	int exit_code;
};

struct rq {
	struct list_head queue; /* runnable tasks by (vruntime, pid) */
	unsigned int nr_running; /* queued + the running non-idle task */
	uint64_t min_vruntime;
	uint64_t nr_switches;
};

struct kp_cpu {
	struct kp_vcpu v; /* first: the engine's CPU */
	struct kp_host *host;
	int id;
	struct task_struct *curr, *idle;
	struct task_struct *prev_dead; /* reaped after the next switch */
	struct rq rq;
	bool need_resched;
	unsigned int preempt_count;
	uint32_t softirq_pending;
	uint64_t irq_lines; /* pending interrupt lines, bit = irq number */
	struct task_struct *ksoftirqd;
	struct list_head expired_timers;   /* timer_list waiting for TIMER_SOFTIRQ */
	struct list_head expired_hrtimers; /* hrtimer waiting for the interrupt */
	struct list_head call_single_queue; /* smp_call_function requests */
	/* the request whose function runs now: freed by kp_smp_cpu_free
	 * if the world ends while it is stopped inside */
	struct call_single_data *csd_running;
	bool timer_irq_pending;

	/* accounting */
	uint64_t softirq_count[NR_SOFTIRQS];
	uint64_t hardirq_ns, softirq_ns, user_ns, system_ns;
	uint64_t irq_enter_time, softirq_enter_time;
	uint64_t softirq_restarts_exhausted; /* handed to ksoftirqd */
	void *softnet; /* the net layer's softnet_data for this CPU */
};

static inline struct kp_cpu *kp_cpu_of(struct kp_vcpu *v)
{
	return container_of(v, struct kp_cpu, v);
}

/* The CPU running the calling kernel code. */
static inline struct kp_cpu *this_cpu(void)
{
	return kp_cpu_of(kp_current_thread_info()->cpu);
}

static inline struct task_struct *get_current(void)
{
	return (struct task_struct *)kp_current_thread_info()->task;
}
#define current get_current()

static inline struct kp_world *kp_current_world(void)
{
	return kp_current_thread_info()->cpu->world;
}

static inline struct kp_host *current_host(void)
{
	return this_cpu()->host;
}

static inline uint64_t local_clock(void)
{
	return kp_current_thread_info()->cpu->clock;
}

static inline unsigned long kp_jiffies(void)
{
	return (unsigned long)(local_clock() / NSEC_PER_JIFFY);
}
#define jiffies kp_jiffies()

#define time_after(a, b) ((long)((b) - (a)) < 0)
#define time_before(a, b) time_after(b, a)
#define time_after_eq(a, b) ((long)((a) - (b)) >= 0)

static inline unsigned long msecs_to_jiffies(unsigned int m)
{
	return (m * HZ + 999) / 1000;
}

static inline bool in_irq(void)
{
	return this_cpu()->preempt_count & HARDIRQ_MASK;
}

static inline bool in_interrupt(void)
{
	return this_cpu()->preempt_count & (HARDIRQ_MASK | SOFTIRQ_MASK);
}

static inline bool in_serving_softirq(void)
{
	return this_cpu()->preempt_count & SOFTIRQ_OFFSET;
}

/* Recompute the context kind the trace shows from preempt_count. */
void kp_cpu_update_ctx(struct kp_cpu *cpu);

static inline void set_current_state(long state)
{
	current->state = state;
}
#define __set_current_state(s) set_current_state(s)

static inline bool need_resched(void)
{
	return this_cpu()->need_resched;
}

/* Tasks */
struct task_struct *kp_task_create(struct kp_host *h, const char *comm,
				   void (*fn)(void *), void *arg,
				   int bound_cpu, bool kthread);
struct task_struct *kp_task_find(struct kp_host *h, pid_t pid);
void kp_task_free(struct task_struct *t);
const char *kp_task_state_name(long state);
char kp_task_state_char(long state);
/* Mark the calling task as running user code (true) or kernel (false). */
void kp_task_set_user(bool user);
/* Charge @ns of user-mode work to the calling task; interrupts may come. */
void kp_user_work(uint64_t ns);

void schedule(void);
void cond_resched(void);
int wake_up_process(struct task_struct *p);
int try_to_wake_up(struct task_struct *p, unsigned int state, int wake_flags);
void do_exit(int code) __attribute__((noreturn));
/* The CPU's idle loop (swapper/N). */
void cpu_idle_loop(void);

/* CPUs */
struct kp_cpu *kp_cpu_create(struct kp_host *h, int id);
void kp_cpu_free(struct kp_cpu *cpu);
/* Account time up to now in the running context (for info cpus). */
void kp_cpu_account(struct kp_cpu *cpu);

#endif
