/*
 * format_sched.h - how tasks and CPUs look on screen: comm[pid] names,
 * softirq bits by name, the `info cpus` block of one CPU, `ps` lines.
 * Shared by the REPL commands and the TUI's CPU pane.
 */
#ifndef KP_UI_FORMAT_SCHED_H
#define KP_UI_FORMAT_SCHED_H

#include <stddef.h>
#include <stdint.h>

#include "engine/world.h"
#include "out.h"

struct kp_cpu;
struct kp_host;
struct task_struct;

/* The comm of task @pid on host @host; pid 0 is the idle task of @cpu.
 * "?" when there is no such task (any more). */
const char *kp_task_comm(struct kp_world *w, int host, int cpu, uint32_t pid);
/* "init[1]" */
void kp_fmt_task(char *buf, size_t size, const struct task_struct *t);
/* CPU time of @t in ns: user + system, counting the running slice. */
uint64_t kp_task_cpu_time(const struct task_struct *t);
/* "NET_RX TIMER", or "-" when no bit is set */
void kp_fmt_softirq_bits(char *buf, size_t size, uint32_t pending);
/* "ksoftirqd/0[3] init[1]" for the tasks waiting on @cpu's runqueue,
 * or "-" */
void kp_fmt_runqueue(char *buf, size_t size, const struct kp_cpu *cpu);

/* `info cpus`: three lines about @cpu. */
void kp_fmt_cpu(struct kp_out *out, const struct kp_cpu *cpu);

/* `ps`: the header, and one line per task of @h. */
void kp_fmt_ps_header(struct kp_out *out);
void kp_fmt_ps_host(struct kp_out *out, struct kp_host *h);

#endif
