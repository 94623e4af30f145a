/*
 * irq.h - hard interrupts: interrupt lines with handlers and affinity,
 * do_IRQ, irq_enter/irq_exit, local_irq_disable/enable as real state.
 *
 * An interrupt is taken at the next probe of its target CPU that runs with
 * interrupts enabled; its frames nest on the interrupted stack.
 */
#ifndef KP_SCHED_IRQ_H
#define KP_SCHED_IRQ_H

#include <stdbool.h>
#include <stdint.h>

#include "sched.h"

typedef enum irqreturn { IRQ_NONE = 0, IRQ_HANDLED = 1 } irqreturn_t;
typedef irqreturn_t (*irq_handler_t)(int irq, void *dev_id);

struct irq_desc {
	irq_handler_t handler;
	void *dev_id;
	char name[32];
	int affinity;        /* CPU the line is routed to */
	uint64_t count[KP_MAX_CPUS];
};

struct kp_host;

int request_irq(unsigned int irq, irq_handler_t handler, unsigned long flags,
		const char *name, void *dev);
void free_irq(unsigned int irq, void *dev);
/* First free interrupt line of the host (for MSI-X vectors), or -1. */
int kp_irq_alloc_line(struct kp_host *h);
int irq_set_affinity(struct kp_host *h, unsigned int irq, int cpu);

/* A device asserts @irq (engine context, at the world's time). */
void kp_irq_raise(struct kp_host *h, unsigned int irq);

void do_IRQ(unsigned int irq);
void irq_enter(void);
void irq_exit(void);

void local_irq_disable(void);
void local_irq_enable(void);
unsigned long arch_local_irq_save(void);
void arch_local_irq_restore(unsigned long flags);
#define local_irq_save(flags) ((flags) = arch_local_irq_save())
#define local_irq_restore(flags) arch_local_irq_restore(flags)
static inline bool irqs_disabled(void)
{
	return kp_current_thread_info()->cpu->irqs_disabled;
}

extern const struct kp_vcpu_ops kp_sched_vcpu_ops;

#endif
