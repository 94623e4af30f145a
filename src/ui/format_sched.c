/*
 * format_sched.c - tasks and CPUs as text (info cpus, ps, comm[pid]).
 * Pure readers: nothing here changes the model, so looking never alters
 * a run (kp_cpu_account would, by splitting a vruntime update).
 */
#include "format_sched.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "duration.h"
#include "engine/probe.h"
#include "sched/host.h"
#include "sched/softirq.h"

const char *kp_task_comm(struct kp_world *w, int host, int cpu, uint32_t pid)
{
	if (host < 0 || host >= w->nr_hosts)
		return "?";
	struct kp_host *h = w->hosts[host];
	if (pid == 0) {
		if (cpu >= 0 && cpu < h->nr_cpus && h->cpus[cpu]->idle)
			return h->cpus[cpu]->idle->comm;
		return "swapper";
	}
	struct task_struct *t = kp_task_find(h, (pid_t)pid);
	return t ? t->comm : "?";
}

void kp_fmt_task(char *buf, size_t size, const struct task_struct *t)
{
	if (!t)
		snprintf(buf, size, "-");
	else
		snprintf(buf, size, "%s[%d]", t->comm, (int)t->pid);
}

uint64_t kp_task_cpu_time(const struct task_struct *t)
{
	uint64_t ns = t->utime_ns + t->stime_ns;
	const struct kp_host *h = t->host;
	if (t->on_cpu && h && t->cpu >= 0 && t->cpu < h->nr_cpus) {
		const struct kp_cpu *cpu = h->cpus[t->cpu];
		if (cpu->curr == t && cpu->v.clock > t->exec_start)
			ns += cpu->v.clock - t->exec_start;
	}
	return ns;
}

void kp_fmt_softirq_bits(char *buf, size_t size, uint32_t pending)
{
	size_t len = 0;
	buf[0] = '\0';
	for (int nr = 0; nr < NR_SOFTIRQS; nr++) {
		if (!(pending & (1u << nr)))
			continue;
		len += (size_t)snprintf(buf + len, len < size ? size - len : 0,
					"%s%s", len ? " " : "",
					softirq_to_name[nr]);
	}
	if (!buf[0])
		snprintf(buf, size, "-");
}

void kp_fmt_runqueue(char *buf, size_t size, const struct kp_cpu *cpu)
{
	const struct task_struct *t;
	size_t len = 0;
	buf[0] = '\0';
	list_for_each_entry(t, &cpu->rq.queue, run_list) {
		if (len + 1 >= size)
			break;
		len += (size_t)snprintf(buf + len, size - len, "%s%s[%d]",
					len ? " " : "", t->comm, (int)t->pid);
	}
	if (!buf[0])
		snprintf(buf, size, "-");
}

void kp_fmt_cpu(struct kp_out *out, const struct kp_cpu *cpu)
{
	char tbuf[KP_TIME_BUF], curr[48], bits[128], rq[256];
	const struct kp_vcpu *v = &cpu->v;

	kp_fmt_task(curr, sizeof(curr), cpu->curr);
	kp_fmt_softirq_bits(bits, sizeof(bits), cpu->softirq_pending);
	kp_fmt_runqueue(rq, sizeof(rq), cpu);
	kp_printf(out, "%s cpu%d  %s  %s  clock %ss%s\n", cpu->host->name,
		  cpu->id, curr, kp_ctx_name((enum kp_ctx_kind)v->ctx),
		  kp_fmt_time(tbuf, v->clock), v->halted ? "  (halted)" : "");
	kp_printf(out,
		  "    preempt_count 0x%x  softirq_pending 0x%x (%s)  "
		  "need_resched %d  irqs %s\n",
		  cpu->preempt_count, cpu->softirq_pending, bits,
		  cpu->need_resched, v->irqs_disabled ? "off" : "on");
	kp_printf(out, "    runqueue: %s\n", rq);
	kp_printf(out,
		  "    switches %" PRIu64 "  idle %" PRIu64
		  " ns  hardirq %" PRIu64 " ns  softirq %" PRIu64 " ns\n",
		  cpu->rq.nr_switches, v->idle_ns, cpu->hardirq_ns,
		  cpu->softirq_ns);
}

void kp_fmt_ps_header(struct kp_out *out)
{
	kp_printf(out, "%-8s %5s %3s %-4s %5s %5s %12s %-16s %s\n", "HOST",
		  "PID", "PSR", "STAT", "VCSW", "NVCSW", "TIME", "WCHAN",
		  "COMM");
}

void kp_fmt_ps_host(struct kp_out *out, struct kp_host *h)
{
	struct task_struct *t;
	char tbuf[KP_TIME_BUF], comm[TASK_COMM_LEN + 2];

	list_for_each_entry(t, &h->tasks, tasks) {
		const char *wchan = t->wchan >= 0 && t->wchan < KP_NR_PROBES
					    ? kp_probes[t->wchan].name
					    : "-";
		if (t->kthread)
			snprintf(comm, sizeof(comm), "[%s]", t->comm);
		else
			snprintf(comm, sizeof(comm), "%s", t->comm);
		kp_printf(out, "%-8s %5d %3d %-4c %5lu %5lu %12s %-16s %s\n",
			  h->name, (int)t->pid, t->cpu,
			  kp_task_state_char(t->state), t->nvcsw, t->nivcsw,
			  kp_fmt_time(tbuf, kp_task_cpu_time(t)), wchan, comm);
	}
}
