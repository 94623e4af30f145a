/*
 * values_sched.c - value paths that read the engine and the kernel core:
 * time, trace.seq, breakpoint hits, hosts, CPUs and tasks.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "sched/host.h"
#include "sched/softirq.h"
#include "session.h"
#include "values.h"

/* Now: the stopped CPU's clock, which has already been charged the cost
 * of the function it stopped in (the stop report's t= is that function's
 * entry, as in its trace record); until measures against this. */
int value_time(struct kp_value_query *q, struct kp_value *out)
{
	kp_value_int(out, (int64_t)kp_world_time(q->w));
	return 0;
}

int value_trace_seq(struct kp_value_query *q, struct kp_value *out)
{
	kp_value_int(out, (int64_t)q->w->trace.seq);
	return 0;
}

int value_bp_hits(struct kp_value_query *q, struct kp_value *out)
{
	int n = atoi(q->cap[0]);
	struct kp_breakpoint *bp = kp_break_find(q->w, n);
	if (!bp)
		return kp_value_fail(q, "no breakpoint %d (see 'info "
					"breakpoints')", n);
	kp_value_int(out, (int64_t)bp->hits);
	return 0;
}

int value_host_booted(struct kp_value_query *q, struct kp_value *out)
{
	struct kp_host *h = kp_value_host(q, 0);
	if (!h)
		return -ESRCH;
	kp_value_int(out, h->booted);
	return 0;
}

/* The CPU of HOST.cpuN paths. */
static struct kp_cpu *query_cpu(struct kp_value_query *q)
{
	struct kp_host *h = kp_value_host(q, 0);
	return h ? kp_value_cpu(q, h, 1) : NULL;
}

#define CPU_VALUE(fn, expr)                                                   \
	int fn(struct kp_value_query *q, struct kp_value *out)               \
	{                                                                     \
		struct kp_cpu *cpu = query_cpu(q);                            \
		if (!cpu)                                                     \
			return -ESRCH;                                        \
		kp_value_int(out, (int64_t)(expr));                           \
		return 0;                                                     \
	}

CPU_VALUE(value_cpu_clock, cpu->v.clock)
CPU_VALUE(value_cpu_softirq_pending, cpu->softirq_pending)
CPU_VALUE(value_cpu_need_resched, cpu->need_resched)
CPU_VALUE(value_cpu_preempt_count, cpu->preempt_count)
CPU_VALUE(value_cpu_switches, cpu->rq.nr_switches)
CPU_VALUE(value_cpu_nr_running, cpu->rq.nr_running)

int value_cpu_curr(struct kp_value_query *q, struct kp_value *out)
{
	struct kp_cpu *cpu = query_cpu(q);
	if (!cpu)
		return -ESRCH;
	kp_value_str(out, cpu->curr ? cpu->curr->comm : "-");
	return 0;
}

int value_cpu_softirqs(struct kp_value_query *q, struct kp_value *out)
{
	struct kp_cpu *cpu = query_cpu(q);
	if (!cpu)
		return -ESRCH;
	for (int nr = 0; nr < NR_SOFTIRQS; nr++) {
		if (strcmp(softirq_to_name[nr], q->cap[2]) == 0) {
			kp_value_int(out, (int64_t)cpu->softirq_count[nr]);
			return 0;
		}
	}
	return kp_value_fail(q, "no softirq '%s' (HI, TIMER, NET_TX, NET_RX, "
				"BLOCK, BLOCK_IOPOLL, TASKLET, SCHED, "
				"HRTIMER, RCU)",
			     q->cap[2]);
}

/* The task of HOST.task.COMM paths. */
static struct task_struct *query_task(struct kp_value_query *q)
{
	struct kp_host *h = kp_value_host(q, 0);
	return h ? kp_value_task(q, h, 1) : NULL;
}

#define TASK_VALUE(fn, expr)                                                  \
	int fn(struct kp_value_query *q, struct kp_value *out)               \
	{                                                                     \
		struct task_struct *t = query_task(q);                        \
		if (!t)                                                       \
			return -ESRCH;                                        \
		kp_value_int(out, (int64_t)(expr));                           \
		return 0;                                                     \
	}

TASK_VALUE(value_task_pid, t->pid)
TASK_VALUE(value_task_cpu, t->cpu)
TASK_VALUE(value_task_nvcsw, t->nvcsw)
TASK_VALUE(value_task_nivcsw, t->nivcsw)
TASK_VALUE(value_task_wakeups, t->wakeups)

int value_task_state(struct kp_value_query *q, struct kp_value *out)
{
	struct task_struct *t = query_task(q);
	if (!t)
		return -ESRCH;
	char state[2] = { kp_task_state_char(t->state), '\0' };
	kp_value_str(out, state);
	return 0;
}
