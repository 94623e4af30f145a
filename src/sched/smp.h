/*
 * smp.h - running a function on a given CPU through the "function call"
 * interrupt (kernel/smp.c: smp_call_function_single and
 * generic_smp_call_function_single_interrupt; CAL in /proc/interrupts).
 *
 * kpath also uses it as the door from the outside world into a host's
 * kernel: when the user starts a program, the request is queued on a CPU
 * and that CPU runs it in hardirq context, where creating and waking a
 * task is allowed - as a real kernel does work for another CPU.
 */
#ifndef KP_SCHED_SMP_H
#define KP_SCHED_SMP_H

#include "engine/list.h"

struct kp_host;

#define CALL_FUNCTION_IRQ 1 /* "CAL" in /proc/interrupts */

typedef void (*smp_call_func_t)(void *info);

/* From the engine (a command): queue func(info) on @cpu of @h and raise
 * the function-call interrupt there.  @info_free, if set, frees info once
 * it ran (or at teardown when it never did, or at once on failure). */
int kp_host_call(struct kp_host *h, int cpu, smp_call_func_t func, void *info,
		 void (*info_free)(void *));
/* Engine side of host teardown: drop queued calls. */
void kp_smp_cpu_free(struct kp_host *h, int cpu);
/* The interrupt handler (hardirq context). */
void generic_smp_call_function_single_interrupt(void);

#endif
